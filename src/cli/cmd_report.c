/*
 * `srtune report DIR [--out OUTDIR]` (default DIR/report): self-contained SVG
 * plots of a study and an index.html linking them: history.svg,
 * intermediate.svg, importance.svg, slice_<param>.svg per tuned SR option,
 * pareto.svg (the best trial's runs). Reads the study read-only (study_view);
 * every file is written with srt_fs_write_atomic.
 * Exit codes: 3 when DIR is not a study; 1 when OUTDIR cannot be written;
 * 0 otherwise, also for a study without a COMPLETE trial (plots with notes).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/report_plots.h"
#include "cli/study_summary.h"

#define USAGE "usage: srtune report DIR|CONFIG [--out OUTDIR]   (default DIR/report)\n"

/* Writes text to OUTDIR/name; prints the reason and returns non-zero on failure. */
static int write_file(const char *outdir, const char *name, srt_text_t *t)
{
    srt_err_t err;
    char buf[1200];
    int rc = 0;
    char *path = srt_path_join(outdir, name);
    if (!path || t->failed || !t->buf) {
        fprintf(stderr, "srtune: report: %s/%s: out of memory\n", outdir, name);
        rc = 1;
    } else if (srt_fs_write_atomic(path, t->buf, t->len, &err) != SRT_OK) {
        fprintf(stderr, "srtune: report: cannot write %s: %s\n", path,
                srt_err_format(&err, buf, sizeof buf));
        rc = 1;
    }
    free(path);
    srt_text_fini(t);
    return rc;
}

/* Writes every plot and the index into outdir. */
static int write_report(const srt_rdata_t *d, const char *outdir)
{
    srt_text_t t = {0};
    int rc = 0;
    size_t n_fronts = 0, n_used = 0;
    double *imp = calloc(d->n_params + 1, sizeof *imp);
    char **slices = calloc(d->n_params + 1, sizeof *slices);
    if (!imp || !slices) {
        fprintf(stderr, "srtune: report: out of memory\n");
        rc = 1;
        goto cleanup;
    }
    srt_report_history(d, &t);
    if ((rc = write_file(outdir, "history.svg", &t)) != 0)
        goto cleanup;
    srt_report_intermediate(d, &t);
    if ((rc = write_file(outdir, "intermediate.svg", &t)) != 0)
        goto cleanup;
    n_used = srt_report_importances(d, imp);
    srt_report_importance_svg(d, imp, n_used, &t);
    if ((rc = write_file(outdir, "importance.svg", &t)) != 0)
        goto cleanup;
    for (size_t i = 0; i < d->n_params; i++) {
        char name[256];
        srt_report_slice_name(d->params[i].name, name, sizeof name);
        if (!(slices[i] = srt_strdup(name))) {
            rc = 1;
            goto cleanup;
        }
        srt_report_slice(d, i, &t);
        if ((rc = write_file(outdir, name, &t)) != 0)
            goto cleanup;
    }
    srt_report_pareto(d, &t, &n_fronts);
    if ((rc = write_file(outdir, "pareto.svg", &t)) != 0)
        goto cleanup;
    srt_report_html(d, imp, n_used, (const char *const *)slices, d->n_params, n_fronts, outdir,
                    &t);
    if ((rc = write_file(outdir, "index.html", &t)) != 0)
        goto cleanup;
    printf("%s/index.html: %zu trials (%zu complete), %zu plots\n", outdir, d->n_trials,
           d->n_complete, d->n_params + 4);
    if (!d->best)
        printf("note: no COMPLETE trial yet; the plots are empty\n");
cleanup:
    srt_text_fini(&t);
    for (size_t i = 0; slices && i < d->n_params; i++)
        free(slices[i]);
    free(slices);
    free(imp);
    return rc ? SRT_EXIT_FAILURE : SRT_EXIT_OK;
}

int srt_cmd_report(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(USAGE);
            return SRT_EXIT_OK;
        } else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, USAGE);
            return SRT_EXIT_USAGE;
        }
    }
    if (!dir || (out && !*out)) {
        fprintf(stderr, USAGE);
        return SRT_EXIT_USAGE;
    }
    srt_view_t v;
    srt_rdata_t d;
    srt_err_t err;
    char buf[1200];
    char *outdir = NULL;
    int code = 0;
    char *target = srt_summary_target_dir(dir, &code); /* DIR, or a config's output_dir */
    if (!target)
        return code;
    dir = target;
    code = srt_view_open(dir, &v);
    memset(&d, 0, sizeof d);
    if (code != 0)
        goto cleanup;
    outdir = out ? srt_strdup(out) : srt_path_join(dir, "report");
    if (!outdir || srt_rdata_init(&d, &v, &err) != SRT_OK) {
        fprintf(stderr, "srtune: report: out of memory\n");
        code = SRT_EXIT_FAILURE;
        goto cleanup;
    }
    if (srt_fs_mkdir_p(outdir, &err) != SRT_OK) {
        fprintf(stderr, "srtune: report: cannot write to %s: %s\n", outdir,
                srt_err_format(&err, buf, sizeof buf));
        code = SRT_EXIT_FAILURE;
        goto cleanup;
    }
    code = write_report(&d, outdir);
cleanup:
    srt_rdata_fini(&d);
    free(outdir);
    srt_view_close(&v);
    free(target);
    return code;
}
