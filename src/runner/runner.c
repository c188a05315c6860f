/*
 * The trial runner: equation x run loop with run-level resume. See
 * include/srtune/runner.h for the invariants (a run is complete exactly when
 * its final scalars file exists; incomplete run directories are removed unless
 * they hold a mid-run checkpoint).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runner/runner_int.h"
#include "srtune/data.h"
#include "srtune/runner.h"

const char *srt_work_status_name(srt_work_status_t s)
{
    switch (s) {
    case SRT_WORK_COMPLETE: return "complete";
    case SRT_WORK_PRUNED: return "pruned";
    case SRT_WORK_INTERRUPTED: return "interrupted";
    case SRT_WORK_FAILED: return "failed";
    case SRT_WORK_IO_ERROR: return "io_error";
    }
    return "?";
}

void srt_runner_run_dirname(char *buf, size_t size, const char *dataset, long eq_index, long run)
{
    char id[200];
    srt_instance_id(id, sizeof id, dataset, eq_index);
    snprintf(buf, size, "%s_run%ld", id, run);
}

static int stop_requested(const srt_runner_config_t *cfg)
{
    return cfg->stop && *cfg->stop;
}

/* Makes run_dir ready for a fresh or resumed run: keeps it when it holds a
 * checkpoint, otherwise removes whatever an interrupted attempt left. */
static srt_rc prepare_run_dir(const char *run_dir, srt_err_t *err)
{
    char *ckpt = srt_path_join(run_dir, SRT_RUN_CHECKPOINT_FILE);
    if (!ckpt)
        return srt_err_set(err, SRT_ERR_NOMEM, run_dir, NULL, 0, "out of memory");
    srt_rc rc = SRT_OK;
    if (srt_fs_is_dir(run_dir) && !srt_fs_is_file(ckpt)) {
        SRT_DEBUG("removing incomplete run directory %s", run_dir);
        rc = srt_fs_remove_tree(run_dir, err);
    }
    if (rc == SRT_OK)
        rc = srt_fs_mkdir_p(run_dir, err);
    free(ckpt);
    return rc;
}

srt_rc srt_runner_run_equation(const srt_runner_config_t *cfg, size_t eq_pos, double *value,
                               srt_work_status_t *status, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    double sum = 0.0;
    char name[256];
    char *run_dir = NULL;
    long eq_index = cfg->equations[eq_pos];
    const char *dataset = cfg->datasets ? cfg->datasets[eq_pos] : cfg->dataset;
    *status = SRT_WORK_COMPLETE;
    *value = NAN;
    for (long r = 0; r < cfg->n_runs; r++) {
        free(run_dir);
        srt_runner_run_dirname(name, sizeof name, dataset, eq_index, r);
        run_dir = srt_path_join(cfg->trial_dir, name);
        if (!run_dir) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, cfg->trial_dir, NULL, 0, "out of memory");
            goto cleanup;
        }
        srt_run_spec_t spec = {
            .run_dir = run_dir,
            .dataset = dataset,
            .eq_pos = eq_pos,
            .eq_index = eq_index,
            .run = r,
            .data_seed = srt_seed_derive(cfg->study_seed, "data", dataset, eq_index, r),
            .search_seed = srt_seed_derive(cfg->study_seed, "search", dataset, eq_index, r),
        };
        double pv = NAN;
        srt_err_t local;
        srt_err_clear(&local);
        srt_rc found = srt_runner_read_final_pv(run_dir, &pv, &local);
        if (found == SRT_OK) {
            sum += pv;
            if (cfg->on_run)
                cfg->on_run(cfg->cb_ctx, &spec, pv, 1);
            continue;
        }
        if (found == SRT_ERR_DATA) {
            char msg[2048];
            SRT_WARN("%s; running it again", srt_err_format(&local, msg, sizeof msg));
            rc = srt_runner_discard_scalars(run_dir, err);
            if (rc != SRT_OK)
                goto cleanup;
        }
        if (stop_requested(cfg)) {
            *status = SRT_WORK_INTERRUPTED;
            goto cleanup;
        }
        rc = prepare_run_dir(run_dir, err);
        if (rc != SRT_OK)
            goto cleanup;
        double t0 = srt_time_monotonic();
        srt_err_clear(&local);
        srt_rc run_rc = cfg->run(cfg->run_ctx, &spec, cfg->stop, &pv, &local);
        if (run_rc == SRT_ERR_INTERRUPTED) {
            *status = SRT_WORK_INTERRUPTED;
            goto cleanup;
        }
        if (run_rc != SRT_OK && srt_err_is_environment(&local)) {
            /* a full disk, a failed device, a read-only or forbidden directory:
             * the environment's fault, not the run's; nothing is recorded as
             * failed, the stop goes up to the coordinator */
            if (err)
                *err = local;
            *status = SRT_WORK_IO_ERROR;
            goto cleanup;
        }
        if (run_rc != SRT_OK) {
            if (local.code == SRT_OK)
                srt_err_set(&local, run_rc, run_dir, NULL, 0, "%s", srt_rc_str(run_rc));
            /* Record the failure next to the run; never kill the process. */
            rc = srt_runner_write_failure(&spec, &local, srt_time_monotonic() - t0, err);
            if (rc != SRT_OK)
                goto cleanup;
            if (cfg->on_run_error == SRT_ON_RUN_ERROR_FAIL_TRIAL) {
                if (err)
                    *err = local;
                *status = SRT_WORK_FAILED;
                goto cleanup;
            }
            char msg[2048];
            SRT_WARN("run failed, counted as %g: %s", cfg->failure_value,
                     srt_err_format(&local, msg, sizeof msg));
            pv = cfg->failure_value;
        }
        sum += pv;
        if (cfg->on_run)
            cfg->on_run(cfg->cb_ctx, &spec, pv, 0);
    }
    *value = sum / (double)cfg->n_runs;
cleanup:
    free(run_dir);
    return rc;
}

srt_rc srt_runner_run_trial(const srt_runner_config_t *cfg, double *eq_values,
                            double *trial_value, srt_work_status_t *status, srt_err_t *err)
{
    srt_rc rc = srt_fs_mkdir_p(cfg->trial_dir, err);
    double sum = 0.0;
    size_t done = 0;
    *status = SRT_WORK_COMPLETE;
    *trial_value = NAN;
    for (size_t i = 0; i < cfg->n_equations; i++)
        eq_values[i] = NAN;
    if (rc != SRT_OK)
        return rc;
    for (size_t pos = 0; pos < cfg->n_equations; pos++) {
        double v;
        rc = srt_runner_run_equation(cfg, pos, &v, status, err);
        if (rc != SRT_OK || *status != SRT_WORK_COMPLETE)
            break;
        eq_values[pos] = v;
        sum += v;
        done++;
        *trial_value = sum / (double)done;
        if (cfg->on_equation &&
            cfg->on_equation(cfg->cb_ctx, pos, v, *trial_value, done) != 0 &&
            done < cfg->n_equations) {
            *status = SRT_WORK_PRUNED;
            break;
        }
    }
    return rc;
}

srt_rc srt_runner_scan(const srt_runner_config_t *cfg, srt_trial_progress_t *out,
                       srt_err_t *err)
{
    (void)err;
    memset(out, 0, sizeof *out);
    out->runs_total = cfg->n_equations * (size_t)cfg->n_runs;
    char name[256];
    for (size_t pos = 0; pos < cfg->n_equations; pos++) {
        size_t runs = 0;
        for (long r = 0; r < cfg->n_runs; r++) {
            srt_runner_run_dirname(name, sizeof name,
                                   cfg->datasets ? cfg->datasets[pos] : cfg->dataset,
                                   cfg->equations[pos], r);
            char *dir = srt_path_join(cfg->trial_dir, name);
            char *file = dir ? srt_path_join(dir, SRT_RUN_SCALARS_FILE) : NULL;
            if (file && srt_fs_is_file(file))
                runs++;
            free(file);
            free(dir);
        }
        out->runs_done += runs;
        if (runs == (size_t)cfg->n_runs)
            out->equations_done++;
    }
    return SRT_OK;
}
