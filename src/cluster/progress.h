/*
 * The progress line of `srtune run`: one line on stderr, redrawn at most 4
 * times a second, cleared before every log line. SRTUNE_PROGRESS picks when:
 * "always" (also on a pipe, e.g. rank 0 under plain mpirun, whose stderr is
 * mpirun's pipe to the terminal), "never", or "auto" (the default: only when
 * stderr is a terminal). SRTUNE_NO_PROGRESS=1 (older name) means "never".
 * The launcher (`srtune run --np N`) draws the same line from the study
 * directory and runs its job with SRTUNE_PROGRESS=never.
 */
#ifndef SRTUNE_CLUSTER_PROGRESS_H
#define SRTUNE_CLUSTER_PROGRESS_H

#include <stddef.h>

#include "srtune/study.h"

/* The srtune:error user attribute of a trial stopped by a signal (FAIL, and a
 * WAITING copy resumes it): not a failure. */
#define SRT_PROGRESS_INTERRUPTED "interrupted"

typedef enum {
    SRT_PROGRESS_AUTO = 0,  /* on a terminal */
    SRT_PROGRESS_ALWAYS = 1,
    SRT_PROGRESS_NEVER = 2
} srt_progress_mode_t;

typedef struct srt_progress {
    int enabled;        /* drawing at all */
    int drawn;          /* the line is on the screen (a log line must clear it) */
    size_t trials_goal; /* n_trials */
    size_t done;        /* COMPLETE + PRUNED trials (whole study) */
    size_t pruned;      /* PRUNED trials */
    size_t failed;      /* FAIL trials that were not interrupts */
    size_t interrupted; /* FAIL trials stopped by a signal (resumed by a WAITING copy) */
    size_t runs_done;   /* runs finished (this launch and before) */
    size_t runs_total;  /* runs the study needs */
    size_t runs_new;    /* runs computed by this launch (for the ETA) */
    double best;        /* best value so far (NaN: none) */
    double start;       /* monotonic start of this launch */
    double last_draw;   /* monotonic time of the last draw */
    const char *note;   /* appended to the line ("stopping"), or NULL */
} srt_progress_t;

/* The mode from the environment (SRTUNE_PROGRESS, SRTUNE_NO_PROGRESS). An
 * unknown SRTUNE_PROGRESS value is "auto". */
srt_progress_mode_t srt_progress_mode(void);
/* 1 when the mode draws on this process's stderr. */
int srt_progress_wanted(void);

void srt_progress_init(srt_progress_t *p, size_t trials_goal, size_t runs_total);
/* Redraws when due (force: now). */
void srt_progress_draw(srt_progress_t *p, int force);
/* Clears the line from the screen (it is drawn again by the next draw). */
void srt_progress_clear(srt_progress_t *p);
/* Draws the line one last time and ends it with a newline (end of the run). */
void srt_progress_finish(srt_progress_t *p);
/* The line's text, without "\r" (for tests and the launcher). */
void srt_progress_format(const srt_progress_t *p, double now, char *buf, size_t size);

/* 1 when t is a FAIL trial that a signal stopped (srtune:error "interrupted"). */
int srt_progress_trial_interrupted(const srt_trial_t *t);

/* For the ranks other than 0 when SRTUNE_PROGRESS=always under mpirun: their
 * log lines reach the same terminal as rank 0's progress line, so each one
 * clears the terminal line first. */
void srt_progress_worker_init(void);

#endif
