/*
 * Journal codec: encodes the ten journal operations as JSON lines with
 * Optuna's field names (built with cJSON) and formats numbers and datetimes
 * the way Python does; lines are read back by journal_scan.c.
 *
 * Invariants: every encoded line is one JSON object followed by exactly one
 * '\n' and contains no other newline (cJSON's unformatted print escapes them);
 * distributions are written as JSON strings, as Optuna 3.1 expects.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <time.h>

#include "study_int.h"

const char *srt_json_number(double v, char *buf, size_t size)
{
    if (isnan(v)) {
        snprintf(buf, size, "NaN");
        return buf;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "Infinity" : "-Infinity");
        return buf;
    }
    /* shortest round-trip digits, then Python's repr layout */
    char tmp[40];
    int prec;
    for (prec = 1; prec <= 17; prec++) {
        snprintf(tmp, sizeof tmp, "%.*e", prec - 1, v);
        if (strtod(tmp, NULL) == v)
            break;
    }
    char digits[24];
    size_t nd = 0;
    const char *c = tmp;
    int neg = *c == '-';
    if (neg)
        c++;
    for (; *c && *c != 'e'; c++)
        if (*c >= '0' && *c <= '9' && nd + 1 < sizeof digits)
            digits[nd++] = *c;
    digits[nd] = '\0';
    while (nd > 1 && digits[nd - 1] == '0')
        digits[--nd] = '\0';
    int exp = *c == 'e' ? atoi(c + 1) : 0;
    char out[64];
    size_t o = 0;
    if (neg)
        out[o++] = '-';
    if (exp >= -4 && exp < 16) {
        if (exp >= 0) {
            for (int i = 0; i <= exp; i++)
                out[o++] = (size_t)i < nd ? digits[i] : '0';
            out[o++] = '.';
            if ((size_t)exp + 1 < nd)
                for (size_t i = (size_t)exp + 1; i < nd; i++)
                    out[o++] = digits[i];
            else
                out[o++] = '0';
        } else {
            out[o++] = '0';
            out[o++] = '.';
            for (int i = 0; i < -exp - 1; i++)
                out[o++] = '0';
            for (size_t i = 0; i < nd; i++)
                out[o++] = digits[i];
        }
        out[o] = '\0';
    } else {
        out[o++] = digits[0];
        if (nd > 1) {
            out[o++] = '.';
            for (size_t i = 1; i < nd; i++)
                out[o++] = digits[i];
        }
        snprintf(out + o, sizeof out - o, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    snprintf(buf, size, "%s", out);
    return buf;
}

const char *srt_iso_now(char *buf, size_t size)
{
    struct timeval tv;
    struct tm tm;
    char when[32];
    gettimeofday(&tv, NULL);
    time_t sec = tv.tv_sec;
    localtime_r(&sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    snprintf(buf, size, "%s.%06ld", when, (long)tv.tv_usec);
    return buf;
}

cJSON *srt__json_num(double v)
{
    char buf[40];
    return cJSON_CreateRaw(srt_json_number(v, buf, sizeof buf));
}

static cJSON *json_long(long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%ld", v);
    return cJSON_CreateRaw(buf);
}

char *srt__json_print(const cJSON *item)
{
    char *t = cJSON_PrintUnformatted(item);
    char *copy = srt_strdup(t);
    cJSON_free(t);
    return copy;
}

/* ------------------------------------------------------------------ batch */

void srt_journal_batch_init(srt_journal_batch_t *b)
{
    memset(b, 0, sizeof *b);
}

void srt_journal_batch_fini(srt_journal_batch_t *b)
{
    if (!b)
        return;
    free(b->buf);
    memset(b, 0, sizeof *b);
}

void srt_journal_batch_reset(srt_journal_batch_t *b)
{
    b->len = 0;
    b->n_lines = 0;
}

srt_rc srt_journal_batch_append(srt_journal_batch_t *dst, const srt_journal_batch_t *src)
{
    if (src->len == 0)
        return SRT_OK;
    if (srt__grow((void **)&dst->buf, &dst->cap, dst->len + src->len + 1, 1) != 0)
        return SRT_ERR_NOMEM;
    memcpy(dst->buf + dst->len, src->buf, src->len);
    dst->len += src->len;
    dst->buf[dst->len] = '\0';
    dst->n_lines += src->n_lines;
    return SRT_OK;
}

/* Prints obj as one line into the batch and frees obj. */
static srt_rc emit(srt_journal_batch_t *b, cJSON *obj)
{
    srt_rc rc = SRT_OK;
    char *text = obj ? cJSON_PrintUnformatted(obj) : NULL;
    if (!text) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    size_t n = strlen(text);
    if (srt__grow((void **)&b->buf, &b->cap, b->len + n + 2, 1) != 0) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    memcpy(b->buf + b->len, text, n);
    b->len += n;
    b->buf[b->len++] = '\n';
    b->buf[b->len] = '\0';
    b->n_lines++;
cleanup:
    cJSON_free(text);
    cJSON_Delete(obj);
    return rc;
}

static cJSON *op_base(int op, const char *worker)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    cJSON_AddItemToObject(o, "op_code", json_long(op));
    cJSON_AddItemToObject(o, "worker_id", cJSON_CreateString(worker));
    return o;
}

/* Adds {key: parsed json} as field name of o; -1 if json is invalid. */
static int add_attr_obj(cJSON *o, const char *field, const char *key, const char *json)
{
    cJSON *v = json ? cJSON_Parse(json) : NULL;
    if (!v)
        return -1;
    cJSON *m = cJSON_CreateObject();
    if (!m) {
        cJSON_Delete(v);
        return -1;
    }
    cJSON_AddItemToObject(m, key, v);
    cJSON_AddItemToObject(o, field, m);
    return 0;
}

srt_rc srt_journal_op_create_study(srt_journal_batch_t *b, const char *worker, const char *name,
                                   const int *directions, size_t n_directions)
{
    cJSON *o = op_base(0, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "study_name", cJSON_CreateString(name));
    cJSON *d = cJSON_AddArrayToObject(o, "directions");
    for (size_t i = 0; i < n_directions; i++)
        cJSON_AddItemToArray(d, json_long(directions[i]));
    return emit(b, o);
}

srt_rc srt_journal_op_delete_study(srt_journal_batch_t *b, const char *worker, int study_id)
{
    cJSON *o = op_base(1, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "study_id", json_long(study_id));
    return emit(b, o);
}

srt_rc srt_journal_op_set_study_attr(srt_journal_batch_t *b, const char *worker, int study_id,
                                     int system, const char *key, const char *json)
{
    cJSON *o = op_base(system ? 3 : 2, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "study_id", json_long(study_id));
    if (add_attr_obj(o, system ? "system_attr" : "user_attr", key, json) != 0) {
        cJSON_Delete(o);
        return SRT_ERR_INVALID;
    }
    return emit(b, o);
}

srt_rc srt_journal_op_create_trial(srt_journal_batch_t *b, const char *worker, int study_id)
{
    char now[40];
    cJSON *o = op_base(4, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "study_id", json_long(study_id));
    cJSON_AddItemToObject(o, "datetime_start", cJSON_CreateString(srt_iso_now(now, sizeof now)));
    return emit(b, o);
}

static int is_finished(srt_trial_state_t s)
{
    return s == SRT_TRIAL_STATE_COMPLETE || s == SRT_TRIAL_STATE_PRUNED ||
           s == SRT_TRIAL_STATE_FAIL;
}

static int add_attrs(cJSON *o, const char *field, const srt_attr_t *a, size_t n)
{
    cJSON *m = cJSON_AddObjectToObject(o, field);
    if (!m)
        return -1;
    for (size_t i = 0; i < n; i++) {
        cJSON *v = cJSON_Parse(a[i].json);
        if (!v)
            return -1;
        cJSON_AddItemToObject(m, a[i].key, v);
    }
    return 0;
}

srt_rc srt_journal_op_create_trial_template(srt_journal_batch_t *b, const char *worker,
                                            int study_id, const srt_trial_template_t *t)
{
    char now[40];
    cJSON *o = op_base(4, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "study_id", json_long(study_id));
    srt_iso_now(now, sizeof now);
    if (t->state == SRT_TRIAL_STATE_WAITING)
        cJSON_AddNullToObject(o, "datetime_start");
    else
        cJSON_AddItemToObject(o, "datetime_start", cJSON_CreateString(now));
    cJSON_AddItemToObject(o, "state", json_long((long)t->state));
    if (t->n_values == 1) {
        cJSON_AddItemToObject(o, "value", srt__json_num(t->values[0]));
        cJSON_AddNullToObject(o, "values");
    } else if (t->n_values > 1) {
        cJSON_AddNullToObject(o, "value");
        cJSON *v = cJSON_AddArrayToObject(o, "values");
        for (size_t i = 0; i < t->n_values; i++)
            cJSON_AddItemToArray(v, srt__json_num(t->values[i]));
    } else {
        cJSON_AddNullToObject(o, "value");
        cJSON_AddNullToObject(o, "values");
    }
    if (is_finished(t->state))
        cJSON_AddItemToObject(o, "datetime_complete", cJSON_CreateString(now));
    cJSON *d = cJSON_AddObjectToObject(o, "distributions");
    cJSON *p = cJSON_AddObjectToObject(o, "params");
    for (size_t i = 0; i < t->n_params; i++) {
        cJSON_AddItemToObject(d, t->params[i].name, cJSON_CreateString(t->params[i].distribution));
        cJSON_AddItemToObject(p, t->params[i].name, srt__json_num(t->params[i].internal));
    }
    if (add_attrs(o, "user_attrs", t->user_attrs, t->n_user_attrs) != 0 ||
        add_attrs(o, "system_attrs", t->system_attrs, t->n_system_attrs) != 0) {
        cJSON_Delete(o);
        return SRT_ERR_INVALID;
    }
    cJSON *iv = cJSON_AddObjectToObject(o, "intermediate_values");
    for (size_t i = 0; i < t->n_intermediate; i++) {
        char k[32];
        snprintf(k, sizeof k, "%ld", t->intermediate[i].step);
        cJSON_AddItemToObject(iv, k, srt__json_num(t->intermediate[i].value));
    }
    return emit(b, o);
}

srt_rc srt_journal_op_set_param(srt_journal_batch_t *b, const char *worker, long trial_id,
                                const char *name, double internal, const char *distribution)
{
    cJSON *o = op_base(5, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "trial_id", json_long(trial_id));
    cJSON_AddItemToObject(o, "param_name", cJSON_CreateString(name));
    cJSON_AddItemToObject(o, "param_value_internal", srt__json_num(internal));
    cJSON_AddItemToObject(o, "distribution", cJSON_CreateString(distribution));
    return emit(b, o);
}

srt_rc srt_journal_op_set_state(srt_journal_batch_t *b, const char *worker, long trial_id,
                                srt_trial_state_t state, const double *values, size_t n_values)
{
    char now[40];
    cJSON *o = op_base(6, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "trial_id", json_long(trial_id));
    cJSON_AddItemToObject(o, "state", json_long((long)state));
    if (values && n_values) {
        cJSON *v = cJSON_AddArrayToObject(o, "values");
        for (size_t i = 0; i < n_values; i++)
            cJSON_AddItemToArray(v, srt__json_num(values[i]));
    } else {
        cJSON_AddNullToObject(o, "values");
    }
    if (state == SRT_TRIAL_STATE_RUNNING)
        cJSON_AddItemToObject(o, "datetime_start",
                              cJSON_CreateString(srt_iso_now(now, sizeof now)));
    else if (is_finished(state))
        cJSON_AddItemToObject(o, "datetime_complete",
                              cJSON_CreateString(srt_iso_now(now, sizeof now)));
    return emit(b, o);
}

srt_rc srt_journal_op_set_intermediate(srt_journal_batch_t *b, const char *worker, long trial_id,
                                       long step, double value)
{
    cJSON *o = op_base(7, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "trial_id", json_long(trial_id));
    cJSON_AddItemToObject(o, "step", json_long(step));
    cJSON_AddItemToObject(o, "intermediate_value", srt__json_num(value));
    return emit(b, o);
}

srt_rc srt_journal_op_set_trial_attr(srt_journal_batch_t *b, const char *worker, long trial_id,
                                     int system, const char *key, const char *json)
{
    cJSON *o = op_base(system ? 9 : 8, worker);
    if (!o)
        return SRT_ERR_NOMEM;
    cJSON_AddItemToObject(o, "trial_id", json_long(trial_id));
    if (add_attr_obj(o, system ? "system_attr" : "user_attr", key, json) != 0) {
        cJSON_Delete(o);
        return SRT_ERR_INVALID;
    }
    return emit(b, o);
}
