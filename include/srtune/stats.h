/*
 * Paired statistics of the study layer (module study, src/study/stats.c): the
 * Wilcoxon signed-rank test as scipy.stats.wilcoxon computes it (scipy 1.10,
 * Debian 12's python3-scipy; Optuna's WilcoxonPruner calls it), a percentile
 * bootstrap interval of a mean, and Holm's step-down correction. Pure
 * functions: no I/O, no global state.
 */
#ifndef SRTUNE_STATS_H
#define SRTUNE_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* scipy's `alternative`: greater means the differences tend to be positive. */
typedef enum {
    SRT_ALT_TWO_SIDED = 0,
    SRT_ALT_GREATER = 1,
    SRT_ALT_LESS = 2
} srt_alternative_t;

/* scipy's `zero_method` for differences equal to zero. */
typedef enum {
    SRT_ZERO_WILCOX = 0, /* drop zeros (scipy's default) */
    SRT_ZERO_PRATT = 1,  /* rank zeros, then drop their ranks */
    SRT_ZERO_ZSPLIT = 2  /* rank zeros, split their ranks between + and - */
} srt_zero_method_t;

/* Wilcoxon signed-rank test of the differences d[0..n-1], method "auto" as
 * scipy 1.10 has it: the exact distribution of the positive rank sum when
 * n <= 50 and no difference is zero (ties are ranked by their average and the
 * rank sum then truncated to an integer, as scipy does), else the normal
 * approximation with the tie correction of the variance (zsplit keeps zeros
 * in the count; pratt removes their ranks and corrects mean and variance; no
 * continuity correction). *statistic: min(R+, R-) two-sided, R+ one-sided.
 * NaN p-value and statistic when n == 0. SRT_ERR_INVALID when every
 * difference is zero under wilcox or pratt (scipy raises) or a difference is
 * not finite; SRT_ERR_NOMEM. */
srt_rc srt_stats_wilcoxon(const double *d, size_t n, srt_alternative_t alt,
                          srt_zero_method_t zero_method, double *statistic, double *pvalue);

/* Percentile bootstrap interval of the mean of x[0..n-1]: `resamples` means
 * of n draws with replacement (GSL RNG seeded by seed), sorted, and the
 * (1-level)/2 and (1+level)/2 quantiles by linear interpolation (numpy's
 * default). n == 1 gives [x0, x0]. SRT_ERR_INVALID when n == 0, resamples < 1
 * or level is outside (0, 1); SRT_ERR_NOMEM. */
srt_rc srt_stats_bootstrap_mean_ci(const double *x, size_t n, long resamples, uint64_t seed,
                                   double level, double *lo, double *hi);

/* Holm-Bonferroni adjusted p-values (statsmodels' "holm"): sorted ascending,
 * p_(i) * (n - i) made monotone with a running maximum, capped at 1; written
 * in the input order. adjusted may alias p. SRT_ERR_NOMEM. */
srt_rc srt_stats_holm(const double *p, size_t n, double *adjusted);

/* ------------------------------------------------ evaluation summaries */

/* One evaluated run: a configuration on an equation with one seed. */
typedef struct srt_eval_row {
    const char *config;   /* configuration name ("trial 12", "pysr-1", ...) */
    const char *equation; /* equation or instance id */
    long seed;            /* seed index */
    double value;         /* the run's value (mean Pareto volume) */
} srt_eval_row_t;

/* A configuration against a baseline over the equations both ran. */
typedef struct srt_eval_pair {
    size_t wins, ties, losses; /* equations where the config's mean is better, equal, worse */
    double mean_diff;          /* mean over equations of (config - baseline), sign by direction:
                                  > 0 is better */
    double lo, hi;             /* bootstrap 95 % interval of mean_diff */
    double p;                  /* one-sided paired Wilcoxon p (config better), zsplit */
    double p_holm;             /* p Holm-corrected over the configs compared to this baseline */
} srt_eval_pair_t;

/* Per configuration: its mean over equations (of per-equation means over
 * seeds), the bootstrap 95 % interval over equations, and one pair per
 * baseline. */
typedef struct srt_eval_config {
    char *name;            /* owned */
    int is_baseline;       /* listed among the baselines */
    size_t n_equations;    /* equations it ran */
    double mean, lo, hi;   /* mean and interval, in the study's direction's units */
    srt_eval_pair_t *vs;   /* one per baseline (owned; NULL when none) */
} srt_eval_config_t;

typedef struct srt_eval_summary {
    srt_eval_config_t *configs; /* in first-seen order (owned) */
    size_t n_configs;
    char **baselines;           /* baseline names (owned) */
    size_t n_baselines;
    long winner;                /* index of the best non-baseline config by mean; -1 */
    int significant;            /* 1 when the winner beats every baseline at Holm p < 0.05 */
} srt_eval_summary_t;

/* Builds the summary of rows[0..n-1] (values to maximise unless minimize):
 * per-equation means over seeds, then the statistics above (bootstrap with
 * `resamples` draws seeded by seed). baselines names the configurations that
 * are baselines. SRT_ERR_NOMEM; SRT_ERR_INVALID when n == 0. */
srt_rc srt_eval_summarize(const srt_eval_row_t *rows, size_t n, const char *const *baselines,
                          size_t n_baselines, int minimize, long resamples, uint64_t seed,
                          srt_eval_summary_t *out);
void srt_eval_summary_fini(srt_eval_summary_t *s);

#ifdef __cplusplus
}
#endif
#endif
