/*
 * The coordinator's bookkeeping of trials in flight, at equation level.
 *
 * Work is handed out one equation of one trial at a time. A worker keeps to
 * its trial (affinity: it takes that trial's next unclaimed equation, in
 * order), so outside the tail each trial runs on one worker, equations in
 * order, as a whole-trial runner would. When no new trial may start, an idle
 * worker steals the last unclaimed equation of the oldest running trial: tail
 * work-sharing. Each equation still runs in its trial's directory with its own
 * seeds, so values do not depend on who ran them.
 *
 * Each trial runs its equations in its own order (the study's order, or a
 * seeded shuffle of it: srt_sched_shuffle). Intermediate values are released
 * strictly in that order: position k is reported once positions 0..k are all
 * done, so pruning sees the same sequence whatever the completion order.
 *
 * Pure logic: no MPI, no journal, no clock.
 */
#ifndef SRTUNE_CLUSTER_SCHED_H
#define SRTUNE_CLUSTER_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

typedef enum {
    SRT_EQ_TODO = 0,    /* not claimed */
    SRT_EQ_RUNNING = 1, /* claimed by a worker */
    SRT_EQ_DONE = 2     /* value known */
} srt_eq_state_t;

typedef enum {
    SRT_FLIGHT_RUNNING = 0,     /* equations left to run or report */
    SRT_FLIGHT_COMPLETE = 1,    /* every equation done */
    SRT_FLIGHT_PRUNED = 2,      /* stopped by the pruner */
    SRT_FLIGHT_FAILED = 3,      /* an equation failed the trial */
    SRT_FLIGHT_INTERRUPTED = 4  /* a worker was interrupted (signal) */
} srt_flight_state_t;

typedef struct srt_flight {
    long number;            /* trial number in the study */
    long trial_id;          /* journal trial id */
    char *run_dir;          /* trial directory (owned) */
    void *payload;          /* caller's data (params), not owned */
    srt_flight_state_t state; /* see above */
    size_t n_eq;            /* equations in the trial */
    uint8_t *eq_state;      /* srt_eq_state_t per equation (owned) */
    double *eq_value;       /* value per equation, NaN until done (owned) */
    size_t *order;          /* position -> equation index: the run order (owned) */
    size_t n_reported;      /* positions 0..n_reported-1 released as intermediate values */
    size_t n_busy;          /* equations currently claimed */
    double value;           /* running mean of the released equations */
} srt_flight_t;

typedef struct srt_sched {
    size_t n;               /* trials in flight (finished ones are removed) */
    size_t cap;             /* allocated entries */
    srt_flight_t **items;   /* owned, in start order */
} srt_sched_t;

void srt_sched_init(srt_sched_t *s);
void srt_sched_fini(srt_sched_t *s);

/* Adds a trial with n_eq equations; returns it (owned by s) or NULL (NOMEM). */
srt_flight_t *srt_sched_add(srt_sched_t *s, long number, long trial_id, const char *run_dir,
                            size_t n_eq, void *payload);
/* Finds a trial in flight by number; NULL when absent. */
srt_flight_t *srt_sched_find(const srt_sched_t *s, long number);
/* Removes (and frees) a trial; its payload is the caller's. */
void srt_sched_remove(srt_sched_t *s, srt_flight_t *f);

/* Puts f's equations in a seeded random order (Fisher-Yates on a SplitMix64
 * stream from seed); call before any claim. Deterministic: the same seed
 * gives the same order on any machine. */
void srt_sched_shuffle(srt_flight_t *f, uint64_t seed);
/* The equation index at position pos of f's order. */
size_t srt_sched_equation_at(const srt_flight_t *f, size_t pos);

/* Claims the next unclaimed equation of f in its order (returns the equation
 * index); -1 when none. */
long srt_sched_claim_next(srt_flight_t *f);
/* Tail work-sharing: claims the last unclaimed equation (in its order) of the
 * oldest running trial. Returns the trial (and *eq_pos, the equation index)
 * or NULL when nothing is left. */
srt_flight_t *srt_sched_steal(srt_sched_t *s, long *eq_pos);
/* Gives a claimed equation back (its worker stopped before running it). */
void srt_sched_unclaim(srt_flight_t *f, size_t eq_pos);

/* Records the value of a claimed equation and releases intermediate values:
 * *n_new receives how many steps became reportable (steps n_reported-n_new ..
 * n_reported-1 of f, each with the running mean srt_sched_step_value gives).
 * When every equation is done the state becomes COMPLETE. */
void srt_sched_record(srt_flight_t *f, size_t eq_pos, double value, size_t *n_new);
/* Running mean of the equations at positions 0..step (step < n_reported). */
double srt_sched_step_value(const srt_flight_t *f, size_t step);

/* 1 when f has unclaimed equations. */
int srt_sched_has_todo(const srt_flight_t *f);

#endif
