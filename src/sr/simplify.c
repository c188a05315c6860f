/*
 * Simplification exactly as SymbolicRegression.jl v1.11 calls it (Mutate.jl
 * mutate! :simplify and SingleIteration.jl optimize_and_simplify_population):
 * DynamicExpressions.jl v1.10's simplify_tree! followed by
 * combine_operators, on a linked copy of the postfix array that is written
 * back in postfix order. Rules, nothing more:
 *   - simplify_tree! (combine_children!): bottom-up, an operator whose
 *     operands are all constants with finite values becomes the constant of
 *     its result, when that is finite;
 *   - combine_operators, bottom-up: for + and *, a constant operand moves to
 *     the right, and (X op c1) op c2 or (c1 op X) op c2 becomes that inner
 *     node with its constant c1 op c2; for -, the four patterns
 *     c1 - (c2 - X) -> X - (c2 - c1), c1 - (X - c2) -> (c1 + c2) - X,
 *     (c1 - X) - c2 -> (c1 - c2) - X, (X - c1) - c2 -> X - (c2 + c1).
 *     Combined constants are not checked for finiteness (as there).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

typedef struct {
    srt_node_t *n; /* the nodes (values change in place) */
    int32_t *l, *r; /* children; -1 none */
    int f32;        /* precision 32: constants are Float32 and so is the arithmetic */
} tree_t;

/* An operator on constants in the tree's precision (at 32 as SR.jl with
 * T = Float32: + - * / in Float32, the others rounded from double). */
static double apply(const tree_t *t, srt_op_t op, double a, double b)
{
    if (t->f32)
        return (double)srt_sr__apply_f32(op, (float)a, (float)b);
    return srt_op_apply(op, a, b);
}

static int deg(const tree_t *t, int32_t i)
{
    return srt_sr__arity(t->n[i].op);
}

/* NodeUtils.jl is_node_constant */
static int isc(const tree_t *t, int32_t i)
{
    return t->n[i].op == SRT_OP_CONST;
}

/* Simplify.jl simplify_tree! / combine_children!, in postfix (bottom-up)
 * order. Returns 1 when some node folded. */
static int fold_constants(tree_t *t, uint32_t len)
{
    int changed = 0;
    for (uint32_t k = 0; k < len; k++) {
        int32_t i = (int32_t)k;
        int d = deg(t, i);
        if (d == 0)
            continue;
        if (!isc(t, t->l[i]) || (d == 2 && !isc(t, t->r[i])))
            continue;
        double a = t->n[t->l[i]].value, b = d == 2 ? t->n[t->r[i]].value : 0.0;
        if (!isfinite(a) || !isfinite(b))
            continue;
        double out = apply(t, (srt_op_t)t->n[i].op, a, b);
        if (!isfinite(out))
            continue;
        srt_node_t c = {SRT_OP_CONST, 0, 0, 1, out};
        t->n[i] = c;
        t->l[i] = t->r[i] = -1;
        changed = 1;
    }
    return changed;
}

/* Simplify.jl combine_operators on the subtree at i; returns its new root. */
static int32_t combine(tree_t *t, int32_t i)
{
    int d = deg(t, i);
    if (d == 0)
        return i;
    t->l[i] = combine(t, t->l[i]);
    if (d == 2)
        t->r[i] = combine(t, t->r[i]);
    int32_t tree = i;
    int top_const = d == 2 && (isc(t, t->l[i]) || isc(t, t->r[i]));
    srt_op_t op = (srt_op_t)t->n[i].op;
    if (d == 2 && (op == SRT_OP_ADD || op == SRT_OP_MUL) && top_const) {
        if (isc(t, t->l[tree])) {
            int32_t tmp = t->r[tree];
            t->r[tree] = t->l[tree];
            t->l[tree] = tmp;
        }
        double top = t->n[t->r[tree]].value;
        int32_t below = t->l[tree];
        if (deg(t, below) == 2 && t->n[below].op == op) {
            if (isc(t, t->l[below])) {
                tree = below;
                t->n[t->l[tree]].value = apply(t, op, t->n[t->l[tree]].value, top);
            } else if (isc(t, t->r[below])) {
                tree = below;
                t->n[t->r[tree]].value = apply(t, op, t->n[t->r[tree]].value, top);
            }
        }
    }
    if (deg(t, tree) == 2 && t->n[tree].op == SRT_OP_SUB && top_const) {
        int32_t l = t->l[tree], r = t->r[tree];
        if (isc(t, l)) {
            if (deg(t, r) == 2 && t->n[r].op == SRT_OP_SUB) {
                if (isc(t, t->l[r])) {
                    /* (const - (const - var)) => (var - const) */
                    double v = apply(t, SRT_OP_SUB, t->n[t->l[r]].value, t->n[l].value);
                    t->l[tree] = t->r[r];
                    t->r[tree] = l;
                    t->n[l].value = v;
                } else if (isc(t, t->r[r])) {
                    /* (const - (var - const)) => (const - var) */
                    double v = apply(t, SRT_OP_ADD, t->n[l].value, t->n[t->r[r]].value);
                    t->r[tree] = t->l[r];
                    t->n[l].value = v;
                }
            }
        } else if (deg(t, l) == 2 && t->n[l].op == SRT_OP_SUB) {
            if (isc(t, t->l[l])) {
                /* ((const - var) - const) => (const - var) */
                double v = apply(t, SRT_OP_SUB, t->n[t->l[l]].value, t->n[r].value);
                t->r[tree] = t->r[l];
                t->l[tree] = r;
                t->n[r].value = v;
            } else if (isc(t, t->r[l])) {
                /* ((var - const) - const) => (var - const) */
                double v = apply(t, SRT_OP_ADD, t->n[r].value, t->n[t->r[l]].value);
                t->l[tree] = t->l[l];
                t->n[r].value = v;
            }
        }
    }
    return tree;
}

static srt_rc emit(const tree_t *t, int32_t i, srt_expr_t *out)
{
    srt_rc rc = SRT_OK;
    if (t->l[i] >= 0)
        rc = emit(t, t->l[i], out);
    if (rc == SRT_OK && t->r[i] >= 0)
        rc = emit(t, t->r[i], out);
    if (rc == SRT_OK && (rc = srt_expr_reserve(out, out->len + 1)) == SRT_OK)
        out->nodes[out->len++] = t->n[i];
    return rc;
}

int srt_sr__simplify(srt_expr_t *e)
{
    return srt_sr__simplify_prec(e, SRT_SR__SIMPLIFY_FOLD | SRT_SR__SIMPLIFY_COMBINE, 64);
}

int srt_sr__simplify_steps(srt_expr_t *e, int steps)
{
    return srt_sr__simplify_prec(e, steps, 64);
}

int srt_sr__simplify_prec(srt_expr_t *e, int steps, long precision)
{
    if (e->len <= 1)
        return 0;
    int result = -1;
    uint32_t len = e->len;
    srt_expr_t out;
    srt_expr_init(&out);
    srt_node_t *nodes = malloc((size_t)len * sizeof *nodes);
    int32_t *links = malloc((size_t)len * 2 * sizeof *links);
    if (!nodes || !links)
        goto cleanup;
    memcpy(nodes, e->nodes, (size_t)len * sizeof *nodes);
    tree_t t = {nodes, links, links + len, precision == 32};
    for (uint32_t i = 0; i < len; i++) {
        t.l[i] = t.r[i] = -1;
        int a = srt_sr__arity(nodes[i].op);
        if (a == 1) {
            t.l[i] = (int32_t)i - 1;
        } else if (a == 2) {
            t.r[i] = (int32_t)i - 1;
            t.l[i] = (int32_t)i - 1 - (int32_t)nodes[i - 1].size;
        }
    }
    if (steps & SRT_SR__SIMPLIFY_FOLD)
        fold_constants(&t, len);
    int32_t root = (int32_t)len - 1;
    if (steps & SRT_SR__SIMPLIFY_COMBINE)
        root = combine(&t, root);
    if (srt_expr_reserve(&out, len) != SRT_OK || emit(&t, root, &out) != SRT_OK)
        goto cleanup;
    if (!srt_sr__fix_sizes(&out))
        goto cleanup;
    result = out.len != e->len || memcmp(out.nodes, e->nodes, (size_t)e->len * sizeof *e->nodes);
    if (result) {
        srt_expr_t tmp = *e;
        *e = out;
        out = tmp;
    }
cleanup:
    srt_expr_fini(&out);
    free(nodes);
    free(links);
    return result;
}
