/*
 * Unit tests of the SR engine's expression machinery: the evaluator against
 * the point evaluator, mutations and crossover (property tests over
 * thousands of random trees), simplification, and the gradient used by the
 * constant optimiser.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define NF 3
#define NROWS 300

static double cols_data[NF][NROWS];
static double ydata[NROWS];
static const double *cols[NF];

static void make_data(uint64_t seed)
{
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, seed);
    for (int f = 0; f < NF; f++) {
        for (int i = 0; i < NROWS; i++)
            cols_data[f][i] = 0.5 + 2.0 * srt_sr__rng_uniform(&r);
        cols[f] = cols_data[f];
    }
    for (int i = 0; i < NROWS; i++)
        ydata[i] = 2.5 * cols_data[0][i] * cols_data[1][i] + cos(cols_data[2][i]);
}

static void gen_setup(srt_sr__gen_t *gen, srt_sr_options_t *o, long maxsize, long maxdepth)
{
    srt_sr_options_default(o, SRT_SR_PRESET_PYSR1);
    o->maxsize = maxsize;
    o->maxdepth = maxdepth;
    o->n_unaops = 4;
    o->unaops[0] = SRT_OP_SIN;
    o->unaops[1] = SRT_OP_COS;
    o->unaops[2] = SRT_OP_EXP;
    o->unaops[3] = SRT_OP_SQUARE;
    srt_sr__gen_init(gen, o, NF);
}

static void evaluator_matches_the_point_evaluator_on_random_trees(void)
{
    /* exactly rounded operators only, so both evaluators give the same bits */
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 30, 30);
    o.unaops[0] = SRT_OP_SQUARE;
    o.unaops[1] = SRT_OP_NEG;
    o.unaops[2] = SRT_OP_SQRT;
    o.unaops[3] = SRT_OP_ABS;
    srt_sr__gen_init(&gen, &o, NF);
    make_data(1);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 42);
    srt_expr_t e;
    srt_expr_init(&e);
    double out[NROWS];
    int checked = 0;
    for (int t = 0; t < 300; t++) {
        CU_ASSERT_EQUAL_FATAL(srt_sr__random_tree_fixed_size(&gen, &r, 1 + t % 30, &e), SRT_OK);
        if (srt_expr_eval(&e, cols, NROWS, out) != SRT_OK)
            continue;
        checked++;
        for (int i = 0; i < NROWS; i += 7) {
            double x[NF] = {cols_data[0][i], cols_data[1][i], cols_data[2][i]};
            CU_ASSERT_EQUAL(out[i], srt_expr_eval_point(&e, x));
        }
        double mse = srt_sr__mse(&e, cols, ydata, NROWS), acc = 0;
        for (int i = 0; i < NROWS; i++)
            acc += (out[i] - ydata[i]) * (out[i] - ydata[i]);
        if (isfinite(acc)) {
            SRT_ASSERT_CLOSE(mse, acc / NROWS, 1e-12);
        } else {
            CU_ASSERT(isinf(mse));
        }
    }
    CU_ASSERT(checked > 100);
    srt_expr_fini(&e);
}

static double ulps(double a, double b)
{
    if (a == b)
        return 0.0;
    double u = nextafter(fabs(b), INFINITY) - fabs(b);
    return fabs(a - b) / u;
}

static void vector_sin_cos_exp_stay_within_a_few_ulp_of_libm(void)
{
    enum { N = 4096 };
    static double xs[N], out[N];
    const double *c[1] = {xs};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 99);
    const srt_op_t ops[] = {SRT_OP_SIN, SRT_OP_COS, SRT_OP_EXP};
    const double scales[] = {1.0, 30.0, 700.0, 1e4, 4e5};
    for (size_t k = 0; k < 3; k++) {
        srt_expr_t e;
        srt_expr_init(&e);
        srt_expr_push_feature(&e, 0);
        srt_expr_push_op(&e, ops[k]);
        for (size_t sc = 0; sc < 5; sc++) {
            double scale = ops[k] == SRT_OP_EXP ? fmin(scales[sc], 700.0) : scales[sc];
            for (int i = 0; i < N; i++)
                xs[i] = scale * (2.0 * srt_sr__rng_uniform(&r) - 1.0);
            CU_ASSERT_EQUAL(srt_expr_eval(&e, c, N, out), SRT_OK);
            double worst = 0;
            for (int i = 0; i < N; i++)
                worst = fmax(worst, ulps(out[i], srt_op_apply(ops[k], xs[i], 0)));
            CU_ASSERT(worst <= 4.0);
        }
        /* outside the fast range (here a block with one huge value) libm is used */
        for (int i = 0; i < N; i++)
            xs[i] = 0.1 * (i % 100);
        xs[700] = 1e9;
        if (ops[k] == SRT_OP_EXP)
            xs[700] = -800.0;
        CU_ASSERT_EQUAL(srt_expr_eval(&e, c, 1000, out), SRT_OK);
        CU_ASSERT_EQUAL(out[700], srt_op_apply(ops[k], xs[700], 0));
        xs[5] = NAN;
        CU_ASSERT_EQUAL(srt_expr_eval(&e, c, 1000, out), SRT_ERR_NUMERIC);
        srt_expr_fini(&e);
    }
}

/* Postfix text "x0 2.5 * x1 +" -> expression (features x0.., numbers, operator names). */
static void postfix(const char *text, srt_expr_t *e)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", text);
    srt_expr_init(e);
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        srt_op_t op;
        if (tok[0] == 'x')
            srt_expr_push_feature(e, (uint16_t)atoi(tok + 1));
        else if (srt_op_lookup(tok, &op) == SRT_OK)
            srt_expr_push_op(e, op);
        else
            srt_expr_push_const(e, atof(tok));
    }
}

/* Every shape the evaluator fuses (an operator meeting a leaf next, on either
 * side, after a vector, scalar, in-place or unary operand, at the root or
 * not) gives the bits of the one-row evaluator on 1000 rows (a short block).
 * (Exact operators only: sin, cos, exp, log use vector kernels in blocks.) */
static void fused_pairs_give_the_bits_of_separate_passes(void)
{
    static const char *const cases[] = {
        "x0 2.5 * x1 +",           "2.5 x0 * x1 -",          "x1 x0 x0 * +",
        "1.5 x0 x2 - *",           "x0 x1 * x2 * 1.7 - x1 x1 * 3.1 + /",
        "x0 x1 / x2 / x0 /",       "x2 x0 x1 - - 0.5 *",     "x0 square x1 * x2 +",
        "x0 x1 + x2 x0 - * 0.3 /", "0.7 x1 / x2 *",          "x2 x0 x1 * 2 + * x1 -",
        "x0 x1 x2 * - x0 *",       "3 x0 x1 - 2 / +",        "x0 neg 1.5 + x2 * x1 +",
    };
    enum { N = 1000 };
    static double block[3 * N], out[N];
    const double *c[3] = {block, block + N, block + 2 * N};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 5);
    for (int i = 0; i < 3 * N; i++)
        block[i] = 0.5 + 2.0 * srt_sr__rng_uniform(&r);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        srt_expr_t e;
        postfix(cases[k], &e);
        CU_ASSERT_FATAL(srt_expr_is_valid(&e, 3));
        CU_ASSERT_EQUAL(srt_expr_eval(&e, c, N, out), SRT_OK);
        int same = 1;
        double sq = 0;
        for (int i = 0; i < N; i++) {
            double x[3] = {c[0][i], c[1][i], c[2][i]};
            double v = srt_expr_eval_point(&e, x);
            same &= memcmp(&v, &out[i], sizeof v) == 0;
            sq += v * v;
        }
        if (!same)
            fprintf(stderr, "fused case \"%s\" differs from the one-row evaluator\n", cases[k]);
        CU_ASSERT(same);
        static const double zeros[N];
        SRT_ASSERT_CLOSE(srt_sr__mse(&e, c, zeros, N), sq / N, 1e-12); /* the loss path */
        srt_expr_fini(&e);
    }
}

static void loss_is_infinite_when_a_value_is_not_finite(void)
{
    make_data(1);
    srt_expr_t e;
    srt_expr_init(&e);
    srt_expr_push_const(&e, -1.0);
    srt_expr_push_op(&e, SRT_OP_LOG); /* log(-1) = NaN */
    srt_expr_push_feature(&e, 0);
    srt_expr_push_op(&e, SRT_OP_ADD);
    CU_ASSERT(isinf(srt_sr__mse(&e, cols, ydata, NROWS)));
    e.len = 0;
    srt_expr_push_feature(&e, 0);
    srt_expr_push_const(&e, 0.0);
    srt_expr_push_op(&e, SRT_OP_DIV); /* x / 0 = Inf */
    CU_ASSERT(isinf(srt_sr__mse(&e, cols, ydata, NROWS)));
    srt_expr_fini(&e);
}

/* ---- precision 32: the Float32 evaluator ---- */

static float cols32_data[NF][NROWS], y32data[NROWS];
static const float *cols32[NF];

static void make_data32(uint64_t seed)
{
    make_data(seed);
    for (int f = 0; f < NF; f++) {
        for (int i = 0; i < NROWS; i++)
            cols32_data[f][i] = (float)cols_data[f][i];
        cols32[f] = cols32_data[f];
    }
    for (int i = 0; i < NROWS; i++)
        y32data[i] = (float)ydata[i];
}

/* As evaluator_matches_the_point_evaluator_on_random_trees, in Float32:
 * the block evaluator gives the bits of the Float32 one-row evaluator. */
static void float32_evaluator_matches_its_point_evaluator_on_random_trees(void)
{
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 30, 30);
    o.unaops[0] = SRT_OP_SQUARE;
    o.unaops[1] = SRT_OP_NEG;
    o.unaops[2] = SRT_OP_SQRT;
    o.unaops[3] = SRT_OP_ABS;
    srt_sr__gen_init(&gen, &o, NF);
    make_data32(1);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 42);
    srt_expr_t e;
    srt_expr_init(&e);
    float out[NROWS];
    int checked = 0, differs_from_double = 0;
    for (int t = 0; t < 300; t++) {
        CU_ASSERT_EQUAL_FATAL(srt_sr__random_tree_fixed_size(&gen, &r, 1 + t % 30, &e), SRT_OK);
        srt_sr__consts_to_f32(&e);
        if (srt_expr_eval_f32(&e, cols32, NROWS, out) != SRT_OK)
            continue;
        checked++;
        int same = 1;
        for (int i = 0; i < NROWS; i++) {
            float x[NF] = {cols32_data[0][i], cols32_data[1][i], cols32_data[2][i]};
            float v = srt_sr__eval_point_f32(&e, x);
            same &= memcmp(&v, &out[i], sizeof v) == 0;
        }
        CU_ASSERT(same);
        double mse = srt_sr__mse_f32(&e, cols32, y32data, NROWS), acc = 0;
        for (int i = 0; i < NROWS; i++)
            acc += ((double)out[i] - y32data[i]) * ((double)out[i] - y32data[i]);
        CU_ASSERT_EQUAL(mse, srt_sr__f32(mse)); /* a Float32 loss */
        if (isfinite(acc) && acc / NROWS < 1e30) {
            SRT_ASSERT_CLOSE(mse, acc / NROWS, 1e-5);
        } else {
            CU_ASSERT(isinf(mse) || mse > 1e29);
        }
        double d64 = srt_sr__mse(&e, cols, ydata, NROWS);
        differs_from_double += mse != d64;
    }
    CU_ASSERT(checked > 100);
    CU_ASSERT(differs_from_double > 50); /* really computed in Float32 */
    srt_expr_fini(&e);
}

/* The fused shapes in Float32 give the bits of the Float32 one-row
 * evaluator, as in Float64. */
static void float32_fused_pairs_give_the_bits_of_separate_passes(void)
{
    static const char *const cases[] = {
        "x0 2.5 * x1 +",           "2.5 x0 * x1 -",          "x1 x0 x0 * +",
        "1.5 x0 x2 - *",           "x0 x1 * x2 * 1.7 - x1 x1 * 3.1 + /",
        "x0 x1 / x2 / x0 /",       "x2 x0 x1 - - 0.5 *",     "x0 square x1 * x2 +",
        "x0 x1 + x2 x0 - * 0.3 /", "0.7 x1 / x2 *",          "x2 x0 x1 * 2 + * x1 -",
        "x0 x1 x2 * - x0 *",       "3 x0 x1 - 2 / +",        "x0 neg 1.5 + x2 * x1 +",
    };
    enum { N = 1000 };
    static float block[3 * N], out[N];
    const float *c[3] = {block, block + N, block + 2 * N};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 5);
    for (int i = 0; i < 3 * N; i++)
        block[i] = (float)(0.5 + 2.0 * srt_sr__rng_uniform(&r));
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        srt_expr_t e;
        postfix(cases[k], &e);
        srt_sr__consts_to_f32(&e);
        CU_ASSERT_FATAL(srt_expr_is_valid(&e, 3));
        CU_ASSERT_EQUAL(srt_expr_eval_f32(&e, c, N, out), SRT_OK);
        int same = 1;
        for (int i = 0; i < N; i++) {
            float x[3] = {c[0][i], c[1][i], c[2][i]};
            float v = srt_sr__eval_point_f32(&e, x);
            same &= memcmp(&v, &out[i], sizeof v) == 0;
        }
        if (!same)
            fprintf(stderr, "Float32 fused case \"%s\" differs from the one-row evaluator\n",
                    cases[k]);
        CU_ASSERT(same);
        srt_expr_fini(&e);
    }
}

static double ulps_f32(float a, float b)
{
    if (a == b)
        return 0.0;
    float u = nextafterf(fabsf(b), INFINITY) - fabsf(b);
    return fabs((double)a - (double)b) / (double)u;
}

/* Float32 sin, cos, exp, log (vmath.h's Float32 kernels in their fast
 * ranges, libm's double function rounded outside them) stay within two
 * Float32 ULP of libm's correctly rounded double result rounded to Float32,
 * at every scale of argument, in and out of the kernels' ranges. */
static void float32_sin_cos_exp_log_stay_within_two_ulp(void)
{
    enum { N = 4096 };
    static float xs[N], out[N];
    const float *c[1] = {xs};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 99);
    const srt_op_t ops[] = {SRT_OP_SIN, SRT_OP_COS, SRT_OP_EXP, SRT_OP_LOG};
    const double trig[] = {1.0, 30.0, 4000.0, 1e4}, expo[] = {1.0, 20.0, 87.0, 100.0};
    for (size_t k = 0; k < 4; k++) {
        srt_expr_t e;
        srt_expr_init(&e);
        srt_expr_push_feature(&e, 0);
        srt_expr_push_op(&e, ops[k]);
        for (int sc = 0; sc < 4; sc++) {
            for (int i = 0; i < N; i++) {
                double u = srt_sr__rng_uniform(&r);
                if (ops[k] == SRT_OP_LOG) /* log-uniform over 10^-37 .. 10^37, and near 1 */
                    xs[i] = sc == 0 ? (float)(0.5 + u) : (float)pow(10.0, -37.0 + 74.0 * u);
                else if (ops[k] == SRT_OP_EXP)
                    xs[i] = (float)(expo[sc] * (2.0 * u - 1.0));
                else
                    xs[i] = (float)(trig[sc] * (2.0 * u - 1.0));
            }
            srt_rc rc = srt_expr_eval_f32(&e, c, N, out);
            CU_ASSERT(rc == SRT_OK || (ops[k] == SRT_OP_EXP && sc == 3)); /* exp(100): Inf */
            if (rc != SRT_OK)
                continue;
            double worst = 0;
            for (int i = 0; i < N; i++)
                worst = fmax(worst, ulps_f32(out[i], (float)srt_op_apply(ops[k], xs[i], 0)));
            if (worst > 2.0)
                printf("\n    %s at scale %d: %.2f ULP", srt_op_name(ops[k]), sc, worst);
            CU_ASSERT(worst <= 2.0);
        }
        srt_expr_fini(&e);
    }
}

/* Float32 overflows where Float64 does not: exp(50 x0) for x0 in [0.5, 2.5]
 * reaches exp(125) > floatmax(Float32), an infinite loss at precision 32 and
 * a finite one at 64 (SR.jl with T = Float32 sees the same). And a constant
 * below half an ULP of x0 vanishes in Float32. */
static void float32_overflows_and_rounds_as_float32(void)
{
    make_data32(1);
    srt_expr_t e;
    srt_expr_init(&e);
    srt_expr_push_feature(&e, 0);
    srt_expr_push_const(&e, 50.0);
    srt_expr_push_op(&e, SRT_OP_MUL);
    srt_expr_push_op(&e, SRT_OP_EXP);
    CU_ASSERT(isinf(srt_sr__mse_f32(&e, cols32, y32data, NROWS)));
    CU_ASSERT(isfinite(srt_sr__mse(&e, cols, ydata, NROWS)));
    e.len = 0;
    srt_expr_push_feature(&e, 0);
    srt_expr_push_const(&e, 1e-9);
    srt_expr_push_op(&e, SRT_OP_ADD);
    float out[NROWS];
    CU_ASSERT_EQUAL(srt_expr_eval_f32(&e, cols32, NROWS, out), SRT_OK);
    CU_ASSERT(memcmp(out, cols32_data[0], sizeof out) == 0);
    srt_expr_fini(&e);
}

/* Simplification at precision 32 folds in Float32, as SR.jl with
 * T = Float32: exp(100) overflows Float32 and is not folded (it is at 64),
 * and 1.1 + 2.2 folds to the Float32 sum of the Float32 constants. */
static void simplification_at_precision_32_folds_in_float32(void)
{
    srt_expr_t e;
    postfix("x0 100 exp +", &e);
    CU_ASSERT_EQUAL(srt_sr__simplify_prec(&e, SRT_SR__SIMPLIFY_FOLD, 32), 0);
    CU_ASSERT_EQUAL(e.len, 4);
    CU_ASSERT_EQUAL(srt_sr__simplify_prec(&e, SRT_SR__SIMPLIFY_FOLD, 64), 1);
    CU_ASSERT_EQUAL(e.len, 3);
    srt_expr_fini(&e);
    postfix("x0 1.1 2.2 + *", &e);
    srt_sr__consts_to_f32(&e);
    CU_ASSERT_EQUAL(srt_sr__simplify_prec(&e, SRT_SR__SIMPLIFY_FOLD, 32), 1);
    CU_ASSERT_EQUAL_FATAL(e.len, 3);
    volatile float a = 1.1f, b = 2.2f;
    float sum = a + b;
    CU_ASSERT_EQUAL(e.nodes[1].value, (double)sum);
    CU_ASSERT(e.nodes[1].value != 1.1 + 2.2);
    srt_expr_fini(&e);
}

static void every_mutation_keeps_trees_valid_and_within_limits(void)
{
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 20, 7);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 7);
    srt_expr_t e, c, scratch, ca, cb;
    srt_expr_init(&e);
    srt_expr_init(&c);
    srt_expr_init(&scratch);
    srt_expr_init(&ca);
    srt_expr_init(&cb);
    long accepted[SRT_SR__MUT_COUNT] = {0};
    for (int t = 0; t < 3000; t++) {
        do {
            srt_sr__random_tree_fixed_size(&gen, &r, 1 + (long)srt_sr__rng_below(&r, 20), &e);
        } while (!srt_sr__fits(&gen, &e));
        for (int k = 0; k < SRT_SR__MUT_COUNT; k++) {
            int ok = 0;
            for (int attempt = 0; attempt < 10 && !ok; attempt++) {
                CU_ASSERT_EQUAL_FATAL(srt_expr_copy(&c, &e), SRT_OK);
                CU_ASSERT_EQUAL_FATAL(
                    srt_sr__mutate(&gen, &r, (srt_sr__mut_t)k, 1.0, &c, &scratch), SRT_OK);
                CU_ASSERT_FATAL(srt_expr_is_valid(&c, NF));
                ok = srt_sr__fits(&gen, &c);
            }
            if (ok) {
                accepted[k]++;
                CU_ASSERT((long)c.len <= 20);
                CU_ASSERT(srt_expr_depth(&c) <= 7);
            }
        }
        srt_expr_t other;
        srt_expr_init(&other);
        srt_sr__random_tree_fixed_size(&gen, &r, 1 + (long)srt_sr__rng_below(&r, 20), &other);
        CU_ASSERT_EQUAL_FATAL(srt_sr__crossover(&r, &e, &other, &ca, &cb), SRT_OK);
        CU_ASSERT_FATAL(srt_expr_is_valid(&ca, NF));
        CU_ASSERT_FATAL(srt_expr_is_valid(&cb, NF));
        CU_ASSERT_EQUAL(ca.len + cb.len, e.len + other.len);
        srt_expr_fini(&other);
    }
    for (int k = 0; k < SRT_SR__MUT_COUNT; k++)
        CU_ASSERT(accepted[k] > 1000);
    srt_expr_fini(&e);
    srt_expr_fini(&c);
    srt_expr_fini(&scratch);
    srt_expr_fini(&ca);
    srt_expr_fini(&cb);
}

static void rotation_of_a_small_tree_gives_the_expected_tree(void)
{
    /* (x0 + x1) * x2: the root is the only valid rotation node and only a
     * right rotation is possible (SR.jl randomly_rotate_tree!): the inner
     * grandchild x1 moves under *, always x0 + (x1 * x2). The distribution
     * over larger trees is in tests/fidelity/. */
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 20, 20);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 3);
    for (int t = 0; t < 50; t++) {
        srt_expr_t e, s;
        srt_expr_init(&e);
        srt_expr_init(&s);
        srt_expr_push_feature(&e, 0);
        srt_expr_push_feature(&e, 1);
        srt_expr_push_op(&e, SRT_OP_ADD);
        srt_expr_push_feature(&e, 2);
        srt_expr_push_op(&e, SRT_OP_MUL);
        srt_sr__mutate(&gen, &r, SRT_SR__MUT_ROTATE_TREE, 1.0, &e, &s);
        char *str = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
        CU_ASSERT_STRING_EQUAL(str, "(x0 + (x1 * x2))");
        free(str);
        srt_expr_fini(&e);
        srt_expr_fini(&s);
    }
}

static void simplification_preserves_the_value(void)
{
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 30, 30);
    o.n_unaops = 1;
    o.unaops[0] = SRT_OP_NEG;
    srt_sr__gen_init(&gen, &o, NF);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 11);
    srt_expr_t e, before;
    srt_expr_init(&e);
    srt_expr_init(&before);
    int changed = 0;
    for (int t = 0; t < 3000; t++) {
        srt_sr__random_tree_fixed_size(&gen, &r, 3 + t % 28, &e);
        srt_expr_copy(&before, &e);
        int ch = srt_sr__simplify(&e);
        CU_ASSERT_FATAL(ch >= 0);
        CU_ASSERT_FATAL(srt_expr_is_valid(&e, NF));
        CU_ASSERT(e.len <= before.len);
        changed += ch;
        for (int k = 0; k < 5; k++) {
            double x[NF];
            for (int f = 0; f < NF; f++)
                x[f] = 4.0 * srt_sr__rng_uniform(&r) - 2.0;
            double a = srt_expr_eval_point(&before, x), b = srt_expr_eval_point(&e, x);
            if (isfinite(a) && fabs(a) < 1e6)
                CU_ASSERT(fabs(a - b) <= 1e-8 * fmax(1.0, fabs(a)));
        }
    }
    CU_ASSERT(changed > 300);
    srt_expr_fini(&e);
    srt_expr_fini(&before);
}

static void simplification_folds_constants_and_combines_chains(void)
{
    /* DynamicExpressions.jl's rules only (more in tests/fidelity/) */
    srt_expr_t e;
    srt_expr_init(&e);
    /* (x0 + 2) - 3: + and - are never mixed, unchanged */
    srt_expr_push_feature(&e, 0);
    srt_expr_push_const(&e, 2);
    srt_expr_push_op(&e, SRT_OP_ADD);
    srt_expr_push_const(&e, 3);
    srt_expr_push_op(&e, SRT_OP_SUB);
    CU_ASSERT_EQUAL(srt_sr__simplify(&e), 0);
    /* cos(2 * 3) * (x1 * 1) -> (x1 * cos(6)) */
    e.len = 0;
    srt_expr_push_const(&e, 2);
    srt_expr_push_const(&e, 3);
    srt_expr_push_op(&e, SRT_OP_MUL);
    srt_expr_push_op(&e, SRT_OP_COS);
    srt_expr_push_feature(&e, 1);
    srt_expr_push_const(&e, 1);
    srt_expr_push_op(&e, SRT_OP_MUL);
    srt_expr_push_op(&e, SRT_OP_MUL);
    CU_ASSERT_EQUAL(srt_sr__simplify(&e), 1);
    CU_ASSERT_EQUAL(e.len, 3);
    CU_ASSERT_EQUAL(e.nodes[0].op, SRT_OP_FEATURE);
    CU_ASSERT_EQUAL(e.nodes[1].op, SRT_OP_CONST);
    CU_ASSERT_EQUAL(e.nodes[1].value, 1.0 * cos(6.0));
    /* 3 / (2 / x0): division is never combined, unchanged */
    e.len = 0;
    srt_expr_push_const(&e, 3);
    srt_expr_push_const(&e, 2);
    srt_expr_push_feature(&e, 0);
    srt_expr_push_op(&e, SRT_OP_DIV);
    srt_expr_push_op(&e, SRT_OP_DIV);
    CU_ASSERT_EQUAL(srt_sr__simplify(&e), 0);
    /* 2 * x0 -> x0 * 2: the constant moves right */
    e.len = 0;
    srt_expr_push_const(&e, 2);
    srt_expr_push_feature(&e, 0);
    srt_expr_push_op(&e, SRT_OP_MUL);
    CU_ASSERT_EQUAL(srt_sr__simplify(&e), 1);
    char *s = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
    CU_ASSERT_STRING_EQUAL(s, "(x0 * 2)");
    free(s);
    /* nothing to do: x0 * x1 */
    e.len = 0;
    srt_expr_push_feature(&e, 0);
    srt_expr_push_feature(&e, 1);
    srt_expr_push_op(&e, SRT_OP_MUL);
    CU_ASSERT_EQUAL(srt_sr__simplify(&e), 0);
    srt_expr_fini(&e);
}

static void gradient_matches_finite_differences(void)
{
    srt_sr_options_t o;
    srt_sr__gen_t gen;
    gen_setup(&gen, &o, 25, 25);
    make_data(5);
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 5);
    srt_sr__evalset_t set = {cols, ydata, NROWS, NULL, NULL};
    srt_expr_t e;
    srt_expr_init(&e);
    int checked = 0;
    for (int t = 0; t < 400 && checked < 60; t++) {
        srt_sr__random_tree_fixed_size(&gen, &r, 5 + t % 20, &e);
        uint32_t nc = srt_sr__count_consts(&e);
        if (nc == 0 || !isfinite(srt_sr__mse(&e, cols, ydata, NROWS)))
            continue;
        double *work = malloc(srt_sr__mse_grad_work(&e) * sizeof *work);
        double grad[32];
        double f = srt_sr__mse_grad(&e, &set, grad, work);
        if (!isfinite(f) || f > 1e6) {
            free(work);
            continue;
        }
        uint32_t k = 0;
        int ok = 1;
        for (uint32_t i = 0; i < e.len; i++) {
            if (e.nodes[i].op != SRT_OP_CONST)
                continue;
            double v = e.nodes[i].value, h = 1e-6 * fmax(1.0, fabs(v));
            e.nodes[i].value = v + h;
            double fp = srt_sr__mse(&e, cols, ydata, NROWS);
            e.nodes[i].value = v - h;
            double fm = srt_sr__mse(&e, cols, ydata, NROWS);
            e.nodes[i].value = v;
            double fd = (fp - fm) / (2 * h);
            /* only where finite differences are trustworthy: two step sizes agree */
            e.nodes[i].value = v + 10 * h;
            fp = srt_sr__mse(&e, cols, ydata, NROWS);
            e.nodes[i].value = v - 10 * h;
            fm = srt_sr__mse(&e, cols, ydata, NROWS);
            e.nodes[i].value = v;
            double fd10 = (fp - fm) / (20 * h);
            int trust = isfinite(fd) && fabs(fd - fd10) <= 1e-5 * fmax(1.0, fabs(fd));
            if (trust && fabs(grad[k] - fd) > 1e-4 * fmax(1.0, fabs(fd))) {
                ok = 0;
                char *str = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
                fprintf(stderr, "grad %u: %g vs %g in %s\n", k, grad[k], fd, str);
                free(str);
            }
            k++;
        }
        CU_ASSERT(ok);
        checked++;
        free(work);
    }
    CU_ASSERT(checked >= 30);
    srt_expr_fini(&e);
}

static void optimiser_lowers_the_loss(void)
{
    make_data(9);
    double y2[NROWS];
    for (int i = 0; i < NROWS; i++)
        y2[i] = 2.5 * cols_data[0][i] + 1.3;
    srt_sr__evalset_t set = {cols, y2, NROWS, NULL, NULL};
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 1);
    /* two constants: BFGS */
    srt_expr_t e;
    srt_expr_init(&e);
    srt_expr_push_const(&e, 1.0);
    srt_expr_push_feature(&e, 0);
    srt_expr_push_op(&e, SRT_OP_MUL);
    srt_expr_push_const(&e, 1.0);
    srt_expr_push_op(&e, SRT_OP_ADD);
    double before = srt_sr__mse(&e, cols, y2, NROWS), loss = before, nev = 0;
    CU_ASSERT_EQUAL(srt_sr__optimize_constants(&e, &set, 8, 2, &r, &loss, &nev), 1);
    CU_ASSERT(loss < 1e-6 * before);
    SRT_ASSERT_CLOSE(loss, srt_sr__mse(&e, cols, y2, NROWS), 1e-12);
    CU_ASSERT(nev > 0);
    /* one constant: Newton */
    e.len = 0;
    srt_expr_push_feature(&e, 0);
    srt_expr_push_const(&e, 0.5);
    srt_expr_push_op(&e, SRT_OP_MUL);
    for (int i = 0; i < NROWS; i++)
        y2[i] = 3.0 * cols_data[0][i];
    before = srt_sr__mse(&e, cols, y2, NROWS);
    loss = before;
    CU_ASSERT_EQUAL(srt_sr__optimize_constants(&e, &set, 8, 2, &r, &loss, &nev), 1);
    CU_ASSERT(loss < 1e-10 * before);
    SRT_ASSERT_CLOSE(e.nodes[1].value, 3.0, 1e-6);
    /* already optimal constants stay */
    double kept = e.nodes[1].value;
    e.nodes[1].value = 3.0;
    kept = 3.0;
    loss = srt_sr__mse(&e, cols, y2, NROWS);
    srt_sr__optimize_constants(&e, &set, 8, 2, &r, &loss, &nev);
    CU_ASSERT(fabs(e.nodes[1].value - kept) < 1e-9);
    srt_expr_fini(&e);
}

static void rng_is_deterministic_and_roughly_uniform(void)
{
    srt_sr__rng_t a, b;
    srt_sr__rng_seed(&a, 123);
    srt_sr__rng_seed(&b, 123);
    double sum = 0, sumsq = 0, psum = 0;
    for (int i = 0; i < 20000; i++) {
        CU_ASSERT_EQUAL(srt_sr__rng_u64(&a), srt_sr__rng_u64(&b));
        double z = srt_sr__rng_normal(&a);
        srt_sr__rng_normal(&b);
        sum += z;
        sumsq += z * z;
        psum += (double)srt_sr__rng_poisson(&a, 1.7);
        srt_sr__rng_poisson(&b, 1.7);
        CU_ASSERT(srt_sr__rng_below(&a, 7) < 7);
        srt_sr__rng_below(&b, 7);
    }
    CU_ASSERT(fabs(sum / 20000) < 0.05);
    CU_ASSERT(fabs(sumsq / 20000 - 1.0) < 0.05);
    CU_ASSERT(fabs(psum / 20000 - 1.7) < 0.05);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"evaluator_matches_the_point_evaluator_on_random_trees",
         evaluator_matches_the_point_evaluator_on_random_trees},
        {"vector_sin_cos_exp_stay_within_a_few_ulp_of_libm",
         vector_sin_cos_exp_stay_within_a_few_ulp_of_libm},
        {"fused_pairs_give_the_bits_of_separate_passes",
         fused_pairs_give_the_bits_of_separate_passes},
        {"loss_is_infinite_when_a_value_is_not_finite", loss_is_infinite_when_a_value_is_not_finite},
        {"float32_evaluator_matches_its_point_evaluator_on_random_trees",
         float32_evaluator_matches_its_point_evaluator_on_random_trees},
        {"float32_fused_pairs_give_the_bits_of_separate_passes",
         float32_fused_pairs_give_the_bits_of_separate_passes},
        {"float32_sin_cos_exp_log_stay_within_two_ulp", float32_sin_cos_exp_log_stay_within_two_ulp},
        {"float32_overflows_and_rounds_as_float32", float32_overflows_and_rounds_as_float32},
        {"simplification_at_precision_32_folds_in_float32",
         simplification_at_precision_32_folds_in_float32},
        {"every_mutation_keeps_trees_valid_and_within_limits",
         every_mutation_keeps_trees_valid_and_within_limits},
        {"rotation_of_a_small_tree_gives_the_expected_tree",
         rotation_of_a_small_tree_gives_the_expected_tree},
        {"simplification_preserves_the_value", simplification_preserves_the_value},
        {"simplification_folds_constants_and_combines_chains",
         simplification_folds_constants_and_combines_chains},
        {"gradient_matches_finite_differences", gradient_matches_finite_differences},
        {"optimiser_lowers_the_loss", optimiser_lowers_the_loss},
        {"rng_is_deterministic_and_roughly_uniform", rng_is_deterministic_and_roughly_uniform},
        {NULL, NULL}};
    return srt_test_main("sr_tree", cases);
}
