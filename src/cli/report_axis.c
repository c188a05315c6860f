/*
 * Axes of the SVG plots of `srtune report` (report_svg.h): data ranges,
 * data-to-pixel mapping, "nice" ticks (1-2-5 steps on linear axes; decades,
 * then 1-2-5 or every integer multiple inside a decade on log10 axes; one
 * tick per category), grid lines, tick labels and axis titles.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/report_svg.h"

#define INK "#333333"
#define GRID "#e6e6e6"
#define MINOR_GRID "#f3f3f3"

/* ------------------------------------------------------------------ axes */

void srt_axis_fit(srt_axis_t *a, const double *v, size_t n, int log)
{
    double lo = INFINITY, hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double x = v[i];
        if (!isfinite(x) || (log && x <= 0))
            continue;
        if (log)
            x = log10(x);
        if (x < lo)
            lo = x;
        if (x > hi)
            hi = x;
    }
    a->log = log;
    a->cats = NULL;
    a->n_cats = 0;
    if (lo > hi) { /* nothing to show */
        lo = 0;
        hi = 1;
    } else if (hi - lo < 1e-12 * (fabs(lo) + fabs(hi)) || hi == lo) {
        double w = log ? 0.5 : (lo != 0 ? 0.1 * fabs(lo) : 1);
        lo -= w;
        hi += w;
    } else {
        double pad = 0.05 * (hi - lo);
        lo -= pad;
        hi += pad;
    }
    a->lo = log ? pow(10, lo) : lo;
    a->hi = log ? pow(10, hi) : hi;
}

void srt_axis_categorical(srt_axis_t *a, const char *const *labels, size_t n)
{
    a->log = 0;
    a->cats = labels;
    a->n_cats = n;
    a->lo = -0.5;
    a->hi = (double)n - 0.5;
}

static double axis_frac(const srt_axis_t *a, double v)
{
    if (a->log) {
        if (!(v > 0))
            return -0.05;
        return (log10(v) - log10(a->lo)) / (log10(a->hi) - log10(a->lo));
    }
    return (v - a->lo) / (a->hi - a->lo);
}

double srt_plot_px(const srt_plot_t *p, double x)
{
    return p->left + axis_frac(&p->x, x) * (p->right - p->left);
}

double srt_plot_py(const srt_plot_t *p, double y)
{
    return p->bottom - axis_frac(&p->y, y) * (p->bottom - p->top);
}

/* A 1-2-5 tick step giving about `target` ticks over range. */
static double nice_step(double range, double target)
{
    double raw = range / target;
    double mag = pow(10, floor(log10(raw)));
    double f = raw / mag;
    double nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
    return nf * mag;
}

#define MAX_TICKS 64

typedef struct {
    double v[MAX_TICKS];  /* tick values */
    int major[MAX_TICKS]; /* 1: labelled */
    size_t n;             /* ticks */
    double step;          /* linear step (for label decimals), 0 for log */
    int powers;           /* log: label as powers of ten (some tick is < 0.01 or > 9999) */
} ticks_t;

static void ticks_linear(const srt_axis_t *a, double target, ticks_t *tk)
{
    double step = nice_step(a->hi - a->lo, target);
    if (a->integer && step < 1)
        step = 1;
    tk->step = step;
    tk->powers = 0;
    tk->n = 0;
    for (double k = ceil(a->lo / step - 1e-9); tk->n < MAX_TICKS; k++) {
        double v = k * step;
        if (v > a->hi + step * 1e-9)
            break;
        tk->v[tk->n] = v;
        tk->major[tk->n++] = 1;
    }
}

/* Log ticks: decades, or 1-2-5 (then every integer multiple) inside them when
 * too few decades are visible; unlabelled minor ticks at 2..9 otherwise. */
static void ticks_log(const srt_axis_t *a, ticks_t *tk)
{
    static const int sets[4][10] = {
        {1, 0}, {1, 2, 5, 0}, {1, 2, 3, 5, 0}, {1, 2, 3, 4, 5, 6, 7, 8, 9, 0}};
    double l0 = log10(a->lo), l1 = log10(a->hi);
    int k0 = (int)floor(l0), k1 = (int)ceil(l1);
    tk->step = 0;
    tk->powers = 0;
    int every = 1 + (k1 - k0) / 8;
    for (int s = 0; s < 4; s++) {
        tk->n = 0;
        for (int k = k0; k <= k1 && tk->n < MAX_TICKS; k++) {
            for (int m = 0; sets[s][m] && tk->n < MAX_TICKS; m++) {
                double v = sets[s][m] * pow(10, k);
                if (v < a->lo * (1 - 1e-9) || v > a->hi * (1 + 1e-9))
                    continue;
                if (s == 0 && (k - k0) % every)
                    continue;
                tk->v[tk->n] = v;
                tk->major[tk->n++] = 1;
            }
        }
        if (tk->n >= 3 || s == 3)
            break;
    }
    /* minor ticks at 2..9 x decade when only decades are labelled */
    int only_decades = 1;
    tk->powers = 0;
    for (size_t i = 0; i < tk->n; i++)
        if (tk->v[i] < 0.00999 || tk->v[i] > 9999.5)
            tk->powers = 1;
    for (size_t i = 0; i < tk->n; i++) {
        double m = tk->v[i] / pow(10, floor(log10(tk->v[i]) + 1e-9));
        if (fabs(m - 1) > 1e-6)
            only_decades = 0;
    }
    if (only_decades && every == 1 && k1 - k0 <= 8) {
        for (int k = k0; k <= k1; k++)
            for (int m = 2; m <= 9 && tk->n < MAX_TICKS; m++) {
                double v = m * pow(10, k);
                if (v < a->lo || v > a->hi)
                    continue;
                tk->v[tk->n] = v;
                tk->major[tk->n++] = 0;
            }
    }
}

static void ticks_for(const srt_axis_t *a, double target, ticks_t *tk)
{
    if (a->cats) {
        tk->n = 0;
        tk->step = 1;
        tk->powers = 0;
        for (size_t i = 0; i < a->n_cats && tk->n < MAX_TICKS; i++) {
            tk->v[tk->n] = (double)i;
            tk->major[tk->n++] = 1;
        }
    } else if (a->log) {
        ticks_log(a, tk);
    } else {
        ticks_linear(a, target, tk);
    }
}

/* Writes the label of tick i as the content of a <text> element. */
static void tick_label(srt_text_t *t, const srt_axis_t *a, const ticks_t *tk, size_t i)
{
    char buf[64];
    double v = tk->v[i];
    if (a->cats) {
        srt_text_esc(t, a->cats[i]);
        return;
    }
    if (a->log) {
        int k = (int)floor(log10(v) + 1e-9);
        double m = v / pow(10, k);
        if (!tk->powers) {
            snprintf(buf, sizeof buf, "%.6g", v);
            srt_text_add(t, "%s", buf);
        } else if (fabs(m - 1) < 1e-6) {
            srt_text_add(t, "10<tspan dy=\"-5\" font-size=\"9\">%d</tspan>", k);
        } else {
            srt_text_add(t,
                         "%.0f\xc3\x97"
                         "10<tspan dy=\"-5\" font-size=\"9\">%d</tspan>",
                         m, k);
        }
        return;
    }
    srt_svg_format(buf, sizeof buf, v, tk->step);
    srt_text_add(t, "%s", buf);
}

static void axis_x(srt_plot_t *p)
{
    srt_text_t *t = p->t;
    ticks_t tk;
    ticks_for(&p->x, (p->right - p->left) / 90, &tk);
    srt_text_add(t, "<g class=\"x-axis\" font-size=\"11\" fill=\"%s\" text-anchor=\"middle\">\n",
                 INK);
    for (size_t i = 0; i < tk.n; i++) {
        double x = srt_plot_px(p, tk.v[i]);
        if (!p->x.cats)
            srt_text_add(t,
                         "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                         x, p->top, x, p->bottom, tk.major[i] ? GRID : MINOR_GRID);
        srt_text_add(t, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                     x, p->bottom, x, p->bottom + (tk.major[i] ? 5 : 3), INK);
        if (!tk.major[i])
            continue;
        srt_text_add(t, "<text x=\"%.2f\" y=\"%.2f\">", x, p->bottom + 18);
        tick_label(t, &p->x, &tk, i);
        srt_text_add(t, "</text>\n");
    }
    srt_text_add(t, "<text class=\"axis-label\" x=\"%.2f\" y=\"%.2f\" font-size=\"13\">",
                 (p->left + p->right) / 2, p->height - 14);
    srt_text_esc(t, p->x.label);
    srt_text_add(t, "</text>\n</g>\n");
}

static void axis_y(srt_plot_t *p)
{
    srt_text_t *t = p->t;
    ticks_t tk;
    ticks_for(&p->y, (p->bottom - p->top) / 50, &tk);
    srt_text_add(t, "<g class=\"y-axis\" font-size=\"11\" fill=\"%s\" text-anchor=\"end\">\n", INK);
    for (size_t i = 0; i < tk.n; i++) {
        double y = srt_plot_py(p, tk.v[i]);
        if (!p->y.cats)
            srt_text_add(t,
                         "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                         p->left, y, p->right, y, tk.major[i] ? GRID : MINOR_GRID);
        srt_text_add(t, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"/>\n",
                     p->left - (tk.major[i] ? 5 : 3), y, p->left, y, INK);
        if (!tk.major[i])
            continue;
        srt_text_add(t, "<text x=\"%.2f\" y=\"%.2f\">", p->left - 8, y + 4);
        tick_label(t, &p->y, &tk, i);
        srt_text_add(t, "</text>\n");
    }
    double cy = (p->top + p->bottom) / 2;
    srt_text_add(t,
                 "<text class=\"axis-label\" x=\"18\" y=\"%.2f\" font-size=\"13\" "
                 "text-anchor=\"middle\" transform=\"rotate(-90 18 %.2f)\">",
                 cy, cy);
    srt_text_esc(t, p->y.label);
    srt_text_add(t, "</text>\n</g>\n");
}

void srt_plot_axes(srt_plot_t *p)
{
    srt_text_add(p->t,
                 "<defs><clipPath id=\"plot-area\"><rect x=\"%.2f\" y=\"%.2f\" "
                 "width=\"%.2f\" height=\"%.2f\"/></clipPath></defs>\n",
                 p->left, p->top, p->right - p->left, p->bottom - p->top);
    axis_x(p);
    axis_y(p);
    srt_text_add(p->t,
                 "<rect class=\"frame\" x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" "
                 "height=\"%.2f\" fill=\"none\" stroke=\"#888888\"/>\n",
                 p->left, p->top, p->right - p->left, p->bottom - p->top);
}
