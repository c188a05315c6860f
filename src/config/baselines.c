/*
 * study.baselines: trials that run before any sampled one, with the tuned
 * options at a known configuration's values and the fixed model options as
 * they are. An entry is a preset name ("pysr-1", "pysr-0": PySR's defaults)
 * or an option map ({"name": "mine", "parsimony": 0.001}; tuned options it
 * leaves out keep the model's value). Each baseline is resolved here, once
 * the search space is known, to Optuna's enqueue_trial form: fixed_params,
 * the external value of every tuned parameter. A value the search space
 * cannot hold is an error naming the baseline, the key and the range: the
 * trial would otherwise have to run outside the space (Optuna would warn and
 * TPE would model a value it cannot sample).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "config/config_int.h"

void cfg_baselines_fini(srt_config_study_t *study)
{
    for (size_t i = 0; i < study->n_baselines; i++) {
        free(study->baselines[i].name);
        free(study->baselines[i].spec);
        free(study->baselines[i].fixed_params);
    }
    free(study->baselines);
    study->baselines = NULL;
    study->n_baselines = 0;
}

cJSON *cfg_baselines_to_json(const srt_config_study_t *study)
{
    cJSON *a = cJSON_CreateArray();
    for (size_t i = 0; a && i < study->n_baselines; i++) {
        cJSON *v = cJSON_Parse(study->baselines[i].spec);
        if (!v || !cJSON_AddItemToArray(a, v)) {
            cJSON_Delete(v);
            cJSON_Delete(a);
            return NULL;
        }
    }
    return a;
}

/* A baseline's name reaches trials.csv and status lines unquoted. */
static int name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 60)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
              *s == '.' || *s == '_' || *s == '-'))
            return 0;
    return 1;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* "a log range [1e-05, 0.1]", "one of [true, false]" */
static void describe_param(const srt_config_param_t *p, char *buf, size_t size)
{
    char lo[32], hi[32];
    if (p->kind == SRT_CONFIG_PARAM_CATEGORICAL) {
        size_t o = (size_t)snprintf(buf, size, "one of [");
        for (size_t i = 0; i < p->n_choices && o < size; i++) {
            const srt_config_choice_t *c = &p->choices[i];
            char v[64];
            if (c->kind == SRT_CONFIG_CHOICE_BOOL)
                snprintf(v, sizeof v, "%s", c->boolean ? "true" : "false");
            else if (c->kind == SRT_CONFIG_CHOICE_NUMBER)
                cfg_fmt_num(c->number, v, sizeof v);
            else if (c->kind == SRT_CONFIG_CHOICE_STRING)
                snprintf(v, sizeof v, "\"%s\"", c->string);
            else
                snprintf(v, sizeof v, "null");
            o += (size_t)snprintf(buf + o, size - o, "%s%s", i ? ", " : "", v);
        }
        if (o < size)
            snprintf(buf + o, size - o, "]");
        return;
    }
    cfg_fmt_num(p->low, lo, sizeof lo);
    cfg_fmt_num(p->high, hi, sizeof hi);
    int in = p->kind == SRT_CONFIG_PARAM_INT;
    snprintf(buf, size, "%s%s range [%s, %s]", p->log ? "a log " : in ? "an " : "a ",
             in ? "integer" : "float", lo, hi);
}

/* The parameter's external value for an SR option value v (a double, as the
 * option table holds it), or NULL when the space cannot hold it. */
static cJSON *external_value(const srt_config_param_t *p, double v)
{
    if (p->kind == SRT_CONFIG_PARAM_CATEGORICAL) {
        for (size_t i = 0; i < p->n_choices; i++) {
            const srt_config_choice_t *c = &p->choices[i];
            if (c->kind == SRT_CONFIG_CHOICE_BOOL && (double)c->boolean == v)
                return cJSON_CreateBool(c->boolean);
            if (c->kind == SRT_CONFIG_CHOICE_NUMBER && c->number == v)
                return cJSON_CreateNumber(c->number);
        }
        return NULL;
    }
    if (!(v >= p->low && v <= p->high))
        return NULL;
    if (p->kind == SRT_CONFIG_PARAM_INT && (v != floor(v) ||
                                            fmod(v - p->low, p->step > 0 ? p->step : 1) != 0))
        return NULL;
    if (p->kind == SRT_CONFIG_PARAM_FLOAT && p->step > 0) {
        double k = (v - p->low) / p->step;
        if (fabs(k - round(k)) > 1e-9)
            return NULL;
    }
    return cJSON_CreateNumber(v);
}

/* Resolves one entry into b; records errors at node e. */
static void resolve(cfg_ctx_t *ctx, const cJSON *e, size_t k, srt_config_baseline_t *b)
{
    srt_config_t *cfg = ctx->cfg;
    char key[96], got[128], want[256];
    snprintf(key, sizeof key, "study.baselines[%zu]", k);
    srt_sr_options_t values = cfg->model; /* tuned options hold the preset's defaults */
    cJSON *spec = NULL, *fixed = cJSON_CreateObject();
    char name[64];
    if (!fixed) {
        ctx->nomem = 1;
        return;
    }
    if (cJSON_IsString(e)) {
        srt_sr_preset_t preset;
        if (srt_sr_preset_lookup(e->valuestring, &preset) != SRT_OK) {
            snprintf(got, sizeof got, "\"%.60s\"", e->valuestring);
            cfg_error(ctx, e, 0, key, "must be a preset (\"pysr-1\", \"pysr-0\") or an option "
                                      "map, got %s", got);
            goto cleanup;
        }
        srt_sr_options_default(&values, preset);
        snprintf(name, sizeof name, "%s", preset == SRT_SR_PRESET_PYSR0 ? "pysr-0" : "pysr-1");
        spec = cJSON_CreateString(name);
    } else if (cJSON_IsObject(e)) {
        snprintf(name, sizeof name, "baseline-%zu", k);
        spec = cJSON_CreateObject();
        size_t n = 0;
        for (const cJSON *c = e->child; c; c = c->next)
            n++;
        const char **keys = calloc(n ? n : 1, sizeof *keys);
        if (!spec || !keys) {
            free(keys);
            ctx->nomem = 1;
            goto cleanup;
        }
        n = 0;
        for (const cJSON *c = e->child; c; c = c->next)
            keys[n++] = c->string;
        qsort(keys, n, sizeof *keys, cmp_str);
        for (size_t i = 0; i < n; i++) {
            const cJSON *c = cJSON_GetObjectItemCaseSensitive(e, keys[i]);
            char ck[192];
            cfg_key(ck, sizeof ck, key, keys[i]);
            if (cfg_dup_check(ctx, c, ck))
                continue;
            if (!cJSON_AddItemToObject(spec, keys[i], cJSON_Duplicate(c, 1))) {
                ctx->nomem = 1;
                continue;
            }
            if (strcmp(keys[i], "name") == 0) {
                if (!cJSON_IsString(c) || !name_ok(c->valuestring)) {
                    cfg_describe_json(c, got, sizeof got);
                    cfg_error(ctx, c, 0, ck, "must be 1-60 letters, digits, '.', '_' or '-', "
                                             "got %s", got);
                } else {
                    snprintf(name, sizeof name, "%s", c->valuestring);
                }
                continue;
            }
            long at = -1;
            for (size_t j = 0; j < cfg->space.n; j++)
                if (strcmp(cfg->space.params[j].name, keys[i]) == 0)
                    at = (long)j;
            if (at < 0 || cfg->space.params[at].kind == SRT_CONFIG_PARAM_SIMPLEX) {
                cfg_error(ctx, c, 0, ck,
                          "%s: a baseline sets tuned options only (search_space); fixed ones "
                          "come from the model section",
                          srt_sr_option_find(keys[i]) ? "not a tuned option" : "unknown option");
                continue;
            }
            const srt_config_param_t *p = &cfg->space.params[at];
            double v;
            if (!cfg_check_sr_value(p->option, c, &v, want, sizeof want)) {
                cfg_error(ctx, c, 0, ck, "%s", want);
                continue;
            }
            srt_sr_option_set(&values, p->option, v);
        }
        free(keys);
    } else {
        cfg_describe_json(e, got, sizeof got);
        cfg_error(ctx, e, 0, key, "must be a preset (\"pysr-1\", \"pysr-0\") or an option map, "
                                  "got %s", got);
        goto cleanup;
    }
    if (!spec) {
        ctx->nomem = 1;
        goto cleanup;
    }
    for (size_t j = 0; j < cfg->space.n; j++) {
        const srt_config_param_t *p = &cfg->space.params[j];
        if (p->kind == SRT_CONFIG_PARAM_SIMPLEX) {
            cfg_error(ctx, e, 0, key,
                      "baselines are not supported with the simplex group %s in the search "
                      "space (yet)", p->name);
            goto cleanup;
        }
        double v = srt_sr_option_get(&values, p->option);
        cJSON *x = external_value(p, v);
        if (!x) {
            cfg_fmt_num(v, got, sizeof got);
            describe_param(p, want, sizeof want);
            cfg_error(ctx, e, 0, key,
                      "%s: %s = %s is outside search_space.%s (%s); widen the range, or "
                      "leave %s out of the search space to keep it fixed",
                      name, p->name, got, p->name, want, p->name);
            continue;
        }
        if (!cJSON_AddItemToObject(fixed, p->name, x))
            ctx->nomem = 1;
    }
    for (size_t i = 0; i < k; i++)
        if (ctx->cfg->study.baselines[i].name &&
            strcmp(ctx->cfg->study.baselines[i].name, name) == 0)
            cfg_error(ctx, e, 0, key, "the name %s is taken by study.baselines[%zu]", name, i);
    b->name = srt_strdup(name);
    b->spec = cJSON_PrintUnformatted(spec);
    b->fixed_params = cJSON_PrintUnformatted(fixed);
    if (!b->name || !b->spec || !b->fixed_params)
        ctx->nomem = 1;
cleanup:
    cJSON_Delete(spec);
    cJSON_Delete(fixed);
}

void cfg_read_baselines(cfg_ctx_t *ctx)
{
    const cJSON *list =
        ctx->study ? cJSON_GetObjectItemCaseSensitive(ctx->study, "baselines") : NULL;
    srt_config_study_t *st = &ctx->cfg->study;
    char got[128];
    if (!list)
        return;
    if (!cJSON_IsArray(list)) {
        cfg_describe_json(list, got, sizeof got);
        cfg_error(ctx, list, 0, "study.baselines",
                  "must be a list of presets and option maps, got %s", got);
        return;
    }
    size_t n = (size_t)cJSON_GetArraySize(list);
    if (n == 0)
        return;
    if (ctx->cfg->space.n == 0) {
        cfg_error(ctx, list, 0, "study.baselines",
                  "needs a search space: a baseline gives values to the tuned options");
        return;
    }
    if ((long)n > st->n_trials) {
        cfg_error(ctx, list, 0, "study.baselines",
                  "%zu baselines but study.n_trials is %ld: baselines count toward n_trials", n,
                  st->n_trials);
        return;
    }
    st->baselines = calloc(n, sizeof *st->baselines);
    if (!st->baselines) {
        ctx->nomem = 1;
        return;
    }
    st->n_baselines = n;
    size_t k = 0;
    for (const cJSON *e = list->child; e; e = e->next, k++)
        resolve(ctx, e, k, &st->baselines[k]);
}
