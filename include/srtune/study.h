/*
 * srtune study layer: search space, samplers, pruner and the Optuna-compatible
 * journal (docs: study.md).
 *
 * The journal file is Optuna's JournalStorage format (JSON Lines, one operation
 * per line), so Optuna 3.1+ and optuna-dashboard open a study while srtune runs
 * and Optuna processes may append beside srtune. Invariants:
 *  - lines are appended whole, in one write, under Optuna's symlink lock, and
 *    fsynced; a reader never applies a line that has no '\n' yet;
 *  - the in-memory study is exactly what Optuna's replay builds from the same
 *    lines (study ids, global trial ids, per-study numbers, ignored ops);
 *  - every suggestion is a function of the study seed, the trial number and the
 *    history (srt_seed_derive(study_seed, "sampler", NULL, number, 0)).
 * What srtune writes beyond Optuna's own fields (all of it loads in Optuna):
 *  - a new trial is ONE CREATE_TRIAL line with a RUNNING template (state 0,
 *    params + distributions, system attrs "srtune:run_dir" = "trials/trial_<N>"
 *    and "srtune:heartbeat" = unix seconds), written while holding the lock, so
 *    no reader sees a trial without its params (architecture.md's CREATE_TRIAL +
 *    SET_TRIAL_PARAM lines, made atomic);
 *  - a simplex group "w" of k weights is the k-1 FloatDistribution(0, 1) params
 *    "w.s0" .. "w.s<k-2>" (stick-breaking fractions) plus one user attr
 *    "w": {"<key>": weight, ...} with the derived weights;
 *  - the heartbeat is the system attr "srtune:heartbeat", refreshed by
 *    srt_study_heartbeat; a retry is Optuna's RetryFailedTrialCallback template
 *    (WAITING, "failed_trial", "retry_history", the other system attrs copied
 *    except the heartbeat, so "srtune:run_dir" points at the original directory).
 * This module knows nothing of SR, MPI or the config module. Nothing here is
 * collective: MPI never appears; only rank 0 uses a study.
 */
#ifndef SRTUNE_STUDY_H
#define SRTUNE_STUDY_H

#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ============================================================ search space */

typedef enum {
    SRT_PARAM_FLOAT = 0,      /* FloatDistribution */
    SRT_PARAM_INT = 1,        /* IntDistribution */
    SRT_PARAM_CATEGORICAL = 2 /* CategoricalDistribution; internal value = index */
} srt_param_kind_t;

typedef enum {
    SRT_CHOICE_NULL = 0,   /* JSON null */
    SRT_CHOICE_BOOL = 1,   /* JSON true/false */
    SRT_CHOICE_NUMBER = 2, /* JSON number */
    SRT_CHOICE_STRING = 3  /* JSON string */
} srt_choice_kind_t;

/* One categorical choice. */
typedef struct srt_choice {
    srt_choice_kind_t kind; /* which member is meaningful */
    char *str;              /* SRT_CHOICE_STRING: owned UTF-8 text, else NULL */
    double num;             /* SRT_CHOICE_NUMBER: the number */
    int boolean;            /* SRT_CHOICE_BOOL: 0 or 1 */
} srt_choice_t;

/* One journal parameter (one Optuna distribution). */
typedef struct srt_param {
    char *name;            /* journal param name ("alpha", "mutation_weights.s0") */
    srt_param_kind_t kind; /* float, int or categorical */
    double low;            /* float/int: lower bound (inclusive) */
    double high;           /* float/int: upper bound, adjusted down onto the step grid */
    int log;               /* float/int: sampled in ln space */
    double step;           /* float: 0 = continuous; int: >= 1 */
    srt_choice_t *choices; /* categorical: owned array */
    size_t n_choices;      /* categorical: number of choices (>= 1) */
    int group;             /* index of the simplex group it encodes, -1 if none */
    char *distribution;    /* Optuna distribution JSON string (owned) */
} srt_param_t;

/* A simplex group: k weights that sum to total, encoded as k-1 stick-breaking
 * fractions in (0,1) (FloatDistribution params "<name>.s0" .. "<name>.s<k-2>").
 * The derived weights are recorded as one user attr "<name>": {key: weight}. */
typedef struct srt_simplex {
    char *name;         /* group name ("mutation_weights") */
    char **keys;        /* the k weight names (owned) */
    size_t k;           /* number of weights (>= 2) */
    double total;       /* sum of the weights */
    size_t first_param; /* index in srt_space_t.params of "<name>.s0" */
} srt_simplex_t;

/* The search space: the ordered journal params and the simplex groups. */
typedef struct srt_space {
    srt_param_t *params;   /* owned array, in insertion order */
    size_t n_params;       /* number of params (simplex fractions included) */
    srt_simplex_t *groups; /* owned array of simplex groups */
    size_t n_groups;       /* number of simplex groups */
} srt_space_t;

/* Creates an empty space. Returns NULL on allocation failure. */
srt_space_t *srt_space_create(void);
/* Frees a space and clears *space; NULL or *space NULL is fine. */
void srt_space_destroy(srt_space_t **space);

/* Adds a float param. step 0 = continuous; log and step > 0 are exclusive; high
 * is moved down onto the grid low + k*step as Optuna does. SRT_ERR_CONFIG for
 * bad bounds (names the param in err->key), SRT_ERR_EXISTS for a duplicate name. */
srt_rc srt_space_add_float(srt_space_t *space, const char *name, double low, double high, int log,
                           double step, srt_err_t *err);
/* Adds an int param (step >= 1, log needs step 1, log needs low >= 1). */
srt_rc srt_space_add_int(srt_space_t *space, const char *name, long low, long high, int log,
                         long step, srt_err_t *err);
/* Adds a categorical param; choices are copied (at least one). */
srt_rc srt_space_add_categorical(srt_space_t *space, const char *name, const srt_choice_t *choices,
                                 size_t n_choices, srt_err_t *err);
/* Adds a simplex group of k >= 2 weights summing to total > 0 (keys copied). */
srt_rc srt_space_add_simplex(srt_space_t *space, const char *name, const char *const *keys,
                             size_t k, double total, srt_err_t *err);

/* Index of the param named name, or -1. */
long srt_space_find(const srt_space_t *space, const char *name);

/* Parses an Optuna distribution JSON string into *out (fields owned by out;
 * free with srt_param_fini). Accepts Float/Int/Categorical and the legacy
 * Uniform/LogUniform/DiscreteUniform/IntUniform/IntLogUniform names. */
srt_rc srt_param_from_distribution(const char *json, srt_param_t *out, srt_err_t *err);
/* Frees the fields of a param filled by srt_param_from_distribution. */
void srt_param_fini(srt_param_t *p);
/* Optuna's check_distribution_compatibility: same class, same log, same choices. */
int srt_param_compatible(const srt_param_t *a, const srt_param_t *b);
/* True when an internal value lies in the param's range (and on its grid). */
int srt_param_contains(const srt_param_t *p, double internal);

/* Weights of simplex group g from the k-1 fractions in x (internal values in
 * space order): stick-breaking with Beta(1, k-1-i) inverse CDFs, so that
 * uniform fractions give a uniform (Dirichlet(1,...,1)) point of the simplex;
 * w[0..k-1] sums to total. */
void srt_space_simplex_weights(const srt_space_t *space, size_t g, const double *x, double *w);

/* Number of grid points of a categorical-only space (product of choice counts),
 * 0 when the space has a non-categorical param or the product overflows. */
size_t srt_space_grid_size(const srt_space_t *space);

/* ====================================================== trials (in memory) */

typedef enum {
    SRT_TRIAL_STATE_RUNNING = 0,
    SRT_TRIAL_STATE_COMPLETE = 1,
    SRT_TRIAL_STATE_PRUNED = 2,
    SRT_TRIAL_STATE_FAIL = 3,
    SRT_TRIAL_STATE_WAITING = 4
} srt_trial_state_t;

/* Name of a state ("RUNNING", ...), "?" for an unknown value. */
const char *srt_trial_state_name(srt_trial_state_t s);

/* A user or system attribute: a key and its value as compact JSON text. */
typedef struct srt_attr {
    char *key;  /* attribute key */
    char *json; /* value as compact JSON text ("1.5", "\"x\"", "[1,2]") */
} srt_attr_t;

/* One parameter of a trial as the journal recorded it. */
typedef struct srt_trial_param {
    const char *name;         /* param name (in a replayed trial: interned by the journal) */
    double internal;          /* Optuna internal representation */
    const char *distribution; /* distribution JSON string (interned likewise) */
} srt_trial_param_t;

/* One intermediate value. */
typedef struct srt_step_value {
    long step;    /* step (number of equations done) */
    double value; /* intermediate value */
} srt_step_value_t;

/* A trial as replayed from the journal (read-only for callers). */
typedef struct srt_trial {
    long id;                        /* global trial id (CREATE_TRIAL count in the file) */
    long number;                    /* number within its study */
    int study_id;                   /* owning study */
    srt_trial_state_t state;        /* current state */
    double *values;                 /* objective values or NULL */
    size_t n_values;                /* number of values */
    char datetime_start[40];        /* ISO datetime or "" */
    char datetime_complete[40];     /* ISO datetime or "" */
    srt_trial_param_t *params;      /* params in the order they were set */
    size_t n_params;                /* number of params */
    srt_step_value_t *intermediate; /* intermediate values, sorted by step */
    size_t n_intermediate;          /* number of intermediate values */
    srt_attr_t *user_attrs;         /* user attributes */
    size_t n_user_attrs;            /* number of user attributes */
    srt_attr_t *system_attrs;       /* system attributes */
    size_t n_system_attrs;          /* number of system attributes */
    const char *running_worker;     /* worker_id whose RUNNING line was applied, or NULL */
    const char *created_worker;     /* worker_id of the CREATE_TRIAL line */
    size_t cap_params;              /* (internal) allocated params */
    size_t cap_intermediate;        /* (internal) allocated intermediate values */
} srt_trial_t;

/* Attribute value (JSON text) of key, or NULL. */
const char *srt_trial_user_attr(const srt_trial_t *t, const char *key);
const char *srt_trial_system_attr(const srt_trial_t *t, const char *key);
/* The param named name, or NULL. */
const srt_trial_param_t *srt_trial_param(const srt_trial_t *t, const char *name);
/* Last intermediate value (largest step); returns 0 when there is none. */
int srt_trial_last_intermediate(const srt_trial_t *t, long *step, double *value);

/* ================================================================ journal */

typedef struct srt_journal srt_journal_t;

/* A batch of journal lines built before one append (one write under the lock). */
typedef struct srt_journal_batch {
    char *buf;   /* the lines, each ending in '\n' */
    size_t len;  /* bytes used */
    size_t cap;  /* bytes allocated */
    int n_lines; /* number of lines */
} srt_journal_batch_t;

/* Lock options (Optuna's symlink protocol). */
typedef struct srt_lock_options {
    double grace_s;     /* a lock whose mtime did not change for this long is stale (30) */
    double max_wait_s;  /* give up with SRT_ERR_LOCKED after this long; <= 0: forever */
    double backoff_min; /* first back-off sleep in seconds (0.001) */
    double backoff_max; /* back-off ceiling in seconds (1) */
} srt_lock_options_t;

/* Defaults of study.md: grace 30 s, wait forever, back-off 1 ms .. 1 s. */
srt_lock_options_t srt_lock_options_default(void);

/* Acquires `<journal_path>.lock` (a symlink to the journal), retrying on
 * EEXIST with doubling back-off; breaks a stale lock (rename + unlink) with a
 * warning, after checking again under flock(2) of the journal that it is
 * still the lock that went stale (race-free among breakers). SRT_ERR_LOCKED
 * when max_wait_s passed, SRT_ERR_IO otherwise. */
srt_rc srt_journal_lock_acquire(const char *journal_path, const srt_lock_options_t *opt,
                                srt_err_t *err);
/* Tests only: sleeps this long between finding a lock stale and breaking it,
 * which widens the window in which another breaker may act first. */
void srt_journal_lock_set_break_delay(double seconds);
/* Releases the lock: rename to a unique name, then unlink. SRT_ERR_IO if the
 * lock was not there (someone broke it). */
srt_rc srt_journal_lock_release(const char *journal_path, srt_err_t *err);

/* Opens (creating if missing) a journal and replays it. worker_id NULL makes
 * "srtune-<host>-<pid>-<random>". The caller destroys the journal. */
srt_rc srt_journal_open(const char *path, const char *worker_id, srt_journal_t **out,
                        srt_err_t *err);
/* Opens an existing journal for reading only (no write access needed: a
 * read-only mount, another user's study) and replays it. Appends and the lock
 * fail with SRT_ERR_INVALID; SRT_ERR_NOTFOUND when the file is missing. */
srt_rc srt_journal_open_readonly(const char *path, srt_journal_t **out, srt_err_t *err);
/* Closes and frees; NULL is fine; clears *j. */
void srt_journal_destroy(srt_journal_t **j);
/* Reads and applies the complete lines appended since the last read. A torn
 * line followed by more lines is skipped with a warning; a last line with no
 * '\n' is left for a later refresh. */
srt_rc srt_journal_refresh(srt_journal_t *j, srt_err_t *err);
/* This writer's worker_id. */
const char *srt_journal_worker_id(const srt_journal_t *j);
/* Path of the journal file. */
const char *srt_journal_path(const srt_journal_t *j);
/* Sets the lock options used by appends. */
void srt_journal_set_lock_options(srt_journal_t *j, const srt_lock_options_t *opt);
/* Number of complete lines read and lines skipped as unreadable so far. */
long srt_journal_lines_read(const srt_journal_t *j);
long srt_journal_lines_skipped(const srt_journal_t *j);

/* Takes / drops the lock for a read-decide-append sequence. */
srt_rc srt_journal_lock(srt_journal_t *j, srt_err_t *err);
srt_rc srt_journal_unlock(srt_journal_t *j, srt_err_t *err);
/* Appends a batch in one write + fsync; the caller holds the lock. All or
 * nothing: a failed or short write, or a failed fsync, truncates the file back
 * to its size before the append and returns SRT_ERR_IO naming the journal and
 * the error. If the file does not end in '\n' (its writer died mid-line: under
 * the lock nobody else writes) the torn tail is cut back to the last '\n' and
 * its bytes are saved to `<journal>.torn-<UTC time>` first, with a warning
 * naming both files, so every line of the journal stays parsable. Does not
 * replay. */
srt_rc srt_journal_append_locked(srt_journal_t *j, const srt_journal_batch_t *b, srt_err_t *err);
/* The end of a read-decide-append under the lock: appends b when rc is
 * SRT_OK (rc is returned otherwise), unlocks, refreshes. */
srt_rc srt_journal_finish(srt_journal_t *j, const srt_journal_batch_t *b, srt_rc rc,
                          srt_err_t *err);
/* Lock + append + unlock + refresh. */
srt_rc srt_journal_commit(srt_journal_t *j, const srt_journal_batch_t *b, srt_err_t *err);
/* A hold: from srt_journal_hold to srt_journal_release, the lock once taken is
 * kept (unlock does nothing) and appends are fsynced once, at the release,
 * which also drops the lock. For bursts of appends with no wait in between. */
void srt_journal_hold(srt_journal_t *j);
srt_rc srt_journal_release(srt_journal_t *j, srt_err_t *err);

/* Studies and trials of the replayed journal. */
size_t srt_journal_n_trials(const srt_journal_t *j);
const srt_trial_t *srt_journal_trial(const srt_journal_t *j, long trial_id);
/* Study id of the live study named name, or -1. */
int srt_journal_find_study(const srt_journal_t *j, const char *name);
/* Number of study ids given so far (deleted ones included). */
int srt_journal_n_study_ids(const srt_journal_t *j);
/* Name, directions (1 minimise, 2 maximise) of a live study; NULL when unknown. */
const char *srt_journal_study_name(const srt_journal_t *j, int study_id);
int srt_journal_study_direction(const srt_journal_t *j, int study_id, size_t index);
size_t srt_journal_study_n_directions(const srt_journal_t *j, int study_id);
/* Trials of a study in number order; *n receives the count. NULL when unknown. */
const srt_trial_t *const *srt_journal_study_trials(const srt_journal_t *j, int study_id, size_t *n);
/* Every user (system = 0) or system attribute of a live study; *n receives
 * the count (0 and NULL for an unknown study). */
const srt_attr_t *srt_journal_study_attrs(const srt_journal_t *j, int study_id, int system,
                                          size_t *n);
/* Study attributes (JSON text) or NULL. */
const char *srt_journal_study_user_attr(const srt_journal_t *j, int study_id, const char *key);
const char *srt_journal_study_system_attr(const srt_journal_t *j, int study_id, const char *key);

/* Batch life cycle: init / fini (caller-owned storage), reset keeps memory. */
void srt_journal_batch_init(srt_journal_batch_t *b);
void srt_journal_batch_fini(srt_journal_batch_t *b);
void srt_journal_batch_reset(srt_journal_batch_t *b);
/* Appends src's lines to dst; SRT_ERR_NOMEM (dst unchanged) when out of memory. */
srt_rc srt_journal_batch_append(srt_journal_batch_t *dst, const srt_journal_batch_t *src);

/* Op encoders: each appends one line (op codes 0-9, Optuna's field names). JSON
 * text arguments (attr values) must be valid JSON; SRT_ERR_INVALID otherwise. */
srt_rc srt_journal_op_create_study(srt_journal_batch_t *b, const char *worker, const char *name,
                                   const int *directions, size_t n_directions);
srt_rc srt_journal_op_delete_study(srt_journal_batch_t *b, const char *worker, int study_id);
srt_rc srt_journal_op_set_study_attr(srt_journal_batch_t *b, const char *worker, int study_id,
                                     int system, const char *key, const char *json);
/* Plain CREATE_TRIAL (RUNNING, datetime_start now). */
srt_rc srt_journal_op_create_trial(srt_journal_batch_t *b, const char *worker, int study_id);

/* A template trial for CREATE_TRIAL (enqueue, retry, atomic ask). */
typedef struct srt_trial_template {
    srt_trial_state_t state;              /* RUNNING or WAITING (or a finished state) */
    const double *values;                 /* values or NULL */
    size_t n_values;                      /* number of values */
    const srt_trial_param_t *params;      /* params with their distribution strings */
    size_t n_params;                      /* number of params */
    const srt_attr_t *user_attrs;         /* user attrs (JSON values) */
    size_t n_user_attrs;                  /* number of user attrs */
    const srt_attr_t *system_attrs;       /* system attrs (JSON values) */
    size_t n_system_attrs;                /* number of system attrs */
    const srt_step_value_t *intermediate; /* intermediate values */
    size_t n_intermediate;                /* number of intermediate values */
} srt_trial_template_t;

srt_rc srt_journal_op_create_trial_template(srt_journal_batch_t *b, const char *worker,
                                            int study_id, const srt_trial_template_t *t);
srt_rc srt_journal_op_set_param(srt_journal_batch_t *b, const char *worker, long trial_id,
                                const char *name, double internal, const char *distribution);
/* values may be NULL (written as null); datetimes are added as Optuna does. */
srt_rc srt_journal_op_set_state(srt_journal_batch_t *b, const char *worker, long trial_id,
                                srt_trial_state_t state, const double *values, size_t n_values);
srt_rc srt_journal_op_set_intermediate(srt_journal_batch_t *b, const char *worker, long trial_id,
                                       long step, double value);
srt_rc srt_journal_op_set_trial_attr(srt_journal_batch_t *b, const char *worker, long trial_id,
                                     int system, const char *key, const char *json);

/* Formats a double as JSON the way Python does (shortest round-trip; NaN,
 * Infinity, -Infinity as Python writes them). buf needs 32 bytes. */
const char *srt_json_number(double v, char *buf, size_t size);
/* Now as naive local ISO 8601 with microseconds. buf needs 27 bytes. */
const char *srt_iso_now(char *buf, size_t size);

/* =============================================================== samplers */

/* One observed trial in the sampler's view: values in space order. */
typedef struct srt_observation {
    long number;             /* trial number */
    srt_trial_state_t state; /* COMPLETE, PRUNED, RUNNING (WAITING/FAIL are dropped) */
    double value;            /* COMPLETE: value; PRUNED: value at the last step */
    long last_step;          /* PRUNED: last step, -1 when no intermediate value */
    const double *x;         /* internal values in space order; NaN = not set */
} srt_observation_t;

/* The history handed to a sampler. */
typedef struct srt_history {
    const srt_observation_t *obs; /* observations in trial-number order */
    size_t n;                     /* number of observations */
    int minimize;                 /* 1 to minimise, 0 to maximise */
} srt_history_t;

/* Sampler options (TPE defaults of study.md; other samplers ignore most). */
typedef struct srt_sampler_options {
    long n_startup_trials;   /* random (or qmc) until this many COMPLETE+PRUNED (10) */
    long n_ei_candidates;    /* candidates drawn from l(x) (24) */
    double gamma_fraction;   /* gamma(n) = min(ceil(fraction * n), gamma_max) (0.1) */
    long gamma_max;          /* (25) */
    double prior_weight;     /* (1) */
    int consider_magic_clip; /* (1) */
    int consider_endpoints;  /* (0) */
    int multivariate;        /* joint kernels (0) */
    int constant_liar;       /* RUNNING trials count as worst (1) */
    int startup_qmc;         /* TPE start-up points from scrambled Sobol instead of random (0) */
    int kernel_log_sigma;    /* 1: kernel log-pdf has -ln(sigma) (study.md step 8 as written);
                                0: as Optuna really computes it (_truncnorm.logpdf omits the
                                scale, 3.1 and later): the default, which matches Optuna's
                                suggestions and its quality table (0) */
} srt_sampler_options_t;

srt_sampler_options_t srt_sampler_options_default(void);

/* What a suggestion depends on besides the history. */
typedef struct srt_sample_context {
    uint64_t study_seed; /* study seed (the Sobol scramble depends on it alone) */
    long trial_number;   /* seed index: the count of sampled trials before this one (not the
                            trial number: retry copies take numbers, see study.c) */
} srt_sample_context_t;

/* A sampler algorithm (GSL's "type" pattern): a const table looked up by name. */
typedef struct srt_sampler_type {
    const char *name; /* "random", "tpe", "qmc", "grid" */
    /* Fills x[0..n_params-1] with internal values for the space. */
    srt_rc (*suggest)(const srt_sampler_options_t *opt, const srt_space_t *space,
                      const srt_history_t *hist, const srt_sample_context_t *ctx, double *x,
                      srt_err_t *err);
} srt_sampler_type_t;

extern const srt_sampler_type_t *const srt_sampler_random;
extern const srt_sampler_type_t *const srt_sampler_tpe;
extern const srt_sampler_type_t *const srt_sampler_qmc;
extern const srt_sampler_type_t *const srt_sampler_grid;

/* Looks a sampler up by name; NULL when unknown. */
const srt_sampler_type_t *srt_sampler_find(const char *name);
/* NULL-terminated list of every sampler type. */
const srt_sampler_type_t *const *srt_sampler_types(void);

/* Suggests x for trial ctx->trial_number: every value in range and on its grid.
 * The seed is srt_seed_derive(study_seed, "sampler", NULL, trial_number, 0). */
srt_rc srt_sampler_suggest(const srt_sampler_type_t *type, const srt_sampler_options_t *opt,
                           const srt_space_t *space, const srt_history_t *hist,
                           const srt_sample_context_t *ctx, double *x, srt_err_t *err);

/* ================================================================= pruner */

typedef enum {
    SRT_PRUNER_NONE = 0,
    SRT_PRUNER_MEDIAN = 1,
    SRT_PRUNER_WILCOXON = 2
} srt_pruner_kind_t;

/* Pruner settings (Optuna's MedianPruner and WilcoxonPruner). */
typedef struct srt_pruner {
    srt_pruner_kind_t kind; /* none, median or wilcoxon */
    long n_startup_trials;  /* median: prune only with this many COMPLETE trials (5) */
    long n_warmup_steps;    /* median: never prune before this step (0) */
    long interval_steps;    /* median: check every this many steps after warm-up (1) */
    long n_min_trials;      /* median: COMPLETE trials with a value at the step needed (1) */
    double p_threshold;     /* wilcoxon: prune when the one-sided p-value is below (0.1) */
    long n_startup_steps;   /* wilcoxon: paired steps needed before pruning (0) */
} srt_pruner_t;

/* A pruner with Optuna's defaults. */
srt_pruner_t srt_pruner_default(srt_pruner_kind_t kind);
/* Looks a pruner up by name ("median", "none", "wilcoxon"); SRT_ERR_INVALID
 * when unknown. */
srt_rc srt_pruner_from_name(const char *name, srt_pruner_t *out);
/* The pruner's decision for trial (its intermediate values so far) against
 * the other trials of the study (trials[0..n-1]). Median: Optuna's
 * PercentilePruner(50). Wilcoxon: Optuna's WilcoxonPruner (3.6): the
 * differences between this trial's values and the best COMPLETE trial's at
 * the steps both have, a one-sided Wilcoxon signed-rank test (scipy,
 * zero_method "zsplit"), pruned when p < p_threshold unless the best trial's
 * value is no better than this trial's mean so far; never with fewer than
 * n_startup_steps pairs or with a non-finite value on either side. */
int srt_pruner_should_prune(const srt_pruner_t *p, const srt_trial_t *trial,
                            const srt_trial_t *const *trials, size_t n, int minimize);

/* ================================================================== study */

typedef struct srt_study srt_study_t;

/* How a study is opened. */
typedef struct srt_study_options {
    const char *journal_path;              /* journal file (created if missing) */
    const char *study_name;                /* found or created by name */
    int minimize;                          /* 1: minimise, 0: maximise */
    uint64_t seed;                         /* study seed */
    const char *sampler;                   /* sampler name ("tpe") */
    srt_sampler_options_t sampler_options; /* sampler options */
    srt_pruner_t pruner;                   /* pruner */
    long max_retries;                      /* retries of a failed trial; < 0: unlimited */
    double heartbeat_grace_s;              /* RUNNING with an older heartbeat is lost */
    srt_lock_options_t lock;               /* lock options */
    const char *run_dir_root;              /* run dirs are <root>/trial_<N>; NULL: "trials" */
    double report_delay_s;                 /* > 0: reports are queued (srt_study_flush) */
    int read_only;                         /* 1: open the journal read-only, never create or
                                              append (read-only mounts, other users) */
} srt_study_options_t;

/* Defaults: tpe, median pruner, 3 retries, grace 600 s, lock defaults. */
srt_study_options_t srt_study_options_default(void);

/* Opens the journal and finds the study by name or creates it (two processes
 * creating at once end with one study: the first CREATE_STUDY line wins).
 * With read_only, the journal must exist and hold the study (SRT_ERR_NOTFOUND
 * otherwise), nothing is written, and every writing call fails.
 * space is borrowed and must outlive the study. SRT_ERR_MISMATCH when the
 * existing study has another direction; SRT_ERR_CONFIG for an unknown sampler. */
srt_rc srt_study_open(const srt_study_options_t *opt, const srt_space_t *space, srt_study_t **out,
                      srt_err_t *err);
/* Frees; NULL is fine; clears *s. */
void srt_study_destroy(srt_study_t **s);

/* Result of ask: the trial to run. */
typedef struct srt_ask {
    long number;      /* trial number */
    long trial_id;    /* global trial id */
    double *x;        /* internal values in space order (owned by the ask) */
    size_t n;         /* space->n_params */
    char *run_dir;    /* system attr srtune:run_dir (owned) */
    int from_waiting; /* 1 when a WAITING trial (enqueued or retry) was popped */
    long retry_of;    /* failed_trial of a retry, -1 otherwise */
} srt_ask_t;

void srt_ask_fini(srt_ask_t *a);

/* Pops the oldest WAITING trial (first writer wins; a lost race moves on) or
 * samples a new trial, and records it RUNNING with its params, run dir and a
 * first heartbeat. Fills *out (free with srt_ask_fini). */
srt_rc srt_study_ask(srt_study_t *s, srt_ask_t *out, srt_err_t *err);
/* Appends an intermediate value at step. With report_delay_s > 0 the line is
 * only queued: it goes out with this study's next append (ask, tell,
 * heartbeat, ...) or srt_study_flush, so a burst of reports costs no lock. */
srt_rc srt_study_report(srt_study_t *s, long number, long step, double value, srt_err_t *err);
/* Writes the queued reports when force is set or the oldest has waited
 * report_delay_s; SRT_OK with nothing to do otherwise. */
srt_rc srt_study_flush(srt_study_t *s, int force, srt_err_t *err);
/* Number of queued reports. */
size_t srt_study_n_queued(const srt_study_t *s);
/* Holds the journal (srt_journal_hold) for a burst of study calls with no
 * wait in between: one lock and one fsync for all of them. */
void srt_study_hold(srt_study_t *s);
srt_rc srt_study_release(srt_study_t *s, srt_err_t *err);
/* True when the pruner says the trial should stop (on the replayed state and
 * this handle's queued reports). */
int srt_study_should_prune(srt_study_t *s, long number);

/* Whether a FAIL is followed by a WAITING copy (RetryFailedTrialCallback). */
enum {
    SRT_RETRY_NONE = 0,     /* no copy (a run error: it would fail again) */
    SRT_RETRY_COUNTED = 1,  /* a copy, counted against max_retries */
    SRT_RETRY_UNCOUNTED = 2 /* a copy that does not count: the trial was stopped cleanly */
};

/* Finishes a trial: user attrs first, then the state. COMPLETE needs a value;
 * PRUNED uses the last intermediate value; FAIL has none. retry (SRT_RETRY_*)
 * says whether a FAIL is followed by a WAITING copy; counted copies stop after
 * max_retries (system attribute srtune:retries). */
srt_rc srt_study_tell(srt_study_t *s, long number, srt_trial_state_t state, const double *value,
                      const srt_attr_t *user_attrs, size_t n_user_attrs, int retry, srt_err_t *err);
/* Re-reads lines other writers appended. */
srt_rc srt_study_refresh(srt_study_t *s, srt_err_t *err);
/* Records now as the heartbeat (system attr srtune:heartbeat) of the given
 * RUNNING trials, in one append. */
srt_rc srt_study_heartbeat(srt_study_t *s, const long *numbers, size_t n, srt_err_t *err);
/* Marks FAIL every RUNNING trial whose heartbeat is older than the grace and
 * enqueues its WAITING retry copy (within max_retries), under the lock so two
 * coordinators never fail a trial twice; *n_failed receives the count (may be
 * NULL). RUNNING trials without an srtune:heartbeat (Optuna's own) are never
 * considered lost. */
srt_rc srt_study_fail_lost_trials(srt_study_t *s, size_t *n_failed, srt_err_t *err);

/* A baseline trial to enqueue (Optuna's enqueue_trial form). */
typedef struct srt_study_baseline {
    const char *name;         /* its name, stored as the user attr srtune:baseline */
    const char *fixed_params; /* JSON object: param name -> external value */
} srt_study_baseline_t;

/* Enqueues every baseline that the study does not have yet (no trial, in any
 * state, carries its name in srtune:baseline): one WAITING trial each, with
 * system attr fixed_params and user attr srtune:baseline, in the given order,
 * under the journal lock, so several coordinators starting at once enqueue
 * each baseline once. WAITING trials are popped oldest first, so baselines
 * run before any sampled trial. *n_enqueued (may be NULL) gets the count. */
srt_rc srt_study_enqueue_baselines(srt_study_t *s, const srt_study_baseline_t *b, size_t n,
                                   size_t *n_enqueued, srt_err_t *err);
/* The baseline name of a trial (its srtune:baseline user attr, decoded into
 * buf), or NULL when it is not a baseline. */
const char *srt_study_trial_baseline(const srt_trial_t *t, char *buf, size_t size);

/* The best COMPLETE trial, or NULL. */
const srt_trial_t *srt_study_best_trial(const srt_study_t *s);
/* The study's trials in number order. */
const srt_trial_t *const *srt_study_trials(const srt_study_t *s, size_t *n);
const srt_trial_t *srt_study_trial(const srt_study_t *s, long number);
/* Study id, journal, space. */
int srt_study_id(const srt_study_t *s);
srt_journal_t *srt_study_journal(srt_study_t *s);
const srt_space_t *srt_study_space(const srt_study_t *s);
/* Decodes a trial's params into internal values in space order (NaN when a
 * param is missing or incompatible). */
void srt_study_trial_x(const srt_study_t *s, const srt_trial_t *t, double *x);
/* Sets a study user attribute (JSON text). */
srt_rc srt_study_set_user_attr(srt_study_t *s, const char *key, const char *json, srt_err_t *err);

/* 1 when a srtune:run_dir attribute (JSON text) is a relative path that stays
 * inside the output directory (no empty, "." or ".." component, only
 * [A-Za-z0-9._-] and '/'); journals written by other tools are not trusted. */
int srt_study_run_dir_safe(const char *json);

/* Writes the trials table as CSV to path, atomically: number, state, value,
 * datetime_start, datetime_complete, one column per param (external value:
 * the float, the int, the choice) and one per simplex weight ("<group>.<key>");
 * empty cells for missing values. */
srt_rc srt_study_write_trials_csv(const srt_study_t *s, const char *path, srt_err_t *err);

#ifdef __cplusplus
}
#endif
#endif
