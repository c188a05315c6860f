/*
 * Study, telling: intermediate values, pruning, finished trials with their
 * RetryFailedTrialCallback copies, heartbeats, lost trials and study user
 * attributes (see study.c for the life cycle).
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "study_int.h"

static srt_rc commit(srt_study_t *s, srt_journal_batch_t *b, srt_rc rc, srt_err_t *err)
{
    if (rc == SRT_OK)
        rc = srt__study_commit(s, b, err);
    else if (!err || err->code == SRT_OK)
        srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0, "cannot encode journal lines");
    srt_journal_batch_fini(b);
    return rc;
}

static srt_rc running_trial(srt_study_t *s, long number, const srt_trial_t **t, srt_err_t *err)
{
    *t = srt_study_trial(s, number);
    if (!*t)
        return srt_err_set(err, SRT_ERR_NOTFOUND, srt_journal_path(s->j), NULL, 0,
                           "no trial %ld in the study", number);
    if ((*t)->state != SRT_TRIAL_STATE_RUNNING && (*t)->state != SRT_TRIAL_STATE_WAITING)
        return srt_err_set(err, SRT_ERR_INVALID, srt_journal_path(s->j), NULL, 0,
                           "trial %ld is already %s", number, srt_trial_state_name((*t)->state));
    return SRT_OK;
}

srt_rc srt_study_report(srt_study_t *s, long number, long step, double value, srt_err_t *err)
{
    const srt_trial_t *t;
    srt_journal_batch_t b;
    srt_rc rc = running_trial(s, number, &t, err);
    if (rc != SRT_OK)
        return rc;
    if (s->report_delay > 0)
        return srt__study_queue_report(s, t, step, value, err);
    srt_journal_batch_init(&b);
    rc = srt_journal_op_set_intermediate(&b, srt_journal_worker_id(s->j), t->id, step, value);
    return commit(s, &b, rc, err);
}

int srt_study_should_prune(srt_study_t *s, long number)
{
    size_t n;
    const srt_trial_t *t = srt_study_trial(s, number);
    const srt_trial_t *const *all = srt_study_trials(s, &n);
    if (!t)
        return 0;
    srt_trial_t view;
    srt_step_value_t *buf = NULL;
    t = srt__study_trial_view(s, t, &view, &buf); /* with its queued values */
    int prune = srt_pruner_should_prune(&s->pruner, t, all, n, s->minimize);
    free(buf);
    return prune;
}

/* Appends the RetryFailedTrialCallback copy of t (extra user attrs included). */
/* Retries that count against max_retries (lost or failed trials) are counted in
 * the system attribute srtune:retries, carried from copy to copy; a trial
 * stopped cleanly by a signal is retried without counting, however often (a
 * trial longer than a job's time limit is stopped at every requeue).
 * retry_history keeps every retry, as Optuna's callback records it. */
#define ATTR_RETRIES "srtune:retries"
#define ATTR_ERROR "srtune:error"

static srt_rc retry_lines(srt_study_t *s, const srt_trial_t *t, const srt_attr_t *extra,
                          size_t n_extra, int counted, srt_journal_batch_t *b)
{
    srt_rc rc = SRT_OK;
    srt_attr_t *ua = NULL, *sa = NULL;
    size_t nua = 0, nsa = 0;
    cJSON *hist = NULL;
    char *hist_text = NULL;
    char nb[32];
    /* {"failed_trial": number, "retry_history": [], **system_attrs}, then append
     * the number to retry_history (a retry of a retry keeps the original) */
    snprintf(nb, sizeof nb, "%ld", t->number);
    if (srt__attr_set(&sa, &nsa, "failed_trial", nb) ||
        srt__attr_set(&sa, &nsa, "retry_history", "[]")) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < t->n_system_attrs; i++) {
        if (strcmp(t->system_attrs[i].key, ATTR_HEARTBEAT) == 0)
            continue;
        if (srt__attr_set(&sa, &nsa, t->system_attrs[i].key, t->system_attrs[i].json)) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
    }
    hist = cJSON_Parse(srt__attr_get(sa, nsa, "retry_history"));
    if (!cJSON_IsArray(hist)) {
        cJSON_Delete(hist);
        hist = cJSON_CreateArray();
    }
    cJSON_AddItemToArray(hist, cJSON_CreateNumber((double)t->number));
    const char *prev = srt__attr_get(sa, nsa, ATTR_RETRIES);
    long retries = prev ? strtol(prev, NULL, 10) : 0;
    if (retries < 0)
        retries = 0;
    if (counted) {
        retries++;
        if (s->max_retries >= 0 && s->max_retries < retries)
            goto cleanup; /* no more retries */
    }
    snprintf(nb, sizeof nb, "%ld", retries);
    if (srt__attr_set(&sa, &nsa, ATTR_RETRIES, nb)) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    hist_text = srt__json_print(hist);
    if (!hist_text || srt__attr_set(&sa, &nsa, "retry_history", hist_text)) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    /* the copy starts afresh: the original's error (srtune:error, e.g.
     * "interrupted") is not the copy's, and a copy that completes carries none */
    for (size_t i = 0; i < t->n_user_attrs; i++)
        if (strcmp(t->user_attrs[i].key, ATTR_ERROR) != 0 &&
            srt__attr_set(&ua, &nua, t->user_attrs[i].key, t->user_attrs[i].json)) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
    for (size_t i = 0; i < n_extra; i++)
        if (strcmp(extra[i].key, ATTR_ERROR) != 0 &&
            srt__attr_set(&ua, &nua, extra[i].key, extra[i].json)) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
    srt_trial_template_t tt;
    memset(&tt, 0, sizeof tt);
    tt.state = SRT_TRIAL_STATE_WAITING;
    tt.params = t->params;
    tt.n_params = t->n_params;
    tt.user_attrs = ua;
    tt.n_user_attrs = nua;
    tt.system_attrs = sa;
    tt.n_system_attrs = nsa;
    rc = srt_journal_op_create_trial_template(b, srt_journal_worker_id(s->j), s->id, &tt);
cleanup:
    srt__attrs_free(ua, nua);
    srt__attrs_free(sa, nsa);
    cJSON_Delete(hist);
    free(hist_text);
    return rc;
}

srt_rc srt_study_tell(srt_study_t *s, long number, srt_trial_state_t state, const double *value,
                      const srt_attr_t *user_attrs, size_t n_user_attrs, int retry, srt_err_t *err)
{
    const srt_trial_t *t;
    srt_journal_batch_t b;
    double v = NAN;
    int has_v = 0;
    srt_rc rc = srt_study_refresh(s, err);
    if (rc != SRT_OK)
        return rc;
    rc = running_trial(s, number, &t, err);
    if (rc != SRT_OK)
        return rc;
    if (state == SRT_TRIAL_STATE_COMPLETE) {
        if (!value)
            return srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0,
                               "a COMPLETE trial needs a value");
        v = *value;
        has_v = 1;
    } else if (state == SRT_TRIAL_STATE_PRUNED) {
        srt_trial_t view;
        srt_step_value_t *buf = NULL;
        has_v = srt_trial_last_intermediate(srt__study_trial_view(s, t, &view, &buf), NULL, &v);
        free(buf);
    } else if (state != SRT_TRIAL_STATE_FAIL) {
        return srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0,
                           "tell needs COMPLETE, PRUNED or FAIL");
    }
    srt_journal_batch_init(&b);
    const char *w = srt_journal_worker_id(s->j);
    for (size_t i = 0; i < n_user_attrs && rc == SRT_OK; i++)
        rc = srt_journal_op_set_trial_attr(&b, w, t->id, 0, user_attrs[i].key, user_attrs[i].json);
    if (rc == SRT_OK)
        rc = srt_journal_op_set_state(&b, w, t->id, state, has_v ? &v : NULL, has_v ? 1 : 0);
    if (rc == SRT_OK && retry != SRT_RETRY_NONE && state == SRT_TRIAL_STATE_FAIL)
        rc = retry_lines(s, t, user_attrs, n_user_attrs, retry == SRT_RETRY_COUNTED, &b);
    return commit(s, &b, rc, err);
}

srt_rc srt_study_heartbeat(srt_study_t *s, const long *numbers, size_t n, srt_err_t *err)
{
    srt_journal_batch_t b;
    srt_rc rc = SRT_OK;
    char *hb = srt__json_num_text(srt_time_wall());
    if (!hb)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    srt_journal_batch_init(&b);
    for (size_t i = 0; i < n && rc == SRT_OK; i++) {
        const srt_trial_t *t = srt_study_trial(s, numbers[i]);
        if (t && t->state == SRT_TRIAL_STATE_RUNNING)
            rc = srt_journal_op_set_trial_attr(&b, srt_journal_worker_id(s->j), t->id, 1,
                                               ATTR_HEARTBEAT, hb);
    }
    free(hb);
    return commit(s, &b, rc, err);
}

/* The pid of a RUNNING trial's owner when it was a coordinator on this host
 * that no longer runs (worker ids are "srtune-<host>-<pid>-<hex>"); 0 when it
 * may still run, is elsewhere or is not srtune's. A coordinator that could not
 * journal its stop (the disk was full) is taken over at once, not after the
 * heartbeat grace. */
static long owner_gone(const srt_study_t *s, const char *worker)
{
    char host[128] = "host";
    const char *prefix = "srtune-";
    if (!worker || strncmp(worker, prefix, strlen(prefix)) != 0 ||
        strcmp(worker, srt_journal_worker_id(s->j)) == 0)
        return 0;
    const char *rnd = strrchr(worker, '-');
    if (!rnd || rnd == worker)
        return 0;
    const char *p = rnd - 1;
    while (p > worker && *p != '-')
        p--;
    const char *h = worker + strlen(prefix);
    if (p < h || *p != '-')
        return 0;
    char *end = NULL;
    long pid = strtol(p + 1, &end, 10);
    if (end != rnd || pid <= 0)
        return 0;
    if (gethostname(host, sizeof host - 1) != 0)
        return 0;
    host[sizeof host - 1] = '\0';
    if ((size_t)(p - h) != strlen(host) || strncmp(h, host, (size_t)(p - h)) != 0)
        return 0;
    if ((pid_t)pid == getpid()) /* an earlier process with this pid (a container) */
        return pid;
    return kill((pid_t)pid, 0) != 0 && errno == ESRCH ? pid : 0;
}

srt_rc srt_study_fail_lost_trials(srt_study_t *s, size_t *n_failed, srt_err_t *err)
{
    srt_journal_batch_t b;
    size_t failed = 0;
    srt_journal_batch_init(&b);
    srt_rc rc = srt_journal_lock(s->j, err);
    if (rc != SRT_OK)
        goto cleanup;
    rc = srt_journal_refresh(s->j, err);
    double now = srt_time_wall();
    size_t n;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    for (size_t i = 0; i < n && rc == SRT_OK; i++) {
        if (t[i]->state != SRT_TRIAL_STATE_RUNNING)
            continue;
        const char *hb = srt_trial_system_attr(t[i], ATTR_HEARTBEAT);
        long dead_pid = owner_gone(s, t[i]->running_worker);
        if (dead_pid > 0) {
            SRT_WARN("%s: trial %ld lost (its coordinator, pid %ld on this host, is gone); "
                     "marking it FAIL",
                     srt_journal_path(s->j), t[i]->number, dead_pid);
        } else {
            if (!hb || now - atof(hb) <= s->grace)
                continue;
            SRT_WARN("%s: trial %ld lost (no heartbeat for %.0f s); marking it FAIL",
                     srt_journal_path(s->j), t[i]->number, now - atof(hb));
        }
        rc = srt_journal_op_set_state(&b, srt_journal_worker_id(s->j), t[i]->id,
                                      SRT_TRIAL_STATE_FAIL, NULL, 0);
        if (rc == SRT_OK)
            rc = retry_lines(s, t[i], NULL, 0, 1, &b);
        failed++;
    }
    if (rc != SRT_OK && (!err || err->code == SRT_OK))
        srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0, "cannot encode journal lines");
    rc = srt_journal_finish(s->j, &b, rc, err);
cleanup:
    srt_journal_batch_fini(&b);
    if (n_failed)
        *n_failed = rc == SRT_OK ? failed : 0;
    return rc;
}

srt_rc srt_study_set_user_attr(srt_study_t *s, const char *key, const char *json, srt_err_t *err)
{
    srt_journal_batch_t b;
    srt_journal_batch_init(&b);
    srt_rc rc = srt_journal_op_set_study_attr(&b, srt_journal_worker_id(s->j), s->id, 0, key, json);
    return commit(s, &b, rc, err);
}
