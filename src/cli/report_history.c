/*
 * The two per-trial plots of `srtune report`: the optimisation history (value
 * per trial and the running best) and the intermediate values (running mean
 * after each equation, pruning visible). See report_plots.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/report_plots.h"

#define WIDTH 820
#define HEIGHT 440
#define LEGEND_ROOM 170
#define MAX_IV_MARKERS 5000 /* intermediate values drawn with a dot each */

static int better(const srt_rdata_t *d, double a, double b)
{
    return d->minimize ? a < b : a > b;
}

static const char *direction(const srt_rdata_t *d)
{
    return d->minimize ? "minimize" : "maximize";
}

/* The y-axis title: the objective and its direction. */
static void objective_label(const srt_rdata_t *d, char *buf, size_t size)
{
    snprintf(buf, size, "objective: mean Pareto volume (%s)", direction(d));
}

/* The running best of the COMPLETE trials as a step line. */
static void best_line(const srt_rdata_t *d, srt_plot_t *p)
{
    size_t n = 0, cap = 2 * d->n_trials + 2;
    double *x = malloc(cap * sizeof *x), *y = malloc(cap * sizeof *y);
    double best = NAN;
    if (!x || !y) {
        p->t->failed = 1;
        goto cleanup;
    }
    for (size_t i = 0; i < d->n_trials; i++) {
        const srt_rtrial_t *rt = &d->trials[i];
        if (rt->t->state != SRT_TRIAL_STATE_COMPLETE || !rt->has_value)
            continue;
        if (!isnan(best) && !better(d, rt->value, best))
            continue;
        if (!isnan(best)) {
            x[n] = (double)rt->t->number;
            y[n++] = best;
        }
        best = rt->value;
        x[n] = (double)rt->t->number;
        y[n++] = best;
    }
    if (n && d->n_trials) {
        x[n] = (double)d->trials[d->n_trials - 1].t->number;
        y[n++] = best;
    }
    if (n)
        srt_plot_polyline(p, x, y, n, SRT_SVG_ORANGE, 2.2, NULL, 0.95, "best-line", NULL);
cleanup:
    free(x);
    free(y);
}

void srt_report_history(const srt_rdata_t *d, srt_text_t *t)
{
    srt_plot_t p;
    char sub[256], ylab[128], title[128], data[64];
    double *xs = malloc((d->n_trials + 1) * sizeof *xs),
           *ys = malloc((d->n_trials + 1) * sizeof *ys);
    if (!xs || !ys) {
        t->failed = 1;
        goto cleanup;
    }
    int len = snprintf(sub, sizeof sub,
                       "%zu trials: %zu complete, %zu pruned, %zu failed, %zu interrupted, %zu "
                       "running/waiting",
                       d->n_trials, d->n_complete, d->n_pruned, d->n_fail, d->n_interrupted,
                       d->n_other);
    if (d->best && len > 0 && (size_t)len < sizeof sub)
        snprintf(sub + len, sizeof sub - (size_t)len, "; best: trial %ld = %.6g", d->best->number,
                 d->best->values[0]);
    srt_plot_begin(&p, t, WIDTH, HEIGHT, "Optimisation history", sub, LEGEND_ROOM);
    size_t n = 0;
    for (size_t i = 0; i < d->n_trials; i++) {
        xs[i] = (double)d->trials[i].t->number;
        if (d->trials[i].has_value && (d->trials[i].t->state == SRT_TRIAL_STATE_COMPLETE ||
                                       d->trials[i].t->state == SRT_TRIAL_STATE_PRUNED))
            ys[n++] = d->trials[i].value;
    }
    p.x.label = "trial number";
    p.x.integer = 1;
    srt_axis_fit(&p.x, xs, d->n_trials, 0);
    objective_label(d, ylab, sizeof ylab);
    p.y.label = ylab;
    srt_axis_fit(&p.y, ys, n, 0);
    srt_plot_axes(&p);
    best_line(d, &p);
    for (size_t i = 0; i < d->n_trials; i++) {
        const srt_rtrial_t *rt = &d->trials[i];
        int complete = rt->t->state == SRT_TRIAL_STATE_COMPLETE;
        if (!rt->has_value || (!complete && rt->t->state != SRT_TRIAL_STATE_PRUNED))
            continue;
        snprintf(title, sizeof title, "trial %ld (%s): %.10g", rt->t->number,
                 complete ? "COMPLETE" : "PRUNED", rt->value);
        snprintf(data, sizeof data, "data-trial=\"%ld\"", rt->t->number);
        srt_plot_marker(&p, complete ? SRT_MARK_CIRCLE : SRT_MARK_CROSS, (double)rt->t->number,
                        rt->value, complete ? 5 : 4, complete ? SRT_SVG_BLUE : SRT_SVG_RED, 1,
                        complete ? "trial complete" : "trial pruned", title, data);
    }
    if (d->best) {
        snprintf(title, sizeof title, "best: trial %ld = %.10g", d->best->number,
                 d->best->values[0]);
        srt_plot_marker(&p, SRT_MARK_STAR, (double)d->best->number, d->best->values[0], 6,
                        SRT_SVG_ORANGE, 1, "best-marker", title, NULL);
    } else {
        srt_plot_note(&p, "no COMPLETE trial yet");
    }
    const srt_legend_t legend[] = {
        {"complete trial", SRT_SVG_BLUE, 0, NULL, 1, SRT_MARK_CIRCLE, 1},
        {"pruned (last mean)", SRT_SVG_RED, 0, NULL, 1, SRT_MARK_CROSS, 1},
        {"best so far", SRT_SVG_ORANGE, 1, NULL, 0, SRT_MARK_CIRCLE, 0},
        {"best trial", SRT_SVG_ORANGE, 0, NULL, 1, SRT_MARK_STAR, 1},
    };
    srt_plot_legend(&p, legend, 4, 1);
    srt_plot_end(&p);
cleanup:
    free(xs);
    free(ys);
}

/* ------------------------------------------------------ intermediate values */

/* Style of a trial's line by state (the best trial is drawn apart). */
static void iv_style(const srt_trial_t *t, const char **colour, const char **dash, const char **cls)
{
    switch (t->state) {
    case SRT_TRIAL_STATE_COMPLETE:
        *colour = SRT_SVG_BLUE;
        *dash = NULL;
        *cls = "iv complete";
        break;
    case SRT_TRIAL_STATE_PRUNED:
        *colour = SRT_SVG_RED;
        *dash = "6 3";
        *cls = "iv pruned";
        break;
    default:
        *colour = SRT_SVG_GREY;
        *dash = "2 3";
        *cls = "iv other";
        break;
    }
}

/* One trial's line; with markers, a dot per value too (left out of big
 * studies to keep the file small). */
static void iv_trial(srt_plot_t *p, const srt_trial_t *tr, int is_best, int markers, double *x,
                     double *y)
{
    const char *colour, *dash, *cls;
    char data[64], title[128];
    iv_style(tr, &colour, &dash, &cls);
    if (is_best)
        colour = SRT_SVG_ORANGE;
    for (size_t k = 0; k < tr->n_intermediate; k++) {
        x[k] = (double)tr->intermediate[k].step;
        y[k] = tr->intermediate[k].value;
    }
    snprintf(data, sizeof data, "data-trial=\"%ld\"", tr->number);
    srt_plot_polyline(p, x, y, tr->n_intermediate, colour, is_best ? 2.6 : 1.5, dash,
                      is_best ? 1 : 0.7, cls, data);
    for (size_t k = 0; markers && k < tr->n_intermediate; k++) {
        if (!isfinite(x[k]) || !isfinite(y[k]))
            continue;
        snprintf(title, sizeof title, "trial %ld (%s), %.0f equations: %.8g", tr->number,
                 srt_trial_state_name(tr->state), x[k], y[k]);
        srt_plot_marker(p, SRT_MARK_CIRCLE, x[k], y[k], is_best ? 3.2 : 2.4, colour, 1, "iv-point",
                        title, data);
    }
    if (tr->state == SRT_TRIAL_STATE_PRUNED && tr->n_intermediate) {
        size_t k = tr->n_intermediate - 1;
        snprintf(title, sizeof title, "trial %ld pruned after %.0f equations", tr->number, x[k]);
        srt_plot_marker(p, SRT_MARK_CROSS, x[k], y[k], 5, SRT_SVG_RED, 1, "prune-mark", title,
                        data);
    }
}

void srt_report_intermediate(const srt_rdata_t *d, srt_text_t *t)
{
    srt_plot_t p;
    size_t n = 0, lines = 0, maxn = 0;
    char sub[200], ylab[128];
    for (size_t i = 0; i < d->n_trials; i++) {
        n += d->trials[i].t->n_intermediate;
        if (d->trials[i].t->n_intermediate)
            lines++;
        if (d->trials[i].t->n_intermediate > maxn)
            maxn = d->trials[i].t->n_intermediate;
    }
    double *xs = malloc((n + 1) * sizeof *xs), *ys = malloc((n + 1) * sizeof *ys);
    double *bx = malloc((maxn + 1) * sizeof *bx), *by = malloc((maxn + 1) * sizeof *by);
    if (!xs || !ys || !bx || !by) {
        t->failed = 1;
        goto cleanup;
    }
    n = 0;
    for (size_t i = 0; i < d->n_trials; i++)
        for (size_t k = 0; k < d->trials[i].t->n_intermediate; k++) {
            xs[n] = (double)d->trials[i].t->intermediate[k].step;
            ys[n++] = d->trials[i].t->intermediate[k].value;
        }
    snprintf(sub, sizeof sub, "running mean after each equation; %zu trials reported, %zu pruned",
             lines, d->n_pruned);
    srt_plot_begin(&p, t, WIDTH, HEIGHT, "Intermediate values", sub, LEGEND_ROOM);
    p.x.label = "step (equations done)";
    p.x.integer = 1;
    srt_axis_fit(&p.x, xs, n, 0);
    snprintf(ylab, sizeof ylab, "running mean Pareto volume (%s)", direction(d));
    p.y.label = ylab;
    srt_axis_fit(&p.y, ys, n, 0);
    srt_plot_axes(&p);
    /* pruned and other trials first, complete above them, the best on top */
    static const int order[] = {SRT_TRIAL_STATE_RUNNING, SRT_TRIAL_STATE_WAITING,
                                SRT_TRIAL_STATE_FAIL, SRT_TRIAL_STATE_PRUNED,
                                SRT_TRIAL_STATE_COMPLETE};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < d->n_trials; i++) {
            const srt_trial_t *tr = d->trials[i].t;
            if ((int)tr->state == order[o] && tr->n_intermediate && tr != d->best)
                iv_trial(&p, tr, 0, n <= MAX_IV_MARKERS, bx, by);
        }
    if (d->best && d->best->n_intermediate)
        iv_trial(&p, d->best, 1, n <= MAX_IV_MARKERS, bx, by);
    if (!lines)
        srt_plot_note(&p, "no intermediate values reported yet");
    char best_label[64];
    snprintf(best_label, sizeof best_label, "best (trial %ld)", d->best ? d->best->number : -1L);
    const srt_legend_t legend[] = {
        {"complete", SRT_SVG_BLUE, 1, NULL, 1, SRT_MARK_CIRCLE, 1},
        {"pruned", SRT_SVG_RED, 1, "6 3", 0, SRT_MARK_CIRCLE, 1},
        {"where pruned", SRT_SVG_RED, 0, NULL, 1, SRT_MARK_CROSS, 1},
        {"running / stopped", SRT_SVG_GREY, 1, "2 3", 0, SRT_MARK_CIRCLE, 1},
        {best_label, SRT_SVG_ORANGE, 1, NULL, 1, SRT_MARK_CIRCLE, 1},
    };
    srt_plot_legend(&p, legend, d->best ? 5 : 4, 1);
    srt_plot_end(&p);
cleanup:
    free(xs);
    free(ys);
    free(bx);
    free(by);
}
