/*
 * bench_journal: replay of a 10 000-trial journal by srtune against Optuna
 * 3.1's optuna.load_study on the same file (tools/bench/bench_journal.py), in
 * the same run; prints the ratio. Each side replays the file REPS times (each
 * a fresh open in the same process) and keeps its best time. Goal (issue 18):
 * >= 20x faster.
 *
 *   bench_journal [--no-python] [--trials N] [--reps R] [--keep PATH]
 * The journal holds one study, 10 params per trial, 3 intermediate values, a
 * user attr, a system attr and the final state (9 lines per trial, as srtune's
 * coordinator writes them).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "srtune/study.h"

static double python_s(const char *path, int reps)
{
    const char *src = getenv("SRTUNE_SOURCE_DIR");
    const char *py = getenv("PYTHON");
    char cmd[8192], line[256];
    double s = NAN;
    long n = 0;
    snprintf(cmd, sizeof cmd, "%s %s/tools/bench/bench_journal.py %s bench %d",
             py ? py : "/usr/bin/python3", src ? src : ".", path, reps);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NAN;
    while (fgets(line, sizeof line, p))
        if (sscanf(line, "seconds %lf trials %ld", &s, &n) == 2)
            break;
    pclose(p);
    return s;
}

static int generate(const char *path, long n_trials)
{
    srt_err_t err;
    srt_journal_t *j = NULL;
    srt_journal_batch_t b;
    srt_space_t *space = srt_space_create();
    int dir = 1, rc = 1;
    char name[32];
    srt_err_clear(&err);
    srt_journal_batch_init(&b);
    for (int i = 0; i < 10; i++) {
        snprintf(name, sizeof name, "x%d", i);
        if (srt_space_add_float(space, name, -5.0, 5.0, 0, 0, NULL) != SRT_OK)
            goto cleanup;
    }
    if (srt_journal_open(path, "srtune-bench", &j, &err) != SRT_OK)
        goto cleanup;
    const char *w = srt_journal_worker_id(j);
    if (srt_journal_op_create_study(&b, w, "bench", &dir, 1) != SRT_OK ||
        srt_journal_commit(j, &b, &err) != SRT_OK)
        goto cleanup;
    gsl_rng *r = srt_rng_create(1);
    srt_trial_param_t tp[10];
    for (long t = 0; t < n_trials; t++) {
        double v = 0;
        for (int i = 0; i < 10; i++) {
            tp[i].name = space->params[i].name;
            tp[i].distribution = space->params[i].distribution;
            tp[i].internal = -5 + 10 * gsl_rng_uniform(r);
            v += tp[i].internal * tp[i].internal;
        }
        srt_attr_t sa[1] = {{(char *)"srtune:run_dir", (char *)"\"trials/trial_x\""}};
        srt_trial_template_t tt;
        memset(&tt, 0, sizeof tt);
        tt.state = SRT_TRIAL_STATE_RUNNING;
        tt.params = tp;
        tt.n_params = 10;
        tt.system_attrs = sa;
        tt.n_system_attrs = 1;
        int bad = srt_journal_op_create_trial_template(&b, w, 0, &tt) != SRT_OK;
        for (int s = 1; s <= 3; s++)
            bad |= srt_journal_op_set_intermediate(&b, w, t, s, v * (4 - s) / 3) != SRT_OK;
        bad |=
            srt_journal_op_set_trial_attr(&b, w, t, 0, "per_equation", "[1.5, 2.5, 3.5]") != SRT_OK;
        bad |= srt_journal_op_set_trial_attr(&b, w, t, 1, "srtune:heartbeat", "1795593303.5") !=
               SRT_OK;
        bad |= srt_journal_op_set_intermediate(&b, w, t, 4, v) != SRT_OK;
        bad |= srt_journal_op_set_trial_attr(&b, w, t, 0, "note", "\"done\"") != SRT_OK;
        bad |= srt_journal_op_set_state(&b, w, t, SRT_TRIAL_STATE_COMPLETE, &v, 1) != SRT_OK;
        if (bad)
            goto cleanup;
        if (b.len > (1u << 22) || t + 1 == n_trials) {
            if (srt_journal_lock(j, &err) != SRT_OK ||
                srt_journal_append_locked(j, &b, &err) != SRT_OK ||
                srt_journal_unlock(j, &err) != SRT_OK)
                goto cleanup;
            srt_journal_batch_reset(&b);
        }
    }
    gsl_rng_free(r);
    rc = 0;
cleanup:
    if (rc) {
        char buf[2048];
        fprintf(stderr, "bench_journal: %s\n", srt_err_format(&err, buf, sizeof buf));
    }
    srt_journal_batch_fini(&b);
    srt_journal_destroy(&j);
    srt_space_destroy(&space);
    return rc;
}

/* Lines in the file, counted (not computed from the generator's shape). */
static long count_lines(const char *path)
{
    FILE *f = fopen(path, "rb");
    char buf[1 << 16];
    size_t k;
    long n = 0;
    if (!f)
        return -1;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < k; i++)
            n += buf[i] == '\n';
    fclose(f);
    return n;
}

int main(int argc, char **argv)
{
    int use_python = 1, reps = 3;
    long n = 10000;
    const char *keep = NULL;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-python") == 0)
            use_python = 0;
        else if (strcmp(argv[i], "--trials") == 0 && i + 1 < argc)
            n = atol(argv[++i]);
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
        else if (strcmp(argv[i], "--keep") == 0 && i + 1 < argc)
            keep = argv[++i];
    }
    gsl_set_error_handler_off();
    char path[4096];
    if (keep)
        snprintf(path, sizeof path, "%s", keep);
    else
        snprintf(path, sizeof path, "%s/srtune-bench-journal-%ld.log",
                 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
    (void)unlink(path);
    if (generate(path, n) != 0)
        return 1;
    if (reps < 1) {
        fprintf(stderr, "bench_journal: --reps must be >= 1\n");
        return 2;
    }
    /* best of reps replays (the Python side does the same) */
    double best = INFINITY;
    size_t trials = 0;
    for (int rep = 0; rep < reps; rep++) {
        srt_journal_t *j = NULL;
        double t0 = srt_time_monotonic();
        if (srt_journal_open(path, NULL, &j, NULL) != SRT_OK)
            return 1;
        double dt = srt_time_monotonic() - t0;
        trials = srt_journal_n_trials(j);
        srt_journal_destroy(&j);
        if (dt < best)
            best = dt;
    }
    double theirs = use_python ? python_s(path, reps) : NAN;
    printf("journal %s: %zu trials, %ld lines\n", path, trials, count_lines(path));
    printf("best of %d on each side: srtune replay %.4f s, optuna.load_study %.4f s, ratio %.1fx\n",
           reps, best, theirs, theirs / best);
    if (!keep)
        (void)unlink(path);
    return 0;
}
