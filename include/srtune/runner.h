/*
 * srtune trial runner (the seed's SRBatchRunner): runs a trial's equations x
 * n_runs in its trial directory, resuming from finished runs.
 *
 * Invariants:
 *  - a run is complete exactly when <run_dir>/tensorboard_scalars.csv exists;
 *    its value is the pareto_volume column of the last row (found by header
 *    name). A run directory without it is removed and run again, unless it
 *    holds a mid-run checkpoint (SRT_RUN_CHECKPOINT_FILE), which the run
 *    function resumes;
 *  - seeds depend only on (study seed, dataset, equation index, run index), so
 *    a run redone anywhere gives the same numbers;
 *  - the interruption flag is checked between runs (the run function checks it
 *    inside a run too).
 *
 * The runner knows trial directories and runs, not samplers, journals or MPI.
 * The SR search itself is a pluggable run function, so tests and benchmarks
 * can use a fake one.
 */
#ifndef SRTUNE_RUNNER_H
#define SRTUNE_RUNNER_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SRT_RUN_SCALARS_FILE "tensorboard_scalars.csv"
#define SRT_RUN_CHECKPOINT_FILE "checkpoint.bin"
#define SRT_RUN_INFO_FILE "run.json"

/* One SR run to perform. */
typedef struct srt_run_spec {
    const char *run_dir;  /* <trial_dir>/<instance id>_run<r> (srt_instance_id), created by
                             the runner */
    const char *dataset;  /* dataset name used in directory names and seeds */
    size_t eq_pos;        /* position of the equation in the trial's list */
    long eq_index;        /* catalogue index of the equation */
    long run;             /* run index, 0 .. n_runs-1 */
    uint64_t data_seed;   /* srt_seed_derive(seed, "data", dataset, eq_index, run) */
    uint64_t search_seed; /* srt_seed_derive(seed, "search", dataset, eq_index, run) */
} srt_run_spec_t;

/* Performs one run. On success it must have written SRT_RUN_SCALARS_FILE
 * atomically into spec->run_dir and set *pareto_volume to its final value.
 * Returns SRT_ERR_INTERRUPTED when *stop became non-zero mid-run (it may leave
 * a checkpoint), any other error for a failed run. */
typedef srt_rc (*srt_run_fn)(void *ctx, const srt_run_spec_t *spec,
                             const volatile sig_atomic_t *stop, double *pareto_volume,
                             srt_err_t *err);

/* What a failed run counts as. */
typedef enum {
    SRT_ON_RUN_ERROR_FAIL_TRIAL = 0, /* the trial fails */
    SRT_ON_RUN_ERROR_VALUE = 1       /* the run counts as failure_value */
} srt_on_run_error_t;

/* How a trial (or one equation) ended in the runner (the journal states are study.h's). */
typedef enum {
    SRT_WORK_COMPLETE = 0,    /* every run done */
    SRT_WORK_PRUNED = 1,      /* the equation callback asked to stop */
    SRT_WORK_INTERRUPTED = 2, /* the stop flag was raised */
    SRT_WORK_FAILED = 3,      /* a run failed under SRT_ON_RUN_ERROR_FAIL_TRIAL */
    SRT_WORK_IO_ERROR = 4     /* an I/O error of the environment (srt_err_is_environment) on
                                 the run's files: not the run's fault, never failure_value;
                                 the study stops for a relaunch as on a signal */
} srt_work_status_t;

const char *srt_work_status_name(srt_work_status_t s);

/* Everything a trial run needs; borrowed pointers must outlive the call. */
typedef struct srt_runner_config {
    const char *trial_dir;      /* trials/trial_<N>, created when missing */
    const char *dataset;        /* dataset name */
    const char *const *datasets; /* per position, overriding dataset (suite files: their
                                    instance ids, with equations[pos] = -1); may be NULL */
    const long *equations;      /* catalogue indices, in trial order (-1: none) */
    size_t n_equations;         /* length of equations */
    long n_runs;                /* runs per equation (>= 1) */
    uint64_t study_seed;        /* the study seed */
    srt_on_run_error_t on_run_error; /* failed-run policy */
    double failure_value;       /* value of a failed run under SRT_ON_RUN_ERROR_VALUE */
    srt_run_fn run;             /* performs one run */
    void *run_ctx;              /* passed to run */
    const volatile sig_atomic_t *stop; /* interruption flag, may be NULL */
    /* Called after every run (reused = 1 when it was found finished on disk). */
    void (*on_run)(void *ctx, const srt_run_spec_t *spec, double value, int reused);
    /* Called after every equation with its mean and the running mean over the
     * equations done so far; return non-zero to prune the trial. May be NULL. */
    int (*on_equation)(void *ctx, size_t eq_pos, double eq_value, double running_mean,
                       size_t n_done);
    void *cb_ctx;               /* passed to the callbacks */
} srt_runner_config_t;

/* Runs every equation of the trial in order, reusing finished runs. Fills
 * eq_values[0..n_equations) (NaN for equations not finished) and *trial_value
 * (mean over finished equations; the running mean when pruned) and *status.
 * Returns SRT_OK for COMPLETE, PRUNED, INTERRUPTED and FAILED alike (the status
 * says which; err holds the failed run's message); other codes for errors the
 * runner itself hit (I/O on the trial directory). */
srt_rc srt_runner_run_trial(const srt_runner_config_t *cfg, double *eq_values,
                            double *trial_value, srt_work_status_t *status, srt_err_t *err);

/* Runs (or reuses) the n_runs runs of one equation position: the unit of tail
 * work-sharing. *value is the mean of the runs. Status as above (never PRUNED). */
srt_rc srt_runner_run_equation(const srt_runner_config_t *cfg, size_t eq_pos, double *value,
                               srt_work_status_t *status, srt_err_t *err);

/* Name of the run directory of (dataset, eq_index, run) into buf:
 * "<srt_instance_id(dataset, eq_index)>_run<run>", e.g. feynman_eq52_run0 or
 * 192_vineyard_run1 (eq_index < 0). */
void srt_runner_run_dirname(char *buf, size_t size, const char *dataset, long eq_index, long run);

/* Reads the final pareto_volume of a finished run directory: SRT_ERR_NOTFOUND
 * when the run is not complete, SRT_ERR_DATA (naming file and line) when the
 * scalars file is corrupt. */
srt_rc srt_runner_read_final_pv(const char *run_dir, double *pv, srt_err_t *err);

/* Progress of a trial from its directory alone (for `srtune status`). */
typedef struct srt_trial_progress {
    size_t runs_done;       /* runs with a final scalars file */
    size_t runs_total;      /* n_equations * n_runs */
    size_t equations_done;  /* equations with all runs done */
} srt_trial_progress_t;

srt_rc srt_runner_scan(const srt_runner_config_t *cfg, srt_trial_progress_t *out,
                       srt_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
