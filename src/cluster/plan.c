/* Loading a config and resolving its equation list (include/srtune/cluster.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/cluster.h"

void srt_print_error(const srt_err_t *err)
{
    char buf[2048];
    fprintf(stderr, "srtune: %s\n", srt_err_format(err, buf, sizeof buf));
}

int srt_exit_code_for(srt_rc rc)
{
    switch (rc) {
    case SRT_ERR_CONFIG:
    case SRT_ERR_PARSE:
    case SRT_ERR_DATA:
    case SRT_ERR_MISMATCH:
    case SRT_ERR_NOTFOUND:
    case SRT_ERR_INVALID:
        return SRT_EXIT_INVALID;
    default:
        return SRT_EXIT_FAILURE;
    }
}

/* Reads and checks every file of the suite; every bad file is reported. */
static int load_files(srt_study_plan_t *plan, int quiet)
{
    const srt_config_dataset_t *ds = &plan->cfg->dataset;
    size_t n = ds->files.n;
    int code = 0;
    srt_table_opts_t o;
    memset(&o, 0, sizeof o);
    o.target = ds->target;
    o.weights = ds->weights;
    o.exclude = (const char *const *)ds->exclude.items;
    o.n_exclude = ds->exclude.n;
    o.drop_nonfinite = ds->drop_nonfinite;
    plan->equations = calloc(n ? n : 1, sizeof *plan->equations);
    plan->files = calloc(n ? n : 1, sizeof *plan->files);
    if (!plan->equations || !plan->files)
        return SRT_EXIT_FAILURE;
    plan->n_equations = n;
    for (size_t i = 0; i < n; i++) {
        srt_err_t err;
        srt_err_clear(&err);
        plan->equations[i] = i;
        srt_rc rc = srt_dataset_load_table(ds->files.items[i], &o, &plan->files[i], &err);
        if (rc != SRT_OK) {
            if (!quiet)
                srt_print_error(&err);
            int c = srt_exit_code_for(rc);
            if (c > code)
                code = c;
        }
    }
    return code;
}

void srt_study_plan_instance(const srt_study_plan_t *plan, size_t pos, const char **dataset,
                             long *eq_index)
{
    const srt_config_dataset_t *ds = &plan->cfg->dataset;
    if (ds->kind == SRT_DATASET_FILES && pos < ds->ids.n) {
        *dataset = ds->ids.items[pos];
        *eq_index = -1;
        return;
    }
    *dataset = ds->name;
    *eq_index = pos < plan->n_equations ? (long)plan->equations[pos] : 0;
}

void srt_study_plan_instance_id(const srt_study_plan_t *plan, size_t pos, char *buf, size_t size)
{
    const char *dataset;
    long eq;
    srt_study_plan_instance(plan, pos, &dataset, &eq);
    srt_instance_id(buf, size, dataset, eq);
}

srt_rc srt_study_plan_runner_names(const srt_study_plan_t *plan, const char **dataset,
                                   const char *const **datasets, long **equations,
                                   srt_err_t *err)
{
    size_t n = plan->n_equations;
    long *eqs = malloc((n ? n : 1) * sizeof *eqs);
    if (!eqs)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *d;
        srt_study_plan_instance(plan, i, &d, &eqs[i]);
    }
    *dataset = plan->cfg->dataset.name;
    *datasets = plan->cfg->dataset.kind == SRT_DATASET_FILES
                    ? (const char *const *)plan->cfg->dataset.ids.items
                    : NULL;
    *equations = eqs;
    return SRT_OK;
}

/* model.complexity_of_variables as a per-feature list must fit every
 * instance of the study (PySR: as many entries as features in X). */
static int check_var_complexities(const srt_study_plan_t *plan, int quiet)
{
    uint32_t n = plan->cfg->model.maps.n_var_complexity;
    if (n == 0)
        return 0;
    for (size_t i = 0; i < plan->n_equations; i++) {
        size_t nf = 0;
        const char *id = "";
        if (plan->files && plan->files[i]) {
            nf = plan->files[i]->nfeatures;
            id = plan->cfg->dataset.ids.items[i];
        } else if (plan->cat) {
            const srt_catalogue_entry_t *e = srt_catalogue_entry(plan->cat, plan->equations[i]);
            nf = e ? e->nvars : 0;
            id = e ? e->id : "";
        }
        if (nf == 0 || nf == n)
            continue;
        if (!quiet)
            fprintf(stderr,
                    "srtune: %s: model.complexity_of_variables: the list has %u entries but %s "
                    "has %zu features (PySR: the number of elements must equal the number of "
                    "features in X)\n",
                    plan->cfg->path, n, id, nf);
        return SRT_EXIT_INVALID;
    }
    return 0;
}

int srt_study_plan_load(const char *config_path, int quiet, srt_study_plan_t *plan)
{
    srt_err_t err;
    srt_config_errors_t errs;
    srt_rc rc;
    const char *remove[SRT_OP_COUNT];
    memset(plan, 0, sizeof *plan);
    srt_err_clear(&err);
    srt_config_errors_init(&errs);
    rc = srt_config_load(config_path, &plan->cfg, &errs, &err);
    if (rc != SRT_OK) {
        if (!quiet && errs.count)
            srt_config_errors_print(&errs, stderr);
        else if (!quiet)
            srt_print_error(&err);
        srt_config_errors_fini(&errs);
        return srt_exit_code_for(rc);
    }
    srt_config_errors_fini(&errs);
    const srt_config_dataset_t *ds = &plan->cfg->dataset;
    if (ds->kind == SRT_DATASET_FILES) {
        int code = load_files(plan, quiet);
        if (!code)
            code = srt_study_plan_holdout(plan, quiet);
        return code ? code : check_var_complexities(plan, quiet);
    }
    if (ds->kind == SRT_DATASET_CSV) {
        plan->equations = calloc(1, sizeof *plan->equations);
        if (!plan->equations)
            return SRT_EXIT_FAILURE;
        plan->n_equations = 1;
        return srt_study_plan_holdout(plan, quiet);
    }
    rc = srt_catalogue_load(ds->catalogue, &plan->cat, &err);
    if (rc != SRT_OK) {
        if (!quiet)
            srt_print_error(&err);
        return srt_exit_code_for(rc);
    }
    for (int i = 0; i < ds->n_remove_ops; i++)
        remove[i] = srt_op_name((srt_op_t)ds->remove_ops[i]);
    rc = srt_catalogue_select(plan->cat, ds->equations, remove, (size_t)ds->n_remove_ops,
                              &plan->equations, &plan->n_equations, &err);
    if (rc != SRT_OK) {
        /* the selection error names neither file nor key: the config's key it is */
        if (!err.file[0]) {
            snprintf(err.file, sizeof err.file, "%s", plan->cfg->path);
            snprintf(err.key, sizeof err.key, "dataset.equations");
        }
        if (!quiet)
            srt_print_error(&err);
        return srt_exit_code_for(rc);
    }
    int code = srt_study_plan_holdout(plan, quiet);
    return code ? code : check_var_complexities(plan, quiet);
}

void srt_study_plan_fini(srt_study_plan_t *plan)
{
    if (!plan)
        return;
    srt_config_destroy(&plan->cfg);
    if (plan->files)
        for (size_t i = 0; i < plan->n_equations; i++)
            srt_dataset_destroy(&plan->files[i]);
    free(plan->files);
    srt_catalogue_destroy(&plan->cat);
    free(plan->equations);
    if (plan->holdout_files)
        for (size_t i = 0; i < plan->n_holdout; i++)
            srt_dataset_destroy(&plan->holdout_files[i]);
    free(plan->holdout_files);
    for (size_t i = 0; plan->holdout_ids && i < plan->n_holdout; i++)
        free(plan->holdout_ids[i]);
    free(plan->holdout_ids);
    free(plan->holdout_equations);
    memset(plan, 0, sizeof *plan);
}
