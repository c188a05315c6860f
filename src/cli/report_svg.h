/*
 * A tiny hand-written SVG writer for `srtune report`: a growable text buffer
 * with XML escaping, and a 2-D plot (title, axes with "nice" ticks on linear,
 * log10 or categorical scales, grid, markers, polylines, legend, notes).
 *
 * Every SVG it writes is self-contained (no external fonts, styles or
 * scripts) and well-formed XML: all text from data goes through
 * srt_text_esc. Text, markers and lines are in report_svg.c, axes and ticks
 * in report_axis.c. Errors (out of memory) are sticky in the buffer: callers
 * build a whole document and check srt_text_t.failed once at the end.
 */
#ifndef SRTUNE_CLI_REPORT_SVG_H
#define SRTUNE_CLI_REPORT_SVG_H

#include <stddef.h>

/* A growable NUL-terminated text buffer. Zero-initialise before use. */
typedef struct srt_text {
    char *buf;  /* the text (NULL until something was added) */
    size_t len; /* bytes used, excluding the NUL */
    size_t cap; /* bytes allocated */
    int failed; /* 1 once an allocation failed; later adds do nothing */
} srt_text_t;

/* Appends printf-formatted text. Returns 0, or -1 (and sets failed). */
int srt_text_add(srt_text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends s with &, <, >, " and ' escaped, tabs and newlines as spaces, other
 * control characters dropped and invalid UTF-8 bytes replaced by U+FFFD. */
void srt_text_esc(srt_text_t *t, const char *s);
/* Frees the buffer and zeroes t. */
void srt_text_fini(srt_text_t *t);

/* The colour palette (Tableau 10): index i modulo 10. */
const char *srt_svg_colour(size_t i);
#define SRT_SVG_BLUE "#4e79a7"
#define SRT_SVG_ORANGE "#f28e2b"
#define SRT_SVG_RED "#e15759"
#define SRT_SVG_GREY "#9a9a9a"

/* Formats a tick or value label of v into buf ("0.25", "1e-05", "120"); step
 * is the tick spacing that decides the decimals (0: use %.4g). */
void srt_svg_format(char *buf, size_t size, double v, double step);

/* One axis: its data range and how it maps to pixels. */
typedef struct srt_axis {
    double lo, hi;           /* visible range in data units (lo < hi; > 0 when log) */
    int log;                 /* log10 scale */
    int integer;             /* linear ticks on integers only */
    const char *label;       /* axis title (escaped when written) */
    const char *const *cats; /* categorical: labels of positions 0..n_cats-1, else NULL */
    size_t n_cats;           /* number of categories */
} srt_axis_t;

/* Sets a linear or log range that holds v[0..n) (non-finite values and, for
 * log, values <= 0 are ignored), padded by 5% each side; an empty or single
 * value range is widened. Keeps a->label, a->integer. */
void srt_axis_fit(srt_axis_t *a, const double *v, size_t n, int log);
/* Makes a a categorical axis of n positions (range -0.5 .. n-0.5). */
void srt_axis_categorical(srt_axis_t *a, const char *const *labels, size_t n);

/* A plot being written into a text buffer. */
typedef struct srt_plot {
    srt_text_t *t;        /* destination */
    double width, height; /* SVG size in px */
    double left, top;     /* plot area corner, px */
    double right, bottom; /* plot area far corner, px */
    srt_axis_t x, y;      /* axes (set before srt_plot_axes) */
} srt_plot_t;

/* Marker shapes. */
typedef enum {
    SRT_MARK_CIRCLE = 0,
    SRT_MARK_SQUARE = 1,
    SRT_MARK_TRIANGLE = 2,
    SRT_MARK_DIAMOND = 3,
    SRT_MARK_CROSS = 4,
    SRT_MARK_STAR = 5
} srt_mark_t;
#define SRT_MARK_COUNT 6

/* Opens the SVG document (white background, title, optional subtitle) and
 * sets the plot area: margins leave room for tick labels and axis titles;
 * right_margin (px) is extra room on the right for a legend or colour bar. */
void srt_plot_begin(srt_plot_t *p, srt_text_t *t, double width, double height, const char *title,
                    const char *subtitle, double right_margin);
/* Draws grid lines, ticks, tick labels, axis titles and the frame, and
 * defines the clip path (the plot area) that polylines use. */
void srt_plot_axes(srt_plot_t *p);
/* Pixel position of data x / y (log axes take log10; values <= 0 clamp). */
double srt_plot_px(const srt_plot_t *p, double x);
double srt_plot_py(const srt_plot_t *p, double y);

/* A marker at data (x, y) of size r px. cls is its class attribute, title
 * (may be NULL) a hover tooltip, data (may be NULL) raw extra attributes
 * written verbatim (caller guarantees they are well-formed, e.g.
 * "data-trial=\"3\""). filled 0 draws an outline. */
void srt_plot_marker(srt_plot_t *p, srt_mark_t shape, double x, double y, double r,
                     const char *colour, int filled, const char *cls, const char *title,
                     const char *data);
/* A polyline through (x[i], y[i]), clipped to the plot area; non-finite
 * points are skipped. dash may be
 * NULL (solid) or a dasharray ("6 3"). */
void srt_plot_polyline(srt_plot_t *p, const double *x, const double *y, size_t n,
                       const char *colour, double width, const char *dash, double opacity,
                       const char *cls, const char *data);
/* A centred grey note in the plot area (e.g. "no COMPLETE trial yet"). */
void srt_plot_note(srt_plot_t *p, const char *text);

/* One legend entry: a line sample and/or a marker. */
typedef struct srt_legend {
    const char *label;  /* text */
    const char *colour; /* line and marker colour */
    int line;           /* draw a line sample */
    const char *dash;   /* its dasharray or NULL */
    int marker;         /* draw a marker */
    srt_mark_t shape;   /* the marker's shape */
    int filled;         /* the marker is filled */
} srt_legend_t;

/* Draws a legend box; outside = 1 puts it in the right margin, 0 in the top
 * right corner inside the plot area (drawn over the data, half-opaque). */
void srt_plot_legend(srt_plot_t *p, const srt_legend_t *e, size_t n, int outside);

/* Closes the document. */
void srt_plot_end(srt_plot_t *p);

#endif
