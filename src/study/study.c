/*
 * Study: the API the coordinator uses (architecture.md, "Trial life cycle") on
 * top of the journal, the samplers and the pruner.
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
    rc = srt_journal_open(opt->journal_path, NULL, &s->j, err);
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
static char *json_num_text(double v)
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
    char *hb = json_num_text(srt_time_wall());
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
    sa[1].json = json_num_text(srt_time_wall());
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
    char *hb = json_num_text(srt_time_wall());
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
        if (!hb || now - atof(hb) <= s->grace)
            continue;
        SRT_WARN("%s: trial %ld lost (no heartbeat for %.0f s); marking it FAIL",
                 srt_journal_path(s->j), t[i]->number, now - atof(hb));
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

srt_rc srt_study_set_user_attr(srt_study_t *s, const char *key, const char *json, srt_err_t *err)
{
    srt_journal_batch_t b;
    srt_journal_batch_init(&b);
    srt_rc rc = srt_journal_op_set_study_attr(&b, srt_journal_worker_id(s->j), s->id, 0, key, json);
    return commit(s, &b, rc, err);
}

/* Appends a CSV field, quoted when needed. */
static int csv_field(char **buf, size_t *len, size_t *cap, const char *f, int first)
{
    size_t n = strlen(f);
    if (srt__grow((void **)buf, cap, *len + 2 * n + 4, 1) != 0)
        return -1;
    if (!first)
        (*buf)[(*len)++] = ',';
    int quote = strpbrk(f, ",\"\n") != NULL;
    if (quote)
        (*buf)[(*len)++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (f[i] == '"')
            (*buf)[(*len)++] = '"';
        (*buf)[(*len)++] = f[i];
    }
    if (quote)
        (*buf)[(*len)++] = '"';
    (*buf)[*len] = '\0';
    return 0;
}

static void external_text(const srt_param_t *p, double v, char *buf, size_t size)
{
    if (isnan(v)) {
        buf[0] = '\0';
    } else if (p->kind == SRT_PARAM_INT) {
        snprintf(buf, size, "%.0f", v);
    } else if (p->kind == SRT_PARAM_FLOAT) {
        snprintf(buf, size, "%.17g", v);
    } else {
        const srt_choice_t *c = &p->choices[(size_t)v];
        if (c->kind == SRT_CHOICE_STRING)
            snprintf(buf, size, "%s", c->str);
        else if (c->kind == SRT_CHOICE_NUMBER)
            snprintf(buf, size, "%.17g", c->num);
        else if (c->kind == SRT_CHOICE_BOOL)
            snprintf(buf, size, "%s", c->boolean ? "true" : "false");
        else
            snprintf(buf, size, "null");
    }
}

/* Ends a CSV row; -1 on allocation failure. */
static int csv_newline(char **buf, size_t *len, size_t *cap)
{
    if (srt__grow((void **)buf, cap, *len + 2, 1) != 0)
        return -1;
    (*buf)[(*len)++] = '\n';
    (*buf)[*len] = '\0';
    return 0;
}

srt_rc srt_study_write_trials_csv(const srt_study_t *s, const char *path, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *buf = NULL;
    const srt_space_t *sp = s->space;
    size_t len = 0, cap = 0, d = sp->n_params, kmax = 1;
    for (size_t g = 0; g < sp->n_groups; g++)
        kmax = sp->groups[g].k > kmax ? sp->groups[g].k : kmax;
    double *x = malloc((d + 1) * sizeof *x), *w = malloc(kmax * sizeof *w);
    char cell[512];
    int bad = !x || !w;
    const char *head[] = {"number", "state", "value", "datetime_start", "datetime_complete"};
    for (size_t i = 0; i < 5 && !bad; i++)
        bad |= csv_field(&buf, &len, &cap, head[i], i == 0);
    for (size_t i = 0; i < d && !bad; i++)
        bad |= csv_field(&buf, &len, &cap, sp->params[i].name, 0);
    for (size_t g = 0; g < sp->n_groups && !bad; g++)
        for (size_t k = 0; k < sp->groups[g].k && !bad; k++) {
            snprintf(cell, sizeof cell, "%s.%s", sp->groups[g].name, sp->groups[g].keys[k]);
            bad |= csv_field(&buf, &len, &cap, cell, 0);
        }
    bad |= !bad && csv_newline(&buf, &len, &cap);
    size_t n;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    for (size_t r = 0; r < n && !bad; r++) {
        snprintf(cell, sizeof cell, "%ld", t[r]->number);
        bad |= csv_field(&buf, &len, &cap, cell, 1);
        bad |= csv_field(&buf, &len, &cap, srt_trial_state_name(t[r]->state), 0);
        if (t[r]->n_values)
            snprintf(cell, sizeof cell, "%.17g", t[r]->values[0]);
        else
            cell[0] = '\0';
        bad |= csv_field(&buf, &len, &cap, cell, 0);
        bad |= csv_field(&buf, &len, &cap, t[r]->datetime_start, 0);
        bad |= csv_field(&buf, &len, &cap, t[r]->datetime_complete, 0);
        srt_study_trial_x(s, t[r], x);
        for (size_t i = 0; i < d && !bad; i++) {
            external_text(&sp->params[i], x[i], cell, sizeof cell);
            bad |= csv_field(&buf, &len, &cap, cell, 0);
        }
        for (size_t g = 0; g < sp->n_groups && !bad; g++) {
            const srt_simplex_t *grp = &sp->groups[g];
            int have = 1;
            for (size_t i = 0; i + 1 < grp->k; i++)
                have &= !isnan(x[grp->first_param + i]);
            if (have)
                srt_space_simplex_weights(sp, g, x, w);
            for (size_t k = 0; k < grp->k && !bad; k++) {
                if (have)
                    snprintf(cell, sizeof cell, "%.17g", w[k]);
                else
                    cell[0] = '\0';
                bad |= csv_field(&buf, &len, &cap, cell, 0);
            }
        }
        bad |= !bad && csv_newline(&buf, &len, &cap);
    }
    if (bad)
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    else
        rc = srt_fs_write_atomic(path, buf, len, err);
    free(w);
    free(buf);
    free(x);
    return rc;
}
