/* Report data from a study view: see report_data.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_data.h"
#include "cluster/progress.h"

/* Label of a categorical choice as the config wrote it. */
static char *choice_label(const srt_config_choice_t *c)
{
    char buf[64];
    switch (c->kind) {
    case SRT_CONFIG_CHOICE_BOOL:
        return srt_strdup(c->boolean ? "true" : "false");
    case SRT_CONFIG_CHOICE_NUMBER:
        snprintf(buf, sizeof buf, "%g", c->number);
        return srt_strdup(buf);
    case SRT_CONFIG_CHOICE_STRING:
        return srt_strdup(c->string ? c->string : "");
    case SRT_CONFIG_CHOICE_NULL:
    default:
        return srt_strdup("null");
    }
}

/* Appends one parameter; returns it, or NULL when out of memory. */
static srt_rparam_t *add_param(srt_rdata_t *d, const char *name)
{
    srt_rparam_t *p = realloc(d->params, (d->n_params + 1) * sizeof *p);
    if (!p)
        return NULL;
    d->params = p;
    p = &d->params[d->n_params];
    memset(p, 0, sizeof *p);
    p->name = srt_strdup(name);
    if (!p->name)
        return NULL;
    d->n_params++;
    return p;
}

static srt_rc build_params(srt_rdata_t *d, const srt_config_space_t *cs)
{
    for (size_t i = 0; i < cs->n; i++) {
        const srt_config_param_t *cp = &cs->params[i];
        if (cp->kind == SRT_CONFIG_PARAM_SIMPLEX) {
            for (size_t k = 0; k < cp->n_keys; k++) {
                srt_rparam_t *p = add_param(d, cp->keys[k]->name);
                if (!p)
                    return SRT_ERR_NOMEM;
                p->low = 0;
                p->high = cp->total;
            }
            continue;
        }
        srt_rparam_t *p = add_param(d, cp->name);
        if (!p)
            return SRT_ERR_NOMEM;
        p->low = cp->low;
        p->high = cp->high;
        p->log = cp->log;
        p->integer = cp->kind == SRT_CONFIG_PARAM_INT;
        if (cp->kind != SRT_CONFIG_PARAM_CATEGORICAL)
            continue;
        p->categorical = 1;
        p->cats = calloc(cp->n_choices ? cp->n_choices : 1, sizeof *p->cats);
        if (!p->cats)
            return SRT_ERR_NOMEM;
        p->n_cats = cp->n_choices;
        for (size_t c = 0; c < cp->n_choices; c++)
            if (!(p->cats[c] = choice_label(&cp->choices[c])))
                return SRT_ERR_NOMEM;
    }
    return SRT_OK;
}

/* Fills x[0..n_params) for trial t: choice indices from the journal for
 * categoricals, SR option values from the view for the rest. */
static void trial_values(const srt_rdata_t *d, const srt_trial_t *t, srt_msg_work_t *w, double *x)
{
    srt_err_t err;
    int have = srt_view_params(d->view, t, w, &err) == SRT_OK;
    for (size_t i = 0; i < d->n_params; i++) {
        const srt_rparam_t *p = &d->params[i];
        x[i] = NAN;
        if (p->categorical) {
            const srt_trial_param_t *tp = srt_trial_param(t, p->name);
            if (tp && tp->internal >= 0 && tp->internal < (double)p->n_cats &&
                tp->internal == floor(tp->internal))
                x[i] = tp->internal;
            continue;
        }
        for (uint32_t k = 0; have && k < w->n_params; k++)
            if (!strcmp(w->params[k].name, p->name))
                x[i] = w->params[k].value;
    }
}

srt_rc srt_rdata_init(srt_rdata_t *d, const srt_view_t *v, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_msg_work_t *w = NULL;
    memset(d, 0, sizeof *d);
    d->view = v;
    d->minimize = v->plan.cfg->study.direction == SRT_DIRECTION_MINIMIZE;
    d->best = srt_view_best(v);
    rc = build_params(d, &v->plan.cfg->space);
    w = malloc(sizeof *w);
    d->trials = calloc(v->n_trials ? v->n_trials : 1, sizeof *d->trials);
    if (rc != SRT_OK || !w || !d->trials) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    for (size_t i = 0; i < v->n_trials; i++) {
        srt_rtrial_t *rt = &d->trials[i];
        const srt_trial_t *t = v->trials[i];
        rt->t = t;
        rt->has_value = t->n_values > 0 && isfinite(t->values[0]);
        rt->value = rt->has_value ? t->values[0] : NAN;
        rt->x = malloc((d->n_params ? d->n_params : 1) * sizeof *rt->x);
        if (!rt->x) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
        d->n_trials++;
        trial_values(d, t, w, rt->x);
        if (t->state == SRT_TRIAL_STATE_COMPLETE)
            d->n_complete++;
        else if (t->state == SRT_TRIAL_STATE_PRUNED)
            d->n_pruned++;
        else if (t->state == SRT_TRIAL_STATE_FAIL && srt_progress_trial_interrupted(t))
            d->n_interrupted++;
        else if (t->state == SRT_TRIAL_STATE_FAIL)
            d->n_fail++;
        else
            d->n_other++;
    }
cleanup:
    free(w);
    if (rc != SRT_OK)
        srt_err_set(err, rc, NULL, NULL, 0, "out of memory");
    return rc;
}

void srt_rdata_fini(srt_rdata_t *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n_params; i++) {
        for (size_t c = 0; d->params[i].cats && c < d->params[i].n_cats; c++)
            free(d->params[i].cats[c]);
        free(d->params[i].cats);
        free(d->params[i].name);
    }
    free(d->params);
    for (size_t i = 0; i < d->n_trials; i++)
        free(d->trials[i].x);
    free(d->trials);
    memset(d, 0, sizeof *d);
}

void srt_rdata_equation_label(const srt_rdata_t *d, size_t e, char *buf, size_t size)
{
    const srt_study_plan_t *plan = &d->view->plan;
    size_t idx = e < plan->n_equations ? plan->equations[e] : 0;
    const srt_catalogue_entry_t *ce = plan->cat ? srt_catalogue_entry(plan->cat, idx) : NULL;
    if (ce && ce->id)
        snprintf(buf, size, "%s", ce->id);
    else if (plan->files)
        srt_study_plan_instance_id(plan, e, buf, size);
    else
        snprintf(buf, size, "eq%zu", idx);
}
