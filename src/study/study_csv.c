/* Study: the trials ledger as CSV (srtune export). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

/* Appends a CSV field, quoted when needed. */
static int csv_field(char **buf, size_t *len, size_t *cap, const char *f, int first)
{
    size_t n = strlen(f);
    if (srt__grow((void **)buf, cap, *len + 2 * n + 4, 1) != 0)
        return -1;
    if (!first)
        (*buf)[(*len)++] = ',';
    int quote = strpbrk(f, ",\"\n") != NULL;
    if (quote)
        (*buf)[(*len)++] = '"';
    for (size_t i = 0; i < n; i++) {
        if (f[i] == '"')
            (*buf)[(*len)++] = '"';
        (*buf)[(*len)++] = f[i];
    }
    if (quote)
        (*buf)[(*len)++] = '"';
    (*buf)[*len] = '\0';
    return 0;
}

static void external_text(const srt_param_t *p, double v, char *buf, size_t size)
{
    if (isnan(v)) {
        buf[0] = '\0';
    } else if (p->kind == SRT_PARAM_INT) {
        snprintf(buf, size, "%.0f", v);
    } else if (p->kind == SRT_PARAM_FLOAT) {
        snprintf(buf, size, "%.17g", v);
    } else {
        const srt_choice_t *c = &p->choices[(size_t)v];
        if (c->kind == SRT_CHOICE_STRING)
            snprintf(buf, size, "%s", c->str);
        else if (c->kind == SRT_CHOICE_NUMBER)
            snprintf(buf, size, "%.17g", c->num);
        else if (c->kind == SRT_CHOICE_BOOL)
            snprintf(buf, size, "%s", c->boolean ? "true" : "false");
        else
            snprintf(buf, size, "null");
    }
}

/* Ends a CSV row; -1 on allocation failure. */
static int csv_newline(char **buf, size_t *len, size_t *cap)
{
    if (srt__grow((void **)buf, cap, *len + 2, 1) != 0)
        return -1;
    (*buf)[(*len)++] = '\n';
    (*buf)[*len] = '\0';
    return 0;
}

srt_rc srt_study_write_trials_csv(const srt_study_t *s, const char *path, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *buf = NULL;
    const srt_space_t *sp = s->space;
    size_t len = 0, cap = 0, d = sp->n_params, kmax = 1;
    for (size_t g = 0; g < sp->n_groups; g++)
        kmax = sp->groups[g].k > kmax ? sp->groups[g].k : kmax;
    double *x = malloc((d + 1) * sizeof *x), *w = malloc(kmax * sizeof *w);
    char cell[512];
    int bad = !x || !w;
    const char *head[] = {"number", "state", "value", "datetime_start", "datetime_complete"};
    for (size_t i = 0; i < 5 && !bad; i++)
        bad |= csv_field(&buf, &len, &cap, head[i], i == 0);
    for (size_t i = 0; i < d && !bad; i++)
        bad |= csv_field(&buf, &len, &cap, sp->params[i].name, 0);
    for (size_t g = 0; g < sp->n_groups && !bad; g++)
        for (size_t k = 0; k < sp->groups[g].k && !bad; k++) {
            snprintf(cell, sizeof cell, "%s.%s", sp->groups[g].name, sp->groups[g].keys[k]);
            bad |= csv_field(&buf, &len, &cap, cell, 0);
        }
    bad |= !bad && csv_newline(&buf, &len, &cap);
    size_t n;
    const srt_trial_t *const *t = srt_study_trials(s, &n);
    for (size_t r = 0; r < n && !bad; r++) {
        snprintf(cell, sizeof cell, "%ld", t[r]->number);
        bad |= csv_field(&buf, &len, &cap, cell, 1);
        bad |= csv_field(&buf, &len, &cap, srt_trial_state_name(t[r]->state), 0);
        if (t[r]->n_values)
            snprintf(cell, sizeof cell, "%.17g", t[r]->values[0]);
        else
            cell[0] = '\0';
        bad |= csv_field(&buf, &len, &cap, cell, 0);
        bad |= csv_field(&buf, &len, &cap, t[r]->datetime_start, 0);
        bad |= csv_field(&buf, &len, &cap, t[r]->datetime_complete, 0);
        srt_study_trial_x(s, t[r], x);
        for (size_t i = 0; i < d && !bad; i++) {
            external_text(&sp->params[i], x[i], cell, sizeof cell);
            bad |= csv_field(&buf, &len, &cap, cell, 0);
        }
        for (size_t g = 0; g < sp->n_groups && !bad; g++) {
            const srt_simplex_t *grp = &sp->groups[g];
            int have = 1;
            for (size_t i = 0; i + 1 < grp->k; i++)
                have &= !isnan(x[grp->first_param + i]);
            if (have)
                srt_space_simplex_weights(sp, g, x, w);
            for (size_t k = 0; k < grp->k && !bad; k++) {
                if (have)
                    snprintf(cell, sizeof cell, "%.17g", w[k]);
                else
                    cell[0] = '\0';
                bad |= csv_field(&buf, &len, &cap, cell, 0);
            }
        }
        bad |= !bad && csv_newline(&buf, &len, &cap);
    }
    if (bad)
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    else
        rc = srt_fs_write_atomic(path, buf, len, err);
    free(w);
    free(buf);
    free(x);
    return rc;
}
