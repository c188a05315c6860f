/*
 * `srtune best DIR [--format table|json|pysr]`: the best COMPLETE trial with
 * its SR option values; `pysr` prints keyword arguments to paste into
 * PySRRegressor(...), including the fixed model options that differ from the
 * preset's defaults, since the tuned values were found with them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
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

int srt_cmd_best(int argc, char **argv)
{
    const char *dir = NULL, *format = "table";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: srtune best DIR [--format table|json|pysr]\n");
            return SRT_EXIT_OK;
        } else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "usage: srtune best DIR [--format table|json|pysr]\n");
            return SRT_EXIT_USAGE;
        }
    }
    if (!dir || (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "pysr"))) {
        fprintf(stderr, "usage: srtune best DIR [--format table|json|pysr]\n");
        return SRT_EXIT_USAGE;
    }
    srt_view_t v;
    int code = srt_view_open(dir, &v);
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
        for (uint32_t i = 0; i < w.n_params; i++)
            printf("  %-28s %.10g\n", w.params[i].name, w.params[i].value);
    }
    srt_view_close(&v);
    return code;
}
