/*
 * What `srtune report` plots, extracted once from a study view: the tuned SR
 * options (one per float/int/categorical search-space entry, one per weight
 * of a simplex group) and, per trial, its state, value and option values.
 */
#ifndef SRTUNE_CLI_REPORT_DATA_H
#define SRTUNE_CLI_REPORT_DATA_H

#include "cli/study_view.h"

/* One plotted parameter (an SR option value). */
typedef struct srt_rparam {
    char *name;       /* SR option name ("parsimony", "weight_add_node") */
    int log;          /* sampled on a log scale: log axes */
    int integer;      /* an int parameter */
    int categorical;  /* values are choice indices 0..n_cats-1 */
    char **cats;      /* categorical: choice labels ("true", "0.5"), owned */
    size_t n_cats;    /* categorical: number of choices */
    double low, high; /* float/int: bounds; simplex weight: 0 .. total */
} srt_rparam_t;

/* One trial as plotted. */
typedef struct srt_rtrial {
    const srt_trial_t *t; /* the journal trial (borrowed from the view) */
    int has_value;        /* values[0] is present and finite */
    double value;         /* the objective (COMPLETE; PRUNED: its last running mean) */
    double *x;            /* n_params option values (choice index for categoricals);
                             NaN where unknown */
} srt_rtrial_t;

/* Everything the plots need. */
typedef struct srt_rdata {
    const srt_view_t *view;                       /* the study (borrowed) */
    int minimize;                                 /* the study's direction */
    srt_rparam_t *params;                         /* the plotted parameters, config order (owned) */
    size_t n_params;                              /* entries in params */
    srt_rtrial_t *trials;                         /* the study's trials in number order (owned) */
    size_t n_trials;                              /* entries in trials */
    const srt_trial_t *best;                      /* the best COMPLETE trial or NULL */
    size_t n_complete, n_pruned, n_fail, n_other; /* trials by state */
    size_t n_interrupted; /* FAIL trials stopped by a signal (not in n_fail) */
} srt_rdata_t;

/* Builds the report data of an open view. SRT_ERR_NOMEM only: trials whose
 * params cannot be decoded keep NaN values. */
srt_rc srt_rdata_init(srt_rdata_t *d, const srt_view_t *v, srt_err_t *err);
void srt_rdata_fini(srt_rdata_t *d);

/* Label of equation position e: the catalogue id ("I.12.1") or "eq<idx>". */
void srt_rdata_equation_label(const srt_rdata_t *d, size_t e, char *buf, size_t size);

#endif
