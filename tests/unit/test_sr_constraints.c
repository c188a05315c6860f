/*
 * The complexity, constraint and warm-up options on real searches (both
 * precisions): complexity_of_operators reaches the hall of fame and the
 * result; nested_constraints and constraints hold for every member the
 * search makes (SR.jl checks mutation and crossover children only, so the
 * runs start from an initial population that obeys them: the first seed
 * whose initial islands do); warmup_maxsize_by bounds every child of an
 * early island run by its curmaxsize; same seed, same files; a resumed run
 * ends as an uninterrupted one; a changed option does not resume.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define NROWS 80
static double block[3 * NROWS];
static const double *cols[2];
static long g_prec = 32;

/* y = sin(x0) + 0.5 x1 on [-3, 3]^2. */
static void problem(srt_sr_data_t *d, srt_sr_options_t *o)
{
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 11);
    for (int f = 0; f < 2; f++)
        cols[f] = block + f * NROWS;
    double *y = block + 2 * NROWS;
    for (int i = 0; i < NROWS; i++) {
        block[i] = 6 * srt_sr__rng_uniform(&r) - 3;
        block[NROWS + i] = 6 * srt_sr__rng_uniform(&r) - 3;
        y[i] = sin(block[i]) + 0.5 * block[NROWS + i];
    }
    d->cols = cols;
    d->y = y;
    d->nrows = NROWS;
    d->nfeatures = 2;
    d->names = NULL;
    srt_sr_options_default(o, SRT_SR_PRESET_PYSR1);
    o->precision = g_prec;
    o->populations = 3;
    o->population_size = 20;
    o->ncycles_per_iteration = 40;
    o->niterations = 5;
    o->maxsize = 20;
    o->n_unaops = 2;
    o->unaops[0] = SRT_OP_SIN;
    o->unaops[1] = SRT_OP_COS;
}

static char *run_dir(const char *name)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s-p%ld", name, g_prec);
    return srt_path_join(srt_test_tmpdir(), buf);
}

__attribute__((noinline)) static char *read_text(const char *dir, const char *name)
{
    char *p = srt_path_join(dir, name), *text = NULL;
    size_t len;
    if (srt_fs_read_file(p, &text, &len, NULL) != SRT_OK)
        text = NULL;
    free(p);
    return text;
}

/* ---- complexity_of_operators ---- */

static void sin_of_three_in_the_hall_of_fame_at(long prec)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    for (int i = 0; i < NROWS; i++)
        block[2 * NROWS + i] = sin(block[i]); /* y = sin(x0) */
    o.maps.op_complexity_set[SRT_OP_SIN] = 1;
    o.maps.op_complexity[SRT_OP_SIN] = 3;
    o.niterations = 20;
    char *dir = run_dir("sin3");
    srt_sr_result_t r;
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 3, dir, NULL, &r, NULL), SRT_OK);
    int found = 0;
    for (size_t k = 0; k < r.nfront; k++) {
        /* every front member is listed at its complexity under the option */
        CU_ASSERT_EQUAL(r.front[k].complexity, (uint32_t)srt_sr_complexity(&o, &r.front[k].expr));
        const srt_expr_t *e = &r.front[k].expr;
        if (e->len == 2 && e->nodes[0].op == SRT_OP_FEATURE && e->nodes[0].feature == 0 &&
            e->nodes[1].op == SRT_OP_SIN) {
            found = 1;
            CU_ASSERT_EQUAL(r.front[k].complexity, 4);
        }
    }
    if (!found)
        for (size_t k = 0; k < r.nfront; k++) {
            char *t = srt_expr_to_string(&r.front[k].expr, NULL, SRT_EXPR_STYLE_PYSR);
            printf("\n    front: %u %g %s", r.front[k].complexity, r.front[k].loss, t);
            free(t);
        }
    CU_ASSERT(found);
    char *hof = read_text(dir, "hall_of_fame.csv");
    CU_ASSERT_PTR_NOT_NULL_FATAL(hof);
    /* its row: "4,loss,score,precision,sin(x0)" */
    const char *row = strstr(hof, "\n4,");
    CU_ASSERT_PTR_NOT_NULL_FATAL(row);
    const char *end = strchr(row + 1, '\n');
    CU_ASSERT_PTR_NOT_NULL_FATAL(end);
    CU_ASSERT(end - row > 8 && strncmp(end - 8, ",sin(x0)", 8) == 0);
    free(hof);
    free(dir);
    srt_sr_result_fini(&r);
}

static void sin_of_three_makes_sin_x0_complexity_four_in_the_hall_of_fame(void)
{
    sin_of_three_in_the_hall_of_fame_at(32);
    sin_of_three_in_the_hall_of_fame_at(64);
}

/* ---- constraints on every member ---- */

typedef int (*member_ok_fn)(const srt_sr_options_t *o, const srt_expr_t *e);

/* 1 when no sin has a sin below it. */
static int no_sin_in_sin(const srt_sr_options_t *o, const srt_expr_t *e)
{
    (void)o;
    for (uint32_t i = 0; i < e->len; i++)
        if (e->nodes[i].op == SRT_OP_SIN && srt_sr__max_nestedness(e, i, SRT_OP_SIN) > 0)
            return 0;
    return 1;
}

/* 1 when every exponent of ^ has complexity <= 1. */
static int small_exponents(const srt_sr_options_t *o, const srt_expr_t *e)
{
    for (uint32_t i = 0; i < e->len; i++) {
        if (e->nodes[i].op != SRT_OP_POW)
            continue;
        srt_expr_t sub = {(srt_node_t *)e->nodes + i - e->nodes[i - 1].size,
                          e->nodes[i - 1].size, e->nodes[i - 1].size};
        if (srt_sr_complexity(o, &sub) > 1)
            return 0;
    }
    return 1;
}

/* 1 when every member of every island (and the hall of fame) passes ok. */
static int all_members_pass(const srt_sr__search_t *s, member_ok_fn ok, long *checked)
{
    for (long k = 0; k < s->npops * s->popsize; k++, (*checked)++)
        if (!ok(&s->opts, &s->pops[k].expr))
            return 0;
    for (long c = 0; c < s->maxsize; c++)
        if (s->hof_exists[c] && !ok(&s->opts, &s->hof[c].expr))
            return 0;
    return 1;
}

/* Creates a search whose initial members all pass ok: SR.jl does not check
 * initial trees, so those that break the constraint (in the islands and in
 * their best members offered for migration) are replaced by the leaf x0,
 * scored as the search scores a member. */
static srt_sr__search_t *clean_start(const srt_sr_options_t *o, const srt_sr_data_t *d,
                                     member_ok_fn ok, uint64_t seed)
{
    srt_sr__search_t *s = NULL;
    if (srt_sr__search_create(o, d, seed, &s, NULL) != SRT_OK)
        return NULL;
    for (int part = 0; part < 2; part++) {
        srt_sr__member_t *m = part ? s->best_sub : s->pops;
        long n = part ? s->npops * s->topn : s->npops * s->popsize;
        for (long k = 0; k < n; k++) {
            if (ok(&s->opts, &m[k].expr))
                continue;
            m[k].expr.len = 0;
            CU_ASSERT_FATAL(srt_expr_push_feature(&m[k].expr, 0) == SRT_OK);
            m[k].loss = srt_sr__eval_loss(&m[k].expr, &s->full);
            m[k].cost = srt_sr__cost(s, m[k].loss, 1);
        }
    }
    return s;
}

/* Runs every island of the search, checking every member after each return;
 * returns the number of violations, counting members checked. */
static long violations_over_the_run(srt_sr__search_t *s, member_ok_fn ok, long *checked)
{
    long bad = 0;
    while (s->iter < s->opts.niterations) {
        CU_ASSERT_EQUAL_FATAL(srt_sr__search_island(s), SRT_OK);
        bad += !all_members_pass(s, ok, checked);
    }
    return bad;
}

static void constraint_holds_at(long prec, member_ok_fn ok, void (*set)(srt_sr_options_t *),
                                const char *what)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    o.n_binops = 5;
    o.binops[4] = SRT_OP_POW;
    o.n_unaops = 1; /* sin alone: without the option, sin in sin is common */
    /* without the option the search makes violating members (the test has teeth) */
    srt_sr__search_t *s = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_create(&o, &d, 1, &s, NULL), SRT_OK);
    long checked = 0;
    long bad_without = violations_over_the_run(s, ok, &checked);
    srt_sr__search_destroy(&s);
    if (bad_without == 0)
        printf("\n    %s: no violation without the option either", what);
    CU_ASSERT(bad_without > 0);
    set(&o);
    s = clean_start(&o, &d, ok, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    checked = 0;
    long bad = violations_over_the_run(s, ok, &checked);
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT(checked > 500);
    size_t keep[64];
    size_t n = srt_sr__search_front(s, keep);
    CU_ASSERT(n > 0);
    for (size_t k = 0; k < n; k++)
        CU_ASSERT(ok(&o, &s->hof[keep[k]].expr));
    srt_sr__search_destroy(&s);
}

static void set_no_sin_in_sin(srt_sr_options_t *o)
{
    o->maps.nested_set[SRT_OP_SIN][SRT_OP_SIN] = 1;
    o->maps.nested[SRT_OP_SIN][SRT_OP_SIN] = 0;
}

static void set_pow_exponent_one(srt_sr_options_t *o)
{
    o->maps.constraint_set[SRT_OP_POW] = 1;
    o->maps.constraint[SRT_OP_POW][0] = -1;
    o->maps.constraint[SRT_OP_POW][1] = 1;
}

static void nested_sin_in_sin_zero_keeps_sin_out_of_sin(void)
{
    constraint_holds_at(32, no_sin_in_sin, set_no_sin_in_sin, "nested_constraints");
    constraint_holds_at(64, no_sin_in_sin, set_no_sin_in_sin, "nested_constraints");
}

static void pow_constraint_keeps_exponents_at_complexity_one(void)
{
    constraint_holds_at(32, small_exponents, set_pow_exponent_one, "constraints");
    constraint_holds_at(64, small_exponents, set_pow_exponent_one, "constraints");
}

/* ---- warm-up ---- */

static void warmup_bounds_the_children_of_early_island_runs_at(long prec)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    o.niterations = 6;
    o.warmup_maxsize_by = 0.5;
    /* births that copy a parent (simplify, do_nothing, optimisation, migration)
     * keep its size: off, so that every member born in a run is a child */
    o.weight_simplify = 0;
    o.weight_do_nothing = 0;
    o.should_optimize_constants = 0;
    o.migration = 0;
    o.hof_migration = 0;
    srt_sr__search_t *s = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_create(&o, &d, 4, &s, NULL), SRT_OK);
    long total = o.niterations * o.populations, prev = 0, born = 0, at_limit = 0;
    while (s->iter < o.niterations) {
        long k = s->iter * s->npops + s->island;
        long cur = srt_sr__search_cur_maxsize(s);
        CU_ASSERT_EQUAL(cur, srt_sr__cur_maxsize(&o, total, k < s->npops ? 0 : k - s->npops));
        CU_ASSERT(cur >= prev);
        prev = cur;
        uint64_t first = s->birth;
        long isl = s->island;
        CU_ASSERT_EQUAL_FATAL(srt_sr__search_island(s), SRT_OK);
        for (long m = 0; m < s->popsize; m++) {
            const srt_sr__member_t *mb = &s->pops[isl * s->popsize + m];
            if (mb->birth < first)
                continue;
            born++;
            long c = srt_sr_complexity(&o, &mb->expr);
            at_limit += c == cur;
            if (c > cur)
                printf("\n    island run %ld: a child of complexity %ld > curmaxsize %ld", k, c,
                       cur);
            CU_ASSERT(c <= cur);
        }
    }
    CU_ASSERT_EQUAL(srt_sr__cur_maxsize(&o, total, 0), 3);
    CU_ASSERT_EQUAL(prev, o.maxsize);
    CU_ASSERT(born > 100);
    CU_ASSERT(at_limit > 0);
    srt_sr__search_destroy(&s);
}

static void warmup_bounds_the_children_of_early_island_runs(void)
{
    warmup_bounds_the_children_of_early_island_runs_at(32);
    warmup_bounds_the_children_of_early_island_runs_at(64);
}

/* ---- determinism, resume, identity ---- */

static void all_options(srt_sr_options_t *o)
{
    o->n_binops = 5;
    o->binops[4] = SRT_OP_POW;
    o->maps.op_complexity_set[SRT_OP_SIN] = 1;
    o->maps.op_complexity[SRT_OP_SIN] = 2.5;
    o->maps.op_complexity_set[SRT_OP_DIV] = 1;
    o->maps.op_complexity[SRT_OP_DIV] = 2;
    o->complexity_of_constants = 1.5;
    o->maps.n_var_complexity = 2;
    o->maps.var_complexity[0] = 1;
    o->maps.var_complexity[1] = 0.5;
    set_pow_exponent_one(o);
    o->maps.constraint_set[SRT_OP_COS] = 1;
    o->maps.constraint[SRT_OP_COS][0] = 5;
    set_no_sin_in_sin(o);
    o->maps.nested_set[SRT_OP_COS][SRT_OP_SIN] = 1;
    o->maps.nested[SRT_OP_COS][SRT_OP_SIN] = 1;
    o->warmup_maxsize_by = 0.4;
}

static void strip_clock_columns(char *csv)
{
    /* the first and the second to last column of every row */
    char *out = csv;
    const char *line = csv;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int ncomma = 0, field = 0;
        for (size_t i = 0; i < len; i++)
            ncomma += line[i] == ',';
        char tmp[8192];
        size_t t = 0;
        for (size_t i = 0; i < len && t + 1 < sizeof tmp; i++) {
            if (field != 0 && field != ncomma - 1)
                tmp[t++] = line[i];
            if (line[i] == ',')
                field++;
        }
        line += len + (end ? 1 : 0);
        memcpy(out, tmp, t);
        out += t;
        *out++ = '\n';
    }
    *out = '\0';
}

static void same_files_and_resume_at(long prec)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    all_options(&o);
    char *a = run_dir("all_a"), *b = run_dir("all_b"), *c = run_dir("all_resumed");
    srt_sr_result_t ra, rc;
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 7, a, NULL, &ra, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 7, b, NULL, NULL, NULL), SRT_OK);
    long stops[] = {2, 7, 11};
    for (int k = 0; k < 3; k++) {
        srt_sr_run_params_t p = {1, 0, stops[k], 0};
        CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 7, c, NULL, &p, NULL, NULL), SRT_ERR_INTERRUPTED);
    }
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 7, c, NULL, &rc, NULL), SRT_OK);
    CU_ASSERT(rc.resumed);
    CU_ASSERT_EQUAL(ra.pareto_volume, rc.pareto_volume);
    CU_ASSERT_EQUAL(ra.num_evals, rc.num_evals);
    for (size_t k = 0; k < ra.nfront; k++)
        CU_ASSERT_EQUAL(ra.front[k].complexity,
                        (uint32_t)srt_sr_complexity(&o, &ra.front[k].expr));
    const char *files[] = {"hall_of_fame.csv", "tensorboard_scalars.csv"};
    for (int f = 0; f < 2; f++) {
        char *ta = read_text(a, files[f]), *tb = read_text(b, files[f]), *tc = read_text(c, files[f]);
        CU_ASSERT_FATAL(ta && tb && tc);
        if (f == 1) {
            strip_clock_columns(ta);
            strip_clock_columns(tb);
            strip_clock_columns(tc);
        }
        CU_ASSERT_STRING_EQUAL(ta, tb);
        CU_ASSERT_STRING_EQUAL(ta, tc);
        free(ta), free(tb), free(tc);
    }
    free(a), free(b), free(c);
    srt_sr_result_fini(&ra);
    srt_sr_result_fini(&rc);
}

static void same_seed_same_files_and_resume_with_the_new_options(void)
{
    same_files_and_resume_at(32);
    same_files_and_resume_at(64);
}

static void a_changed_structured_option_does_not_resume(void)
{
    g_prec = 32;
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    o.niterations = 2;
    char *dir = run_dir("changed");
    srt_sr_run_params_t p = {1, 0, 2, 0};
    CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 3, dir, NULL, &p, NULL, NULL), SRT_ERR_INTERRUPTED);
    set_no_sin_in_sin(&o);
    srt_sr_result_t r;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 3, dir, NULL, &r, NULL), SRT_OK);
    CU_ASSERT(!r.resumed);
    CU_ASSERT_EQUAL(r.island_returns, 6);
    srt_sr_result_fini(&r);
    /* and the other way: a run with the option interrupted, then one without */
    char *dir2 = run_dir("changed2");
    CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 3, dir2, NULL, &p, NULL, NULL), SRT_ERR_INTERRUPTED);
    o.maps.nested[SRT_OP_SIN][SRT_OP_SIN] = 1;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 3, dir2, NULL, &r, NULL), SRT_OK);
    CU_ASSERT(!r.resumed);
    srt_sr_result_fini(&r);
    free(dir);
    free(dir2);
}

static void a_per_feature_list_of_the_wrong_length_is_refused(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    problem(&d, &o);
    o.maps.n_var_complexity = 3;
    o.maps.var_complexity[0] = o.maps.var_complexity[1] = o.maps.var_complexity[2] = 1;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 1, NULL, NULL, NULL, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "complexity_of_variables");
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"sin_of_three_makes_sin_x0_complexity_four_in_the_hall_of_fame",
         sin_of_three_makes_sin_x0_complexity_four_in_the_hall_of_fame},
        {"nested_sin_in_sin_zero_keeps_sin_out_of_sin", nested_sin_in_sin_zero_keeps_sin_out_of_sin},
        {"pow_constraint_keeps_exponents_at_complexity_one",
         pow_constraint_keeps_exponents_at_complexity_one},
        {"warmup_bounds_the_children_of_early_island_runs",
         warmup_bounds_the_children_of_early_island_runs},
        {"same_seed_same_files_and_resume_with_the_new_options",
         same_seed_same_files_and_resume_with_the_new_options},
        {"a_changed_structured_option_does_not_resume", a_changed_structured_option_does_not_resume},
        {"a_per_feature_list_of_the_wrong_length_is_refused",
         a_per_feature_list_of_the_wrong_length_is_refused},
        {NULL, NULL}};
    return srt_test_main("sr_constraints", cases);
}
