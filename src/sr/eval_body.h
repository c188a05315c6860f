/*
 * The evaluator's numeric core, included twice by eval.c: once with REAL
 * double (precision 64) and once with REAL float (precision 32). The includer
 * defines REAL, SFX(name) (the suffixed name), ROP(name) (ops_body.h's
 * operator of that precision), RPOW, RAPPLY (the scalar
 * operator), RLOG_MIN / RLOG_MAX (the fast log kernel's range), RLANES and
 * RCOMBINE (the loss accumulators and their fixed summation order) and
 * UNARY_CASES. No include guard on purpose.
 */
typedef struct {
    const REAL *p; /* values when !is_scalar */
    REAL c;        /* the value when is_scalar */
    int is_scalar;   /* 1: a constant for every row */
} SFX(entry_t);

/* 1 when every |a[j]| <= limit (NaN fails), so the fast kernels apply. */
static inline int SFX(in_range)(const REAL *a, size_t n, REAL limit)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(a[j] <= limit && a[j] >= -limit);
    return !bad;
}

/* 1 when every a[j] is a positive normal finite REAL (NaN fails). */
static inline int SFX(in_log_range)(const REAL *a, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(a[j] >= RLOG_MIN && a[j] <= RLOG_MAX);
    return !bad;
}

/* UNARY_CASES(R, A) is defined by the includer, per precision. */

/* r and a distinct. */
EVAL_CLONES static void SFX(apply_unary)(srt_op_t op, REAL *restrict r, const REAL *restrict a, size_t n)
{
    size_t j;
    switch (op) { UNARY_CASES(r, a) }
}

/* in place: r = op(r). */
EVAL_CLONES static void SFX(apply_unary_ip)(srt_op_t op, REAL *restrict r, size_t n)
{
    size_t j;
    switch (op) { UNARY_CASES(r, r) }
}

/* issue 14's binary operators (ops_body.h) on operands A and B; the rest
 * (mod) through the scalar operator row by row */
#define BINARY_NEW_CASES(A, B)                                                                     \
    case SRT_OP_MAX: for (j = 0; j < n; j++) r[j] = ROP(op_max)(A, B); break;                      \
    case SRT_OP_MIN: for (j = 0; j < n; j++) r[j] = ROP(op_min)(A, B); break;                      \
    case SRT_OP_GREATER: for (j = 0; j < n; j++) r[j] = ROP(op_greater)(A, B); break;              \
    case SRT_OP_LESS: for (j = 0; j < n; j++) r[j] = ROP(op_less)(A, B); break;                    \
    case SRT_OP_GREATER_EQUAL: for (j = 0; j < n; j++) r[j] = ROP(op_greater_equal)(A, B); break;  \
    case SRT_OP_LESS_EQUAL: for (j = 0; j < n; j++) r[j] = ROP(op_less_equal)(A, B); break;        \
    case SRT_OP_COND: for (j = 0; j < n; j++) r[j] = ROP(op_cond)(A, B); break;                    \
    case SRT_OP_LOGICAL_OR: for (j = 0; j < n; j++) r[j] = ROP(op_logical_or)(A, B); break;        \
    case SRT_OP_LOGICAL_AND: for (j = 0; j < n; j++) r[j] = ROP(op_logical_and)(A, B); break;      \
    default: for (j = 0; j < n; j++) r[j] = RAPPLY(op, A, B); break;

#define BINARY_CASES(EXPR)                                                                         \
    case SRT_OP_ADD: for (j = 0; j < n; j++) r[j] = EXPR(+); break;                                \
    case SRT_OP_SUB: for (j = 0; j < n; j++) r[j] = EXPR(-); break;                                \
    case SRT_OP_MUL: for (j = 0; j < n; j++) r[j] = EXPR(*); break;                                \
    case SRT_OP_DIV: for (j = 0; j < n; j++) r[j] = EXPR(/); break;

/* vector op vector, r distinct from a and b. */
EVAL_CLONES static void SFX(apply_vv)(srt_op_t op, REAL *restrict r, const REAL *restrict a,
                     const REAL *restrict b, size_t n)
{
    size_t j;
#define E_(o) a[j] o b[j]
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = RPOW(a[j], b[j]); break;
    BINARY_NEW_CASES(a[j], b[j])
    }
#undef E_
}

/* in place: r = r op b. */
EVAL_CLONES static void SFX(apply_vv_ip)(srt_op_t op, REAL *restrict r, const REAL *restrict b, size_t n)
{
    size_t j;
#define E_(o) r[j] o b[j]
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = RPOW(r[j], b[j]); break;
    BINARY_NEW_CASES(r[j], b[j])
    }
#undef E_
}

/* vector op scalar, r distinct from a. */
EVAL_CLONES static void SFX(apply_vs)(srt_op_t op, REAL *restrict r, const REAL *restrict a, REAL c, size_t n)
{
    size_t j;
#define E_(o) a[j] o c
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = RPOW(a[j], c); break;
    BINARY_NEW_CASES(a[j], c)
    }
#undef E_
}

/* in place: r = r op c. */
EVAL_CLONES static void SFX(apply_vs_ip)(srt_op_t op, REAL *restrict r, REAL c, size_t n)
{
    size_t j;
#define E_(o) r[j] o c
    switch (op) {
    BINARY_CASES(E_)
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = RPOW(r[j], c); break;
    BINARY_NEW_CASES(r[j], c)
    }
#undef E_
}

/* scalar op vector; r never aliases b. */
EVAL_CLONES static void SFX(apply_sv)(srt_op_t op, REAL *restrict r, REAL c, const REAL *restrict b, size_t n)
{
    size_t j;
    switch (op) {
    case SRT_OP_ADD: for (j = 0; j < n; j++) r[j] = c + b[j]; break;
    case SRT_OP_SUB: for (j = 0; j < n; j++) r[j] = c - b[j]; break;
    case SRT_OP_MUL: for (j = 0; j < n; j++) r[j] = c * b[j]; break;
    case SRT_OP_DIV: for (j = 0; j < n; j++) r[j] = c / b[j]; break;
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = RPOW(c, b[j]); break;
    BINARY_NEW_CASES(c, b[j])
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
EVAL_CLONES static void SFX(fuse_vv_v)(int code, REAL *restrict r, const REAL *restrict a,
                                  const REAL *restrict b, const REAL *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], b[j], l[j]) }
}
EVAL_CLONES static void SFX(fuse_vv_s)(int code, REAL *restrict r, const REAL *restrict a,
                                  const REAL *restrict b, REAL c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], b[j], c2) }
}
EVAL_CLONES static void SFX(fuse_vs_v)(int code, REAL *restrict r, const REAL *restrict a,
                                  REAL c1, const REAL *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], c1, l[j]) }
}
EVAL_CLONES static void SFX(fuse_vs_s)(int code, REAL *restrict r, const REAL *restrict a,
                                  REAL c1, REAL c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(a[j], c1, c2) }
}
EVAL_CLONES static void SFX(fuse_ip_v)(int code, REAL *restrict r, const REAL *restrict b,
                                  const REAL *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], b[j], l[j]) }
}
EVAL_CLONES static void SFX(fuse_ip_s)(int code, REAL *restrict r, const REAL *restrict b, REAL c2,
                                  size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], b[j], c2) }
}
EVAL_CLONES static void SFX(fuse_ips_v)(int code, REAL *restrict r, REAL c1,
                                   const REAL *restrict l, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], c1, l[j]) }
}
EVAL_CLONES static void SFX(fuse_ips_s)(int code, REAL *restrict r, REAL c1, REAL c2, size_t n)
{
    size_t j;
    switch (code) { FUSE_ALL(r[j], c1, c2) }
}

/* Runs op (a op b, at least one a vector) fused with op2 and the leaf l into
 * r. r may be a's block (in place) but is never b's or the leaf's. */
static void SFX(run_fused)(srt_op_t op, srt_op_t op2, REAL *r, const SFX(entry_t) *a, const SFX(entry_t) *b,
                      const SFX(entry_t) *l, size_t n)
{
    int code = (int)(op - SRT_OP_ADD) * 4 + (int)(op2 - SRT_OP_ADD);
    if (a->p == r) { /* in place */
        if (b->is_scalar)
            l->is_scalar ? SFX(fuse_ips_s)(code, r, b->c, l->c, n) : SFX(fuse_ips_v)(code, r, b->c, l->p, n);
        else
            l->is_scalar ? SFX(fuse_ip_s)(code, r, b->p, l->c, n) : SFX(fuse_ip_v)(code, r, b->p, l->p, n);
    } else if (b->is_scalar) {
        l->is_scalar ? SFX(fuse_vs_s)(code, r, a->p, b->c, l->c, n)
                     : SFX(fuse_vs_v)(code, r, a->p, b->c, l->p, n);
    } else {
        l->is_scalar ? SFX(fuse_vv_s)(code, r, a->p, b->p, l->c, n)
                     : SFX(fuse_vv_v)(code, r, a->p, b->p, l->p, n);
    }
}

/* Evaluates one block of n rows starting at row0; returns the root entry.
 * When dst is not NULL the root operator writes its values there instead of a
 * slot (saving the caller a copy). */
static SFX(entry_t) SFX(eval_block)(const srt_expr_t *e, const REAL *const *cols, size_t row0, size_t n,
                          REAL *slots, SFX(entry_t) *stack, REAL *dst)
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
            stack[sp].c = (REAL)node->value;
            stack[sp].is_scalar = 1;
            sp++;
        } else if (srt_sr__arity(op) == 1) {
            SFX(entry_t) *a = &stack[sp - 1];
            if (a->is_scalar) {
                a->c = RAPPLY(op, a->c, 0.0);
            } else {
                REAL *r = slots + (size_t)(sp - 1) * SLOT_STRIDE;
                if (a->p == r)
                    SFX(apply_unary_ip)(op, r, n);
                else
                    SFX(apply_unary)(op, r, a->p, n);
                a->p = r;
            }
        } else {
            SFX(entry_t) *a = &stack[sp - 2], *b = &stack[sp - 1];
            REAL *r = slots + (size_t)(sp - 2) * SLOT_STRIDE;
            const srt_node_t *nx = node + 1; /* a leaf then an operator on this result? */
            SFX(entry_t) fa = *a, fb = *b;        /* the pair's first operands */
            if (fa.is_scalar && !fb.is_scalar && (op == SRT_OP_ADD || op == SRT_OP_MUL)) {
                fa = *b; /* c + x and c * x are x + c and x * c, bit for bit */
                fb = *a;
            }
            if (nx + 1 < end && !fa.is_scalar && is_arith(op) &&
                (nx->op == SRT_OP_FEATURE || nx->op == SRT_OP_CONST) &&
                is_arith((srt_op_t)nx[1].op)) {
                SFX(entry_t) l;
                l.is_scalar = nx->op == SRT_OP_CONST;
                l.c = (REAL)nx->value;
                l.p = l.is_scalar ? NULL : cols[nx->feature] + row0;
                if (dst && nx + 1 == end - 1)
                    r = dst; /* the pair is the root */
                SFX(run_fused)(op, (srt_op_t)nx[1].op, r, &fa, &fb, &l, n);
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
                SFX(entry_t) *l = &stack[sp - 3];
                REAL *r2 = nx == end - 1 && dst ? dst : slots + (size_t)(sp - 3) * SLOT_STRIDE;
                SFX(run_fused)(op, (srt_op_t)nx->op, r2, &fa, &fb, l, n);
                l->p = r2;
                l->is_scalar = 0;
                sp -= 2;
                node += 1;
                continue;
            }
            if (a->is_scalar) {
                if (b->is_scalar) {
                    a->c = RAPPLY(op, a->c, b->c);
                } else {
                    SFX(apply_sv)(op, r, a->c, b->p, n);
                    a->p = r;
                    a->is_scalar = 0;
                }
            } else if (b->is_scalar) {
                if (a->p == r)
                    SFX(apply_vs_ip)(op, r, b->c, n);
                else
                    SFX(apply_vs)(op, r, a->p, b->c, n);
                a->p = r;
            } else {
                if (a->p == r)
                    SFX(apply_vv_ip)(op, r, b->p, n);
                else
                    SFX(apply_vv)(op, r, a->p, b->p, n);
                a->p = r;
            }
            sp--;
        }
    }
    return stack[0];
}

/* Scratch for one evaluation: stack slots on the C stack when small. */
typedef struct {
    _Alignas(64) REAL small[SMALL_SLOTS * SLOT_STRIDE]; /* slots for shallow programs */
    SFX(entry_t) small_stack[SMALL_SLOTS];            /* entries for shallow programs */
    REAL *slots;                               /* the slots in use */
    SFX(entry_t) *stack;                              /* the entries in use */
} SFX(scratch_t);

static int SFX(scratch_init)(SFX(scratch_t) *s, const srt_expr_t *e)
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

static void SFX(scratch_fini)(SFX(scratch_t) *s)
{
    if (s->slots != s->small)
        free(s->slots);
    if (s->stack != s->small_stack)
        free(s->stack);
}

static void SFX(eval_nodes)(const srt_expr_t *e, const REAL *const *cols, size_t row0, size_t n,
                        REAL *vals)
{
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *nd = &e->nodes[i];
        REAL *v = vals + (size_t)i * SRT_EVAL_BLOCK;
        srt_op_t op = (srt_op_t)nd->op;
        int arity = srt_sr__arity(op);
        if (op == SRT_OP_CONST) {
            for (size_t j = 0; j < n; j++)
                v[j] = (REAL)nd->value;
        } else if (op == SRT_OP_FEATURE) {
            memcpy(v, cols[nd->feature] + row0, n * sizeof *v);
        } else if (arity == 1) {
            SFX(apply_unary)(op, v, vals + (size_t)(i - 1) * SRT_EVAL_BLOCK, n);
        } else {
            uint32_t r = i - 1, l = r - e->nodes[r].size;
            SFX(apply_vv)(op, v, vals + (size_t)l * SRT_EVAL_BLOCK, vals + (size_t)r * SRT_EVAL_BLOCK, n);
        }
    }
}

/* Copies n values and returns 1 when one of them is NaN or Inf. x - x is NaN
 * exactly then; an OR of comparisons vectorises, unlike a running sum. */
EVAL_CLONES static int SFX(copy_check_finite)(REAL *restrict o, const REAL *restrict p, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++) {
        o[j] = p[j];
        bad |= !(p[j] - p[j] == (REAL)0);
    }
    return bad;
}

/* 1 when one of the n values is NaN or Inf. */
EVAL_CLONES static int SFX(check_finite)(const REAL *restrict p, size_t n)
{
    int bad = 0;
    for (size_t j = 0; j < n; j++)
        bad |= !(p[j] - p[j] == (REAL)0);
    return bad;
}

static srt_rc SFX(expr_eval)(const srt_expr_t *e, const REAL *const *cols, size_t nrows, REAL *out)
{
    if (!e->len)
        return SRT_ERR_INVALID;
    SFX(scratch_t) sc;
    srt_rc rc = SRT_OK;
    if (SFX(scratch_init)(&sc, e) != 0) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t row0 = 0; row0 < nrows; row0 += SRT_EVAL_BLOCK) {
        size_t n = nrows - row0 < SRT_EVAL_BLOCK ? nrows - row0 : SRT_EVAL_BLOCK;
        REAL *o = out + row0;
        SFX(entry_t) res = SFX(eval_block)(e, cols, row0, n, sc.slots, sc.stack, o);
        int bad;
        if (res.is_scalar) {
            for (size_t j = 0; j < n; j++)
                o[j] = res.c;
            bad = !isfinite(res.c);
        } else if (res.p == o) {
            bad = SFX(check_finite)(o, n);
        } else {
            bad = SFX(copy_check_finite)(o, res.p, n); /* the root is a feature */
        }
        if (bad) {
            rc = SRT_ERR_NUMERIC;
            goto cleanup;
        }
    }
cleanup:
    SFX(scratch_fini)(&sc);
    return rc;
}

/* Sums of squared differences with 8 independent accumulators: a short
 * dependency chain that vectorises; the summation order is fixed by the code,
 * so every ISA clone gives the same bits. */

static REAL SFX(combine_lanes)(const REAL *acc, REAL tail)
{
    return RCOMBINE(acc) + tail;
}

EVAL_CLONES static REAL SFX(sum_sq_diff)(const REAL *restrict p, const REAL *restrict y, size_t m)
{
    REAL acc[RLANES] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + RLANES <= m; j += RLANES)
        for (int k = 0; k < RLANES; k++) {
            REAL d = p[j + (size_t)k] - y[j + (size_t)k];
            acc[k] += d * d;
        }
    for (; j < m; j++) {
        REAL d = p[j] - y[j];
        tail += d * d;
    }
    return SFX(combine_lanes)(acc, tail);
}

EVAL_CLONES static REAL SFX(sum_sq_diff_scalar)(REAL c, const REAL *restrict y, size_t m)
{
    REAL acc[RLANES] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + RLANES <= m; j += RLANES)
        for (int k = 0; k < RLANES; k++) {
            REAL d = c - y[j + (size_t)k];
            acc[k] += d * d;
        }
    for (; j < m; j++) {
        REAL d = c - y[j];
        tail += d * d;
    }
    return SFX(combine_lanes)(acc, tail);
}

/* LossFunctions.jl eval_loss with the default L2DistLoss: mean of the
 * squared residuals; an evaluation that meets NaN/Inf gives Inf. */
static REAL SFX(mse)(const srt_expr_t *e, const REAL *const *cols, const REAL *y, size_t n)
{
    if (!e->len || n == 0)
        return INFINITY;
    SFX(scratch_t) sc;
    REAL total = 0.0;
    if (SFX(scratch_init)(&sc, e) != 0) {
        total = INFINITY;
        goto cleanup;
    }
    for (size_t row0 = 0; row0 < n; row0 += SRT_EVAL_BLOCK) {
        size_t m = n - row0 < SRT_EVAL_BLOCK ? n - row0 : SRT_EVAL_BLOCK;
        SFX(entry_t) res = SFX(eval_block)(e, cols, row0, m, sc.slots, sc.stack, NULL);
        const REAL *yy = y + row0;
        REAL acc = res.is_scalar ? SFX(sum_sq_diff_scalar)(res.c, yy, m) : SFX(sum_sq_diff)(res.p, yy, m);
        if (!isfinite(acc)) {
            total = INFINITY;
            goto cleanup;
        }
        total += acc;
    }
    total /= (REAL)n;
    if (!isfinite(total))
        total = INFINITY;
cleanup:
    SFX(scratch_fini)(&sc);
    return total;
}

static REAL SFX(eval_point)(const srt_expr_t *e, const REAL *x)
{
    if (!e->len)
        return NAN;
    REAL small[64] = {0};
    REAL *stack = e->len <= 64 ? small : malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return NAN;
    uint32_t sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *n = &e->nodes[i];
        switch (srt_sr__arity(n->op)) {
        case 0:
            stack[sp++] = n->op == SRT_OP_CONST ? (REAL)n->value : x[n->feature];
            break;
        case 1:
            stack[sp - 1] = RAPPLY((srt_op_t)n->op, stack[sp - 1], 0.0);
            break;
        default:
            stack[sp - 2] = RAPPLY((srt_op_t)n->op, stack[sp - 2], stack[sp - 1]);
            sp--;
            break;
        }
    }
    REAL v = stack[0];
    if (stack != small)
        free(stack);
    return v;
}
