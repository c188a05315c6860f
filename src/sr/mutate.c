/*
 * Random trees, mutations and crossover on the postfix form (sr-engine.md,
 * "Mutations"; SR.jl's MutationFunctions). Every structural edit builds the
 * new node array in a scratch expression from ranges of the old one (a
 * subtree is a contiguous range) and then recomputes the subtree sizes, so a
 * result is always a well-formed tree; size and depth limits are the
 * caller's check (srt_sr__fits), with retries.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

void srt_sr__gen_init(srt_sr__gen_t *gen, const srt_sr_options_t *o, size_t nfeatures)
{
    gen->nfeatures = nfeatures;
    gen->n_binops = o->n_binops;
    gen->binops = o->binops;
    gen->n_unaops = o->n_unaops;
    gen->unaops = o->unaops;
    gen->maxsize = o->maxsize;
    gen->maxdepth = o->maxdepth > 0 ? o->maxdepth : o->maxsize;
    gen->perturbation_factor = o->perturbation_factor;
    gen->probability_negate_constant = o->probability_negate_constant;
}

int srt_sr__fix_sizes(srt_expr_t *e)
{
    uint32_t small[512];
    uint32_t *stack = e->len <= 512 ? small : malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return 0;
    uint32_t sp = 0;
    int ok = 1;
    for (uint32_t i = 0; i < e->len && ok; i++) {
        int arity = srt_sr__arity(e->nodes[i].op);
        if (arity < 0 || sp < (uint32_t)arity) {
            ok = 0;
            break;
        }
        uint32_t size = 1;
        for (int k = 0; k < arity; k++)
            size += stack[--sp];
        e->nodes[i].size = size;
        stack[sp++] = size;
    }
    if (stack != small)
        free(stack);
    return ok && sp == 1;
}

uint32_t srt_sr__depth(const srt_expr_t *e)
{
    uint32_t small[512];
    if (e->len > 512)
        return srt_expr_depth(e);
    uint32_t sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        int arity = srt_sr__arity(e->nodes[i].op);
        uint32_t d = 0;
        for (int k = 0; k < arity && sp > 0; k++) {
            uint32_t c = small[--sp];
            if (c > d)
                d = c;
        }
        small[sp++] = d + 1;
    }
    return sp ? small[sp - 1] : 0;
}

int srt_sr__fits(const srt_sr__gen_t *gen, const srt_expr_t *e)
{
    return e->len >= 1 && (long)e->len <= gen->maxsize && (long)srt_sr__depth(e) <= gen->maxdepth;
}

uint32_t srt_sr__count_consts(const srt_expr_t *e)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < e->len; i++)
        n += e->nodes[i].op == SRT_OP_CONST;
    return n;
}

/* ---- small builders ---- */

static srt_node_t random_leaf(const srt_sr__gen_t *gen, srt_sr__rng_t *rng)
{
    srt_node_t n = {SRT_OP_CONST, 0, 0, 1, 0.0};
    if (srt_sr__rng_bool(rng)) {
        n.value = srt_sr__rng_normal(rng);
    } else {
        n.op = SRT_OP_FEATURE;
        n.feature = (uint16_t)srt_sr__rng_below(rng, gen->nfeatures);
    }
    return n;
}

static srt_node_t op_node(uint8_t op)
{
    srt_node_t n = {op, 0, 0, 1, 0.0};
    return n;
}

/* Draws a new operator: binary with probability nbin / (nbin + nuna). */
static uint8_t random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, int force_unary)
{
    int nb = gen->n_binops, nu = gen->n_unaops;
    int binary = !force_unary && (nu == 0 || srt_sr__rng_uniform(rng) < (double)nb / (nb + nu));
    if (binary)
        return gen->binops[srt_sr__rng_below(rng, (uint64_t)nb)];
    return gen->unaops[srt_sr__rng_below(rng, (uint64_t)nu)];
}

static srt_rc put(srt_expr_t *b, srt_node_t n)
{
    srt_rc rc = srt_expr_reserve(b, b->len + 1);
    if (rc == SRT_OK)
        b->nodes[b->len++] = n;
    return rc;
}

static srt_rc put_range(srt_expr_t *b, const srt_node_t *src, uint32_t count)
{
    srt_rc rc = srt_expr_reserve(b, b->len + count);
    if (rc == SRT_OK && count) {
        memcpy(b->nodes + b->len, src, (size_t)count * sizeof *src);
        b->len += count;
    }
    return rc;
}

/* Start index of the subtree ending at i. */
static uint32_t start_of(const srt_expr_t *e, uint32_t i)
{
    return i + 1 - e->nodes[i].size;
}

/* Finishes an edit: e := scratch (sizes recomputed). */
static srt_rc commit(srt_expr_t *e, srt_expr_t *scratch)
{
    if (!srt_sr__fix_sizes(scratch))
        return SRT_ERR_INTERNAL;
    srt_expr_t t = *e;
    *e = *scratch;
    *scratch = t;
    return SRT_OK;
}

/* Index of the k-th node (0-based) for which pred holds. */
typedef int (*pred_fn)(const srt_expr_t *e, uint32_t i);

static int is_leaf(const srt_expr_t *e, uint32_t i)
{
    return srt_sr__arity(e->nodes[i].op) == 0;
}
static int is_const(const srt_expr_t *e, uint32_t i)
{
    return e->nodes[i].op == SRT_OP_CONST;
}
static int is_opnode(const srt_expr_t *e, uint32_t i)
{
    return srt_sr__arity(e->nodes[i].op) > 0;
}
static int is_binary(const srt_expr_t *e, uint32_t i)
{
    return srt_sr__arity(e->nodes[i].op) == 2;
}
/* An operator node with at least one operator child (a rotation root). */
static int is_rotation_root(const srt_expr_t *e, uint32_t i)
{
    int arity = srt_sr__arity(e->nodes[i].op);
    if (arity == 1)
        return e->nodes[i - 1].size > 1;
    if (arity == 2) {
        uint32_t r = i - 1, l = r - e->nodes[r].size;
        return e->nodes[r].size > 1 || e->nodes[l].size > 1;
    }
    return 0;
}

/* Picks a node uniformly among those satisfying pred; -1 when none. */
static long pick(const srt_expr_t *e, pred_fn pred, srt_sr__rng_t *rng)
{
    uint32_t count = 0;
    for (uint32_t i = 0; i < e->len; i++)
        count += pred(e, i) != 0;
    if (!count)
        return -1;
    uint64_t k = srt_sr__rng_below(rng, count);
    for (uint32_t i = 0; i < e->len; i++)
        if (pred(e, i) && k-- == 0)
            return (long)i;
    return -1;
}

/* Children of the operator node at i: start and end (inclusive) indices. */
static int children(const srt_expr_t *e, uint32_t i, uint32_t cs[2], uint32_t ce[2])
{
    int arity = srt_sr__arity(e->nodes[i].op);
    if (arity == 1) {
        ce[0] = i - 1;
        cs[0] = start_of(e, i - 1);
    } else if (arity == 2) {
        ce[1] = i - 1;
        cs[1] = start_of(e, i - 1);
        ce[0] = cs[1] - 1;
        cs[0] = start_of(e, ce[0]);
    }
    return arity;
}

/* Writes a new operator node with `sub` (range) as one operand and random
 * leaves for the others into b. */
static srt_rc wrap(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *b,
                   const srt_node_t *sub, uint32_t sublen, int force_unary)
{
    uint8_t op = random_op(gen, rng, force_unary);
    srt_rc rc;
    if (srt_sr__arity(op) == 1) {
        rc = put_range(b, sub, sublen);
    } else if (srt_sr__rng_bool(rng)) {
        rc = put_range(b, sub, sublen);
        if (rc == SRT_OK)
            rc = put(b, random_leaf(gen, rng));
    } else {
        rc = put(b, random_leaf(gen, rng));
        if (rc == SRT_OK)
            rc = put_range(b, sub, sublen);
    }
    if (rc == SRT_OK)
        rc = put(b, op_node(op));
    return rc;
}

/* Replaces the subtree ending at i by a new operator whose operands are
 * random leaves (SR.jl append_random_op). i must be a leaf. */
static srt_rc append_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                               uint32_t i, int force_unary, srt_expr_t *scratch)
{
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, i);
    uint8_t op = random_op(gen, rng, force_unary);
    if (rc == SRT_OK)
        rc = put(scratch, random_leaf(gen, rng));
    if (rc == SRT_OK && srt_sr__arity(op) == 2)
        rc = put(scratch, random_leaf(gen, rng));
    if (rc == SRT_OK)
        rc = put(scratch, op_node(op));
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i + 1, e->len - i - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

srt_rc srt_sr__random_tree(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, int nappend,
                           srt_expr_t *out)
{
    srt_expr_t scratch;
    srt_expr_init(&scratch);
    out->len = 0;
    srt_rc rc = put(out, random_leaf(gen, rng));
    for (int k = 0; k < nappend && rc == SRT_OK; k++) {
        long leaf = pick(out, is_leaf, rng);
        rc = append_random_op(gen, rng, out, (uint32_t)leaf, 0, &scratch);
    }
    srt_expr_fini(&scratch);
    return rc;
}

srt_rc srt_sr__random_tree_fixed_size(const srt_sr__gen_t *gen, srt_sr__rng_t *rng,
                                      long node_count, srt_expr_t *out)
{
    srt_expr_t scratch;
    srt_expr_init(&scratch);
    out->len = 0;
    srt_rc rc = put(out, random_leaf(gen, rng));
    while (rc == SRT_OK && (long)out->len < node_count) {
        int only_unary = (long)out->len == node_count - 1;
        if (only_unary && gen->n_unaops == 0)
            break;
        long leaf = pick(out, is_leaf, rng);
        rc = append_random_op(gen, rng, out, (uint32_t)leaf, only_unary, &scratch);
    }
    srt_expr_fini(&scratch);
    return rc;
}

/* ---- mutations ---- */

static void mutate_constant(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, double temperature,
                            srt_expr_t *e)
{
    long i = pick(e, is_const, rng);
    if (i < 0)
        return;
    double max_change = gen->perturbation_factor * temperature + 1.0 + 0.1;
    double factor = pow(max_change, srt_sr__rng_uniform(rng));
    if (srt_sr__rng_bool(rng))
        e->nodes[i].value *= factor;
    else
        e->nodes[i].value /= factor;
    if (srt_sr__rng_uniform(rng) < gen->probability_negate_constant)
        e->nodes[i].value = -e->nodes[i].value;
}

static void mutate_operator(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e)
{
    long i = pick(e, is_opnode, rng);
    if (i < 0)
        return;
    if (srt_sr__arity(e->nodes[i].op) == 2)
        e->nodes[i].op = gen->binops[srt_sr__rng_below(rng, (uint64_t)gen->n_binops)];
    else if (gen->n_unaops > 0)
        e->nodes[i].op = gen->unaops[srt_sr__rng_below(rng, (uint64_t)gen->n_unaops)];
}

static srt_rc swap_operands(srt_sr__rng_t *rng, srt_expr_t *e, srt_expr_t *scratch)
{
    long i = pick(e, is_binary, rng);
    if (i < 0)
        return SRT_OK;
    uint32_t cs[2], ce[2];
    children(e, (uint32_t)i, cs, ce);
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, cs[0]);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + cs[1], ce[1] - cs[1] + 1);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + cs[0], ce[0] - cs[0] + 1);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i, e->len - (uint32_t)i);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* rotate_tree: root R with an operator child P (position k), P's child G
 * (position j): R takes G in place of P, P takes R in place of G, and P
 * takes R's place. */
static srt_rc rotate_tree(srt_sr__rng_t *rng, srt_expr_t *e, srt_expr_t *scratch)
{
    long ri = pick(e, is_rotation_root, rng);
    if (ri < 0)
        return SRT_OK;
    uint32_t r = (uint32_t)ri;
    uint32_t rs[2], re[2], ps[2], pe[2];
    int ra = children(e, r, rs, re);
    int cand[2], ncand = 0;
    for (int k = 0; k < ra; k++)
        if (re[k] > rs[k])
            cand[ncand++] = k;
    int k = cand[srt_sr__rng_below(rng, (uint64_t)ncand)];
    uint32_t p = re[k];
    int pa = children(e, p, ps, pe);
    int j = (int)srt_sr__rng_below(rng, (uint64_t)pa);
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, start_of(e, r));
    /* P's operands before G */
    for (int q = 0; q < j && rc == SRT_OK; q++)
        rc = put_range(scratch, e->nodes + ps[q], pe[q] - ps[q] + 1);
    /* new R: R's operands with G in place of P */
    for (int q = 0; q < ra && rc == SRT_OK; q++) {
        if (q == k)
            rc = put_range(scratch, e->nodes + ps[j], pe[j] - ps[j] + 1);
        else
            rc = put_range(scratch, e->nodes + rs[q], re[q] - rs[q] + 1);
    }
    if (rc == SRT_OK)
        rc = put(scratch, e->nodes[r]);
    for (int q = j + 1; q < pa && rc == SRT_OK; q++)
        rc = put_range(scratch, e->nodes + ps[q], pe[q] - ps[q] + 1);
    if (rc == SRT_OK)
        rc = put(scratch, e->nodes[p]);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + r + 1, e->len - r - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* add_node, second half: a new root above the whole tree. */
static srt_rc prepend_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                                srt_expr_t *scratch)
{
    scratch->len = 0;
    srt_rc rc = wrap(gen, rng, scratch, e->nodes, e->len, 0);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* insert_node: a new operator above a random node. */
static srt_rc insert_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                               srt_expr_t *scratch)
{
    uint32_t i = (uint32_t)srt_sr__rng_below(rng, e->len);
    uint32_t s = start_of(e, i);
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, s);
    if (rc == SRT_OK)
        rc = wrap(gen, rng, scratch, e->nodes + s, i - s + 1, 0);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i + 1, e->len - i - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* delete_node: a leaf becomes a new random leaf; a unary node is replaced
 * by its operand, a binary one by a random operand. */
static srt_rc delete_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                               srt_expr_t *scratch)
{
    uint32_t i = (uint32_t)srt_sr__rng_below(rng, e->len);
    uint32_t cs[2], ce[2];
    int arity = children(e, i, cs, ce);
    if (arity == 0) {
        e->nodes[i] = random_leaf(gen, rng);
        return SRT_OK;
    }
    int k = arity == 1 ? 0 : (int)srt_sr__rng_below(rng, 2);
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, start_of(e, i));
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + cs[k], ce[k] - cs[k] + 1);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i + 1, e->len - i - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

srt_rc srt_sr__mutate(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_sr__mut_t kind,
                      double temperature, srt_expr_t *e, srt_expr_t *scratch)
{
    switch (kind) {
    case SRT_SR__MUT_MUTATE_CONSTANT:
        mutate_constant(gen, rng, temperature, e);
        return SRT_OK;
    case SRT_SR__MUT_MUTATE_OPERATOR:
        mutate_operator(gen, rng, e);
        return SRT_OK;
    case SRT_SR__MUT_SWAP_OPERANDS:
        return swap_operands(rng, e, scratch);
    case SRT_SR__MUT_ROTATE_TREE:
        return rotate_tree(rng, e, scratch);
    case SRT_SR__MUT_ADD_NODE:
        if (srt_sr__rng_bool(rng)) {
            long leaf = pick(e, is_leaf, rng);
            return append_random_op(gen, rng, e, (uint32_t)leaf, 0, scratch);
        }
        return prepend_random_op(gen, rng, e, scratch);
    case SRT_SR__MUT_INSERT_NODE:
        return insert_random_op(gen, rng, e, scratch);
    case SRT_SR__MUT_DELETE_NODE:
        return delete_random_op(gen, rng, e, scratch);
    case SRT_SR__MUT_RANDOMIZE: {
        long size = 1 + (long)srt_sr__rng_below(rng, (uint64_t)gen->maxsize);
        return srt_sr__random_tree_fixed_size(gen, rng, size, e);
    }
    default:
        return SRT_OK;
    }
}

srt_rc srt_sr__crossover(srt_sr__rng_t *rng, const srt_expr_t *a, const srt_expr_t *b,
                         srt_expr_t *ca, srt_expr_t *cb)
{
    uint32_t ia = (uint32_t)srt_sr__rng_below(rng, a->len);
    uint32_t ib = (uint32_t)srt_sr__rng_below(rng, b->len);
    uint32_t sa = start_of(a, ia), sb = start_of(b, ib);
    ca->len = 0;
    cb->len = 0;
    srt_rc rc = put_range(ca, a->nodes, sa);
    if (rc == SRT_OK)
        rc = put_range(ca, b->nodes + sb, ib - sb + 1);
    if (rc == SRT_OK)
        rc = put_range(ca, a->nodes + ia + 1, a->len - ia - 1);
    if (rc == SRT_OK)
        rc = put_range(cb, b->nodes, sb);
    if (rc == SRT_OK)
        rc = put_range(cb, a->nodes + sa, ia - sa + 1);
    if (rc == SRT_OK)
        rc = put_range(cb, b->nodes + ib + 1, b->len - ib - 1);
    if (rc == SRT_OK && (!srt_sr__fix_sizes(ca) || !srt_sr__fix_sizes(cb)))
        rc = SRT_ERR_INTERNAL;
    return rc;
}

srt_sr__mut_t srt_sr__pick_mutation(const srt_sr_options_t *o, const srt_expr_t *e,
                                    long curmaxsize, srt_sr__rng_t *rng)
{
    double w[SRT_SR__MUT_COUNT] = {
#define SRT_SR__MUT_W_(en, field) o->field,
        SRT_SR__MUT_LIST(SRT_SR__MUT_W_)
#undef SRT_SR__MUT_W_
    };
    uint32_t nconst = srt_sr__count_consts(e);
    if (e->len == 1) {
        w[SRT_SR__MUT_MUTATE_OPERATOR] = 0;
        w[SRT_SR__MUT_SWAP_OPERANDS] = 0;
        w[SRT_SR__MUT_DELETE_NODE] = 0;
        w[SRT_SR__MUT_SIMPLIFY] = 0;
    }
    int has_binary = 0;
    for (uint32_t i = 0; i < e->len && !has_binary; i++)
        has_binary = srt_sr__arity(e->nodes[i].op) == 2;
    if (!has_binary)
        w[SRT_SR__MUT_SWAP_OPERANDS] = 0;
    w[SRT_SR__MUT_MUTATE_CONSTANT] *= (nconst < 8 ? nconst : 8) / 8.0;
    if (nconst == 0)
        w[SRT_SR__MUT_OPTIMIZE] = 0;
    if ((long)e->len >= curmaxsize) {
        w[SRT_SR__MUT_ADD_NODE] = 0;
        w[SRT_SR__MUT_INSERT_NODE] = 0;
    }
    if (!o->should_simplify)
        w[SRT_SR__MUT_SIMPLIFY] = 0;
    double total = 0;
    for (int k = 0; k < SRT_SR__MUT_COUNT; k++)
        total += w[k];
    if (!(total > 0))
        return SRT_SR__MUT_DO_NOTHING;
    double u = srt_sr__rng_uniform(rng) * total;
    for (int k = 0; k < SRT_SR__MUT_COUNT; k++) {
        if (u < w[k])
            return (srt_sr__mut_t)k;
        u -= w[k];
    }
    for (int k = SRT_SR__MUT_COUNT - 1; k >= 0; k--)
        if (w[k] > 0)
            return (srt_sr__mut_t)k;
    return SRT_SR__MUT_DO_NOTHING;
}
