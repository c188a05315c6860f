/*
 * bench_sampler: time of one TPE ask + tell through the study journal, srtune
 * against Optuna 3.1 (tools/bench/bench_sampler.py) on the same work, in the
 * same run: both sides start from a copy of the same journal holding N COMPLETE
 * trials of a 10-D float space (N = 100, 500, 1000), and each repetition asks a
 * trial (TPE, Optuna's defaults), then tells it COMPLETE with the sphere value
 * of its params, appending to the journal as a study run does; the history
 * therefore grows the same way on both sides. Each side does ROUNDS rounds of
 * REPS repetitions on a fresh copy and keeps its best round (mean time per ask
 * + tell; opening the study is left out on both sides: that replay is
 * bench_journal's). Goal (issue 18): >= 50x at 1000 trials.
 *
 *   bench_sampler [--no-python] [--reps R] [--rounds K]
 * The Python side is found under $SRTUNE_SOURCE_DIR (default: the current
 * directory) and run with $PYTHON (default /usr/bin/python3).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "srtune/study.h"

enum { DIM = 10 };

static double python_ms(const char *journal, int reps, int rounds)
{
    const char *src = getenv("SRTUNE_SOURCE_DIR");
    const char *py = getenv("PYTHON");
    char cmd[8192], line[256];
    double ms = NAN;
    snprintf(cmd, sizeof cmd, "%s %s/tools/bench/bench_sampler.py %s bench %d %d",
             py ? py : "/usr/bin/python3", src ? src : ".", journal, reps, rounds);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NAN;
    while (fgets(line, sizeof line, p))
        if (sscanf(line, "ms_per_ask_tell %lf", &ms) == 1)
            break;
    pclose(p);
    return ms;
}

static srt_space_t *make_space(void)
{
    srt_space_t *space = srt_space_create();
    char name[32];
    for (int i = 0; i < DIM && space; i++) {
        snprintf(name, sizeof name, "x%d", i);
        if (srt_space_add_float(space, name, -5.0, 5.0, 0, 0, NULL) != SRT_OK)
            srt_space_destroy(&space);
    }
    return space;
}

/* Writes a journal with study "bench" and n COMPLETE trials (sphere values). */
static int write_history(const char *path, const srt_space_t *space, long n, srt_err_t *err)
{
    srt_journal_t *j = NULL;
    srt_journal_batch_t b;
    int dir = 1, rc = 1;
    srt_journal_batch_init(&b);
    gsl_rng *r = srt_rng_create(12345);
    if (!r || srt_journal_open(path, "srtune-bench", &j, err) != SRT_OK)
        goto cleanup;
    const char *w = srt_journal_worker_id(j);
    if (srt_journal_op_create_study(&b, w, "bench", &dir, 1) != SRT_OK)
        goto cleanup;
    srt_trial_param_t tp[DIM];
    for (long t = 0; t < n; t++) {
        double v = 0;
        for (int i = 0; i < DIM; i++) {
            tp[i].name = space->params[i].name;
            tp[i].distribution = space->params[i].distribution;
            tp[i].internal = -5 + 10 * gsl_rng_uniform(r);
            v += tp[i].internal * tp[i].internal;
        }
        srt_trial_template_t tt;
        memset(&tt, 0, sizeof tt);
        tt.state = SRT_TRIAL_STATE_COMPLETE;
        tt.values = &v;
        tt.n_values = 1;
        tt.params = tp;
        tt.n_params = DIM;
        if (srt_journal_op_create_trial_template(&b, w, 0, &tt) != SRT_OK)
            goto cleanup;
    }
    if (srt_journal_commit(j, &b, err) != SRT_OK)
        goto cleanup;
    rc = 0;
cleanup:
    if (r)
        gsl_rng_free(r);
    srt_journal_batch_fini(&b);
    srt_journal_destroy(&j);
    return rc;
}

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[1 << 16];
    size_t k;
    int rc = in && out ? 0 : 1;
    while (!rc && (k = fread(buf, 1, sizeof buf, in)) > 0)
        rc = fwrite(buf, 1, k, out) != k;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        rc = 1;
    return rc;
}

/* One round: REPS x (ask + tell COMPLETE) on a fresh copy; ms per ask + tell. */
static double srtune_round(const char *journal, const srt_space_t *space, int reps, srt_err_t *err)
{
    srt_study_options_t o = srt_study_options_default();
    srt_study_t *s = NULL;
    double ms = NAN;
    o.journal_path = journal;
    o.study_name = "bench";
    o.seed = 7;
    o.pruner = srt_pruner_default(SRT_PRUNER_NONE);
    if (srt_study_open(&o, space, &s, err) != SRT_OK)
        goto cleanup;
    double t0 = srt_time_monotonic(); /* the replay at open is bench_journal's */
    for (int rep = 0; rep < reps; rep++) {
        srt_ask_t a;
        memset(&a, 0, sizeof a);
        if (srt_study_ask(s, &a, err) != SRT_OK)
            goto cleanup;
        double v = 0;
        for (size_t i = 0; i < a.n; i++)
            v += a.x[i] * a.x[i];
        long number = a.number;
        srt_ask_fini(&a);
        if (srt_study_tell(s, number, SRT_TRIAL_STATE_COMPLETE, &v, NULL, 0, SRT_RETRY_NONE,
                           err) != SRT_OK)
            goto cleanup;
    }
    ms = (srt_time_monotonic() - t0) * 1000.0 / reps;
cleanup:
    srt_study_destroy(&s);
    return ms;
}

int main(int argc, char **argv)
{
    int use_python = 1, reps = 20, rounds = 3;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-python") == 0)
            use_python = 0;
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--rounds") == 0 && i + 1 < argc)
            rounds = atoi(argv[++i]);
    }
    if (reps < 1 || rounds < 1) {
        fprintf(stderr, "bench_sampler: --reps and --rounds must be >= 1\n");
        return 2;
    }
    gsl_set_error_handler_off();
    srt_err_t err;
    srt_err_clear(&err);
    srt_space_t *space = make_space();
    if (!space)
        return 1;
    const char *tmp = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
    char base[4096], work[4200];
    int rc = 0;
    printf("TPE ask + tell through the journal, 10-D float space, %d repetitions, best of %d "
           "rounds on each side\n",
           reps, rounds);
    printf("%-8s %-14s %-14s %s\n", "history", "srtune ms", "optuna ms", "ratio");
    const long sizes[3] = {100, 500, 1000};
    for (int k = 0; k < 3 && !rc; k++) {
        snprintf(base, sizeof base, "%s/srtune-bench-sampler-%ld-%ld.log", tmp, (long)getpid(),
                 sizes[k]);
        snprintf(work, sizeof work, "%s.work", base);
        (void)unlink(base);
        if (write_history(base, space, sizes[k], &err) != 0) {
            rc = 1;
            break;
        }
        double ours = INFINITY;
        for (int r = 0; r < rounds && !rc; r++) {
            (void)unlink(work);
            double ms = copy_file(base, work) ? NAN : srtune_round(work, space, reps, &err);
            if (isnan(ms))
                rc = 1;
            else if (ms < ours)
                ours = ms;
        }
        (void)unlink(work);
        double theirs = use_python && !rc ? python_ms(base, reps, rounds) : NAN;
        if (!rc)
            printf("%-8ld %-14.4f %-14.4f %.1fx\n", sizes[k], ours, theirs, theirs / ours);
        fflush(stdout);
        (void)unlink(base);
    }
    if (rc) {
        char buf[2048];
        fprintf(stderr, "bench_sampler: %s\n", srt_err_format(&err, buf, sizeof buf));
    }
    srt_space_destroy(&space);
    return rc;
}
