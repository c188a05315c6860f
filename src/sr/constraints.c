/*
 * SymbolicRegression.jl v1.11's CheckConstraints.jl on the postfix form:
 * check_constraints (size, depth, the per-operator argument complexities of
 * `constraints`, the nesting limits of `nested_constraints`), and the
 * engine's validation of the structured options against the operator lists
 * (srt_sr_maps_check). SR.jl checks a tree only where a mutation or a
 * crossover produces one (Mutate.jl next_generation and
 * crossover_generation); initial trees, simplification, constant
 * optimisation and migration are not checked, and neither are they here.
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

int srt_sr__fits(const srt_sr__gen_t *gen, const srt_expr_t *e)
{
    return e->len >= 1 && srt_sr__complexity(&gen->cx, e) <= gen->maxsize &&
           (long)srt_sr__depth(e) <= gen->maxdepth;
}

/* The limits SR.jl gets for op: PySR's _process_constraints puts the larger
 * limit of * on the left argument (-1 counting as the largest). */
static void limits_of(const srt_sr_maps_t *m, unsigned op, int32_t out[2])
{
    out[0] = out[1] = -1;
    if (op >= SRT_OP_COUNT || !m->constraint_set[op])
        return;
    out[0] = m->constraint[op][0];
    out[1] = srt_sr__arity(op) == 2 ? m->constraint[op][1] : -1;
    if (op == SRT_OP_MUL && out[0] != -1 && (out[1] == -1 || out[0] < out[1])) {
        int32_t t = out[0];
        out[0] = out[1];
        out[1] = t;
    }
}

void srt_sr_maps_constraint(const srt_sr_options_t *o, srt_op_t op, int32_t out[2])
{
    limits_of(&o->maps, (unsigned)op, out);
}

long srt_sr__max_nestedness(const srt_expr_t *e, uint32_t i, srt_op_t inner)
{
    /* tree_mapreduce(leaf -> 0, branch -> is inner, (p, c...) -> p + max(c...))
     * over the subtree ending at i, computed bottom-up in postfix order */
    uint32_t start = i + 1 - e->nodes[i].size;
    uint32_t small[256];
    uint32_t n = e->nodes[i].size;
    uint32_t *cnt = n <= 256 ? small : malloc((size_t)n * sizeof *cnt);
    if (!cnt)
        return LONG_MAX;
    for (uint32_t k = 0; k < n; k++) {
        const srt_node_t *nd = &e->nodes[start + k];
        int arity = srt_sr__arity(nd->op);
        uint32_t v = 0;
        if (arity == 1) {
            v = cnt[k - 1];
        } else if (arity == 2) {
            uint32_t right = k - 1, left = right - e->nodes[start + right].size;
            v = cnt[left] > cnt[right] ? cnt[left] : cnt[right];
        }
        cnt[k] = arity > 0 ? v + (nd->op == (uint8_t)inner) : 0;
    }
    long nest = (long)cnt[n - 1] - (e->nodes[i].op == (uint8_t)inner ? 1 : 0);
    if (cnt != small)
        free(cnt);
    return nest;
}

/* flag_bin_operator_complexity / flag_una_operator_complexity: 1 when an
 * argument of a constrained operator is past its limit. raw holds the
 * unrounded subtree complexities. */
static int flag_operator_complexity(const srt_sr__gen_t *gen, const srt_expr_t *e,
                                    const double *raw)
{
    for (uint32_t i = 0; i < e->len; i++) {
        uint8_t op = e->nodes[i].op;
        if (op >= SRT_OP_COUNT || !gen->maps->constraint_set[op])
            continue;
        int32_t lim[2];
        limits_of(gen->maps, op, lim);
        int arity = srt_sr__arity(op);
        if (arity == 1) {
            if (lim[0] > -1 && srt_sr__round_complexity(raw[i - 1]) > lim[0])
                return 1;
        } else if (arity == 2) {
            uint32_t right = i - 1, left = right - e->nodes[right].size;
            if (lim[0] > -1 && srt_sr__round_complexity(raw[left]) > lim[0])
                return 1;
            if (lim[1] > -1 && srt_sr__round_complexity(raw[right]) > lim[1])
                return 1;
        }
    }
    return 0;
}

/* flag_illegal_nests: 1 when some outer operator has more than the allowed
 * number of an inner one nested in it. */
static int flag_illegal_nests(const srt_sr__gen_t *gen, const srt_expr_t *e)
{
    for (uint32_t i = 0; i < e->len; i++) {
        uint8_t outer = e->nodes[i].op;
        if (outer >= SRT_OP_COUNT || srt_sr__arity(outer) == 0)
            continue;
        for (int inner = 0; inner < SRT_OP_COUNT; inner++) {
            if (!gen->maps->nested_set[outer][inner])
                continue;
            if (srt_sr__max_nestedness(e, i, (srt_op_t)inner) > gen->maps->nested[outer][inner])
                return 1;
        }
    }
    return 0;
}

int srt_sr__check_constraints(const srt_sr__gen_t *gen, const srt_expr_t *e)
{
    if (e->len < 1 || (long)srt_sr__depth(e) > gen->maxdepth)
        return 0;
    if (!gen->cx.custom && !gen->has_constraints)
        return (long)e->len <= gen->maxsize;
    double small[256];
    double *raw = e->len <= 256 ? small : malloc((size_t)e->len * sizeof *raw);
    if (!raw)
        return 0;
    srt_sr__raw_complexities(&gen->cx, e, raw);
    int ok = srt_sr__round_complexity(raw[e->len - 1]) <= gen->maxsize;
    if (ok && gen->has_constraints)
        ok = !flag_operator_complexity(gen, e, raw) && !flag_illegal_nests(gen, e);
    if (raw != small)
        free(raw);
    return ok;
}

/* ---- validation of the structured options ---- */

static int in_lists(const srt_sr_options_t *o, int op)
{
    for (int i = 0; i < o->n_binops; i++)
        if (o->binops[i] == op)
            return 1;
    for (int i = 0; i < o->n_unaops; i++)
        if (o->unaops[i] == op)
            return 1;
    return 0;
}

static const char *list_of(int op)
{
    return srt_op_arity((srt_op_t)op) == 2 ? "binary_operators" : "unary_operators";
}

srt_rc srt_sr_maps_check(const srt_sr_options_t *o, size_t nfeatures, srt_err_t *err)
{
    const srt_sr_maps_t *m = &o->maps;
    for (int op = 0; op < SRT_OP_COUNT; op++) {
        if (m->op_complexity_set[op]) {
            const char *name = srt_op_name((srt_op_t)op);
            if (srt_op_arity((srt_op_t)op) == 0)
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_operators", 0,
                                   "'%s' is not an operator", name);
            if (!in_lists(o, op))
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_operators", 0,
                                   "'%s' is not in %s", name,
                                   list_of(op));
            if (!(m->op_complexity[op] >= 0 && m->op_complexity[op] <= 1e6))
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_operators", 0,
                                   "'%s' = %g is outside [0, 1e+06]",
                                   name, m->op_complexity[op]);
        }
        if (m->constraint_set[op]) {
            const char *name = srt_op_name((srt_op_t)op);
            int arity = srt_op_arity((srt_op_t)op);
            if (arity == 0 || !in_lists(o, op))
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "constraints", 0,
                                   "'%s' is not in %s", name,
                                   arity ? list_of(op) : "the operator lists");
            for (int k = 0; k < arity; k++)
                if (m->constraint[op][k] < -1)
                    return srt_err_set(err, SRT_ERR_CONFIG, NULL, "constraints", 0,
                                       "'%s' limit %ld must be -1 (no limit) or "
                                       "at least 0",
                                       name, (long)m->constraint[op][k]);
            if ((op == SRT_OP_ADD || op == SRT_OP_SUB) &&
                m->constraint[op][0] != m->constraint[op][1])
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "constraints", 0,
                                   "'%s' needs equal limits on both sides (PySR "
                                   "refuses others, due to simplification strategies)",
                                   name);
        }
        for (int in = 0; in < SRT_OP_COUNT; in++) {
            if (!m->nested_set[op][in])
                continue;
            const char *outer = srt_op_name((srt_op_t)op), *inner = srt_op_name((srt_op_t)in);
            if (srt_op_arity((srt_op_t)op) == 0 || !in_lists(o, op))
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "nested_constraints", 0,
                                   "'%s' is not in %s", outer,
                                   srt_op_arity((srt_op_t)op) ? list_of(op) : "the operator lists");
            if (srt_op_arity((srt_op_t)in) == 0 || !in_lists(o, in))
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "nested_constraints", 0,
                                   "'%s' (nested in '%s') is not in %s", inner, outer,
                                   srt_op_arity((srt_op_t)in) ? list_of(in) : "the operator lists");
            if (m->nested[op][in] < -1)
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, "nested_constraints", 0,
                                   "'%s' in '%s' = %ld must be at least -1",
                                   inner, outer, (long)m->nested[op][in]);
        }
    }
    if (m->n_var_complexity > SRT_SR_MAX_VAR_COMPLEXITIES)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_variables", 0,
                           "at most %d entries are supported",
                           SRT_SR_MAX_VAR_COMPLEXITIES);
    for (uint32_t f = 0; f < m->n_var_complexity; f++)
        if (!(m->var_complexity[f] >= 0 && m->var_complexity[f] <= 1e6))
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_variables", 0,
                               "entry %u = %g is outside [0, 1e+06]", f,
                               m->var_complexity[f]);
    if (nfeatures > 0 && m->n_var_complexity > 0 && m->n_var_complexity != nfeatures)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "complexity_of_variables", 0,
                           "the list has %u entries but the data has "
                           "%zu features (PySR: the number of elements must equal the number "
                           "of features in X)",
                           m->n_var_complexity, nfeatures);
    return SRT_OK;
}

int srt_sr__maps_any_constraint(const srt_sr_maps_t *m)
{
    for (int op = 0; op < SRT_OP_COUNT; op++) {
        if (m->constraint_set[op])
            return 1;
        for (int in = 0; in < SRT_OP_COUNT; in++)
            if (m->nested_set[op][in])
                return 1;
    }
    return 0;
}
