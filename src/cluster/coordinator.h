/*
 * The coordinator (rank 0, or the only process): owns the study (journal),
 * samples trials, hands out equations of trials to workers, journals
 * intermediate values, pruning decisions and results, keeps heartbeats, takes
 * over lost trials, and on a stop signal journals every unfinished trial as
 * interrupted (FAIL + WAITING retry copy).
 *
 * Workers are reached through a small transport so that the same logic runs
 * over MPI and in one process ("local": the work runs inline).
 */
#ifndef SRTUNE_CLUSTER_COORDINATOR_H
#define SRTUNE_CLUSTER_COORDINATOR_H

#include "cluster/bridge.h"
#include "cluster/exec.h"
#include "cluster/progress.h"
#include "cluster/protocol.h"
#include "cluster/sched.h"
#include "srtune/cluster.h"
#include "srtune/study.h"

/* A worker as the coordinator sees it. */
typedef struct srt_worker_slot {
    int rank;          /* MPI rank (0 in local mode) */
    int ready;         /* has said READY (MPI) */
    int busy;          /* has an equation to run */
    double busy_since; /* monotonic time the current equation was handed out */
    int stopped;       /* has been sent STOP */
    long trial;        /* trial number of its current or last equation, -1 none */
    long eq_pos;       /* its current equation position */
} srt_worker_slot_t;

struct srt_coord;

/* How the coordinator reaches workers. */
typedef struct srt_transport {
    /* Sends WORK to slot w (MPI) or runs it inline and feeds the result back
     * through srt_coord_on_equation (local). */
    srt_rc (*send_work)(struct srt_coord *c, srt_worker_slot_t *w, const srt_msg_work_t *m,
                        srt_err_t *err);
    /* Sends STOP to slot w. */
    srt_rc (*send_stop)(struct srt_coord *c, srt_worker_slot_t *w, srt_err_t *err);
    /* Handles incoming messages; waits at most max_wait_s; *got = messages handled. */
    srt_rc (*poll)(struct srt_coord *c, double max_wait_s, int *got, srt_err_t *err);
    void *ctx; /* transport state */
} srt_transport_t;

typedef struct srt_coord {
    const srt_config_t *cfg;   /* study config (borrowed) */
    size_t n_equations;        /* equations per trial */
    srt_bridge_t bridge;       /* config space <-> study space */
    srt_study_t *study;        /* the study (owned) */
    srt_sched_t sched;         /* trials in flight */
    srt_worker_slot_t *slots;  /* workers (owned) */
    int n_slots;               /* number of workers */
    srt_transport_t transport; /* how workers are reached */
    int stopping;              /* a stop signal arrived: no new work */
    int failed;                /* a fatal error happened */
    int failed_in_row;         /* trials failed since the last COMPLETE/PRUNED one */
    double next_heartbeat;     /* monotonic time of the next heartbeat */
    double next_refresh;       /* monotonic time of the next journal refresh */
    srt_err_t error;           /* the fatal error, when failed */
    srt_progress_t progress;   /* the terminal progress bar */
    int no_tail_sharing;       /* SRTUNE_NO_TAIL_SHARING set (benchmarks): never steal */
    double started;            /* monotonic start of the loop */
    double started_cpu;        /* process CPU seconds at the start of the loop */
    double busy_seconds;       /* summed time workers spent on equations */
    long n_results;            /* equations whose time is in busy_seconds */
    int local;                 /* 1: one process, work runs inline (rank 0 is the worker) */
    int per_equation_steps;    /* wilcoxon pruner: step = catalogue index, value = equation's */
    long *eq_index;            /* catalogue index of each of the study's equations (owned) */
} srt_coord_t;

/* How long an intermediate value may wait for the next journal append. */
#define SRT_REPORT_DELAY_S 1.0

/* A study whose trials keep failing (a broken data set, say) stops after
 * this many failed trials in a row instead of sampling forever. */
#define SRT_MAX_FAILED_IN_ROW 10

/* Opens the study and prepares n_slots worker slots (ranks first_rank..). */
srt_rc srt_coord_init(srt_coord_t *c, const srt_study_plan_t *plan, int n_slots, int first_rank,
                      const srt_transport_t *transport, srt_err_t *err);
void srt_coord_fini(srt_coord_t *c);

/* Runs the coordinator loop until the study is done or a stop signal was
 * handled. Returns the exit code (SRT_EXIT_OK, SRT_EXIT_RESUMABLE,
 * SRT_EXIT_FAILURE). */
int srt_coord_loop(srt_coord_t *c);

/* Transport callbacks into the coordinator. */
void srt_coord_on_ready(srt_coord_t *c, int rank, const srt_msg_ready_t *m);
void srt_coord_on_progress(srt_coord_t *c, int rank, const srt_msg_progress_t *m);
void srt_coord_on_equation(srt_coord_t *c, int rank, const srt_msg_result_t *m);

/* Slot of an MPI rank, or NULL. */
srt_worker_slot_t *srt_coord_slot(srt_coord_t *c, int rank);

#endif
