/* Study counts for status and the launcher: see study_summary.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli/study_summary.h"
#include "cluster/progress.h"

int srt_summary_is_own(const srt_trial_t *t)
{
    return t->state == SRT_TRIAL_STATE_WAITING || srt_trial_system_attr(t, "srtune:run_dir");
}

/* 1 when a later trial is the retry copy of t (it shares t's run directory,
 * so t's runs are counted with the copy). */

void srt_summary_compute(const srt_view_t *v, srt_summary_t *s)
{
    memset(s, 0, sizeof *s);
    s->first_age = -1;
    const srt_config_t *cfg = v->plan.cfg;
    size_t per = v->plan.n_equations * (size_t)cfg->dataset.n_runs;
    size_t pruned_runs = 0;
    s->runs_per_trial = per;
    for (size_t i = 0; i < v->n_trials; i++) {
        const srt_trial_t *t = v->trials[i];
        if (!srt_summary_is_own(t)) {
            s->foreign++;
            s->foreign_finished +=
                t->state == SRT_TRIAL_STATE_COMPLETE || t->state == SRT_TRIAL_STATE_PRUNED;
            continue;
        }
        double start = srt_view_iso_seconds(t->datetime_start);
        if (!isnan(start) && srt_time_wall() - start > s->first_age)
            s->first_age = srt_time_wall() - start;
        switch (t->state) {
        case SRT_TRIAL_STATE_COMPLETE:
            s->complete++;
            s->runs_done += per; /* every run of a COMPLETE trial is done */
            break;
        case SRT_TRIAL_STATE_PRUNED: {
            s->pruned++;
            size_t d = srt_view_runs_done(v, t);
            s->runs_done += d;
            pruned_runs += d;
            break;
        }
        case SRT_TRIAL_STATE_RUNNING:
        case SRT_TRIAL_STATE_WAITING:
            if (t->state == SRT_TRIAL_STATE_RUNNING)
                s->running++;
            else
                s->waiting++;
            s->runs_done += srt_view_runs_done(v, t);
            break;
        case SRT_TRIAL_STATE_FAIL:
            /* its runs are the retry copy's (same directory), or wasted */
            if (srt_progress_trial_interrupted(t))
                s->interrupted++;
            else
                s->failed++;
            break;
        default:
            break;
        }
    }
    s->finished = s->complete + s->pruned;
    size_t goal = (size_t)cfg->study.n_trials;
    size_t counted = s->finished + s->foreign_finished;
    s->study_done = counted >= goal;
    size_t left = counted >= goal ? 0 : goal - counted;
    s->runs_total = s->complete * per + pruned_runs + left * per;
    if (s->runs_done > s->runs_total) /* more trials running than the goal needs */
        s->runs_total = s->runs_done;
    const srt_trial_t *best = NULL;
    int minimize = cfg->study.direction == SRT_DIRECTION_MINIMIZE;
    for (size_t i = 0; i < v->n_trials; i++) {
        const srt_trial_t *t = v->trials[i];
        if (t->state != SRT_TRIAL_STATE_COMPLETE || !t->n_values || !isfinite(t->values[0]) ||
            !srt_summary_is_own(t))
            continue;
        if (!best || (minimize ? t->values[0] < best->values[0] : t->values[0] > best->values[0]))
            best = t;
    }
    s->best = best;
}

char *srt_summary_target_dir(const char *arg, int *code)
{
    *code = 0;
    if (!srt_fs_is_file(arg))
        return srt_strdup(arg); /* a directory, or nothing: srt_view_open says which */
    char *copy = srt_strdup(arg);
    char *out = NULL;
    if (!copy) {
        *code = SRT_EXIT_FAILURE;
        return NULL;
    }
    char *slash = strrchr(copy, '/');
    if (slash == copy)
        slash[1] = '\0';
    else if (slash)
        *slash = '\0';
    const char *dir = slash ? copy : ".";
    char *journal = srt_path_join(dir, "journal.log");
    if (journal && srt_fs_is_file(journal)) {
        out = srt_strdup(dir);
    } else {
        srt_study_plan_t plan;
        memset(&plan, 0, sizeof plan);
        *code = srt_study_plan_load(arg, 0, &plan);
        if (*code == 0)
            out = srt_strdup(plan.cfg->study.output_dir);
        srt_study_plan_fini(&plan);
    }
    if (!out && !*code)
        *code = SRT_EXIT_FAILURE;
    free(journal);
    free(copy);
    return out;
}
