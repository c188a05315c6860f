/*
 * The structured SR options as text: JSON (run.json, `srtune best --format
 * json`), Python (PySRRegressor keywords: dicts, tuples for the binary
 * constraints) and Julia (SymbolicRegression.Options keywords: vectors of
 * pairs, the constraints as SR.jl receives them from PySR).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/sr.h"

typedef struct {
    char *p;
    size_t len, cap;
    int failed;
} text_t;

static void put(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(text_t *t, const char *fmt, ...)
{
    if (t->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return;
        }
        if (t->p && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return;
        }
        size_t cap = t->cap ? t->cap : 128;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *np = realloc(t->p, cap);
        if (!np) {
            t->failed = 1;
            return;
        }
        t->p = np;
        t->cap = cap;
    }
}

/* A number: integers without a fraction, others in the shortest round trip. */
static void put_num(text_t *t, double v)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        put(t, "%.0f", v);
        return;
    }
    char buf[40];
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    put(t, "%s", buf);
}

/* An operator as a key: "sin" (JSON, Python) or (sin) (Julia). */
static void put_op(text_t *t, int op, srt_sr_maps_style_t style)
{
    if (style == SRT_SR_MAPS_JULIA)
        put(t, "(%s)", srt_op_name((srt_op_t)op));
    else
        put(t, "\"%s\"", srt_op_name((srt_op_t)op));
}

static const char *open_of(srt_sr_maps_style_t style)
{
    return style == SRT_SR_MAPS_JULIA ? "[" : "{";
}
static const char *close_of(srt_sr_maps_style_t style)
{
    return style == SRT_SR_MAPS_JULIA ? "]" : "}";
}
static const char *arrow_of(srt_sr_maps_style_t style)
{
    return style == SRT_SR_MAPS_JULIA ? " => " : ": ";
}

char *srt_sr_maps_format(const srt_sr_options_t *o, const char *name, srt_sr_maps_style_t style)
{
    const srt_sr_maps_t *m = &o->maps;
    text_t t = {0};
    int any = 0;
    if (!strcmp(name, "complexity_of_variables")) {
        if (m->n_var_complexity == 0)
            return NULL;
        put(&t, "[");
        for (uint32_t f = 0; f < m->n_var_complexity; f++) {
            put(&t, f ? ", " : "");
            put_num(&t, m->var_complexity[f]);
        }
        put(&t, "]");
        any = 1;
    } else if (!strcmp(name, "complexity_of_operators")) {
        put(&t, "%s", open_of(style));
        for (int op = 0; op < SRT_OP_COUNT; op++) {
            if (!m->op_complexity_set[op])
                continue;
            put(&t, any++ ? ", " : "");
            put_op(&t, op, style);
            put(&t, "%s", arrow_of(style));
            put_num(&t, m->op_complexity[op]);
        }
        put(&t, "%s", close_of(style));
    } else if (!strcmp(name, "constraints")) {
        put(&t, "%s", open_of(style));
        for (int op = 0; op < SRT_OP_COUNT; op++) {
            if (!m->constraint_set[op])
                continue;
            int32_t lim[2] = {m->constraint[op][0], m->constraint[op][1]};
            if (style == SRT_SR_MAPS_JULIA)
                srt_sr_maps_constraint(o, (srt_op_t)op, lim); /* what SR.jl gets from PySR */
            put(&t, any++ ? ", " : "");
            put_op(&t, op, style);
            put(&t, "%s", arrow_of(style));
            if (srt_op_arity((srt_op_t)op) == 2)
                put(&t, style == SRT_SR_MAPS_JSON ? "[%ld, %ld]" : "(%ld, %ld)", (long)lim[0],
                    (long)lim[1]);
            else
                put(&t, "%ld", (long)lim[0]);
        }
        put(&t, "%s", close_of(style));
    } else if (!strcmp(name, "nested_constraints")) {
        put(&t, "%s", open_of(style));
        for (int op = 0; op < SRT_OP_COUNT; op++) {
            int inner_any = 0;
            for (int in = 0; in < SRT_OP_COUNT; in++) {
                if (!m->nested_set[op][in])
                    continue;
                if (!inner_any++) {
                    put(&t, any++ ? ", " : "");
                    put_op(&t, op, style);
                    put(&t, "%s%s", arrow_of(style), open_of(style));
                } else {
                    put(&t, ", ");
                }
                put_op(&t, in, style);
                put(&t, "%s%ld", arrow_of(style), (long)m->nested[op][in]);
            }
            if (inner_any)
                put(&t, "%s", close_of(style));
        }
        put(&t, "%s", close_of(style));
    } else {
        return NULL;
    }
    if (t.failed || !any) {
        free(t.p);
        return NULL;
    }
    return t.p;
}
