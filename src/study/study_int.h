/*
 * Private declarations of the study layer: the replayed journal database, the
 * line decoder shared by the replay, and small helpers (growable arrays, the
 * Gaussian tails used by the samplers).
 */
#ifndef SRTUNE_STUDY_INT_H
#define SRTUNE_STUDY_INT_H

#include <stdio.h>

#include <cjson/cJSON.h>

#include "srtune/study.h"

/* ------------------------------------------------ line scanner (replay) */

enum {
    SRT_JSON_NULL = 0,
    SRT_JSON_FALSE = 1,
    SRT_JSON_TRUE = 2,
    SRT_JSON_NUMBER = 3,
    SRT_JSON_STRING = 4,
    SRT_JSON_ARRAY = 5,
    SRT_JSON_OBJECT = 6
};

/* One JSON value of a scanned line. */
typedef struct srt_jnode {
    int type;   /* SRT_JSON_* */
    long key;   /* object member: offset of its decoded key in strs */
    long str;   /* string: offset of the decoded text in strs, -1 until decoded */
    int esc;    /* string: its source holds escapes */
    double num; /* number (NaN / Infinity accepted) */
    int child;  /* first member / element, -1 if none */
    int next;   /* next sibling, -1 if none */
    size_t beg; /* source span start */
    size_t end; /* source span end (exclusive) */
} srt_jnode_t;

/* A scanned line: nodes (0 is the root object) and decoded strings. */
typedef struct srt_jdoc {
    srt_jnode_t *nodes; /* node array */
    size_t n;           /* nodes used */
    size_t cap;         /* nodes allocated */
    char *strs;         /* decoded strings, NUL-terminated */
    size_t slen;        /* bytes used */
    size_t scap;        /* bytes allocated */
    const char *text;   /* the line (borrowed during a parse) */
} srt_jdoc_t;

/* Parses one line (an object); 0 on success. Storage is reused across lines. */
int srt__jdoc_parse(srt_jdoc_t *d, const char *text, size_t len);
void srt__jdoc_fini(srt_jdoc_t *d);
/* Member of object obj named key, or -1. */
int srt__jdoc_get(const srt_jdoc_t *d, int obj, const char *key);
const char *srt__jdoc_str(srt_jdoc_t *d, int idx); /* decoded; NULL unless a string */
/* Source text of a string between its quotes (escapes kept), NULL unless a string. */
const char *srt__jdoc_raw(const srt_jdoc_t *d, int idx, size_t *len);
const char *srt__jdoc_key(const srt_jdoc_t *d, int idx);      /* key of an object member */
int srt__jdoc_num(const srt_jdoc_t *d, int idx, double *out); /* -1 unless a number */
int srt__jdoc_type(const srt_jdoc_t *d, int idx);             /* -1 for idx < 0 */
/* The value's source text without whitespace outside strings (heap). */
char *srt__jdoc_text(const srt_jdoc_t *d, int idx);

/* Interned strings: one copy of each param name, distribution, worker id. */
typedef struct srt_intern {
    char **slots; /* open-addressing table of owned strings */
    size_t cap;   /* slots (power of two) */
    size_t n;     /* strings held */
} srt_intern_t;

/* The interned copy of s (owned by the table), NULL on allocation failure. */
const char *srt__intern(srt_intern_t *t, const char *s);
void srt__intern_fini(srt_intern_t *t);

/* A param name and its first distribution in a study (Optuna's compatibility check). */
typedef struct known_param {
    const char *name;         /* param name (interned) */
    const char *distribution; /* first distribution string seen (interned) */
    srt_param_t parsed;       /* parsed form, valid when parsed_ok */
    int parsed_ok;            /* 1 when parsed holds a valid distribution */
    char *raw;                /* journal source text of that distribution string (owned) */
    size_t raw_len;           /* its length */
} known_param_t;

/* A study as replayed. */
typedef struct study_rec {
    char *name;               /* study name */
    int *directions;          /* 1 minimise, 2 maximise */
    size_t n_directions;      /* number of directions */
    int deleted;              /* 1 after DELETE_STUDY */
    srt_attr_t *user_attrs;   /* study user attrs */
    size_t n_user_attrs;      /* count */
    srt_attr_t *system_attrs; /* study system attrs */
    size_t n_system_attrs;    /* count */
    srt_trial_t **trials;     /* trials in number order (borrowed from the journal) */
    size_t n_trials;          /* count */
    size_t cap_trials;        /* allocated */
    known_param_t *known;     /* params seen in the study */
    size_t n_known;           /* count */
} study_rec_t;

/* The journal: file handles, read offset and the replayed database. */
struct srt_journal {
    char *path;              /* journal file */
    char worker_id[160];     /* this writer's worker_id */
    int fd_read;             /* O_RDONLY descriptor */
    int fd_append;           /* O_WRONLY|O_APPEND descriptor */
    long long offset;        /* bytes consumed (up to the last complete line) */
    long lines_read;         /* complete lines read */
    long lines_skipped;      /* unreadable lines skipped */
    srt_lock_options_t lock; /* lock options */
    int locked;              /* 1 while this handle holds the lock */
    int holding;             /* 1 between srt_journal_hold and srt_journal_release */
    int unsynced;            /* 1 when appends of the hold are not fsynced yet */
    long long hold_size;     /* file size before the hold's first unsynced append */
    int readonly;            /* opened with srt_journal_open_readonly: no appends */
    int broken;              /* a failed fsync was rolled back after its lines were read */
    study_rec_t *studies;    /* by study id */
    size_t n_studies;        /* study ids given */
    srt_trial_t **trials;    /* by global trial id */
    size_t n_trials;         /* count */
    size_t cap_trials;       /* allocated */
    srt_intern_t names;      /* interned names, distributions and worker ids */
    srt_jdoc_t doc;          /* scanner storage reused for every line */
};

/* Applies one scanned line to the database (Optuna's replay rules). lineno is
 * for warnings. Returns 0 when applied or ignored by rule, -1 when malformed. */
int srt__journal_apply(srt_journal_t *j, srt_jdoc_t *d, long lineno);
/* Frees every study and trial. */
void srt__journal_free_db(srt_journal_t *j);

/* Grows *p (element size elem) so it holds at least need elements. */
int srt__grow(void **p, size_t *cap, size_t need, size_t elem);

/* Sets key to json in an attr array (replacing an existing key). */
int srt__attr_set(srt_attr_t **attrs, size_t *n, const char *key, const char *json);
const char *srt__attr_get(const srt_attr_t *attrs, size_t n, const char *key);
void srt__attrs_free(srt_attr_t *attrs, size_t n);

/* Frees a trial record. */
void srt__trial_free(srt_trial_t *t);

/* Number item printed the Python way (raw JSON). */
cJSON *srt__json_num(double v);
/* Compact JSON text of an item (heap) with Python-style numbers. */
char *srt__json_print(const cJSON *item);

/* Transformed bounds of a param for samplers: ln for log, widened by step/2 for
 * stepped/int. */
void srt__param_bounds(const srt_param_t *p, double *lo, double *hi);
/* Maps a transformed value back to an internal value on the grid, clipped. */
double srt__param_untransform(const srt_param_t *p, double y);
/* Transformed value of an internal value. */
double srt__param_transform(const srt_param_t *p, double x);
/* Rounds and clips an internal value onto the param's grid. */
double srt__param_snap(const srt_param_t *p, double x);


/* An intermediate value queued by srt_study_report (study_defer.c). */
typedef struct {
    long number; /* trial number */
    long step;   /* step */
    double value;
} pending_value_t;

/* A study handle (study.c, study_defer.c). */
struct srt_study {
    srt_journal_t *j;                  /* the journal (owned) */
    int id;                            /* study id */
    const srt_space_t *space;          /* search space (borrowed) */
    const srt_sampler_type_t *sampler; /* sampler type */
    srt_sampler_options_t sopt;        /* sampler options */
    srt_pruner_t pruner;               /* pruner */
    uint64_t seed;                     /* study seed */
    int minimize;                      /* direction */
    long max_retries;                  /* < 0: unlimited */
    double grace;                      /* heartbeat grace in seconds */
    char *run_dir_root;                /* run directories root */
    const char **name_in;              /* [n_params] param names interned by the journal */
    const char **dist_in;              /* [n_params] distributions interned likewise */
    /* deferred intermediate values (study_defer.c) */
    double report_delay;               /* > 0: queue reports for up to this long */
    srt_journal_batch_t pending;       /* their lines, written with the next append */
    pending_value_t *pending_vals;     /* the same values, for the pruner */
    size_t n_pending, cap_pending;     /* count, allocated */
    double pending_since;              /* monotonic time of the oldest queued value */
};


/* Attribute names the study writes. */
#define ATTR_RUN_DIR "srtune:run_dir"
#define ATTR_HEARTBEAT "srtune:heartbeat"

/* JSON text of a number (heap string; the caller frees). */
char *srt__json_num_text(double v);

/* Study side of deferred reports (study_defer.c). */
/* Lock, refresh, append the queued lines and b (either may be empty), unlock,
 * refresh; the queue is emptied once written. */
srt_rc srt__study_commit(srt_study_t *s, const srt_journal_batch_t *b, srt_err_t *err);
/* Appends the queued lines to b (for an append the caller makes under the
 * lock); call srt__study_pending_written once that append succeeded. */
srt_rc srt__study_copy_pending(srt_study_t *s, srt_journal_batch_t *b);
void srt__study_pending_written(srt_study_t *s);
/* t with its queued intermediate values merged in: *view is a shallow copy
 * whose intermediate array is *buf (free it); t itself when none is queued. */
const srt_trial_t *srt__study_trial_view(const srt_study_t *s, const srt_trial_t *t,
                                         srt_trial_t *view, srt_step_value_t **buf);
void srt__study_pending_free(srt_study_t *s);
/* Queues an intermediate value of trial t (report with report_delay > 0). */
srt_rc srt__study_queue_report(srt_study_t *s, const srt_trial_t *t, long step, double value,
                               srt_err_t *err);

#endif
