/*
 * `srtune data CONFIG (--equation ID --out FILE | --out-dir DIR) [--run R]`:
 * writes generated data sets exactly as a study's runs see them (same seeds).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "srtune/cluster.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: srtune data CONFIG --equation ID --out FILE.csv [--run R]\n"
               "       srtune data CONFIG --out-dir DIR [--run R]\n\n"
               "Writes the data set that run R (default 0) of an equation sees in the study\n"
               "CONFIG: one equation by id (I.6.2a) or catalogue index, or every selected\n"
               "equation as DIR/<dataset>_eq<idx>_run<R>.csv.\n");
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || end == s || *end)
        return -1;
    *out = v;
    return 0;
}

static int write_one(const srt_study_plan_t *plan, size_t index, long run, const char *path)
{
    const srt_config_t *cfg = plan->cfg;
    const srt_catalogue_entry_t *e = srt_catalogue_entry(plan->cat, index);
    uint64_t seed = srt_seed_derive(cfg->study.seed, "data", cfg->dataset.name, (long)index, run);
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_dataset_generate(e, (size_t)cfg->dataset.num_samples, cfg->dataset.noise,
                                     seed, &ds, &err);
    if (rc == SRT_OK)
        rc = srt_dataset_write_csv(ds, path, &err);
    srt_dataset_destroy(&ds);
    if (rc != SRT_OK) {
        srt_print_error(&err);
        return rc == SRT_ERR_IO ? SRT_EXIT_FAILURE : SRT_EXIT_INVALID;
    }
    printf("%s: %s (%s), %ld rows, run %ld\n", path, e->id, e->formula, cfg->dataset.num_samples,
           run);
    return 0;
}

/* A suite file as run `run` sees it: every row, or its seeded subsample. */
static int write_file_instance(const srt_study_plan_t *plan, size_t pos, long run,
                               const char *path)
{
    const srt_config_t *cfg = plan->cfg;
    const char *id;
    long eq;
    srt_study_plan_instance(plan, pos, &id, &eq);
    /* the runner's data seed (src/runner/runner.c) */
    uint64_t seed = srt_seed_derive(cfg->study.seed, "data", id, eq, run);
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_dataset_subsample(plan->files[pos], (size_t)cfg->dataset.num_samples, seed,
                                      &ds, &err);
    if (rc == SRT_OK)
        rc = srt_dataset_write_csv(ds, path, &err);
    if (rc != SRT_OK) {
        srt_dataset_destroy(&ds);
        srt_print_error(&err);
        return rc == SRT_ERR_IO ? SRT_EXIT_FAILURE : SRT_EXIT_INVALID;
    }
    printf("%s: %s (%s), %zu of %zu rows, run %ld\n", path, id, cfg->dataset.files.items[pos],
           ds->nrows, plan->files[pos]->nrows, run);
    srt_dataset_destroy(&ds);
    return 0;
}

int srt_cmd_data(int argc, char **argv)
{
    const char *config = NULL, *equation = NULL, *out = NULL, *out_dir = NULL;
    long run = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            usage(stdout);
            return SRT_EXIT_OK;
        } else if (!strcmp(a, "--equation") && i + 1 < argc) {
            equation = argv[++i];
        } else if (!strcmp(a, "--out") && i + 1 < argc) {
            out = argv[++i];
        } else if (!strcmp(a, "--out-dir") && i + 1 < argc) {
            out_dir = argv[++i];
        } else if (!strcmp(a, "--run") && i + 1 < argc) {
            if (parse_long(argv[++i], &run) != 0 || run < 0) {
                fprintf(stderr, "srtune data: --run: expected a run index >= 0, got '%s'\n",
                        argv[i]);
                return SRT_EXIT_USAGE;
            }
        } else if (a[0] != '-' && !config) {
            config = a;
        } else {
            fprintf(stderr, "srtune data: unexpected argument '%s'\n", a);
            usage(stderr);
            return SRT_EXIT_USAGE;
        }
    }
    if (!config || (!out_dir && !(equation && out)) || (out_dir && (equation || out))) {
        usage(stderr);
        return SRT_EXIT_USAGE;
    }
    srt_study_plan_t plan;
    int code = srt_study_plan_load(config, 0, &plan);
    if (code != 0)
        goto cleanup;
    if (plan.files) {
        if (run >= plan.cfg->dataset.n_runs)
            SRT_WARN("run %ld is beyond dataset.n_runs = %ld of this study", run,
                     plan.cfg->dataset.n_runs);
        srt_err_t err;
        if (out_dir && srt_fs_mkdir_p(out_dir, &err) != SRT_OK) {
            srt_print_error(&err);
            code = SRT_EXIT_FAILURE;
            goto cleanup;
        }
        size_t found = 0;
        for (size_t i = 0; i < plan.n_equations && code == 0; i++) {
            char id[256], name[300];
            srt_study_plan_instance_id(&plan, i, id, sizeof id);
            if (equation && strcmp(equation, id) != 0)
                continue;
            found++;
            snprintf(name, sizeof name, "%s_run%ld.csv", id, run);
            char *path = equation ? srt_strdup(out) : srt_path_join(out_dir, name);
            code = path ? write_file_instance(&plan, i, run, path) : SRT_EXIT_FAILURE;
            free(path);
        }
        if (equation && !found) {
            fprintf(stderr, "srtune data: %s: no instance '%s' in dataset.paths\n", config,
                    equation);
            code = SRT_EXIT_INVALID;
        }
        goto cleanup;
    }
    if (!plan.cat) {
        fprintf(stderr, "srtune data: %s: dataset.name is csv: there is nothing to generate\n",
                config);
        code = SRT_EXIT_USAGE;
        goto cleanup;
    }
    if (run >= plan.cfg->dataset.n_runs)
        SRT_WARN("run %ld is beyond dataset.n_runs = %ld of this study", run,
                 plan.cfg->dataset.n_runs);
    if (equation) {
        size_t index;
        long idx;
        if (srt_catalogue_find(plan.cat, equation, &index) != SRT_OK) {
            if (parse_long(equation, &idx) != 0 || idx < 0 ||
                (size_t)idx >= srt_catalogue_count(plan.cat)) {
                fprintf(stderr, "srtune data: %s: no equation '%s' (an id like I.6.2a or an "
                                "index below %zu)\n",
                        srt_catalogue_path(plan.cat), equation, srt_catalogue_count(plan.cat));
                code = SRT_EXIT_INVALID;
                goto cleanup;
            }
            index = (size_t)idx;
        }
        code = write_one(&plan, index, run, out);
        goto cleanup;
    }
    srt_err_t err;
    if (srt_fs_mkdir_p(out_dir, &err) != SRT_OK) {
        srt_print_error(&err);
        code = SRT_EXIT_FAILURE;
        goto cleanup;
    }
    for (size_t i = 0; i < plan.n_equations && code == 0; i++) {
        char name[300];
        snprintf(name, sizeof name, "%s_eq%zu_run%ld.csv", plan.cfg->dataset.name,
                 plan.equations[i], run);
        char *path = srt_path_join(out_dir, name);
        code = path ? write_one(&plan, plan.equations[i], run, path) : SRT_EXIT_FAILURE;
        free(path);
    }
cleanup:
    srt_study_plan_fini(&plan);
    return code;
}
