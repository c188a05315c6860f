/*
 * Pruners: "none", "wilcoxon" (Optuna 3.6's WilcoxonPruner: see study.h and
 * should_prune_wilcoxon) and "median" (Optuna 3.1's MedianPruner, i.e.
 * PercentilePruner(50)): a trial is pruned at its last step when, with at least
 * n_startup_trials COMPLETE trials, after n_warmup_steps and at the first
 * report of an interval, its best intermediate value so far is worse than the
 * median of the COMPLETE trials' values at that step (linear interpolation, NaN
 * ignored, at least n_min_trials values). A NaN best value is always pruned.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/stats.h"
#include "study_int.h"

srt_pruner_t srt_pruner_default(srt_pruner_kind_t kind)
{
    srt_pruner_t p;
    p.kind = kind;
    p.n_startup_trials = 5;
    p.n_warmup_steps = 0;
    p.interval_steps = 1;
    p.n_min_trials = 1;
    p.p_threshold = 0.1;
    p.n_startup_steps = 0;
    return p;
}

srt_rc srt_pruner_from_name(const char *name, srt_pruner_t *out)
{
    if (name && strcmp(name, "median") == 0)
        *out = srt_pruner_default(SRT_PRUNER_MEDIAN);
    else if (name && strcmp(name, "none") == 0)
        *out = srt_pruner_default(SRT_PRUNER_NONE);
    else if (name && strcmp(name, "wilcoxon") == 0)
        *out = srt_pruner_default(SRT_PRUNER_WILCOXON);
    else
        return SRT_ERR_INVALID;
    return SRT_OK;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y);
}

static int first_in_interval(const srt_trial_t *t, long step, long warmup, long interval)
{
    if (interval < 1)
        interval = 1;
    long nearest = (step - warmup) / interval * interval + warmup;
    long second_last = -1;
    for (size_t i = 0; i < t->n_intermediate; i++) {
        long s = t->intermediate[i].step;
        if (s > second_last && s != step)
            second_last = s;
    }
    return second_last < nearest;
}

/* Optuna's study.best_trial: the first COMPLETE trial with the best value. */
static const srt_trial_t *best_complete(const srt_trial_t *const *trials, size_t n, int minimize)
{
    const srt_trial_t *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const srt_trial_t *t = trials[i];
        if (t->state != SRT_TRIAL_STATE_COMPLETE || t->n_values < 1 || isnan(t->values[0]))
            continue;
        if (!best || (minimize ? t->values[0] < best->values[0] : t->values[0] > best->values[0]))
            best = t;
    }
    return best;
}

/* WilcoxonPruner.prune (optuna/pruners/_wilcoxon.py, Optuna 3.6) as written. */
static int should_prune_wilcoxon(const srt_pruner_t *p, const srt_trial_t *trial,
                                 const srt_trial_t *const *trials, size_t n, int minimize)
{
    size_t m = trial->n_intermediate;
    if (m == 0)
        return 0;
    double sum = 0;
    for (size_t i = 0; i < m; i++) {
        if (!isfinite(trial->intermediate[i].value))
            return 0;
        sum += trial->intermediate[i].value;
    }
    const srt_trial_t *best = best_complete(trials, n, minimize);
    if (!best)
        return 0;
    for (size_t k = 0; k < best->n_intermediate; k++)
        if (!isfinite(best->intermediate[k].value))
            return 0;
    double *diff = malloc(m * sizeof *diff);
    if (!diff)
        return 0;
    size_t nd = 0;
    for (size_t i = 0; i < m; i++)
        for (size_t k = 0; k < best->n_intermediate; k++)
            if (best->intermediate[k].step == trial->intermediate[i].step) {
                diff[nd++] = trial->intermediate[i].value - best->intermediate[k].value;
                break;
            }
    int prune = 0;
    double pv = NAN;
    if ((long)nd >= p->n_startup_steps &&
        srt_stats_wilcoxon(diff, nd, minimize ? SRT_ALT_GREATER : SRT_ALT_LESS, SRT_ZERO_ZSPLIT,
                           NULL, &pv) == SRT_OK &&
        pv < p->p_threshold) {
        double mean = sum / (double)m;
        int average_is_best = minimize ? best->values[0] >= mean : best->values[0] <= mean;
        prune = !average_is_best;
    }
    free(diff);
    return prune;
}

int srt_pruner_should_prune(const srt_pruner_t *p, const srt_trial_t *trial,
                            const srt_trial_t *const *trials, size_t n, int minimize)
{
    long step;
    if (p && p->kind == SRT_PRUNER_WILCOXON && trial)
        return should_prune_wilcoxon(p, trial, trials, n, minimize);
    if (!p || p->kind != SRT_PRUNER_MEDIAN || !trial)
        return 0;
    size_t n_complete = 0;
    for (size_t i = 0; i < n; i++)
        if (trials[i]->state == SRT_TRIAL_STATE_COMPLETE)
            n_complete++;
    if (n_complete == 0 || (long)n_complete < p->n_startup_trials)
        return 0;
    if (!srt_trial_last_intermediate(trial, &step, NULL))
        return 0;
    if (step < p->n_warmup_steps)
        return 0;
    if (!first_in_interval(trial, step, p->n_warmup_steps, p->interval_steps))
        return 0;
    double best = NAN;
    for (size_t i = 0; i < trial->n_intermediate; i++) {
        double v = trial->intermediate[i].value;
        if (isnan(v))
            continue;
        if (isnan(best) || (minimize ? v < best : v > best))
            best = v;
    }
    if (isnan(best))
        return 1;
    double *vals = malloc(n_complete * sizeof *vals);
    if (!vals)
        return 0;
    size_t m = 0, found = 0;
    for (size_t i = 0; i < n; i++) {
        const srt_trial_t *t = trials[i];
        if (t->state != SRT_TRIAL_STATE_COMPLETE)
            continue;
        for (size_t k = 0; k < t->n_intermediate; k++) {
            if (t->intermediate[k].step == step) {
                found++;
                if (!isnan(t->intermediate[k].value))
                    vals[m++] = t->intermediate[k].value;
                break;
            }
        }
    }
    int prune = 0;
    if ((long)found >= p->n_min_trials && m > 0) {
        qsort(vals, m, sizeof *vals, cmp_double);
        double pos = 0.5 * (double)(m - 1);
        size_t lo = (size_t)floor(pos);
        size_t hi = lo + 1 < m ? lo + 1 : lo;
        double med = vals[lo] + (pos - (double)lo) * (vals[hi] - vals[lo]);
        prune = minimize ? best > med : best < med;
    }
    free(vals);
    return prune;
}
