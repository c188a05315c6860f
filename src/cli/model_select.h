/*
 * PySR's model_selection (pysr/sr.py idx_model_selection, PySR 1.5.x): which
 * member of a Pareto front `srtune fit` marks and `srtune best` shows.
 */
#ifndef SRTUNE_CLI_MODEL_SELECT_H
#define SRTUNE_CLI_MODEL_SELECT_H

#include <stddef.h>

typedef enum {
    SRT_SELECT_BEST = 0,     /* highest score among losses <= 1.5 x the lowest */
    SRT_SELECT_ACCURACY = 1, /* lowest loss */
    SRT_SELECT_SCORE = 2     /* highest score */
} srt_select_t;

/* "best", "accuracy", "score" -> 0; -1 for anything else. */
int srt_select_lookup(const char *name, srt_select_t *out);
const char *srt_select_name(srt_select_t sel);

/* Index of the chosen member of a front of n (loss, score) pairs, the first on
 * ties (pandas idxmin/idxmax); -1 when n is 0. */
long srt_select_member(const double *loss, const double *score, size_t n, srt_select_t sel);

#endif
