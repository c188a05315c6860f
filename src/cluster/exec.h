/*
 * Running one equation of one trial on this process: turns a WORK message
 * (trial directory and SR option values) plus the study config into a runner
 * configuration whose run function generates the data set of (equation, run)
 * and calls the SR engine. Used by MPI workers and by the single-process mode
 * alike, so both give the same numbers.
 */
#ifndef SRTUNE_CLUSTER_EXEC_H
#define SRTUNE_CLUSTER_EXEC_H

#include <signal.h>

#include "cluster/protocol.h"
#include "srtune/config.h"
#include "srtune/data.h"
#include "srtune/runner.h"
#include "srtune/sr.h"

typedef struct srt_exec {
    const srt_config_t *cfg;    /* study config (borrowed) */
    const srt_catalogue_t *cat; /* catalogue (borrowed); NULL for a csv data set */
    long *equations;            /* catalogue indices in trial order (owned) */
    size_t n_equations;         /* entries in equations */
    srt_dataset_t *csv;         /* the csv data set, loaded once (owned); NULL otherwise */
    srt_dataset_t *const *files; /* suite files by position (borrowed from the plan);
                                    NULL unless dataset.name is "files" */
    const char *const *datasets; /* suite files: instance ids by position (borrowed) */
    int quiet;                  /* no engine progress lines */
    double fake_seconds;        /* > 0: benchmark stand-in engine (SRTUNE_FAKE_SR_SECONDS) */
} srt_exec_t;

/* Prepares an executor; loads the csv data set when the study uses one. For
 * a suite of files the caller sets files (the plan's) afterwards. */
srt_rc srt_exec_init(srt_exec_t *x, const srt_config_t *cfg, const srt_catalogue_t *cat,
                     const size_t *equations, size_t n_equations, srt_err_t *err);
void srt_exec_fini(srt_exec_t *x);

/* The SR options of a work item: the config's model options with the work's
 * parameter values applied by name. SRT_ERR_PROTOCOL for an unknown name. */
srt_rc srt_exec_options(const srt_exec_t *x, const srt_msg_work_t *work, srt_sr_options_t *out,
                        srt_err_t *err);

/* Runs (or reuses) the n_runs runs of equation eq_pos of the work's trial.
 * on_run (may be NULL) is called after each run. */
srt_rc srt_exec_equation(srt_exec_t *x, const srt_msg_work_t *work, size_t eq_pos,
                         const volatile sig_atomic_t *stop,
                         void (*on_run)(void *ctx, const srt_run_spec_t *spec, double value,
                                        int reused),
                         void *cb_ctx, double *value, srt_work_status_t *status,
                         srt_err_t *err);

#endif
