/*
 * The numbers `srtune status` prints and the launcher's progress line draws,
 * from one read-only view of a study directory, so that they always agree.
 *
 * Counts are over srtune's own trials (those with a srtune:run_dir); trials
 * that Optuna added (ask/tell, or anything without a run directory that is not
 * WAITING) are "foreign": counted apart, never in the runs or the ETA. A
 * WAITING trial without a run directory (Optuna's enqueue_trial) is srtune's
 * work to do and counts as waiting. A FAIL trial stopped by a signal is
 * "interrupted", not failed.
 */
#ifndef SRTUNE_CLI_STUDY_SUMMARY_H
#define SRTUNE_CLI_STUDY_SUMMARY_H

#include "cli/study_view.h"

typedef struct {
    size_t complete, pruned, running, waiting, failed, interrupted; /* own trials */
    size_t foreign;                                                 /* trials Optuna added */
    size_t foreign_finished; /* of those, COMPLETE or PRUNED (they count for n_trials) */
    size_t finished;         /* complete + pruned */
    int study_done;          /* finished + foreign_finished >= n_trials */
    size_t runs_per_trial;   /* equations x n_runs */
    size_t runs_done;        /* finished runs of trials that still count */
    size_t runs_total;       /* runs the study needs (pruned trials need fewer) */
    double first_age;        /* seconds since the first own trial started, -1: none */
    const srt_trial_t *best; /* best COMPLETE own trial, or NULL */
} srt_summary_t;

void srt_summary_compute(const srt_view_t *v, srt_summary_t *s);

/* 1 when t is one of srtune's trials (not added by Optuna). */
int srt_summary_is_own(const srt_trial_t *t);

#endif

/* The study directory a status/best/export/report argument names: a directory
 * as it is; a study's own config.json (or any file next to its journal.log)
 * its directory; another file is read as a study config and gives its
 * output_dir. Returns a malloc'd path, or NULL after printing why (*code: the
 * exit code). */
char *srt_summary_target_dir(const char *arg, int *code);
