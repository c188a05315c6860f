/*
 * Simplification (SR.jl's simplify_tree! + combine_operators, plus a few
 * identities): one bottom-up pass over the postfix array that rebuilds it in
 * a new buffer. Rules, each value-preserving (up to rounding):
 *   - constant folding: an operator whose operands are all constants becomes
 *     the constant, when the result is finite;
 *   - identities: x+0, 0+x, x-0, x*1, 1*x, x/1, x^1 -> x; neg(neg(x)) -> x;
 *   - combination of constants through + - chains ((x + 2) - 3 -> x + -1,
 *     3 - (x + 1) -> 2 - x) and * / chains ((x * 2) / 4 -> x * 0.5,
 *     3 / (2 / x) -> x * 1.5 is not done: only one x-side per chain).
 * The output never has more nodes than the input.
 */
#include <math.h>
#include <string.h>

#include "sr/sr_int.h"

/* A subtree viewed as sx * X + k (additive) or X^sx * k (multiplicative). */
typedef struct {
    int has_x;    /* 0: the subtree is the constant k */
    int sx;       /* +1 or -1 */
    uint32_t xs;  /* X's range in the buffer: start */
    uint32_t xe;  /* and end (inclusive) */
    double k;     /* the constant part */
    int combined; /* 1 when a constant was split off (X is a proper subtree) */
} form_t;

static int is_c(const srt_node_t *n)
{
    return n->op == SRT_OP_CONST;
}

/* Additive (mult = 0) or multiplicative (mult = 1) form of [s, e]. */
static form_t decompose(const srt_expr_t *b, uint32_t s, uint32_t e, int mult)
{
    form_t f = {1, 1, s, e, mult ? 1.0 : 0.0, 0};
    const srt_node_t *root = &b->nodes[e];
    if (is_c(root)) {
        f.has_x = 0;
        f.k = root->value;
        return f;
    }
    if (srt_sr__arity(root->op) != 2)
        return f;
    uint32_t re = e - 1, rs = re + 1 - b->nodes[re].size;
    uint32_t le = rs - 1, ls = s;
    const srt_node_t *l = &b->nodes[le], *r = &b->nodes[re];
    int lc = is_c(l) && ls == le, rc = is_c(r) && rs == re;
    if (lc == rc)
        return f;
    srt_op_t op = (srt_op_t)root->op;
    srt_op_t plus = mult ? SRT_OP_MUL : SRT_OP_ADD, minus = mult ? SRT_OP_DIV : SRT_OP_SUB;
    if (op == plus) {
        f.combined = 1;
        f.k = lc ? l->value : r->value;
        f.xs = lc ? rs : ls;
        f.xe = lc ? re : le;
    } else if (op == minus) {
        f.combined = 1;
        if (rc) { /* X - c, X / c */
            f.k = mult ? 1.0 / r->value : -r->value;
            f.xs = ls;
            f.xe = le;
        } else { /* c - X, c / X */
            f.k = l->value;
            f.sx = -1;
            f.xs = rs;
            f.xe = re;
        }
    }
    return f;
}

/* Tries to combine the binary op at the top of b (operands [as, ae], [bs,
 * be]) into tmp; returns 1 when tmp holds the replacement. */
static int combine(const srt_expr_t *b, srt_op_t op, uint32_t as, uint32_t ae, uint32_t bs,
                   uint32_t be, srt_expr_t *tmp)
{
    int mult;
    if (op == SRT_OP_ADD || op == SRT_OP_SUB)
        mult = 0;
    else if (op == SRT_OP_MUL || op == SRT_OP_DIV)
        mult = 1;
    else
        return 0;
    form_t fa = decompose(b, as, ae, mult), fb = decompose(b, bs, be, mult);
    if (fa.has_x == fb.has_x)
        return 0;
    const form_t *fx = fa.has_x ? &fa : &fb;
    if (!fx->combined)
        return 0;
    int inverse = op == SRT_OP_SUB || op == SRT_OP_DIV;
    double k;
    int sx = fx->sx;
    if (!mult)
        k = inverse ? fa.k - fb.k : fa.k + fb.k;
    else
        k = inverse ? fa.k / fb.k : fa.k * fb.k;
    if (inverse && fb.has_x)
        sx = -sx;
    if (!isfinite(k))
        return 0;
    tmp->len = 0;
    srt_node_t kn = {SRT_OP_CONST, 0, 0, 1, k};
    uint32_t xlen = fx->xe - fx->xs + 1;
    if (srt_expr_reserve(tmp, xlen + 2) != SRT_OK)
        return 0;
    if (sx > 0) { /* X + k, X * k */
        memcpy(tmp->nodes, b->nodes + fx->xs, (size_t)xlen * sizeof *tmp->nodes);
        tmp->nodes[xlen] = kn;
        srt_node_t on = {(uint8_t)(mult ? SRT_OP_MUL : SRT_OP_ADD), 0, 0, xlen + 2, 0.0};
        tmp->nodes[xlen + 1] = on;
    } else { /* k - X, k / X */
        tmp->nodes[0] = kn;
        memcpy(tmp->nodes + 1, b->nodes + fx->xs, (size_t)xlen * sizeof *tmp->nodes);
        srt_node_t on = {(uint8_t)(mult ? SRT_OP_DIV : SRT_OP_SUB), 0, 0, xlen + 2, 0.0};
        tmp->nodes[xlen + 1] = on;
    }
    tmp->len = xlen + 2;
    return 1;
}

/* Identity: returns 0 none, 1 keep left operand, 2 keep right operand. */
static int identity(srt_op_t op, const srt_expr_t *b, uint32_t as, uint32_t ae, uint32_t bs,
                    uint32_t be)
{
    int lc = as == ae && is_c(&b->nodes[ae]), rc = bs == be && is_c(&b->nodes[be]);
    double lv = lc ? b->nodes[ae].value : NAN, rv = rc ? b->nodes[be].value : NAN;
    switch (op) {
    case SRT_OP_ADD:
        if (rc && rv == 0.0)
            return 1;
        if (lc && lv == 0.0)
            return 2;
        return 0;
    case SRT_OP_SUB:
        return rc && rv == 0.0 ? 1 : 0;
    case SRT_OP_MUL:
        if (rc && rv == 1.0)
            return 1;
        if (lc && lv == 1.0)
            return 2;
        return 0;
    case SRT_OP_DIV:
    case SRT_OP_POW:
        return rc && rv == 1.0 ? 1 : 0;
    default:
        return 0;
    }
}

int srt_sr__simplify(srt_expr_t *e)
{
    if (e->len <= 1)
        return 0;
    srt_expr_t out, tmp;
    srt_expr_init(&out);
    srt_expr_init(&tmp);
    uint32_t small[512];
    int result = -1;
    if (e->len > 512) { /* beyond any maxsize: left as it is */
        result = 0;
        goto cleanup;
    }
    if (srt_expr_reserve(&out, e->len) != SRT_OK)
        goto cleanup;
    uint32_t *st = small, sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        srt_node_t n = e->nodes[i];
        srt_op_t op = (srt_op_t)n.op;
        int arity = srt_sr__arity(op);
        if (arity == 0) {
            st[sp++] = out.len;
            out.nodes[out.len++] = n;
            continue;
        }
        if (arity == 1) {
            uint32_t as = st[sp - 1], ae = out.len - 1;
            if (as == ae && is_c(&out.nodes[ae])) {
                double v = srt_op_apply(op, out.nodes[ae].value, 0.0);
                if (isfinite(v)) {
                    out.nodes[ae].value = v;
                    continue;
                }
            }
            if (op == SRT_OP_NEG && out.nodes[ae].op == SRT_OP_NEG) {
                out.len--; /* drop the inner neg: its operand stays */
                continue;
            }
            n.size = ae - as + 2;
            out.nodes[out.len++] = n;
            continue;
        }
        uint32_t bs = st[sp - 1], as = st[sp - 2], ae = bs - 1, be = out.len - 1;
        sp--; /* the result starts at as = st[sp - 1] */
        if (as == ae && bs == be && is_c(&out.nodes[ae]) && is_c(&out.nodes[be])) {
            double v = srt_op_apply(op, out.nodes[ae].value, out.nodes[be].value);
            if (isfinite(v)) {
                out.nodes[as].value = v;
                out.len = as + 1;
                continue;
            }
        }
        int keep = identity(op, &out, as, ae, bs, be);
        if (keep == 1) {
            out.len = bs;
            continue;
        }
        if (keep == 2) {
            memmove(out.nodes + as, out.nodes + bs, (size_t)(be - bs + 1) * sizeof *out.nodes);
            out.len = as + (be - bs + 1);
            continue;
        }
        if (combine(&out, op, as, ae, bs, be, &tmp)) {
            memcpy(out.nodes + as, tmp.nodes, (size_t)tmp.len * sizeof *tmp.nodes);
            out.len = as + tmp.len;
            continue;
        }
        n.size = out.len - as + 1;
        out.nodes[out.len++] = n;
    }
    if (!srt_sr__fix_sizes(&out))
        goto cleanup;
    result = out.len != e->len || memcmp(out.nodes, e->nodes, (size_t)e->len * sizeof *e->nodes);
    if (result) {
        srt_expr_t t = *e;
        *e = out;
        out = t;
    }
cleanup:
    srt_expr_fini(&out);
    srt_expr_fini(&tmp);
    return result;
}
