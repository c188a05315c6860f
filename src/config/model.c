/*
 * The "model" section (fixed SR options, validated by SRT_SR_OPTION_LIST's
 * table), the operator lists, the cross-option constraints, and
 * srt_config_parse_sr_option, which applies the same checks to a command-line
 * "name=value" so that `srtune fit --option` and the config cannot disagree.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "config/model_maps.h"

static const char *const extra_keys[] = {"preset", "binary_operators", "unary_operators"};

static void option_hint(const char *name, int with_extra, char *hint, size_t size)
{
    size_t n_opts = 0;
    const srt_sr_option_info_t *table = srt_sr_option_table(&n_opts);
    const char **cands = malloc((n_opts + 3) * sizeof *cands);
    if (!cands) {
        hint[0] = '\0';
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < n_opts; i++)
        cands[n++] = table[i].name;
    for (size_t i = 0; with_extra && i < 3; i++)
        cands[n++] = extra_keys[i];
    cfg_hint(name, cands, n, hint, size);
    free(cands);
}

static size_t option_index(const srt_sr_option_info_t *info)
{
    const srt_sr_option_info_t *table = srt_sr_option_table(NULL);
    return (size_t)(info - table);
}

/* Reads an operator list (JSON) of the given arity into ops/n. */
static void read_ops(cfg_ctx_t *ctx, const cJSON *v, int arity, const char *key, uint8_t *ops,
                     int *n, int max)
{
    char got[128], ikey[300], msg[768];
    if (!cJSON_IsArray(v)) {
        cfg_describe_json(v, got, sizeof got);
        cfg_error(ctx, v, 0, key, "must be a list of operator names, got %s", got);
        return;
    }
    int count = 0, i = 0;
    uint8_t tmp[SRT_OP_COUNT];
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(ikey, sizeof ikey, "%s[%d]", key, i);
        srt_op_t op;
        if (!cJSON_IsString(c)) {
            cfg_describe_json(c, got, sizeof got);
            cfg_error(ctx, c, 0, ikey, "must be an operator name, got %s", got);
            continue;
        }
        if (!cfg_check_op(c->valuestring, arity, &op, msg, sizeof msg)) {
            cfg_error(ctx, c, 0, ikey, "%s", msg);
            continue;
        }
        int dup = 0;
        for (int j = 0; j < count; j++)
            dup |= tmp[j] == (uint8_t)op;
        if (dup) {
            cfg_error(ctx, c, 0, ikey, "'%s' is listed twice", c->valuestring);
            continue;
        }
        if (count >= max) {
            cfg_error(ctx, c, 0, ikey, "at most %d operators are supported", max);
            continue;
        }
        tmp[count++] = (uint8_t)op;
    }
    if (arity == 2 && count == 0 && i == 0) {
        cfg_error(ctx, v, 0, key, "must list at least one binary operator, got an empty list");
        return;
    }
    memcpy(ops, tmp, (size_t)count);
    *n = count;
}

void cfg_read_model(cfg_ctx_t *ctx)
{
    srt_config_t *cfg = ctx->cfg;
    size_t n_opts = 0;
    (void)srt_sr_option_table(&n_opts);
    ctx->model_set = calloc(n_opts, 1);
    if (!ctx->model_set) {
        ctx->nomem = 1;
        return;
    }
    cfg->preset = SRT_SR_PRESET_PYSR1;
    const cJSON *preset =
        ctx->model ? cJSON_GetObjectItemCaseSensitive(ctx->model, "preset") : NULL;
    if (preset) {
        static const char *const names[] = {"pysr-1", "pysr-0"};
        if (!cJSON_IsString(preset) || srt_sr_preset_lookup(preset->valuestring, &cfg->preset)) {
            char got[128], hint[128] = "";
            cfg_describe_json(preset, got, sizeof got);
            if (cJSON_IsString(preset)) {
                snprintf(got, sizeof got, "\"%.100s\"", preset->valuestring);
                cfg_hint(preset->valuestring, names, 2, hint, sizeof hint);
            }
            cfg_error(ctx, preset, 0, "model.preset",
                      "must be one of \"pysr-1\" (PySR 1.x defaults), \"pysr-0\" (PySR 0.x "
                      "defaults), got %s%s",
                      got, hint);
        }
    }
    srt_sr_options_default(&cfg->model, cfg->preset);
    if (!ctx->model)
        return;

    char key[300], msg[512];
    for (const cJSON *c = ctx->model->child; c; c = c->next) {
        cfg_key(key, sizeof key, "model", c->string);
        if (cfg_dup_check(ctx, c, key) || strcmp(c->string, "preset") == 0)
            continue;
        if (strcmp(c->string, "binary_operators") == 0) {
            read_ops(ctx, c, 2, key, cfg->model.binops, &cfg->model.n_binops, SRT_SR_MAX_BINOPS);
            continue;
        }
        if (strcmp(c->string, "unary_operators") == 0) {
            read_ops(ctx, c, 1, key, cfg->model.unaops, &cfg->model.n_unaops, SRT_SR_MAX_UNAOPS);
            continue;
        }
        if (cfg_read_model_map(ctx, c))
            continue;
        const srt_sr_option_info_t *info = srt_sr_option_find(c->string);
        if (!info) {
            char hint[128];
            option_hint(c->string, 1, hint, sizeof hint);
            cfg_error(ctx, c, 0, key, "unknown key%s", hint);
            continue;
        }
        double v;
        if (!cfg_check_sr_value(info, c, &v, msg, sizeof msg)) {
            cfg_error(ctx, c, 0, key, "%s", msg);
            continue;
        }
        srt_sr_option_set(&cfg->model, info, v);
        ctx->model_set[option_index(info)] = 1;
    }
    cfg_check_model_maps(ctx);
}

/* Smallest and largest value a parameter can take; 0 when it is not a numeric one. */
static int param_range(const srt_config_param_t *p, double *lo, double *hi)
{
    if (p->kind == SRT_CONFIG_PARAM_FLOAT || p->kind == SRT_CONFIG_PARAM_INT) {
        *lo = p->low;
        *hi = p->high;
        return 1;
    }
    if (p->kind != SRT_CONFIG_PARAM_CATEGORICAL || p->n_choices == 0)
        return 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < p->n_choices; i++) {
        if (p->choices[i].kind != SRT_CONFIG_CHOICE_NUMBER)
            return 0;
        *lo = fmin(*lo, p->choices[i].number);
        *hi = fmax(*hi, p->choices[i].number);
    }
    return 1;
}

static const srt_config_param_t *tuned(const srt_config_t *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->space.n; i++)
        if (cfg->space.params[i].option && strcmp(cfg->space.params[i].name, name) == 0)
            return &cfg->space.params[i];
    return NULL;
}

static const cJSON *space_node(const cfg_ctx_t *ctx, const char *name, const char *field)
{
    const cJSON *p = ctx->space ? cJSON_GetObjectItemCaseSensitive(ctx->space, name) : NULL;
    const cJSON *f = p ? cJSON_GetObjectItemCaseSensitive(p, field) : NULL;
    return f ? f : p;
}

/* A rule "small < big" (strict) or "small <= big" between two SR options, each
 * fixed in model or tuned in search_space: refused when some trial could break
 * it, naming the key to change (both keys when both are tuned). */
static void check_pair(cfg_ctx_t *ctx, const char *small, const char *big, int strict,
                       const char *why, const char *why_pair)
{
    const srt_config_t *cfg = ctx->cfg;
    const srt_sr_option_info_t *is = srt_sr_option_find(small), *ib = srt_sr_option_find(big);
    const srt_config_param_t *ts = tuned(cfg, small), *tb = tuned(cfg, big);
    double s_lo = srt_sr_option_get(&cfg->model, is), s_hi = s_lo;
    double b_lo = srt_sr_option_get(&cfg->model, ib), b_hi = b_lo;
    if ((ts && !param_range(ts, &s_lo, &s_hi)) || (tb && !param_range(tb, &b_lo, &b_hi)))
        return;
    if (strict ? s_hi < b_lo : s_hi <= b_lo)
        return;
    const char *rel = strict ? "less than" : "at most";
    const char *rel_big = strict ? "greater than" : "at least";
    char a[32], b[32], key[300];
    cfg_fmt_num(s_hi, a, sizeof a);
    cfg_fmt_num(b_lo, b, sizeof b);
    int scat = ts && ts->kind == SRT_CONFIG_PARAM_CATEGORICAL;
    int bcat = tb && tb->kind == SRT_CONFIG_PARAM_CATEGORICAL;
    if (!ts && !tb) {
        int s_set = ctx->model_set[option_index(is)];
        const cJSON *at = cJSON_GetObjectItemCaseSensitive(ctx->model, s_set ? small : big);
        if (s_set) {
            snprintf(key, sizeof key, "model.%s", small);
            cfg_error(ctx, at, 0, key, "must be %s %s (%s), got %s%s", rel, big, b, a, why);
        } else {
            snprintf(key, sizeof key, "model.%s", big);
            cfg_error(ctx, at, 0, key, "must be %s %s (%s), got %s%s", rel_big, small, a, b, why);
        }
    } else if (tb && !ts) {
        snprintf(key, sizeof key, "search_space.%s.%s", big, bcat ? "choices" : "low");
        cfg_error(ctx, space_node(ctx, big, bcat ? "choices" : "low"), 0, key,
                  "must be %s %s (%s), got %s%s", rel_big, small, a, b, why);
    } else if (ts && !tb) {
        snprintf(key, sizeof key, "search_space.%s.%s", small, scat ? "choices" : "high");
        cfg_error(ctx, space_node(ctx, small, scat ? "choices" : "high"), 0, key,
                  "must be %s %s (%s), got %s%s", rel, big, b, a, why);
    } else {
        /* both tuned: refuse a space in which some trial would break the rule,
         * rather than capping in the engine (docs/pysr.md) */
        snprintf(key, sizeof key, "search_space.%s.%s", small, scat ? "choices" : "high");
        cfg_error(ctx, space_node(ctx, small, scat ? "choices" : "high"), 0, key,
                  "must be %s search_space.%s.%s (%s), got %s: a trial could sample %s = %s "
                  "with %s = %s%s",
                  rel, big, bcat ? "choices" : "low", b, a, small, a, big, b, why_pair);
    }
}

void cfg_check_model_constraints(cfg_ctx_t *ctx)
{
    /* SR.jl asserts tournament_selection_n < population_size in Options (PySR
     * 1.5.x raises for >); a tournament draws that many distinct members. */
    if (!ctx->nomem)
        check_pair(ctx, "tournament_selection_n", "population_size", 1, "",
                   ", which PySR and SymbolicRegression.jl refuse");
    /* SR.jl's best_sub_pop takes best_idx[1:topn] of each population: a topn
     * above population_size is a BoundsError in PySR's run. */
    if (!ctx->nomem)
        check_pair(ctx, "topn", "population_size", 0,
                   " (SymbolicRegression.jl's best_sub_pop takes the topn best members of a "
                   "population)",
                   ", which SymbolicRegression.jl's best_sub_pop cannot take");
}

int srt_config_uses_timeout(const srt_config_t *cfg)
{
    if (!cfg)
        return 0;
    if (!isnan(cfg->model.timeout_in_seconds))
        return 1;
    return tuned(cfg, "timeout_in_seconds") != NULL;
}

/* ------------------------------------------------ command-line options */

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        s[--n] = '\0';
    return s;
}

static srt_rc parse_op_list(srt_sr_options_t *o, const char *name, char *value, srt_err_t *err)
{
    int arity = strcmp(name, "binary_operators") == 0 ? 2 : 1;
    uint8_t ops[SRT_OP_COUNT];
    int n = 0, max = arity == 2 ? SRT_SR_MAX_BINOPS : SRT_SR_MAX_UNAOPS;
    char msg[768];
    char *save = NULL;
    for (char *t = strtok_r(value, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        t = trim(t);
        if (!*t)
            continue;
        srt_op_t op;
        if (!cfg_check_op(t, arity, &op, msg, sizeof msg))
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "%s", msg);
        for (int j = 0; j < n; j++)
            if (ops[j] == (uint8_t)op)
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "'%s' is listed twice", t);
        if (n >= max)
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                               "at most %d operators are supported", max);
        ops[n++] = (uint8_t)op;
    }
    if (arity == 2 && n == 0)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                           "must list at least one binary operator, got an empty list");
    if (arity == 2) {
        memcpy(o->binops, ops, (size_t)n);
        o->n_binops = n;
    } else {
        memcpy(o->unaops, ops, (size_t)n);
        o->n_unaops = n;
    }
    return SRT_OK;
}

/* A cJSON value for a command-line word: true/false, null/none, a number, else a string. */
static cJSON *value_from_text(const char *s)
{
    if (!strcmp(s, "true") || !strcmp(s, "True"))
        return cJSON_CreateTrue();
    if (!strcmp(s, "false") || !strcmp(s, "False"))
        return cJSON_CreateFalse();
    if (!strcmp(s, "null") || !strcmp(s, "none") || !strcmp(s, "None"))
        return cJSON_CreateNull();
    char *end = NULL;
    errno = 0;
    double d = strtod(s, &end);
    if (*s && end && *end == '\0')
        return cJSON_CreateNumber(d);
    return cJSON_CreateString(s);
}

srt_rc srt_config_parse_sr_option(srt_sr_options_t *o, const char *assignment, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *copy = srt_strdup(assignment ? assignment : "");
    cJSON *v = NULL;
    if (!copy)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    char *eq = strchr(copy, '=');
    if (!eq) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                         "expected an SR option as name=value (e.g. maxsize=20), got '%s'", copy);
        goto cleanup;
    }
    *eq = '\0';
    char *name = trim(copy), *value = trim(eq + 1);
    if (!strcmp(name, "binary_operators") || !strcmp(name, "unary_operators")) {
        rc = parse_op_list(o, name, value, err);
        goto cleanup;
    }
    if (cfg_parse_map_option(o, name, value, &rc, err))
        goto cleanup;
    const srt_sr_option_info_t *info = srt_sr_option_find(name);
    if (!info) {
        char hint[128];
        option_hint(name, 0, hint, sizeof hint);
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "unknown SR option%s", hint);
        goto cleanup;
    }
    v = value_from_text(value);
    if (!v) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    double d;
    char msg[512];
    if (!cfg_check_sr_value(info, v, &d, msg, sizeof msg)) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0, "%s", msg);
        goto cleanup;
    }
    srt_sr_option_set(o, info, d);
cleanup:
    cJSON_Delete(v);
    free(copy);
    return rc;
}

srt_rc srt_config_check_pysr(const srt_sr_options_t *o, srt_err_t *err)
{
    srt_rc mrc = srt_sr_maps_check(o, 0, err); /* structured options vs the operator lists */
    if (mrc != SRT_OK)
        return mrc;
    if (o->maxsize < 7)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "maxsize", 0,
                           "must be at least 7 (PySR 1.5.x requires it), got %ld", o->maxsize);
    if (o->tournament_selection_n >= o->population_size)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "tournament_selection_n", 0,
                           "must be less than population_size (%ld), got %ld (PySR and "
                           "SymbolicRegression.jl refuse it)",
                           o->population_size, o->tournament_selection_n);
    if (o->topn > o->population_size)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "topn", 0,
                           "must be at most population_size (%ld), got %ld "
                           "(SymbolicRegression.jl's best_sub_pop takes the topn best members "
                           "of a population)",
                           o->population_size, o->topn);
    return SRT_OK;
}
