/*
 * Unit tests of issue 14's operators (docs/operators.md): values inside and
 * outside each domain against SymbolicRegression.jl v1.11 / Julia's
 * definitions (hand-worked values; erf, erfc and gamma at known values), in
 * both precisions; the block evaluator against the one-row evaluator bit for
 * bit (every operator, every operand shape, both precisions); the gradient
 * against finite differences; the printed forms; the operator lists at full
 * length; and the sympy round trip (tests/unit/sympy_ops_check.py parses the
 * `--sympy` form of random trees using every operator and evaluates them at
 * the engine's points).
 */
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define PI 3.14159265358979323846

static double ap(srt_op_t op, double a, double b)
{
    return srt_op_apply(op, a, b);
}

static float apf(srt_op_t op, float a, float b)
{
    return srt_sr__apply_f32(op, a, b);
}

/* same bits, or both NaN */
static int same_d(double a, double b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

static int same_f(float a, float b)
{
    return (isnan(a) && isnan(b)) || memcmp(&a, &b, sizeof a) == 0;
}

#define EXPECT_EXACT(op, a, b, want)                                                               \
    do {                                                                                           \
        double got_ = ap(op, a, b);                                                                \
        if (!same_d(got_, want))                                                                   \
            fprintf(stderr, "%s(%g, %g) = %.17g, expected %.17g\n", srt_op_name(op), (double)(a),  \
                    (double)(b), got_, (double)(want));                                            \
        CU_ASSERT(same_d(got_, want));                                                             \
        float gotf_ = apf(op, (float)(a), (float)(b));                                             \
        if (!same_f(gotf_, (float)(want)))                                                         \
            fprintf(stderr, "f32 %s(%g, %g) = %.9g, expected %.9g\n", srt_op_name(op),             \
                    (double)(a), (double)(b), (double)gotf_, (double)(want));                      \
        CU_ASSERT(same_f(gotf_, (float)(want)));                                                   \
    } while (0)

#define EXPECT_NEAR(op, a, want)                                                                   \
    do {                                                                                           \
        SRT_ASSERT_CLOSE(ap(op, a, 0), want, 4e-16);                                               \
        SRT_ASSERT_CLOSE((double)apf(op, (float)(a), 0), (double)(float)(want), 2e-7);             \
    } while (0)

static void binary_operators_follow_julia(void)
{
    const double nan = NAN, inf = INFINITY;
    /* max / min: Julia's signed-zero order; a non-finite operand gives NaN
     * (SR.jl's early exit would stop the evaluation there) */
    EXPECT_EXACT(SRT_OP_MAX, 1.0, 2.0, 2.0);
    EXPECT_EXACT(SRT_OP_MAX, -3.0, -4.0, -3.0);
    EXPECT_EXACT(SRT_OP_MAX, -0.0, 0.0, 0.0);
    EXPECT_EXACT(SRT_OP_MAX, 0.0, -0.0, 0.0);
    EXPECT_EXACT(SRT_OP_MIN, -0.0, 0.0, -0.0);
    EXPECT_EXACT(SRT_OP_MIN, 0.0, -0.0, -0.0);
    EXPECT_EXACT(SRT_OP_MIN, 1.0, 2.0, 1.0);
    EXPECT_EXACT(SRT_OP_MAX, -inf, 1.0, nan);
    EXPECT_EXACT(SRT_OP_MIN, nan, 1.0, nan);
    /* mod: the sign of the divisor (Julia's mod, not C's fmod) */
    EXPECT_EXACT(SRT_OP_MOD, 5.0, 3.0, 2.0);
    EXPECT_EXACT(SRT_OP_MOD, -5.0, 3.0, 1.0);
    EXPECT_EXACT(SRT_OP_MOD, 5.0, -3.0, -1.0);
    EXPECT_EXACT(SRT_OP_MOD, -5.0, -3.0, -2.0);
    EXPECT_EXACT(SRT_OP_MOD, 5.5, 2.0, 1.5);
    EXPECT_EXACT(SRT_OP_MOD, -0.5, 2.0, 1.5);
    EXPECT_EXACT(SRT_OP_MOD, 6.0, 3.0, 0.0);
    EXPECT_EXACT(SRT_OP_MOD, -6.0, 3.0, 0.0);   /* copysign(0, 3) */
    EXPECT_EXACT(SRT_OP_MOD, 6.0, -3.0, -0.0);  /* copysign(0, -3) */
    EXPECT_EXACT(SRT_OP_MOD, 1.0, 0.0, nan);
    EXPECT_EXACT(SRT_OP_MOD, 1.0, inf, nan);
    /* mod(-1e-30, 1): r + y rounds to 1 in either precision, as Julia */
    EXPECT_EXACT(SRT_OP_MOD, -1e-30, 1.0, 1.0);
    /* comparisons: (x > y) * one(x) */
    EXPECT_EXACT(SRT_OP_GREATER, 2.0, 1.0, 1.0);
    EXPECT_EXACT(SRT_OP_GREATER, 1.0, 1.0, 0.0);
    EXPECT_EXACT(SRT_OP_GREATER_EQUAL, 1.0, 1.0, 1.0);
    EXPECT_EXACT(SRT_OP_GREATER_EQUAL, 0.5, 1.0, 0.0);
    EXPECT_EXACT(SRT_OP_LESS, 1.0, 2.0, 1.0);
    EXPECT_EXACT(SRT_OP_LESS, 2.0, 2.0, 0.0);
    EXPECT_EXACT(SRT_OP_LESS_EQUAL, 2.0, 2.0, 1.0);
    EXPECT_EXACT(SRT_OP_LESS_EQUAL, 3.0, 2.0, 0.0);
    EXPECT_EXACT(SRT_OP_GREATER, nan, 1.0, nan);
    EXPECT_EXACT(SRT_OP_LESS, 1.0, inf, nan);
    /* cond(x, y) = (x > 0) * y, Julia's Bool * y = copysign(0, y) when false */
    EXPECT_EXACT(SRT_OP_COND, 1.0, 3.0, 3.0);
    EXPECT_EXACT(SRT_OP_COND, 0.0, 3.0, 0.0);
    EXPECT_EXACT(SRT_OP_COND, -1.0, -3.0, -0.0);
    EXPECT_EXACT(SRT_OP_COND, 1.0, nan, nan);
    EXPECT_EXACT(SRT_OP_COND, -1.0, inf, nan);
    /* logical_or / logical_and on x > 0 */
    EXPECT_EXACT(SRT_OP_LOGICAL_OR, 1.0, -1.0, 1.0);
    EXPECT_EXACT(SRT_OP_LOGICAL_OR, -1.0, 0.0, 0.0);
    EXPECT_EXACT(SRT_OP_LOGICAL_OR, 0.0, 0.5, 1.0);
    EXPECT_EXACT(SRT_OP_LOGICAL_AND, 1.0, 2.0, 1.0);
    EXPECT_EXACT(SRT_OP_LOGICAL_AND, 1.0, 0.0, 0.0);
    EXPECT_EXACT(SRT_OP_LOGICAL_AND, inf, 1.0, nan);
}

static void unary_operators_follow_julia(void)
{
    const double nan = NAN, inf = INFINITY;
    EXPECT_EXACT(SRT_OP_CBRT, -8.0, 0, -2.0);
    EXPECT_EXACT(SRT_OP_CBRT, 27.0, 0, 3.0);
    EXPECT_EXACT(SRT_OP_SIGN, -3.0, 0, -1.0);
    EXPECT_EXACT(SRT_OP_SIGN, 2.5, 0, 1.0);
    EXPECT_EXACT(SRT_OP_SIGN, 0.0, 0, 0.0);
    EXPECT_EXACT(SRT_OP_SIGN, -0.0, 0, -0.0);
    EXPECT_EXACT(SRT_OP_SIGN, inf, 0, nan);
    EXPECT_EXACT(SRT_OP_INV, 4.0, 0, 0.25);
    EXPECT_EXACT(SRT_OP_INV, 0.0, 0, inf);
    EXPECT_EXACT(SRT_OP_INV, -0.0, 0, -inf);
    EXPECT_EXACT(SRT_OP_INV, inf, 0, nan);
    /* safe_log10 / safe_log2 / safe_log1p: NaN outside the domain, 0 included */
    EXPECT_EXACT(SRT_OP_LOG10, 1000.0, 0, 3.0);
    EXPECT_EXACT(SRT_OP_LOG10, 0.0, 0, nan);
    EXPECT_EXACT(SRT_OP_LOG10, -1.0, 0, nan);
    EXPECT_EXACT(SRT_OP_LOG2, 8.0, 0, 3.0);
    EXPECT_EXACT(SRT_OP_LOG2, 0.0, 0, nan);
    EXPECT_EXACT(SRT_OP_LOG1P, 0.0, 0, 0.0);
    EXPECT_EXACT(SRT_OP_LOG1P, -1.0, 0, nan);
    EXPECT_EXACT(SRT_OP_LOG1P, -2.0, 0, nan);
    EXPECT_NEAR(SRT_OP_LOG1P, 1.0, 0.69314718055994531);
    EXPECT_EXACT(SRT_OP_ASINH, 0.0, 0, 0.0);
    EXPECT_NEAR(SRT_OP_ASINH, 1.0, 0.88137358701954303);
    EXPECT_NEAR(SRT_OP_ASINH, -1.0, -0.88137358701954303);
    /* safe_acosh: x >= 1; safe_atanh: -1 <= x <= 1 (atanh(1) = Inf) */
    EXPECT_EXACT(SRT_OP_ACOSH, 1.0, 0, 0.0);
    EXPECT_EXACT(SRT_OP_ACOSH, 0.5, 0, nan);
    EXPECT_NEAR(SRT_OP_ACOSH, 2.0, 1.3169578969248166);
    EXPECT_NEAR(SRT_OP_ATANH, 0.5, 0.54930614433405485);
    EXPECT_EXACT(SRT_OP_ATANH, 1.0, 0, inf);
    EXPECT_EXACT(SRT_OP_ATANH, -1.0, 0, -inf);
    EXPECT_EXACT(SRT_OP_ATANH, 1.5, 0, nan);
    /* erf / erfc at known values; erf(Inf) would hide an Inf: NaN */
    EXPECT_EXACT(SRT_OP_ERF, 0.0, 0, 0.0);
    EXPECT_NEAR(SRT_OP_ERF, 1.0, 0.84270079294971487);
    EXPECT_NEAR(SRT_OP_ERF, -0.5, -0.52049987781304654);
    EXPECT_NEAR(SRT_OP_ERFC, 1.0, 0.15729920705028513);
    EXPECT_EXACT(SRT_OP_ERFC, 0.0, 0, 1.0);
    EXPECT_EXACT(SRT_OP_ERF, inf, 0, nan);
    EXPECT_EXACT(SRT_OP_ERFC, -inf, 0, nan);
    /* gamma: SR.jl's, NaN where SpecialFunctions' is infinite (0, overflow)
     * and at the poles */
    EXPECT_EXACT(SRT_OP_GAMMA, 5.0, 0, 24.0);
    EXPECT_EXACT(SRT_OP_GAMMA, 1.0, 0, 1.0);
    EXPECT_NEAR(SRT_OP_GAMMA, 0.5, 1.7724538509055160);   /* sqrt(pi) */
    EXPECT_NEAR(SRT_OP_GAMMA, -0.5, -3.5449077018110321); /* -2 sqrt(pi) */
    EXPECT_NEAR(SRT_OP_GAMMA, 1.5, 0.88622692545275801);
    EXPECT_EXACT(SRT_OP_GAMMA, 0.0, 0, nan);
    EXPECT_EXACT(SRT_OP_GAMMA, -0.0, 0, nan);
    EXPECT_EXACT(SRT_OP_GAMMA, -1.0, 0, nan);
    EXPECT_EXACT(SRT_OP_GAMMA, -2.0, 0, nan);
    EXPECT_EXACT(SRT_OP_GAMMA, 200.0, 0, nan);
    EXPECT_EXACT(SRT_OP_GAMMA, inf, 0, nan);
    /* Gamma(36) ~ 1.03e40: finite in Float64, Inf (so NaN) in Float32 */
    CU_ASSERT(isfinite(ap(SRT_OP_GAMMA, 36.0, 0)));
    CU_ASSERT(isnan(apf(SRT_OP_GAMMA, 36.0f, 0)));
    /* relu(x) = (x > 0) * x: -0.0 for a negative x, as Julia */
    EXPECT_EXACT(SRT_OP_RELU, 2.0, 0, 2.0);
    EXPECT_EXACT(SRT_OP_RELU, -2.0, 0, -0.0);
    EXPECT_EXACT(SRT_OP_RELU, 0.0, 0, 0.0);
    EXPECT_EXACT(SRT_OP_RELU, -inf, 0, nan);
    /* sinc: Julia's normalised sin(pi x) / (pi x) */
    EXPECT_EXACT(SRT_OP_SINC, 0.0, 0, 1.0);
    EXPECT_EXACT(SRT_OP_SINC, 1.0, 0, 0.0);
    EXPECT_EXACT(SRT_OP_SINC, -3.0, 0, 0.0);
    EXPECT_NEAR(SRT_OP_SINC, 0.5, 0.63661977236758134);  /* 2 / pi */
    EXPECT_NEAR(SRT_OP_SINC, 2.5, 0.12732395447351627);  /* 1 / (2.5 pi) */
    EXPECT_NEAR(SRT_OP_SINC, -1.5, -0.21220659078919378); /* -1 / (1.5 pi) */
    EXPECT_NEAR(SRT_OP_SINC, 1e-4, 1.0 - (PI * 1e-4) * (PI * 1e-4) / 6.0);
    EXPECT_EXACT(SRT_OP_SINC, inf, 0, nan);
    /* round: ties to even; floor; ceil */
    EXPECT_EXACT(SRT_OP_ROUND, 0.5, 0, 0.0);
    EXPECT_EXACT(SRT_OP_ROUND, 1.5, 0, 2.0);
    EXPECT_EXACT(SRT_OP_ROUND, 2.5, 0, 2.0);
    EXPECT_EXACT(SRT_OP_ROUND, -0.5, 0, -0.0);
    EXPECT_EXACT(SRT_OP_ROUND, -1.5, 0, -2.0);
    EXPECT_EXACT(SRT_OP_ROUND, 2.6, 0, 3.0);
    EXPECT_EXACT(SRT_OP_FLOOR, -1.5, 0, -2.0);
    EXPECT_EXACT(SRT_OP_FLOOR, 1.5, 0, 1.0);
    EXPECT_EXACT(SRT_OP_CEIL, -1.5, 0, -1.0);
    EXPECT_EXACT(SRT_OP_CEIL, 1.25, 0, 2.0);
    EXPECT_EXACT(SRT_OP_CEIL, -0.5, 0, -0.0);
}

/* Every operator of the engine, by name, with its aliases. */
static void names_aliases_and_julia_spelling(void)
{
    static const char *const bin[] = {"max", "min", "mod", "greater", "less", "greater_equal",
                                      "less_equal", "cond", "logical_or", "logical_and"};
    static const char *const una[] = {"cbrt", "sign", "inv", "log10", "log2", "log1p",
                                      "asinh", "acosh", "atanh", "erf", "erfc", "gamma",
                                      "relu", "sinc", "round", "floor", "ceil"};
    srt_op_t op;
    for (size_t i = 0; i < sizeof bin / sizeof *bin; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_op_lookup(bin[i], &op), SRT_OK);
        CU_ASSERT_EQUAL(srt_op_arity(op), 2);
        CU_ASSERT_STRING_EQUAL(srt_op_name(op), bin[i]);
    }
    for (size_t i = 0; i < sizeof una / sizeof *una; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_op_lookup(una[i], &op), SRT_OK);
        CU_ASSERT_EQUAL(srt_op_arity(op), 1);
        CU_ASSERT_STRING_EQUAL(srt_op_name(op), una[i]);
    }
    static const struct {
        const char *alias;
        srt_op_t op;
    } al[] = {{">", SRT_OP_GREATER},        {"<", SRT_OP_LESS},
              {">=", SRT_OP_GREATER_EQUAL}, {"<=", SRT_OP_LESS_EQUAL},
              {"ceiling", SRT_OP_CEIL}};
    for (size_t i = 0; i < sizeof al / sizeof *al; i++) {
        CU_ASSERT_EQUAL(srt_op_lookup(al[i].alias, &op), SRT_OK);
        CU_ASSERT_EQUAL(op, al[i].op);
    }
    /* the Julia export writes the comparisons as SR.jl's binopmap reads them */
    CU_ASSERT_STRING_EQUAL(srt_op_julia_name(SRT_OP_GREATER), ">");
    CU_ASSERT_STRING_EQUAL(srt_op_julia_name(SRT_OP_LESS_EQUAL), "<=");
    CU_ASSERT_STRING_EQUAL(srt_op_julia_name(SRT_OP_MAX), "max");
    CU_ASSERT_STRING_EQUAL(srt_op_julia_name(SRT_OP_GAMMA), "gamma");
}

/* A user may list every operator: the options hold them all and check. */
static void every_operator_fits_the_option_lists(void)
{
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.n_binops = o.n_unaops = 0;
    for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
        if (srt_op_arity((srt_op_t)i) == 2) {
            CU_ASSERT_FATAL(o.n_binops < SRT_SR_MAX_BINOPS);
            o.binops[o.n_binops++] = (uint8_t)i;
        } else {
            CU_ASSERT_FATAL(o.n_unaops < SRT_SR_MAX_UNAOPS);
            o.unaops[o.n_unaops++] = (uint8_t)i;
        }
    }
    CU_ASSERT_EQUAL(o.n_binops, 15);
    CU_ASSERT_EQUAL(o.n_unaops, 33);
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_OK);
}

/* ---- block evaluator == one-row evaluator, bit for bit ---- */

#define NR 600 /* two full blocks and a tail */

static double d0[NR], d1[NR];
static float f0[NR], f1[NR];

/* Values inside and outside every domain: negatives, zeros of both signs,
 * ties, integers, domain edges, large and small, Inf and NaN. */
static void make_mixed(void)
{
    static const double special[] = {0.0,  -0.0, 0.5,  -0.5, 1.5,   2.5,  -1.5, 1.0,   -1.0,
                                     2.0,  -2.0, 3.0,  -3.0, 1e-4,  -1e-4, 1e-30, 36.0, 200.0,
                                     -7.5, 0.999, 1.001, -0.999, 1e300, -1e300, INFINITY,
                                     -INFINITY, NAN};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 11);
    size_t ns = sizeof special / sizeof *special;
    for (int i = 0; i < NR; i++) {
        double u = srt_sr__rng_uniform(&r), v = srt_sr__rng_uniform(&r);
        d0[i] = i % 5 == 0 ? special[(size_t)i / 5 % ns] : 8.0 * u - 4.0;
        d1[i] = i % 7 == 0 ? special[(size_t)i / 7 % ns] : 8.0 * v - 4.0;
        f0[i] = (float)d0[i];
        f1[i] = (float)d1[i];
    }
}

/* Per-node values (srt_sr__eval_nodes: vector loops, no NaN check) of op(x0)
 * and op(x0, x1) against the scalar operator, row by row. */
static void node_loops_match_the_scalar_operator(void)
{
    make_mixed();
    srt_expr_t e;
    srt_expr_init(&e);
    double *vals = malloc(3 * SRT_EVAL_BLOCK * sizeof *vals);
    float *vals32 = malloc(3 * SRT_EVAL_BLOCK * sizeof *vals32);
    const double *c64[2] = {d0, d1};
    const float *c32[2] = {f0, f1};
    for (int op = SRT_OP_ADD; op < SRT_OP_COUNT; op++) {
        int a = srt_op_arity((srt_op_t)op);
        e.len = 0;
        srt_expr_push_feature(&e, 0);
        if (a == 2)
            srt_expr_push_feature(&e, 1);
        srt_expr_push_op(&e, (srt_op_t)op);
        int bad = 0, bad32 = 0;
        for (size_t row0 = 0; row0 < NR; row0 += SRT_EVAL_BLOCK) {
            size_t n = NR - row0 < SRT_EVAL_BLOCK ? NR - row0 : SRT_EVAL_BLOCK;
            srt_sr__eval_nodes(&e, c64, row0, n, vals);
            srt_sr__eval_nodes_f32(&e, c32, row0, n, vals32);
            const double *root = vals + (size_t)(e.len - 1) * SRT_EVAL_BLOCK;
            const float *root32 = vals32 + (size_t)(e.len - 1) * SRT_EVAL_BLOCK;
            for (size_t j = 0; j < n; j++) {
                /* sin cos exp log use vectorised kernels within ULPs of libm */
                if (op == SRT_OP_SIN || op == SRT_OP_COS || op == SRT_OP_EXP || op == SRT_OP_LOG)
                    continue;
                double want = ap((srt_op_t)op, d0[row0 + j], d1[row0 + j]);
                float want32 = apf((srt_op_t)op, f0[row0 + j], f1[row0 + j]);
                bad += !same_d(root[j], want);
                bad32 += !same_f(root32[j], want32);
            }
        }
        if (bad || bad32)
            fprintf(stderr, "%s: %d / %d rows differ\n", srt_op_name((srt_op_t)op), bad, bad32);
        CU_ASSERT_EQUAL(bad, 0);
        CU_ASSERT_EQUAL(bad32, 0);
    }
    free(vals);
    free(vals32);
    srt_expr_fini(&e);
}

/* Builds one operand shape around op (x: feature 0, y: feature 1, c: 0.75):
 * 0 op(x, c), 1 op(c, x), 2 op(x, x), 3 op(x + y, c) (in place), 4 op(x + y,
 * y) (in place), 5 op(c, c) then + x, 6 op(x + c) / op(x * y) for unary. */
static void build_shape(srt_expr_t *e, srt_op_t op, int shape, double c)
{
    e->len = 0;
    if (srt_op_arity(op) == 1) {
        srt_expr_push_feature(e, 0);
        if (shape % 2) {
            srt_expr_push_feature(e, 1);
            srt_expr_push_op(e, SRT_OP_MUL);
        } else {
            srt_expr_push_const(e, c);
            srt_expr_push_op(e, SRT_OP_ADD);
        }
        srt_expr_push_op(e, op);
        if (shape >= 4) { /* a unary of a constant, folded to a scalar: op(c) + x */
            e->len = 0;
            srt_expr_push_const(e, c);
            srt_expr_push_op(e, op);
            srt_expr_push_feature(e, 0);
            srt_expr_push_op(e, SRT_OP_ADD);
        }
        return;
    }
    switch (shape) {
    case 0: srt_expr_push_feature(e, 0); srt_expr_push_const(e, c); break;
    case 1: srt_expr_push_const(e, c); srt_expr_push_feature(e, 0); break;
    case 2: srt_expr_push_feature(e, 0); srt_expr_push_feature(e, 0); break;
    case 3:
        srt_expr_push_feature(e, 0);
        srt_expr_push_feature(e, 1);
        srt_expr_push_op(e, SRT_OP_ADD);
        srt_expr_push_const(e, c);
        break;
    case 4:
        srt_expr_push_feature(e, 0);
        srt_expr_push_feature(e, 1);
        srt_expr_push_op(e, SRT_OP_ADD);
        srt_expr_push_feature(e, 1);
        break;
    case 5:
        srt_expr_push_const(e, c);
        srt_expr_push_const(e, 0.5 * c + 0.25);
        srt_expr_push_op(e, op);
        srt_expr_push_feature(e, 0);
        srt_expr_push_op(e, SRT_OP_ADD);
        return;
    default:
        srt_expr_push_feature(e, 1);
        srt_expr_push_feature(e, 0);
        srt_expr_push_op(e, SRT_OP_MUL);
        srt_expr_push_feature(e, 0);
        break;
    }
    srt_expr_push_op(e, op);
}

/* srt_expr_eval / srt_expr_eval_f32 over whole blocks (every operand shape:
 * vector-vector, vector-scalar, scalar-vector, in place, scalar-scalar)
 * against the one-row evaluators, on data inside the domains (where the
 * evaluation succeeds it must give the one-row bits). */
static void block_evaluator_matches_point_evaluator_for_every_operator(void)
{
    static const double ranges[][2] = {{0.05, 0.95}, {1.05, 3.0}, {-3.0, 3.0}};
    static const double consts[] = {0.75, -1.25, 2.0};
    double x[2], out[NR];
    float xf[2], out32[NR];
    const double *c64[2] = {d0, d1};
    const float *c32[2] = {f0, f1};
    srt_expr_t e;
    srt_expr_init(&e);
    int compared = 0;
    for (int op = SRT_OP_ADD; op < SRT_OP_COUNT; op++) {
        if (op == SRT_OP_SIN || op == SRT_OP_COS || op == SRT_OP_EXP || op == SRT_OP_LOG)
            continue; /* vectorised kernels: within ULPs, tested in test_sr_tree */
        int ok_op = 0;
        for (size_t rg = 0; rg < 3; rg++) {
            srt_sr__rng_t r;
            srt_sr__rng_seed(&r, 100 + rg);
            for (int i = 0; i < NR; i++) {
                d0[i] = ranges[rg][0] + (ranges[rg][1] - ranges[rg][0]) * srt_sr__rng_uniform(&r);
                d1[i] = ranges[rg][0] + (ranges[rg][1] - ranges[rg][0]) * srt_sr__rng_uniform(&r);
                if (i % 9 == 0)
                    d0[i] = round(d0[i] * 2.0) / 2.0; /* ties and integers */
                f0[i] = (float)d0[i];
                f1[i] = (float)d1[i];
            }
            for (int shape = 0; shape < 7; shape++) {
                build_shape(&e, (srt_op_t)op, shape, consts[(size_t)shape % 3]);
                if (srt_expr_eval(&e, c64, NR, out) == SRT_OK) {
                    int bad = 0;
                    for (int i = 0; i < NR; i++) {
                        x[0] = d0[i];
                        x[1] = d1[i];
                        bad += !same_d(out[i], srt_expr_eval_point(&e, x));
                    }
                    CU_ASSERT_EQUAL(bad, 0);
                    if (bad)
                        fprintf(stderr, "%s shape %d: %d rows differ\n",
                                srt_op_name((srt_op_t)op), shape, bad);
                    ok_op = 1;
                    compared++;
                }
                srt_expr_t e32;
                srt_expr_init(&e32);
                srt_expr_copy(&e32, &e);
                srt_sr__consts_to_f32(&e32);
                if (srt_expr_eval_f32(&e32, c32, NR, out32) == SRT_OK) {
                    int bad = 0;
                    for (int i = 0; i < NR; i++) {
                        xf[0] = f0[i];
                        xf[1] = f1[i];
                        bad += !same_f(out32[i], srt_sr__eval_point_f32(&e32, xf));
                    }
                    CU_ASSERT_EQUAL(bad, 0);
                    if (bad)
                        fprintf(stderr, "f32 %s shape %d: %d rows differ\n",
                                srt_op_name((srt_op_t)op), shape, bad);
                    compared++;
                }
                srt_expr_fini(&e32);
            }
        }
        if (!ok_op)
            fprintf(stderr, "%s: no shape evaluated\n", srt_op_name((srt_op_t)op));
        CU_ASSERT(ok_op);
    }
    CU_ASSERT(compared > 400);
    srt_expr_fini(&e);
}

/* Random trees over every new operator (and the exactly rounded old ones):
 * whole-data evaluation equals the one-row evaluator, both precisions. */
static void random_trees_of_new_operators_match_point_evaluator(void)
{
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.maxsize = 20;
    o.maxdepth = 20;
    o.n_binops = o.n_unaops = 0;
    for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
        if (i == SRT_OP_SIN || i == SRT_OP_COS || i == SRT_OP_EXP || i == SRT_OP_LOG)
            continue;
        if (srt_op_arity((srt_op_t)i) == 2)
            o.binops[o.n_binops++] = (uint8_t)i;
        else
            o.unaops[o.n_unaops++] = (uint8_t)i;
    }
    srt_sr__gen_t gen;
    srt_sr__gen_init(&gen, &o, 2);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 77);
    for (int i = 0; i < NR; i++) {
        d0[i] = 3.0 * srt_sr__rng_uniform(&r) - 1.0;
        d1[i] = 3.0 * srt_sr__rng_uniform(&r) - 1.0;
        f0[i] = (float)d0[i];
        f1[i] = (float)d1[i];
    }
    const double *c64[2] = {d0, d1};
    const float *c32[2] = {f0, f1};
    double out[NR], x[2];
    float out32[NR], xf[2];
    srt_expr_t e;
    srt_expr_init(&e);
    int checked = 0, checked32 = 0, bad = 0, bad32 = 0;
    for (int t = 0; t < 1500; t++) {
        CU_ASSERT_EQUAL_FATAL(srt_sr__random_tree_fixed_size(&gen, &r, 2 + t % 18, &e), SRT_OK);
        if (srt_expr_eval(&e, c64, NR, out) == SRT_OK) {
            checked++;
            for (int i = 0; i < NR; i++) {
                x[0] = d0[i];
                x[1] = d1[i];
                bad += !same_d(out[i], srt_expr_eval_point(&e, x));
            }
        }
        srt_sr__consts_to_f32(&e);
        if (srt_expr_eval_f32(&e, c32, NR, out32) == SRT_OK) {
            checked32++;
            for (int i = 0; i < NR; i++) {
                xf[0] = f0[i];
                xf[1] = f1[i];
                bad32 += !same_f(out32[i], srt_sr__eval_point_f32(&e, xf));
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(bad32, 0);
    CU_ASSERT(checked > 200);
    CU_ASSERT(checked32 > 200);
    srt_expr_fini(&e);
}

/* The constant optimiser's exact gradient of op(c0 * x + c1) and
 * op(c0 * x, c1) (and op(c1, c0 * x)) against central differences. */
static void gradient_of_new_operators_matches_finite_differences(void)
{
    enum { N = 200 };
    static double xs[N], ys[N];
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 3);
    for (int i = 0; i < N; i++) {
        xs[i] = 0.1 + 0.8 * srt_sr__rng_uniform(&r);
        ys[i] = 0.3 + xs[i] * xs[i];
    }
    const double *cl[1] = {xs};
    srt_sr__evalset_t set = {cl, ys, N, NULL, NULL};
    srt_expr_t e;
    srt_expr_init(&e);
    int checked = 0;
    for (int op = SRT_OP_MAX; op < SRT_OP_COUNT; op++) {
        for (int form = 0; form < 2; form++) {
            e.len = 0;
            srt_expr_push_const(&e, 0.9);
            srt_expr_push_feature(&e, 0);
            srt_expr_push_op(&e, SRT_OP_MUL);
            srt_expr_push_const(&e, op == SRT_OP_ACOSH ? 1.2 : 0.05);
            if (srt_op_arity((srt_op_t)op) == 2) {
                srt_expr_push_op(&e, (srt_op_t)op);
                if (form) { /* swap: op(c1, c0 * x) */
                    e.len = 0;
                    srt_expr_push_const(&e, 0.05);
                    srt_expr_push_const(&e, 0.9);
                    srt_expr_push_feature(&e, 0);
                    srt_expr_push_op(&e, SRT_OP_MUL);
                    srt_expr_push_op(&e, (srt_op_t)op);
                }
            } else {
                if (form)
                    continue;
                srt_expr_push_op(&e, SRT_OP_ADD);
                srt_expr_push_op(&e, (srt_op_t)op);
            }
            double f0v = srt_sr__mse(&e, cl, ys, N);
            if (!isfinite(f0v))
                continue;
            double *work = malloc(srt_sr__mse_grad_work(&e) * sizeof *work);
            double grad[4];
            double f = srt_sr__mse_grad(&e, &set, grad, work);
            free(work);
            SRT_ASSERT_CLOSE(f, f0v, 1e-12);
            uint32_t k = 0;
            for (uint32_t i = 0; i < e.len; i++) {
                if (e.nodes[i].op != SRT_OP_CONST)
                    continue;
                double v = e.nodes[i].value, h = 1e-6;
                e.nodes[i].value = v + h;
                double fp = srt_sr__mse(&e, cl, ys, N);
                e.nodes[i].value = v - h;
                double fm = srt_sr__mse(&e, cl, ys, N);
                e.nodes[i].value = v;
                double fd = (fp - fm) / (2 * h);
                /* piecewise-constant operators: a step inside (x0 - h, x0 + h)
                 * makes the difference meaningless; only flat or smooth cases */
                if (fabs(grad[k] - fd) > 1e-4 * fmax(1.0, fabs(fd))) {
                    int stepped = op == SRT_OP_ROUND || op == SRT_OP_FLOOR || op == SRT_OP_CEIL ||
                                  op == SRT_OP_SIGN || (op >= SRT_OP_GREATER && op <= SRT_OP_LOGICAL_AND) ||
                                  op == SRT_OP_MOD || op == SRT_OP_MAX || op == SRT_OP_MIN;
                    if (!stepped) {
                        char *s = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
                        fprintf(stderr, "grad %u of %s: %g vs %g\n", k, s, grad[k], fd);
                        free(s);
                        CU_FAIL("gradient differs from finite differences");
                    }
                }
                k++;
            }
            checked++;
        }
    }
    CU_ASSERT(checked >= 25);
    srt_expr_fini(&e);
}

static void check_print(const char *postfix, const char *pysr, const char *sympy)
{
    srt_expr_t e;
    srt_expr_init(&e);
    char buf[256];
    snprintf(buf, sizeof buf, "%s", postfix);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        srt_op_t op;
        if (tok[0] == 'x')
            srt_expr_push_feature(&e, (uint16_t)atoi(tok + 1));
        else if (srt_op_lookup(tok, &op) == SRT_OK)
            srt_expr_push_op(&e, op);
        else
            srt_expr_push_const(&e, strtod(tok, NULL));
    }
    CU_ASSERT_FATAL(srt_expr_is_valid(&e, 4));
    char *p = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
    char *s = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_SYMPY);
    CU_ASSERT_STRING_EQUAL(p, pysr);
    CU_ASSERT_STRING_EQUAL(s, sympy);
    if (strcmp(p, pysr) || strcmp(s, sympy))
        fprintf(stderr, "%s: got %s | %s\n", postfix, p, s);
    free(p);
    free(s);
    srt_expr_fini(&e);
}

static void operators_print_in_pysr_and_sympy_style(void)
{
    check_print("x0 x1 max", "max(x0, x1)", "Max(x0, x1)");
    check_print("x0 2.5 min", "min(x0, 2.5)", "Min(x0, 2.5)");
    check_print("x0 x1 + 3 mod", "mod((x0 + x1), 3)", "Mod((x0 + x1), 3)");
    check_print("x0 x1 >", "greater(x0, x1)", "Piecewise((1, x0 > x1), (0, True))");
    check_print("x0 x1 less_equal", "less_equal(x0, x1)", "Piecewise((1, x0 <= x1), (0, True))");
    check_print("x0 x1 cond", "cond(x0, x1)", "Piecewise((x1, x0 > 0), (0, True))");
    check_print("x0 x1 logical_or", "logical_or(x0, x1)",
                "Piecewise((1, (x0 > 0) | (x1 > 0)), (0, True))");
    check_print("x0 cbrt", "cbrt(x0)", "real_root(x0, 3)");
    check_print("x0 inv", "inv(x0)", "(1/x0)");
    check_print("x0 log10", "log10(x0)", "log(x0, 10)");
    check_print("x0 log1p", "log1p(x0)", "log(1 + x0)");
    check_print("x0 gamma", "gamma(x0)", "gamma(x0)");
    check_print("x0 relu", "relu(x0)", "Max(0, x0)");
    check_print("x0 round", "round(x0)",
                "Lambda(_t, Piecewise((floor(_t + 1/2) - 1, Eq(Mod(_t + 1/2, 2), 1)), "
                "(floor(_t + 1/2), True)))(x0)");
    check_print("x0 sinc", "sinc(x0)", "sinc(pi*x0)");
    check_print("x0 ceil", "ceil(x0)", "ceiling(x0)");
    check_print("x0 -2 + floor", "floor((x0 + -2))", "floor((x0 + (-2)))");
}

/* 1 when every node of e is finite at x: SR.jl evaluates only such trees
 * (DynamicExpressions stops at the first non-finite node); the engine checks
 * the root, and an older operator can hide an Inf (tanh(inv(0)) = 1). */
static int all_nodes_finite(const srt_expr_t *e, const double *x)
{
    double st[64];
    uint32_t sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *n = &e->nodes[i];
        int a = srt_op_arity((srt_op_t)n->op);
        if (a == 0) {
            st[sp++] = n->op == SRT_OP_CONST ? n->value : x[n->feature];
        } else if (a == 1) {
            st[sp - 1] = srt_op_apply((srt_op_t)n->op, st[sp - 1], 0);
        } else {
            st[sp - 2] = srt_op_apply((srt_op_t)n->op, st[sp - 2], st[sp - 1]);
            sp--;
        }
        if (!isfinite(st[sp - 1]))
            return 0;
    }
    return 1;
}

/* The sympy round trip: random trees over every operator, printed with
 * --sympy's style, parsed by sympy and evaluated at points where the engine
 * evaluated them (tests/unit/sympy_ops_check.py). */
static void sympy_forms_evaluate_as_the_engine(void)
{
    const char *py = getenv("SRTUNE_PYTHON") ? getenv("SRTUNE_PYTHON") : "/usr/bin/python3";
    char probe[512];
    snprintf(probe, sizeof probe, "%s -c 'import sympy' >/dev/null 2>&1", py);
    if (system(probe) != 0) {
        fprintf(stderr, "SKIPPED sympy_forms_evaluate_as_the_engine: no python3 with sympy\n");
        return;
    }
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.maxsize = 9;
    o.maxdepth = 9;
    o.n_binops = o.n_unaops = 0;
    for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
        if (srt_op_arity((srt_op_t)i) == 2)
            o.binops[o.n_binops++] = (uint8_t)i;
        else
            o.unaops[o.n_unaops++] = (uint8_t)i;
    }
    srt_sr__gen_t gen;
    srt_sr__gen_init(&gen, &o, 2);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 2026);
    char path[1024];
    snprintf(path, sizeof path, "%s/ops_sympy.tsv", srt_test_tmpdir());
    FILE *f = fopen(path, "w");
    CU_ASSERT_FATAL(f != NULL);
    srt_expr_t e;
    srt_expr_init(&e);
    int used[SRT_OP_COUNT] = {0}, lines = 0;
    for (int t = 0; t < 6000 && lines < 1500; t++) {
        CU_ASSERT_EQUAL_FATAL(srt_sr__random_tree_fixed_size(&gen, &r, 2 + t % 7, &e), SRT_OK);
        char *s = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_SYMPY);
        int wrote = 0;
        for (int k = 0; k < 3; k++) {
            double x[2] = {4.0 * srt_sr__rng_uniform(&r) - 1.5, 4.0 * srt_sr__rng_uniform(&r) - 1.5};
            double v = srt_expr_eval_point(&e, x);
            if (!isfinite(v) || fabs(v) > 1e12 || !all_nodes_finite(&e, x))
                continue;
            fprintf(f, "%s\t%.17g\t%.17g\t%.17g\n", s, x[0], x[1], v);
            wrote = 1;
            lines++;
        }
        if (wrote)
            for (uint32_t i = 0; i < e.len; i++)
                used[e.nodes[i].op]++;
        free(s);
    }
    fclose(f);
    for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
        if (!used[i])
            fprintf(stderr, "operator %s not in a sympy case\n", srt_op_name((srt_op_t)i));
        CU_ASSERT(used[i] > 0);
    }
    char *script = srt_test_source_path("tests/unit/sympy_ops_check.py");
    char cmd[3072];
    snprintf(cmd, sizeof cmd, "%s %s %s", py, script, path);
    int rc = system(cmd);
    CU_ASSERT_EQUAL(rc, 0);
    free(script);
    srt_expr_fini(&e);
}

static char *slurp(const char *dir, const char *name)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 20);
    size_t n = buf ? fread(buf, 1, (1 << 20) - 1, f) : 0;
    (void)n;
    fclose(f);
    return buf;
}

/* A search over every operator, stopped twice (checkpointed with the new
 * operators in its trees) and resumed, writes the hall of fame of the
 * uninterrupted run, in both precisions. */
static void search_with_every_operator_resumes_to_the_same_front(void)
{
    enum { N = 80 };
    static double xa[N], xb[N], y[N];
    for (int i = 0; i < N; i++) {
        xa[i] = -2.0 + 4.0 * i / (N - 1);
        xb[i] = cos(1.7 * i);
        y[i] = fmax(xa[i], xb[i]) + erf(xa[i]) * (xa[i] > 0);
    }
    const double *cl[2] = {xa, xb};
    srt_sr_data_t d = {cl, y, N, 2, NULL};
    for (long prec = 32; prec <= 64; prec += 32) {
        srt_sr_options_t o;
        srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
        o.n_binops = o.n_unaops = 0;
        for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
            if (srt_op_arity((srt_op_t)i) == 2)
                o.binops[o.n_binops++] = (uint8_t)i;
            else
                o.unaops[o.n_unaops++] = (uint8_t)i;
        }
        o.precision = prec;
        o.niterations = 2;
        o.populations = 3;
        o.population_size = 12;
        o.ncycles_per_iteration = 20;
        o.maxsize = 15;
        char a[1100], b[1100];
        snprintf(a, sizeof a, "%s/whole%ld", srt_test_tmpdir(), prec);
        snprintf(b, sizeof b, "%s/resumed%ld", srt_test_tmpdir(), prec);
        srt_sr_run_params_t quiet = {1, 0, 0, 0};
        CU_ASSERT_EQUAL_FATAL(srt_sr_run_ex(&o, &d, 5, a, NULL, &quiet, NULL, NULL), SRT_OK);
        long stops[] = {2, 4};
        for (int k = 0; k < 2; k++) {
            srt_sr_run_params_t p = {1, 0, stops[k], 0};
            CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 5, b, NULL, &p, NULL, NULL),
                            SRT_ERR_INTERRUPTED);
        }
        CU_ASSERT_EQUAL_FATAL(srt_sr_run_ex(&o, &d, 5, b, NULL, &quiet, NULL, NULL), SRT_OK);
        char *ha = slurp(a, SRT_SR_HOF_FILE), *hb = slurp(b, SRT_SR_HOF_FILE);
        CU_ASSERT_FATAL(ha && hb);
        CU_ASSERT_STRING_EQUAL(ha, hb);
        CU_ASSERT(strchr(ha, '\n') != NULL);
        free(ha);
        free(hb);
    }
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"binary operators follow Julia", binary_operators_follow_julia},
        {"unary operators follow Julia", unary_operators_follow_julia},
        {"names, aliases and Julia spelling", names_aliases_and_julia_spelling},
        {"every operator fits the option lists", every_operator_fits_the_option_lists},
        {"node loops match the scalar operator", node_loops_match_the_scalar_operator},
        {"block evaluator matches point evaluator for every operator",
         block_evaluator_matches_point_evaluator_for_every_operator},
        {"random trees of new operators match point evaluator",
         random_trees_of_new_operators_match_point_evaluator},
        {"gradient of new operators matches finite differences",
         gradient_of_new_operators_matches_finite_differences},
        {"operators print in PySR and sympy style", operators_print_in_pysr_and_sympy_style},
        {"sympy forms evaluate as the engine", sympy_forms_evaluate_as_the_engine},
        {"search with every operator resumes to the same front",
         search_with_every_operator_resumes_to_the_same_front},
        {NULL, NULL}};
    return srt_test_main("sr_ops", cases);
}
