/*
 * `srtune best DIR|CONFIG [--format table|json|pysr|julia] [--trial N]
 * [--model-selection best|accuracy|score]`: the best COMPLETE trial (or trial
 * N) with its SR option values and, in the table, each run's equation chosen
 * by PySR's model_selection rule. `pysr` prints the
 * PySRRegressor(...) keywords (PySR 1.5.x) of every option whose value in the
 * trial differs from PySR 1.x's default, whatever preset the study used, and
 * nothing srtune-only; `json` carries the same as "pysr_kwargs"; `julia`
 * prints SymbolicRegression.Options(...) keywords (docs/pysr.md).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/model_select.h"
#include "cli/report_hof.h"
#include "cli/study_summary.h"
#include "cli/study_view.h"
#include "srtune/runner.h"

/* ------------------------------------------------------------ the export */

/* One keyword of the export: an SR option with its value in the trial. */
typedef struct export_kw {
    const srt_sr_option_info_t *info;
    double v;
    int tuned;
} export_kw_t;

typedef struct export_set {
    srt_sr_options_t opts; /* the trial's options: model, then its params */
    export_kw_t kw[128];   /* the PySR keywords that differ from PySR 1.x's defaults */
    size_t n;
    int log_interval_set; /* log_interval differs from 1 or is tuned: a comment says so */
    int tuned_log_interval;
} export_set_t;

/* srtune-only options: not PySRRegressor keywords. */
static int srtune_only(const char *name)
{
    return strcmp(name, "log_interval") == 0;
}

static int same(double a, double b)
{
    return a == b || (isnan(a) && isnan(b));
}

/* The keywords to print for a trial: every PySRRegressor keyword whose value
 * differs from PySR 1.x's default (the pysr-1 column), whatever the study's
 * preset; PySR's None (maxdepth 0, unset optional floats) is left out. */
static void export_build(const srt_config_t *cfg, const srt_msg_work_t *w, export_set_t *e)
{
    memset(e, 0, sizeof *e);
    e->opts = cfg->model;
    size_t n = 0;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    int tuned[128] = {0};
    for (uint32_t i = 0; i < w->n_params; i++) {
        const srt_sr_option_info_t *info = srt_sr_option_find(w->params[i].name);
        if (!info)
            continue;
        srt_sr_option_set(&e->opts, info, w->params[i].value);
        size_t k = (size_t)(info - t);
        if (k < 128)
            tuned[k] = 1;
    }
    for (size_t i = 0; i < n && e->n < 128; i++) {
        double v = srt_sr_option_get(&e->opts, &t[i]);
        if (srtune_only(t[i].name)) {
            e->log_interval_set = tuned[i] || v != 1;
            e->tuned_log_interval = tuned[i];
            continue;
        }
        if (!strcmp(t[i].name, "maxdepth") && v == 0)
            continue; /* no limit: PySR's None, its default */
        if (t[i].kind == SRT_OPTKIND_OPTFLOAT && isnan(v))
            continue; /* None, PySR's default */
        if (same(v, t[i].def_pysr1) && !tuned[i])
            continue;
        e->kw[e->n].info = &t[i];
        e->kw[e->n].v = v;
        e->kw[e->n].tuned = tuned[i];
        e->n++;
    }
}

/* Shortest %g that reads back as v; floats keep a '.' or an exponent. */
static void fmt_float(char *buf, size_t size, double v)
{
    for (int prec = 15; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    if (!strpbrk(buf, ".en") && strlen(buf) + 3 < size)
        strcat(buf, ".0");
}

/* A value as Python (py = 1), Julia (py = 0) or JSON (py = 2) writes it. */
static void fmt_value(char *buf, size_t size, const srt_sr_option_info_t *info, double v, int py)
{
    if (info->kind == SRT_OPTKIND_BOOL)
        snprintf(buf, size, "%s",
                 v != 0 ? (py == 1 ? "True" : "true") : (py == 1 ? "False" : "false"));
    else if (info->kind == SRT_OPTKIND_INT)
        snprintf(buf, size, "%ld", (long)v);
    else if (!strcmp(info->name, "max_evals"))
        snprintf(buf, size, "%.0f", ceil(v)); /* PySR: int | None */
    else
        fmt_float(buf, size, v);
}

static void print_op_list(const char *indent, const char *name, const uint8_t *ops, int n,
                          int quoted, const char *end)
{
    printf("%s%s%s[", indent, name, name[0] == '"' ? ": " : "=");
    for (int i = 0; i < n; i++)
        printf(quoted ? "%s\"%s\"" : "%s%s", i ? ", " : "",
               quoted ? srt_op_name((srt_op_t)ops[i]) : srt_op_julia_name((srt_op_t)ops[i]));
    printf("]%s", end);
}

/* The structured options that are set (docs/pysr.md), one keyword each:
 * "    name=VALUE,\n" (Python, Julia) or "\"name\": VALUE, " (JSON). */
static void print_maps(const srt_sr_options_t *o, srt_sr_maps_style_t style)
{
    static const char *const names[] = {"complexity_of_variables", "complexity_of_operators",
                                        "constraints", "nested_constraints"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        char *text = srt_sr_maps_format(o, names[i], style);
        if (!text)
            continue;
        if (style == SRT_SR_MAPS_JSON)
            printf("\"%s\": %s, ", names[i], text);
        else
            printf("    %s=%s,\n", names[i], text);
        free(text);
    }
}

static void print_log_interval_comment(const export_set_t *e)
{
    if (e->log_interval_set)
        printf("    # log_interval=%ld omitted: srtune-only (island returns between scalar log "
               "rows), not a PySRRegressor keyword%s\n",
               e->opts.log_interval, e->tuned_log_interval ? " (tuned)" : "");
}

static void print_pysr(const srt_view_t *v, const srt_trial_t *t, const srt_msg_work_t *w)
{
    const srt_config_t *cfg = v->plan.cfg;
    export_set_t e;
    export_build(cfg, w, &e);
    printf("# study '%s', trial %ld, value %.10g; PySR 1.5.x keywords that differ from its "
           "defaults\n",
           cfg->study.name, t->number, t->n_values > 0 ? t->values[0] : NAN);
    printf("PySRRegressor(\n");
    for (size_t i = 0; i < e.n; i++) {
        char buf[64];
        fmt_value(buf, sizeof buf, e.kw[i].info, e.kw[i].v, 1);
        printf("    %s=%s,%s\n", e.kw[i].info->name, buf, e.kw[i].tuned ? "  # tuned" : "");
    }
    print_maps(&e.opts, SRT_SR_MAPS_PYTHON);
    print_op_list("    ", "binary_operators", e.opts.binops, e.opts.n_binops, 1, ",\n");
    print_op_list("    ", "unary_operators", e.opts.unaops, e.opts.n_unaops, 1, ",\n");
    print_log_interval_comment(&e);
    printf(")\n");
}

/* SR.jl's keyword for a PySR option (PySR's _run passes optimize_probability
 * as optimizer_probability; the mutation weights go into mutation_weights). */
static const char *julia_name(const char *name)
{
    if (!strcmp(name, "optimize_probability"))
        return "optimizer_probability";
    return name;
}

static void print_julia(const srt_view_t *v, const srt_trial_t *t, const srt_msg_work_t *w)
{
    const srt_config_t *cfg = v->plan.cfg;
    export_set_t e;
    export_build(cfg, w, &e);
    size_t n = 0;
    const srt_sr_option_info_t *tab = srt_sr_option_table(&n);
    printf("# study '%s', trial %ld, value %.10g; SymbolicRegression.jl 1.11 keywords, every "
           "option written out\n",
           cfg->study.name, t->number, t->n_values > 0 ? t->values[0] : NAN);
    printf("# niterations is a keyword of equation_search: equation_search(X, y; "
           "niterations=%ld, options=options)\n",
           e.opts.niterations);
    printf("# precision is the element type of your data in SR.jl, not an Options keyword:"
           " pass Float%ld arrays\n",
           e.opts.precision);
    printf("options = SymbolicRegression.Options(;\n");
    print_op_list("    ", "binary_operators", e.opts.binops, e.opts.n_binops, 0, ",\n");
    print_op_list("    ", "unary_operators", e.opts.unaops, e.opts.n_unaops, 0, ",\n");
    char buf[64];
    for (size_t i = 0; i < n; i++) {
        double x = srt_sr_option_get(&e.opts, &tab[i]);
        const char *name = tab[i].name;
        if (srtune_only(name) || !strcmp(name, "niterations") || !strcmp(name, "precision") ||
            !strncmp(name, "weight_", 7))
            continue;
        if ((!strcmp(name, "maxdepth") && x == 0) ||
            (tab[i].kind == SRT_OPTKIND_OPTFLOAT && isnan(x)))
            continue;
        if (!strcmp(name, "complexity_of_variables") && e.opts.maps.n_var_complexity > 0)
            continue; /* the per-feature list, below */
        fmt_value(buf, sizeof buf, &tab[i], x, 0);
        printf("    %s=%s,\n", julia_name(name), buf);
    }
    printf("    mutation_weights=SymbolicRegression.MutationWeights(;\n");
    for (size_t i = 0; i < n; i++) {
        if (strncmp(tab[i].name, "weight_", 7))
            continue;
        fmt_value(buf, sizeof buf, &tab[i], srt_sr_option_get(&e.opts, &tab[i]), 0);
        printf("        %s=%s,\n", tab[i].name + 7, buf);
    }
    printf("    ),\n");
    print_maps(&e.opts, SRT_SR_MAPS_JULIA);
    print_log_interval_comment(&e);
    printf(")\n");
}

/* "pysr_kwargs" of --format json: the keywords of --format pysr. */
static void print_pysr_json(const srt_config_t *cfg, const srt_msg_work_t *w)
{
    export_set_t e;
    export_build(cfg, w, &e);
    printf("\"pysr_kwargs\": {");
    for (size_t i = 0; i < e.n; i++) {
        char buf[64];
        fmt_value(buf, sizeof buf, e.kw[i].info, e.kw[i].v, 2);
        printf("\"%s\": %s, ", e.kw[i].info->name, buf);
    }
    print_maps(&e.opts, SRT_SR_MAPS_JSON);
    print_op_list("", "\"binary_operators\"", e.opts.binops, e.opts.n_binops, 1, ", ");
    print_op_list("", "\"unary_operators\"", e.opts.unaops, e.opts.n_unaops, 1, "}");
}

/* The equation model_selection picks from each run's hall_of_fame.csv. */
static void print_chosen(const srt_view_t *v, const srt_trial_t *t, srt_select_t sel)
{
    const char *rd = srt_trial_system_attr(t, "srtune:run_dir");
    char rel[4096];
    size_t len = rd ? strlen(rd) : 0;
    if (len < 2 || rd[0] != '"' || rd[len - 1] != '"' || len - 2 >= sizeof rel ||
        memchr(rd + 1, '\\', len - 2) || !srt_study_run_dir_safe(rd))
        return;
    memcpy(rel, rd + 1, len - 2);
    rel[len - 2] = '\0';
    char *tdir = srt_path_join(v->dir, rel);
    if (!tdir)
        return;
    printf("run directory: %s\n", tdir);
    printf("chosen equations (model_selection=%s):\n", srt_select_name(sel));
    const srt_study_plan_t *plan = &v->plan;
    const char *eqv = srt_trial_user_attr(t, "equation_values");
    const char *p = eqv && *eqv == '[' ? eqv + 1 : NULL;
    for (size_t e = 0; e < plan->n_equations; e++) {
        char val[32] = "-", id[200];
        if (p) {
            while (*p == ' ' || *p == ',')
                p++;
            if (!strncmp(p, "null", 4)) {
                p += 4;
            } else {
                char *end;
                double x = strtod(p, &end);
                if (end != p)
                    snprintf(val, sizeof val, "%.6g", x);
                p = end;
            }
        }
        const srt_catalogue_entry_t *ce =
            plan->cat ? srt_catalogue_entry(plan->cat, plan->equations[e]) : NULL;
        srt_study_plan_instance_id(plan, e, id, sizeof id);
        if (ce)
            printf(" %s (%s = %s): value %s\n", ce->id, ce->output ? ce->output : "y",
                   ce->formula, val);
        else
            printf(" %s: value %s\n", id, val);
        for (long r = 0; r < plan->cfg->dataset.n_runs; r++) {
            char name[256];
            const char *ds;
            long eq;
            srt_study_plan_instance(plan, e, &ds, &eq);
            srt_runner_run_dirname(name, sizeof name, ds, eq, r);
            char *dir = srt_path_join(tdir, name);
            char *path = dir ? srt_path_join(dir, "hall_of_fame.csv") : NULL;
            srt_hof_t h;
            srt_err_t err;
            if (path && srt_hof_read(path, &h, &err) == SRT_OK) {
                uint32_t *cx = calloc(h.n + 1, sizeof *cx);
                double *score = calloc(h.n + 1, sizeof *score);
                long k = -1;
                if (cx && score) {
                    for (size_t i = 0; i < h.n; i++)
                        cx[i] = (uint32_t)h.complexity[i];
                    srt_sr_pareto_scores(cx, h.loss, h.n, score);
                    k = srt_select_member(h.loss, score, h.n, sel);
                }
                if (k >= 0)
                    printf("  %-28s complexity %g, loss %.6g: %s\n", name, h.complexity[k],
                           h.loss[k], h.equation[k]);
                free(cx);
                free(score);
                srt_hof_fini(&h);
            } else {
                printf("  %-28s no hall of fame\n", name);
            }
            free(path);
            free(dir);
        }
    }
    free(tdir);
}

#define BEST_USAGE                                                                                 \
    "usage: srtune best DIR|CONFIG [--format table|json|pysr|julia] [--trial N]\n"                 \
    "                   [--model-selection best|accuracy|score]\n"

int srt_cmd_best(int argc, char **argv)
{
    const char *dir = NULL, *format = "table";
    long trial_no = -1;
    srt_select_t sel = SRT_SELECT_BEST;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--format") && i + 1 < argc)
            format = argv[++i];
        else if (!strcmp(argv[i], "--trial") && i + 1 < argc) {
            char *end;
            trial_no = strtol(argv[++i], &end, 10);
            if (end == argv[i] || *end || trial_no < 0) {
                fprintf(stderr, "srtune best: --trial: expected a trial number >= 0, got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--model-selection") && i + 1 < argc) {
            if (srt_select_lookup(argv[++i], &sel) != 0) {
                fprintf(stderr,
                        "srtune best: --model-selection: must be one of best, accuracy, score, "
                        "got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf(BEST_USAGE
                   "\nThe best COMPLETE trial (or trial N) with its SR option values;\n"
                   "pysr: PySRRegressor(...) keywords (PySR 1.5.x), julia:\n"
                   "SymbolicRegression.Options(...) keywords (SR.jl 1.11); see docs/pysr.md.\n");
            return SRT_EXIT_OK;
        } else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, BEST_USAGE);
            return SRT_EXIT_USAGE;
        }
    }
    if (strcmp(format, "table") && strcmp(format, "json") && strcmp(format, "pysr") &&
        strcmp(format, "julia")) {
        fprintf(stderr, "srtune best: unknown --format '%s' (table, json, pysr or julia)\n",
                format);
        return SRT_EXIT_USAGE;
    }
    if (!dir) {
        fprintf(stderr, BEST_USAGE);
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
    const srt_trial_t *best = NULL;
    if (trial_no < 0)
        best = srt_view_best(&v);
    else
        for (size_t i = 0; i < v.n_trials; i++)
            if (v.trials[i]->number == trial_no)
                best = v.trials[i];
    static srt_msg_work_t w;
    srt_err_t err;
    if (!best && trial_no >= 0) {
        fprintf(stderr, "srtune: %s: no trial %ld in study '%s'\n", dir, trial_no,
                v.plan.cfg->study.name);
        code = SRT_EXIT_FAILURE;
    } else if (!best) {
        fprintf(stderr, "srtune: %s: no COMPLETE trial yet\n", dir);
        code = SRT_EXIT_FAILURE;
    } else if (srt_view_params(&v, best, &w, &err) != SRT_OK) {
        srt_print_error(&err);
        code = SRT_EXIT_FAILURE;
    } else if (!strcmp(format, "pysr")) {
        print_pysr(&v, best, &w);
    } else if (!strcmp(format, "julia")) {
        print_julia(&v, best, &w);
    } else if (!strcmp(format, "json")) {
        double value = best->n_values > 0 ? best->values[0] : NAN;
        printf("{\"study\": \"%s\", \"trial\": %ld, \"value\": ", v.plan.cfg->study.name,
               best->number);
        if (isfinite(value))
            printf("%.17g", value);
        else
            printf("null");
        printf(", \"params\": {");
        for (uint32_t i = 0; i < w.n_params; i++) {
            const srt_sr_option_info_t *info = srt_sr_option_find(w.params[i].name);
            printf("%s\"%s\": ", i ? ", " : "", w.params[i].name);
            if (info && info->kind == SRT_OPTKIND_BOOL)
                printf("%s", w.params[i].value != 0 ? "true" : "false");
            else
                printf("%.17g", w.params[i].value);
        }
        const char *eqv = srt_trial_user_attr(best, "equation_values");
        printf("}, \"equation_values\": %s, ", eqv ? eqv : "null");
        print_pysr_json(v.plan.cfg, &w);
        printf("}\n");
    } else {
        char bname[128];
        const char *bl = srt_study_trial_baseline(best, bname, sizeof bname);
        printf("%s trial %ld of study '%s': value %.10g%s%s%s\n", trial_no < 0 ? "best" : "the",
               best->number, v.plan.cfg->study.name, best->n_values > 0 ? best->values[0] : NAN,
               bl ? " (baseline " : "", bl ? bl : "", bl ? ")" : "");
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
        print_chosen(&v, best, sel);
    }
    srt_view_close(&v);
    return code;
}
