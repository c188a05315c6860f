/*
 * A read-only view of a study's output directory for `srtune status`, `best`
 * and `export`: its config.json, the journal replayed (never written), the
 * trials of the study, and the SR option values of each trial's params.
 */
#ifndef SRTUNE_CLI_STUDY_VIEW_H
#define SRTUNE_CLI_STUDY_VIEW_H

#include "cluster/bridge.h"
#include "srtune/cluster.h"
#include "srtune/study.h"

typedef struct srt_view {
    char *dir;                        /* the output directory as given */
    srt_study_plan_t plan;            /* config.json and its equations */
    srt_journal_t *journal;           /* replayed journal (owned) */
    int study_id;                     /* the study in the journal */
    const srt_trial_t *const *trials; /* the study's trials in number order (borrowed) */
    size_t n_trials;                  /* entries in trials */
    srt_bridge_t bridge;              /* config space -> SR option values */
} srt_view_t;

/* Opens DIR read-only. Returns 0 or an exit code after printing the reason. */
int srt_view_open(const char *dir, srt_view_t *v);
void srt_view_close(srt_view_t *v);

/* The SR option values (name, value) of trial t's params. SRT_ERR_DATA when the
 * trial lacks a param (an Optuna-written trial outside the space). */
srt_rc srt_view_params(const srt_view_t *v, const srt_trial_t *t, srt_msg_work_t *out,
                       srt_err_t *err);

/* Runs finished on disk for trial t (from its run directories). */
size_t srt_view_runs_done(const srt_view_t *v, const srt_trial_t *t);

/* The best COMPLETE trial by the study's direction, or NULL. */
const srt_trial_t *srt_view_best(const srt_view_t *v);

/* Seconds since the epoch of a journal datetime (naive local ISO 8601,
 * "2026-11-23T08:10:02.517520"); NaN when it does not parse. */
double srt_view_iso_seconds(const char *iso);

/* Seconds since the trial's srtune:heartbeat (wall clock), or -1 when none. */
double srt_view_heartbeat_age(const srt_trial_t *t);

#endif
