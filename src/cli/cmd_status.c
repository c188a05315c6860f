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
#include "cli/study_summary.h"
#include "cli/study_view.h"

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

/* The trial and run counts, the ETA and the best trial (study_summary.h). */
static void print_counts(const srt_view_t *v, const srt_summary_t *s)
{
    const srt_config_t *cfg = v->plan.cfg;
    printf("study '%s' in %s\n", cfg->study.name, v->dir);
    printf("  trials:  %zu finished of n_trials %ld (%zu complete, %zu pruned); %zu running, "
           "%zu waiting, %zu failed, %zu interrupted\n",
           s->finished, cfg->study.n_trials, s->complete, s->pruned, s->running, s->waiting,
           s->failed, s->interrupted);
    if (s->interrupted)
        printf("           (an interrupted trial was stopped by a signal; its WAITING copy "
               "resumes it)\n");
    if (s->foreign) {
        printf("  foreign: %zu trials added through Optuna (no srtune run directory; not in the "
               "counts above):",
               s->foreign);
        size_t shown = 0;
        for (size_t i = 0; i < v->n_trials && shown < 20; i++)
            if (!srt_summary_is_own(v->trials[i])) {
                printf(" %ld (%s)", v->trials[i]->number,
                       srt_trial_state_name(v->trials[i]->state));
                shown++;
            }
        printf("%s\n", s->foreign > shown ? " ..." : "");
        if (s->foreign_finished)
            printf("           %zu of them finished: they count towards n_trials\n",
                   s->foreign_finished);
    }
    char eta[32] = "unknown";
    if (s->study_done)
        snprintf(eta, sizeof eta, "done");
    else if (s->runs_done > 0 && s->first_age > 0)
        format_duration(eta, sizeof eta,
                        s->first_age * (double)(s->runs_total - s->runs_done) /
                            (double)s->runs_done);
    printf("  runs:    %zu of %zu done (%.0f%%), ETA %s\n", s->runs_done, s->runs_total,
           s->runs_total ? 100.0 * (double)s->runs_done / (double)s->runs_total : 0.0, eta);
    char bname[128];
    if (s->best) {
        const char *b = srt_study_trial_baseline(s->best, bname, sizeof bname);
        printf("  best:    trial %ld, value %.10g%s%s%s\n", s->best->number, s->best->values[0],
               b ? " (baseline " : "", b ? b : "", b ? ")" : "");
    }
    /* each baseline's trial (a retry copy keeps the name: the failed original is
     * left out) */
    int header = 0;
    for (size_t i = 0; i < v->n_trials; i++) {
        const srt_trial_t *t = v->trials[i];
        const char *b = srt_study_trial_baseline(t, bname, sizeof bname);
        if (!b || t->state == SRT_TRIAL_STATE_FAIL)
            continue;
        printf("  %s trial %ld %s %s", header ? "          " : "baselines:", t->number, b,
               srt_trial_state_name(t->state));
        if (t->state == SRT_TRIAL_STATE_COMPLETE && t->n_values > 0)
            printf(", value %.10g", t->values[0]);
        printf("\n");
        header = 1;
    }
}

int srt_cmd_status(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        FILE *f = argc == 2 ? stdout : stderr;
        fprintf(f, "usage: srtune status DIR|CONFIG\n\nShows the progress of the study in output "
                   "directory DIR (or of the study\nof config file CONFIG) from its journal and run "
                   "directories.\n");
        return argc == 2 ? SRT_EXIT_OK : SRT_EXIT_USAGE;
    }
    srt_view_t v;
    int code = 0;
    char *dir = srt_summary_target_dir(argv[1], &code);
    if (!dir)
        return code;
    code = srt_view_open(dir, &v);
    free(dir);
    if (code != 0) {
        srt_view_close(&v);
        return code;
    }
    const srt_config_t *cfg = v.plan.cfg;
    size_t per_trial = v.plan.n_equations * (size_t)cfg->dataset.n_runs;
    srt_summary_t sum;
    srt_summary_compute(&v, &sum);
    print_counts(&v, &sum);
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
