/*
 * Search space: the builder API, Optuna distribution JSON strings (to and
 * from), compatibility and range checks, the simplex stick-breaking map and the
 * transformed coordinates the samplers work in.
 *
 * Invariants: every param carries the exact distribution string srtune writes
 * for it (Optuna's field order and spacing); high is already on the step grid
 * (Optuna adjusts it the same way), so a snapped value is always contained.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

srt_space_t *srt_space_create(void)
{
    return calloc(1, sizeof(srt_space_t));
}

void srt_param_fini(srt_param_t *p)
{
    if (!p)
        return;
    free(p->name);
    for (size_t i = 0; i < p->n_choices; i++)
        free(p->choices[i].str);
    free(p->choices);
    free(p->distribution);
    memset(p, 0, sizeof *p);
}

void srt_space_destroy(srt_space_t **space)
{
    if (!space || !*space)
        return;
    srt_space_t *s = *space;
    for (size_t i = 0; i < s->n_params; i++)
        srt_param_fini(&s->params[i]);
    free(s->params);
    for (size_t g = 0; g < s->n_groups; g++) {
        free(s->groups[g].name);
        for (size_t i = 0; i < s->groups[g].k; i++)
            free(s->groups[g].keys[i]);
        free(s->groups[g].keys);
    }
    free(s->groups);
    free(s);
    *space = NULL;
}

long srt_space_find(const srt_space_t *space, const char *name)
{
    for (size_t i = 0; i < space->n_params; i++)
        if (strcmp(space->params[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* Appends text to a heap string builder. */
typedef struct sbuf {
    char *s;    /* text */
    size_t len; /* used */
    size_t cap; /* allocated */
    int oom;    /* allocation failed */
} sbuf_t;

static void sb_add(sbuf_t *b, const char *t)
{
    size_t n = strlen(t);
    if (b->oom)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t nc = b->cap ? b->cap : 64;
        while (nc < b->len + n + 1)
            nc *= 2;
        char *p = realloc(b->s, nc);
        if (!p) {
            b->oom = 1;
            return;
        }
        b->s = p;
        b->cap = nc;
    }
    memcpy(b->s + b->len, t, n + 1);
    b->len += n;
}

static void sb_num(sbuf_t *b, double v)
{
    char buf[40];
    sb_add(b, srt_json_number(v, buf, sizeof buf));
}

static void sb_long(sbuf_t *b, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.0f", v);
    sb_add(b, buf);
}

/* Builds the distribution string exactly as Optuna 3.1's distribution_to_json. */
static char *distribution_json(const srt_param_t *p)
{
    sbuf_t b = {0};
    if (p->kind == SRT_PARAM_FLOAT) {
        sb_add(&b, "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": ");
        if (p->step > 0)
            sb_num(&b, p->step);
        else
            sb_add(&b, "null");
        sb_add(&b, ", \"low\": ");
        sb_num(&b, p->low);
        sb_add(&b, ", \"high\": ");
        sb_num(&b, p->high);
        sb_add(&b, p->log ? ", \"log\": true}}" : ", \"log\": false}}");
    } else if (p->kind == SRT_PARAM_INT) {
        sb_add(&b, p->log ? "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": true, "
                            "\"step\": "
                          : "{\"name\": \"IntDistribution\", \"attributes\": {\"log\": false, "
                            "\"step\": ");
        sb_long(&b, p->step);
        sb_add(&b, ", \"low\": ");
        sb_long(&b, p->low);
        sb_add(&b, ", \"high\": ");
        sb_long(&b, p->high);
        sb_add(&b, "}}");
    } else {
        sb_add(&b, "{\"name\": \"CategoricalDistribution\", \"attributes\": {\"choices\": [");
        for (size_t i = 0; i < p->n_choices; i++) {
            const srt_choice_t *c = &p->choices[i];
            if (i)
                sb_add(&b, ", ");
            if (c->kind == SRT_CHOICE_NULL) {
                sb_add(&b, "null");
            } else if (c->kind == SRT_CHOICE_BOOL) {
                sb_add(&b, c->boolean ? "true" : "false");
            } else if (c->kind == SRT_CHOICE_NUMBER) {
                if (c->num == floor(c->num) && fabs(c->num) < 1e15)
                    sb_long(&b, c->num);
                else
                    sb_num(&b, c->num);
            } else {
                cJSON *s = cJSON_CreateString(c->str ? c->str : "");
                char *t = s ? cJSON_PrintUnformatted(s) : NULL;
                if (t)
                    sb_add(&b, t);
                else
                    b.oom = 1;
                cJSON_free(t);
                cJSON_Delete(s);
            }
        }
        sb_add(&b, "]}}");
    }
    if (b.oom) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

static srt_rc add_param(srt_space_t *space, srt_param_t *p, srt_err_t *err)
{
    if (srt_space_find(space, p->name) >= 0) {
        srt_err_set(err, SRT_ERR_EXISTS, NULL, p->name, 0, "duplicate parameter name");
        srt_param_fini(p);
        return SRT_ERR_EXISTS;
    }
    p->distribution = distribution_json(p);
    srt_param_t *np = realloc(space->params, (space->n_params + 1) * sizeof *np);
    if (!p->distribution || !np) {
        if (np)
            space->params = np;
        srt_param_fini(p);
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    }
    space->params = np;
    space->params[space->n_params++] = *p;
    return SRT_OK;
}

srt_rc srt_space_add_float(srt_space_t *space, const char *name, double low, double high, int log,
                           double step, srt_err_t *err)
{
    if (!name || !*name)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0, "empty parameter name");
    if (!isfinite(low) || !isfinite(high) || low > high)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                           "need finite low <= high, got low=%g high=%g", low, high);
    if (log && low <= 0)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "log needs low > 0, got %g", low);
    if (step < 0 || !isfinite(step) || (log && step > 0))
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                           "step must be > 0 and cannot be combined with log");
    if (step > 0) {
        double k = floor((high - low) / step + 1e-9);
        double nh = low + k * step;
        if (fabs(nh - high) > 1e-9 * fmax(1.0, fabs(high)))
            high = nh;
    }
    srt_param_t p = {0};
    p.name = srt_strdup(name);
    if (!p.name)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    p.kind = SRT_PARAM_FLOAT;
    p.low = low;
    p.high = high;
    p.log = log ? 1 : 0;
    p.step = step;
    p.group = -1;
    return add_param(space, &p, err);
}

srt_rc srt_space_add_int(srt_space_t *space, const char *name, long low, long high, int log,
                         long step, srt_err_t *err)
{
    if (!name || !*name)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0, "empty parameter name");
    if (low > high)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "need low <= high, got %ld > %ld",
                           low, high);
    if (step < 1)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "step must be >= 1, got %ld", step);
    if (log && (low < 1 || step != 1))
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "log needs low >= 1 and step 1");
    high = low + ((high - low) / step) * step;
    srt_param_t p = {0};
    p.name = srt_strdup(name);
    if (!p.name)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    p.kind = SRT_PARAM_INT;
    p.low = (double)low;
    p.high = (double)high;
    p.log = log ? 1 : 0;
    p.step = (double)step;
    p.group = -1;
    return add_param(space, &p, err);
}

static int copy_choices(srt_param_t *p, const srt_choice_t *choices, size_t n)
{
    p->choices = calloc(n, sizeof *p->choices);
    if (!p->choices)
        return -1;
    p->n_choices = n;
    for (size_t i = 0; i < n; i++) {
        p->choices[i] = choices[i];
        p->choices[i].str = NULL;
        if (choices[i].kind == SRT_CHOICE_STRING) {
            p->choices[i].str = srt_strdup(choices[i].str ? choices[i].str : "");
            if (!p->choices[i].str)
                return -1;
        }
    }
    return 0;
}

srt_rc srt_space_add_categorical(srt_space_t *space, const char *name, const srt_choice_t *choices,
                                 size_t n_choices, srt_err_t *err)
{
    if (!name || !*name)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0, "empty parameter name");
    if (n_choices == 0)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "choices must not be empty");
    srt_param_t p = {0};
    p.kind = SRT_PARAM_CATEGORICAL;
    p.group = -1;
    p.name = srt_strdup(name);
    if (!p.name || copy_choices(&p, choices, n_choices) != 0) {
        srt_param_fini(&p);
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    }
    return add_param(space, &p, err);
}

srt_rc srt_space_add_simplex(srt_space_t *space, const char *name, const char *const *keys,
                             size_t k, double total, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char pname[512];
    if (!name || !*name)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0, "empty simplex name");
    if (k < 2 || !(total > 0) || !isfinite(total))
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                           "a simplex needs at least 2 keys and a total > 0");
    srt_simplex_t g = {0};
    g.name = srt_strdup(name);
    g.keys = calloc(k, sizeof *g.keys);
    g.k = k;
    g.total = total;
    g.first_param = space->n_params;
    if (!g.name || !g.keys) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < k; i++) {
        g.keys[i] = srt_strdup(keys[i]);
        if (!g.keys[i]) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
    }
    srt_simplex_t *ng = realloc(space->groups, (space->n_groups + 1) * sizeof *ng);
    if (!ng) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    space->groups = ng;
    for (size_t i = 0; i + 1 < k; i++) {
        snprintf(pname, sizeof pname, "%s.s%zu", name, i);
        rc = srt_space_add_float(space, pname, 0.0, 1.0, 0, 0.0, err);
        if (rc != SRT_OK)
            goto cleanup;
        space->params[space->n_params - 1].group = (int)space->n_groups;
    }
    space->groups[space->n_groups++] = g;
    return SRT_OK;
cleanup:
    /* undo the fraction params added so far */
    while (space->n_params > g.first_param)
        srt_param_fini(&space->params[--space->n_params]);
    free(g.name);
    if (g.keys)
        for (size_t i = 0; i < k; i++)
            free(g.keys[i]);
    free(g.keys);
    return rc;
}

void srt_space_simplex_weights(const srt_space_t *space, size_t g, const double *x, double *w)
{
    const srt_simplex_t *s = &space->groups[g];
    double rest = 1.0;
    for (size_t i = 0; i + 1 < s->k; i++) {
        double u = x[s->first_param + i];
        if (!(u >= 0))
            u = 0.5;
        if (u > 1)
            u = 1;
        double b = (double)(s->k - 1 - i);
        double v = -expm1(log1p(-u) / b); /* inverse CDF of Beta(1, b) */
        if (u >= 1)
            v = 1;
        w[i] = rest * v;
        rest -= w[i];
        if (rest < 0)
            rest = 0;
    }
    w[s->k - 1] = rest;
    for (size_t i = 0; i < s->k; i++)
        w[i] *= s->total;
}

size_t srt_space_grid_size(const srt_space_t *space)
{
    size_t n = 1;
    if (space->n_params == 0)
        return 0;
    for (size_t i = 0; i < space->n_params; i++) {
        const srt_param_t *p = &space->params[i];
        if (p->kind != SRT_PARAM_CATEGORICAL)
            return 0;
        if (n > ((size_t)-1) / p->n_choices)
            return 0;
        n *= p->n_choices;
    }
    return n;
}

/* ------------------------------------------------- distributions from JSON */

static int get_num(const cJSON *attrs, const char *key, double *out)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(attrs, key);
    if (!cJSON_IsNumber(v))
        return -1;
    *out = v->valuedouble;
    return 0;
}

srt_rc srt_param_from_distribution(const char *json, srt_param_t *out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    memset(out, 0, sizeof *out);
    out->group = -1;
    cJSON *root = json ? cJSON_Parse(json) : NULL;
    const cJSON *name = cJSON_GetObjectItemCaseSensitive(root, "name");
    const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(root, "attributes");
    if (!cJSON_IsString(name) || !cJSON_IsObject(attrs)) {
        rc = srt_err_set(err, SRT_ERR_PARSE, NULL, NULL, 0, "not a distribution: %.200s",
                         json ? json : "(null)");
        goto cleanup;
    }
    const char *n = name->valuestring;
    const cJSON *logv = cJSON_GetObjectItemCaseSensitive(attrs, "log");
    const cJSON *stepv = cJSON_GetObjectItemCaseSensitive(attrs, "step");
    int is_float = strcmp(n, "FloatDistribution") == 0 || strcmp(n, "UniformDistribution") == 0 ||
                   strcmp(n, "LogUniformDistribution") == 0 ||
                   strcmp(n, "DiscreteUniformDistribution") == 0;
    int is_int = strcmp(n, "IntDistribution") == 0 || strcmp(n, "IntUniformDistribution") == 0 ||
                 strcmp(n, "IntLogUniformDistribution") == 0;
    if (is_float || is_int) {
        out->kind = is_float ? SRT_PARAM_FLOAT : SRT_PARAM_INT;
        if (get_num(attrs, "low", &out->low) || get_num(attrs, "high", &out->high)) {
            rc = srt_err_set(err, SRT_ERR_PARSE, NULL, NULL, 0, "distribution without low/high");
            goto cleanup;
        }
        out->log = cJSON_IsTrue(logv) || strcmp(n, "LogUniformDistribution") == 0 ||
                   strcmp(n, "IntLogUniformDistribution") == 0;
        if (cJSON_IsNumber(stepv))
            out->step = stepv->valuedouble;
        else if (strcmp(n, "DiscreteUniformDistribution") == 0)
            (void)get_num(attrs, "q", &out->step);
        if (is_int && !(out->step >= 1))
            out->step = 1;
    } else if (strcmp(n, "CategoricalDistribution") == 0) {
        const cJSON *ch = cJSON_GetObjectItemCaseSensitive(attrs, "choices");
        int nc = cJSON_GetArraySize(ch);
        if (!cJSON_IsArray(ch) || nc < 1) {
            rc = srt_err_set(err, SRT_ERR_PARSE, NULL, NULL, 0, "categorical without choices");
            goto cleanup;
        }
        out->kind = SRT_PARAM_CATEGORICAL;
        out->choices = calloc((size_t)nc, sizeof *out->choices);
        if (!out->choices) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
        out->n_choices = (size_t)nc;
        int i = 0;
        const cJSON *c;
        cJSON_ArrayForEach(c, ch)
        {
            srt_choice_t *o = &out->choices[i++];
            if (cJSON_IsString(c)) {
                o->kind = SRT_CHOICE_STRING;
                o->str = srt_strdup(c->valuestring);
                if (!o->str) {
                    rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
                    goto cleanup;
                }
            } else if (cJSON_IsBool(c)) {
                o->kind = SRT_CHOICE_BOOL;
                o->boolean = cJSON_IsTrue(c);
            } else if (cJSON_IsNumber(c)) {
                o->kind = SRT_CHOICE_NUMBER;
                o->num = c->valuedouble;
            } else {
                o->kind = SRT_CHOICE_NULL;
            }
        }
    } else {
        rc = srt_err_set(err, SRT_ERR_PARSE, NULL, NULL, 0, "unknown distribution class %s", n);
        goto cleanup;
    }
    out->distribution = srt_strdup(json);
    if (!out->distribution)
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
cleanup:
    cJSON_Delete(root);
    if (rc != SRT_OK)
        srt_param_fini(out);
    return rc;
}

static int choice_equal(const srt_choice_t *a, const srt_choice_t *b)
{
    /* Python: True == 1 and 1 == 1.0; None only equals None. */
    double x, y;
    if (a->kind == SRT_CHOICE_STRING || b->kind == SRT_CHOICE_STRING)
        return a->kind == b->kind && strcmp(a->str, b->str) == 0;
    if (a->kind == SRT_CHOICE_NULL || b->kind == SRT_CHOICE_NULL)
        return a->kind == b->kind;
    x = a->kind == SRT_CHOICE_BOOL ? a->boolean : a->num;
    y = b->kind == SRT_CHOICE_BOOL ? b->boolean : b->num;
    return x == y;
}

int srt_param_compatible(const srt_param_t *a, const srt_param_t *b)
{
    if (a->kind != b->kind)
        return 0;
    if (a->kind != SRT_PARAM_CATEGORICAL)
        return a->log == b->log;
    if (a->n_choices != b->n_choices)
        return 0;
    for (size_t i = 0; i < a->n_choices; i++)
        if (!choice_equal(&a->choices[i], &b->choices[i]))
            return 0;
    return 1;
}

int srt_param_contains(const srt_param_t *p, double v)
{
    if (!isfinite(v))
        return 0;
    if (p->kind == SRT_PARAM_CATEGORICAL)
        return v >= 0 && v < (double)p->n_choices && v == floor(v);
    if (v < p->low || v > p->high)
        return 0;
    if (p->step > 0) {
        double k = (v - p->low) / p->step;
        return fabs(k - round(k)) < 1e-8;
    }
    return 1;
}

/* ------------------------------------------------- transformed coordinates */

void srt__param_bounds(const srt_param_t *p, double *lo, double *hi)
{
    if (p->kind == SRT_PARAM_CATEGORICAL) {
        *lo = 0;
        *hi = (double)p->n_choices;
    } else if (p->log && p->kind == SRT_PARAM_INT) {
        *lo = log(p->low - 0.5);
        *hi = log(p->high + 0.5);
    } else if (p->log) {
        *lo = log(p->low);
        *hi = log(p->high);
    } else if (p->step > 0) {
        *lo = p->low - p->step / 2;
        *hi = p->high + p->step / 2;
    } else {
        *lo = p->low;
        *hi = p->high;
    }
}

double srt__param_snap(const srt_param_t *p, double x)
{
    if (p->kind == SRT_PARAM_CATEGORICAL) {
        x = round(x);
        if (x < 0)
            x = 0;
        if (x > (double)p->n_choices - 1)
            x = (double)p->n_choices - 1;
        return x;
    }
    if (p->kind == SRT_PARAM_INT && p->log)
        x = round(x);
    else if (p->step > 0)
        x = p->low + round((x - p->low) / p->step) * p->step;
    if (x < p->low)
        x = p->low;
    if (x > p->high)
        x = p->high;
    return x;
}

double srt__param_transform(const srt_param_t *p, double x)
{
    return p->log ? log(x) : x;
}

double srt__param_untransform(const srt_param_t *p, double y)
{
    return srt__param_snap(p, p->log ? exp(y) : y);
}
