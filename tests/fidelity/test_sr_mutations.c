/*
 * Fidelity of the mutations and crossover to SymbolicRegression.jl v1.11
 * (src/MutationFunctions.jl, src/Mutate.jl): on fixed trees, each mutation
 * gives exactly the set of outcomes SR.jl's code can give, with SR.jl's
 * probabilities (Pearson chi-square at a fixed seed, 0.0005 level). The
 * expected tables are worked out by hand from the Julia source named in
 * each test. Random leaves (make_random_leaf) are a constant ("c") half the
 * time, else a uniform feature. Trees are written in postfix; outcomes are
 * printed with every constant as "c".
 */
#include "fidelity.h"

#define N 40000

static srt_sr_options_t opts;
static srt_sr__gen_t gen;

/* binops {+, *}, unaops {cos}, 2 features: binary with probability 2/3 */
static void setup(int nbin, const srt_op_t *bin, int nuna, const srt_op_t *una, size_t nf)
{
    srt_sr_options_default(&opts, SRT_SR_PRESET_PYSR1);
    opts.maxsize = 30;
    opts.maxdepth = 30;
    opts.n_binops = nbin;
    for (int k = 0; k < nbin; k++)
        opts.binops[k] = (uint8_t)bin[k];
    opts.n_unaops = nuna;
    for (int k = 0; k < nuna; k++)
        opts.unaops[k] = (uint8_t)una[k];
    srt_sr__gen_init(&gen, &opts, nf);
}

static void setup_plus_times_cos(void)
{
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_MUL}, una[] = {SRT_OP_COS};
    setup(2, bin, 1, una, 2);
}

/* Runs kind N times on the tree and tallies the shapes. */
static void run_mutation(fid_table_t *t, const char *postfix, srt_sr__mut_t kind, uint64_t seed)
{
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, seed);
    srt_expr_t e, s;
    srt_expr_init(&e);
    srt_expr_init(&s);
    for (long i = 0; i < N; i++) {
        fid_parse(&e, postfix);
        CU_ASSERT_FATAL(srt_sr__mutate(&gen, &r, kind, 1.0, &e, &s) == SRT_OK);
        CU_ASSERT_FATAL(srt_expr_is_valid(&e, gen.nfeatures));
        fid_observe(t, fid_shape(&e));
    }
    srt_expr_fini(&e);
    srt_expr_fini(&s);
}

/* Leaf classes for 2 features: c 1/2, x0 1/4, x1 1/4. */
static const char *const LEAF[3] = {"c", "x0", "x1"};
static const double PLEAF[3] = {0.5, 0.25, 0.25};

/* test/test_rotation.jl "Basic `randomly_rotate_tree!`": 1.5 * x1 + x2
 * rotates to 1.5 * (x1 + x2), and back (x1, x2 are x0, x1 here). */
static void rotation_basic_case_of_test_rotation_jl(void)
{
    setup_plus_times_cos();
    fid_table_t t = {0};
    fid_expect(&t, "(c * (x0 + x1))", 1.0);
    run_mutation(&t, "1.5 x0 * x1 +", SRT_SR__MUT_ROTATE_TREE, 1);
    fid_check(&t, "rotate 1.5 * x0 + x1");
    /* rotating back gives the original, its constant included */
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 2);
    srt_expr_t e, s;
    srt_expr_init(&e);
    srt_expr_init(&s);
    fid_parse(&e, "1.5 x0 * x1 +");
    srt_sr__mutate(&gen, &r, SRT_SR__MUT_ROTATE_TREE, 1.0, &e, &s);
    srt_sr__mutate(&gen, &r, SRT_SR__MUT_ROTATE_TREE, 1.0, &e, &s);
    char *str = srt_expr_to_string(&e, NULL, SRT_EXPR_STYLE_PYSR);
    CU_ASSERT_STRING_EQUAL(str, "((1.5 * x0) + x1)");
    free(str);
    /* no-op on a leaf */
    fid_parse(&e, "x0");
    srt_sr__mutate(&gen, &r, SRT_SR__MUT_ROTATE_TREE, 1.0, &e, &s);
    CU_ASSERT_EQUAL(e.len, 1);
    srt_expr_fini(&e);
    srt_expr_fini(&s);
}

/* test/test_rotation.jl "Complex `randomly_rotate_tree!`", with the
 * probabilities of randomly_rotate_tree!: rotate at the root with
 * probability 1 / (valid rotation nodes) when it is one, right or left at
 * random when both are possible. */
static void rotation_complex_cases_of_test_rotation_jl(void)
{
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_MUL, SRT_OP_SUB, SRT_OP_DIV};
    const srt_op_t una[] = {SRT_OP_COS, SRT_OP_EXP};
    setup(4, bin, 2, una, 3);
    /* (1.5 * x0) + (2.5 / x2): only the root is valid; right or left */
    fid_table_t a = {0};
    fid_expect(&a, "(((c * x0) + c) / x2)", 0.5);
    fid_expect(&a, "(c * (x0 + (c / x2)))", 0.5);
    run_mutation(&a, "1.5 x0 * 2.5 x2 / +", SRT_SR__MUT_ROTATE_TREE, 3);
    fid_check(&a, "rotate (1.5 * x0) + (2.5 / x2)");
    /* (1.5 * exp(x0)) + (2.5 / x2): valid nodes + and *; the root with 1/2
     * (then right or left), else * under + (left rotation only) */
    fid_table_t b = {0};
    fid_expect(&b, "(((c * exp(x0)) + c) / x2)", 0.25);
    fid_expect(&b, "(c * (exp(x0) + (c / x2)))", 0.25);
    fid_expect(&b, "(exp((c * x0)) + (c / x2))", 0.5);
    run_mutation(&b, "1.5 x0 exp * 2.5 x2 / +", SRT_SR__MUT_ROTATE_TREE, 4);
    fid_check(&b, "rotate (1.5 * exp(x0)) + (2.5 / x2)");
    /* exp((1.5 * x0) + (2.5 / x2)): exp at the root with 1/2 (right only),
     * else + under exp (right or left) */
    fid_table_t c = {0};
    fid_expect(&c, "((c * x0) + exp((c / x2)))", 0.5);
    fid_expect(&c, "exp((((c * x0) + c) / x2))", 0.25);
    fid_expect(&c, "exp((c * (x0 + (c / x2))))", 0.25);
    run_mutation(&c, "1.5 x0 * 2.5 x2 / + exp", SRT_SR__MUT_ROTATE_TREE, 5);
    fid_check(&c, "rotate exp((1.5 * x0) + (2.5 / x2))");
}

/* The binary-binary case of issue 13: (x0 + x1) * (x2 - x3) has two
 * rotations (the inner grandchild x1 or x2 moves), never four. */
static void rotation_moves_the_inner_grandchild_only(void)
{
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_SUB, SRT_OP_MUL}, una[] = {SRT_OP_COS};
    setup(3, bin, 1, una, 4);
    fid_table_t t = {0};
    fid_expect(&t, "(x0 + (x1 * (x2 - x3)))", 0.5);
    fid_expect(&t, "(((x0 + x1) * x2) - x3)", 0.5);
    run_mutation(&t, "x0 x1 + x2 x3 - *", SRT_SR__MUT_ROTATE_TREE, 6);
    fid_check(&t, "rotate (x0 + x1) * (x2 - x3)");
}

/* MutationFunctions.jl insert_random_op: a uniform node, binary with
 * probability nbin / (nbin + nuna) (op uniform, the old subtree as l, a
 * random leaf as r), else unary over it. */
static void insert_random_op_distribution(void)
{
    setup_plus_times_cos();
    fid_table_t t = {0};
    const char *fmt_bin[3] = {"((x0 %s %s) + x1)", "(x0 + (x1 %s %s))", "((x0 + x1) %s %s)"};
    const char *una[3] = {"(cos(x0) + x1)", "(x0 + cos(x1))", "cos((x0 + x1))"};
    const char *ops[2] = {"+", "*"};
    char name[160];
    for (int pos = 0; pos < 3; pos++) {
        for (int op = 0; op < 2; op++)
            for (int l = 0; l < 3; l++) {
                snprintf(name, sizeof name, fmt_bin[pos], ops[op], LEAF[l]);
                fid_expect(&t, name, (1.0 / 3) * (2.0 / 3) * 0.5 * PLEAF[l]);
            }
        fid_expect(&t, una[pos], (1.0 / 3) * (1.0 / 3));
    }
    run_mutation(&t, "x0 x1 +", SRT_SR__MUT_INSERT_NODE, 7);
    fid_check(&t, "insert_node on x0 + x1");
}

/* Mutate.jl mutate! :add_node: append_random_op or prepend_random_op, each
 * half the time. prepend: a new root with the old tree as l (and a random
 * leaf as r); append: a uniform leaf becomes a new operator over random
 * leaves. */
static void add_node_distribution(void)
{
    setup_plus_times_cos();
    fid_table_t t = {0};
    const char *ops[2] = {"+", "*"};
    char name[160], sub[64];
    for (int op = 0; op < 2; op++)
        for (int l = 0; l < 3; l++) {
            snprintf(name, sizeof name, "((x0 + x1) %s %s)", ops[op], LEAF[l]);
            fid_expect(&t, name, 0.5 * (2.0 / 3) * 0.5 * PLEAF[l]);
        }
    fid_expect(&t, "cos((x0 + x1))", 0.5 * (1.0 / 3));
    for (int pos = 0; pos < 2; pos++) {
        for (int op = 0; op < 2; op++)
            for (int l1 = 0; l1 < 3; l1++)
                for (int l2 = 0; l2 < 3; l2++) {
                    snprintf(sub, sizeof sub, "(%s %s %s)", LEAF[l1], ops[op], LEAF[l2]);
                    snprintf(name, sizeof name, pos ? "(x0 + %s)" : "(%s + x1)", sub);
                    fid_expect(&t, name, 0.5 * 0.5 * (2.0 / 3) * 0.5 * PLEAF[l1] * PLEAF[l2]);
                }
        for (int l = 0; l < 3; l++) {
            snprintf(sub, sizeof sub, "cos(%s)", LEAF[l]);
            snprintf(name, sizeof name, pos ? "(x0 + %s)" : "(%s + x1)", sub);
            fid_expect(&t, name, 0.5 * 0.5 * (1.0 / 3) * PLEAF[l]);
        }
    }
    run_mutation(&t, "x0 x1 +", SRT_SR__MUT_ADD_NODE, 8);
    fid_check(&t, "add_node on x0 + x1");
}

/* MutationFunctions.jl delete_random_op! at random_node_and_parent: a
 * uniform operator node, then its child (l or r half the time); a leaf
 * becomes a random leaf, a unary node its operand, a binary node l or r.
 * The root of a larger tree is never deleted. */
static void delete_random_op_distribution(void)
{
    setup_plus_times_cos();
    fid_table_t t = {0};
    char name[160];
    fid_expect(&t, "(x0 * cos(x0))", 1.0 / 12);
    fid_expect(&t, "(x1 * cos(x0))", 1.0 / 12);
    fid_expect(&t, "((x0 + x1) * x0)", 1.0 / 6);
    for (int l = 0; l < 3; l++) {
        snprintf(name, sizeof name, "((%s + x1) * cos(x0))", LEAF[l]);
        fid_expect(&t, name, PLEAF[l] / 6);
        snprintf(name, sizeof name, "((x0 + %s) * cos(x0))", LEAF[l]);
        fid_expect(&t, name, PLEAF[l] / 6);
        snprintf(name, sizeof name, "((x0 + x1) * cos(%s))", LEAF[l]);
        fid_expect(&t, name, PLEAF[l] / 3);
    }
    run_mutation(&t, "x0 x1 + x0 cos *", SRT_SR__MUT_DELETE_NODE, 9);
    fid_check(&t, "delete_node on (x0 + x1) * cos(x0)");
}

/* MutationFunctions.jl swap_operands: a uniform binary node. */
static void swap_operands_distribution(void)
{
    setup_plus_times_cos();
    fid_table_t t = {0};
    fid_expect(&t, "(cos((x0 * x1)) / (x0 - x1))", 1.0 / 3);
    fid_expect(&t, "((x1 - x0) / cos((x0 * x1)))", 1.0 / 3);
    fid_expect(&t, "((x0 - x1) / cos((x1 * x0)))", 1.0 / 3);
    run_mutation(&t, "x0 x1 - x0 x1 * cos /", SRT_SR__MUT_SWAP_OPERANDS, 10);
    fid_check(&t, "swap_operands on (x0 - x1) / cos(x0 * x1)");
}

/* MutationFunctions.jl mutate_operator: a uniform operator node gets a
 * uniform operator of its arity (possibly the same one). */
static void mutate_operator_distribution(void)
{
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_SUB, SRT_OP_MUL, SRT_OP_DIV};
    const srt_op_t una[] = {SRT_OP_COS, SRT_OP_SIN};
    setup(4, bin, 2, una, 2);
    fid_table_t t = {0};
    const char *ops[4] = {"+", "-", "*", "/"};
    char name[160];
    for (int k = 0; k < 4; k++) {
        snprintf(name, sizeof name, "((x0 + x1) %s cos(x0))", ops[k]);
        fid_expect(&t, name, 1.0 / 12);
        snprintf(name, sizeof name, "((x0 %s x1) * cos(x0))", ops[k]);
        fid_expect(&t, name, 1.0 / 12);
    }
    fid_expect(&t, "((x0 + x1) * cos(x0))", 1.0 / 6);
    fid_expect(&t, "((x0 + x1) * sin(x0))", 1.0 / 6);
    run_mutation(&t, "x0 x1 + x0 cos *", SRT_SR__MUT_MUTATE_OPERATOR, 11);
    fid_check(&t, "mutate_operator on (x0 + x1) * cos(x0)");
}

/* MutationFunctions.jl mutate_constant / mutate_factor: val * factor,
 * factor = maxChange^u (u uniform), inverted half the time, negated when
 * rand() > probability_negate_constant: with probability 1 - p, as the
 * code is written. maxChange = perturbation_factor * T + 1 + 1/10. */
static void mutate_constant_at(int f32)
{
    setup_plus_times_cos();
    gen.f32 = f32;
    const double ps[3] = {0.00743, 0.25, 0.9};
    const double temps[3] = {1.0, 0.5, 0.0};
    for (int q = 0; q < 3; q++) {
        gen.probability_negate_constant = ps[q];
        double max_change = gen.perturbation_factor * temps[q] + 1.0 + 0.1;
        srt_sr__rng_t r;
        srt_sr__rng_seed(&r, 12 + (uint64_t)q);
        srt_expr_t e, s;
        srt_expr_init(&e);
        srt_expr_init(&s);
        fid_table_t sign = {0}, mag = {0};
        fid_expect(&sign, "negated", 1.0 - ps[q]);
        fid_expect(&sign, "kept", ps[q]);
        char name[32];
        for (int b = 0; b < 10; b++) {
            snprintf(name, sizeof name, "bin %d", b);
            fid_expect(&mag, name, 0.1);
        }
        for (long i = 0; i < N; i++) {
            fid_parse(&e, "x0 2.0 *");
            CU_ASSERT_FATAL(srt_sr__mutate(&gen, &r, SRT_SR__MUT_MUTATE_CONSTANT, temps[q], &e,
                                           &s) == SRT_OK);
            double v = e.nodes[1].value;
            fid_observe(&sign, v < 0 ? "negated" : "kept");
            /* log(|v / 2|) / log(maxChange) is uniform on (-1, 1) */
            double z = log(fabs(v / 2.0)) / log(max_change);
            double tol = f32 ? 1e-5 : 1e-12; /* Float32 factor and product at 32 */
            CU_ASSERT(z > -1.0 - tol && z < 1.0 + tol);
            if (f32)
                CU_ASSERT_EQUAL(srt_sr__f32(v), v);
            int b = (int)floor((z + 1.0) * 5.0);
            snprintf(name, sizeof name, "bin %d", b < 0 ? 0 : b > 9 ? 9 : b);
            fid_observe(&mag, name);
        }
        fid_check(&sign, "mutate_constant sign");
        fid_check(&mag, "mutate_constant magnitude");
        srt_expr_fini(&e);
        srt_expr_fini(&s);
    }
    gen.f32 = 0;
}

/* In Float64 and, at precision 32, in Float32 as SR.jl with T = Float32
 * (factor = T(maxChange^rand(rng, T)), the product in Float32). */
static void mutate_constant_negates_with_probability_one_minus_p(void)
{
    mutate_constant_at(0);
    mutate_constant_at(1);
}

/* MutationFunctions.jl crossover_trees: the subtrees at
 * random_node_and_parent of each tree swap (the whole tree of a leaf, never
 * the root of a larger one). */
static void crossover_distribution(void)
{
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_MUL}, una[] = {SRT_OP_SIN};
    setup(2, bin, 1, una, 4);
    struct {
        const char *a, *b;
        int n;
        const char *out[4];
        double p[4];
    } cases[] = {
        {"x0 x1 +", "x2 sin", 2, {"(x2 + x1) | sin(x0)", "(x0 + x2) | sin(x1)"}, {0.5, 0.5}},
        {"x0 x1 +", "x2", 2, {"(x2 + x1) | x0", "(x0 + x2) | x1"}, {0.5, 0.5}},
        {"x0 x1 + x2 *",
         "x3",
         4,
         {"(x3 * x2) | (x0 + x1)", "((x0 + x1) * x3) | x2", "((x3 + x1) * x2) | x0",
          "((x0 + x3) * x2) | x1"},
         {0.25, 0.25, 0.25, 0.25}},
    };
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 15);
    srt_expr_t a, b, ca, cb;
    srt_expr_init(&a);
    srt_expr_init(&b);
    srt_expr_init(&ca);
    srt_expr_init(&cb);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        fid_table_t t = {0};
        for (int q = 0; q < cases[k].n; q++)
            fid_expect(&t, cases[k].out[q], cases[k].p[q]);
        fid_parse(&a, cases[k].a);
        fid_parse(&b, cases[k].b);
        for (long i = 0; i < N; i++) {
            CU_ASSERT_FATAL(srt_sr__crossover(&r, &a, &b, &ca, &cb) == SRT_OK);
            char name[160];
            snprintf(name, sizeof name, "%s | ", fid_shape(&ca));
            snprintf(name + strlen(name), sizeof name - strlen(name), "%s", fid_shape(&cb));
            fid_observe(&t, name);
        }
        fid_check(&t, cases[k].a);
    }
    srt_expr_fini(&a);
    srt_expr_fini(&b);
    srt_expr_fini(&ca);
    srt_expr_fini(&cb);
}

/* Mutate.jl condition_mutation_weights! then sample_mutation, with every
 * weight 1: the kinds drawn and their probabilities. */
static void condition_mutation_weights_as_written(void)
{
    setup_plus_times_cos();
    srt_sr_options_t o = opts;
#define SET_ONE_(e, field) o.field = 1.0;
    SRT_SR__MUT_LIST(SET_ONE_)
#undef SET_ONE_
    static const char *const kname[SRT_SR__MUT_COUNT] = {
#define NAME_(e, field) #field,
        SRT_SR__MUT_LIST(NAME_)
#undef NAME_
    };
    struct {
        const char *tree;
        long curmaxsize;
        int simplify;
        double w[SRT_SR__MUT_COUNT]; /* conditioned weights, in SRT_SR__MUT_LIST order */
    } cases[] = {
        /* constant leaf: no operator change, swap, delete, simplify; the
         * constant weight is not scaled (the leaf returns early) */
        {"2.0", 30, 1, {1, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1}},
        /* feature leaf: also no mutate_constant and no optimize */
        {"x0", 30, 1, {0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 0}},
        /* no constants: mutate_constant * min(8, 0) / 8; optimize kept */
        {"x0 x1 +", 30, 1, {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        /* one constant, no binary operator: 1/8 and no swap */
        {"x0 cos", 30, 1, {0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1}},
        {"x0 3.0 * cos", 30, 1, {0.125, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        /* 9 constants: capped at 8 / 8 */
        {"1 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 +", 30, 1, {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
        /* complexity >= curmaxsize: no add or insert; should_simplify off */
        {"x0 x1 + x0 *", 5, 0, {0, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1}},
    };
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 16);
    srt_expr_t e;
    srt_expr_init(&e);
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        o.should_simplify = cases[k].simplify;
        fid_parse(&e, cases[k].tree);
        fid_table_t t = {0};
        double total = 0;
        for (int q = 0; q < SRT_SR__MUT_COUNT; q++)
            total += cases[k].w[q];
        for (int q = 0; q < SRT_SR__MUT_COUNT; q++)
            if (cases[k].w[q] > 0)
                fid_expect(&t, kname[q], cases[k].w[q] / total);
        for (long i = 0; i < N; i++)
            fid_observe(&t, kname[srt_sr__pick_mutation(&o, &e, cases[k].curmaxsize, &r)]);
        fid_check(&t, cases[k].tree);
    }
    srt_expr_fini(&e);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"rotation_basic_case_of_test_rotation_jl", rotation_basic_case_of_test_rotation_jl},
        {"rotation_complex_cases_of_test_rotation_jl", rotation_complex_cases_of_test_rotation_jl},
        {"rotation_moves_the_inner_grandchild_only", rotation_moves_the_inner_grandchild_only},
        {"insert_random_op_distribution", insert_random_op_distribution},
        {"add_node_distribution", add_node_distribution},
        {"delete_random_op_distribution", delete_random_op_distribution},
        {"swap_operands_distribution", swap_operands_distribution},
        {"mutate_operator_distribution", mutate_operator_distribution},
        {"mutate_constant_negates_with_probability_one_minus_p",
         mutate_constant_negates_with_probability_one_minus_p},
        {"crossover_distribution", crossover_distribution},
        {"condition_mutation_weights_as_written", condition_mutation_weights_as_written},
        {NULL, NULL}};
    return srt_test_main("fidelity_sr_mutations", cases);
}
