/* The hand-written SVG plot writer of `srtune report`: see report_svg.h. */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_svg.h"

#define FONT "DejaVu Sans, Helvetica, Arial, sans-serif"
#define INK "#333333"
#define SRT_PI 3.14159265358979323846

/* ------------------------------------------------------------------ text */

int srt_text_add(srt_text_t *t, const char *fmt, ...)
{
    if (t->failed)
        return -1;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            t->failed = 1;
            return -1;
        }
        if (t->buf && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return 0;
        }
        size_t cap = t->cap ? t->cap * 2 : 8192;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b) {
            t->failed = 1;
            return -1;
        }
        t->buf = b;
        t->cap = cap;
    }
}

/* Length of the valid UTF-8 sequence at s (2..4), or 0 when it is not one. */
static size_t utf8_len(const unsigned char *s)
{
    size_t n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    for (size_t i = 1; i < n; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if ((n == 3 && s[0] == 0xe0 && s[1] < 0xa0) || (n == 3 && s[0] == 0xed && s[1] >= 0xa0) ||
        (n == 4 && s[0] == 0xf0 && s[1] < 0x90) || (n == 4 && s[0] == 0xf4 && s[1] >= 0x90))
        return 0; /* overlong, surrogate, beyond U+10FFFF */
    return n;
}

void srt_text_esc(srt_text_t *t, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    while (u && *u) {
        unsigned char c = *u;
        if (c >= 0x80) { /* valid UTF-8 passes, a stray byte becomes U+FFFD */
            size_t n = utf8_len(u);
            if (n)
                srt_text_add(t, "%.*s", (int)n, (const char *)u);
            else
                srt_text_add(t, "\xef\xbf\xbd");
            u += n ? n : 1;
            continue;
        }
        u++;
        if (c == '&')
            srt_text_add(t, "&amp;");
        else if (c == '<')
            srt_text_add(t, "&lt;");
        else if (c == '>')
            srt_text_add(t, "&gt;");
        else if (c == '"')
            srt_text_add(t, "&quot;");
        else if (c == '\'')
            srt_text_add(t, "&#39;");
        else if (c >= 0x20 && c != 0x7f)
            srt_text_add(t, "%c", (char)c);
        else if (c == '\t' || c == '\n')
            srt_text_add(t, " "); /* XML control characters are not allowed; tabs are spaces */
    }
}

void srt_text_fini(srt_text_t *t)
{
    free(t->buf);
    memset(t, 0, sizeof *t);
}

const char *srt_svg_colour(size_t i)
{
    static const char *const palette[] = {"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"};
    return palette[i % 10];
}

void srt_svg_format(char *buf, size_t size, double v, double step)
{
    if (step > 0 && fabs(v) < step * 1e-9)
        v = 0;
    if (step <= 0 || fabs(v) >= 1e6 || step < 1e-4) {
        snprintf(buf, size, "%.4g", v);
        return;
    }
    int dec = step >= 1 ? 0 : (int)ceil(-log10(step) - 1e-9);
    if (dec > 10)
        dec = 10;
    snprintf(buf, size, "%.*f", dec, v);
}

/* ------------------------------------------------------------------ plot */

void srt_plot_begin(srt_plot_t *p, srt_text_t *t, double width, double height, const char *title,
                    const char *subtitle, double right_margin)
{
    memset(&p->x, 0, sizeof p->x);
    memset(&p->y, 0, sizeof p->y);
    p->t = t;
    p->width = width;
    p->height = height;
    p->left = 78;
    p->top = subtitle && *subtitle ? 62 : 46;
    p->right = width - 24 - right_margin;
    p->bottom = height - 54;
    srt_text_add(t,
                 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                 "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" "
                 "viewBox=\"0 0 %.0f %.0f\" font-family=\"%s\">\n",
                 width, height, width, height, FONT);
    srt_text_add(t, "<title>");
    srt_text_esc(t, title);
    srt_text_add(t,
                 "</title>\n<rect class=\"background\" x=\"0\" y=\"0\" width=\"%.0f\" "
                 "height=\"%.0f\" fill=\"#ffffff\"/>\n",
                 width, height);
    srt_text_add(t,
                 "<text class=\"title\" x=\"%.1f\" y=\"26\" font-size=\"16\" "
                 "font-weight=\"bold\" fill=\"%s\">",
                 p->left, INK);
    srt_text_esc(t, title);
    srt_text_add(t, "</text>\n");
    if (subtitle && *subtitle) {
        srt_text_add(t,
                     "<text class=\"subtitle\" x=\"%.1f\" y=\"45\" font-size=\"12\" "
                     "fill=\"#666666\">",
                     p->left);
        srt_text_esc(t, subtitle);
        srt_text_add(t, "</text>\n");
    }
}

/* The shape of a marker centred at (cx, cy) in pixels, without closing. */
static void marker_shape(srt_text_t *t, srt_mark_t shape, double cx, double cy, double r)
{
    switch (shape) {
    case SRT_MARK_SQUARE:
        srt_text_add(t, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"", cx - r * 0.88,
                     cy - r * 0.88, r * 1.76, r * 1.76);
        break;
    case SRT_MARK_TRIANGLE:
        srt_text_add(t, "<path d=\"M%.2f,%.2f L%.2f,%.2f L%.2f,%.2f Z\"", cx, cy - r * 1.15,
                     cx + r * 1.05, cy + r * 0.8, cx - r * 1.05, cy + r * 0.8);
        break;
    case SRT_MARK_DIAMOND:
        srt_text_add(t, "<path d=\"M%.2f,%.2f L%.2f,%.2f L%.2f,%.2f L%.2f,%.2f Z\"", cx,
                     cy - r * 1.25, cx + r, cy, cx, cy + r * 1.25, cx - r, cy);
        break;
    case SRT_MARK_CROSS:
        srt_text_add(t, "<path d=\"M%.2f,%.2f L%.2f,%.2f M%.2f,%.2f L%.2f,%.2f\"", cx - r, cy - r,
                     cx + r, cy + r, cx - r, cy + r, cx + r, cy - r);
        break;
    case SRT_MARK_STAR: {
        srt_text_add(t, "<path d=\"");
        for (int k = 0; k < 10; k++) {
            double a = -SRT_PI / 2 + k * SRT_PI / 5, rr = k % 2 ? r * 0.6 : r * 1.5;
            srt_text_add(t, "%c%.2f,%.2f ", k ? 'L' : 'M', cx + rr * cos(a), cy + rr * sin(a));
        }
        srt_text_add(t, "Z\"");
        break;
    }
    case SRT_MARK_CIRCLE:
    default:
        srt_text_add(t, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\"", cx, cy, r);
    }
}

static void marker_at(srt_text_t *t, srt_mark_t shape, double cx, double cy, double r,
                      const char *colour, int filled)
{
    marker_shape(t, shape, cx, cy, r);
    if (shape == SRT_MARK_CROSS)
        srt_text_add(t, " fill=\"none\" stroke=\"%s\" stroke-width=\"2\"", colour);
    else if (filled)
        srt_text_add(t, " fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"0.8\"", colour);
    else
        srt_text_add(t, " fill=\"#ffffff\" stroke=\"%s\" stroke-width=\"1.6\"", colour);
}

void srt_plot_marker(srt_plot_t *p, srt_mark_t shape, double x, double y, double r,
                     const char *colour, int filled, const char *cls, const char *title,
                     const char *data)
{
    srt_text_t *t = p->t;
    marker_at(t, shape, srt_plot_px(p, x), srt_plot_py(p, y), r, colour, filled);
    if (cls) {
        srt_text_add(t, " class=\"");
        srt_text_esc(t, cls);
        srt_text_add(t, "\"");
    }
    if (data)
        srt_text_add(t, " %s", data);
    if (title) {
        srt_text_add(t, "><title>");
        srt_text_esc(t, title);
        srt_text_add(t, "</title></%s>\n",
                     shape == SRT_MARK_CIRCLE   ? "circle"
                     : shape == SRT_MARK_SQUARE ? "rect"
                                                : "path");
    } else {
        srt_text_add(t, "/>\n");
    }
}

void srt_plot_polyline(srt_plot_t *p, const double *x, const double *y, size_t n,
                       const char *colour, double width, const char *dash, double opacity,
                       const char *cls, const char *data)
{
    srt_text_t *t = p->t;
    srt_text_add(t, "<polyline");
    if (cls) {
        srt_text_add(t, " class=\"");
        srt_text_esc(t, cls);
        srt_text_add(t, "\"");
    }
    if (data)
        srt_text_add(t, " %s", data);
    srt_text_add(t, " points=\"");
    int first = 1;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i]) || !isfinite(y[i]))
            continue;
        srt_text_add(t, "%s%.2f,%.2f", first ? "" : " ", srt_plot_px(p, x[i]),
                     srt_plot_py(p, y[i]));
        first = 0;
    }
    srt_text_add(t,
                 "\" fill=\"none\" stroke=\"%s\" stroke-width=\"%.2g\" stroke-opacity=\"%.2g\" "
                 "stroke-linejoin=\"round\" stroke-linecap=\"round\" "
                 "clip-path=\"url(#plot-area)\"",
                 colour, width, opacity);
    if (dash)
        srt_text_add(t, " stroke-dasharray=\"%s\"", dash);
    srt_text_add(t, "/>\n");
}

void srt_plot_note(srt_plot_t *p, const char *text)
{
    srt_text_add(p->t,
                 "<text class=\"note\" x=\"%.2f\" y=\"%.2f\" font-size=\"14\" "
                 "font-style=\"italic\" fill=\"#777777\" text-anchor=\"middle\">",
                 (p->left + p->right) / 2, (p->top + p->bottom) / 2);
    srt_text_esc(p->t, text);
    srt_text_add(p->t, "</text>\n");
}

void srt_plot_legend(srt_plot_t *p, const srt_legend_t *e, size_t n, int outside)
{
    srt_text_t *t = p->t;
    size_t longest = 0;
    for (size_t i = 0; i < n; i++) {
        size_t len = strlen(e[i].label);
        if (len > longest)
            longest = len;
    }
    double w = 40 + 6.6 * (double)longest, h = 10 + 18 * (double)n;
    double x = outside ? p->right + 14 : p->right - w - 8, y = outside ? p->top : p->top + 8;
    srt_text_add(t,
                 "<g class=\"legend\" font-size=\"11.5\" fill=\"%s\">\n"
                 "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" rx=\"3\" "
                 "fill=\"#ffffff\" fill-opacity=\"0.88\" stroke=\"#cccccc\"/>\n",
                 INK, x, y, w, h);
    for (size_t i = 0; i < n; i++) {
        double cy = y + 14 + 18 * (double)i;
        if (e[i].line) {
            srt_text_add(t,
                         "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
                         "stroke-width=\"2\"",
                         x + 6, cy, x + 28, cy, e[i].colour);
            if (e[i].dash)
                srt_text_add(t, " stroke-dasharray=\"%s\"", e[i].dash);
            srt_text_add(t, "/>\n");
        }
        if (e[i].marker) {
            marker_at(t, e[i].shape, x + 17, cy, 4, e[i].colour, e[i].filled);
            srt_text_add(t, "/>\n");
        }
        srt_text_add(t, "<text x=\"%.2f\" y=\"%.2f\">", x + 34, cy + 4);
        srt_text_esc(t, e[i].label);
        srt_text_add(t, "</text>\n");
    }
    srt_text_add(t, "</g>\n");
}

void srt_plot_end(srt_plot_t *p)
{
    srt_text_add(p->t, "</svg>\n");
}
