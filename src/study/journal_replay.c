/*
 * Journal replay: applies parsed journal lines to the in-memory database with
 * Optuna 3.1's JournalStorageReplayResult rules.
 *
 * Invariants (as Optuna): study ids count applied CREATE_STUDY lines (a name
 * already live is ignored, so the first line for a name wins); trial ids count
 * applied CREATE_TRIAL lines over the whole file; a trial's number is its index
 * in its study; ops on unknown or finished trials are ignored; RUNNING ->
 * RUNNING is ignored (the first RUNNING line owns a popped WAITING trial); a
 * SET_TRIAL_PARAM whose distribution is incompatible with the study's first one
 * for that name is ignored. Malformed lines are reported and skipped.
 * Param names, distributions and worker ids are interned: each distinct string
 * is stored once however many trials use it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

int srt__grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return 0;
    size_t nc = *cap ? *cap : 8;
    while (nc < need)
        nc *= 2;
    void *np = realloc(*p, nc * elem);
    if (!np)
        return -1;
    *p = np;
    *cap = nc;
    return 0;
}

const char *srt__attr_get(const srt_attr_t *attrs, size_t n, const char *key)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(attrs[i].key, key) == 0)
            return attrs[i].json;
    return NULL;
}

int srt__attr_set(srt_attr_t **attrs, size_t *n, const char *key, const char *json)
{
    char *v = srt_strdup(json);
    if (!v)
        return -1;
    for (size_t i = 0; i < *n; i++) {
        if (strcmp((*attrs)[i].key, key) == 0) {
            free((*attrs)[i].json);
            (*attrs)[i].json = v;
            return 0;
        }
    }
    char *k = srt_strdup(key);
    srt_attr_t *na = realloc(*attrs, (*n + 1) * sizeof *na);
    if (!k || !na) {
        free(k);
        free(v);
        if (na)
            *attrs = na;
        return -1;
    }
    *attrs = na;
    na[*n].key = k;
    na[*n].json = v;
    (*n)++;
    return 0;
}

void srt__attrs_free(srt_attr_t *attrs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(attrs[i].key);
        free(attrs[i].json);
    }
    free(attrs);
}

void srt__trial_free(srt_trial_t *t)
{
    if (!t)
        return;
    free(t->values);
    free(t->params); /* names and distributions are interned */
    free(t->intermediate);
    srt__attrs_free(t->user_attrs, t->n_user_attrs);
    srt__attrs_free(t->system_attrs, t->n_system_attrs);
    free(t);
}

/* ---------------------------------------------------------------- interning */

const char *srt__intern(srt_intern_t *t, const char *s)
{
    if (t->n * 2 + 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 64;
        char **ns = calloc(nc, sizeof *ns);
        if (!ns)
            return NULL;
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slots[i])
                continue;
            size_t h = (size_t)srt_hash64(t->slots[i], strlen(t->slots[i]), 0) & (nc - 1);
            while (ns[h])
                h = (h + 1) & (nc - 1);
            ns[h] = t->slots[i];
        }
        free(t->slots);
        t->slots = ns;
        t->cap = nc;
    }
    size_t len = strlen(s);
    size_t h = (size_t)srt_hash64(s, len, 0) & (t->cap - 1);
    while (t->slots[h]) {
        if (strcmp(t->slots[h], s) == 0)
            return t->slots[h];
        h = (h + 1) & (t->cap - 1);
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len + 1);
    t->slots[h] = copy;
    t->n++;
    return copy;
}

void srt__intern_fini(srt_intern_t *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->slots[i]);
    free(t->slots);
    memset(t, 0, sizeof *t);
}

void srt__journal_free_db(srt_journal_t *j)
{
    for (size_t i = 0; i < j->n_trials; i++)
        srt__trial_free(j->trials[i]);
    free(j->trials);
    j->trials = NULL;
    j->n_trials = j->cap_trials = 0;
    for (size_t s = 0; s < j->n_studies; s++) {
        study_rec_t *st = &j->studies[s];
        free(st->name);
        free(st->directions);
        srt__attrs_free(st->user_attrs, st->n_user_attrs);
        srt__attrs_free(st->system_attrs, st->n_system_attrs);
        free(st->trials);
        for (size_t k = 0; k < st->n_known; k++) {
            if (st->known[k].parsed_ok)
                srt_param_fini(&st->known[k].parsed);
            free(st->known[k].raw);
        }
        free(st->known);
    }
    free(j->studies);
    j->studies = NULL;
    j->n_studies = 0;
    srt__intern_fini(&j->names);
    srt__jdoc_fini(&j->doc);
}

/* ---------------------------------------------------------------- helpers */

static int warn_bad(const srt_journal_t *j, long lineno, const char *what)
{
    SRT_WARN("%s:%ld: skipping malformed journal line: %s", j->path, lineno, what);
    return -1;
}

static int get_long(srt_jdoc_t *d, int obj, const char *key, long *out)
{
    double v;
    /* |v| < 2^62: (long)v of an infinite or huge number is undefined */
    if (srt__jdoc_num(d, srt__jdoc_get(d, obj, key), &v) != 0 || v != floor(v) ||
        !(fabs(v) < 4611686018427387904.0))
        return -1;
    *out = (long)v;
    return 0;
}

static int live_study(const srt_journal_t *j, long id)
{
    return id >= 0 && (size_t)id < j->n_studies && !j->studies[id].deleted;
}

static int is_finished(srt_trial_state_t s)
{
    return s == SRT_TRIAL_STATE_COMPLETE || s == SRT_TRIAL_STATE_PRUNED ||
           s == SRT_TRIAL_STATE_FAIL;
}

/* The trial if it exists and is not finished, else NULL. */
static srt_trial_t *updatable(srt_journal_t *j, srt_jdoc_t *d)
{
    long id;
    if (get_long(d, 0, "trial_id", &id) != 0 || id < 0 || (size_t)id >= j->n_trials)
        return NULL;
    srt_trial_t *t = j->trials[id];
    return is_finished(t->state) ? NULL : t;
}

/* Copies each {key: value} of object node m into an attr array. */
static int copy_attrs(srt_jdoc_t *d, int m, srt_attr_t **attrs, size_t *n)
{
    for (int kv = d->nodes[m].child; kv >= 0; kv = d->nodes[kv].next) {
        char *json = srt__jdoc_text(d, kv);
        int bad = !json || srt__attr_set(attrs, n, srt__jdoc_key(d, kv), json) != 0;
        free(json);
        if (bad)
            return -1;
    }
    return 0;
}

/* The single {key: value} of field (Optuna asserts exactly one key). */
static int apply_attr(srt_jdoc_t *d, const char *field, srt_attr_t **attrs, size_t *n)
{
    int m = srt__jdoc_get(d, 0, field);
    if (srt__jdoc_type(d, m) != SRT_JSON_OBJECT || d->nodes[m].child < 0)
        return -1;
    return copy_attrs(d, m, attrs, n);
}

/* Sets a param; name and dist are interned strings. */
static int set_param(srt_trial_t *t, const char *name, double v, const char *dist)
{
    for (size_t i = 0; i < t->n_params; i++) {
        if (t->params[i].name == name) {
            t->params[i].distribution = dist;
            t->params[i].internal = v;
            return 0;
        }
    }
    if (srt__grow((void **)&t->params, &t->cap_params, t->n_params + 1, sizeof *t->params))
        return -1;
    t->params[t->n_params].name = name;
    t->params[t->n_params].distribution = dist;
    t->params[t->n_params].internal = v;
    t->n_params++;
    return 0;
}

static int set_intermediate(srt_trial_t *t, long step, double v)
{
    size_t i = t->n_intermediate;
    while (i > 0 && t->intermediate[i - 1].step > step)
        i--;
    if (i > 0 && t->intermediate[i - 1].step == step) {
        t->intermediate[i - 1].value = v;
        return 0;
    }
    if (srt__grow((void **)&t->intermediate, &t->cap_intermediate, t->n_intermediate + 1,
                  sizeof *t->intermediate))
        return -1;
    srt_step_value_t *nv = t->intermediate;
    memmove(nv + i + 1, nv + i, (t->n_intermediate - i) * sizeof *nv);
    nv[i].step = step;
    nv[i].value = v;
    t->n_intermediate++;
    return 0;
}

static double num_or_nan(srt_jdoc_t *d, int idx)
{
    double v;
    return srt__jdoc_num(d, idx, &v) == 0 ? v : NAN;
}

static int set_values(srt_trial_t *t, srt_jdoc_t *d, int arr)
{
    size_t n = 0;
    for (int e = d->nodes[arr].child; e >= 0; e = d->nodes[e].next)
        n++;
    double *v = n > 0 ? malloc(n * sizeof *v) : NULL;
    if (n > 0 && !v)
        return -1;
    size_t i = 0;
    for (int e = d->nodes[arr].child; e >= 0; e = d->nodes[e].next)
        v[i++] = num_or_nan(d, e);
    free(t->values);
    t->values = v;
    t->n_values = n;
    return 0;
}

static void copy_time(char *dst, size_t size, srt_jdoc_t *d, const char *key)
{
    const char *v = srt__jdoc_str(d, srt__jdoc_get(d, 0, key));
    if (v)
        snprintf(dst, size, "%s", v);
    else
        dst[0] = '\0';
}

/* Optuna's compatibility check against the study's first distribution of name
 * (both interned); a first sighting registers it. */
static int param_compatible(study_rec_t *st, const char *name, const char *dist)
{
    for (size_t k = 0; k < st->n_known; k++) {
        known_param_t *kp = &st->known[k];
        if (kp->name != name)
            continue;
        if (kp->distribution == dist)
            return 1;
        srt_param_t p;
        if (!kp->parsed_ok || srt_param_from_distribution(dist, &p, NULL) != SRT_OK)
            return 0;
        int ok = srt_param_compatible(&kp->parsed, &p);
        srt_param_fini(&p);
        return ok;
    }
    known_param_t *nk = realloc(st->known, (st->n_known + 1) * sizeof *nk);
    if (!nk)
        return 1;
    st->known = nk;
    known_param_t *kp = &nk[st->n_known];
    memset(kp, 0, sizeof *kp);
    kp->name = name;
    kp->distribution = dist;
    kp->parsed_ok = srt_param_from_distribution(dist, &kp->parsed, NULL) == SRT_OK;
    st->n_known++;
    return 1;
}

/* The interned distribution string of node dist for param name (interned):
 * when its source text is the one the study first saw for name, no decoding
 * or hashing is needed. NULL when dist is not a string or on allocation failure. */
static const char *distribution_of(srt_journal_t *j, study_rec_t *st, const char *name,
                                   srt_jdoc_t *d, int dist)
{
    size_t rl;
    const char *raw = srt__jdoc_raw(d, dist, &rl);
    if (!raw)
        return NULL;
    for (size_t k = 0; k < st->n_known; k++) {
        known_param_t *kp = &st->known[k];
        if (kp->name == name && kp->raw && kp->raw_len == rl && memcmp(kp->raw, raw, rl) == 0)
            return kp->distribution;
    }
    const char *text = srt__jdoc_str(d, dist);
    return text ? srt__intern(&j->names, text) : NULL;
}

/* Remembers the source text of a study's first distribution of a param. */
static void remember_raw(study_rec_t *st, const char *name, const char *dist, srt_jdoc_t *d,
                         int node)
{
    size_t rl;
    const char *raw = srt__jdoc_raw(d, node, &rl);
    for (size_t k = 0; raw && k < st->n_known; k++) {
        known_param_t *kp = &st->known[k];
        if (kp->name == name && kp->distribution == dist && !kp->raw) {
            kp->raw = malloc(rl + 1);
            if (kp->raw) {
                memcpy(kp->raw, raw, rl);
                kp->raw[rl] = '\0';
                kp->raw_len = rl;
            }
        }
    }
}

/* ------------------------------------------------------------------- ops */

static int apply_create_study(srt_journal_t *j, srt_jdoc_t *d, long lineno)
{
    const char *name = srt__jdoc_str(d, srt__jdoc_get(d, 0, "study_name"));
    int dirs = srt__jdoc_get(d, 0, "directions");
    if (!name || srt__jdoc_type(d, dirs) != SRT_JSON_ARRAY)
        return warn_bad(j, lineno, "CREATE_STUDY without study_name/directions");
    if (srt_journal_find_study(j, name) >= 0)
        return 0; /* a live study has the name: the first line won */
    study_rec_t *ns = realloc(j->studies, (j->n_studies + 1) * sizeof *ns);
    if (!ns)
        return -1;
    j->studies = ns;
    study_rec_t *st = &ns[j->n_studies];
    memset(st, 0, sizeof *st);
    size_t nd = 0;
    for (int e = d->nodes[dirs].child; e >= 0; e = d->nodes[e].next)
        nd++;
    st->name = srt_strdup(name);
    st->directions = calloc(nd > 0 ? nd : 1, sizeof(int));
    if (!st->name || !st->directions) {
        free(st->name);
        free(st->directions);
        return -1;
    }
    for (int e = d->nodes[dirs].child; e >= 0; e = d->nodes[e].next) {
        double v = num_or_nan(d, e);
        st->directions[st->n_directions++] = v == 2 ? 2 : 1;
    }
    j->n_studies++;
    return 0;
}

static int apply_create_trial(srt_journal_t *j, srt_jdoc_t *d, long lineno)
{
    long sid;
    if (get_long(d, 0, "study_id", &sid) != 0)
        return warn_bad(j, lineno, "CREATE_TRIAL without study_id");
    if (!live_study(j, sid))
        return 0;
    study_rec_t *st = &j->studies[sid];
    if (srt__grow((void **)&j->trials, &j->cap_trials, j->n_trials + 1, sizeof(srt_trial_t *)) ||
        srt__grow((void **)&st->trials, &st->cap_trials, st->n_trials + 1, sizeof(srt_trial_t *)))
        return -1;
    long state = SRT_TRIAL_STATE_RUNNING;
    if (srt__jdoc_get(d, 0, "state") >= 0 && get_long(d, 0, "state", &state) != 0)
        state = -1;
    if (state < 0 || state > 4)
        return warn_bad(j, lineno, "CREATE_TRIAL with a bad state");
    srt_trial_t *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->id = (long)j->n_trials;
    t->number = (long)st->n_trials;
    t->study_id = (int)sid;
    t->state = (srt_trial_state_t)state;
    const char *worker = srt__jdoc_str(d, srt__jdoc_get(d, 0, "worker_id"));
    t->created_worker = srt__intern(&j->names, worker ? worker : "");
    if (t->state == SRT_TRIAL_STATE_RUNNING)
        t->running_worker = t->created_worker;
    copy_time(t->datetime_start, sizeof t->datetime_start, d, "datetime_start");
    copy_time(t->datetime_complete, sizeof t->datetime_complete, d, "datetime_complete");
    int bad = !t->created_worker;
    int values = srt__jdoc_get(d, 0, "values");
    int value = srt__jdoc_get(d, 0, "value");
    if (srt__jdoc_type(d, values) == SRT_JSON_ARRAY) {
        bad |= set_values(t, d, values);
    } else if (srt__jdoc_type(d, value) == SRT_JSON_NUMBER) {
        t->values = malloc(sizeof(double));
        bad |= !t->values;
        if (t->values) {
            t->values[0] = d->nodes[value].num;
            t->n_values = 1;
        }
    }
    int dists = srt__jdoc_get(d, 0, "distributions");
    int params = srt__jdoc_get(d, 0, "params");
    if (srt__jdoc_type(d, params) == SRT_JSON_OBJECT) {
        for (int p = d->nodes[params].child; p >= 0 && !bad; p = d->nodes[p].next) {
            const char *key = srt__jdoc_key(d, p);
            int dn = srt__jdoc_get(d, dists, key);
            double v;
            if (srt__jdoc_type(d, dn) != SRT_JSON_STRING || srt__jdoc_num(d, p, &v) != 0) {
                srt__trial_free(t);
                return warn_bad(j, lineno, "CREATE_TRIAL param without distribution");
            }
            const char *in = srt__intern(&j->names, key);
            const char *id = in ? distribution_of(j, st, in, d, dn) : NULL;
            bad |= !in || !id || set_param(t, in, v, id);
            if (!bad) {
                (void)param_compatible(st, in, id); /* registers a first distribution */
                remember_raw(st, in, id, d, dn);
            }
        }
    }
    int ua = srt__jdoc_get(d, 0, "user_attrs");
    int sa = srt__jdoc_get(d, 0, "system_attrs");
    int iv = srt__jdoc_get(d, 0, "intermediate_values");
    if (!bad && srt__jdoc_type(d, ua) == SRT_JSON_OBJECT)
        bad |= copy_attrs(d, ua, &t->user_attrs, &t->n_user_attrs);
    if (!bad && srt__jdoc_type(d, sa) == SRT_JSON_OBJECT)
        bad |= copy_attrs(d, sa, &t->system_attrs, &t->n_system_attrs);
    if (!bad && srt__jdoc_type(d, iv) == SRT_JSON_OBJECT)
        for (int kv = d->nodes[iv].child; kv >= 0 && !bad; kv = d->nodes[kv].next)
            bad |= set_intermediate(t, strtol(srt__jdoc_key(d, kv), NULL, 10), num_or_nan(d, kv));
    if (bad) {
        srt__trial_free(t);
        return -1;
    }
    j->trials[j->n_trials++] = t;
    st->trials[st->n_trials++] = t;
    return 0;
}

static int apply_set_param(srt_journal_t *j, srt_jdoc_t *d, long lineno)
{
    srt_trial_t *t = updatable(j, d);
    double v;
    if (!t)
        return 0;
    const char *name = srt__jdoc_str(d, srt__jdoc_get(d, 0, "param_name"));
    int dn = srt__jdoc_get(d, 0, "distribution");
    if (!name || srt__jdoc_type(d, dn) != SRT_JSON_STRING ||
        srt__jdoc_num(d, srt__jdoc_get(d, 0, "param_value_internal"), &v))
        return warn_bad(j, lineno, "SET_TRIAL_PARAM without name/value/distribution");
    study_rec_t *st = &j->studies[t->study_id];
    const char *in = srt__intern(&j->names, name);
    const char *id = in ? distribution_of(j, st, in, d, dn) : NULL;
    if (!in || !id)
        return -1;
    if (!param_compatible(st, in, id))
        return 0;
    remember_raw(st, in, id, d, dn);
    return set_param(t, in, v, id);
}

static int apply_set_state(srt_journal_t *j, srt_jdoc_t *d, long lineno)
{
    srt_trial_t *t = updatable(j, d);
    long state;
    if (!t)
        return 0;
    if (get_long(d, 0, "state", &state) != 0 || state < 0 || state > 4)
        return warn_bad(j, lineno, "SET_TRIAL_STATE_VALUES with a bad state");
    if (state == SRT_TRIAL_STATE_RUNNING && t->state == SRT_TRIAL_STATE_RUNNING)
        return 0; /* a later pop of the same WAITING trial lost */
    if (state == SRT_TRIAL_STATE_RUNNING) {
        const char *w = srt__jdoc_str(d, srt__jdoc_get(d, 0, "worker_id"));
        const char *owner = srt__intern(&j->names, w ? w : "");
        if (!owner)
            return -1;
        t->running_worker = owner;
        copy_time(t->datetime_start, sizeof t->datetime_start, d, "datetime_start");
    }
    if (is_finished((srt_trial_state_t)state))
        copy_time(t->datetime_complete, sizeof t->datetime_complete, d, "datetime_complete");
    t->state = (srt_trial_state_t)state;
    int values = srt__jdoc_get(d, 0, "values");
    if (srt__jdoc_type(d, values) == SRT_JSON_ARRAY)
        return set_values(t, d, values);
    return 0;
}

int srt__journal_apply(srt_journal_t *j, srt_jdoc_t *d, long lineno)
{
    long code;
    if (get_long(d, 0, "op_code", &code) != 0)
        return warn_bad(j, lineno, "no op_code");
    switch (code) {
    case 0:
        return apply_create_study(j, d, lineno);
    case 1: {
        long sid;
        if (get_long(d, 0, "study_id", &sid) != 0)
            return warn_bad(j, lineno, "DELETE_STUDY without study_id");
        if (live_study(j, sid))
            j->studies[sid].deleted = 1;
        return 0;
    }
    case 2:
    case 3: {
        long sid;
        if (get_long(d, 0, "study_id", &sid) != 0)
            return warn_bad(j, lineno, "study attr without study_id");
        if (!live_study(j, sid))
            return 0;
        study_rec_t *st = &j->studies[sid];
        int rc = code == 2 ? apply_attr(d, "user_attr", &st->user_attrs, &st->n_user_attrs)
                           : apply_attr(d, "system_attr", &st->system_attrs, &st->n_system_attrs);
        return rc ? warn_bad(j, lineno, "study attr without a value") : 0;
    }
    case 4:
        return apply_create_trial(j, d, lineno);
    case 5:
        return apply_set_param(j, d, lineno);
    case 6:
        return apply_set_state(j, d, lineno);
    case 7: {
        srt_trial_t *t = updatable(j, d);
        long step;
        if (!t)
            return 0;
        if (get_long(d, 0, "step", &step) != 0)
            return warn_bad(j, lineno, "SET_TRIAL_INTERMEDIATE_VALUE without step");
        return set_intermediate(t, step, num_or_nan(d, srt__jdoc_get(d, 0, "intermediate_value")));
    }
    case 8:
    case 9: {
        srt_trial_t *t = updatable(j, d);
        if (!t)
            return 0;
        int rc = code == 8 ? apply_attr(d, "user_attr", &t->user_attrs, &t->n_user_attrs)
                           : apply_attr(d, "system_attr", &t->system_attrs, &t->n_system_attrs);
        return rc ? warn_bad(j, lineno, "trial attr without a value") : 0;
    }
    default: {
        char what[96];
        snprintf(what, sizeof what, "unknown op_code %ld (not an Optuna journal operation)", code);
        return warn_bad(j, lineno, what);
    }
    }
}
