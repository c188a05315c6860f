/*
 * Slice plots of `srtune report`: the objective of every COMPLETE trial
 * against one parameter's value (log axis for log parameters, one column per
 * choice for categoricals), coloured from light to dark by trial number.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_plots.h"

#define WIDTH 640
#define HEIGHT 420
#define BAR_ROOM 92

/* Sequential blue ramp: f = 0 (early) light, f = 1 (late) dark. */
static void ramp(double f, char *buf, size_t size)
{
    static const double a[3] = {158, 202, 225}, b[3] = {8, 48, 107};
    f = f < 0 ? 0 : f > 1 ? 1 : f;
    snprintf(buf, size, "#%02x%02x%02x", (int)lround(a[0] + f * (b[0] - a[0])),
             (int)lround(a[1] + f * (b[1] - a[1])), (int)lround(a[2] + f * (b[2] - a[2])));
}

/* The colour bar of trial numbers in the right margin. */
static void colour_bar(srt_plot_t *p, long first, long last)
{
    char c0[8], c1[8];
    double x = p->right + 22, y0 = p->top + 18, y1 = p->bottom - 10;
    ramp(0, c0, sizeof c0);
    ramp(1, c1, sizeof c1);
    srt_text_add(p->t,
                 "<defs><linearGradient id=\"trial-ramp\" x1=\"0\" y1=\"1\" x2=\"0\" y2=\"0\">"
                 "<stop offset=\"0\" stop-color=\"%s\"/><stop offset=\"1\" stop-color=\"%s\"/>"
                 "</linearGradient></defs>\n"
                 "<g class=\"colour-bar\" font-size=\"11\" fill=\"#333333\">\n"
                 "<text x=\"%.2f\" y=\"%.2f\">trial</text>\n"
                 "<rect x=\"%.2f\" y=\"%.2f\" width=\"14\" height=\"%.2f\" "
                 "fill=\"url(#trial-ramp)\" stroke=\"#999999\"/>\n"
                 "<text x=\"%.2f\" y=\"%.2f\">%ld</text>\n<text x=\"%.2f\" y=\"%.2f\">%ld</text>\n"
                 "</g>\n",
                 c0, c1, x - 4, y0 - 8, x, y0, y1 - y0, x + 20, y0 + 9, last, x + 20, y1, first);
}

void srt_report_slice(const srt_rdata_t *d, size_t i, srt_text_t *t)
{
    const srt_rparam_t *par = &d->params[i];
    srt_plot_t p;
    char sub[160], ylab[128], title[256], colour[8], data[64];
    double *xs = malloc((d->n_trials + 2) * sizeof *xs),
           *ys = malloc((d->n_trials + 1) * sizeof *ys);
    size_t n = 0;
    long first = -1, last = -1;
    if (!xs || !ys) {
        t->failed = 1;
        goto cleanup;
    }
    for (size_t k = 0; k < d->n_trials; k++) {
        const srt_rtrial_t *rt = &d->trials[k];
        if (rt->t->state != SRT_TRIAL_STATE_COMPLETE || !rt->has_value || !isfinite(rt->x[i]))
            continue;
        xs[n] = rt->x[i];
        ys[n++] = rt->value;
        if (first < 0)
            first = rt->t->number;
        last = rt->t->number;
    }
    snprintf(sub, sizeof sub, "%zu COMPLETE trials (star: the best)%s%s", n,
             par->log ? "; log scale (sampled log-uniformly)" : "",
             par->categorical ? "; categorical (points spread sideways)" : "");
    snprintf(title, sizeof title, "Slice: %s", par->name);
    srt_plot_begin(&p, t, WIDTH, HEIGHT, title, sub, BAR_ROOM);
    snprintf(ylab, sizeof ylab, "objective (%s)", d->minimize ? "minimize" : "maximize");
    p.y.label = ylab;
    p.x.label = par->name;
    p.x.integer = par->integer;
    srt_axis_fit(&p.y, ys, n, 0);
    if (par->categorical) {
        srt_axis_categorical(&p.x, (const char *const *)par->cats, par->n_cats);
    } else {
        size_t m = n;
        xs[m++] = par->low; /* show the whole sampled range */
        xs[m++] = par->high;
        srt_axis_fit(&p.x, xs, m, par->log);
    }
    srt_plot_axes(&p);
    for (size_t k = 0; k < d->n_trials; k++) {
        const srt_rtrial_t *rt = &d->trials[k];
        double x = rt->x[i];
        if (rt->t->state != SRT_TRIAL_STATE_COMPLETE || !rt->has_value || !isfinite(x))
            continue;
        if (par->categorical) /* a fixed spread by trial number (golden-ratio sequence) */
            x += (fmod((double)rt->t->number * 0.6180339887, 1.0) - 0.5) * 0.36;
        ramp(last > first ? (double)(rt->t->number - first) / (double)(last - first) : 1, colour,
             sizeof colour);
        if (par->categorical)
            snprintf(title, sizeof title, "trial %ld: %s = %s, objective %.8g", rt->t->number,
                     par->name, par->cats[(size_t)rt->x[i]], rt->value);
        else
            snprintf(title, sizeof title, "trial %ld: %s = %.6g, objective %.8g", rt->t->number,
                     par->name, x, rt->value);
        snprintf(data, sizeof data, "data-trial=\"%ld\"", rt->t->number);
        int is_best = rt->t == d->best;
        srt_plot_marker(&p, is_best ? SRT_MARK_STAR : SRT_MARK_CIRCLE, x, rt->value,
                        is_best ? 6 : 5, is_best ? SRT_SVG_ORANGE : colour, 1, "trial complete",
                        title, data);
    }
    if (!n)
        srt_plot_note(&p, "no COMPLETE trial yet");
    else
        colour_bar(&p, first, last);
    srt_plot_end(&p);
cleanup:
    free(xs);
    free(ys);
}

void srt_report_slice_name(const char *param, char *buf, size_t size)
{
    size_t k = 0;
    const char *prefix = "slice_";
    for (const char *s = prefix; *s && k + 1 < size; s++)
        buf[k++] = *s;
    for (const char *s = param; *s && k + 5 < size; s++) {
        char c = *s;
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || c == '.';
        buf[k++] = ok ? c : '_';
    }
    if (k + 5 <= size)
        memcpy(buf + k, ".svg", 5);
    else if (size)
        buf[size - 1] = '\0';
}
