/*
 * bench_sampler: time per TPE suggestion of srtune against Optuna 3.1's
 * study.ask (tools/bench/bench_sampler.py) in the same run, at 100, 500 and
 * 1000 COMPLETE trials of history on a 10-D float space; prints the ratio.
 * Goal (issue 5): >= 100x faster.
 *
 *   bench_sampler [--no-python] [--reps R]
 * The Python side is found under $SRTUNE_SOURCE_DIR (default: the current
 * directory) and run with $PYTHON (default /usr/bin/python3).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gsl/gsl_errno.h>

#include "srtune/study.h"

static double python_ms(long n, int reps)
{
    const char *src = getenv("SRTUNE_SOURCE_DIR");
    const char *py = getenv("PYTHON");
    char cmd[4096], line[256];
    double ms = NAN;
    snprintf(cmd, sizeof cmd, "%s %s/tools/bench/bench_sampler.py %ld %d",
             py ? py : "/usr/bin/python3", src ? src : ".", n, reps);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NAN;
    while (fgets(line, sizeof line, p))
        if (sscanf(line, "ms_per_ask %lf", &ms) == 1)
            break;
    pclose(p);
    return ms;
}

int main(int argc, char **argv)
{
    int use_python = 1, reps = 200;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--no-python") == 0)
            use_python = 0;
        else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
            reps = atoi(argv[++i]);
    }
    gsl_set_error_handler_off();
    const size_t d = 10;
    srt_space_t *space = srt_space_create();
    char name[32];
    for (size_t i = 0; i < d; i++) {
        snprintf(name, sizeof name, "x%zu", i);
        if (srt_space_add_float(space, name, -5.0, 5.0, 0, 0, NULL) != SRT_OK)
            return 1;
    }
    const long sizes[3] = {100, 500, 1000};
    printf("%-8s %-14s %-14s %s\n", "history", "srtune ms", "optuna ms", "ratio");
    for (int k = 0; k < 3; k++) {
        long n = sizes[k];
        srt_observation_t *obs = calloc((size_t)n, sizeof *obs);
        double *xs = calloc((size_t)n * d, sizeof *xs);
        gsl_rng *r = srt_rng_create(12345);
        for (long t = 0; t < n; t++) {
            double v = 0;
            for (size_t i = 0; i < d; i++) {
                xs[t * (long)d + (long)i] = -5 + 10 * gsl_rng_uniform(r);
                v += xs[t * (long)d + (long)i] * xs[t * (long)d + (long)i];
            }
            obs[t].number = t;
            obs[t].state = SRT_TRIAL_STATE_COMPLETE;
            obs[t].value = v;
            obs[t].last_step = -1;
            obs[t].x = xs + t * (long)d;
        }
        srt_history_t h = {obs, (size_t)n, 1};
        double x[16];
        int cr = reps * 5;
        double t0 = srt_time_monotonic();
        for (int rep = 0; rep < cr; rep++) {
            srt_sample_context_t ctx = {7, n + rep};
            if (srt_sampler_suggest(srt_sampler_tpe, NULL, space, &h, &ctx, x, NULL) != SRT_OK)
                return 1;
        }
        double ours = (srt_time_monotonic() - t0) * 1000.0 / cr;
        double theirs = use_python ? python_ms(n, n >= 1000 ? reps / 4 + 1 : reps / 2 + 1) : NAN;
        printf("%-8ld %-14.4f %-14.4f %.1fx\n", n, ours, theirs, theirs / ours);
        fflush(stdout);
        gsl_rng_free(r);
        free(obs);
        free(xs);
    }
    srt_space_destroy(&space);
    return 0;
}
