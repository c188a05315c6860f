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
 */
#if defined(__GNUC__) && !defined(__clang__)
/* the per-node loops are the engine's hot spot: vectorise them at any build type; no
 * FMA contraction, so that every ISA clone gives the same bits */
#pragma GCC optimize("O3", "no-math-errno", "fp-contract=off")
#endif
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "sr/vmath.h"

#define SMALL_SLOTS 16 /* enough for any tree of up to 31 nodes */
/* Distance between stack slots: a block plus 64 bytes, so that slots are not a
 * multiple of 4 KiB apart (loads from one slot would falsely alias stores to
 * another: "4K aliasing" stalls every in-place pass). */
#define SLOT_STRIDE (SRT_EVAL_BLOCK + 8)

/* A stack entry: a block of values or a scalar. */
typedef struct {
    const double *p; /* values when !is_scalar */
    double c;        /* the value when is_scalar */
    int is_scalar;   /* 1: a constant for every row */
} entry_t;

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

/* 1 when every |a[j]| <= limit (NaN fails), so the fast kernels apply. */
static inline int in_range(const double *a, size_t n, double limit)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(a[j] <= limit && a[j] >= -limit);
    return !bad;
}

/* 1 when every a[j] is a positive normal finite double (NaN fails). */
static inline int in_log_range(const double *a, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(a[j] >= VM_LOG_MIN && a[j] <= VM_LOG_MAX);
    return !bad;
}

#define UNARY_CASES(R, A)                                                                          \
    case SRT_OP_NEG: for (j = 0; j < n; j++) R[j] = -A[j]; break;                                  \
    case SRT_OP_SQUARE: for (j = 0; j < n; j++) R[j] = A[j] * A[j]; break;                         \
    case SRT_OP_CUBE: for (j = 0; j < n; j++) R[j] = A[j] * A[j] * A[j]; break;                    \
    case SRT_OP_SQRT: for (j = 0; j < n; j++) R[j] = sqrt(A[j]); break;                            \
    case SRT_OP_EXP:                                                                               \
        if (in_range(A, n, VM_EXP_LIMIT))                                                          \
            for (j = 0; j < n; j++) R[j] = vm_exp(A[j]);                                           \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = exp(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_LOG:                                                                               \
        if (in_log_range(A, n))                                                                    \
            for (j = 0; j < n; j++) R[j] = vm_log(A[j]);                                           \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = log(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_SIN:                                                                               \
        if (in_range(A, n, VM_TRIG_LIMIT))                                                         \
            for (j = 0; j < n; j++) R[j] = vm_sincos(A[j], 0);                                     \
        else                                                                                       \
            for (j = 0; j < n; j++) R[j] = sin(A[j]);                                              \
        break;                                                                                     \
    case SRT_OP_COS:                                                                               \
        if (in_range(A, n, VM_TRIG_LIMIT))                                                         \
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
    default: for (j = 0; j < n; j++) R[j] = NAN; break;

/* r and a distinct. */
EVAL_CLONES static void apply_unary(srt_op_t op, double *restrict r, const double *restrict a, size_t n)
{
    size_t j;
    switch (op) { UNARY_CASES(r, a) }
}

/* in place: r = op(r). */
EVAL_CLONES static void apply_unary_ip(srt_op_t op, double *restrict r, size_t n)
{
    size_t j;
    switch (op) { UNARY_CASES(r, r) }
}

#define BINARY_CASES(EXPR)                                                                         \
    case SRT_OP_ADD: for (j = 0; j < n; j++) r[j] = EXPR(+); break;                                \
    case SRT_OP_SUB: for (j = 0; j < n; j++) r[j] = EXPR(-); break;                                \
    case SRT_OP_MUL: for (j = 0; j < n; j++) r[j] = EXPR(*); break;                                \
    case SRT_OP_DIV: for (j = 0; j < n; j++) r[j] = EXPR(/); break;

/* vector op vector, r distinct from a and b. */
EVAL_CLONES static void apply_vv(srt_op_t op, double *restrict r, const double *restrict a,
                     const double *restrict b, size_t n)
{
    size_t j;
#define E_(o) a[j] o b[j]
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(a[j], b[j]); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
#undef E_
}

/* in place: r = r op b. */
EVAL_CLONES static void apply_vv_ip(srt_op_t op, double *restrict r, const double *restrict b, size_t n)
{
    size_t j;
#define E_(o) r[j] o b[j]
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(r[j], b[j]); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
#undef E_
}

/* vector op scalar, r distinct from a. */
EVAL_CLONES static void apply_vs(srt_op_t op, double *restrict r, const double *restrict a, double c, size_t n)
{
    size_t j;
#define E_(o) a[j] o c
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(a[j], c); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
#undef E_
}

/* in place: r = r op c. */
EVAL_CLONES static void apply_vs_ip(srt_op_t op, double *restrict r, double c, size_t n)
{
    size_t j;
#define E_(o) r[j] o c
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(r[j], c); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
#undef E_
}

/* scalar op vector; r never aliases b. */
EVAL_CLONES static void apply_sv(srt_op_t op, double *restrict r, double c, const double *restrict b, size_t n)
{
    size_t j;
    switch (op) {
    case SRT_OP_ADD: for (j = 0; j < n; j++) r[j] = c + b[j]; break;
    case SRT_OP_SUB: for (j = 0; j < n; j++) r[j] = c - b[j]; break;
    case SRT_OP_MUL: for (j = 0; j < n; j++) r[j] = c * b[j]; break;
    case SRT_OP_DIV: for (j = 0; j < n; j++) r[j] = c / b[j]; break;
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(c, b[j]); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
}

/* ---- fused pairs: r = (A op1 B) op2 L in one pass, L a leaf ----
 * The commonest shape in arithmetic trees is an operator whose result meets a
 * leaf right away (`x0 * 2.5 + x1`): one pass instead of two saves a store
 * and a reload of the whole block (the passes are bound by stores to L1). The
 * IEEE operations and their order are those of the two passes: same bits.
 * op1 and op2 are + - * / (a code (op1 - ADD) * 4 + (op2 - ADD)). */
#define FUSE_ONE(i1, o1, i2, o2, A, B, L)                                                          \
    case (i1) * 4 + (i2): for (j = 0; j < n; j++) r[j] = ((A) o1 (B)) o2 (L); break;
#define FUSE_ROW(i1, o1, A, B, L)                                                                  \
    FUSE_ONE(i1, o1, 0, +, A, B, L) FUSE_ONE(i1, o1, 1, -, A, B, L)                                \
    FUSE_ONE(i1, o1, 2, *, A, B, L) FUSE_ONE(i1, o1, 3, /, A, B, L)
#define FUSE_ALL(A, B, L)                                                                          \
    FUSE_ROW(0, +, A, B, L) FUSE_ROW(1, -, A, B, L) FUSE_ROW(2, *, A, B, L) FUSE_ROW(3, /, A, B, L)

/* first stage: vector op vector (r distinct), vector op scalar (r distinct),
 * in place (r op vector, r op scalar); leaf: vector l or scalar c2 */
EVAL_CLONES static void fuse_vv_v(int code, double *restrict r, const double *restrict a,
                                  const double *restrict b, const double *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], b[j], l[j]) }
}
EVAL_CLONES static void fuse_vv_s(int code, double *restrict r, const double *restrict a,
                                  const double *restrict b, double c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], b[j], c2) }
}
EVAL_CLONES static void fuse_vs_v(int code, double *restrict r, const double *restrict a,
                                  double c1, const double *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], c1, l[j]) }
}
EVAL_CLONES static void fuse_vs_s(int code, double *restrict r, const double *restrict a,
                                  double c1, double c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], c1, c2) }
}
EVAL_CLONES static void fuse_ip_v(int code, double *restrict r, const double *restrict b,
                                  const double *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], b[j], l[j]) }
}
EVAL_CLONES static void fuse_ip_s(int code, double *restrict r, const double *restrict b, double c2,
                                  size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], b[j], c2) }
}
EVAL_CLONES static void fuse_ips_v(int code, double *restrict r, double c1,
                                   const double *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], c1, l[j]) }
}
EVAL_CLONES static void fuse_ips_s(int code, double *restrict r, double c1, double c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], c1, c2) }
}

static int is_arith(srt_op_t op)
{
    return op == SRT_OP_ADD || op == SRT_OP_SUB || op == SRT_OP_MUL || op == SRT_OP_DIV;
}

/* Runs op (a op b, at least one a vector) fused with op2 and the leaf l into
 * r. r may be a's block (in place) but is never b's or the leaf's. */
static void run_fused(srt_op_t op, srt_op_t op2, double *r, const entry_t *a, const entry_t *b,
                      const entry_t *l, size_t n)
{
    int code = (int)(op - SRT_OP_ADD) * 4 + (int)(op2 - SRT_OP_ADD);
    if (a->p == r) { /* in place */
        if (b->is_scalar)
            l->is_scalar ? fuse_ips_s(code, r, b->c, l->c, n) : fuse_ips_v(code, r, b->c, l->p, n);
        else
            l->is_scalar ? fuse_ip_s(code, r, b->p, l->c, n) : fuse_ip_v(code, r, b->p, l->p, n);
    } else if (b->is_scalar) {
        l->is_scalar ? fuse_vs_s(code, r, a->p, b->c, l->c, n)
                     : fuse_vs_v(code, r, a->p, b->c, l->p, n);
    } else {
        l->is_scalar ? fuse_vv_s(code, r, a->p, b->p, l->c, n)
                     : fuse_vv_v(code, r, a->p, b->p, l->p, n);
    }
}

/* Evaluates one block of n rows starting at row0; returns the root entry.
 * When dst is not NULL the root operator writes its values there instead of a
 * slot (saving the caller a copy). */
static entry_t eval_block(const srt_expr_t *e, const double *const *cols, size_t row0, size_t n,
                          double *slots, entry_t *stack, double *dst)
{
    uint32_t sp = 0;
    const srt_node_t *node = e->nodes, *end = e->nodes + e->len;
    for (; node < end; node++) {
        if (dst && node == end - 1)
            slots = dst; /* the root's operands are in slot 0 and 1, its result goes to dst */
        srt_op_t op = (srt_op_t)node->op;
        if (op == SRT_OP_FEATURE) {
            stack[sp].p = cols[node->feature] + row0;
            stack[sp].is_scalar = 0;
            sp++;
        } else if (op == SRT_OP_CONST) {
            stack[sp].c = node->value;
            stack[sp].is_scalar = 1;
            sp++;
        } else if (srt_sr__arity(op) == 1) {
            entry_t *a = &stack[sp - 1];
            if (a->is_scalar) {
                a->c = srt_op_apply(op, a->c, 0.0);
            } else {
                double *r = slots + (size_t)(sp - 1) * SLOT_STRIDE;
                if (a->p == r)
                    apply_unary_ip(op, r, n);
                else
                    apply_unary(op, r, a->p, n);
                a->p = r;
            }
        } else {
            entry_t *a = &stack[sp - 2], *b = &stack[sp - 1];
            double *r = slots + (size_t)(sp - 2) * SLOT_STRIDE;
            const srt_node_t *nx = node + 1; /* a leaf then an operator on this result? */
            entry_t fa = *a, fb = *b;        /* the pair's first operands */
            if (fa.is_scalar && !fb.is_scalar && (op == SRT_OP_ADD || op == SRT_OP_MUL)) {
                fa = *b; /* c + x and c * x are x + c and x * c, bit for bit */
                fb = *a;
            }
            if (nx + 1 < end && !fa.is_scalar && is_arith(op) &&
                (nx->op == SRT_OP_FEATURE || nx->op == SRT_OP_CONST) &&
                is_arith((srt_op_t)nx[1].op)) {
                entry_t l;
                l.is_scalar = nx->op == SRT_OP_CONST;
                l.c = nx->value;
                l.p = l.is_scalar ? NULL : cols[nx->feature] + row0;
                if (dst && nx + 1 == end - 1)
                    r = dst; /* the pair is the root */
                run_fused(op, (srt_op_t)nx[1].op, r, &fa, &fb, &l, n);
                a->p = r;
                a->is_scalar = 0;
                sp--;
                node += 2;
                continue;
            }
            /* a leaf under the operands and a commutative operator next: the
             * same pair, since l + t and l * t are t + l and t * l bit for bit */
            if (nx < end && sp >= 3 && !fa.is_scalar && is_arith(op) &&
                (nx->op == SRT_OP_ADD || nx->op == SRT_OP_MUL) &&
                (stack[sp - 3].is_scalar ||
                 stack[sp - 3].p != slots + (size_t)(sp - 3) * SLOT_STRIDE)) {
                entry_t *l = &stack[sp - 3];
                double *r2 = nx == end - 1 && dst ? dst : slots + (size_t)(sp - 3) * SLOT_STRIDE;
                run_fused(op, (srt_op_t)nx->op, r2, &fa, &fb, l, n);
                l->p = r2;
                l->is_scalar = 0;
                sp -= 2;
                node += 1;
                continue;
            }
            if (a->is_scalar) {
                if (b->is_scalar) {
                    a->c = srt_op_apply(op, a->c, b->c);
                } else {
                    apply_sv(op, r, a->c, b->p, n);
                    a->p = r;
                    a->is_scalar = 0;
                }
            } else if (b->is_scalar) {
                if (a->p == r)
                    apply_vs_ip(op, r, b->c, n);
                else
                    apply_vs(op, r, a->p, b->c, n);
                a->p = r;
            } else {
                if (a->p == r)
                    apply_vv_ip(op, r, b->p, n);
                else
                    apply_vv(op, r, a->p, b->p, n);
                a->p = r;
            }
            sp--;
        }
    }
    return stack[0];
}

/* Scratch for one evaluation: stack slots on the C stack when small. */
typedef struct {
    _Alignas(64) double small[SMALL_SLOTS * SLOT_STRIDE]; /* slots for shallow programs */
    entry_t small_stack[SMALL_SLOTS];            /* entries for shallow programs */
    double *slots;                               /* the slots in use */
    entry_t *stack;                              /* the entries in use */
} scratch_t;

static int scratch_init(scratch_t *s, const srt_expr_t *e)
{
    uint32_t depth = max_stack_depth(e);
    s->slots = s->small;
    s->stack = s->small_stack;
    if (depth > SMALL_SLOTS) {
        s->slots = malloc((size_t)depth * SLOT_STRIDE * sizeof *s->slots);
        s->stack = malloc((size_t)depth * sizeof *s->stack);
        if (!s->slots || !s->stack)
            return -1;
    }
    return 0;
}

static void scratch_fini(scratch_t *s)
{
    if (s->slots != s->small)
        free(s->slots);
    if (s->stack != s->small_stack)
        free(s->stack);
}

void srt_sr__eval_nodes(const srt_expr_t *e, const double *const *cols, size_t row0, size_t n,
                        double *vals)
{
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *nd = &e->nodes[i];
        double *v = vals + (size_t)i * SRT_EVAL_BLOCK;
        srt_op_t op = (srt_op_t)nd->op;
        int arity = srt_sr__arity(op);
        if (op == SRT_OP_CONST) {
            for (size_t j = 0; j < n; j++)
                v[j] = nd->value;
        } else if (op == SRT_OP_FEATURE) {
            memcpy(v, cols[nd->feature] + row0, n * sizeof *v);
        } else if (arity == 1) {
            apply_unary(op, v, vals + (size_t)(i - 1) * SRT_EVAL_BLOCK, n);
        } else {
            uint32_t r = i - 1, l = r - e->nodes[r].size;
            apply_vv(op, v, vals + (size_t)l * SRT_EVAL_BLOCK, vals + (size_t)r * SRT_EVAL_BLOCK, n);
        }
    }
}

/* Copies n values and returns 1 when one of them is NaN or Inf. x - x is NaN
 * exactly then; an OR of comparisons vectorises, unlike a running sum. */
EVAL_CLONES static int copy_check_finite(double *restrict o, const double *restrict p, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++) {
        o[j] = p[j];
        bad |= !(p[j] - p[j] == 0.0);
    }
    return bad;
}

/* 1 when one of the n values is NaN or Inf. */
EVAL_CLONES static int check_finite(const double *restrict p, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(p[j] - p[j] == 0.0);
    return bad;
}

srt_rc srt_expr_eval(const srt_expr_t *e, const double *const *cols, size_t nrows, double *out)
{
    if (!e->len)
        return SRT_ERR_INVALID;
    scratch_t sc;
    srt_rc rc = SRT_OK;
    if (scratch_init(&sc, e) != 0) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t row0 = 0; row0 < nrows; row0 += SRT_EVAL_BLOCK) {
        size_t n = nrows - row0 < SRT_EVAL_BLOCK ? nrows - row0 : SRT_EVAL_BLOCK;
        double *o = out + row0;
        entry_t res = eval_block(e, cols, row0, n, sc.slots, sc.stack, o);
        int bad;
        if (res.is_scalar) {
            for (size_t j = 0; j < n; j++)
                o[j] = res.c;
            bad = !isfinite(res.c);
        } else if (res.p == o) {
            bad = check_finite(o, n);
        } else {
            bad = copy_check_finite(o, res.p, n); /* the root is a feature */
        }
        if (bad) {
            rc = SRT_ERR_NUMERIC;
            goto cleanup;
        }
    }
cleanup:
    scratch_fini(&sc);
    return rc;
}

/* Sums of squared differences with 8 independent accumulators: a short
 * dependency chain that vectorises; the summation order is fixed by the code,
 * so every ISA clone gives the same bits. */
#define LANES 8

static double combine_lanes(const double *acc, double tail)
{
    return (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))) +
           tail;
}

EVAL_CLONES static double sum_sq_diff(const double *restrict p, const double *restrict y, size_t m)
{
    double acc[LANES] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + LANES <= m; j += LANES)
        for (int k = 0; k < LANES; k++) {
            double d = p[j + (size_t)k] - y[j + (size_t)k];
            acc[k] += d * d;
        }
    for (; j < m; j++) {
        double d = p[j] - y[j];
        tail += d * d;
    }
    return combine_lanes(acc, tail);
}

EVAL_CLONES static double sum_sq_diff_scalar(double c, const double *restrict y, size_t m)
{
    double acc[LANES] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + LANES <= m; j += LANES)
        for (int k = 0; k < LANES; k++) {
            double d = c - y[j + (size_t)k];
            acc[k] += d * d;
        }
    for (; j < m; j++) {
        double d = c - y[j];
        tail += d * d;
    }
    return combine_lanes(acc, tail);
}

/* LossFunctions.jl eval_loss with the default L2DistLoss: mean of the
 * squared residuals; an evaluation that meets NaN/Inf gives Inf. */
double srt_sr__mse(const srt_expr_t *e, const double *const *cols, const double *y, size_t n)
{
    if (!e->len || n == 0)
        return INFINITY;
    scratch_t sc;
    double total = 0.0;
    if (scratch_init(&sc, e) != 0) {
        total = INFINITY;
        goto cleanup;
    }
    for (size_t row0 = 0; row0 < n; row0 += SRT_EVAL_BLOCK) {
        size_t m = n - row0 < SRT_EVAL_BLOCK ? n - row0 : SRT_EVAL_BLOCK;
        entry_t res = eval_block(e, cols, row0, m, sc.slots, sc.stack, NULL);
        const double *yy = y + row0;
        double acc = res.is_scalar ? sum_sq_diff_scalar(res.c, yy, m) : sum_sq_diff(res.p, yy, m);
        if (!isfinite(acc)) {
            total = INFINITY;
            goto cleanup;
        }
        total += acc;
    }
    total /= (double)n;
    if (!isfinite(total))
        total = INFINITY;
cleanup:
    scratch_fini(&sc);
    return total;
}

double srt_sr_loss(const srt_expr_t *e, const srt_sr_data_t *data)
{
    return srt_sr__mse(e, data->cols, data->y, data->nrows);
}

double srt_expr_eval_point(const srt_expr_t *e, const double *x)
{
    if (!e->len)
        return NAN;
    double small[64] = {0};
    double *stack = e->len <= 64 ? small : malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return NAN;
    uint32_t sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *n = &e->nodes[i];
        switch (srt_sr__arity(n->op)) {
        case 0:
            stack[sp++] = n->op == SRT_OP_CONST ? n->value : x[n->feature];
            break;
        case 1:
            stack[sp - 1] = srt_op_apply((srt_op_t)n->op, stack[sp - 1], 0.0);
            break;
        default:
            stack[sp - 2] = srt_op_apply((srt_op_t)n->op, stack[sp - 2], stack[sp - 1]);
            sp--;
            break;
        }
    }
    double v = stack[0];
    if (stack != small)
        free(stack);
    return v;
}
