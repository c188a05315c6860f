/*
 * The progress bar of `srtune run` on a terminal: one line on stderr,
 * redrawn at most 4 times a second, cleared before every log line. Off when
 * stderr is not a TTY (pipes, files, batch jobs) or SRTUNE_NO_PROGRESS is set.
 */
#ifndef SRTUNE_DIST_PROGRESS_H
#define SRTUNE_DIST_PROGRESS_H

#include <stddef.h>

typedef struct srt_progress {
    int enabled;        /* drawing at all */
    size_t trials_goal; /* n_trials */
    size_t done;        /* COMPLETE + PRUNED trials (whole study) */
    size_t pruned;      /* PRUNED trials */
    size_t failed;      /* FAIL trials */
    size_t runs_done;   /* runs finished or found finished by this launch */
    size_t runs_total;  /* runs the study needs */
    size_t runs_new;    /* runs computed by this launch (for the ETA) */
    double best;        /* best value so far (NaN: none) */
    double start;       /* monotonic start of this launch */
    double last_draw;   /* monotonic time of the last draw */
} srt_progress_t;

void srt_progress_init(srt_progress_t *p, size_t trials_goal, size_t runs_total);
/* Redraws when due (force: now). */
void srt_progress_draw(srt_progress_t *p, int force);
/* Clears the line for good (end of the run). */
void srt_progress_finish(srt_progress_t *p);

#endif
