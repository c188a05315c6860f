/*
 * SymbolicRegression.jl v1.11's test/test_complexity.jl,
 * test/test_constraints.jl and test/test_nested_constraints.jl, case by
 * case, on srtune's complexity (srt_sr__complexity) and constraint check
 * (srt_sr__check_constraints). Julia's x1, x2, x3 are x0, x1, x2 here.
 * Where a test uses an operator srtune does not have (_inv, greater), an
 * operator of the same arity stands in (cos, /); the trees keep their shape.
 */
#include "fidelity.h"

static void make_options(srt_sr_options_t *o, const srt_op_t *bin, int nb, const srt_op_t *una,
                         int nu)
{
    srt_sr_options_default(o, SRT_SR_PRESET_PYSR1);
    o->n_binops = nb;
    for (int i = 0; i < nb; i++)
        o->binops[i] = (uint8_t)bin[i];
    o->n_unaops = nu;
    for (int i = 0; i < nu; i++)
        o->unaops[i] = (uint8_t)una[i];
}

static void op_cx(srt_sr_options_t *o, srt_op_t op, double v)
{
    o->maps.op_complexity_set[op] = 1;
    o->maps.op_complexity[op] = v;
}

static long cx_of(const srt_sr_options_t *o, const char *postfix)
{
    srt_expr_t e;
    srt_expr_init(&e);
    fid_parse(&e, postfix);
    long c = srt_sr_complexity(o, &e);
    srt_expr_fini(&e);
    return c;
}

static const srt_op_t BIN5[] = {SRT_OP_ADD, SRT_OP_SUB, SRT_OP_MUL, SRT_OP_DIV, SRT_OP_POW};
static const srt_op_t COS_SIN[] = {SRT_OP_COS, SRT_OP_SIN};

/* sin((x1 + x2 + x3)^2.3) */
#define TREE_SIN_POW "x0 x1 + x2 + 2.3 ^ sin"

/* @testitem "Test complexity evaluation" */
static void complexity_evaluation_of_test_complexity_jl(void)
{
    srt_sr_options_t o;
    make_options(&o, BIN5, 5, COS_SIN, 2);
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 8);
    op_cx(&o, SRT_OP_SIN, 3);
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 10);
    op_cx(&o, SRT_OP_ADD, 2);
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 12);
    /* real numbers: round(Int, 12 + (3.2 - 1)) */
    op_cx(&o, SRT_OP_POW, 3.2);
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), (long)nearbyint(12 + (3.2 - 1)));
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 14);
}

/* @testitem "Test other things about complexity" */
static void other_things_about_complexity_of_test_complexity_jl(void)
{
    srt_sr_options_t o;
    make_options(&o, BIN5, 5, COS_SIN, 2);
    op_cx(&o, SRT_OP_SIN, 3);
    op_cx(&o, SRT_OP_ADD, 2);
    o.complexity_of_variables = 2;
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 12 + 3 * 1);
    o.complexity_of_constants = 2;
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 12 + 3 * 1 + 1);
    o.complexity_of_constants = 2.6;
    CU_ASSERT_EQUAL(cx_of(&o, TREE_SIN_POW), 12 + 3 * 1 + 1 + 1);

    /* custom variables: x1 + x2 * x3 */
    make_options(&o, BIN5, 5, COS_SIN, 2);
    o.maps.n_var_complexity = 3;
    o.maps.var_complexity[0] = 1;
    o.maps.var_complexity[1] = 2;
    o.maps.var_complexity[2] = 3;
    op_cx(&o, SRT_OP_ADD, 5);
    op_cx(&o, SRT_OP_MUL, 2);
    CU_ASSERT_EQUAL(cx_of(&o, "x0 x1 x2 * +"), 1 + 5 + 2 + 2 + 3);
    memset(o.maps.var_complexity, 0, sizeof o.maps.var_complexity);
    o.maps.n_var_complexity = 0;
    o.complexity_of_variables = 2;
    CU_ASSERT_EQUAL(cx_of(&o, "x0 x1 x2 * +"), 2 + 5 + 2 + 2 + 2);
}

static int check(const srt_sr_options_t *o, const char *postfix)
{
    srt_sr__gen_t gen;
    srt_sr__gen_init(&gen, o, 3);
    srt_expr_t e;
    srt_expr_init(&e);
    fid_parse(&e, postfix);
    int ok = srt_sr__check_constraints(&gen, &e);
    srt_expr_fini(&e);
    return ok;
}

/* test_constraints.jl */
static void cases_of_test_constraints_jl(void)
{
    /* constraints=(_inv => 4,) with _inv -> cos, greater -> / :
     * tree = greater((3.0 * _inv(x1))^2.0, -1.2) */
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_MUL, SRT_OP_POW, SRT_OP_DIV};
    const srt_op_t una[] = {SRT_OP_COS};
    srt_sr_options_t o;
    make_options(&o, bin, 4, una, 1);
    o.maps.constraint_set[SRT_OP_COS] = 1;
    o.maps.constraint[SRT_OP_COS][0] = 4;
    o.maps.constraint[SRT_OP_COS][1] = -1;
    CU_ASSERT(check(&o, "3.0 x0 cos * 2.0 ^ -1.2 /"));
    CU_ASSERT(!check(&o, "3.0 x0 cos * 2.0 ^ -1.2 / cos")); /* violating_tree */
    /* PySR issue #896: _inv of a complexity-9 tree under a binary node */
    CU_ASSERT(!check(&o, "x0 x0 x0 * x0 * x0 * x0 * cos /"));

    /* complexity constraints: maxsize = 5 */
    const srt_op_t pm[] = {SRT_OP_ADD, SRT_OP_MUL};
    make_options(&o, pm, 2, NULL, 0);
    o.maxsize = 5;
    CU_ASSERT(check(&o, "x0 x1 x2 * +"));
    CU_ASSERT(!check(&o, "5.1 x0 x1 x2 * + *"));
    op_cx(&o, SRT_OP_MUL, 3);
    CU_ASSERT(!check(&o, "x0 x1 x2 * +"));
    op_cx(&o, SRT_OP_MUL, 0);
    CU_ASSERT(check(&o, "5.1 x0 x1 x2 * + *"));

    /* depth constraints: maxsize = 100, maxdepth = 3 */
    const srt_op_t cosop[] = {SRT_OP_COS};
    make_options(&o, pm, 2, cosop, 1);
    o.maxsize = 100;
    o.maxdepth = 3;
    CU_ASSERT(check(&o, "x0 x1 + x2 x0 + +"));
    CU_ASSERT(!check(&o, "x0 x1 + x2 x0 + x0 * +"));
    CU_ASSERT(check(&o, "x0 cos cos"));
    CU_ASSERT(!check(&o, "x0 cos cos cos"));
}

static long nestedness(const char *postfix, srt_op_t inner)
{
    srt_expr_t e;
    srt_expr_init(&e);
    fid_parse(&e, postfix);
    long n = srt_sr__max_nestedness(&e, e.len - 1, inner);
    srt_expr_fini(&e);
    return n;
}

static void nested(srt_sr_options_t *o, srt_op_t outer, srt_op_t inner, int32_t max)
{
    memset(o->maps.nested_set, 0, sizeof o->maps.nested_set);
    o->maps.nested_set[outer][inner] = 1;
    o->maps.nested[outer][inner] = max;
}

/* test_nested_constraints.jl */
static void cases_of_test_nested_constraints_jl(void)
{
    /* count_max_nestedness */
    CU_ASSERT_EQUAL(nestedness("x0 exp exp exp exp cos", SRT_OP_EXP), 4);
    CU_ASSERT_EQUAL(nestedness("x0 exp x0 exp exp exp exp + cos", SRT_OP_EXP), 4);
    CU_ASSERT_EQUAL(nestedness("x0 exp x0 x0 exp exp exp + exp exp + cos", SRT_OP_ADD), 2);

    /* flag_illegal_nests, seen through check_constraints:
     * tree = cos(cos(x1)) + cos(x1) + exp(cos(x1)) */
    const char *tree = "x0 cos cos x0 cos + x0 cos exp +";
    const srt_op_t bin[] = {SRT_OP_ADD, SRT_OP_MUL, SRT_OP_DIV, SRT_OP_SUB};
    const srt_op_t una[] = {SRT_OP_COS, SRT_OP_EXP};
    srt_sr_options_t o;
    make_options(&o, bin, 4, una, 2);
    CU_ASSERT(check(&o, tree));
    nested(&o, SRT_OP_COS, SRT_OP_COS, 0);
    CU_ASSERT(!check(&o, tree));
    nested(&o, SRT_OP_COS, SRT_OP_COS, 1);
    CU_ASSERT(check(&o, tree));
    nested(&o, SRT_OP_COS, SRT_OP_EXP, 0);
    CU_ASSERT(check(&o, tree));
    nested(&o, SRT_OP_EXP, SRT_OP_COS, 0);
    CU_ASSERT(!check(&o, tree));
    nested(&o, SRT_OP_ADD, SRT_OP_ADD, 0);
    CU_ASSERT(!check(&o, tree));
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"complexity_evaluation_of_test_complexity_jl", complexity_evaluation_of_test_complexity_jl},
        {"other_things_about_complexity_of_test_complexity_jl",
         other_things_about_complexity_of_test_complexity_jl},
        {"cases_of_test_constraints_jl", cases_of_test_constraints_jl},
        {"cases_of_test_nested_constraints_jl", cases_of_test_nested_constraints_jl},
        {NULL, NULL}};
    return srt_test_main("fidelity_sr_constraints_ported", cases);
}
