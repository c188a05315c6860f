/*
 * Parameter importances of `srtune report` (SRT_REPORT_IMPORTANCE_METHOD in
 * report_plots.h: between-bin variance of the objective per parameter,
 * normalised to sum 1) and their horizontal bar chart.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_plots.h"

#define MAX_BINS 10

/* Between-bin variance of y over the bins of x for parameter p (n >= 2). */
static double between_variance(const srt_rparam_t *p, const double *x, const double *y, size_t n)
{
    size_t nb;
    double lo = INFINITY, hi = -INFINITY;
    if (p->categorical) {
        nb = p->n_cats;
    } else {
        nb = (size_t)lround(sqrt((double)n));
        nb = nb < 2 ? 2 : nb > MAX_BINS ? MAX_BINS : nb;
        for (size_t i = 0; i < n; i++) {
            lo = fmin(lo, x[i]);
            hi = fmax(hi, x[i]);
        }
        if (!(hi > lo))
            return 0;
    }
    double *sum = calloc(nb ? nb : 1, sizeof *sum), *cnt = calloc(nb ? nb : 1, sizeof *cnt);
    double mean = 0, v = 0;
    if (!sum || !cnt) {
        v = NAN;
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = p->categorical ? (size_t)x[i] : (size_t)((x[i] - lo) / (hi - lo) * (double)nb);
        if (b >= nb)
            b = nb - 1;
        sum[b] += y[i];
        cnt[b] += 1;
        mean += y[i];
    }
    mean /= (double)n;
    for (size_t b = 0; b < nb; b++)
        if (cnt[b] > 0) {
            double m = sum[b] / cnt[b] - mean;
            v += cnt[b] * m * m;
        }
    v /= (double)n;
cleanup:
    free(sum);
    free(cnt);
    return v;
}

size_t srt_report_importances(const srt_rdata_t *d, double *imp)
{
    size_t used = 0;
    double total = 0;
    double *x = malloc((d->n_trials + 1) * sizeof *x), *y = malloc((d->n_trials + 1) * sizeof *y);
    for (size_t i = 0; i < d->n_trials; i++)
        if (d->trials[i].t->state == SRT_TRIAL_STATE_COMPLETE && d->trials[i].has_value)
            used++;
    for (size_t j = 0; j < d->n_params; j++)
        imp[j] = NAN;
    if (!x || !y || used < 2)
        goto cleanup;
    for (size_t j = 0; j < d->n_params; j++) {
        const srt_rparam_t *p = &d->params[j];
        size_t n = 0;
        for (size_t i = 0; i < d->n_trials; i++) {
            const srt_rtrial_t *rt = &d->trials[i];
            double v = rt->x[j];
            if (rt->t->state != SRT_TRIAL_STATE_COMPLETE || !rt->has_value || !isfinite(v) ||
                (p->log && !p->categorical && v <= 0))
                continue;
            x[n] = p->log && !p->categorical ? log10(v) : v;
            y[n++] = rt->value;
        }
        imp[j] = n >= 2 ? between_variance(p, x, y, n) : 0;
        if (isfinite(imp[j]))
            total += imp[j];
    }
    for (size_t j = 0; j < d->n_params; j++)
        imp[j] = total > 0 && isfinite(imp[j]) ? imp[j] / total : 0;
cleanup:
    free(x);
    free(y);
    return used;
}

/* Parameter indices sorted by ascending importance (most important last). */
static void sort_by_importance(const double *imp, size_t *idx, size_t n)
{
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    for (size_t i = 1; i < n; i++) /* insertion sort: few parameters */
        for (size_t k = i; k > 0 && imp[idx[k]] < imp[idx[k - 1]]; k--) {
            size_t s = idx[k];
            idx[k] = idx[k - 1];
            idx[k - 1] = s;
        }
}

void srt_report_importance_svg(const srt_rdata_t *d, const double *imp, size_t n_used,
                               srt_text_t *t)
{
    srt_plot_t p;
    char sub[200], data[160], title[160], label[32];
    size_t n = d->n_params, longest = 0;
    size_t *idx = malloc((n + 1) * sizeof *idx);
    const char **names = malloc((n + 1) * sizeof *names);
    if (!idx || !names) {
        t->failed = 1;
        goto cleanup;
    }
    int ok = n_used >= 2 && n && !isnan(imp[0]);
    double zero[1] = {0}, top = 0;
    sort_by_importance(imp, idx, n);
    for (size_t i = 0; i < n; i++) {
        names[i] = d->params[idx[i]].name;
        longest = strlen(names[i]) > longest ? strlen(names[i]) : longest;
        if (ok && imp[idx[i]] > top)
            top = imp[idx[i]];
    }
    snprintf(sub, sizeof sub,
             "fANOVA-lite (variance of binned marginal means, sum 1) over %zu "
             "COMPLETE trials",
             n_used);
    srt_plot_begin(&p, t, 820, 150 + 34 * (double)(n ? n : 1), "Parameter importances", sub, 0);
    p.left = 30 + 6.8 * (double)longest;
    p.x.label = "importance (share of explained variance)";
    p.y.label = "";
    srt_axis_fit(&p.x, zero, 1, 0);
    p.x.lo = 0;
    p.x.hi = top > 0 ? top * 1.15 : 1;
    srt_axis_categorical(&p.y, names, n);
    if (!n)
        p.y.hi = 0.5;
    srt_plot_axes(&p);
    for (size_t i = 0; ok && i < n; i++) {
        double v = imp[idx[i]];
        double y0 = srt_plot_py(&p, (double)i + 0.32), y1 = srt_plot_py(&p, (double)i - 0.32);
        double x0 = srt_plot_px(&p, 0), x1 = srt_plot_px(&p, v);
        srt_text_add(t, "<rect class=\"bar\" data-param=\"");
        srt_text_esc(t, names[i]);
        snprintf(data, sizeof data, "%.6f", v);
        srt_text_add(t,
                     "\" data-importance=\"%s\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                     "height=\"%.2f\" fill=\"%s\"><title>",
                     data, x0, y0, x1 - x0, y1 - y0, SRT_SVG_BLUE);
        snprintf(title, sizeof title, "%s: %.3f", names[i], v);
        srt_text_esc(t, title);
        srt_text_add(t, "</title></rect>\n");
        snprintf(label, sizeof label, "%.3f", v);
        srt_text_add(t, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"11\" fill=\"#333333\">%s</text>\n",
                     x1 + 5, (y0 + y1) / 2 + 4, label);
    }
    if (!n)
        srt_plot_note(&p, "no tuned parameters");
    else if (n_used < 2)
        srt_plot_note(&p, "needs at least 2 COMPLETE trials");
    else if (ok && top == 0)
        srt_plot_note(&p, "the objective does not vary with any parameter");
    srt_plot_end(&p);
cleanup:
    free(idx);
    free(names);
}
