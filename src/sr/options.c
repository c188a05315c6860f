/*
 * The SR option table, generated from SRT_SR_OPTION_LIST, and the PySR presets.
 */
#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/sr.h"

static const srt_sr_option_info_t option_table[] = {
#define SRT_SR_OPT_ROW_(name, kind, ctype, d1, d0, lo, hi, help)                                   \
    {#name, kind, (double)(d1), (double)(d0), (double)(lo), (double)(hi), help,                   \
     offsetof(srt_sr_options_t, name)},
    SRT_SR_OPTION_LIST(SRT_SR_OPT_ROW_)
#undef SRT_SR_OPT_ROW_
};

const srt_sr_option_info_t *srt_sr_option_table(size_t *count)
{
    if (count)
        *count = sizeof option_table / sizeof option_table[0];
    return option_table;
}

const srt_sr_option_info_t *srt_sr_option_find(const char *name)
{
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++)
        if (strcmp(option_table[i].name, name) == 0)
            return &option_table[i];
    return NULL;
}

void srt_sr_option_set(srt_sr_options_t *o, const srt_sr_option_info_t *info, double v)
{
    char *base = (char *)o + info->offset;
    switch (info->kind) {
    case SRT_OPTKIND_INT: {
        long l = (long)v;
        memcpy(base, &l, sizeof l);
        break;
    }
    case SRT_OPTKIND_BOOL: {
        int b = v != 0.0;
        memcpy(base, &b, sizeof b);
        break;
    }
    default:
        memcpy(base, &v, sizeof v);
        break;
    }
}

double srt_sr_option_get(const srt_sr_options_t *o, const srt_sr_option_info_t *info)
{
    const char *base = (const char *)o + info->offset;
    switch (info->kind) {
    case SRT_OPTKIND_INT: {
        long l;
        memcpy(&l, base, sizeof l);
        return (double)l;
    }
    case SRT_OPTKIND_BOOL: {
        int b;
        memcpy(&b, base, sizeof b);
        return (double)b;
    }
    default: {
        double d;
        memcpy(&d, base, sizeof d);
        return d;
    }
    }
}

srt_rc srt_sr_preset_lookup(const char *name, srt_sr_preset_t *out)
{
    if (!name)
        return SRT_ERR_NOTFOUND;
    if (!strcmp(name, "pysr-1") || !strcmp(name, "pysr1") || !strcmp(name, "1")) {
        *out = SRT_SR_PRESET_PYSR1;
        return SRT_OK;
    }
    if (!strcmp(name, "pysr-0") || !strcmp(name, "pysr0") || !strcmp(name, "0")) {
        *out = SRT_SR_PRESET_PYSR0;
        return SRT_OK;
    }
    return SRT_ERR_NOTFOUND;
}

void srt_sr_options_default(srt_sr_options_t *o, srt_sr_preset_t preset)
{
    memset(o, 0, sizeof *o);
    for (size_t i = 0; i < sizeof option_table / sizeof option_table[0]; i++) {
        const srt_sr_option_info_t *info = &option_table[i];
        srt_sr_option_set(o, info,
                          preset == SRT_SR_PRESET_PYSR0 ? info->def_pysr0 : info->def_pysr1);
    }
    o->n_binops = 4;
    o->binops[0] = SRT_OP_ADD;
    o->binops[1] = SRT_OP_SUB;
    o->binops[2] = SRT_OP_MUL;
    o->binops[3] = SRT_OP_DIV;
    o->n_unaops = 0;
}

/* ---- checking and parsing (srtune fit --option, run.json) ---- */

srt_rc srt_sr_options_check(const srt_sr_options_t *o, srt_err_t *err)
{
    size_t n;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    for (size_t i = 0; i < n; i++) {
        double v = srt_sr_option_get(o, &t[i]);
        if (t[i].kind == SRT_OPTKIND_OPTFLOAT && isnan(v))
            continue;
        if (!(v >= t[i].low && v <= t[i].high))
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, t[i].name, 0,
                               "%s = %g is outside [%g, %g]", t[i].name, v, t[i].low, t[i].high);
    }
    if (o->precision != 32 && o->precision != 64)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "precision", 0,
                           "precision = %ld: must be 32 or 64", o->precision);
    if (o->n_binops < 1 || o->n_binops > SRT_SR_MAX_BINOPS)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "binary_operators", 0,
                           "binary_operators: need 1 to %d operators", SRT_SR_MAX_BINOPS);
    if (o->n_unaops < 0 || o->n_unaops > SRT_SR_MAX_UNAOPS)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "unary_operators", 0,
                           "unary_operators: at most %d operators", SRT_SR_MAX_UNAOPS);
    for (int i = 0; i < o->n_binops; i++)
        if (srt_op_arity((srt_op_t)o->binops[i]) != 2)
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, "binary_operators", 0,
                               "binary_operators: '%s' is not a binary operator",
                               srt_op_name((srt_op_t)o->binops[i]));
    for (int i = 0; i < o->n_unaops; i++)
        if (srt_op_arity((srt_op_t)o->unaops[i]) != 1)
            return srt_err_set(err, SRT_ERR_CONFIG, NULL, "unary_operators", 0,
                               "unary_operators: '%s' is not a unary operator",
                               srt_op_name((srt_op_t)o->unaops[i]));
    return srt_sr_maps_check(o, 0, err);
}
