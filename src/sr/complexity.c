/*
 * Expression complexity as SymbolicRegression.jl v1.11's Complexity.jl
 * computes it: the node count by default; with complexity_of_operators,
 * complexity_of_constants or complexity_of_variables the sum of the nodes'
 * weights, rounded to the nearest integer (Julia's round(Int, x): ties to
 * even). Every complexity the search uses (cost, frequencies, tournament,
 * maxsize checks, hall of fame, Pareto front and volume) comes from here.
 * Also SearchUtils.jl get_cur_maxsize (warmup_maxsize_by).
 */
#include <limits.h>
#include <math.h>
#include <stdlib.h>

#include "sr/sr_int.h"

void srt_sr__cx_init(srt_sr__cx_t *cx, const srt_sr_options_t *o)
{
    const srt_sr_maps_t *m = &o->maps;
    int custom = o->complexity_of_constants != 1.0 || o->complexity_of_variables != 1.0;
    for (int op = 0; op < SRT_OP_COUNT; op++) {
        cx->op[op] = m->op_complexity_set[op] ? m->op_complexity[op] : 1.0;
        custom |= cx->op[op] != 1.0;
    }
    cx->op[SRT_OP_CONST] = o->complexity_of_constants;
    cx->op[SRT_OP_FEATURE] = o->complexity_of_variables;
    cx->var = o->complexity_of_variables;
    cx->n_vars = m->n_var_complexity <= SRT_SR_MAX_VAR_COMPLEXITIES ? m->n_var_complexity : 0;
    cx->vars = cx->n_vars ? m->var_complexity : NULL;
    for (uint32_t f = 0; f < cx->n_vars; f++)
        custom |= cx->vars[f] != 1.0;
    cx->custom = custom;
}

/* Weight of node n on its own. */
static double node_weight(const srt_sr__cx_t *cx, const srt_node_t *n)
{
    if (n->op == SRT_OP_FEATURE)
        return cx->vars && n->feature < cx->n_vars ? cx->vars[n->feature] : cx->var;
    return n->op < SRT_OP_COUNT ? cx->op[n->op] : 1.0;
}

void srt_sr__raw_complexities(const srt_sr__cx_t *cx, const srt_expr_t *e, double *raw)
{
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *n = &e->nodes[i];
        if (!cx->custom) {
            raw[i] = (double)n->size;
            continue;
        }
        int arity = srt_sr__arity(n->op);
        double v = node_weight(cx, n);
        if (arity == 1) {
            v = v + raw[i - 1];
        } else if (arity == 2) {
            uint32_t right = i - 1, left = right - e->nodes[right].size;
            v = (v + raw[left]) + raw[right];
        }
        raw[i] = v;
    }
}

long srt_sr__round_complexity(double raw)
{
    return (long)nearbyint(raw); /* the default rounding mode: nearest, ties to even */
}

long srt_sr__complexity(const srt_sr__cx_t *cx, const srt_expr_t *e)
{
    if (!cx->custom)
        return (long)e->len;
    double small[256];
    double *raw = e->len <= 256 ? small : malloc((size_t)e->len * sizeof *raw);
    if (!raw)
        return LONG_MAX; /* out of memory: too complex for any limit */
    srt_sr__raw_complexities(cx, e, raw);
    long c = e->len ? srt_sr__round_complexity(raw[e->len - 1]) : 0;
    if (raw != small)
        free(raw);
    return c;
}

long srt_sr_complexity(const srt_sr_options_t *o, const srt_expr_t *e)
{
    srt_sr__cx_t cx;
    srt_sr__cx_init(&cx, o);
    return srt_sr__complexity(&cx, e);
}

long srt_sr__cur_maxsize(const srt_sr_options_t *o, double total, double elapsed)
{
    /* fraction_elapsed = 1.0f0 * cycles_elapsed / total_cycles and the rest
     * in Float32, as options.warmup_maxsize_by is a Float32 */
    float by = (float)o->warmup_maxsize_by;
    if (!(by > 0.0f) || !(total > 0.0))
        return o->maxsize;
    float frac = (float)elapsed / (float)total;
    if (!(frac <= by))
        return o->maxsize;
    float grown = (float)(o->maxsize - 3) * frac / by;
    return 3 + (long)floorf(grown);
}
