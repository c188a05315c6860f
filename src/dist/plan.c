/* Loading a config and resolving its equation list (include/srtune/dist.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/dist.h"

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
    if (ds->kind == SRT_DATASET_CSV) {
        plan->equations = calloc(1, sizeof *plan->equations);
        if (!plan->equations)
            return SRT_EXIT_FAILURE;
        plan->n_equations = 1;
        return 0;
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
    return 0;
}

void srt_study_plan_fini(srt_study_plan_t *plan)
{
    if (!plan)
        return;
    srt_config_destroy(&plan->cfg);
    srt_catalogue_destroy(&plan->cat);
    free(plan->equations);
    memset(plan, 0, sizeof *plan);
}
