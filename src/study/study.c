/*
 * Study: the API the coordinator uses (architecture.md, "Trial life cycle") on
 * top of the journal, the samplers and the pruner. This file: options, open,
 * accessors and the best trial; study_ask.c samples and pops trials,
 * study_tell.c writes reports, results, retries, heartbeats and lost trials,
 * study_csv.c the trials ledger, study_defer.c queued reports.
 *
 * ask() holds the journal lock while it reads, decides and appends, so the new
 * trial's number (hence its sampler seed and run directory) is known before its
 * line is written and a WAITING trial is popped by exactly one writer; it then
 * re-reads and checks that its line won (first RUNNING line applied wins). A
 * new trial is one CREATE_TRIAL template line (state RUNNING, params with their
 * distributions, system attrs srtune:run_dir and srtune:heartbeat, simplex
 * weights as user attrs), so no reader ever sees a half-created trial. A failed
 * or lost trial is followed by a WAITING copy written as Optuna's
 * RetryFailedTrialCallback writes it (failed_trial, retry_history).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

srt_study_options_t srt_study_options_default(void)
{
    srt_study_options_t o;
    memset(&o, 0, sizeof o);
    o.minimize = 1;
    o.sampler = "tpe";
    o.sampler_options = srt_sampler_options_default();
    o.pruner = srt_pruner_default(SRT_PRUNER_MEDIAN);
    o.max_retries = 3;
    o.heartbeat_grace_s = 600;
    o.lock = srt_lock_options_default();
    return o;
}

void srt_ask_fini(srt_ask_t *a)
{
    if (!a)
        return;
    free(a->x);
    free(a->run_dir);
    memset(a, 0, sizeof *a);
}

srt_rc srt_study_open(const srt_study_options_t *opt, const srt_space_t *space, srt_study_t **out,
                      srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_journal_batch_t b;
    srt_journal_batch_init(&b);
    *out = NULL;
    srt_study_t *s = calloc(1, sizeof *s);
    if (!s)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    s->space = space;
    s->sampler = srt_sampler_find(opt->sampler ? opt->sampler : "tpe");
    s->sopt = opt->sampler_options;
    s->pruner = opt->pruner;
    s->seed = opt->seed;
    s->minimize = opt->minimize ? 1 : 0;
    s->max_retries = opt->max_retries;
    s->grace = opt->heartbeat_grace_s;
    s->report_delay = opt->report_delay_s;
    s->run_dir_root = srt_strdup(opt->run_dir_root ? opt->run_dir_root : "trials");
    if (!s->run_dir_root) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (!s->sampler) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, "sampler", 0, "unknown sampler \"%s\"",
                         opt->sampler);
        goto cleanup;
    }
    if (!opt->journal_path || !opt->study_name) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "journal path and study name needed");
        goto cleanup;
    }
    rc = opt->read_only ? srt_journal_open_readonly(opt->journal_path, &s->j, err)
                        : srt_journal_open(opt->journal_path, NULL, &s->j, err);
    if (rc != SRT_OK)
        goto cleanup;
    s->name_in = calloc(space->n_params + 1, sizeof *s->name_in);
    s->dist_in = calloc(space->n_params + 1, sizeof *s->dist_in);
    for (size_t i = 0; s->name_in && s->dist_in && i < space->n_params; i++) {
        s->name_in[i] = srt__intern(&s->j->names, space->params[i].name);
        s->dist_in[i] = srt__intern(&s->j->names, space->params[i].distribution);
        if (!s->name_in[i] || !s->dist_in[i]) {
            free(s->name_in);
            s->name_in = NULL;
        }
    }
    if (!s->name_in || !s->dist_in) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    srt_journal_set_lock_options(s->j, &opt->lock);
    s->id = srt_journal_find_study(s->j, opt->study_name);
    if (s->id < 0 && opt->read_only) {
        rc = srt_err_set(err, SRT_ERR_NOTFOUND, opt->journal_path, NULL, 0,
                         "no study \"%s\" in the journal", opt->study_name);
        goto cleanup;
    }
    if (s->id < 0) {
        int dir = s->minimize ? 1 : 2;
        rc = srt_journal_lock(s->j, err);
        if (rc != SRT_OK)
            goto cleanup;
        rc = srt_journal_refresh(s->j, err);
        if (rc == SRT_OK && srt_journal_find_study(s->j, opt->study_name) < 0) {
            rc = srt_journal_op_create_study(&b, srt_journal_worker_id(s->j), opt->study_name, &dir,
                                             1);
        }
        rc = srt_journal_finish(s->j, &b, rc, err);
        if (rc != SRT_OK)
            goto cleanup;
        s->id = srt_journal_find_study(s->j, opt->study_name);
        if (s->id < 0) {
            rc = srt_err_set(err, SRT_ERR_INTERNAL, opt->journal_path, NULL, 0,
                             "study \"%s\" not found after creating it", opt->study_name);
            goto cleanup;
        }
    }
    if (srt_journal_study_n_directions(s->j, s->id) != 1 ||
        srt_journal_study_direction(s->j, s->id, 0) != (s->minimize ? 1 : 2)) {
        rc = srt_err_set(err, SRT_ERR_MISMATCH, opt->journal_path, NULL, 0,
                         "study \"%s\" exists with another direction (want %s)", opt->study_name,
                         s->minimize ? "minimize" : "maximize");
        goto cleanup;
    }
cleanup:
    srt_journal_batch_fini(&b);
    if (rc != SRT_OK)
        srt_study_destroy(&s);
    *out = s;
    return rc;
}

void srt_study_destroy(srt_study_t **sp)
{
    if (!sp || !*sp)
        return;
    if ((*sp)->n_pending && (*sp)->j) {
        srt_err_t err;
        char buf[1024];
        srt_err_clear(&err);
        if (srt_study_flush(*sp, 1, &err) != SRT_OK)
            SRT_WARN("%zu intermediate values not written: %s", (*sp)->n_pending,
                     srt_err_format(&err, buf, sizeof buf));
    }
    srt__study_pending_free(*sp);
    srt_journal_destroy(&(*sp)->j);
    free((*sp)->run_dir_root);
    free((*sp)->name_in);
    free((*sp)->dist_in);
    free(*sp);
    *sp = NULL;
}

int srt_study_id(const srt_study_t *s)
{
    return s->id;
}

srt_journal_t *srt_study_journal(srt_study_t *s)
{
    return s->j;
}

const srt_space_t *srt_study_space(const srt_study_t *s)
{
    return s->space;
}

const srt_trial_t *const *srt_study_trials(const srt_study_t *s, size_t *n)
{
    return srt_journal_study_trials(s->j, s->id, n);
}

const srt_trial_t *srt_study_trial(const srt_study_t *s, long number)
{
    size_t n;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    return number >= 0 && (size_t)number < n ? t[number] : NULL;
}

srt_rc srt_study_refresh(srt_study_t *s, srt_err_t *err)
{
    return srt_journal_refresh(s->j, err);
}

void srt_study_trial_x(const srt_study_t *s, const srt_trial_t *t, double *x)
{
    for (size_t i = 0; i < s->space->n_params; i++) {
        const srt_param_t *p = &s->space->params[i];
        const srt_trial_param_t *tp = NULL;
        /* replayed names are interned: a pointer comparison finds the param */
        for (size_t k = 0; k < t->n_params && s->name_in; k++)
            if (t->params[k].name == s->name_in[i]) {
                tp = &t->params[k];
                break;
            }
        if (!s->name_in)
            tp = srt_trial_param(t, p->name);
        x[i] = NAN;
        if (!tp)
            continue;
        if (tp->distribution != (s->dist_in ? s->dist_in[i] : NULL) &&
            strcmp(tp->distribution, p->distribution) != 0) {
            srt_param_t q;
            if (srt_param_from_distribution(tp->distribution, &q, NULL) != SRT_OK)
                continue;
            int ok = srt_param_compatible(p, &q);
            srt_param_fini(&q);
            if (!ok)
                continue;
        }
        if (srt_param_contains(p, tp->internal))
            x[i] = tp->internal;
    }
}

const srt_trial_t *srt_study_best_trial(const srt_study_t *s)
{
    size_t n;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    const srt_trial_t *best = NULL;
    for (size_t i = 0; i < n; i++) {
        if (t[i]->state != SRT_TRIAL_STATE_COMPLETE || t[i]->n_values == 0 ||
            isnan(t[i]->values[0]))
            continue;
        if (!best ||
            (s->minimize ? t[i]->values[0] < best->values[0] : t[i]->values[0] > best->values[0]))
            best = t[i];
    }
    return best;
}
