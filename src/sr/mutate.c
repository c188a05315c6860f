/*
 * Random trees, mutations and crossover on the postfix form
 * (docs/sr-engine.md, "Mutations"), each following the function of
 * SymbolicRegression.jl v1.11's MutationFunctions.jl / Mutate.jl named in
 * its comment, with the same distribution of outcomes. Every structural edit builds the
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
    gen->perturbation_factor = srt_sr__f32(o->perturbation_factor);
    gen->probability_negate_constant = srt_sr__f32(o->probability_negate_constant);
    gen->f32 = o->precision == 32;
    srt_sr__cx_init(&gen->cx, o);
    gen->maps = &o->maps;
    gen->has_constraints = srt_sr__maps_any_constraint(&o->maps);
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

uint32_t srt_sr__count_consts(const srt_expr_t *e)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < e->len; i++)
        n += e->nodes[i].op == SRT_OP_CONST;
    return n;
}

/* ---- small builders ---- */

/* MutationFunctions.jl make_random_leaf: a N(0,1) constant or a uniform
 * feature, each half the time. */
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

/* Draws a new operator: binary with probability nbin / (nbin + nuna), as
 * MutationFunctions.jl append/insert/prepend_random_op draw it. */
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

/* Writes a new operator node with `sub` (range) as its left operand and, for
 * a binary operator, a random leaf as its right one into b (SR.jl's
 * insert_random_op and prepend_random_op: l = copy(node), r = a random leaf). */
static srt_rc wrap(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *b,
                   const srt_node_t *sub, uint32_t sublen)
{
    uint8_t op = random_op(gen, rng, 0);
    srt_rc rc = put_range(b, sub, sublen);
    if (rc == SRT_OK && srt_sr__arity(op) == 2)
        rc = put(b, random_leaf(gen, rng));
    if (rc == SRT_OK)
        rc = put(b, op_node(op));
    return rc;
}

/* MutationFunctions.jl append_random_op: the leaf at i becomes a new
 * operator whose operands are random leaves. i must be a leaf. */
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

/* MutationFunctions.jl gen_random_tree (its placeholder leaf is replaced by
 * the first append, so it starts from a random leaf here). */
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

/* MutationFunctions.jl gen_random_tree_fixed_size. */
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

/* MutationFunctions.jl mutate_constant + mutate_factor: val * factor with
 * factor = maxChange^u (or 1 / that, half the time), negated when
 * rand() > probability_negate_constant (as SR.jl writes it: the sign flips
 * with probability 1 - p). */
static void mutate_constant(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, double temperature,
                            srt_expr_t *e)
{
    long i = pick(e, is_const, rng);
    if (i < 0)
        return;
    double max_change = gen->perturbation_factor * temperature + 1.0 + 0.1;
    if (gen->f32) {
        /* T = Float32: factor = T(maxChange^rand(rng, T)); 1 / factor and
         * val * factor in Float32 */
        float f = (float)pow(max_change, (double)srt_sr__rng_uniform_f32(rng));
        if (!srt_sr__rng_bool(rng))
            f = 1.0f / f;
        if (srt_sr__rng_uniform(rng) > gen->probability_negate_constant)
            f = -f;
        float v = (float)e->nodes[i].value * f;
        e->nodes[i].value = (double)v;
        return;
    }
    double factor = pow(max_change, srt_sr__rng_uniform(rng));
    if (!srt_sr__rng_bool(rng))
        factor = 1.0 / factor;
    if (srt_sr__rng_uniform(rng) > gen->probability_negate_constant)
        factor *= -1.0;
    e->nodes[i].value *= factor;
}

/* MutationFunctions.jl mutate_operator: a random operator node gets a random
 * operator of its arity. */
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

/* MutationFunctions.jl swap_operands: a random binary node's operands swap. */
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

/* Child links of a tree for the rotation: l[i], r[i] (-1: none) by node
 * index, parent[i] (-1: the root). Unary nodes have only l. */
typedef struct {
    int32_t *l, *r, *parent;
    int32_t root;
} links_t;

static void links_build(const srt_expr_t *e, links_t *t)
{
    for (uint32_t i = 0; i < e->len; i++)
        t->l[i] = t->r[i] = t->parent[i] = -1;
    for (uint32_t i = 0; i < e->len; i++) {
        uint32_t cs[2], ce[2];
        int a = children(e, i, cs, ce);
        if (a >= 1) {
            t->l[i] = (int32_t)ce[0];
            t->parent[ce[0]] = (int32_t)i;
        }
        if (a == 2) {
            t->r[i] = (int32_t)ce[1];
            t->parent[ce[1]] = (int32_t)i;
        }
    }
    t->root = (int32_t)e->len - 1;
}

static int degree_of(const srt_expr_t *e, int32_t i)
{
    return srt_sr__arity(e->nodes[i].op);
}

/* MutationFunctions.jl is_valid_rotation_node. */
static int valid_rotation_node(const srt_expr_t *e, const links_t *t, int32_t i)
{
    int d = degree_of(e, i);
    return (d > 0 && degree_of(e, t->l[i]) > 0) || (d == 2 && degree_of(e, t->r[i]) > 0);
}

/* The filter of randomly_rotate_tree!'s subtree_parent: a node with a valid
 * rotation node as a child. */
static int rotation_parent(const srt_expr_t *e, const links_t *t, int32_t i)
{
    int d = degree_of(e, i);
    return (d > 0 && valid_rotation_node(e, t, t->l[i])) ||
           (d == 2 && valid_rotation_node(e, t, t->r[i]));
}

/* rightmost / set_rightmost!: r, or l for a unary node. */
static int32_t *rightmost(const srt_expr_t *e, links_t *t, int32_t i)
{
    return degree_of(e, i) == 1 ? &t->l[i] : &t->r[i];
}

/* Writes the subtree at i of the linked tree over src's nodes in postfix. */
static srt_rc emit(const srt_expr_t *src, const links_t *t, int32_t i, srt_expr_t *out)
{
    srt_rc rc = SRT_OK;
    if (t->l[i] >= 0)
        rc = emit(src, t, t->l[i], out);
    if (rc == SRT_OK && t->r[i] >= 0)
        rc = emit(src, t, t->r[i], out);
    return rc == SRT_OK ? put(out, src->nodes[i]) : rc;
}

/* MutationFunctions.jl randomly_rotate_tree!: rotation at the root with
 * probability 1 / (number of valid rotation nodes) when the root is one,
 * else under a random node with a valid rotation child (a random valid side
 * of a binary one); then a right rotation (the left child's rightmost child,
 * the inner grandchild, moves over) or a left one, at random when both are
 * possible. */
static srt_rc rotate_tree(srt_sr__rng_t *rng, srt_expr_t *e, srt_expr_t *scratch)
{
    int32_t small[3 * 384];
    int32_t *buf = e->len <= 384 ? small : malloc((size_t)e->len * 3 * sizeof *buf);
    if (!buf)
        return SRT_ERR_NOMEM;
    links_t t = {buf, buf + e->len, buf + 2 * e->len, 0};
    links_build(e, &t);
    srt_rc rc = SRT_OK;
    uint32_t nvalid = 0, nparent = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        nvalid += valid_rotation_node(e, &t, (int32_t)i) != 0;
        nparent += rotation_parent(e, &t, (int32_t)i) != 0;
    }
    if (nvalid == 0)
        goto cleanup;
    int at_root = valid_rotation_node(e, &t, t.root) &&
                  srt_sr__rng_uniform(rng) < 1.0 / (double)nvalid;
    int32_t sub = t.root, sub_parent = -1;
    if (!at_root) {
        uint64_t k = srt_sr__rng_below(rng, nparent);
        for (uint32_t i = 0; i < e->len; i++)
            if (rotation_parent(e, &t, (int32_t)i) && k-- == 0) {
                sub_parent = (int32_t)i;
                break;
            }
        int left = degree_of(e, sub_parent) == 1 ||
                   (valid_rotation_node(e, &t, t.l[sub_parent]) &&
                    (!valid_rotation_node(e, &t, t.r[sub_parent]) || srt_sr__rng_bool(rng)));
        sub = left ? t.l[sub_parent] : t.r[sub_parent];
    }
    int right_valid = degree_of(e, t.l[sub]) > 0;
    int left_valid = degree_of(e, sub) == 2 && degree_of(e, t.r[sub]) > 0;
    int32_t top;
    if (right_valid && (!left_valid || srt_sr__rng_bool(rng))) {
        int32_t n5 = sub, n3 = t.l[n5], n4 = *rightmost(e, &t, n3);
        t.l[n5] = n4;
        *rightmost(e, &t, n3) = n5;
        top = n3;
    } else {
        int32_t n3 = sub, n5 = *rightmost(e, &t, n3), n4 = t.l[n5];
        *rightmost(e, &t, n3) = n4;
        t.l[n5] = n3;
        top = n5;
    }
    if (sub_parent < 0)
        t.root = top;
    else if (t.l[sub_parent] == sub)
        t.l[sub_parent] = top;
    else
        t.r[sub_parent] = top;
    scratch->len = 0;
    if ((rc = emit(e, &t, t.root, scratch)) == SRT_OK)
        rc = commit(e, scratch);
cleanup:
    if (buf != small)
        free(buf);
    return rc;
}

/* MutationFunctions.jl prepend_random_op: a new root whose left operand is
 * the old tree. */
static srt_rc prepend_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                                srt_expr_t *scratch)
{
    scratch->len = 0;
    srt_rc rc = wrap(gen, rng, scratch, e->nodes, e->len);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* MutationFunctions.jl insert_random_op: a new operator above a uniformly
 * random node, that node's subtree as its left operand. */
static srt_rc insert_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                               srt_expr_t *scratch)
{
    uint32_t i = (uint32_t)srt_sr__rng_below(rng, e->len);
    uint32_t s = start_of(e, i);
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, s);
    if (rc == SRT_OK)
        rc = wrap(gen, rng, scratch, e->nodes + s, i - s + 1);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i + 1, e->len - i - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* MutationFunctions.jl random_node_and_parent: the root of a leaf; else a
 * child of a uniformly random operator node (the left one of a binary node
 * half the time), so the root of a larger tree is never picked. */
static uint32_t random_child_node(const srt_expr_t *e, srt_sr__rng_t *rng)
{
    if (e->len == 1)
        return 0;
    uint32_t p = (uint32_t)pick(e, is_opnode, rng);
    uint32_t cs[2], ce[2];
    int a = children(e, p, cs, ce);
    return a == 1 || srt_sr__rng_bool(rng) ? ce[0] : ce[1];
}

/* MutationFunctions.jl delete_random_op!: at the node random_node_and_parent
 * gives, a leaf becomes a new random leaf, a unary node its operand, a
 * binary node one of its operands (each half the time). */
static srt_rc delete_random_op(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_expr_t *e,
                               srt_expr_t *scratch)
{
    uint32_t i = random_child_node(e, rng);
    uint32_t cs[2], ce[2];
    int arity = children(e, i, cs, ce);
    if (arity == 0) {
        e->nodes[i] = random_leaf(gen, rng);
        return SRT_OK;
    }
    int k = arity == 1 || srt_sr__rng_bool(rng) ? 0 : 1;
    scratch->len = 0;
    srt_rc rc = put_range(scratch, e->nodes, start_of(e, i));
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + cs[k], ce[k] - cs[k] + 1);
    if (rc == SRT_OK)
        rc = put_range(scratch, e->nodes + i + 1, e->len - i - 1);
    return rc == SRT_OK ? commit(e, scratch) : rc;
}

/* Mutate.jl mutate! for the tree-changing kinds (add_node: append or
 * prepend, each half the time; randomize: MutationFunctions.jl
 * randomize_tree, a fixed-size random tree of 1..curmaxsize nodes). */
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

/* MutationFunctions.jl crossover_trees: the subtrees at random_node_and_parent
 * of each tree swap. */
srt_rc srt_sr__crossover(srt_sr__rng_t *rng, const srt_expr_t *a, const srt_expr_t *b,
                         srt_expr_t *ca, srt_expr_t *cb)
{
    uint32_t ia = random_child_node(a, rng);
    uint32_t ib = random_child_node(b, rng);
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

/* Mutate.jl condition_mutation_weights! (with condition_mutate_constant!)
 * on a copy of the weights, then CoreModule sample_mutation. */
srt_sr__mut_t srt_sr__pick_mutation(const srt_sr_options_t *o, const srt_expr_t *e,
                                    long curmaxsize, srt_sr__rng_t *rng)
{
    double w[SRT_SR__MUT_COUNT] = {
#define SRT_SR__MUT_W_(en, field) o->field,
        SRT_SR__MUT_LIST(SRT_SR__MUT_W_)
#undef SRT_SR__MUT_W_
    };
    if (e->len == 1) {
        /* a leaf: no operator to change, swap, delete or simplify; a feature
         * has no constant to mutate or optimise; nothing else applies */
        w[SRT_SR__MUT_MUTATE_OPERATOR] = 0;
        w[SRT_SR__MUT_SWAP_OPERANDS] = 0;
        w[SRT_SR__MUT_DELETE_NODE] = 0;
        w[SRT_SR__MUT_SIMPLIFY] = 0;
        if (e->nodes[0].op != SRT_OP_CONST) {
            w[SRT_SR__MUT_OPTIMIZE] = 0;
            w[SRT_SR__MUT_MUTATE_CONSTANT] = 0;
        }
    } else {
        int has_binary = 0;
        for (uint32_t i = 0; i < e->len && !has_binary; i++)
            has_binary = srt_sr__arity(e->nodes[i].op) == 2;
        if (!has_binary)
            w[SRT_SR__MUT_SWAP_OPERANDS] = 0;
        /* condition_mutate_constant! */
        uint32_t nconst = srt_sr__count_consts(e);
        w[SRT_SR__MUT_MUTATE_CONSTANT] *= (nconst < 8 ? nconst : 8) / 8.0;
        if (srt_sr_complexity(o, e) >= curmaxsize) {
            w[SRT_SR__MUT_ADD_NODE] = 0;
            w[SRT_SR__MUT_INSERT_NODE] = 0;
        }
        if (!o->should_simplify)
            w[SRT_SR__MUT_SIMPLIFY] = 0;
    }
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
