/*
 * The index page of `srtune report`: a summary of the study and the best
 * trial, then every plot inline (its points' <title>s show on hover) and
 * linked to its SVG file, and the method behind the parameter importances. One
 * self-contained HTML file (inline CSS and SVG, no scripts, nothing fetched
 * from the network).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_plots.h"

static const char style[] =
    "body{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif;color:#333;margin:24px auto;"
    "max-width:1700px;padding:0 24px;background:#fafafa}"
    "h1{font-size:24px;margin:0 0 6px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid "
    "#ddd;padding-bottom:4px}p{max-width:1000px;line-height:1.45}"
    "table{border-collapse:collapse;font-size:13px;background:#fff}"
    "td,th{border:1px solid #ddd;padding:3px 10px;text-align:left}th{background:#f0f0f0}"
    ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(520px,1fr));gap:14px}"
    ".grid.small{grid-template-columns:repeat(auto-fill,minmax(420px,1fr))}"
    "figure{margin:0;background:#fff;border:1px solid #ddd;padding:6px}"
    "figure svg{display:block;width:100%;height:auto}"
    "figcaption{font-size:12px;color:#666;padding-top:4px}.muted{color:#777}";

/* Appends the SVG file outdir/file inline: without its XML declaration, and
 * with its ids (clip path, gradient) made unique to this figure, since one
 * page holds every plot. Returns 0, or -1 when the file cannot be read. */
static int inline_svg(srt_text_t *t, const char *outdir, const char *file, int k)
{
    static const char *const ids[] = {"plot-area", "trial-ramp"};
    char *path = srt_path_join(outdir, file);
    char *text = NULL;
    size_t len = 0;
    if (!path || srt_fs_read_file(path, &text, &len, NULL) != SRT_OK) {
        free(path);
        return -1;
    }
    free(path);
    const char *p = strstr(text, "<svg");
    if (!p) {
        free(text);
        return -1;
    }
    while (*p) {
        const char *next = NULL;
        size_t which = 0;
        for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++) {
            const char *q = strstr(p, ids[i]);
            if (q && (!next || q < next)) {
                next = q;
                which = i;
            }
        }
        if (!next) {
            srt_text_add(t, "%s", p);
            break;
        }
        srt_text_add(t, "%.*s%s-f%d", (int)(next - p), p, ids[which], k);
        p = next + strlen(ids[which]);
    }
    free(text);
    return 0;
}

/* A figure of file with caption: the plot inline, linked to its SVG file. */
static void figure(srt_text_t *t, const char *outdir, const char *file, const char *alt,
                   const char *caption)
{
    static int k;
    srt_text_add(t, "<figure><a href=\"");
    srt_text_esc(t, file);
    srt_text_add(t, "\" title=\"");
    srt_text_esc(t, alt);
    srt_text_add(t, " (open the SVG file)\">");
    if (inline_svg(t, outdir, file, k++) != 0) {
        srt_text_add(t, "<span>");
        srt_text_esc(t, alt);
        srt_text_add(t, "</span>");
    }
    srt_text_add(t, "</a><figcaption>");
    srt_text_esc(t, caption);
    srt_text_add(t, " (<a href=\"");
    srt_text_esc(t, file);
    srt_text_add(t, "\">");
    srt_text_esc(t, file);
    srt_text_add(t, "</a>)</figcaption></figure>\n");
}

static void row(srt_text_t *t, const char *key, const char *value)
{
    srt_text_add(t, "<tr><th>");
    srt_text_esc(t, key);
    srt_text_add(t, "</th><td>");
    srt_text_esc(t, value);
    srt_text_add(t, "</td></tr>\n");
}

static void summary(const srt_rdata_t *d, srt_text_t *t)
{
    const srt_config_t *cfg = d->view->plan.cfg;
    char buf[512];
    srt_text_add(t, "<table class=\"summary\">\n");
    row(t, "output directory", d->view->dir);
    row(t, "direction", d->minimize ? "minimize" : "maximize");
    snprintf(buf, sizeof buf,
             "%zu (%zu complete, %zu pruned, %zu failed, %zu interrupted, %zu running/waiting)",
             d->n_trials, d->n_complete, d->n_pruned, d->n_fail, d->n_interrupted, d->n_other);
    row(t, "trials", buf);
    snprintf(buf, sizeof buf, "%s: %zu equations x %ld runs", cfg->dataset.name,
             d->view->plan.n_equations, cfg->dataset.n_runs);
    row(t, "data set", buf);
    if (!d->best) {
        row(t, "best trial", "none yet (no COMPLETE trial)");
    } else {
        snprintf(buf, sizeof buf, "trial %ld, value %.10g", d->best->number, d->best->values[0]);
        row(t, "best trial", buf);
        for (size_t i = 0; i < d->n_trials; i++) {
            if (d->trials[i].t != d->best)
                continue;
            for (size_t j = 0; j < d->n_params; j++) {
                const srt_rparam_t *p = &d->params[j];
                double v = d->trials[i].x[j];
                if (p->categorical && isfinite(v))
                    snprintf(buf, sizeof buf, "%s", p->cats[(size_t)v]);
                else
                    snprintf(buf, sizeof buf, "%.8g", v);
                row(t, p->name, buf);
            }
        }
    }
    srt_text_add(t, "</table>\n");
}

static void importance_table(const srt_rdata_t *d, const double *imp, srt_text_t *t)
{
    srt_text_add(t,
                 "<table class=\"importances\"><tr><th>parameter</th><th>importance</th></tr>\n");
    for (size_t j = 0; j < d->n_params; j++) {
        srt_text_add(t, "<tr><td>");
        srt_text_esc(t, d->params[j].name);
        if (isnan(imp[j]))
            srt_text_add(t, "</td><td>-</td></tr>\n");
        else
            srt_text_add(t, "</td><td>%.3f</td></tr>\n", imp[j]);
    }
    srt_text_add(t, "</table>\n");
}

void srt_report_html(const srt_rdata_t *d, const double *imp, size_t n_used,
                     const char *const *slices, size_t n_slices, size_t n_fronts,
                     const char *outdir, srt_text_t *t)
{
    const char *name = d->view->plan.cfg->study.name;
    char cap[256];
    srt_text_add(t, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
                    "<title>srtune report: ");
    srt_text_esc(t, name);
    srt_text_add(t,
                 "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>srtune report: study "
                 "&#8216;",
                 style);
    srt_text_esc(t, name);
    srt_text_add(t, "&#8217;</h1>\n<p class=\"muted\">Objective: the mean Pareto volume of the "
                    "runs of each trial. Blue: COMPLETE trials; red: PRUNED; orange: the best "
                    "trial; grey (intermediate values only): trials still running, or stopped "
                    "before they finished (interrupted or failed). Hover over a point for its "
                    "values; click a plot to open its SVG file.</p>\n");
    summary(d, t);
    srt_text_add(t, "<h2>Optimisation history</h2>\n<div class=\"grid\">\n");
    figure(t, outdir, "history.svg", "optimisation history",
           d->best ? "value of every finished trial and the best so far" : "no COMPLETE trial yet");
    figure(t, outdir, "intermediate.svg", "intermediate values",
           "running mean after each equation; pruned trials dashed, x where they stopped");
    srt_text_add(t, "</div>\n<h2>Parameter importances</h2>\n<div class=\"grid\">\n");
    snprintf(cap, sizeof cap, "importances over %zu COMPLETE trials", n_used);
    figure(t, outdir, "importance.svg", "parameter importances", cap);
    srt_text_add(t, "</div>\n<p><b>Method.</b> ");
    srt_text_esc(t, SRT_REPORT_IMPORTANCE_METHOD);
    srt_text_add(t, " It is a cheap, model-free stand-in for fANOVA: it sees main effects only "
                    "(no interactions) and is noisy with few trials.</p>\n");
    importance_table(d, imp, t);
    srt_text_add(t, "<h2>Slices</h2>\n<div class=\"grid small\">\n");
    for (size_t i = 0; i < n_slices && i < d->n_params; i++) {
        snprintf(cap, sizeof cap, "objective vs %s", d->params[i].name);
        figure(t, outdir, slices[i], cap, cap);
    }
    srt_text_add(t, "</div>\n<h2>Pareto fronts of the best trial</h2>\n<div class=\"grid\">\n");
    snprintf(cap, sizeof cap, "complexity vs loss of %zu runs (log-log)", n_fronts);
    figure(t, outdir, "pareto.svg", "Pareto fronts", cap);
    srt_text_add(t, "</div>\n<p class=\"muted\">Generated by srtune %s.</p>\n</body>\n</html>\n",
                 SRTUNE_VERSION);
}
