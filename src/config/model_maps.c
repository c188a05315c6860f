/*
 * The structured SR options of the "model" section and of `srtune fit
 * --option` (docs/configuration.md, "Structured options"), in PySR 1.5.x's
 * forms written as JSON:
 *   complexity_of_operators  {"sin": 3, "/": 2}          operator -> number >= 0
 *   complexity_of_variables  2 or [1, 2, 1]              scalar, or one per feature
 *   constraints              {"sin": 5, "^": [-1, 1]}    unary -> int, binary -> [l, r]
 *   nested_constraints       {"sin": {"sin": 0, "cos": 1}} op -> {inner op -> int}
 * null (PySR's None) leaves an option unset. The scalar complexity_of_variables
 * goes through the option table; its list form is read here. Each value is
 * checked as PySR and SR.jl would (an arity-wrong form, a limit below -1, an
 * operator outside the operator lists) and refused naming the entry. Also
 * the options' JSON form for the effective config.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"
#include "config/model_maps.h"

static const char *const map_keys[] = {"complexity_of_operators", "constraints",
                                       "nested_constraints"};

int cfg_model_map_key(const char *name)
{
    for (size_t i = 0; i < sizeof map_keys / sizeof map_keys[0]; i++)
        if (!strcmp(name, map_keys[i]))
            return 1;
    return 0;
}

/* The first problem of a value: the key under the option ("sin",
 * "sin.cos", "[2]"), the JSON node, the message. */
typedef struct {
    char sub[160];
    const cJSON *at;
    char msg[384];
} map_err_t;

static int fail(map_err_t *pe, const cJSON *at, const char *sub, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int fail(map_err_t *pe, const cJSON *at, const char *sub, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pe->msg, sizeof pe->msg, fmt, ap);
    va_end(ap);
    snprintf(pe->sub, sizeof pe->sub, "%s", sub ? sub : "");
    pe->at = at;
    return 0;
}

static int in_lists(const srt_sr_options_t *o, srt_op_t op)
{
    for (int i = 0; i < o->n_binops; i++)
        if (o->binops[i] == (uint8_t)op)
            return 1;
    for (int i = 0; i < o->n_unaops; i++)
        if (o->unaops[i] == (uint8_t)op)
            return 1;
    return 0;
}

/* An operator key: known, and (when check_lists) in the operator lists. */
static int map_op(const srt_sr_options_t *o, const cJSON *c, const char *sub, int check_lists,
                  srt_op_t *op, map_err_t *pe)
{
    char msg[256];
    if (!cfg_check_op(c->string, 0, op, msg, sizeof msg))
        return fail(pe, c, sub, "%s", msg);
    if (check_lists && !in_lists(o, *op))
        return fail(pe, c, sub, "'%s' is not in %s (PySR would ignore it; srtune refuses it as "
                    "a likely mistake)",
                    c->string, srt_op_arity(*op) == 2 ? "binary_operators" : "unary_operators");
    return 1;
}

/* An integer limit >= -1. */
static int map_limit(const cJSON *v, const char *sub, const char *what, int32_t *out,
                     map_err_t *pe)
{
    char got[128];
    if (!cJSON_IsNumber(v) || !cfg_is_integer(v->valuedouble)) {
        cfg_describe_json(v, got, sizeof got);
        return fail(pe, v, sub, "%s must be an integer (-1: no limit), got %s", what, got);
    }
    if (v->valuedouble < -1 || v->valuedouble > 1e6)
        return fail(pe, v, sub, "%s must be -1 (no limit) or in [0, 1e6], got %.17g", what,
                    v->valuedouble);
    *out = (int32_t)v->valuedouble;
    return 1;
}

static int read_op_complexities(const srt_sr_options_t *o, const cJSON *v, int check_lists,
                                srt_sr_maps_t *m, map_err_t *pe)
{
    char got[128];
    for (const cJSON *c = v->child; c; c = c->next) {
        srt_op_t op;
        if (!map_op(o, c, c->string, check_lists, &op, pe))
            return 0;
        if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0 && c->valuedouble <= 1e6)) {
            cfg_describe_json(c, got, sizeof got);
            return fail(pe, c, c->string, "must be a number in [0, 1e6], got %s", got);
        }
        m->op_complexity_set[op] = 1;
        m->op_complexity[op] = c->valuedouble;
    }
    return 1;
}

static int read_constraints(const srt_sr_options_t *o, const cJSON *v, int check_lists,
                            srt_sr_maps_t *m, map_err_t *pe)
{
    char got[128];
    for (const cJSON *c = v->child; c; c = c->next) {
        srt_op_t op;
        if (!map_op(o, c, c->string, check_lists, &op, pe))
            return 0;
        int32_t lim[2] = {-1, -1};
        if (srt_op_arity(op) == 1) {
            if (!cJSON_IsNumber(c)) {
                cfg_describe_json(c, got, sizeof got);
                return fail(pe, c, c->string,
                            "'%s' is unary: its constraint is one integer (the max complexity "
                            "of its argument), got %s",
                            c->string, got);
            }
            if (!map_limit(c, c->string, "the limit", &lim[0], pe))
                return 0;
        } else {
            if (!cJSON_IsArray(c) || cJSON_GetArraySize(c) != 2) {
                cfg_describe_json(c, got, sizeof got);
                return fail(pe, c, c->string,
                            "'%s' is binary: its constraint is a pair [left, right] of max "
                            "complexities (PySR's tuple), got %s",
                            c->string, got);
            }
            if (!map_limit(c->child, c->string, "the left limit", &lim[0], pe) ||
                !map_limit(c->child->next, c->string, "the right limit", &lim[1], pe))
                return 0;
            /* PySR's _process_constraints raises NotImplementedError */
            if ((op == SRT_OP_ADD || op == SRT_OP_SUB) && lim[0] != lim[1])
                return fail(pe, c, c->string,
                            "'%s' needs equal limits on both sides (PySR refuses others, due "
                            "to simplification strategies), got [%ld, %ld]",
                            c->string, (long)lim[0], (long)lim[1]);
        }
        m->constraint_set[op] = 1;
        m->constraint[op][0] = lim[0];
        m->constraint[op][1] = lim[1];
    }
    return 1;
}

static int read_nested(const srt_sr_options_t *o, const cJSON *v, int check_lists,
                       srt_sr_maps_t *m, map_err_t *pe)
{
    char got[128], sub[160];
    for (const cJSON *c = v->child; c; c = c->next) {
        srt_op_t outer;
        if (!map_op(o, c, c->string, check_lists, &outer, pe))
            return 0;
        if (!cJSON_IsObject(c)) {
            cfg_describe_json(c, got, sizeof got);
            return fail(pe, c, c->string,
                        "must be an object of inner operator -> max nesting, got %s", got);
        }
        for (const cJSON *d = c->child; d; d = d->next) {
            snprintf(sub, sizeof sub, "%s.%s", c->string, d->string);
            srt_op_t inner;
            if (!map_op(o, d, sub, check_lists, &inner, pe))
                return 0;
            int32_t lim;
            if (!cJSON_IsNumber(d) || !cfg_is_integer(d->valuedouble) || d->valuedouble < -1 ||
                d->valuedouble > 1e6) {
                cfg_describe_json(d, got, sizeof got);
                return fail(pe, d, sub, "must be an integer >= -1 (SR.jl asserts it), got %s",
                            got);
            }
            lim = (int32_t)d->valuedouble;
            m->nested_set[outer][inner] = 1;
            m->nested[outer][inner] = lim;
        }
    }
    return 1;
}

static int read_var_list(const cJSON *v, srt_sr_maps_t *m, map_err_t *pe)
{
    char got[128], sub[32];
    int n = cJSON_GetArraySize(v);
    if (n < 1 || n > SRT_SR_MAX_VAR_COMPLEXITIES)
        return fail(pe, v, NULL, "must be a number or a list of 1 to %d numbers (one per "
                    "feature), got a list of %d",
                    SRT_SR_MAX_VAR_COMPLEXITIES, n);
    int i = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(sub, sizeof sub, "[%d]", i);
        if (!cJSON_IsNumber(c) || !(c->valuedouble >= 0 && c->valuedouble <= 1e6)) {
            cfg_describe_json(c, got, sizeof got);
            return fail(pe, c, sub, "must be a number in [0, 1e6], got %s", got);
        }
        m->var_complexity[i] = c->valuedouble;
    }
    m->n_var_complexity = (uint32_t)n;
    return 1;
}

/* Parses v for option name into o's maps (replacing what was there). 1 on
 * success; else *pe says why and o is unchanged. */
static int parse_value(srt_sr_options_t *o, const char *name, const cJSON *v, int check_lists,
                       map_err_t *pe)
{
    char got[128];
    srt_sr_maps_t m = o->maps;
    int ok = 1;
    if (!strcmp(name, "complexity_of_variables")) {
        memset(m.var_complexity, 0, sizeof m.var_complexity);
        m.n_var_complexity = 0;
        ok = read_var_list(v, &m, pe);
        if (ok)
            o->complexity_of_variables = 1.0;
    } else if (cJSON_IsNull(v) || cJSON_IsObject(v)) {
        if (!strcmp(name, "complexity_of_operators")) {
            memset(m.op_complexity_set, 0, sizeof m.op_complexity_set);
            memset(m.op_complexity, 0, sizeof m.op_complexity);
            ok = cJSON_IsNull(v) || read_op_complexities(o, v, check_lists, &m, pe);
        } else if (!strcmp(name, "constraints")) {
            memset(m.constraint_set, 0, sizeof m.constraint_set);
            memset(m.constraint, 0, sizeof m.constraint);
            ok = cJSON_IsNull(v) || read_constraints(o, v, check_lists, &m, pe);
        } else {
            memset(m.nested_set, 0, sizeof m.nested_set);
            memset(m.nested, 0, sizeof m.nested);
            ok = cJSON_IsNull(v) || read_nested(o, v, check_lists, &m, pe);
        }
    } else {
        cfg_describe_json(v, got, sizeof got);
        ok = fail(pe, v, NULL, "must be an object (JSON, PySR's dict) or null, got %s", got);
    }
    if (ok)
        o->maps = m;
    return ok;
}

int cfg_read_model_map(cfg_ctx_t *ctx, const cJSON *c)
{
    int list_var = !strcmp(c->string, "complexity_of_variables") && cJSON_IsArray(c);
    if (!list_var && !cfg_model_map_key(c->string))
        return 0;
    /* the operator lists may come later in the section: checked against
     * them in cfg_check_model_maps */
    map_err_t pe;
    memset(&pe, 0, sizeof pe);
    if (!parse_value(&ctx->cfg->model, c->string, c, 0, &pe)) {
        char key[400];
        snprintf(key, sizeof key, "model.%s%s%s", c->string,
                 pe.sub[0] && pe.sub[0] != '[' ? "." : "", pe.sub);
        cfg_error(ctx, pe.at ? pe.at : c, 0, key, "%s", pe.msg);
    }
    return 1;
}

void cfg_check_model_maps(cfg_ctx_t *ctx)
{
    if (!ctx->model)
        return;
    for (const cJSON *c = ctx->model->child; c; c = c->next) {
        if (!c->string || !cfg_model_map_key(c->string) || !cJSON_IsObject(c))
            continue;
        /* parse again, now against the operator lists, into a scratch copy */
        srt_sr_options_t tmp = ctx->cfg->model;
        map_err_t pe;
        memset(&pe, 0, sizeof pe);
        if (!parse_value(&tmp, c->string, c, 1, &pe) && strstr(pe.msg, " is not in ")) {
            char key[400];
            snprintf(key, sizeof key, "model.%s%s%s", c->string, pe.sub[0] ? "." : "", pe.sub);
            cfg_error(ctx, pe.at ? pe.at : c, 0, key, "%s", pe.msg);
        }
    }
    /* a per-feature list and a tuned scalar cannot both hold */
    const cJSON *list = cJSON_GetObjectItemCaseSensitive(ctx->model, "complexity_of_variables");
    const cJSON *tuned =
        ctx->space ? cJSON_GetObjectItemCaseSensitive(ctx->space, "complexity_of_variables") : NULL;
    if (cJSON_IsArray(list) && tuned)
        cfg_error(ctx, tuned, 0, "search_space.complexity_of_variables",
                  "cannot be tuned while model.complexity_of_variables is a per-feature list");
}

int cfg_parse_map_option(srt_sr_options_t *o, const char *name, const char *value, srt_rc *rc,
                         srt_err_t *err)
{
    int list_var = !strcmp(name, "complexity_of_variables") && value[0] == '[';
    if (!list_var && !cfg_model_map_key(name))
        return 0;
    cJSON *v = cJSON_Parse(value);
    if (!v && (!strcmp(value, "none") || !strcmp(value, "None")))
        v = cJSON_CreateNull();
    if (!v) {
        *rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, name, 0,
                          "expected JSON, e.g. %s, got '%s'",
                          !strcmp(name, "constraints")
                              ? "constraints='{\"sin\": 5, \"^\": [-1, 1]}'"
                          : !strcmp(name, "nested_constraints")
                              ? "nested_constraints='{\"sin\": {\"sin\": 0}}'"
                          : list_var ? "complexity_of_variables='[1, 2]'"
                                     : "complexity_of_operators='{\"sin\": 3}'",
                          value);
        return 1;
    }
    /* the operator lists may still change: the lists are checked once all
     * options are in (srt_sr_maps_check) */
    map_err_t pe;
    memset(&pe, 0, sizeof pe);
    if (!parse_value(o, name, v, 0, &pe)) {
        char key[400];
        snprintf(key, sizeof key, "%s%s%s", name, pe.sub[0] && pe.sub[0] != '[' ? "." : "",
                 pe.sub);
        *rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, key, 0, "%s", pe.msg);
    } else {
        *rc = SRT_OK;
    }
    cJSON_Delete(v);
    return 1;
}

/* ---- JSON form (effective config, run files) ---- */

cJSON *cfg_model_map_json(const srt_sr_options_t *o, const char *name)
{
    const srt_sr_maps_t *m = &o->maps;
    if (!strcmp(name, "complexity_of_variables")) {
        if (m->n_var_complexity == 0)
            return cJSON_CreateNumber(o->complexity_of_variables);
        cJSON *a = cJSON_CreateArray();
        for (uint32_t f = 0; a && f < m->n_var_complexity; f++)
            if (!cJSON_AddItemToArray(a, cJSON_CreateNumber(m->var_complexity[f]))) {
                cJSON_Delete(a);
                return NULL;
            }
        return a;
    }
    cJSON *obj = NULL;
    for (int op = 0; op < SRT_OP_COUNT; op++) {
        cJSON *item = NULL;
        if (!strcmp(name, "complexity_of_operators") && m->op_complexity_set[op]) {
            item = cJSON_CreateNumber(m->op_complexity[op]);
        } else if (!strcmp(name, "constraints") && m->constraint_set[op]) {
            item = srt_op_arity((srt_op_t)op) == 2
                       ? cJSON_CreateIntArray((const int[]){m->constraint[op][0],
                                                            m->constraint[op][1]},
                                              2)
                       : cJSON_CreateNumber(m->constraint[op][0]);
        } else if (!strcmp(name, "nested_constraints")) {
            for (int in = 0; in < SRT_OP_COUNT; in++) {
                if (!m->nested_set[op][in])
                    continue;
                if (!item && !(item = cJSON_CreateObject()))
                    break;
                cJSON_AddItemToObject(item, srt_op_name((srt_op_t)in),
                                      cJSON_CreateNumber(m->nested[op][in]));
            }
        }
        if (!item)
            continue;
        if (!obj && !(obj = cJSON_CreateObject())) {
            cJSON_Delete(item);
            return NULL;
        }
        if (!cJSON_AddItemToObject(obj, srt_op_name((srt_op_t)op), item)) {
            cJSON_Delete(item);
            cJSON_Delete(obj);
            return NULL;
        }
    }
    return obj ? obj : cJSON_CreateNull();
}

int cfg_model_maps_to_json(const srt_sr_options_t *o, cJSON *model)
{
    /* the list form replaces the scalar's entry (when not tuned, it is there) */
    if (o->maps.n_var_complexity > 0 &&
        cJSON_GetObjectItemCaseSensitive(model, "complexity_of_variables")) {
        cJSON *a = cfg_model_map_json(o, "complexity_of_variables");
        if (!a || !cJSON_ReplaceItemInObjectCaseSensitive(model, "complexity_of_variables", a)) {
            cJSON_Delete(a);
            return 0;
        }
    }
    for (size_t i = 0; i < sizeof map_keys / sizeof map_keys[0]; i++) {
        cJSON *item = cfg_model_map_json(o, map_keys[i]);
        if (!item || !cJSON_AddItemToObject(model, map_keys[i], item)) {
            cJSON_Delete(item);
            return 0;
        }
    }
    return 1;
}
