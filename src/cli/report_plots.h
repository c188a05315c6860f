/*
 * The plots of `srtune report`, each written as one self-contained SVG
 * document into a text buffer (report_svg.h), and the index page.
 *
 * Colours are the same in every plot: COMPLETE trials blue, PRUNED trials red
 * (dashed lines, x markers), running/failed grey, the best trial orange.
 * Elements that stand for data carry classes (and data-* attributes) that
 * tests/e2e/check_svg.py counts: "trial complete" / "trial pruned" markers
 * (history, slices), "iv <state>" polylines with data-trial (intermediate
 * values), "bar" rects with data-importance (importances), "front" polylines
 * and "hof-point" markers with data-run (Pareto fronts).
 */
#ifndef SRTUNE_CLI_REPORT_PLOTS_H
#define SRTUNE_CLI_REPORT_PLOTS_H

#include "cli/report_data.h"
#include "cli/report_svg.h"

/* How the parameter importances were estimated (shown in plot and page). */
#define SRT_REPORT_IMPORTANCE_METHOD                                                               \
    "fANOVA-lite: for each parameter, the COMPLETE trials are grouped into bins of its value "     \
    "(one bin per choice for categorical parameters; otherwise round(sqrt(n)) equal-width bins, "  \
    "2 to 10, over the observed range, in log space for log parameters); the importance is the "   \
    "variance of the bin means of the objective, weighted by bin size (the between-bin "           \
    "variance), normalised so that the importances sum to 1."

/* Optimisation history: one marker per COMPLETE and per PRUNED trial with a
 * value, the running best of the COMPLETE trials, the best trial starred. A
 * study without a COMPLETE trial gets an empty plot with a note. */
void srt_report_history(const srt_rdata_t *d, srt_text_t *t);

/* Intermediate values (running mean after each equation) per trial: one
 * polyline per trial that reported any, pruned trials dashed red with an x
 * where they stopped. */
void srt_report_intermediate(const srt_rdata_t *d, srt_text_t *t);

/* Importances imp[0..n_params) by SRT_REPORT_IMPORTANCE_METHOD. Returns the
 * number of COMPLETE trials used; imp is all NaN when fewer than 2, all 0
 * when the objective does not vary between bins. */
size_t srt_report_importances(const srt_rdata_t *d, double *imp);
/* The importance bar chart of imp (from srt_report_importances). */
void srt_report_importance_svg(const srt_rdata_t *d, const double *imp, size_t n_used,
                               srt_text_t *t);

/* Slice plot of parameter i: objective against the parameter's value for
 * every COMPLETE trial (log axis for log parameters), coloured by number. */
void srt_report_slice(const srt_rdata_t *d, size_t i, srt_text_t *t);

/* Pareto fronts (complexity vs loss, log-log) of every run of the best
 * trial, from each run's hall_of_fame.csv. *n_runs receives the number of
 * fronts drawn. */
void srt_report_pareto(const srt_rdata_t *d, srt_text_t *t, size_t *n_runs);

/* The index page: every plot inline (so that hovering over a point shows its
 * values) and linked to its SVG file; slice file names are slices[0..n). The
 * plots are read back from outdir, where they were written before. */
void srt_report_html(const srt_rdata_t *d, const double *imp, size_t n_used,
                     const char *const *slices, size_t n_slices, size_t n_fronts,
                     const char *outdir, srt_text_t *t);

/* A file-name-safe form of a parameter name ("slice_<name>.svg"). */
void srt_report_slice_name(const char *param, char *buf, size_t size);

#endif
