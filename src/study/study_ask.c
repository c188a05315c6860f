/*
 * Study, asking: the sampler's view of the history, suggestions, the JSON of
 * run directories and simplex weights, popping a WAITING trial and writing a
 * new one (see study.c for the life cycle).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

/* The sampler's view of the study: COMPLETE, PRUNED and RUNNING trials. */
static srt_rc build_history(const srt_study_t *s, srt_history_t *h, srt_observation_t **obs,
                            double **xs, srt_err_t *err)
{
    size_t n, d = s->space->n_params;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    *obs = malloc((n + 1) * sizeof **obs);
    *xs = malloc((n + 1) * (d + 1) * sizeof **xs);
    if (!*obs || !*xs)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        const srt_trial_t *tr = t[i];
        if (tr->state != SRT_TRIAL_STATE_COMPLETE && tr->state != SRT_TRIAL_STATE_PRUNED &&
            tr->state != SRT_TRIAL_STATE_RUNNING)
            continue;
        srt_observation_t *o = &(*obs)[m];
        double *x = *xs + m * (d + 1);
        srt_study_trial_x(s, tr, x);
        o->number = tr->number;
        o->state = tr->state;
        o->x = x;
        o->last_step = -1;
        o->value = tr->n_values ? tr->values[0] : NAN;
        if (tr->state == SRT_TRIAL_STATE_PRUNED &&
            srt_trial_last_intermediate(tr, &o->last_step, &o->value) == 0)
            o->last_step = -1;
        m++;
    }
    h->obs = *obs;
    h->n = m;
    h->minimize = s->minimize;
    return SRT_OK;
}

static srt_rc suggest(const srt_study_t *s, long number, double *x, srt_err_t *err)
{
    srt_history_t h;
    srt_observation_t *obs = NULL;
    double *xs = NULL;
    srt_rc rc = build_history(s, &h, &obs, &xs, err);
    if (rc == SRT_OK) {
        srt_sample_context_t ctx = {s->seed, number};
        rc = srt_sampler_suggest(s->sampler, &s->sopt, s->space, &h, &ctx, x, err);
    }
    free(obs);
    free(xs);
    return rc;
}

/* JSON text of a number. */
char *srt__json_num_text(double v)
{
    char buf[40];
    return srt_strdup(srt_json_number(v, buf, sizeof buf));
}

/* JSON text of the simplex group g's weights: {"key": w, ...}. */
static char *simplex_json(const srt_space_t *space, size_t g, const double *x)
{
    const srt_simplex_t *grp = &space->groups[g];
    double *w = malloc(grp->k * sizeof *w);
    cJSON *o = cJSON_CreateObject();
    char *text = NULL;
    if (w && o) {
        srt_space_simplex_weights(space, g, x, w);
        for (size_t i = 0; i < grp->k; i++)
            cJSON_AddItemToObject(o, grp->keys[i], srt__json_num(w[i]));
        text = srt__json_print(o);
    }
    cJSON_Delete(o);
    free(w);
    return text;
}

static char *run_dir_json(const srt_study_t *s, long number)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s/trial_%ld", s->run_dir_root, number);
    cJSON *str = cJSON_CreateString(buf);
    char *t = str ? srt__json_print(str) : NULL;
    cJSON_Delete(str);
    return t;
}

/* 1 when a srtune:run_dir attribute (JSON text) is a string that stays inside
 * the output directory: relative, no empty, "." or ".." component, only
 * [A-Za-z0-9._-] and '/'. Anything else (a journal written by another tool or
 * by hand) could make the runner create, or remove, directories elsewhere. */
int srt_study_run_dir_safe(const char *json)
{
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    int ok = cJSON_IsString(v) && v->valuestring[0] && v->valuestring[0] != '/' &&
             strlen(v->valuestring) < 1024;
    for (const char *p = ok ? v->valuestring : ""; ok && *p; p++) {
        char c = *p;
        ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
             c == '.' || c == '_' || c == '-' || c == '/';
    }
    for (const char *p = ok ? v->valuestring : ""; ok && *p;) {
        size_t n = strcspn(p, "/");
        ok = n > 0 && !(n == 1 && p[0] == '.') && !(n == 2 && p[0] == '.' && p[1] == '.');
        p += n;
        if (*p == '/')
            p++;
        ok = ok && (*p || p[-1] != '/'); /* no trailing slash */
    }
    cJSON_Delete(v);
    return ok;
}

/* Fills missing x from Optuna's enqueue_trial "fixed_params" (external values). */
static void apply_fixed_params(const srt_study_t *s, const srt_trial_t *t, double *x)
{
    const char *fp = srt_trial_system_attr(t, "fixed_params");
    cJSON *root = fp ? cJSON_Parse(fp) : NULL;
    for (size_t i = 0; root && i < s->space->n_params; i++) {
        const srt_param_t *p = &s->space->params[i];
        const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, p->name);
        if (!v || !isnan(x[i]))
            continue;
        if (p->kind != SRT_PARAM_CATEGORICAL) {
            if (cJSON_IsNumber(v) && srt_param_contains(p, v->valuedouble))
                x[i] = v->valuedouble;
            continue;
        }
        for (size_t c = 0; c < p->n_choices; c++) {
            const srt_choice_t *ch = &p->choices[c];
            int eq =
                (ch->kind == SRT_CHOICE_STRING && cJSON_IsString(v) &&
                 strcmp(ch->str, v->valuestring) == 0) ||
                (ch->kind == SRT_CHOICE_NULL && cJSON_IsNull(v)) ||
                (ch->kind == SRT_CHOICE_BOOL && cJSON_IsBool(v) &&
                 ch->boolean == cJSON_IsTrue(v)) ||
                (ch->kind == SRT_CHOICE_NUMBER && cJSON_IsNumber(v) && ch->num == v->valuedouble);
            if (eq) {
                x[i] = (double)c;
                break;
            }
        }
    }
    cJSON_Delete(root);
}

/* Appends the lines that pop WAITING trial t for this writer. */
static srt_rc pop_lines(srt_study_t *s, const srt_trial_t *t, double *x, srt_journal_batch_t *b,
                        srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    const char *w = srt_journal_worker_id(s->j);
    char *hb = srt__json_num_text(srt_time_wall());
    char *rd = NULL;
    size_t d = s->space->n_params;
    double *fill = malloc((d + 1) * sizeof *fill);
    if (!hb || !fill) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i <= d; i++)
        fill[i] = NAN;
    srt_study_trial_x(s, t, x);
    apply_fixed_params(s, t, x);
    int missing = 0;
    for (size_t i = 0; i < d; i++)
        missing |= isnan(x[i]);
    if (missing) {
        rc = suggest(s, t->number, fill, err);
        if (rc != SRT_OK)
            goto cleanup;
    }
    rc = srt_journal_op_set_state(b, w, t->id, SRT_TRIAL_STATE_RUNNING, NULL, 0);
    for (size_t i = 0; i < d && rc == SRT_OK; i++) {
        const srt_param_t *p = &s->space->params[i];
        if (isnan(x[i]))
            x[i] = fill[i];
        const srt_trial_param_t *tp = srt_trial_param(t, p->name);
        if (!tp || tp->internal != x[i] || strcmp(tp->distribution, p->distribution) != 0)
            rc = srt_journal_op_set_param(b, w, t->id, p->name, x[i], p->distribution);
    }
    for (size_t g = 0; g < s->space->n_groups && rc == SRT_OK; g++) {
        if (srt_trial_user_attr(t, s->space->groups[g].name))
            continue;
        char *sj = simplex_json(s->space, g, x);
        rc = sj ? srt_journal_op_set_trial_attr(b, w, t->id, 0, s->space->groups[g].name, sj)
                : SRT_ERR_NOMEM;
        free(sj);
    }
    const char *old_rd = srt_trial_system_attr(t, ATTR_RUN_DIR);
    if (rc == SRT_OK && old_rd && !srt_study_run_dir_safe(old_rd))
        SRT_WARN("%s: trial %ld: ignoring srtune:run_dir %.200s (not a relative path inside the "
                 "output directory); using %s/trial_%ld",
                 srt_journal_path(s->j), t->number, old_rd, s->run_dir_root, t->number);
    if (rc == SRT_OK && (!old_rd || !srt_study_run_dir_safe(old_rd))) {
        rd = run_dir_json(s, t->number);
        rc = rd ? srt_journal_op_set_trial_attr(b, w, t->id, 1, ATTR_RUN_DIR, rd) : SRT_ERR_NOMEM;
    }
    if (rc == SRT_OK)
        rc = srt_journal_op_set_trial_attr(b, w, t->id, 1, ATTR_HEARTBEAT, hb);
    if (rc != SRT_OK && (!err || err->code == SRT_OK))
        srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0, "cannot encode journal lines");
cleanup:
    free(hb);
    free(rd);
    free(fill);
    return rc;
}

/* The sampler seed index of the next new trial: how many trials of the study
 * were sampled (not retry copies, not enqueued). Retries of interrupted or lost
 * trials take new trial numbers, so seeding by trial number would give the
 * trials sampled after an interruption other parameters than an uninterrupted
 * study's; seeding by this count gives the same ones (README, "Design"). The
 * count is taken under the journal lock, so it is unique. */
static long sample_ordinal(const srt_study_t *s)
{
    size_t n;
    long k = 0;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    for (size_t i = 0; i < n; i++)
        if (!srt_trial_system_attr(t[i], "failed_trial") &&
            !srt_trial_system_attr(t[i], "fixed_params"))
            k++;
    return k;
}

/* Appends the template line of a new RUNNING trial numbered number. */
static srt_rc new_trial_lines(srt_study_t *s, long number, double *x, srt_journal_batch_t *b,
                              srt_err_t *err)
{
    size_t d = s->space->n_params, ng = s->space->n_groups;
    srt_trial_param_t *tp = calloc(d + 1, sizeof *tp);
    srt_attr_t *ua = calloc(ng + 1, sizeof *ua);
    srt_attr_t sa[2] = {{NULL, NULL}, {NULL, NULL}};
    srt_rc rc = suggest(s, sample_ordinal(s), x, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (!tp || !ua) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < d; i++) {
        tp[i].name = s->space->params[i].name;
        tp[i].internal = x[i];
        tp[i].distribution = s->space->params[i].distribution;
    }
    for (size_t g = 0; g < ng; g++) {
        ua[g].key = s->space->groups[g].name;
        ua[g].json = simplex_json(s->space, g, x);
        if (!ua[g].json)
            rc = SRT_ERR_NOMEM;
    }
    sa[0].key = (char *)ATTR_RUN_DIR;
    sa[0].json = run_dir_json(s, number);
    sa[1].key = (char *)ATTR_HEARTBEAT;
    sa[1].json = srt__json_num_text(srt_time_wall());
    if (rc != SRT_OK || !sa[0].json || !sa[1].json) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    srt_trial_template_t tt;
    memset(&tt, 0, sizeof tt);
    tt.state = SRT_TRIAL_STATE_RUNNING;
    tt.params = tp;
    tt.n_params = d;
    tt.user_attrs = ua;
    tt.n_user_attrs = ng;
    tt.system_attrs = sa;
    tt.n_system_attrs = 2;
    rc = srt_journal_op_create_trial_template(b, srt_journal_worker_id(s->j), s->id, &tt);
    if (rc != SRT_OK)
        srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0, "cannot encode a new trial");
cleanup:
    if (ua)
        for (size_t g = 0; g < ng; g++)
            free(ua[g].json);
    free(ua);
    free(tp);
    free(sa[0].json);
    free(sa[1].json);
    return rc;
}

srt_rc srt_study_ask(srt_study_t *s, srt_ask_t *out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_journal_batch_t b;
    size_t d = s->space->n_params;
    srt_journal_batch_init(&b);
    memset(out, 0, sizeof *out);
    out->x = malloc((d + 1) * sizeof(double));
    if (!out->x)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    out->n = d;
    for (int attempt = 0; attempt < 1000; attempt++) {
        srt_journal_batch_reset(&b);
        rc = srt_journal_lock(s->j, err);
        if (rc != SRT_OK)
            goto cleanup;
        rc = srt_journal_refresh(s->j, err);
        size_t n;
        const srt_trial_t *const *t = srt_study_trials(s, &n);
        const srt_trial_t *waiting = NULL;
        for (size_t i = 0; i < n && rc == SRT_OK; i++)
            if (t[i]->state == SRT_TRIAL_STATE_WAITING) {
                waiting = t[i];
                break;
            }
        long number = waiting ? waiting->number : (long)n;
        long tid = waiting ? waiting->id : -1;
        if (rc == SRT_OK && srt__study_copy_pending(s, &b) != SRT_OK)
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        if (rc == SRT_OK)
            rc = waiting ? pop_lines(s, waiting, out->x, &b, err)
                         : new_trial_lines(s, number, out->x, &b, err);
        rc = srt_journal_finish(s->j, &b, rc, err);
        if (rc == SRT_OK)
            srt__study_pending_written(s); /* they went out with this trial's lines */
        if (rc != SRT_OK)
            goto cleanup;
        const srt_trial_t *got = srt_study_trial(s, number);
        int won = got && got->state == SRT_TRIAL_STATE_RUNNING && got->running_worker &&
                  strcmp(got->running_worker, srt_journal_worker_id(s->j)) == 0 &&
                  (tid < 0 || got->id == tid);
        if (!won) {
            SRT_INFO("%s: trial %ld was taken by another writer; trying again",
                     srt_journal_path(s->j), number);
            continue;
        }
        out->number = got->number;
        out->trial_id = got->id;
        out->from_waiting = waiting != NULL;
        out->retry_of = -1;
        const char *ft = srt_trial_system_attr(got, "failed_trial");
        if (ft)
            out->retry_of = strtol(ft, NULL, 10);
        const char *rd = srt_trial_system_attr(got, ATTR_RUN_DIR);
        if (!srt_study_run_dir_safe(rd)) {
            rc = srt_err_set(err, SRT_ERR_PROTOCOL, srt_journal_path(s->j), NULL, 0,
                             "trial %ld: srtune:run_dir %.200s is not a relative path inside the "
                             "output directory",
                             got->number, rd ? rd : "(missing)");
            goto cleanup;
        }
        cJSON *rdj = rd ? cJSON_Parse(rd) : NULL;
        out->run_dir = srt_strdup(cJSON_IsString(rdj) ? rdj->valuestring : "");
        cJSON_Delete(rdj);
        srt_study_trial_x(s, got, out->x);
        if (!out->run_dir)
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    rc = srt_err_set(err, SRT_ERR_PROTOCOL, srt_journal_path(s->j), NULL, 0,
                     "could not claim a trial after 1000 attempts");
cleanup:
    srt_journal_batch_fini(&b);
    if (rc != SRT_OK)
        srt_ask_fini(out);
    return rc;
}
