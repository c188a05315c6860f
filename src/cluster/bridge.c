/* Config search space <-> study search space: see bridge.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/bridge.h"

srt_rc srt_bridge_init(srt_bridge_t *b, const srt_config_space_t *cs, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_choice_t *choices = NULL;
    const char **keys = NULL;
    memset(b, 0, sizeof *b);
    b->cs = cs;
    b->space = srt_space_create();
    b->index = calloc(cs->n ? cs->n : 1, sizeof *b->index);
    if (!b->space || !b->index) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < cs->n && rc == SRT_OK; i++) {
        const srt_config_param_t *p = &cs->params[i];
        b->index[i] = (long)b->space->n_params;
        switch (p->kind) {
        case SRT_CONFIG_PARAM_FLOAT:
            rc = srt_space_add_float(b->space, p->name, p->low, p->high, p->log, p->step, err);
            break;
        case SRT_CONFIG_PARAM_INT:
            rc = srt_space_add_int(b->space, p->name, (long)p->low, (long)p->high, p->log,
                                   p->step >= 1 ? (long)p->step : 1, err);
            break;
        case SRT_CONFIG_PARAM_CATEGORICAL:
            free(choices);
            choices = calloc(p->n_choices, sizeof *choices);
            if (!choices) {
                rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
                break;
            }
            for (size_t c = 0; c < p->n_choices; c++) {
                const srt_config_choice_t *in = &p->choices[c];
                switch (in->kind) {
                case SRT_CONFIG_CHOICE_NULL: choices[c].kind = SRT_CHOICE_NULL; break;
                case SRT_CONFIG_CHOICE_BOOL:
                    choices[c].kind = SRT_CHOICE_BOOL;
                    choices[c].boolean = in->boolean;
                    break;
                case SRT_CONFIG_CHOICE_NUMBER:
                    choices[c].kind = SRT_CHOICE_NUMBER;
                    choices[c].num = in->number;
                    break;
                case SRT_CONFIG_CHOICE_STRING:
                    choices[c].kind = SRT_CHOICE_STRING;
                    choices[c].str = in->string; /* borrowed: the space copies it */
                    break;
                }
            }
            rc = srt_space_add_categorical(b->space, p->name, choices, p->n_choices, err);
            break;
        case SRT_CONFIG_PARAM_SIMPLEX:
            free(keys);
            keys = calloc(p->n_keys, sizeof *keys);
            if (!keys) {
                rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
                break;
            }
            for (size_t k = 0; k < p->n_keys; k++)
                keys[k] = p->keys[k]->name;
            b->index[i] = (long)b->space->n_groups;
            rc = srt_space_add_simplex(b->space, p->name, keys, p->n_keys, p->total, err);
            break;
        }
    }
cleanup:
    free(choices);
    free((void *)keys);
    if (rc != SRT_OK)
        srt_bridge_fini(b);
    return rc;
}

void srt_bridge_fini(srt_bridge_t *b)
{
    if (!b)
        return;
    srt_space_destroy(&b->space);
    free(b->index);
    memset(b, 0, sizeof *b);
}

static srt_rc add_param(srt_msg_work_t *work, const char *name, double value, srt_err_t *err)
{
    if (work->n_params >= SRT_MSG_MAX_PARAMS)
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "search_space", 0,
                           "more than %d tuned SR options", SRT_MSG_MAX_PARAMS);
    srt_msg_param_t *p = &work->params[work->n_params++];
    snprintf(p->name, sizeof p->name, "%s", name);
    p->value = value;
    return SRT_OK;
}

srt_rc srt_bridge_params(const srt_bridge_t *b, const double *x, srt_msg_work_t *work,
                         srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    work->n_params = 0;
    for (size_t i = 0; i < b->cs->n && rc == SRT_OK; i++) {
        const srt_config_param_t *p = &b->cs->params[i];
        long j = b->index[i];
        if (p->kind == SRT_CONFIG_PARAM_SIMPLEX) {
            const srt_simplex_t *g = &b->space->groups[j];
            double w[64];
            if (g->k > 64)
                return srt_err_set(err, SRT_ERR_CONFIG, NULL, p->name, 0, "too many weights");
            for (size_t k = 0; k < g->k - 1; k++)
                if (isnan(x[g->first_param + k]))
                    return srt_err_set(err, SRT_ERR_DATA, NULL, p->name, 0, "value missing");
            srt_space_simplex_weights(b->space, (size_t)j, x, w);
            for (size_t k = 0; k < g->k && rc == SRT_OK; k++)
                rc = add_param(work, g->keys[k], w[k], err);
            continue;
        }
        double v = x[j];
        if (isnan(v))
            return srt_err_set(err, SRT_ERR_DATA, NULL, p->name, 0, "value missing");
        if (p->kind == SRT_CONFIG_PARAM_CATEGORICAL) {
            size_t c = (size_t)v;
            if (v < 0 || c >= p->n_choices)
                return srt_err_set(err, SRT_ERR_DATA, NULL, p->name, 0,
                                   "choice index %g out of range", v);
            const srt_config_choice_t *ch = &p->choices[c];
            if (ch->kind == SRT_CONFIG_CHOICE_BOOL)
                v = ch->boolean;
            else if (ch->kind == SRT_CONFIG_CHOICE_NUMBER)
                v = ch->number;
            else
                return srt_err_set(err, SRT_ERR_DATA, NULL, p->name, 0,
                                   "choice %zu is not a number or boolean", c);
        }
        rc = add_param(work, p->name, v, err);
    }
    return rc;
}

void srt_bridge_trial_x(const srt_bridge_t *b, const srt_trial_t *t, double *x)
{
    for (size_t i = 0; i < b->space->n_params; i++) {
        const srt_trial_param_t *p = srt_trial_param(t, b->space->params[i].name);
        x[i] = p ? p->internal : NAN;
    }
}
