/*
 * Reads a run's hall_of_fame.csv (the final Pareto front) for `srtune
 * report`: columns found by header name (complexity, loss, equation; others
 * such as score ignored), parsed with libcsv so quoted equations are fine.
 */
#ifndef SRTUNE_CLI_REPORT_HOF_H
#define SRTUNE_CLI_REPORT_HOF_H

#include <stddef.h>

#include "srtune/core.h"

/* One Pareto front. */
typedef struct srt_hof {
    double *complexity; /* per row */
    double *loss;       /* per row */
    char **equation;    /* per row, owned ("" when the column is absent) */
    size_t n;           /* rows */
} srt_hof_t;

/* Reads path into *out (free with srt_hof_fini; zeroed on failure).
 * SRT_ERR_NOTFOUND when the file is missing; SRT_ERR_DATA (naming file and
 * line) for a missing column or a cell that is not a number. */
srt_rc srt_hof_read(const char *path, srt_hof_t *out, srt_err_t *err);
void srt_hof_fini(srt_hof_t *h);

#endif
