/*
 * The evaluator: runs a postfix program over blocks of SRT_EVAL_BLOCK rows.
 * Stack position k always lives in slot k of a scratch area, so an operator
 * writes its result in place over its left operand. Leaves are never
 * materialised: a feature entry points into its data column and a constant
 * stays a scalar, so `x * 2.5` is one pass `r[j] = x[j] * 2.5` and an
 * all-constant subtree costs nothing per row; an arithmetic operator whose
 * result meets a leaf next is fused with that operator (run_fused). The
 * root writes to the caller's output when there is one. The result is checked for
 * NaN/Inf once per block: the sum of squared errors (or x - x) is NaN/Inf
 * exactly when some value is.
 *
 * The numeric core (eval_body.h) is compiled twice: in double (precision 64)
 * and in float (precision 32, SR.jl with T = Float32: data, values and the
 * loss in Float32, twice the vector lanes; sin cos exp log have Float32
 * kernels in vmath.h, the other functions are libm's double function of the
 * widened argument, rounded: sr-engine.md, departures).
 */
#if defined(__GNUC__) && !defined(__clang__)
/* the per-node loops are the engine's hot spot: vectorise them at any build type; no
 * FMA contraction, so that every ISA clone gives the same bits */
#pragma GCC optimize("O3", "no-math-errno", "fp-contract=off")
#endif
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "sr/vmath.h"

/* the scalar definitions of issue 14's operators, inlined into the block loops */
#define OREAL double
#define OSFX(name) name##_d
#define OFMOD fmod
#include "sr/ops_body.h"
#undef OREAL
#undef OSFX
#undef OFMOD
#define OREAL float
#define OSFX(name) name##_f
#define OFMOD fmodf
#include "sr/ops_body.h"
#undef OREAL
#undef OSFX
#undef OFMOD

#define SMALL_SLOTS 16 /* enough for any tree of up to 31 nodes */
/* Distance between stack slots: a block plus 64 bytes, so that slots are not a
 * multiple of 4 KiB apart (loads from one slot would falsely alias stores to
 * another: "4K aliasing" stalls every in-place pass). */
#define SLOT_STRIDE (SRT_EVAL_BLOCK + 8)

static uint32_t max_stack_depth(const srt_expr_t *e)
{
    uint32_t sp = 0, best = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        int arity = srt_sr__arity(e->nodes[i].op);
        sp = sp - (uint32_t)arity + 1;
        if (sp > best)
            best = sp;
    }
    return best;
}

/* On x86-64 with GCC the interpreter is also compiled for AVX2 and picked at
 * load time (ifunc): same results, wider vectors. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define EVAL_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EVAL_CLONES
#endif

static int is_arith(srt_op_t op)
{
    return op == SRT_OP_ADD || op == SRT_OP_SUB || op == SRT_OP_MUL || op == SRT_OP_DIV;
}

/* ---- precision 64 ---- */

#define REAL double
#define SFX(name) name##_f64
#define ROP(name) name##_d
#define RPOW pow
#define RAPPLY srt_op_apply
#define RLOG_MIN VM_LOG_MIN
#define RLOG_MAX VM_LOG_MAX
#define RLANES 8
#define RCOMBINE(a) (((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7])))
#define UNARY_CASES(R, A)                                                                          \
    case SRT_OP_NEG: for (j = 0; j < n; j++) R[j] = -A[j]; break;                                  \
    case SRT_OP_SQUARE: for (j = 0; j < n; j++) R[j] = A[j] * A[j]; break;                         \
    case SRT_OP_CUBE: for (j = 0; j < n; j++) R[j] = A[j] * A[j] * A[j]; break;                    \
    case SRT_OP_SQRT: for (j = 0; j < n; j++) R[j] = sqrt(A[j]); break;                            \
    case SRT_OP_EXP:                                                                               \
        if (in_range_f64(A, n, VM_EXP_LIMIT))                                                          \
            for (j = 0; j < n; j++) R[j] = vm_exp(A[j]);                                           \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = exp(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_LOG:                                                                               \
        if (in_log_range_f64(A, n))                                                                    \
            for (j = 0; j < n; j++) R[j] = vm_log(A[j]);                                           \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = log(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_SIN:                                                                               \
        if (in_range_f64(A, n, VM_TRIG_LIMIT))                                                         \
            for (j = 0; j < n; j++) R[j] = vm_sincos(A[j], 0);                                     \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = sin(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_COS:                                                                               \
        if (in_range_f64(A, n, VM_TRIG_LIMIT))                                                         \
            for (j = 0; j < n; j++) R[j] = vm_sincos(A[j], 1);                                     \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = cos(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_TAN: for (j = 0; j < n; j++) R[j] = tan(A[j]); break;                              \
    case SRT_OP_TANH: for (j = 0; j < n; j++) R[j] = tanh(A[j]); break;                            \
    case SRT_OP_SINH: for (j = 0; j < n; j++) R[j] = sinh(A[j]); break;                            \
    case SRT_OP_COSH: for (j = 0; j < n; j++) R[j] = cosh(A[j]); break;                            \
    case SRT_OP_ASIN: for (j = 0; j < n; j++) R[j] = asin(A[j]); break;                            \
    case SRT_OP_ACOS: for (j = 0; j < n; j++) R[j] = acos(A[j]); break;                            \
    case SRT_OP_ATAN: for (j = 0; j < n; j++) R[j] = atan(A[j]); break;                            \
    case SRT_OP_ABS: for (j = 0; j < n; j++) R[j] = fabs(A[j]); break;                             \
    case SRT_OP_SIGN: for (j = 0; j < n; j++) R[j] = op_sign_d(A[j]); break;                       \
    case SRT_OP_INV: for (j = 0; j < n; j++) R[j] = op_inv_d(A[j]); break;                         \
    case SRT_OP_RELU: for (j = 0; j < n; j++) R[j] = op_relu_d(A[j]); break;                       \
    case SRT_OP_ROUND: for (j = 0; j < n; j++) R[j] = rint(A[j]); break;                           \
    case SRT_OP_FLOOR: for (j = 0; j < n; j++) R[j] = floor(A[j]); break;                          \
    case SRT_OP_CEIL: for (j = 0; j < n; j++) R[j] = ceil(A[j]); break;                            \
    default: for (j = 0; j < n; j++) R[j] = srt_op_apply(op, A[j], 0.0); break;

#include "sr/eval_body.h"

#undef REAL
#undef SFX
#undef ROP
#undef RPOW
#undef RAPPLY
#undef RLOG_MIN
#undef RLOG_MAX
#undef RLANES
#undef RCOMBINE
#undef UNARY_CASES

/* ---- precision 32 ---- */

float srt_sr__apply_f32(srt_op_t op, float a, float b)
{
    switch (op) {
    case SRT_OP_ADD: return a + b;
    case SRT_OP_SUB: return a - b;
    case SRT_OP_MUL: return a * b;
    case SRT_OP_DIV: return a / b;
    case SRT_OP_NEG: return -a;
    case SRT_OP_SQUARE: return a * a;
    case SRT_OP_CUBE: return a * a * a;
    case SRT_OP_SQRT: return sqrtf(a);
    case SRT_OP_ABS: return fabsf(a);
    case SRT_OP_MAX: return op_max_f(a, b);
    case SRT_OP_MIN: return op_min_f(a, b);
    case SRT_OP_MOD: return op_mod_f(a, b);
    case SRT_OP_GREATER: return op_greater_f(a, b);
    case SRT_OP_LESS: return op_less_f(a, b);
    case SRT_OP_GREATER_EQUAL: return op_greater_equal_f(a, b);
    case SRT_OP_LESS_EQUAL: return op_less_equal_f(a, b);
    case SRT_OP_COND: return op_cond_f(a, b);
    case SRT_OP_LOGICAL_OR: return op_logical_or_f(a, b);
    case SRT_OP_LOGICAL_AND: return op_logical_and_f(a, b);
    case SRT_OP_SIGN: return op_sign_f(a);
    case SRT_OP_INV: return op_inv_f(a);
    case SRT_OP_RELU: return op_relu_f(a);
    case SRT_OP_ROUND: return rintf(a);
    case SRT_OP_FLOOR: return floorf(a);
    case SRT_OP_CEIL: return ceilf(a);
    case SRT_OP_GAMMA: {
        /* SR.jl's isinf check is on the Float32 result */
        float r = (float)tgamma((double)a);
        return isinf(r) ? NAN : r;
    }
    default: return (float)srt_op_apply(op, (double)a, (double)b);
    }
}

static inline float pow_f32(float a, float b)
{
    return (float)pow((double)a, (double)b);
}

#define REAL float
#define SFX(name) name##_f32
#define ROP(name) name##_f
#define RPOW pow_f32
#define RAPPLY srt_sr__apply_f32
#define RLOG_MIN FLT_MIN
#define RLOG_MAX FLT_MAX
#define RLANES 16
#define RCOMBINE(a)                                                                                \
    ((((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]))) +                         \
     (((a[8] + a[9]) + (a[10] + a[11])) + ((a[12] + a[13]) + (a[14] + a[15]))))
/* Float32 kernels (vmath.h) in their fast ranges; elsewhere, and for the
 * other functions, libm's double function of the widened argument, rounded. */
#define F1_(fn, A) (float)fn((double)(A))
#define UNARY_CASES(R, A)                                                                          \
    case SRT_OP_NEG: for (j = 0; j < n; j++) R[j] = -A[j]; break;                                  \
    case SRT_OP_SQUARE: for (j = 0; j < n; j++) R[j] = A[j] * A[j]; break;                         \
    case SRT_OP_CUBE: for (j = 0; j < n; j++) R[j] = A[j] * A[j] * A[j]; break;                    \
    case SRT_OP_SQRT: for (j = 0; j < n; j++) R[j] = sqrtf(A[j]); break;                           \
    case SRT_OP_EXP:                                                                               \
        if (in_range_f32(A, n, VMF_EXP_LIMIT))                                                     \
            for (j = 0; j < n; j++) R[j] = vmf_exp(A[j]);                                          \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = F1_(exp, A[j]);                                         \
        break;                                                                                     \
    case SRT_OP_LOG:                                                                               \
        if (in_log_range_f32(A, n))                                                                \
            for (j = 0; j < n; j++) R[j] = vmf_log(A[j]);                                          \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = F1_(log, A[j]);                                         \
        break;                                                                                     \
    case SRT_OP_SIN:                                                                               \
        if (in_range_f32(A, n, VMF_TRIG_LIMIT))                                                    \
            for (j = 0; j < n; j++) R[j] = vmf_sincos(A[j], 0);                                    \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = F1_(sin, A[j]);                                         \
        break;                                                                                     \
    case SRT_OP_COS:                                                                               \
        if (in_range_f32(A, n, VMF_TRIG_LIMIT))                                                    \
            for (j = 0; j < n; j++) R[j] = vmf_sincos(A[j], 1);                                    \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = F1_(cos, A[j]);                                         \
        break;                                                                                     \
    case SRT_OP_TAN: for (j = 0; j < n; j++) R[j] = F1_(tan, A[j]); break;                         \
    case SRT_OP_TANH: for (j = 0; j < n; j++) R[j] = F1_(tanh, A[j]); break;                       \
    case SRT_OP_SINH: for (j = 0; j < n; j++) R[j] = F1_(sinh, A[j]); break;                       \
    case SRT_OP_COSH: for (j = 0; j < n; j++) R[j] = F1_(cosh, A[j]); break;                       \
    case SRT_OP_ASIN: for (j = 0; j < n; j++) R[j] = F1_(asin, A[j]); break;                       \
    case SRT_OP_ACOS: for (j = 0; j < n; j++) R[j] = F1_(acos, A[j]); break;                       \
    case SRT_OP_ATAN: for (j = 0; j < n; j++) R[j] = F1_(atan, A[j]); break;                       \
    case SRT_OP_ABS: for (j = 0; j < n; j++) R[j] = fabsf(A[j]); break;                            \
    case SRT_OP_SIGN: for (j = 0; j < n; j++) R[j] = op_sign_f(A[j]); break;                       \
    case SRT_OP_INV: for (j = 0; j < n; j++) R[j] = op_inv_f(A[j]); break;                         \
    case SRT_OP_RELU: for (j = 0; j < n; j++) R[j] = op_relu_f(A[j]); break;                       \
    case SRT_OP_ROUND: for (j = 0; j < n; j++) R[j] = rintf(A[j]); break;                          \
    case SRT_OP_FLOOR: for (j = 0; j < n; j++) R[j] = floorf(A[j]); break;                         \
    case SRT_OP_CEIL: for (j = 0; j < n; j++) R[j] = ceilf(A[j]); break;                           \
    default: for (j = 0; j < n; j++) R[j] = srt_sr__apply_f32(op, A[j], 0.0f); break;

#include "sr/eval_body.h"

/* ---- entry points ---- */

srt_rc srt_expr_eval(const srt_expr_t *e, const double *const *cols, size_t nrows, double *out)
{
    return expr_eval_f64(e, cols, nrows, out);
}

srt_rc srt_expr_eval_f32(const srt_expr_t *e, const float *const *cols, size_t nrows,
                         float *out)
{
    return expr_eval_f32(e, cols, nrows, out);
}

void srt_sr__eval_nodes(const srt_expr_t *e, const double *const *cols, size_t row0, size_t n,
                        double *vals)
{
    eval_nodes_f64(e, cols, row0, n, vals);
}

void srt_sr__eval_nodes_f32(const srt_expr_t *e, const float *const *cols, size_t row0, size_t n,
                            float *vals)
{
    eval_nodes_f32(e, cols, row0, n, vals);
}

double srt_sr__mse(const srt_expr_t *e, const double *const *cols, const double *y, size_t n)
{
    return mse_f64(e, cols, y, n);
}

double srt_sr__mse_f32(const srt_expr_t *e, const float *const *cols, const float *y, size_t n)
{
    return (double)mse_f32(e, cols, y, n);
}

double srt_sr__eval_loss(const srt_expr_t *e, const srt_sr__evalset_t *set)
{
    if (set->cols32)
        return srt_sr__mse_f32(e, set->cols32, set->y32, set->n);
    return mse_f64(e, set->cols, set->y, set->n);
}

double srt_sr_loss(const srt_expr_t *e, const srt_sr_data_t *data)
{
    return srt_sr__mse(e, data->cols, data->y, data->nrows);
}

double srt_expr_eval_point(const srt_expr_t *e, const double *x)
{
    return eval_point_f64(e, x);
}

float srt_sr__eval_point_f32(const srt_expr_t *e, const float *x)
{
    return eval_point_f32(e, x);
}

void srt_sr__consts_to_f32(srt_expr_t *e)
{
    for (uint32_t i = 0; i < e->len; i++)
        if (e->nodes[i].op == SRT_OP_CONST)
            e->nodes[i].value = srt_sr__f32(e->nodes[i].value);
}
