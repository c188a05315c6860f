/*
 * `srtune validate CONFIG`: the dry run. Checks the config, resolves the
 * equation list, generates each equation's first data set (catching formulas
 * that give NaN/Inf on their ranges), checks the output directory against an
 * existing study, and prints the plan. Writes nothing.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "srtune/cluster.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: srtune validate CONFIG\n\n"
               "Checks CONFIG, resolves its equations, generates their data once, checks\n"
               "the output directory, and prints the plan. Exit 0 when the study can run,\n"
               "3 when the config or its inputs are invalid.\n");
}

static void print_param(const srt_config_param_t *p)
{
    switch (p->kind) {
    case SRT_CONFIG_PARAM_FLOAT:
        printf("    %-28s float [%g, %g]%s", p->name, p->low, p->high, p->log ? " log" : "");
        if (p->step > 0)
            printf(" step %g", p->step);
        break;
    case SRT_CONFIG_PARAM_INT:
        printf("    %-28s int [%g, %g]%s", p->name, p->low, p->high, p->log ? " log" : "");
        if (p->step > 1)
            printf(" step %g", p->step);
        break;
    case SRT_CONFIG_PARAM_CATEGORICAL:
        printf("    %-28s categorical {", p->name);
        for (size_t i = 0; i < p->n_choices; i++) {
            const srt_config_choice_t *c = &p->choices[i];
            printf("%s", i ? ", " : "");
            switch (c->kind) {
            case SRT_CONFIG_CHOICE_NULL: printf("null"); break;
            case SRT_CONFIG_CHOICE_BOOL: printf("%s", c->boolean ? "true" : "false"); break;
            case SRT_CONFIG_CHOICE_NUMBER: printf("%g", c->number); break;
            case SRT_CONFIG_CHOICE_STRING: printf("\"%s\"", c->string); break;
            }
        }
        printf("}");
        break;
    case SRT_CONFIG_PARAM_SIMPLEX:
        printf("    %-28s simplex of %zu weights summing to %g:", p->name, p->n_keys, p->total);
        for (size_t i = 0; i < p->n_keys; i++)
            printf(" %s", p->keys[i]->name);
        break;
    }
    printf("\n");
}

/* Generates run 0's data of every equation; returns the number that failed. */
static int check_data(const srt_study_plan_t *plan)
{
    const srt_config_t *cfg = plan->cfg;
    int failed = 0;
    srt_err_t err;
    if (plan->files)
        return 0; /* every file was read and checked by srt_study_plan_load */
    if (!plan->cat) {
        srt_dataset_t *ds = NULL;
        if (srt_dataset_load_csv(cfg->dataset.path, cfg->dataset.target, &ds, &err) != SRT_OK) {
            srt_print_error(&err);
            failed++;
        } else {
            printf("  data:          %s: %zu rows, %zu features, target '%s'\n",
                   cfg->dataset.path, ds->nrows, ds->nfeatures, ds->target);
        }
        srt_dataset_destroy(&ds);
        return failed;
    }
    for (size_t i = 0; i < plan->n_equations; i++) {
        const srt_catalogue_entry_t *e = srt_catalogue_entry(plan->cat, plan->equations[i]);
        uint64_t seed = srt_seed_derive(cfg->study.seed, "data", cfg->dataset.name,
                                        (long)plan->equations[i], 0);
        srt_dataset_t *ds = NULL;
        if (srt_dataset_generate(e, (size_t)cfg->dataset.num_samples, cfg->dataset.noise, seed,
                                 &ds, &err) != SRT_OK) {
            if (!err.file[0]) {
                snprintf(err.file, sizeof err.file, "%s", srt_catalogue_path(plan->cat));
                err.line = e->line;
            }
            srt_print_error(&err);
            failed++;
        }
        srt_dataset_destroy(&ds);
    }
    return failed;
}

/* The main model options; a tuned one says so instead of showing the fixed value. */
static void print_model(const srt_config_t *cfg)
{
    static const char *const shown[] = {"niterations", "populations", "population_size",
                                        "maxsize"};
    printf("  model:         preset %s", cfg->preset == SRT_SR_PRESET_PYSR0 ? "pysr-0" : "pysr-1");
    for (size_t i = 0; i < sizeof shown / sizeof shown[0]; i++) {
        int tuned = 0;
        for (size_t k = 0; k < cfg->space.n; k++)
            tuned |= !strcmp(cfg->space.params[k].name, shown[i]);
        const srt_sr_option_info_t *info = srt_sr_option_find(shown[i]);
        if (tuned)
            printf(", %s tuned", shown[i]);
        else if (info)
            printf(", %s %.10g", shown[i], srt_sr_option_get(&cfg->model, info));
    }
    printf("\n");
    /* the structured options that are set (issue #14) */
    static const char *const maps[] = {"complexity_of_operators", "complexity_of_variables",
                                       "constraints", "nested_constraints"};
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        char *text = srt_sr_maps_format(&cfg->model, maps[i], SRT_SR_MAPS_JSON);
        if (text)
            printf("                 %s %s\n", maps[i], text);
        free(text);
    }
}

int srt_cmd_validate(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        return SRT_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-') {
        usage(stderr);
        return SRT_EXIT_USAGE;
    }
    srt_study_plan_t plan;
    int code = srt_study_plan_load(argv[1], 0, &plan);
    if (code != 0) {
        srt_study_plan_fini(&plan);
        return code;
    }
    const srt_config_t *cfg = plan.cfg;
    const srt_config_study_t *st = &cfg->study;
    const srt_config_dataset_t *ds = &cfg->dataset;
    srt_err_t err;
    srt_err_clear(&err);

    printf("config %s (config hash %016llx, study hash %016llx)\n", cfg->path,
           (unsigned long long)cfg->config_hash, (unsigned long long)cfg->study_hash);
    printf("  study:         %s, seed %llu, %s\n", st->name, (unsigned long long)st->seed,
           srt_config_direction_name(st->direction));
    printf("  sampler:       %s", srt_config_sampler_name(st->sampler.kind));
    if (st->sampler.kind == SRT_SAMPLER_TPE)
        printf(" (n_startup_trials %ld, n_ei_candidates %ld, multivariate %s, constant_liar %s)",
               st->sampler.n_startup_trials, st->sampler.n_ei_candidates,
               st->sampler.multivariate ? "on" : "off", st->sampler.constant_liar ? "on" : "off");
    printf("\n  pruner:        %s", srt_config_pruner_name(st->pruner.kind));
    if (st->pruner.kind == SRT_CONFIG_PRUNER_MEDIAN)
        printf(" (n_startup_trials %ld, n_warmup_steps %ld, interval %ld)",
               st->pruner.n_startup_trials, st->pruner.n_warmup_steps, st->pruner.interval);
    else if (st->pruner.kind == SRT_CONFIG_PRUNER_WILCOXON)
        printf(" (p_threshold %g, n_startup_steps %ld; per-equation values, %s order)",
               st->pruner.p_threshold, st->pruner.n_startup_steps,
               ds->order == SRT_ORDER_SHUFFLE ? "shuffled" : "catalogue");
    printf("\n  trials:        %ld\n", st->n_trials);
    if (st->n_baselines > 0) {
        printf("  baselines:     ");
        for (size_t i = 0; i < st->n_baselines; i++)
            printf("%s%s %s", i ? "; " : "", st->baselines[i].name, st->baselines[i].fixed_params);
        printf(" (enqueued first; they count toward n_trials)\n");
    }
    if (plan.cat) {
        printf("  equations:     %zu of %zu in %s (%s):", plan.n_equations,
               srt_catalogue_count(plan.cat), srt_catalogue_path(plan.cat), ds->equations);
        for (size_t i = 0; i < plan.n_equations; i++) {
            if (i == 12) {
                printf(" ...");
                break;
            }
            printf(" %s", srt_catalogue_entry(plan.cat, plan.equations[i])->id);
        }
        printf("\n  data:          %ld samples per run, noise %g\n", ds->num_samples, ds->noise);
    } else if (plan.files) {
        printf("  instances:     %zu files (ids: file names without extension):\n",
               plan.n_equations);
        for (size_t i = 0; i < plan.n_equations; i++) {
            const srt_dataset_t *f = plan.files[i];
            printf("    %-24s %s: %zu rows, %zu features, target '%s'%s\n",
                   ds->ids.items[i], ds->files.items[i], f->nrows, f->nfeatures, f->target,
                   f->w ? ", weights" : "");
        }
        if (ds->num_samples > 0)
            printf("  data:          %ld rows drawn per run (without replacement; all rows of "
                   "smaller files)\n",
                   ds->num_samples);
        else
            printf("  data:          every row of each file\n");
    } else {
        printf("  equations:     1 (csv data set %s)\n", ds->path);
    }
    if (plan.n_holdout > 0) {
        printf("  holdout:       %zu held out, never run while tuning (srtune evaluate):",
               plan.n_holdout);
        for (size_t i = 0; i < plan.n_holdout; i++) {
            const srt_catalogue_entry_t *e =
                plan.cat ? srt_catalogue_entry(plan.cat, plan.holdout_equations[i]) : NULL;
            printf(" %s", e ? e->id : plan.holdout_ids[i]);
        }
        printf("\n");
    }
    printf("  runs:          %ld per equation\n", ds->n_runs);
    printf("  SR runs:       %s%lld in total (%ld trials x %zu equations x %ld runs)\n",
           st->pruner.kind == SRT_CONFIG_PRUNER_MEDIAN ? "at most " : "",
           (long long)st->n_trials * (long long)plan.n_equations * ds->n_runs, st->n_trials,
           plan.n_equations, ds->n_runs);
    print_model(cfg);
    printf("  search space:  %zu parameter%s\n", cfg->space.n, cfg->space.n == 1 ? "" : "s");
    if (cfg->space.n == 0)
        SRT_WARN("%s: search_space is empty: all %ld trials run the same options (only the "
                 "trial number differs); add parameters to tune, or set study.n_trials to 1",
                 cfg->path, st->n_trials);
    for (size_t i = 0; i < cfg->space.n; i++)
        print_param(&cfg->space.params[i]);
    if (!isnan(cfg->model.timeout_in_seconds))
        SRT_WARN("%s: model.timeout_in_seconds makes results depend on the machine's speed and "
                 "load; bound runs with niterations or max_evals instead",
                 cfg->path);

    int bad = check_data(&plan);

    srt_config_existing_t state = SRT_CONFIG_EXISTING_NONE;
    srt_rc rc = srt_config_check_existing(cfg, &state, &err);
    printf("  output:        %s: ", st->output_dir);
    switch (state) {
    case SRT_CONFIG_EXISTING_NONE: printf("new study\n"); break;
    case SRT_CONFIG_EXISTING_SAME: printf("resumes the existing study (same config)\n"); break;
    case SRT_CONFIG_EXISTING_CHANGED:
        printf("resumes the existing study (n_trials or resource options changed)\n");
        break;
    case SRT_CONFIG_EXISTING_MISMATCH: {
        char why[2048] = "another study is there";
        if (rc != SRT_OK)
            srt_err_format(&err, why, sizeof why);
        printf("REFUSED: %s\n", why);
        break;
    }
    }
    if (rc != SRT_OK) {
        srt_print_error(&err);
        bad++;
        code = rc == SRT_ERR_IO ? SRT_EXIT_FAILURE : SRT_EXIT_INVALID;
    }
    if (bad) {
        printf("invalid: %d problem%s\n", bad, bad == 1 ? "" : "s");
        if (!code)
            code = SRT_EXIT_INVALID;
    } else {
        printf("ok\n");
    }
    srt_study_plan_fini(&plan);
    return code;
}
