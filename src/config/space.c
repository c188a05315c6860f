/*
 * The "search_space" section: float, int, categorical and simplex parameters
 * (docs/study.md) over the SR options of SRT_SR_OPTION_LIST. Every bound must
 * lie inside the option's own bounds, so any sampled value is a valid option
 * value; Optuna's rules hold (log needs low > 0, log excludes a float step and
 * an int step other than 1). A parameter is fixed (model) or tuned
 * (search_space), never both, and tuned at most once (simplex keys included).
 * The parameters are kept sorted by name, so the file's key order never
 * changes the study.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "config/model_maps.h"

static const char *const types[] = {"float", "int", "categorical", "simplex"};
static const char *const keys_num[] = {"type", "low", "high", "log", "step"};
static const char *const keys_cat[] = {"type", "choices"};
static const char *const keys_simplex[] = {"type", "keys", "total"};
static const char *const all_keys[] = {"type", "low",     "high", "log",
                                       "step", "choices", "keys", "total"};

static const char *kind_word(srt_optkind_t k)
{
    return k == SRT_OPTKIND_INT ? "integer" : k == SRT_OPTKIND_BOOL ? "boolean" : "float";
}

static void param_fini(srt_config_param_t *p)
{
    free(p->name);
    for (size_t i = 0; i < p->n_choices; i++)
        free(p->choices[i].string);
    free(p->choices);
    free((void *)p->keys);
    memset(p, 0, sizeof *p);
}

void cfg_space_fini(srt_config_space_t *space)
{
    for (size_t i = 0; i < space->n; i++)
        param_fini(&space->params[i]);
    free(space->params);
    space->params = NULL;
    space->n = 0;
}

static size_t option_index(const srt_sr_option_info_t *info)
{
    return (size_t)(info - srt_sr_option_table(NULL));
}

/* Checks the keys of a parameter object against the keys of its type. */
static void check_keys(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey, int type)
{
    const char *const *allowed = type == 2 ? keys_cat : type == 3 ? keys_simplex : keys_num;
    size_t n_allowed = type == 2 ? 2 : type == 3 ? 3 : 5;
    char key[512];
    for (const cJSON *c = spec->child; c; c = c->next) {
        cfg_key(key, sizeof key, pkey, c->string);
        if (cfg_dup_check(ctx, c, key))
            continue;
        int ok = 0, other = 0;
        for (size_t i = 0; i < n_allowed; i++)
            ok |= strcmp(c->string, allowed[i]) == 0;
        for (size_t i = 0; i < 8; i++)
            other |= strcmp(c->string, all_keys[i]) == 0;
        if (ok)
            continue;
        if (type < 0) { /* the type is wrong: its keys cannot be judged */
            if (!other) {
                char hint[128];
                cfg_hint(c->string, all_keys, 8, hint, sizeof hint);
                cfg_error(ctx, c, 0, key, "unknown key%s", hint);
            }
            continue;
        }
        if (other) {
            char list[128] = "";
            for (size_t i = 1; i < n_allowed; i++) {
                size_t l = strlen(list);
                snprintf(list + l, sizeof list - l, "%s%s", i > 1 ? ", " : "", allowed[i]);
            }
            cfg_error(ctx, c, 0, key, "not a key of %s %s parameter (its keys: type, %s)",
                      type == 1 ? "an" : "a", types[type], list);
        } else {
            char hint[128];
            cfg_hint(c->string, allowed, n_allowed, hint, sizeof hint);
            cfg_error(ctx, c, 0, key, "unknown key%s", hint);
        }
    }
}

/* A number field: required (missing is an error) or optional. Returns 1 when
 * *out was set from a valid value. */
static int get_num(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey, const char *field,
                   int integer, int required, double *out, const cJSON **node)
{
    char key[512], got[128];
    cfg_key(key, sizeof key, pkey, field);
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, field);
    *node = v;
    if (!v) {
        if (required)
            cfg_error(ctx, spec, 1, key, "missing required key");
        return 0;
    }
    if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) ||
        (integer && !cfg_is_integer(v->valuedouble))) {
        cfg_describe_json(v, got, sizeof got);
        cfg_error(ctx, v, 0, key, "must be %s, got %s", integer ? "an integer" : "a number", got);
        return 0;
    }
    *out = v->valuedouble;
    return 1;
}

static void bound_error(cfg_ctx_t *ctx, const cJSON *v, const char *pkey, const char *field,
                        const srt_sr_option_info_t *info, double got)
{
    char key[512], lo[64], hi[64], g[64];
    cfg_key(key, sizeof key, pkey, field);
    cfg_fmt_num(srt_config_option_low(info), lo, sizeof lo);
    cfg_fmt_num(info->high, hi, sizeof hi);
    cfg_fmt_num(got, g, sizeof g);
    cfg_error(ctx, v, 0, key, "must be within the bounds of %s [%s, %s], got %s", info->name, lo,
              hi, g);
}

static int read_numeric(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey, int integer,
                        const srt_sr_option_info_t *info, srt_config_param_t *p)
{
    const cJSON *nlow, *nhigh, *nlog, *nstep;
    char key[512], got[128];
    int ok = get_num(ctx, spec, pkey, "low", integer, 1, &p->low, &nlow);
    ok &= get_num(ctx, spec, pkey, "high", integer, 1, &p->high, &nhigh);
    double info_low = srt_config_option_low(info);
    if (nlow && ok != 0 && (p->low < info_low || p->low > info->high)) {
        bound_error(ctx, nlow, pkey, "low", info, p->low);
        ok = 0;
    }
    if (nhigh && ok != 0 && (p->high < info_low || p->high > info->high)) {
        bound_error(ctx, nhigh, pkey, "high", info, p->high);
        ok = 0;
    }
    if (ok && p->low > p->high) {
        char a[32], b[32];
        cfg_fmt_num(p->low, a, sizeof a);
        cfg_fmt_num(p->high, b, sizeof b);
        cfg_error(ctx, nhigh, 0, pkey, "low (%s) must not be greater than high (%s)", a, b);
        ok = 0;
    }
    nlog = cJSON_GetObjectItemCaseSensitive(spec, "log");
    p->log = 0;
    if (nlog) {
        if (cJSON_IsBool(nlog)) {
            p->log = cJSON_IsTrue(nlog);
        } else {
            cfg_key(key, sizeof key, pkey, "log");
            cfg_describe_json(nlog, got, sizeof got);
            cfg_error(ctx, nlog, 0, key, "must be true or false, got %s", got);
            ok = 0;
        }
    }
    p->step = integer ? 1.0 : 0.0;
    nstep = cJSON_GetObjectItemCaseSensitive(spec, "step");
    cfg_key(key, sizeof key, pkey, "step");
    if (nstep && !cJSON_IsNull(nstep)) {
        int good = cJSON_IsNumber(nstep) && isfinite(nstep->valuedouble) &&
                   nstep->valuedouble > 0 && (!integer || cfg_is_integer(nstep->valuedouble));
        if (!good) {
            cfg_describe_json(nstep, got, sizeof got);
            cfg_error(ctx, nstep, 0, key, "must be %s or null, got %s",
                      integer ? "an integer >= 1" : "a number > 0", got);
            ok = 0;
        } else {
            p->step = nstep->valuedouble;
            if (p->log && (!integer || p->step != 1.0)) {
                cfg_error(ctx, nstep, 0, key,
                          "cannot be combined with \"log\": true (as in Optuna: %s)",
                          integer ? "a log int parameter has step 1" : "drop step or log");
                ok = 0;
            }
        }
    }
    if (ok && p->log && p->low <= 0) {
        char a[64];
        cfg_fmt_num(p->low, a, sizeof a);
        cfg_key(key, sizeof key, pkey, "low");
        cfg_error(ctx, nlow, 0, key, "must be > 0 when \"log\" is true, got %s", a);
        ok = 0;
    }
    if (ok && p->step > 0 && !p->log) {
        double r = (p->high - p->low) / p->step;
        if (fabs(r - round(r)) > 1e-9 * fmax(1.0, fabs(r))) {
            char a[32], b[32];
            cfg_fmt_num(p->high - p->low, a, sizeof a);
            cfg_fmt_num(p->step, b, sizeof b);
            cfg_error(ctx, nstep ? nstep : spec, 0, key,
                      "high - low (%s) must be a multiple of step (%s)", a, b);
            ok = 0;
        }
    }
    return ok;
}

static int same_choice(const srt_config_choice_t *a, const srt_config_choice_t *b)
{
    if (a->kind != b->kind)
        return 0;
    switch (a->kind) {
    case SRT_CONFIG_CHOICE_NULL:
        return 1;
    case SRT_CONFIG_CHOICE_BOOL:
        return a->boolean == b->boolean;
    case SRT_CONFIG_CHOICE_NUMBER:
        return a->number == b->number;
    default:
        return strcmp(a->string, b->string) == 0;
    }
}

static int read_categorical(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey,
                            const srt_sr_option_info_t *info, srt_config_param_t *p)
{
    char key[512], got[128], msg[512];
    cfg_key(key, sizeof key, pkey, "choices");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, "choices");
    if (!v) {
        cfg_error(ctx, spec, 1, key, "missing required key");
        return 0;
    }
    if (!cJSON_IsArray(v) || !v->child) {
        cfg_describe_json(v, got, sizeof got);
        cfg_error(ctx, v, 0, key, "must list at least one choice, got %s",
                  cJSON_IsArray(v) ? "an empty list" : got);
        return 0;
    }
    size_t n = (size_t)cJSON_GetArraySize(v);
    p->choices = calloc(n, sizeof *p->choices);
    if (!p->choices) {
        ctx->nomem = 1;
        return 0;
    }
    int ok = 1;
    size_t i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        char ikey[600];
        snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
        double d;
        if (!cfg_check_sr_value(info, c, &d, msg, sizeof msg)) {
            cfg_error(ctx, c, 0, ikey, "%s", msg);
            ok = 0;
            continue;
        }
        srt_config_choice_t ch = {SRT_CONFIG_CHOICE_NUMBER, 0, d, NULL};
        if (cJSON_IsNull(c))
            ch.kind = SRT_CONFIG_CHOICE_NULL, ch.number = 0;
        else if (cJSON_IsBool(c))
            ch.kind = SRT_CONFIG_CHOICE_BOOL, ch.boolean = cJSON_IsTrue(c), ch.number = 0;
        int dup = 0;
        for (size_t j = 0; j < p->n_choices; j++)
            dup |= same_choice(&p->choices[j], &ch);
        if (dup) {
            cfg_describe_json(c, got, sizeof got);
            cfg_error(ctx, c, 0, ikey, "duplicate choice %s", got);
            ok = 0;
            continue;
        }
        p->choices[p->n_choices++] = ch;
    }
    return ok;
}

static int read_simplex(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey, srt_config_param_t *p)
{
    char key[512], ikey[600], got[128], hint[128];
    int ok = 1;
    if (srt_sr_option_find(p->name)) {
        cfg_error(ctx, spec, 0, pkey,
                  "a simplex group needs a name of its own, but '%s' is an SR option", p->name);
        ok = 0;
    }
    cfg_key(key, sizeof key, pkey, "keys");
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(spec, "keys");
    if (!v) {
        cfg_error(ctx, spec, 1, key, "missing required key");
        ok = 0;
    } else if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) < 2) {
        cfg_describe_json(v, got, sizeof got);
        cfg_error(ctx, v, 0, key, "must list at least two SR options, got %s",
                  cJSON_IsArray(v) ? (v->child ? "one" : "an empty list") : got);
        ok = 0;
    } else {
        size_t n = (size_t)cJSON_GetArraySize(v), i = 0, n_opts = 0;
        const srt_sr_option_info_t *table = srt_sr_option_table(&n_opts);
        p->keys = calloc(n, sizeof *p->keys);
        if (!p->keys) {
            ctx->nomem = 1;
            return 0;
        }
        for (const cJSON *c = v->child; c; c = c->next, i++) {
            snprintf(ikey, sizeof ikey, "%s[%zu]", key, i);
            const srt_sr_option_info_t *info =
                cJSON_IsString(c) ? srt_sr_option_find(c->valuestring) : NULL;
            if (!cJSON_IsString(c)) {
                cfg_describe_json(c, got, sizeof got);
                cfg_error(ctx, c, 0, ikey, "must be the name of a float SR option, got %s", got);
            } else if (!info) {
                const char **cands = malloc(n_opts * sizeof *cands);
                size_t m = 0;
                for (size_t j = 0; cands && j < n_opts; j++)
                    if (table[j].kind == SRT_OPTKIND_FLOAT)
                        cands[m++] = table[j].name;
                cfg_hint(c->valuestring, cands, m, hint, sizeof hint);
                free(cands);
                cfg_error(ctx, c, 0, ikey, "unknown SR option '%s'%s", c->valuestring, hint);
            } else if (info->kind != SRT_OPTKIND_FLOAT) {
                cfg_error(ctx, c, 0, ikey, "'%s' is an %s option; a simplex holds float options",
                          info->name, kind_word(info->kind));
                info = NULL;
            } else if (ctx->model_set && ctx->model_set[option_index(info)]) {
                cfg_error(ctx, c, 0, ikey,
                          "'%s' is also fixed in model; a parameter is either fixed (model) or "
                          "tuned (search_space)",
                          info->name);
                info = NULL;
            } else {
                for (size_t j = 0; j < p->n_keys && info; j++)
                    if (p->keys[j] == info) {
                        cfg_error(ctx, c, 0, ikey, "'%s' is listed twice", info->name);
                        info = NULL;
                    }
            }
            if (!info) {
                ok = 0;
                continue;
            }
            p->keys[p->n_keys++] = info;
        }
    }
    const cJSON *ntotal;
    if (get_num(ctx, spec, pkey, "total", 0, 1, &p->total, &ntotal)) {
        cfg_key(key, sizeof key, pkey, "total");
        double cap = INFINITY;
        for (size_t j = 0; p->keys && j < p->n_keys; j++)
            if (p->keys[j])
                cap = fmin(cap, p->keys[j]->high);
        if (!(p->total > 0) || p->total > cap) {
            char a[32], b[32];
            cfg_fmt_num(p->total, a, sizeof a);
            cfg_fmt_num(cap, b, sizeof b);
            cfg_error(ctx, ntotal, 0, key, "must be a number in (0, %s], got %s", b, a);
            ok = 0;
        }
    } else {
        ok = 0;
    }
    return ok;
}

/* Reads one parameter; returns 1 when it is valid. */
static int read_param(cfg_ctx_t *ctx, const cJSON *spec, const char *pkey, srt_config_param_t *p)
{
    char key[512], got[128], hint[128];
    if (!cJSON_IsObject(spec)) {
        cfg_describe_json(spec, got, sizeof got);
        cfg_error(ctx, spec, 0, pkey,
                  "must be an object like {\"type\": \"float\", \"low\": 0.001, \"high\": 0.1}, "
                  "got %s",
                  got);
        return 0;
    }
    cfg_key(key, sizeof key, pkey, "type");
    const cJSON *t = cJSON_GetObjectItemCaseSensitive(spec, "type");
    int type = -1;
    if (!t) {
        cfg_error(ctx, spec, 1, key,
                  "missing required key (\"float\", \"int\", \"categorical\" or \"simplex\")");
    } else if (cJSON_IsString(t)) {
        for (int i = 0; i < 4; i++)
            if (strcmp(t->valuestring, types[i]) == 0)
                type = i;
        if (type < 0) {
            cfg_hint(t->valuestring, types, 4, hint, sizeof hint);
            cfg_error(ctx, t, 0, key,
                      "must be one of \"float\", \"int\", \"categorical\", \"simplex\", got "
                      "\"%s\"%s",
                      t->valuestring, hint);
        }
    } else {
        cfg_describe_json(t, got, sizeof got);
        cfg_error(ctx, t, 0, key,
                  "must be one of \"float\", \"int\", \"categorical\", \"simplex\", got %s", got);
    }
    check_keys(ctx, spec, pkey, type);
    if (type < 0)
        return 0;
    p->kind = (srt_config_param_kind_t)type;
    if (type == 3)
        return read_simplex(ctx, spec, pkey, p);

    const srt_sr_option_info_t *info = srt_sr_option_find(p->name);
    if (!strcmp(p->name, "binary_operators") || !strcmp(p->name, "unary_operators") ||
        !strcmp(p->name, "preset") || cfg_model_map_key(p->name)) {
        cfg_error(ctx, spec, 0, pkey, "cannot be tuned; set it in model.%s", p->name);
        return 0;
    }
    if (!info) {
        size_t n_opts = 0;
        const srt_sr_option_info_t *table = srt_sr_option_table(&n_opts);
        const char **cands = malloc(n_opts * sizeof *cands);
        for (size_t j = 0; cands && j < n_opts; j++)
            cands[j] = table[j].name;
        cfg_hint(p->name, cands, cands ? n_opts : 0, hint, sizeof hint);
        free(cands);
        cfg_error(ctx, spec, 0, pkey, "unknown SR option%s", hint);
        return 0;
    }
    p->option = info;
    if (ctx->model_set && ctx->model_set[option_index(info)]) {
        cfg_error(ctx, spec, 0, pkey,
                  "also fixed in model.%s; a parameter is either fixed (model) or tuned "
                  "(search_space)",
                  info->name);
        return 0;
    }
    int allowed =
        type == 2 ||
        (type == 0 && (info->kind == SRT_OPTKIND_FLOAT || info->kind == SRT_OPTKIND_OPTFLOAT)) ||
        (type == 1 && info->kind == SRT_OPTKIND_INT && strcmp(info->name, "precision") != 0);
    if (!allowed) {
        const char *use = strcmp(info->name, "precision") == 0 ? "\"categorical\" (32 or 64)"
                          : info->kind == SRT_OPTKIND_INT    ? "\"int\" or \"categorical\""
                          : info->kind == SRT_OPTKIND_BOOL ? "\"categorical\""
                                                           : "\"float\" or \"categorical\"";
        cfg_error(ctx, t, 0, key, "must be %s for the %s option %s, got \"%s\"", use,
                  kind_word(info->kind), info->name, types[type]);
        return 0;
    }
    if (type == 2)
        return read_categorical(ctx, spec, pkey, info, p);
    return read_numeric(ctx, spec, pkey, type == 1, info, p);
}

static int cmp_param(const void *a, const void *b)
{
    const srt_config_param_t *x = a, *y = b;
    return strcmp(x->name, y->name);
}

/* Tuned at most once: a parameter's option and every simplex key. */
static void check_tuned_once(cfg_ctx_t *ctx, const cJSON *const *nodes)
{
    srt_config_space_t *s = &ctx->cfg->space;
    size_t n_opts = 0;
    (void)srt_sr_option_table(&n_opts);
    const char **owner = calloc(n_opts, sizeof *owner);
    if (!owner) {
        ctx->nomem = 1;
        return;
    }
    char key[600];
    for (size_t i = 0; i < s->n; i++) {
        srt_config_param_t *p = &s->params[i];
        if (p->option) {
            owner[option_index(p->option)] = p->name;
            continue;
        }
    }
    for (size_t i = 0; i < s->n; i++) {
        srt_config_param_t *p = &s->params[i];
        for (size_t k = 0; k < p->n_keys; k++) {
            size_t oi = option_index(p->keys[k]);
            if (owner[oi]) {
                const cJSON *keys = cJSON_GetObjectItemCaseSensitive(nodes[i], "keys");
                snprintf(key, sizeof key, "search_space.%s.keys[%zu]", p->name, k);
                cfg_error(ctx, keys ? cJSON_GetArrayItem(keys, (int)k) : nodes[i], 0, key,
                          "'%s' is already tuned by search_space.%s", p->keys[k]->name, owner[oi]);
            } else {
                owner[oi] = p->name;
            }
        }
    }
    free(owner);
}

void cfg_read_space(cfg_ctx_t *ctx)
{
    srt_config_space_t *s = &ctx->cfg->space;
    const cJSON **nodes = NULL;
    if (!ctx->space)
        return;
    size_t n = (size_t)cJSON_GetArraySize(ctx->space);
    if (n == 0)
        return;
    s->params = calloc(n, sizeof *s->params);
    nodes = calloc(n, sizeof *nodes);
    if (!s->params || !nodes) {
        ctx->nomem = 1;
        goto cleanup;
    }
    char pkey[512];
    for (const cJSON *c = ctx->space->child; c; c = c->next) {
        cfg_key(pkey, sizeof pkey, "search_space", c->string);
        if (cfg_dup_check(ctx, c, pkey))
            continue;
        srt_config_param_t *p = &s->params[s->n];
        p->name = srt_strdup(c->string);
        if (!p->name) {
            ctx->nomem = 1;
            goto cleanup;
        }
        if (read_param(ctx, c, pkey, p)) {
            nodes[s->n++] = c;
        } else {
            param_fini(p);
        }
    }
    check_tuned_once(ctx, nodes);
    if (ctx->cfg->study.sampler.kind == SRT_SAMPLER_GRID) {
        for (size_t i = 0; i < s->n; i++) {
            const srt_config_param_t *p = &s->params[i];
            if (p->kind == SRT_CONFIG_PARAM_SIMPLEX ||
                (p->kind == SRT_CONFIG_PARAM_FLOAT && p->step <= 0)) {
                snprintf(pkey, sizeof pkey, "search_space.%s", p->name);
                cfg_error(ctx, nodes[i], 0, pkey, "the grid sampler needs a finite grid: %s",
                          p->kind == SRT_CONFIG_PARAM_SIMPLEX ? "a simplex group has none"
                                                              : "give a step or use a categorical");
            }
        }
    }
    qsort(s->params, s->n, sizeof *s->params, cmp_param);
cleanup:
    free((void *)nodes);
}
