/*
 * srtune core: error codes and error context, logging, durable files, stable
 * hashing, seed derivation and GSL RNG helpers.
 *
 * Every other module builds on this header; it depends on nothing but libc and
 * GSL. Invariants: error codes and their strings come from one X-macro list;
 * hashes and derived seeds are identical on every platform, compiler and run
 * (they are part of the on-disk contract: changing them changes every result).
 */
#ifndef SRTUNE_CORE_H
#define SRTUNE_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <gsl/gsl_rng.h>

#ifdef __cplusplus
extern "C" {
#endif

#define SRTUNE_VERSION "0.1.0"

/* ---------------------------------------------------------------- errors */

/* One list: the enum and srt_rc_str() are generated from it. */
#define SRT_RC_LIST(X)                                                                             \
    X(SRT_OK, "ok")                                                                                \
    X(SRT_ERR_NOMEM, "out of memory")                                                              \
    X(SRT_ERR_IO, "I/O error")                                                                     \
    X(SRT_ERR_CONFIG, "invalid configuration")                                                     \
    X(SRT_ERR_DATA, "invalid data")                                                                \
    X(SRT_ERR_PARSE, "parse error")                                                                \
    X(SRT_ERR_INVALID, "invalid argument")                                                         \
    X(SRT_ERR_NOTFOUND, "not found")                                                               \
    X(SRT_ERR_EXISTS, "already exists")                                                            \
    X(SRT_ERR_MISMATCH, "does not match the existing study")                                       \
    X(SRT_ERR_NUMERIC, "numerical error")                                                          \
    X(SRT_ERR_LOCKED, "lock not acquired")                                                         \
    X(SRT_ERR_MPI, "MPI error")                                                                    \
    X(SRT_ERR_PROTOCOL, "protocol error")                                                          \
    X(SRT_ERR_INTERRUPTED, "interrupted")                                                          \
    X(SRT_ERR_INTERNAL, "internal error")

typedef enum {
#define SRT_RC_ENUM_(name, text) name,
    SRT_RC_LIST(SRT_RC_ENUM_)
#undef SRT_RC_ENUM_
        SRT_RC_COUNT_
} srt_rc;

/* Static description of a code; never NULL ("unknown error" for bad codes). */
const char *srt_rc_str(srt_rc rc);

/* Error context filled by fallible functions. The place is what a user needs to
 * find the problem: a file plus a config key, or a file plus a line (and column). */
typedef struct srt_err {
    srt_rc code;     /* SRT_OK when no error was recorded */
    char file[512];  /* file the error is about, "" if none */
    char key[256];   /* dotted config key ("model.maxsize"), "" if none */
    long line;       /* 1-based line in file, 0 if none */
    long column;     /* 1-based column or field, 0 if none */
    char msg[1024];  /* human-readable message, no trailing newline */
    int sys_errno;   /* errno when an SRT_ERR_IO was recorded, 0 otherwise */
} srt_err_t;

/* Resets err to "no error". err may be NULL. */
void srt_err_clear(srt_err_t *err);

/* Records an error and returns code (so callers can `return srt_err_set(...)`).
 * file/key may be NULL. Does nothing but return code when err is NULL. */
srt_rc srt_err_set(srt_err_t *err, srt_rc code, const char *file, const char *key, long line,
                   const char *fmt, ...) __attribute__((format(printf, 6, 7)));
srt_rc srt_err_setv(srt_err_t *err, srt_rc code, const char *file, const char *key, long line,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* Formats the error as the user sees it: "file: key: msg", "file:line: msg",
 * "file:line:column: msg", "file: msg" or "msg". Returns buf. */
const char *srt_err_format(const srt_err_t *err, char *buf, size_t size);

/* --------------------------------------------------------------- logging */

typedef enum {
    SRT_LOG_DEBUG = 0,
    SRT_LOG_INFO = 1,
    SRT_LOG_WARN = 2,
    SRT_LOG_ERROR = 3,
    SRT_LOG_OFF = 4
} srt_log_level_t;

/* Sets the level; the initial level comes from SRTUNE_LOG_LEVEL or SRTUNE_LOG
 * (debug|info|warn|error|off), default info. */
void srt_log_set_level(srt_log_level_t level);
srt_log_level_t srt_log_get_level(void);
/* Parses a level name; returns SRT_ERR_INVALID for an unknown name. */
srt_rc srt_log_parse_level(const char *name, srt_log_level_t *out);
/* Rank shown in log lines (-1 hides it); set by cluster/ after MPI_Init. */
void srt_log_set_rank(int rank);
/* A function called before each log line is written (e.g. to clear a
 * progress bar from the terminal line); NULL removes it. */
void srt_log_set_before_write(void (*fn)(void));
/* Text written in front of every log line, in the same write (e.g. "\r\033[K"
 * to clear a progress line that reaches the terminal through a pipe). */
void srt_log_set_line_prefix(const char *prefix);
/* Counts warnings emitted so far (tests check that a warning was given). */
unsigned long srt_log_warning_count(void);

void srt_log_write(srt_log_level_t level, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One macro: "ISO-time rank=N LEVEL file:line message" on stderr. */
#define SRT_LOG(level, ...) srt_log_write((level), __FILE__, __LINE__, __VA_ARGS__)
#define SRT_DEBUG(...) SRT_LOG(SRT_LOG_DEBUG, __VA_ARGS__)
#define SRT_INFO(...) SRT_LOG(SRT_LOG_INFO, __VA_ARGS__)
#define SRT_WARN(...) SRT_LOG(SRT_LOG_WARN, __VA_ARGS__)
#define SRT_ERROR(...) SRT_LOG(SRT_LOG_ERROR, __VA_ARGS__)

/* ----------------------------------------------------------------- files */

/* Writes len bytes durably: `<path>.tmp.<pid>` + fsync + rename + fsync of the
 * directory. On failure the old file (if any) is untouched and the temp file is
 * removed. */
srt_rc srt_fs_write_atomic(const char *path, const void *data, size_t len, srt_err_t *err);

/* Reads a whole file into a NUL-terminated heap buffer (caller frees *out). */
srt_rc srt_fs_read_file(const char *path, char **out, size_t *len, srt_err_t *err);

/* mkdir -p with mode 0777 & ~umask; existing directories are fine, an existing
 * non-directory is SRT_ERR_EXISTS. */
srt_rc srt_fs_mkdir_p(const char *path, srt_err_t *err);

/* rm -rf: removes path and everything below it without following symlinks.
 * A missing path is not an error. */
srt_rc srt_fs_remove_tree(const char *path, srt_err_t *err);

/* fsyncs a directory so that a rename or create in it is durable. */
srt_rc srt_fs_fsync_dir(const char *dir, srt_err_t *err);

int srt_fs_is_dir(const char *path);
int srt_fs_is_file(const char *path);

/* Joins a and b with one '/' into a heap string (caller frees); b absolute: copy of b. */
char *srt_path_join(const char *a, const char *b);
/* Directory part of path as a heap string ("." when none). */
char *srt_path_dirname(const char *path);

/* 1 when err is an I/O error of the environment rather than of the work: the
 * disk, the quota or a file-size limit is full (ENOSPC, EDQUOT, EFBIG), the
 * device failed (EIO), the file system is read-only (EROFS) or access was
 * refused (EACCES, EPERM). Such an error stops the study for a relaunch
 * instead of failing a trial. */
int srt_err_is_environment(const srt_err_t *err);

/* Fault-injection point (reliability.md), called before every write, fsync,
 * rename and mkdir of srtune's own files with op "write", "fsync", "rename"
 * or "mkdir". In builds with SRTUNE_FAULT_HOOKS (the default when the tests
 * are built), SRTUNE_FAULT_AT=N makes the N-th call of this process and every
 * later one return 1 with errno set to ENOSPC (SRTUNE_FAULT_ERRNO=EIO, EROFS,
 * EDQUOT or EACCES for another), as a disk that fills up; SRTUNE_FAULT_ONCE=1
 * fails the N-th call only; SRTUNE_FAULT_RANK=R restricts it to MPI rank R;
 * SRTUNE_FAULT_TRACE=FILE appends "<pid> <rank> <n> <op> <path>" per call.
 * Returns 0 (do the call) otherwise, and always in other builds. */
int srt_fs_fault_hit(const char *op, const char *path);
/* The same from code (unit tests): the at-th call from now on fails (and every
 * later one unless once), with sys_errno (0: ENOSPC); at 0 disarms. */
void srt_fs_fault_arm(long at, int once, int sys_errno);
/* 1 in builds that honour the fault hooks. */
int srt_fs_fault_hooks_enabled(void);

/* Fault injection for tests: after `bytes` more bytes have been written by
 * srt_fs_write_atomic, writes fail with ENOSPC. (size_t)-1 disables. */
void srt_fs_inject_enospc_after(size_t bytes);

/* --------------------------------------------------------------- hashing */

/* Stable 64-bit hash of a byte string (xxHash64-style, written here). */
uint64_t srt_hash64(const void *data, size_t len, uint64_t seed);

/* Incremental hasher over typed fields: each field is framed with its type and
 * length, so ("ab","c") and ("a","bc") hash differently. */
typedef struct srt_hasher {
    uint64_t state; /* running hash */
} srt_hasher_t;

void srt_hasher_init(srt_hasher_t *h, uint64_t seed);
void srt_hasher_u64(srt_hasher_t *h, uint64_t v);
void srt_hasher_i64(srt_hasher_t *h, int64_t v);
void srt_hasher_str(srt_hasher_t *h, const char *s); /* NULL hashes as "no string" */
uint64_t srt_hasher_final(const srt_hasher_t *h);

/* Seed for a purpose ("data", "search", "sampler", ...) of a study, a dataset
 * (may be NULL), an equation index and a run index (architecture.md, "Seeds"). */
uint64_t srt_seed_derive(uint64_t study_seed, const char *purpose, const char *dataset, long eq,
                         long run);

/* SplitMix64 step: advances *state and returns the next value. */
uint64_t srt_splitmix64(uint64_t *state);

/* ------------------------------------------------------------------- RNG */

/* A GSL generator (mt19937) seeded from a 64-bit seed; NULL on allocation
 * failure. Free with gsl_rng_free. */
gsl_rng *srt_rng_create(uint64_t seed);
/* Reseeds r from a 64-bit seed exactly as srt_rng_create does. */
void srt_rng_reseed(gsl_rng *r, uint64_t seed);

/* ----------------------------------------------------------------- misc */

/* Levenshtein distance, for "did you mean" hints. */
size_t srt_edit_distance(const char *a, const char *b);

/* strdup that returns NULL on NULL input. */
char *srt_strdup(const char *s);

/* Monotonic seconds and wall-clock seconds. */
double srt_time_monotonic(void);
double srt_time_wall(void);

#ifdef __cplusplus
}
#endif
#endif
