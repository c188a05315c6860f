/*
 * Pareto fronts of the best trial's runs for `srtune report`: complexity vs
 * loss on log-log axes, one line per run (colour = equation, marker = run
 * index), read from each run directory's hall_of_fame.csv.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_hof.h"
#include "cli/report_plots.h"
#include "srtune/runner.h"

#define WIDTH 820
#define HEIGHT 500
#define LEGEND_ROOM 170
#define MAX_LEGEND 16

/* One front to draw. */
typedef struct {
    srt_hof_t hof;  /* its rows */
    char dir[256];  /* run directory name ("feynman_eq7_run0") */
    char label[96]; /* legend label ("I.12.1 run 0") */
    size_t eq_pos;  /* equation position: the colour */
    long run;       /* run index: the marker */
} front_t;

/* The trial directory of t (its srtune:run_dir, relative to the study). */
static char *trial_dir(const srt_rdata_t *d, const srt_trial_t *t)
{
    const char *rd = srt_trial_system_attr(t, "srtune:run_dir");
    char rel[4096];
    size_t len = rd ? strlen(rd) : 0;
    if (len < 2 || rd[0] != '"' || rd[len - 1] != '"' || len - 2 >= sizeof rel ||
        memchr(rd + 1, '\\', len - 2))
        return NULL;
    memcpy(rel, rd + 1, len - 2);
    rel[len - 2] = '\0';
    return srt_path_join(d->view->dir, rel);
}

/* Reads every run's front of trial t; *n receives how many were read. */
static front_t *read_fronts(const srt_rdata_t *d, const srt_trial_t *t, size_t *n)
{
    const srt_study_plan_t *plan = &d->view->plan;
    long n_runs = plan->cfg->dataset.n_runs;
    char *tdir = trial_dir(d, t);
    front_t *f = calloc(plan->n_equations * (size_t)(n_runs > 0 ? n_runs : 1) + 1, sizeof *f);
    *n = 0;
    if (!tdir || !f)
        goto cleanup;
    for (size_t e = 0; e < plan->n_equations; e++)
        for (long r = 0; r < n_runs; r++) {
            front_t *fr = &f[*n];
            srt_err_t err;
            const char *dataset;
            long eq_index;
            srt_study_plan_instance(plan, e, &dataset, &eq_index);
            srt_runner_run_dirname(fr->dir, sizeof fr->dir, dataset, eq_index, r);
            char *rd = srt_path_join(tdir, fr->dir);
            char *path = rd ? srt_path_join(rd, "hall_of_fame.csv") : NULL;
            srt_rc rc = path ? srt_hof_read(path, &fr->hof, &err) : SRT_ERR_NOMEM;
            free(rd);
            free(path);
            if (rc != SRT_OK) {
                if (rc != SRT_ERR_NOTFOUND)
                    SRT_WARN("report: %s", err.msg);
                continue;
            }
            char eq[64];
            srt_rdata_equation_label(d, e, eq, sizeof eq);
            snprintf(fr->label, sizeof fr->label, "%s run %ld", eq, r);
            fr->eq_pos = e;
            fr->run = r;
            (*n)++;
        }
cleanup:
    free(tdir);
    return f;
}

static void draw_front(srt_plot_t *p, const front_t *fr)
{
    const char *colour = srt_svg_colour(fr->eq_pos);
    srt_mark_t shape = (srt_mark_t)(fr->run % SRT_MARK_COUNT);
    char data[300], title[512];
    snprintf(data, sizeof data, "data-run=\"%s\"", fr->dir); /* dir names are [A-Za-z0-9_.-] */
    srt_plot_polyline(p, fr->hof.complexity, fr->hof.loss, fr->hof.n, colour, 1.6, NULL, 0.85,
                      "front", data);
    for (size_t i = 0; i < fr->hof.n; i++) {
        double c = fr->hof.complexity[i], l = fr->hof.loss[i];
        if (!(c > 0) || !(l > 0) || !isfinite(c) || !isfinite(l))
            continue;
        snprintf(title, sizeof title, "%s: complexity %g, loss %.4g: %s", fr->label, c, l,
                 fr->hof.equation[i]);
        srt_plot_marker(p, shape, c, l, 4, colour, 1, "hof-point", title, data);
    }
}

void srt_report_pareto(const srt_rdata_t *d, srt_text_t *t, size_t *n_runs)
{
    srt_plot_t p;
    size_t n = 0, npts = 0;
    front_t *f = d->best ? read_fronts(d, d->best, &n) : NULL;
    char sub[200];
    srt_legend_t legend[MAX_LEGEND + 1];
    double *cs = NULL, *ls = NULL;
    for (size_t k = 0; k < n; k++)
        npts += f[k].hof.n;
    cs = malloc((npts + 1) * sizeof *cs);
    ls = malloc((npts + 1) * sizeof *ls);
    if (!cs || !ls || (d->best && !f)) {
        t->failed = 1;
        goto cleanup;
    }
    npts = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t i = 0; i < f[k].hof.n; i++) {
            cs[npts] = f[k].hof.complexity[i];
            ls[npts++] = f[k].hof.loss[i];
        }
    if (d->best)
        snprintf(sub, sizeof sub,
                 "best trial %ld (value %.6g): %zu runs; each run's final hall "
                 "of fame",
                 d->best->number, d->best->values[0], n);
    else
        snprintf(sub, sizeof sub, "no best trial yet");
    srt_plot_begin(&p, t, WIDTH, HEIGHT, "Pareto fronts of the best trial", sub, LEGEND_ROOM);
    p.x.label = "complexity (nodes)";
    p.y.label = "loss";
    srt_axis_fit(&p.x, cs, npts, 1);
    srt_axis_fit(&p.y, ls, npts, 1);
    srt_plot_axes(&p);
    for (size_t k = 0; k < n; k++)
        draw_front(&p, &f[k]);
    if (!d->best)
        srt_plot_note(&p, "no COMPLETE trial yet");
    else if (!n)
        srt_plot_note(&p, "no hall_of_fame.csv in the best trial's runs");
    size_t nl = n < MAX_LEGEND ? n : MAX_LEGEND - 1;
    char more[64];
    for (size_t k = 0; k < nl; k++) {
        legend[k] = (srt_legend_t){f[k].label, srt_svg_colour(f[k].eq_pos),
                                   1,          NULL,
                                   1,          (srt_mark_t)(f[k].run % SRT_MARK_COUNT),
                                   1};
    }
    if (nl < n) {
        snprintf(more, sizeof more, "... %zu more runs", n - nl);
        legend[nl++] = (srt_legend_t){more, "#ffffff", 0, NULL, 0, SRT_MARK_CIRCLE, 0};
    }
    if (nl)
        srt_plot_legend(&p, legend, nl, 1);
    srt_plot_end(&p);
cleanup:
    for (size_t k = 0; f && k < n; k++)
        srt_hof_fini(&f[k].hof);
    free(f);
    free(cs);
    free(ls);
    *n_runs = n;
}
