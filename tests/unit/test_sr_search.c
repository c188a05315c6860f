/*
 * Unit tests of the search's outputs: Pareto front, scores and
 * pareto_volume on hand-computed fronts; the run directory's files and their
 * formats; determinism (same seed, same bytes but the clock columns); the
 * interruption flag; checkpoint and resume giving the results of an
 * uninterrupted run.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define EPS 2.220446049250313e-16

/* Precision of small_problem's runs; run directories are per precision. */
static long g_prec = 32;

static void pareto_front_keeps_strict_improvements_only(void)
{
    uint32_t c[] = {1, 2, 3, 4, 5};
    double l[] = {1.0, 2.0, 0.5, 0.5, INFINITY};
    size_t keep[5];
    size_t n = srt_sr_pareto_front(c, l, 5, keep);
    CU_ASSERT_EQUAL(n, 2);
    CU_ASSERT_EQUAL(keep[0], 0);
    CU_ASSERT_EQUAL(keep[1], 2);
}

static void pareto_scores_are_log_loss_drops_per_complexity(void)
{
    uint32_t c[] = {1, 3, 4};
    double l[] = {1.0, 0.01, 0.005};
    double s[3];
    srt_sr_pareto_scores(c, l, 3, s);
    CU_ASSERT_DOUBLE_EQUAL(s[0], 0.0, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(s[1], log(100.0) / 2.0, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(s[2], log(2.0), 1e-12);
}

static void pareto_volume_of_hand_computed_fronts(void)
{
    /* (0,0), (log10 3, -2), closing points at x = log10(10) = 1: area = 2 - log10 3 */
    uint32_t c2[] = {1, 3};
    double l2[] = {1.0, 0.01};
    double want = 2.0 - log10(3.0);
    CU_ASSERT_DOUBLE_EQUAL(srt_sr_pareto_volume(c2, l2, 2, 9), want, 1e-12);
    /* a middle point inside the hull changes nothing: area = 2 - log10 4 */
    uint32_t c3[] = {1, 2, 4};
    double l3[] = {1.0, 0.5, 0.01};
    CU_ASSERT_DOUBLE_EQUAL(srt_sr_pareto_volume(c3, l3, 3, 9), 2.0 - log10(4.0), 1e-12);
    /* a middle point below the chord adds its triangle */
    uint32_t c4[] = {1, 2, 4};
    double l4[] = {1.0, 0.001, 0.0001};
    /* points (0,0) (a,-3) (b,-4) (1,-4) (1,0) with a = log10 2, b = log10 4 */
    double a = log10(2.0), b = log10(4.0);
    double xs[] = {0, a, b, 1, 1}, ys[] = {0, log10(0.001 + EPS), log10(0.0001 + EPS), log10(0.0001 + EPS), 0};
    double area = 0;
    for (int i = 0; i < 5; i++)
        area += xs[i] * ys[(i + 1) % 5] - xs[(i + 1) % 5] * ys[i];
    CU_ASSERT_DOUBLE_EQUAL(srt_sr_pareto_volume(c4, l4, 3, 9), fabs(area) / 2, 1e-12);
}

static void pareto_volume_is_zero_for_empty_and_single_fronts(void)
{
    uint32_t c[] = {3};
    double l[] = {0.5};
    CU_ASSERT_EQUAL(srt_sr_pareto_volume(c, l, 0, 30), 0.0);
    CU_ASSERT_EQUAL(srt_sr_pareto_volume(c, l, 1, 30), 0.0);
}

static void pareto_volume_does_not_change_when_the_loss_is_scaled(void)
{
    uint32_t c[] = {1, 3, 5, 7, 12};
    double l[] = {10.0, 3.0, 0.4, 0.1, 1e-3}, ls[5];
    double v = srt_sr_pareto_volume(c, l, 5, 30);
    for (int k = 0; k < 5; k++)
        ls[k] = 1234.5 * l[k];
    CU_ASSERT(v > 0);
    CU_ASSERT_DOUBLE_EQUAL(srt_sr_pareto_volume(c, ls, 5, 30), v, 1e-9);
}

/* ---- runs ---- */

#define NROWS 100
static double block[4 * NROWS];
static const double *cols[3];

static void small_problem(srt_sr_data_t *d, srt_sr_options_t *o)
{
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 77);
    for (int f = 0; f < 3; f++)
        cols[f] = block + f * NROWS;
    double *y = block + 3 * NROWS;
    for (int i = 0; i < NROWS; i++) {
        for (int f = 0; f < 3; f++)
            block[f * NROWS + i] = 4 * srt_sr__rng_uniform(&r) - 2;
        y[i] = 1.7 * block[i] * block[NROWS + i] - sin(block[2 * NROWS + i]) + 0.3;
    }
    d->cols = cols;
    d->y = y;
    d->nrows = NROWS;
    d->nfeatures = 3;
    d->names = NULL;
    srt_sr_options_default(o, SRT_SR_PRESET_PYSR1);
    o->precision = g_prec;
    o->populations = 3;
    o->population_size = 20;
    o->ncycles_per_iteration = 30;
    o->niterations = 4;
    o->maxsize = 15;
    o->n_unaops = 2;
    o->unaops[0] = SRT_OP_SIN;
    o->unaops[1] = SRT_OP_EXP;
}

static char *read_text(const char *dir, const char *name)
{
    char *p = srt_path_join(dir, name), *text = NULL;
    size_t len;
    if (srt_fs_read_file(p, &text, &len, NULL) != SRT_OK)
        text = NULL;
    free(p);
    return text;
}

static int exists(const char *dir, const char *name)
{
    char *p = srt_path_join(dir, name);
    int e = srt_fs_is_file(p);
    free(p);
    return e;
}

/* The scalar log without its clock columns (first and second to last). */
static char *strip_clock(const char *csv)
{
    char *out = malloc(strlen(csv) + 1), *o = out;
    const char *line = csv;
    while (*line) {
        const char *end = strchr(line, '\n');
        size_t len = end ? (size_t)(end - line) : strlen(line);
        int ncomma = 0;
        for (size_t i = 0; i < len; i++)
            ncomma += line[i] == ',';
        int field = 0;
        for (size_t i = 0; i < len; i++) {
            if (field != 0 && field != ncomma - 1)
                *o++ = line[i];
            if (line[i] == ',')
                field++;
        }
        *o++ = '\n';
        line += len + (end ? 1 : 0);
    }
    *o = '\0';
    return out;
}

static char *run_dir(const char *name)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s-p%ld", name, g_prec);
    return srt_path_join(srt_test_tmpdir(), buf);
}

static void run_writes_the_result_files_in_their_formats(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    o.log_interval = 5; /* 12 returns: rows at 5, 10, and the final state at 12 */
    char *dir = run_dir("formats");
    srt_sr_result_t res;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 1, dir, NULL, &res, &err), SRT_OK);
    CU_ASSERT(exists(dir, "tensorboard_scalars.csv"));
    CU_ASSERT(!exists(dir, "tensorboard_scalars.csv.partial"));
    CU_ASSERT(!exists(dir, "checkpoint.bin"));
    char *sc = read_text(dir, "tensorboard_scalars.csv");
    CU_ASSERT_FATAL(sc != NULL);
    const char *hdr = "timestamp,step,min_loss,pareto_volume,num_evals,loss_1,loss_2,loss_3,"
                      "loss_4,loss_5,loss_6,loss_7,loss_8,loss_9,loss_10,loss_11,loss_12,loss_13,"
                      "loss_14,loss_15,precision,elapsed_s,best_complexity\n";
    CU_ASSERT_NSTRING_EQUAL(sc, hdr, strlen(hdr));
    int lines = 0;
    for (const char *p = sc; *p; p++)
        lines += *p == '\n';
    CU_ASSERT_EQUAL(lines, 4);
    /* every row has the header's field count; the last row's pareto_volume is the result */
    const char *last = sc;
    for (const char *p = sc; *p; p++)
        if (*p == '\n' && p[1])
            last = p + 1;
    int commas = 0;
    for (const char *p = last; *p && *p != '\n'; p++)
        commas += *p == ',';
    CU_ASSERT_EQUAL(commas, 22);
    long step;
    double ts, minloss, pv;
    CU_ASSERT_EQUAL(sscanf(last, "%lf,%ld,%lf,%lf", &ts, &step, &minloss, &pv), 4);
    CU_ASSERT_EQUAL(step, 12);
    CU_ASSERT_DOUBLE_EQUAL(pv, res.pareto_volume, 1e-12);
    CU_ASSERT_DOUBLE_EQUAL(minloss, res.min_loss, 1e-12 * fmax(1, res.min_loss));
    char *hof = read_text(dir, "hall_of_fame.csv");
    CU_ASSERT_FATAL(hof != NULL);
    CU_ASSERT_NSTRING_EQUAL(hof, "complexity,loss,score,precision,equation\n", 41);
    int hl = 0;
    for (const char *p = hof; *p; p++)
        hl += *p == '\n';
    CU_ASSERT_EQUAL((size_t)hl, res.nfront + 1);
    CU_ASSERT(res.nfront >= 2);
    for (size_t k = 1; k < res.nfront; k++) {
        CU_ASSERT(res.front[k].complexity > res.front[k - 1].complexity);
        CU_ASSERT(res.front[k].loss < res.front[k - 1].loss);
    }
    char *js = read_text(dir, "run.json");
    CU_ASSERT_FATAL(js != NULL);
    CU_ASSERT(strstr(js, "\"status\": \"complete\"") != NULL);
    CU_ASSERT(strstr(js, "\"seed\": 1,") != NULL);
    CU_ASSERT(strstr(js, "\"maxsize\": 15") != NULL);
    CU_ASSERT(strstr(js, "\"unary_operators\": [\"sin\", \"exp\"]") != NULL);
    /* the precision is recorded in all three files; at 32 every loss of the
     * front and every constant of its trees is a Float32 value */
    CU_ASSERT(strstr(js, "\"precision\": 32,") != NULL);
    size_t at = 0;
    for (int f = 0; f < 20; f++)
        at += strcspn(last + at, ",") + 1; /* after the loss_15 column */
    CU_ASSERT_NSTRING_EQUAL(last + at, "32,", 3);
    size_t ro = strcspn(hof, "\n") + 1;
    for (size_t k = 0; k < res.nfront; k++) {
        unsigned cxk;
        double lk, sk;
        long pk;
        CU_ASSERT_EQUAL(sscanf(hof + ro, "%u,%lf,%lf,%ld,", &cxk, &lk, &sk, &pk), 4);
        CU_ASSERT_EQUAL(pk, 32);
        CU_ASSERT_EQUAL(lk, res.front[k].loss);
        CU_ASSERT_EQUAL(srt_sr__f32(res.front[k].loss), res.front[k].loss);
        CU_ASSERT_EQUAL(srt_sr__f32(sk), sk);
        for (uint32_t i = 0; i < res.front[k].expr.len; i++)
            if (res.front[k].expr.nodes[i].op == SRT_OP_CONST)
                CU_ASSERT_EQUAL(srt_sr__f32(res.front[k].expr.nodes[i].value),
                                res.front[k].expr.nodes[i].value);
        ro += strcspn(hof + ro, "\n") + 1;
    }
    free(sc);
    free(hof);
    free(js);
    free(dir);
    srt_sr_result_fini(&res);
}

static void same_seed_at(long prec)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    o.batching = 1;
    o.batch_size = 30;
    o.annealing = 1;
    o.weight_optimize = 0.01;
    o.crossover_probability = 0.1;
    char *a = run_dir("det_a"), *b = run_dir("det_b"), *c = run_dir("det_c");
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 5, a, NULL, NULL, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 5, b, NULL, NULL, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 6, c, NULL, NULL, NULL), SRT_OK);
    char *ha = read_text(a, "hall_of_fame.csv"), *hb = read_text(b, "hall_of_fame.csv");
    char *sa = read_text(a, "tensorboard_scalars.csv"), *sb = read_text(b, "tensorboard_scalars.csv");
    char *scx = read_text(c, "tensorboard_scalars.csv");
    CU_ASSERT_FATAL(ha && hb && sa && sb && scx);
    CU_ASSERT_STRING_EQUAL(ha, hb);
    char *xa = strip_clock(sa), *xb = strip_clock(sb), *xc = strip_clock(scx);
    CU_ASSERT_STRING_EQUAL(xa, xb);
    CU_ASSERT(strcmp(xa, xc) != 0);
    free(ha), free(hb), free(sa), free(sb), free(scx), free(xa), free(xb), free(xc);
    free(a), free(b), free(c);
}

static void stop_flag_leaves_no_complete_looking_files(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    char *dir = run_dir("stopped");
    volatile sig_atomic_t flag = 1;
    srt_sr_result_t res;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 1, dir, &flag, &res, &err), SRT_ERR_INTERRUPTED);
    CU_ASSERT_EQUAL(res.stop, SRT_SR_STOP_INTERRUPTED);
    CU_ASSERT_EQUAL(res.island_returns, 1);
    CU_ASSERT(!exists(dir, "tensorboard_scalars.csv"));
    CU_ASSERT(!exists(dir, "hall_of_fame.csv"));
    CU_ASSERT(exists(dir, "tensorboard_scalars.csv.partial"));
    CU_ASSERT(exists(dir, "checkpoint.bin"));
    char *js = read_text(dir, "run.json");
    CU_ASSERT(js && strstr(js, "\"status\": \"interrupted\""));
    free(js);
    free(dir);
    srt_sr_result_fini(&res);
}

static void resumed_run_at(long prec)
{
    g_prec = prec;
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    o.batching = 1;
    o.batch_size = 40;
    o.log_interval = 2;
    char *a = run_dir("whole"), *b = run_dir("resumed");
    srt_sr_result_t ra, rb;
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 9, a, NULL, &ra, NULL), SRT_OK);
    /* stopped three times at different points, resumed each time */
    long stops[] = {1, 5, 8};
    for (int k = 0; k < 3; k++) {
        srt_sr_run_params_t p = {1, 0, stops[k], 0};
        srt_sr_result_t r;
        CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 9, b, NULL, &p, &r, NULL), SRT_ERR_INTERRUPTED);
        CU_ASSERT_EQUAL(r.island_returns, stops[k]);
        CU_ASSERT_EQUAL(r.resumed, k > 0);
        srt_sr_result_fini(&r);
    }
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 9, b, NULL, &rb, NULL), SRT_OK);
    CU_ASSERT(rb.resumed);
    CU_ASSERT_EQUAL(ra.pareto_volume, rb.pareto_volume);
    CU_ASSERT_EQUAL(ra.num_evals, rb.num_evals);
    char *ha = read_text(a, "hall_of_fame.csv"), *hb = read_text(b, "hall_of_fame.csv");
    char *sa = read_text(a, "tensorboard_scalars.csv"), *sb = read_text(b, "tensorboard_scalars.csv");
    CU_ASSERT_FATAL(ha && hb && sa && sb);
    CU_ASSERT_STRING_EQUAL(ha, hb);
    char *xa = strip_clock(sa), *xb = strip_clock(sb);
    CU_ASSERT_STRING_EQUAL(xa, xb);
    CU_ASSERT(!exists(b, "checkpoint.bin"));
    free(ha), free(hb), free(sa), free(sb), free(xa), free(xb), free(a), free(b);
    srt_sr_result_fini(&ra);
    srt_sr_result_fini(&rb);
}

/* In both precisions: Float32 (PySR's default) and Float64. */
static void same_seed_gives_the_same_bytes_but_the_clock_columns(void)
{
    same_seed_at(32);
    same_seed_at(64);
    g_prec = 32;
}

static void resumed_run_ends_like_an_uninterrupted_one(void)
{
    resumed_run_at(32);
    resumed_run_at(64);
    g_prec = 32;
}

/* A checkpoint says its precision; resuming it in the other precision is
 * refused with an error that names both (and leaves the checkpoint), while
 * the same precision resumes it. */
static void checkpoint_of_the_other_precision_is_refused(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    char *dir = run_dir("other-precision");
    srt_sr_run_params_t p = {1, 0, 2, 0};
    CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 3, dir, NULL, &p, NULL, NULL), SRT_ERR_INTERRUPTED);
    o.precision = 64;
    srt_sr_result_t r;
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 3, dir, NULL, &r, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(err.key, "precision");
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "written at precision 32, this run has precision 64"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err.file, "checkpoint.bin"));
    CU_ASSERT(exists(dir, "checkpoint.bin"));
    CU_ASSERT(!exists(dir, "tensorboard_scalars.csv"));
    srt_sr_result_fini(&r);
    o.precision = 32;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 3, dir, NULL, &r, NULL), SRT_OK);
    CU_ASSERT(r.resumed);
    CU_ASSERT_EQUAL(r.island_returns, 12);
    srt_sr_result_fini(&r);
    free(dir);
}

static void periodic_checkpoints_do_not_change_the_results(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    char *a = run_dir("plain"), *b = run_dir("periodic");
    srt_sr_run_params_t p = {1, 2, 0, 0};
    CU_ASSERT_EQUAL_FATAL(srt_sr_run(&o, &d, 21, a, NULL, NULL, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_sr_run_ex(&o, &d, 21, b, NULL, &p, NULL, NULL), SRT_OK);
    CU_ASSERT(!exists(b, "checkpoint.bin"));
    char *ha = read_text(a, "hall_of_fame.csv"), *hb = read_text(b, "hall_of_fame.csv");
    CU_ASSERT_FATAL(ha && hb);
    CU_ASSERT_STRING_EQUAL(ha, hb);
    free(ha), free(hb), free(a), free(b);
}

static void checkpoint_of_other_options_is_not_resumed(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    char *dir = run_dir("mismatch");
    srt_sr_run_params_t p = {1, 0, 2, 0};
    CU_ASSERT_EQUAL(srt_sr_run_ex(&o, &d, 3, dir, NULL, &p, NULL, NULL), SRT_ERR_INTERRUPTED);
    o.parsimony = 0.01;
    srt_sr_result_t r;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 3, dir, NULL, &r, NULL), SRT_OK);
    CU_ASSERT(!r.resumed);
    CU_ASSERT_EQUAL(r.island_returns, 12);
    srt_sr_result_fini(&r);
    free(dir);
}

/* A hall-of-fame slot holds the member of its complexity only: a checkpoint
 * whose slot k holds another complexity (a damaged or forged file that still
 * has a valid hash) is refused, not resumed into a wrong front. */
static void checkpoint_with_a_misplaced_hall_of_fame_member_is_refused(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    srt_sr__search_t *s = NULL, *t = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_create(&o, &d, 5, &s, &err), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_island(s), SRT_OK);
    long k = 0;
    while (k + 1 < s->maxsize && !(s->hof_exists[k] && !s->hof_exists[k + 1]))
        k++;
    CU_ASSERT_FATAL(k + 1 < s->maxsize);
    char *dir = run_dir("hof-slot");
    CU_ASSERT_EQUAL_FATAL(srt_fs_mkdir_p(dir, NULL), SRT_OK);
    char *good = srt_path_join(dir, "good.bin"), *bad = srt_path_join(dir, "bad.bin");
    uint64_t partial = 0;
    CU_ASSERT_EQUAL(srt_sr__checkpoint_save(s, good, 0, &err), SRT_OK);
    /* move slot k's member to slot k + 1, save, and put it back */
    srt_sr__member_t m = s->hof[k];
    s->hof[k] = s->hof[k + 1];
    s->hof[k + 1] = m;
    s->hof_exists[k] = 0;
    s->hof_exists[k + 1] = 1;
    CU_ASSERT_EQUAL(srt_sr__checkpoint_save(s, bad, 0, &err), SRT_OK);
    m = s->hof[k + 1];
    s->hof[k + 1] = s->hof[k];
    s->hof[k] = m;
    s->hof_exists[k] = 1;
    s->hof_exists[k + 1] = 0;
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_create(&o, &d, 5, &t, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_sr__checkpoint_load(t, good, &partial, &err), SRT_OK);
    srt_sr__search_destroy(&t);
    CU_ASSERT_EQUAL_FATAL(srt_sr__search_create(&o, &d, 5, &t, &err), SRT_OK);
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_sr__checkpoint_load(t, bad, &partial, &err), SRT_ERR_MISMATCH);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "checkpoint is damaged"));
    srt_sr__search_destroy(&t);
    srt_sr__search_destroy(&s);
    free(good);
    free(bad);
    free(dir);
}

static void stop_conditions_end_the_run_early(void)
{
    srt_sr_data_t d;
    srt_sr_options_t o;
    small_problem(&d, &o);
    o.niterations = 1000;
    o.max_evals = 3000;
    srt_sr_result_t r;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 1, NULL, NULL, &r, NULL), SRT_OK);
    CU_ASSERT_EQUAL(r.stop, SRT_SR_STOP_MAX_EVALS);
    CU_ASSERT(r.num_evals >= 3000 && r.num_evals < 6000);
    srt_sr_result_fini(&r);
    o.max_evals = NAN;
    o.early_stop_condition = 1e300;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 1, NULL, NULL, &r, NULL), SRT_OK);
    CU_ASSERT_EQUAL(r.stop, SRT_SR_STOP_EARLY);
    CU_ASSERT_EQUAL(r.island_returns, 1);
    srt_sr_result_fini(&r);
    o.early_stop_condition = NAN;
    o.timeout_in_seconds = 0.0;
    CU_ASSERT_EQUAL(srt_sr_run(&o, &d, 1, NULL, NULL, &r, NULL), SRT_OK);
    CU_ASSERT_EQUAL(r.stop, SRT_SR_STOP_TIMEOUT);
    CU_ASSERT_EQUAL(r.island_returns, 1);
    srt_sr_result_fini(&r);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"pareto_front_keeps_strict_improvements_only", pareto_front_keeps_strict_improvements_only},
        {"pareto_scores_are_log_loss_drops_per_complexity",
         pareto_scores_are_log_loss_drops_per_complexity},
        {"pareto_volume_of_hand_computed_fronts", pareto_volume_of_hand_computed_fronts},
        {"pareto_volume_is_zero_for_empty_and_single_fronts",
         pareto_volume_is_zero_for_empty_and_single_fronts},
        {"pareto_volume_does_not_change_when_the_loss_is_scaled",
         pareto_volume_does_not_change_when_the_loss_is_scaled},
        {"run_writes_the_result_files_in_their_formats",
         run_writes_the_result_files_in_their_formats},
        {"same_seed_gives_the_same_bytes_but_the_clock_columns",
         same_seed_gives_the_same_bytes_but_the_clock_columns},
        {"stop_flag_leaves_no_complete_looking_files", stop_flag_leaves_no_complete_looking_files},
        {"resumed_run_ends_like_an_uninterrupted_one", resumed_run_ends_like_an_uninterrupted_one},
        {"periodic_checkpoints_do_not_change_the_results",
         periodic_checkpoints_do_not_change_the_results},
        {"checkpoint_of_other_options_is_not_resumed", checkpoint_of_other_options_is_not_resumed},
        {"checkpoint_of_the_other_precision_is_refused",
         checkpoint_of_the_other_precision_is_refused},
        {"checkpoint_with_a_misplaced_hall_of_fame_member_is_refused",
         checkpoint_with_a_misplaced_hall_of_fame_member_is_refused},
        {"stop_conditions_end_the_run_early", stop_conditions_end_the_run_early},
        {NULL, NULL}};
    return srt_test_main("sr_search", cases);
}
