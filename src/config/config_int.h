/*
 * Private parts of the config module: the load context that collects errors in
 * file order, the option table of the study and dataset sections, and the
 * helpers the section readers share.
 *
 * Invariant: every user-facing message is produced here or in the section
 * readers as "KEY: message" with KEY the dotted path of the offending value;
 * the file name is added by the collector, never by the callers.
 */
#ifndef SRTUNE_CONFIG_INT_H
#define SRTUNE_CONFIG_INT_H

#include <cjson/cJSON.h>
#include <stdarg.h>

#include "srtune/config.h"

/* ------------------------------------------------------- load context */

typedef struct cfg_pending_err {
    long pos;      /* document position (2 * preorder index, +1 = after the node) */
    long seq;      /* insertion order, to keep sorting stable */
    srt_err_t err; /* the error itself */
} cfg_pending_err_t;

typedef struct cfg_ctx {
    const char *file;         /* config path as the user passed it */
    const cJSON *root;        /* parsed document */
    srt_config_t *cfg;        /* config being filled */
    cfg_pending_err_t *errs;  /* collected errors, unsorted */
    size_t n_errs;            /* entries used in errs */
    size_t cap_errs;          /* entries allocated */
    int nomem;                /* an allocation failed */
    const cJSON *study;       /* the "study" section, or NULL */
    const cJSON *dataset;     /* the "dataset" section, or NULL */
    const cJSON *model;       /* the "model" section, or NULL */
    const cJSON *space;       /* the "search_space" section, or NULL */
    unsigned char *model_set; /* per SR option: 1 when the model section sets it */
} cfg_ctx_t;

/* Records "KEY: message" at the position of node `at` (after it when `after`). */
void cfg_error(cfg_ctx_t *ctx, const cJSON *at, int after, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Number of errors recorded so far. */
size_t cfg_error_count(const cfg_ctx_t *ctx);
/* Sorts the errors into file order and hands them to errs / err. */
void cfg_errors_flush(cfg_ctx_t *ctx, srt_config_errors_t *errs, srt_err_t *err);
void cfg_ctx_fini(cfg_ctx_t *ctx);
/* Appends one error to a public error list (0 when out of memory). */
int cfg_errors_push(srt_config_errors_t *errs, const srt_err_t *e);

/* ------------------------------------------------------ value helpers */

/* "a string \"abc\"", "3.5", "true", "null", "an array", "an object". */
void cfg_describe_json(const cJSON *v, char *buf, size_t size);
/* Shortest round-trip text of a double ("3.5", "1e-05", "256"). */
void cfg_fmt_num(double v, char *buf, size_t size);
/* The best close match of name among candidates (NULL when none is close). */
const char *cfg_closest(const char *name, const char *const *cands, size_t n);
/* " (did you mean 'X'?)" or "" into buf. */
void cfg_hint(const char *name, const char *const *cands, size_t n, char *buf, size_t size);
/* 1 (after recording "duplicate key") when an earlier sibling of child has
 * the same name: cJSON keeps both, and a silent first-wins would hide a typo. */
int cfg_dup_check(cfg_ctx_t *ctx, const cJSON *child, const char *key);
/* "prefix.name" into buf (just name when prefix is empty). */
void cfg_key(char *buf, size_t size, const char *prefix, const char *name);
/* The first control character (< 0x20 or 0x7f) of s, or -1 when none. */
int cfg_control_char(const char *s);
/* Exact integer test for doubles (finite, integral, |v| <= 2^53). */
int cfg_is_integer(double v);

/* Checks a value for a scalar SR option. v is the JSON value (or a cJSON made
 * from a command-line string). On success stores the number in *out and
 * returns 1; else writes "must be ..., got ..." into msg and returns 0. */
int cfg_check_sr_value(const srt_sr_option_info_t *info, const cJSON *v, double *out, char *msg,
                       size_t size);
/* "an integer in [7, 256]", "a number in [0, 1]", "true or false", ... */
void cfg_describe_sr_option(const srt_sr_option_info_t *info, char *buf, size_t size);

/* Checks an operator name for a list that needs `arity` (1, 2, or 0 = any).
 * On success stores the op and returns 1; else writes a message, returns 0. */
int cfg_check_op(const char *name, int arity, srt_op_t *out, char *msg, size_t size);

/* Normalises an absolute path lexically ("/a/./b/../c" -> "/a/c"); heap. */
char *cfg_path_normalize(const char *path);
/* base/rel (rel absolute: rel), normalised; heap, NULL when out of memory. */
char *cfg_path_resolve(const char *base, const char *rel);

/* -------------------------------------------------- section readers */

/* The study and dataset sections through the option table (table.c). */
void cfg_read_table_sections(cfg_ctx_t *ctx);
/* dataset.equations checked against the catalogue (dataset.c); node and
 * cat_node are the given values or NULL; called by table.c. */
void cfg_read_equations(cfg_ctx_t *ctx, const cJSON *node, const cJSON *section,
                        const cJSON *cat_node);
/* The first-column ids of a catalogue CSV (dataset.c); heap array of heap
 * strings, *n entries. SRT_ERR_IO when unreadable. */
srt_rc cfg_catalogue_ids(const char *path, char ***ids, long *n, srt_err_t *err);
void cfg_free_ids(char **ids, long n);
/* Frees a string list's entries (files.c). */
void cfg_strlist_fini(srt_config_strlist_t *l);
/* Appends a copy of s (0 when out of memory). */
int cfg_strlist_push(srt_config_strlist_t *l, const char *s);
/* dataset.paths of a "files" data set: expands the patterns into files and
 * instance ids (files.c); node is the dataset.paths value. */
void cfg_expand_files(cfg_ctx_t *ctx, const cJSON *node);
/* The model section (model.c). */
void cfg_read_model(cfg_ctx_t *ctx);
/* tournament_selection_n < population_size, fixed or tuned (model.c). */
void cfg_check_model_constraints(cfg_ctx_t *ctx);
/* The search_space section (space.c); needs the model read first. */
void cfg_read_space(cfg_ctx_t *ctx);
/* study.baselines (baselines.c): after the model and the search space. */
void cfg_read_baselines(cfg_ctx_t *ctx);
void cfg_baselines_fini(srt_config_study_t *study);
/* The baselines as a JSON array of their canonical specs (NULL: out of memory). */
cJSON *cfg_baselines_to_json(const srt_config_study_t *study);
/* Frees the search space's contents. */
void cfg_space_fini(srt_config_space_t *space);

/* ---------------------------------------------------- effective config */

/* The effective config as a cJSON tree (no hash fields); NULL when out of memory. */
cJSON *cfg_effective_tree(const srt_config_t *cfg);
/* The study-defining subtree of an effective tree (a new tree, caller deletes). */
cJSON *cfg_study_tree(const cJSON *effective);
/* Computes cfg->config_hash and cfg->study_hash; SRT_ERR_NOMEM on failure. */
srt_rc cfg_compute_hashes(srt_config_t *cfg, srt_err_t *err);
/* The table-driven part of the effective tree (study and dataset sections). */
int cfg_table_to_json(const srt_config_t *cfg, cJSON *root);

#endif
