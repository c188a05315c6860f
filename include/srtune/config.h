/*
 * srtune config: the study's JSON file (docs/config.md) read into validated
 * structs, the effective config as run, and the guard that keeps a relaunch on
 * an existing output directory from silently changing the study.
 *
 * Invariants: a srt_config_t returned by srt_config_load is complete (every
 * default applied, every path resolved to an absolute path, the equation
 * selection canonical) and valid: no later module has to re-check a value.
 * No cJSON type appears here; src/config/ is the only code that reads user JSON.
 * Nothing in this module is collective: it knows nothing of MPI.
 */
#ifndef SRTUNE_CONFIG_H
#define SRTUNE_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "srtune/core.h"
#include "srtune/sr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------ study part */

/* Optimisation direction; the values are Optuna's journal values. */
typedef enum {
    SRT_DIRECTION_MINIMIZE = 1, /* smaller is better */
    SRT_DIRECTION_MAXIMIZE = 2  /* larger is better (Pareto volume: the default) */
} srt_direction_t;

/* Sampler kinds, in the order of their config names. */
typedef enum {
    SRT_SAMPLER_RANDOM = 0, /* "random" */
    SRT_SAMPLER_TPE = 1,    /* "tpe" */
    SRT_SAMPLER_QMC = 2,    /* "qmc" */
    SRT_SAMPLER_GRID = 3    /* "grid" */
} srt_sampler_kind_t;

/* Pruner kinds, in the order of their config names. */
typedef enum {
    SRT_CONFIG_PRUNER_MEDIAN = 0,  /* "median" */
    SRT_CONFIG_PRUNER_NONE = 1,    /* "none" */
    SRT_CONFIG_PRUNER_WILCOXON = 2 /* "wilcoxon" */
} srt_config_pruner_kind_t;

typedef struct srt_config_sampler {
    srt_sampler_kind_t kind; /* study.sampler.name */
    long n_startup_trials;   /* random trials before TPE models (default 10) */
    int multivariate;        /* TPE multivariate bandwidth (default 0) */
    int constant_liar;       /* TPE counts RUNNING trials (default 1) */
    long n_ei_candidates;    /* TPE candidates per suggestion (default 24) */
} srt_config_sampler_t;

typedef struct srt_config_pruner {
    srt_config_pruner_kind_t kind; /* study.pruner.name */
    long n_startup_trials;         /* finished trials before pruning starts (default 5) */
    long n_warmup_steps;           /* steps (equations) before a trial can be pruned (default 0) */
    long interval;                 /* check every this many steps (default 1) */
    double p_threshold;            /* wilcoxon: prune below this p-value (default 0.1) */
    long n_startup_steps;          /* wilcoxon: paired equations before pruning (default 0) */
} srt_config_pruner_t;

/* What a failed SR run (NaN data, engine error) does to its trial. */
typedef enum {
    SRT_CONFIG_ON_ERROR_FAIL_TRIAL = 0, /* "fail_trial": the trial is FAIL (the study goes on) */
    SRT_CONFIG_ON_ERROR_VALUE = 1       /* "value": the run counts as failure_value */
} srt_config_on_error_t;

typedef struct srt_config_study {
    char *name;                   /* study name (journal study_name) */
    char *output_dir;             /* absolute, normalised output directory */
    uint64_t seed;                /* study seed; every other seed derives from it */
    long n_trials;                /* trials to finish (may change between launches) */
    srt_direction_t direction;    /* default maximise */
    srt_config_sampler_t sampler; /* sampler and its options */
    srt_config_pruner_t pruner;   /* pruner and its options */
    long max_retries;             /* retries of an interrupted or lost trial */
    double heartbeat_interval_s;  /* seconds between heartbeats of a running trial */
    double heartbeat_grace_s;     /* a RUNNING trial older than this is lost */
    srt_config_on_error_t on_run_error; /* what a failed run does (study-defining) */
    double failure_value;         /* a failed run's value under "value" (study-defining) */
    struct srt_config_baseline *baselines; /* study.baselines (owned array) */
    size_t n_baselines;                    /* entries in baselines */
} srt_config_study_t;

/* One baseline of study.baselines: a preset or an option map, resolved to
 * values of every tuned parameter (the fixed model options stay as they are). */
typedef struct srt_config_baseline {
    char *name;         /* "pysr-1", "pysr-0", the map's "name", or "baseline-<k>" (owned) */
    char *spec;         /* the entry as canonical JSON (a string, or a map with sorted keys) */
    char *fixed_params; /* {"param": external value, ...} for Optuna's enqueue_trial (owned) */
} srt_config_baseline_t;

/* ---------------------------------------------------------- dataset part */

typedef enum {
    SRT_DATASET_FEYNMAN = 0, /* Feynman catalogue (100 equations) */
    SRT_DATASET_BONUS = 1,   /* Bonus catalogue (20 equations) */
    SRT_DATASET_CSV = 2,     /* the user's CSV file */
    SRT_DATASET_FILES = 3    /* a suite of data files, each one instance (docs/datasets.md) */
} srt_dataset_kind_t;

/* An owned list of owned strings. */
typedef struct srt_config_strlist {
    char **items; /* n heap strings */
    size_t n;     /* entries */
} srt_config_strlist_t;

/* The order in which a trial runs its equations (dataset.order). */
typedef enum {
    SRT_ORDER_CATALOGUE = 0, /* "catalogue": the study's order */
    SRT_ORDER_SHUFFLE = 1    /* "shuffle": a seeded order of its own per trial */
} srt_order_t;

typedef struct srt_config_dataset {
    srt_dataset_kind_t kind;          /* dataset.name */
    srt_order_t order;                /* dataset.order */
    const char *name;                 /* "feynman", "bonus", "csv" or "files" (static) */
    char *catalogue;                  /* absolute catalogue path; NULL for csv */
    char *equations;                  /* canonical selection: "0:100", "1,5,7" or
                                         "I.6.2a,I.8.14"; NULL for csv */
    srt_config_strlist_t holdout;     /* held-out instance ids or globs (never tuned on) */
    long n_catalogue;                 /* equations in the catalogue (0 for csv) */
    long num_samples;                 /* rows sampled per (equation, run); files: rows drawn
                                         per run, 0 = every row (the default) */
    double noise;                     /* y += N(0, noise * rms(y)); >= 0 */
    int n_remove_ops;                 /* entries used in remove_ops */
    uint8_t remove_ops[SRT_OP_COUNT]; /* srt_op_t: drop equations using these */
    long n_runs;                      /* SR runs per equation */
    char *path;                       /* absolute CSV path; NULL unless csv */
    char *target;                     /* CSV target column; NULL: the last column (files:
                                         a column named target, else the last) */
    srt_config_strlist_t paths;       /* files: the patterns, absolute, as given */
    srt_config_strlist_t files;       /* files: the matched files, absolute, in order */
    srt_config_strlist_t ids;         /* files: instance id of each file (file name without
                                         extension), unique */
    char *weights;                    /* files: weights column; NULL: none */
    srt_config_strlist_t exclude;     /* files: columns to ignore */
    int drop_nonfinite;               /* files: drop rows with NaN/Inf instead of failing */
} srt_config_dataset_t;

/* ----------------------------------------------------- search space part */

typedef enum {
    SRT_CONFIG_PARAM_FLOAT = 0,       /* low, high, log, step (0: continuous) */
    SRT_CONFIG_PARAM_INT = 1,         /* low, high, log, step (>= 1) */
    SRT_CONFIG_PARAM_CATEGORICAL = 2, /* choices */
    SRT_CONFIG_PARAM_SIMPLEX = 3      /* keys, total */
} srt_config_param_kind_t;

typedef enum {
    SRT_CONFIG_CHOICE_NULL = 0,   /* JSON null */
    SRT_CONFIG_CHOICE_BOOL = 1,   /* true / false */
    SRT_CONFIG_CHOICE_NUMBER = 2, /* a finite number */
    SRT_CONFIG_CHOICE_STRING = 3  /* a string */
} srt_config_choice_kind_t;

typedef struct srt_config_choice {
    srt_config_choice_kind_t kind; /* which of the fields below holds the value */
    int boolean;                   /* value when kind is BOOL */
    double number;                 /* value when kind is NUMBER */
    char *string;                  /* owned value when kind is STRING, else NULL */
} srt_config_choice_t;

/* One tuned parameter: a named SR option, or a simplex group of SR options. */
typedef struct srt_config_param {
    char *name;                         /* SR option name, or the simplex group's name */
    srt_config_param_kind_t kind;       /* float, int, categorical or simplex */
    const srt_sr_option_info_t *option; /* the SR option (NULL for a simplex) */
    double low;                         /* float/int lower bound (inclusive) */
    double high;                        /* float/int upper bound (inclusive) */
    int log;                            /* float/int: sample in log space */
    double step;                        /* float: 0 = continuous; int: >= 1 */
    size_t n_choices;                   /* categorical: entries in choices */
    srt_config_choice_t *choices;       /* categorical: owned array */
    size_t n_keys;                      /* simplex: entries in keys */
    const srt_sr_option_info_t **keys;  /* simplex: owned array of static options */
    double total;                       /* simplex: the weights sum to this */
} srt_config_param_t;

/* The search space, sorted by parameter name (so file order does not matter). */
typedef struct srt_config_space {
    size_t n;                   /* number of parameters */
    srt_config_param_t *params; /* owned array of n parameters */
} srt_config_space_t;

/* --------------------------------------------------------- whole config */

typedef struct srt_config {
    char *path;                   /* the config file as the user passed it */
    char *dir;                    /* absolute directory of the config file */
    srt_config_study_t study;     /* "study" section */
    srt_config_dataset_t dataset; /* "dataset" section */
    srt_sr_preset_t preset;       /* model.preset */
    srt_sr_options_t model;       /* fixed SR options (tuned ones hold their defaults) */
    srt_config_space_t space;     /* "search_space" section */
    uint64_t config_hash;         /* srt_hash64 of the canonical effective JSON */
    uint64_t study_hash;          /* hash of the study-defining parts only */
    uint64_t data_hash;           /* srt_hash64 of the catalogue or CSV file's bytes; files:
                                     of every (id, hash of the file's bytes) in order */
} srt_config_t;

/* Every error found in one load, in file order. Caller-owned storage:
 * srt_config_errors_init / srt_config_errors_fini. */
typedef struct srt_config_errors {
    size_t count;     /* errors recorded */
    size_t cap;       /* allocated entries */
    srt_err_t *items; /* owned array of count errors, file order */
} srt_config_errors_t;

/* Makes errs an empty list; errs may be NULL. */
void srt_config_errors_init(srt_config_errors_t *errs);
/* Frees the entries; errs may be NULL. The struct can be reused after init. */
void srt_config_errors_fini(srt_config_errors_t *errs);
/* Writes each error as srt_err_format shows it ("FILE: KEY: message",
 * "FILE:LINE:COLUMN: message" for JSON syntax), one per line. */
void srt_config_errors_print(const srt_config_errors_t *errs, FILE *fp);

/* Reads, validates and completes the config at path.
 * On SRT_OK *out owns a new config (free with srt_config_destroy). On failure
 * *out is NULL, every error found is appended to errs (when not NULL) in file
 * order, and err holds the first one. Errors: SRT_ERR_NOTFOUND (no such file),
 * SRT_ERR_IO (unreadable file),
 * SRT_ERR_PARSE (JSON syntax, with line and column), SRT_ERR_CONFIG (invalid
 * values), SRT_ERR_NOMEM. The default catalogues are found in $SRTUNE_DATA_DIR,
 * else in the source tree's data/ directory. */
srt_rc srt_config_load(const char *path, srt_config_t **out, srt_config_errors_t *errs,
                       srt_err_t *err);

/* Frees *cfg and sets it to NULL; cfg and *cfg may be NULL. */
void srt_config_destroy(srt_config_t **cfg);

/* The effective config as the pretty JSON text written to <output_dir>/config.json:
 * every key present, canonical key order, presets expanded, plus "data_hash",
 * "config_hash" and "study_hash" (16 hex digits). Caller frees; NULL when out of
 * memory. */
char *srt_config_to_json(const srt_config_t *cfg);

/* Hash of the canonical effective config / of its study-defining parts
 * (study.name, study.seed, study.direction, dataset, model, search_space). The
 * data enter the study hash by content (data_hash), not by path: a moved
 * checkout or another SRTUNE_DATA_DIR with the same files is the same study. */
uint64_t srt_config_hash(const srt_config_t *cfg);
uint64_t srt_config_study_hash(const srt_config_t *cfg);

/* What an output directory holds, for `srtune validate` and for launches. */
typedef enum {
    SRT_CONFIG_EXISTING_NONE = 0,    /* no config.json: a new study */
    SRT_CONFIG_EXISTING_SAME = 1,    /* identical effective config: resume as is */
    SRT_CONFIG_EXISTING_CHANGED = 2, /* resume; only n_trials, sampler/pruner options,
                                        retries or heartbeats changed (rewritten) */
    SRT_CONFIG_EXISTING_MISMATCH = 3 /* study-defining keys differ: refused */
} srt_config_existing_t;

/* Read-only check of <output_dir>/config.json against cfg. Sets *state and
 * returns SRT_OK for NONE, SAME and CHANGED; SRT_ERR_MISMATCH for MISMATCH with
 * err naming every differing dotted key ("runs/x/config.json: study-defining
 * keys differ from the existing study: model.maxsize, ..."); SRT_ERR_IO or
 * SRT_ERR_PARSE when the existing file cannot be read or parsed. Writes nothing. */
srt_rc srt_config_check_existing(const srt_config_t *cfg, srt_config_existing_t *state,
                                 srt_err_t *err);

/* Creates output_dir (mkdir -p) and writes the effective config to
 * <output_dir>/config.json atomically. An existing config.json is checked first
 * (srt_config_check_existing): on a mismatch nothing is written and
 * SRT_ERR_MISMATCH is returned; an identical file is left as is; otherwise it is
 * rewritten. state may be NULL. Not collective: call it on one rank. */
srt_rc srt_config_write_effective(const srt_config_t *cfg, srt_config_existing_t *state,
                                  srt_err_t *err);

/* Applies one "name=value" assignment to an SR option with the same validation
 * as the config's model section (`srtune fit --option maxsize=20`). Scalars take
 * numbers, true/false and null/none (optional options); binary_operators and
 * unary_operators take a comma-separated list ("+,-,*,/", "sin,cos"). On error o
 * is unchanged and err reads "maxsize: must be an integer in [7, 256], got 3.5"
 * (SRT_ERR_CONFIG). */
srt_rc srt_config_parse_sr_option(srt_sr_options_t *o, const char *assignment, srt_err_t *err);

/* The smallest value a config (or `fit --option`) may give an SR option: the
 * option table's low, raised where PySR 1.5.x refuses less (maxsize >= 7), so
 * that every value srtune accepts is one PySRRegressor accepts (docs/pysr.md). */
double srt_config_option_low(const srt_sr_option_info_t *info);

/* PySR 1.5.x's and SR.jl 1.11's cross-option rules on a complete option set
 * (maxsize >= 7, tournament_selection_n < population_size, topn <=
 * population_size): SRT_ERR_CONFIG
 * naming the option, e.g. for `srtune fit` after all --option values. */
srt_rc srt_config_check_pysr(const srt_sr_options_t *o, srt_err_t *err);

/* Longest study name srt_config_name_check accepts. */
#define SRT_CONFIG_NAME_MAX 64

/* Checks a name that reaches file names and job scripts (study.name): 1 to
 * SRT_CONFIG_NAME_MAX characters from [A-Za-z0-9._-], starting with a letter,
 * a digit or '_', without "..". So no '/', no control characters, no spaces
 * and no shell metacharacters. Returns 1 when valid; else writes the reason
 * ("'/' is not allowed (...), got \"a/b\"") into msg and returns 0. */
int srt_config_name_check(const char *name, char *msg, size_t size);

/* 1 when runs can stop on the clock: model.timeout_in_seconds is set or tuned.
 * Such results depend on the machine's speed and load (`srtune validate` warns). */
int srt_config_uses_timeout(const srt_config_t *cfg);

/* Config names of the enums ("tpe", "median", "maximize", "feynman"). */
const char *srt_config_sampler_name(srt_sampler_kind_t kind);
const char *srt_config_pruner_name(srt_config_pruner_kind_t kind);
const char *srt_config_direction_name(srt_direction_t dir);
const char *srt_config_dataset_name(srt_dataset_kind_t kind);

#ifdef __cplusplus
}
#endif
#endif
