/*
 * `srtune best DIR|CONFIG [--format table|json|pysr]`: the best COMPLETE trial
 * with its SR option values (table: also its run directory and the equations
 * its runs found); `pysr` prints keyword arguments to paste into
 * PySRRegressor(...), including the fixed model options that differ from the
 * preset's defaults, since the tuned values were found with them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/study_summary.h"
#include "cli/study_view.h"

static void print_py_value(const srt_sr_option_info_t *info, double v)
{
    if (info && info->kind == SRT_OPTKIND_BOOL)
        printf("%s", v != 0 ? "True" : "False");
    else if (info && info->kind == SRT_OPTKIND_INT)
        printf("%ld", (long)v);
    else if (isnan(v))
        printf("None");
    else
        printf("%.17g", v);
}

static void print_ops(const char *name, const uint8_t *ops, int n)
{
    printf("    %s=[", name);
    for (int i = 0; i < n; i++)
        printf("%s\"%s\"", i ? ", " : "", srt_op_name((srt_op_t)ops[i]));
    printf("],\n");
}

static int is_tuned(const srt_msg_work_t *w, const char *name)
{
    for (uint32_t i = 0; i < w->n_params; i++)
        if (!strcmp(w->params[i].name, name))
            return 1;
    return 0;
}

static void print_pysr(const srt_view_t *v, const srt_trial_t *best, const srt_msg_work_t *w)
{
    const srt_config_t *cfg = v->plan.cfg;
    printf("# study '%s', trial %ld, mean Pareto volume %.10g\n", cfg->study.name, best->number,
           best->values[0]);
    printf("PySRRegressor(\n");
    for (uint32_t i = 0; i < w->n_params; i++) {
        printf("    %s=", w->params[i].name);
        print_py_value(srt_sr_option_find(w->params[i].name), w->params[i].value);
        printf(",\n");
    }
    /* fixed options that differ from the preset: part of what was tuned against */
    srt_sr_options_t def;
    srt_sr_options_default(&def, cfg->preset);
    size_t n = 0;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    for (size_t i = 0; i < n; i++) {
        double a = srt_sr_option_get(&cfg->model, &t[i]);
        double d = srt_sr_option_get(&def, &t[i]);
        if (is_tuned(w, t[i].name) || a == d || (isnan(a) && isnan(d)) ||
            !strcmp(t[i].name, "log_interval"))
            continue;
        if (!strcmp(t[i].name, "maxdepth") && a == 0)
            continue;
        printf("    %s=", t[i].name);
        print_py_value(&t[i], a);
        printf(",\n");
    }
    print_ops("binary_operators", cfg->model.binops, cfg->model.n_binops);
    print_ops("unary_operators", cfg->model.unaops, cfg->model.n_unaops);
    printf(")\n");
}

/* The equation PySR's model_selection="best" picks from a hall_of_fame.csv:
 * the highest score among the equations whose loss is within 1.5x of the
 * lowest. Returns 1 and fills the fields, 0 when the file is missing or empty. */
static int hof_pick(const char *path, long *complexity, double *loss, char *eq, size_t eq_size)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    char line[8192];
    double min_loss = INFINITY;
    int have = 0;
    /* two passes: the lowest loss, then the best score near it */
    for (int pass = 0; pass < 2; pass++) {
        rewind(f);
        double best_score = -INFINITY;
        if (!fgets(line, sizeof line, f)) /* header */
            break;
        while (fgets(line, sizeof line, f)) {
            char *c1 = strchr(line, ','), *c2 = c1 ? strchr(c1 + 1, ',') : NULL;
            char *c3 = c2 ? strchr(c2 + 1, ',') : NULL;
            if (!c3)
                continue;
            long cx = strtol(line, NULL, 10);
            double l = strtod(c1 + 1, NULL), sc = strtod(c2 + 1, NULL);
            if (!isfinite(l))
                continue;
            if (pass == 0) {
                if (l < min_loss)
                    min_loss = l;
                continue;
            }
            if (l <= 1.5 * min_loss && sc > best_score) {
                best_score = sc;
                *complexity = cx;
                *loss = l;
                char *e = c3 + 1;
                e[strcspn(e, "\r\n")] = '\0';
                size_t n = strlen(e);
                if (n >= 2 && e[0] == '"' && e[n - 1] == '"') {
                    e[n - 1] = '\0';
                    e++;
                }
                snprintf(eq, eq_size, "%s", e);
                have = 1;
            }
        }
    }
    fclose(f);
    return have;
}

/* The best trial's run directory and, per equation, its value and the
 * equation each run found. */
static void print_runs(const srt_view_t *v, const srt_trial_t *best)
{
    const char *rd = srt_trial_system_attr(best, "srtune:run_dir");
    char rel[4096] = "";
    size_t len = rd ? strlen(rd) : 0;
    if (rd && srt_study_run_dir_safe(rd) && len >= 2 && rd[0] == '"' && len - 2 < sizeof rel) {
        memcpy(rel, rd + 1, len - 2);
        rel[len - 2] = '\0';
    }
    if (!*rel)
        return;
    char *tdir = srt_path_join(v->dir, rel);
    if (!tdir)
        return;
    printf("run directory: %s\n", tdir);
    const char *eqv = srt_trial_user_attr(best, "equation_values");
    const char *p = eqv && *eqv == '[' ? eqv + 1 : NULL;
    const srt_config_t *cfg = v->plan.cfg;
    printf("equations (value: mean Pareto volume; per run the equation PySR's "
           "model_selection=\"best\" picks):\n");
    for (size_t e = 0; e < v->plan.n_equations; e++) {
        size_t idx = v->plan.equations[e];
        const srt_catalogue_entry_t *ce = v->plan.cat ? srt_catalogue_entry(v->plan.cat, idx) : NULL;
        char val[32] = "-";
        if (p) {
            while (*p == ' ' || *p == ',')
                p++;
            if (!strncmp(p, "null", 4))
                p += 4;
            else {
                char *end;
                double x = strtod(p, &end);
                if (end != p)
                    snprintf(val, sizeof val, "%.6g", x);
                p = end;
            }
        }
        if (ce)
            printf("  %-10s %s = %s   value %s\n", ce->id, ce->output ? ce->output : "y",
                   ce->formula, val);
        else
            printf("  %-10s value %s\n", cfg->dataset.name, val);
        for (long r = 0; r < cfg->dataset.n_runs; r++) {
            char sub[256], eq[4096];
            snprintf(sub, sizeof sub, "%s_eq%zu_run%ld/hall_of_fame.csv", cfg->dataset.name, idx, r);
            char *hof = srt_path_join(tdir, sub);
            long cx = 0;
            double loss = 0;
            if (hof && hof_pick(hof, &cx, &loss, eq, sizeof eq))
                printf("    run %ld: %s   (loss %.4g, complexity %ld)  %s_eq%zu_run%ld/\n", r, eq, loss, cx,
                       cfg->dataset.name, idx, r);
            else
                printf("    run %ld: no hall of fame (%s_eq%zu_run%ld/)\n", r, cfg->dataset.name, idx, r);
            free(hof);
        }
    }
    free(tdir);
}

static void usage(FILE *f)
{
    fprintf(f, "usage: srtune best DIR|CONFIG [--format table|json|pysr]\n");
}

int srt_cmd_best(int argc, char **argv)
{
    const char *dir = NULL, *format = "table";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            printf("\nThe best COMPLETE trial: its SR option values, its run directory and the\n"
                   "equations its runs found (table); json; or PySRRegressor(...) arguments (pysr).\n");
            return SRT_EXIT_OK;
        } else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "srtune best: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return SRT_EXIT_USAGE;
        }
    }
    if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "pysr")) {
        fprintf(stderr, "srtune best: unknown --format '%s' (table, json or pysr)\n", format);
        return SRT_EXIT_USAGE;
    }
    if (!dir) {
        usage(stderr);
        return SRT_EXIT_USAGE;
    }
    srt_view_t v;
    int code = 0;
    char *target = srt_summary_target_dir(dir, &code);
    if (!target)
        return code;
    code = srt_view_open(target, &v);
    free(target);
    if (code != 0) {
        srt_view_close(&v);
        return code;
    }
    const srt_trial_t *best = srt_view_best(&v);
    static srt_msg_work_t w;
    srt_err_t err;
    if (!best) {
        fprintf(stderr, "srtune: %s: no COMPLETE trial yet\n", dir);
        code = SRT_EXIT_FAILURE;
    } else if (srt_view_params(&v, best, &w, &err) != SRT_OK) {
        srt_print_error(&err);
        code = SRT_EXIT_FAILURE;
    } else if (!strcmp(format, "pysr")) {
        print_pysr(&v, best, &w);
    } else if (!strcmp(format, "json")) {
        printf("{\"study\": \"%s\", \"trial\": %ld, \"value\": %.17g, \"params\": {",
               v.plan.cfg->study.name, best->number, best->values[0]);
        for (uint32_t i = 0; i < w.n_params; i++) {
            const srt_sr_option_info_t *info = srt_sr_option_find(w.params[i].name);
            printf("%s\"%s\": ", i ? ", " : "", w.params[i].name);
            if (info && info->kind == SRT_OPTKIND_BOOL)
                printf("%s", w.params[i].value != 0 ? "true" : "false");
            else
                printf("%.17g", w.params[i].value);
        }
        const char *eqv = srt_trial_user_attr(best, "equation_values");
        printf("}, \"equation_values\": %s}\n", eqv ? eqv : "null");
    } else {
        printf("best trial %ld of study '%s': value %.10g\n", best->number,
               v.plan.cfg->study.name, best->values[0]);
        for (uint32_t i = 0; i < w.n_params; i++) {
            const srt_sr_option_info_t *info = srt_sr_option_find(w.params[i].name);
            printf("  %-28s ", w.params[i].name);
            if (info && info->kind == SRT_OPTKIND_BOOL)
                printf("%s\n", w.params[i].value != 0 ? "true" : "false");
            else if (info && info->kind == SRT_OPTKIND_INT)
                printf("%ld\n", (long)w.params[i].value);
            else
                printf("%.10g\n", w.params[i].value);
        }
        print_runs(&v, best);
    }
    srt_view_close(&v);
    return code;
}
