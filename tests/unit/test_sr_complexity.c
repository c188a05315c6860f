/*
 * Complexity options (complexity.c): rounding as Julia's round(Int, x), the
 * summation order of tree_mapreduce, per-feature weights, the default fast
 * path; warmup_maxsize_by's get_cur_maxsize; the text forms of the
 * structured options (maps_format.c); their validation (srt_sr_maps_check);
 * and that they enter a checkpoint's identity only when set.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

static void parse(srt_expr_t *e, const char *postfix)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", postfix);
    e->len = 0;
    for (char *t = strtok(buf, " "); t; t = strtok(NULL, " ")) {
        srt_op_t op;
        srt_rc rc;
        if (t[0] == 'x')
            rc = srt_expr_push_feature(e, (uint16_t)atoi(t + 1));
        else if (srt_op_lookup(t, &op) == SRT_OK)
            rc = srt_expr_push_op(e, op);
        else
            rc = srt_expr_push_const(e, atof(t));
        CU_ASSERT_FATAL(rc == SRT_OK);
    }
}

static long cx(const srt_sr_options_t *o, const char *postfix)
{
    srt_expr_t e;
    srt_expr_init(&e);
    parse(&e, postfix);
    long c = srt_sr_complexity(o, &e);
    srt_expr_fini(&e);
    return c;
}

static void options(srt_sr_options_t *o)
{
    srt_sr_options_default(o, SRT_SR_PRESET_PYSR1);
    o->n_unaops = 2;
    o->unaops[0] = SRT_OP_SIN;
    o->unaops[1] = SRT_OP_COS;
}

static void default_complexity_is_the_node_count(void)
{
    srt_sr_options_t o;
    options(&o);
    CU_ASSERT_EQUAL(cx(&o, "x0"), 1);
    CU_ASSERT_EQUAL(cx(&o, "x0 sin"), 2);
    CU_ASSERT_EQUAL(cx(&o, "x0 1.5 * x1 sin +"), 6);
    srt_sr__cx_t c;
    srt_sr__cx_init(&c, &o);
    CU_ASSERT_EQUAL(c.custom, 0);
    /* a complexity of 1 given explicitly changes nothing */
    o.maps.op_complexity_set[SRT_OP_SIN] = 1;
    o.maps.op_complexity[SRT_OP_SIN] = 1;
    srt_sr__cx_init(&c, &o);
    CU_ASSERT_EQUAL(c.custom, 0);
}

static void sin_of_three_makes_sin_x0_four(void)
{
    srt_sr_options_t o;
    options(&o);
    o.maps.op_complexity_set[SRT_OP_SIN] = 1;
    o.maps.op_complexity[SRT_OP_SIN] = 3;
    CU_ASSERT_EQUAL(cx(&o, "x0 sin"), 4);
    CU_ASSERT_EQUAL(cx(&o, "x0 sin sin"), 7);
    CU_ASSERT_EQUAL(cx(&o, "x0 cos"), 2);
}

static void rounding_is_to_nearest_with_ties_to_even(void)
{
    srt_sr_options_t o;
    options(&o);
    /* c + c: 2 * 1.25 = 2.5 -> 2 (even); 3 * 1.25 ... via (c + c) + c = 3.75 -> 4 */
    o.complexity_of_constants = 0.75;
    CU_ASSERT_EQUAL(cx(&o, "1 2 +"), 2);  /* 0.75 + 1 + 0.75 = 2.5 -> 2 */
    CU_ASSERT_EQUAL(cx(&o, "1 2 + 3 +"), 4); /* 4.25 -> 4 */
    o.complexity_of_constants = 1.25;
    CU_ASSERT_EQUAL(cx(&o, "1 2 +"), 4);  /* 3.5 -> 4 (even) */
    o.complexity_of_constants = 0.25;
    CU_ASSERT_EQUAL(cx(&o, "1"), 0);      /* 0.25 -> 0 */
    CU_ASSERT_EQUAL(cx(&o, "1 2 +"), 2);  /* 1.5 -> 2 */
    CU_ASSERT_EQUAL(srt_sr__round_complexity(0.5), 0);
    CU_ASSERT_EQUAL(srt_sr__round_complexity(1.5), 2);
    CU_ASSERT_EQUAL(srt_sr__round_complexity(2.5), 2);
    CU_ASSERT_EQUAL(srt_sr__round_complexity(2.5000001), 3);
}

static void subtree_sums_are_own_plus_left_plus_right(void)
{
    srt_sr_options_t o;
    options(&o);
    o.complexity_of_constants = 0.1;
    o.complexity_of_variables = 0.2;
    srt_sr__cx_t c;
    srt_sr__cx_init(&c, &o);
    srt_expr_t e;
    srt_expr_init(&e);
    parse(&e, "1 x0 + x1 sin *");
    double raw[8];
    srt_sr__raw_complexities(&c, &e, raw);
    CU_ASSERT_EQUAL(raw[2], (1.0 + 0.1) + 0.2);
    CU_ASSERT_EQUAL(raw[4], 1.0 + 0.2);
    CU_ASSERT_EQUAL(raw[5], (1.0 + raw[2]) + raw[4]);
    srt_expr_fini(&e);
}

static void per_feature_weights(void)
{
    srt_sr_options_t o;
    options(&o);
    o.maps.n_var_complexity = 2;
    o.maps.var_complexity[0] = 1;
    o.maps.var_complexity[1] = 4;
    CU_ASSERT_EQUAL(cx(&o, "x0 x1 +"), 6);
    CU_ASSERT_EQUAL(cx(&o, "x1 x1 *"), 9);
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_sr_maps_check(&o, 2, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_sr_maps_check(&o, 3, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "complexity_of_variables");
    CU_ASSERT(strstr(err.msg, "2 entries but the data has 3 features") != NULL);
}

static void warmup_grows_the_maxsize_from_three(void)
{
    srt_sr_options_t o;
    options(&o);
    o.maxsize = 30;
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 0), 30); /* no warm-up: maxsize */
    o.warmup_maxsize_by = 0.5;
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 0), 3);
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 1), 3);   /* 27 * 0.01 / 0.5 = 0.54 */
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 2), 4);   /* 1.08 */
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 25), 16); /* 13.5 */
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 50), 30); /* fraction <= by: 3 + 27 */
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 100, 51), 30);
    long prev = 0;
    for (long k = 0; k <= 100; k++) {
        long m = srt_sr__cur_maxsize(&o, 100, k);
        CU_ASSERT(m >= prev && m >= 3 && m <= 30);
        prev = m;
    }
    /* past the warm-up fraction: maxsize at once */
    o.warmup_maxsize_by = 0.25;
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 8, 2), 30); /* 0.25 <= 0.25: 3 + 27 */
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, 8, 1), 16); /* 27 * 0.125 / 0.25 = 13.5 */
}

static void text_forms_of_the_structured_options(void)
{
    srt_sr_options_t o;
    options(&o);
    o.n_binops = 5;
    o.binops[4] = SRT_OP_POW;
    CU_ASSERT_PTR_NULL(srt_sr_maps_format(&o, "constraints", SRT_SR_MAPS_JSON));
    CU_ASSERT_PTR_NULL(srt_sr_maps_format(&o, "complexity_of_variables", SRT_SR_MAPS_JSON));
    o.maps.op_complexity_set[SRT_OP_SIN] = 1;
    o.maps.op_complexity[SRT_OP_SIN] = 3;
    o.maps.op_complexity_set[SRT_OP_DIV] = 1;
    o.maps.op_complexity[SRT_OP_DIV] = 2.5;
    o.maps.constraint_set[SRT_OP_POW] = 1;
    o.maps.constraint[SRT_OP_POW][0] = -1;
    o.maps.constraint[SRT_OP_POW][1] = 1;
    o.maps.constraint_set[SRT_OP_MUL] = 1;
    o.maps.constraint[SRT_OP_MUL][0] = 2;
    o.maps.constraint[SRT_OP_MUL][1] = 5;
    o.maps.constraint_set[SRT_OP_SIN] = 1;
    o.maps.constraint[SRT_OP_SIN][0] = 5;
    o.maps.nested_set[SRT_OP_SIN][SRT_OP_SIN] = 1;
    o.maps.nested_set[SRT_OP_SIN][SRT_OP_COS] = 1;
    o.maps.nested[SRT_OP_SIN][SRT_OP_COS] = 2;
    struct {
        const char *name;
        srt_sr_maps_style_t style;
        const char *want;
    } cases[] = {
        {"complexity_of_operators", SRT_SR_MAPS_JSON, "{\"/\": 2.5, \"sin\": 3}"},
        {"complexity_of_operators", SRT_SR_MAPS_JULIA, "[(/) => 2.5, (sin) => 3]"},
        {"constraints", SRT_SR_MAPS_JSON, "{\"*\": [2, 5], \"^\": [-1, 1], \"sin\": 5}"},
        {"constraints", SRT_SR_MAPS_PYTHON, "{\"*\": (2, 5), \"^\": (-1, 1), \"sin\": 5}"},
        /* SR.jl gets * as PySR's _process_constraints leaves it: larger left */
        {"constraints", SRT_SR_MAPS_JULIA, "[(*) => (5, 2), (^) => (-1, 1), (sin) => 5]"},
        {"nested_constraints", SRT_SR_MAPS_PYTHON, "{\"sin\": {\"sin\": 0, \"cos\": 2}}"},
        {"nested_constraints", SRT_SR_MAPS_JULIA, "[(sin) => [(sin) => 0, (cos) => 2]]"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *t = srt_sr_maps_format(&o, cases[i].name, cases[i].style);
        CU_ASSERT_PTR_NOT_NULL_FATAL(t);
        if (strcmp(t, cases[i].want))
            printf("\n    %s: got %s, want %s", cases[i].name, t, cases[i].want);
        CU_ASSERT_STRING_EQUAL(t, cases[i].want);
        free(t);
    }
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_sr_maps_check(&o, 0, &err), SRT_OK);
}

static void constraint_limits_after_pysr_processing(void)
{
    srt_sr_options_t o;
    options(&o);
    int32_t lim[2];
    srt_sr_maps_constraint(&o, SRT_OP_MUL, lim);
    CU_ASSERT(lim[0] == -1 && lim[1] == -1);
    struct {
        int32_t in[2], out[2];
    } cases[] = {{{2, 5}, {5, 2}}, {{5, 2}, {5, 2}}, {{3, -1}, {-1, 3}}, {{-1, 3}, {-1, 3}},
                 {{4, 4}, {4, 4}}};
    o.maps.constraint_set[SRT_OP_MUL] = 1;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        o.maps.constraint[SRT_OP_MUL][0] = cases[i].in[0];
        o.maps.constraint[SRT_OP_MUL][1] = cases[i].in[1];
        srt_sr_maps_constraint(&o, SRT_OP_MUL, lim);
        CU_ASSERT(lim[0] == cases[i].out[0] && lim[1] == cases[i].out[1]);
    }
    /* / is passed as written */
    o.maps.constraint_set[SRT_OP_DIV] = 1;
    o.maps.constraint[SRT_OP_DIV][0] = 2;
    o.maps.constraint[SRT_OP_DIV][1] = 5;
    srt_sr_maps_constraint(&o, SRT_OP_DIV, lim);
    CU_ASSERT(lim[0] == 2 && lim[1] == 5);
}

static void engine_refuses_operators_outside_the_lists(void)
{
    srt_sr_options_t o;
    srt_err_t err;
    options(&o);
    o.maps.op_complexity_set[SRT_OP_EXP] = 1;
    o.maps.op_complexity[SRT_OP_EXP] = 2;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "complexity_of_operators");
    options(&o);
    o.maps.constraint_set[SRT_OP_POW] = 1;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "constraints");
    options(&o);
    o.maps.constraint_set[SRT_OP_SIN] = 1;
    o.maps.constraint[SRT_OP_SIN][0] = -3;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_ERR_CONFIG);
    options(&o);
    o.maps.nested_set[SRT_OP_SIN][SRT_OP_TAN] = 1;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "nested_constraints");
    options(&o);
    o.maps.constraint_set[SRT_OP_ADD] = 1;
    o.maps.constraint[SRT_OP_ADD][0] = 1;
    o.maps.constraint[SRT_OP_ADD][1] = 2;
    CU_ASSERT_EQUAL(srt_sr_options_check(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT(strstr(err.msg, "equal limits") != NULL);
}

static void identity_changes_only_when_an_option_is_set(void)
{
    double y[4] = {1, 2, 3, 4}, x[4] = {0, 1, 2, 3};
    const double *cols[1] = {x};
    srt_sr_data_t d = {cols, y, 4, 1, NULL};
    srt_sr_options_t o;
    options(&o);
    uint64_t base = srt_sr__identity(&o, &d, 1);
    /* the value the engine computed before these options existed (main at
     * a5ea129): checkpoints written then still resume runs with the defaults */
    CU_ASSERT_EQUAL(base, 0x4279ed44bef16c66ULL);
    /* the defaults hash as before these options existed: scalars left out
     * at their PySR defaults, and empty maps add nothing */
    srt_hasher_t h;
    srt_hasher_init(&h, 9);
    uint64_t empty = srt_hasher_final(&h);
    srt_sr__identity_maps(&h, &o.maps);
    CU_ASSERT_EQUAL(srt_hasher_final(&h), empty);
    srt_sr_options_t p = o;
    p.warmup_maxsize_by = 0.1;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
    p = o;
    p.complexity_of_constants = 2;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
    p = o;
    p.maps.nested_set[SRT_OP_SIN][SRT_OP_SIN] = 1;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
    uint64_t n0 = srt_sr__identity(&p, &d, 1);
    p.maps.nested[SRT_OP_SIN][SRT_OP_SIN] = 1;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != n0);
    p = o;
    p.maps.constraint_set[SRT_OP_SIN] = 1;
    p.maps.constraint[SRT_OP_SIN][0] = 3;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
    p = o;
    p.maps.op_complexity_set[SRT_OP_SIN] = 1;
    p.maps.op_complexity[SRT_OP_SIN] = 3;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
    p = o;
    p.maps.n_var_complexity = 1;
    p.maps.var_complexity[0] = 2;
    CU_ASSERT(srt_sr__identity(&p, &d, 1) != base);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"default_complexity_is_the_node_count", default_complexity_is_the_node_count},
        {"sin_of_three_makes_sin_x0_four", sin_of_three_makes_sin_x0_four},
        {"rounding_is_to_nearest_with_ties_to_even", rounding_is_to_nearest_with_ties_to_even},
        {"subtree_sums_are_own_plus_left_plus_right", subtree_sums_are_own_plus_left_plus_right},
        {"per_feature_weights", per_feature_weights},
        {"warmup_grows_the_maxsize_from_three", warmup_grows_the_maxsize_from_three},
        {"text_forms_of_the_structured_options", text_forms_of_the_structured_options},
        {"constraint_limits_after_pysr_processing", constraint_limits_after_pysr_processing},
        {"engine_refuses_operators_outside_the_lists", engine_refuses_operators_outside_the_lists},
        {"identity_changes_only_when_an_option_is_set", identity_changes_only_when_an_option_is_set},
        {NULL, NULL}};
    return srt_test_main("sr_complexity", cases);
}
