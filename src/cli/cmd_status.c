/*
 * `srtune status DIR`: a study's progress from its journal and run
 * directories alone (it writes nothing and needs no running process): trials
 * by state, runs done of the total, running trials with their progress and
 * heartbeat age, lost trials, an ETA and the best value so far.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/slurm_jobs.h"
#include "cli/study_view.h"

/* Seconds since a journal datetime, -1 when it does not parse. */
static double age_of(const char *iso)
{
    double t = srt_view_iso_seconds(iso);
    return isnan(t) ? -1 : srt_time_wall() - t;
}

static void format_duration(char *buf, size_t size, double s)
{
    if (s < 0 || !isfinite(s))
        snprintf(buf, size, "unknown");
    else if (s < 120)
        snprintf(buf, size, "%.0f s", s);
    else if (s < 7200)
        snprintf(buf, size, "%.0f min", s / 60);
    else
        snprintf(buf, size, "%.1f h", s / 3600);
}

int srt_cmd_status(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        FILE *f = argc == 2 ? stdout : stderr;
        fprintf(f, "usage: srtune status DIR\n\nShows the progress of the study in output "
                   "directory DIR from its journal and run directories.\n");
        return argc == 2 ? SRT_EXIT_OK : SRT_EXIT_USAGE;
    }
    srt_view_t v;
    int code = srt_view_open(argv[1], &v);
    if (code != 0) {
        srt_view_close(&v);
        return code;
    }
    const srt_config_t *cfg = v.plan.cfg;
    size_t per_trial = v.plan.n_equations * (size_t)cfg->dataset.n_runs;
    size_t by_state[5] = {0};
    size_t runs_done = 0, runs_finished_trials = 0;
    double first_age = -1;
    for (size_t i = 0; i < v.n_trials; i++) {
        const srt_trial_t *t = v.trials[i];
        if ((unsigned)t->state < 5)
            by_state[t->state]++;
        double a = age_of(t->datetime_start);
        if (a > first_age)
            first_age = a;
        /* retry copies share their original's directory: count each once */
        if (srt_trial_system_attr(t, "failed_trial"))
            continue;
        size_t d = srt_view_runs_done(&v, t);
        runs_done += d;
        if (t->state == SRT_TRIAL_STATE_PRUNED)
            runs_finished_trials += per_trial - d; /* runs a pruned trial will never do */
    }
    size_t total = (size_t)cfg->study.n_trials * per_trial - runs_finished_trials;
    size_t finished = by_state[SRT_TRIAL_STATE_COMPLETE] + by_state[SRT_TRIAL_STATE_PRUNED];
    printf("study '%s' in %s\n", cfg->study.name, v.dir);
    printf("  trials:  %zu finished of n_trials %ld (%zu complete, %zu pruned); %zu running, "
           "%zu waiting, %zu failed\n",
           finished, cfg->study.n_trials, by_state[SRT_TRIAL_STATE_COMPLETE],
           by_state[SRT_TRIAL_STATE_PRUNED], by_state[SRT_TRIAL_STATE_RUNNING],
           by_state[SRT_TRIAL_STATE_WAITING], by_state[SRT_TRIAL_STATE_FAIL]);
    if (runs_done > total)
        total = runs_done;
    char eta[32] = "unknown";
    if (finished >= (size_t)cfg->study.n_trials)
        snprintf(eta, sizeof eta, "done");
    else if (runs_done > 0 && first_age > 0)
        format_duration(eta, sizeof eta, first_age * (double)(total - runs_done) /
                                             (double)runs_done);
    printf("  runs:    %zu of %zu done (%.0f%%), ETA %s\n", runs_done, total,
           total ? 100.0 * (double)runs_done / (double)total : 0.0, eta);
    const srt_trial_t *best = srt_view_best(&v);
    if (best)
        printf("  best:    trial %ld, value %.10g\n", best->number, best->values[0]);
    int header = 0;
    for (size_t i = 0; i < v.n_trials; i++) {
        const srt_trial_t *t = v.trials[i];
        if (t->state != SRT_TRIAL_STATE_RUNNING)
            continue;
        double hb = srt_view_heartbeat_age(t);
        int lost = hb > cfg->study.heartbeat_grace_s;
        if (!header) {
            printf("  running:\n");
            header = 1;
        }
        char hbs[32];
        format_duration(hbs, sizeof hbs, hb);
        printf("    trial %-5ld %zu/%zu runs, heartbeat %s ago%s\n", t->number,
               srt_view_runs_done(&v, t), per_trial, hbs,
               lost ? "  LOST (older than the grace; the next coordinator retries it)" : "");
    }
    srt_status_print_jobs(&v);
    srt_view_close(&v);
    return SRT_EXIT_OK;
}
