/*
 * Baseline trials (study.baselines): enqueued once per study as Optuna's
 * enqueue_trial writes them (CREATE_TRIAL with state WAITING, system attr
 * fixed_params, no params yet), so Optuna sees them and srt_study_ask pops
 * them before sampling anything.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

#define ATTR_BASELINE "srtune:baseline"

const char *srt_study_trial_baseline(const srt_trial_t *t, char *buf, size_t size)
{
    const char *json = t ? srt_trial_user_attr(t, ATTR_BASELINE) : NULL;
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    const char *out = NULL;
    if (cJSON_IsString(v) && size > 0) {
        snprintf(buf, size, "%s", v->valuestring);
        out = buf;
    }
    cJSON_Delete(v);
    return out;
}

static int has_baseline(const srt_study_t *s, const char *name)
{
    size_t n;
    char buf[128];
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    for (size_t i = 0; i < n; i++) {
        const char *b = srt_study_trial_baseline(t[i], buf, sizeof buf);
        if (b && strcmp(b, name) == 0)
            return 1;
    }
    return 0;
}

srt_rc srt_study_enqueue_baselines(srt_study_t *s, const srt_study_baseline_t *b, size_t n,
                                   size_t *n_enqueued, srt_err_t *err)
{
    srt_journal_batch_t batch;
    size_t added = 0;
    srt_rc rc;
    if (n_enqueued)
        *n_enqueued = 0;
    if (n == 0)
        return SRT_OK;
    srt_journal_batch_init(&batch);
    rc = srt_journal_lock(s->j, err);
    if (rc != SRT_OK)
        goto cleanup;
    rc = srt_journal_refresh(s->j, err);
    for (size_t i = 0; i < n && rc == SRT_OK; i++) {
        if (has_baseline(s, b[i].name))
            continue;
        cJSON *name = cJSON_CreateString(b[i].name);
        char *name_json = name ? cJSON_PrintUnformatted(name) : NULL;
        cJSON_Delete(name);
        if (!name_json) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            break;
        }
        srt_attr_t ua = {(char *)ATTR_BASELINE, name_json};
        srt_attr_t sa = {(char *)"fixed_params", (char *)b[i].fixed_params};
        srt_trial_template_t tt;
        memset(&tt, 0, sizeof tt);
        tt.state = SRT_TRIAL_STATE_WAITING;
        tt.user_attrs = &ua;
        tt.n_user_attrs = 1;
        tt.system_attrs = &sa;
        tt.n_system_attrs = 1;
        rc = srt_journal_op_create_trial_template(&batch, srt_journal_worker_id(s->j), s->id, &tt);
        if (rc != SRT_OK)
            srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0, "cannot encode baseline %s",
                        b[i].name);
        free(name_json);
        added++;
    }
    rc = srt_journal_finish(s->j, &batch, rc, err);
    if (rc == SRT_OK && n_enqueued)
        *n_enqueued = added;
cleanup:
    srt_journal_batch_fini(&batch);
    return rc;
}
