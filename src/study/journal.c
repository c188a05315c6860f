/*
 * Journal file: opening, incremental reading and appending, and read access to
 * the replayed studies and trials.
 *
 * Reading takes no lock: each refresh reads from the last offset up to the
 * file size seen now and applies only complete lines (ending in '\n'); the
 * offset stays at the start of an unterminated last line, which a later refresh
 * reads once its writer finished. A complete line that does not parse (another
 * tool's damage) is skipped with a warning.
 * Appending holds the lock, writes the whole batch in one write(2) and fsyncs;
 * a failure truncates back to the size before (all or nothing), and a torn
 * tail found under the lock (its writer died) is moved to a .torn-<time> file
 * before anything is appended, so every line in the file parses.
 * A hold (srt_journal_hold .. srt_journal_release) keeps the lock from its
 * first use to the release and fsyncs once there: a burst of appends costs one
 * lock and one fsync. A hold must not span a wait (the lock blocks every other
 * writer, and one unchanged for the grace is broken as stale).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "study_int.h"

/* Reads at least this large are mapped rather than copied. */
#define MAP_MIN (1u << 20)

static void make_worker_id(char *buf, size_t size)
{
    char host[128] = "host";
    uint64_t rnd = 0;
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
        if (read(fd, &rnd, sizeof rnd) != (ssize_t)sizeof rnd)
            rnd = 0;
        close(fd);
    }
    if (rnd == 0) {
        uint64_t s = (uint64_t)getpid() ^ (uint64_t)(srt_time_wall() * 1e6);
        rnd = srt_splitmix64(&s);
    }
    if (gethostname(host, sizeof host - 1) != 0)
        snprintf(host, sizeof host, "host");
    host[sizeof host - 1] = '\0';
    snprintf(buf, size, "srtune-%s-%ld-%08llx", host, (long)getpid(),
             (unsigned long long)(rnd & 0xffffffffULL));
}

static srt_rc open_journal(const char *path, const char *worker_id, int readonly,
                           srt_journal_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    *out = NULL;
    srt_journal_t *j = calloc(1, sizeof *j);
    if (!j)
        return srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    j->fd_read = j->fd_append = -1;
    j->readonly = readonly;
    j->lock = srt_lock_options_default();
    j->path = srt_strdup(path);
    if (!j->path) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (worker_id)
        snprintf(j->worker_id, sizeof j->worker_id, "%s", worker_id);
    else
        make_worker_id(j->worker_id, sizeof j->worker_id);
    if (!readonly) {
        j->fd_append = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (j->fd_append < 0) {
            rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot open journal: %s",
                             strerror(errno));
            goto cleanup;
        }
    }
    j->fd_read = open(path, O_RDONLY | O_CLOEXEC);
    if (j->fd_read < 0) {
        rc = srt_err_set(err, errno == ENOENT ? SRT_ERR_NOTFOUND : SRT_ERR_IO, path, NULL, 0,
                         "cannot open journal: %s", strerror(errno));
        goto cleanup;
    }
    rc = srt_journal_refresh(j, err);
cleanup:
    if (rc != SRT_OK)
        srt_journal_destroy(&j);
    *out = j;
    return rc;
}

srt_rc srt_journal_open(const char *path, const char *worker_id, srt_journal_t **out,
                        srt_err_t *err)
{
    return open_journal(path, worker_id, 0, out, err);
}

srt_rc srt_journal_open_readonly(const char *path, srt_journal_t **out, srt_err_t *err)
{
    return open_journal(path, NULL, 1, out, err);
}

void srt_journal_destroy(srt_journal_t **jp)
{
    if (!jp || !*jp)
        return;
    srt_journal_t *j = *jp;
    if (j->unsynced && fsync(j->fd_append) != 0)
        SRT_WARN("%s: journal fsync failed at close: %s", j->path, strerror(errno));
    if (j->locked)
        (void)srt_journal_lock_release(j->path, NULL);
    if (j->fd_read >= 0)
        close(j->fd_read);
    if (j->fd_append >= 0)
        close(j->fd_append);
    srt__journal_free_db(j);
    free(j->path);
    free(j);
    *jp = NULL;
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

srt_rc srt_journal_refresh(srt_journal_t *j, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *buf = NULL;
    void *map = NULL;
    size_t map_len = 0;
    struct stat st;
    if (fstat(j->fd_read, &st) != 0)
        return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot stat journal: %s",
                           strerror(errno));
    if ((long long)st.st_size <= j->offset)
        return SRT_OK;
    size_t len = (size_t)((long long)st.st_size - j->offset);
    size_t got = 0;
    if (len >= MAP_MIN) {
        /* large reads (a first replay) map the file instead of copying it */
        long page = sysconf(_SC_PAGESIZE);
        long long base = j->offset - j->offset % (page > 0 ? page : 4096);
        map_len = (size_t)(j->offset - base) + len;
        map = mmap(NULL, map_len, PROT_READ, MAP_PRIVATE, j->fd_read, (off_t)base);
        if (map == MAP_FAILED) {
            map = NULL;
        } else {
            buf = (char *)map + (j->offset - base);
            got = len;
        }
    }
    if (!map) {
        buf = malloc(len + 1);
        if (!buf)
            return srt_err_set(err, SRT_ERR_NOMEM, j->path, NULL, 0, "out of memory");
    }
    while (got < len) {
        ssize_t n = pread(j->fd_read, buf + got, len - got, (off_t)(j->offset + (long long)got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            rc = srt_err_set(err, SRT_ERR_IO, j->path, NULL, j->lines_read + 1, "read failed: %s",
                             strerror(errno));
            goto cleanup;
        }
        if (n == 0)
            break;
        got += (size_t)n;
    }
    size_t pos = 0;
    for (;;) {
        char *nl = memchr(buf + pos, '\n', got - pos);
        if (!nl)
            break; /* unterminated last line: being written, read it later */
        size_t n = (size_t)(nl - (buf + pos));
        j->lines_read++;
        if (!blank(buf + pos, n)) {
            if (srt__jdoc_parse(&j->doc, buf + pos, n) != 0) {
                SRT_WARN("%s:%ld: skipping a torn or unreadable journal line (%zu bytes)", j->path,
                         j->lines_read, n);
                j->lines_skipped++;
            } else if (srt__journal_apply(j, &j->doc, j->lines_read) != 0) {
                j->lines_skipped++;
            }
        }
        pos += n + 1;
    }
    j->offset += (long long)pos;
cleanup:
    if (map)
        munmap(map, map_len);
    else
        free(buf);
    return rc;
}

const char *srt_journal_worker_id(const srt_journal_t *j)
{
    return j->worker_id;
}

const char *srt_journal_path(const srt_journal_t *j)
{
    return j->path;
}

void srt_journal_set_lock_options(srt_journal_t *j, const srt_lock_options_t *opt)
{
    j->lock = *opt;
}

long srt_journal_lines_read(const srt_journal_t *j)
{
    return j->lines_read;
}

long srt_journal_lines_skipped(const srt_journal_t *j)
{
    return j->lines_skipped;
}

srt_rc srt_journal_lock(srt_journal_t *j, srt_err_t *err)
{
    if (j->readonly)
        return srt_err_set(err, SRT_ERR_INVALID, j->path, NULL, 0,
                           "journal opened read-only: cannot take the lock");
    if (j->locked && j->holding)
        return SRT_OK; /* taken earlier in this hold */
    srt_rc rc = srt_journal_lock_acquire(j->path, &j->lock, err);
    if (rc == SRT_OK)
        j->locked = 1;
    return rc;
}

srt_rc srt_journal_unlock(srt_journal_t *j, srt_err_t *err)
{
    if (!j->locked || j->holding)
        return SRT_OK; /* a hold keeps the lock until srt_journal_release */
    j->locked = 0;
    return srt_journal_lock_release(j->path, err);
}

/* Truncates the journal back to size after a failed append. */
static srt_rc roll_back(srt_journal_t *j, long long size, srt_err_t *err)
{
    if (ftruncate(j->fd_append, (off_t)size) != 0) {
        char first[1024];
        snprintf(first, sizeof first, "%s", err ? err->msg : "append failed");
        return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0,
                           "%s; and truncating it back to %lld bytes failed: %s (the journal may "
                           "end in a torn line, cut back by the next append)",
                           first, size, strerror(errno));
    }
    if (j->offset > size)
        j->offset = size;
    return err ? err->code : SRT_ERR_IO;
}

/* Cuts a torn tail (bytes after the last '\n', at offset cut) of a journal of
 * size bytes, saving them to <journal>.torn-<time> first. Under the lock. */
static srt_rc cut_torn_tail(srt_journal_t *j, long long cut, long long size, srt_err_t *err)
{
    size_t len = (size_t)(size - cut);
    char *tail = malloc(len ? len : 1);
    char *aside = malloc(strlen(j->path) + 64);
    srt_rc rc = SRT_OK;
    if (!tail || !aside) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, j->path, NULL, 0, "out of memory");
        goto cleanup;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t n = pread(j->fd_read, tail + got, len - got, (off_t)(cut + (long long)got));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            rc =
                srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot read its torn last line: %s",
                            n < 0 ? strerror(errno) : "file shrank");
            goto cleanup;
        }
        got += (size_t)n;
    }
    time_t now = time(NULL);
    struct tm tm;
    char stamp[32] = "0";
    if (gmtime_r(&now, &tm))
        strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &tm);
    sprintf(aside, "%s.torn-%s", j->path, stamp);
    struct stat st;
    for (int k = 1; k < 1000 && lstat(aside, &st) == 0; k++)
        sprintf(aside, "%s.torn-%s.%d", j->path, stamp, k);
    rc = srt_fs_write_atomic(aside, tail, len, err);
    if (rc != SRT_OK)
        goto cleanup; /* the tail stays; nothing is appended after it */
    if (ftruncate(j->fd_append, (off_t)cut) != 0) {
        rc = srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot cut its torn last line: %s",
                         strerror(errno));
        goto cleanup;
    }
    SRT_WARN("%s: the journal ended in a torn line (%zu bytes, its writer died mid-append); "
             "moved it to %s",
             j->path, len, aside);
cleanup:
    free(tail);
    free(aside);
    return rc;
}

/* Offset just after the last '\n' before size (0 when there is none). */
static srt_rc last_newline_end(srt_journal_t *j, long long size, long long *end, srt_err_t *err)
{
    char buf[4096];
    long long pos = size;
    while (pos > 0) {
        long long from = pos > (long long)sizeof buf ? pos - (long long)sizeof buf : 0;
        size_t n = (size_t)(pos - from);
        ssize_t got = pread(j->fd_read, buf, n, (off_t)from);
        if (got < 0 && errno == EINTR)
            continue;
        if (got != (ssize_t)n)
            return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot read the journal: %s",
                               got < 0 ? strerror(errno) : "short read");
        for (size_t i = n; i > 0; i--)
            if (buf[i - 1] == '\n') {
                *end = from + (long long)i;
                return SRT_OK;
            }
        pos = from;
    }
    *end = 0;
    return SRT_OK;
}

srt_rc srt_journal_append_locked(srt_journal_t *j, const srt_journal_batch_t *b, srt_err_t *err)
{
    struct stat st;
    const char *data = b->buf;
    size_t len = b->len;
    if (len == 0)
        return SRT_OK;
    if (j->readonly || j->fd_append < 0)
        return srt_err_set(err, SRT_ERR_INVALID, j->path, NULL, 0,
                           "journal opened read-only: cannot append");
    if (j->broken)
        return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0,
                           "an earlier append of this process failed after it was read back; "
                           "relaunch to continue from the journal on disk");
    if (fstat(j->fd_append, &st) != 0)
        return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot stat journal: %s",
                           strerror(errno));
    long long size = (long long)st.st_size;
    if (size > 0) {
        char last = '\n';
        if (pread(j->fd_read, &last, 1, (off_t)(size - 1)) != 1)
            return srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "cannot read the journal: %s",
                               strerror(errno));
        if (last != '\n') {
            long long cut;
            srt_rc rc = last_newline_end(j, size, &cut, err);
            if (rc == SRT_OK)
                rc = cut_torn_tail(j, cut, size, err);
            if (rc != SRT_OK)
                return rc;
            size = cut;
        }
    }
    if (!(j->holding && j->unsynced))
        j->hold_size = size; /* where a failed fsync of this append (or hold) goes back to */
    size_t done = 0;
    while (done < len) {
        ssize_t n =
            srt_fs_fault_hit("write", j->path) ? -1 : write(j->fd_append, data + done, len - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "journal append failed: %s",
                        n < 0 ? strerror(errno) : "nothing written");
            return roll_back(j, size, err);
        }
        done += (size_t)n;
    }
    if (j->holding) {
        j->unsynced = 1; /* one fsync for the whole hold, at its release */
        return SRT_OK;
    }
    if (srt_fs_fault_hit("fsync", j->path) || fsync(j->fd_append) != 0) {
        srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "journal fsync failed: %s", strerror(errno));
        return roll_back(j, size, err);
    }
    return SRT_OK;
}

void srt_journal_hold(srt_journal_t *j)
{
    j->holding = 1;
}

srt_rc srt_journal_release(srt_journal_t *j, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    j->holding = 0;
    if (j->unsynced && (srt_fs_fault_hit("fsync", j->path) || fsync(j->fd_append) != 0)) {
        srt_err_set(err, SRT_ERR_IO, j->path, NULL, 0, "journal fsync failed: %s", strerror(errno));
        /* the hold's lines were read back already: this handle's view is ahead
         * of the file now, so it appends nothing more */
        rc = roll_back(j, j->hold_size, err);
        j->broken = 1;
    }
    j->unsynced = 0;
    srt_rc rc2 = srt_journal_unlock(j, rc == SRT_OK ? err : NULL);
    return rc == SRT_OK ? rc2 : rc;
}

srt_rc srt_journal_finish(srt_journal_t *j, const srt_journal_batch_t *b, srt_rc rc,
                          srt_err_t *err)
{
    if (rc == SRT_OK)
        rc = srt_journal_append_locked(j, b, err);
    srt_rc rc2 = srt_journal_unlock(j, rc == SRT_OK ? err : NULL);
    if (rc == SRT_OK)
        rc = rc2;
    if (rc == SRT_OK)
        rc = srt_journal_refresh(j, err);
    return rc;
}

srt_rc srt_journal_commit(srt_journal_t *j, const srt_journal_batch_t *b, srt_err_t *err)
{
    srt_rc rc = srt_journal_lock(j, err);
    if (rc != SRT_OK)
        return rc;
    return srt_journal_finish(j, b, SRT_OK, err);
}

/* -------------------------------------------------------------- accessors */

size_t srt_journal_n_trials(const srt_journal_t *j)
{
    return j->n_trials;
}

const srt_trial_t *srt_journal_trial(const srt_journal_t *j, long id)
{
    if (id < 0 || (size_t)id >= j->n_trials)
        return NULL;
    return j->trials[id];
}

int srt_journal_find_study(const srt_journal_t *j, const char *name)
{
    for (size_t i = 0; i < j->n_studies; i++)
        if (!j->studies[i].deleted && strcmp(j->studies[i].name, name) == 0)
            return (int)i;
    return -1;
}

int srt_journal_n_study_ids(const srt_journal_t *j)
{
    return (int)j->n_studies;
}

static const study_rec_t *live(const srt_journal_t *j, int id)
{
    if (id < 0 || (size_t)id >= j->n_studies || j->studies[id].deleted)
        return NULL;
    return &j->studies[id];
}

const char *srt_journal_study_name(const srt_journal_t *j, int id)
{
    const study_rec_t *s = live(j, id);
    return s ? s->name : NULL;
}

int srt_journal_study_direction(const srt_journal_t *j, int id, size_t index)
{
    const study_rec_t *s = live(j, id);
    return s && index < s->n_directions ? s->directions[index] : 0;
}

size_t srt_journal_study_n_directions(const srt_journal_t *j, int id)
{
    const study_rec_t *s = live(j, id);
    return s ? s->n_directions : 0;
}

const srt_trial_t *const *srt_journal_study_trials(const srt_journal_t *j, int id, size_t *n)
{
    /* trials of a deleted study stay reachable by id, as in Optuna */
    if (id < 0 || (size_t)id >= j->n_studies) {
        *n = 0;
        return NULL;
    }
    *n = j->studies[id].n_trials;
    return (const srt_trial_t *const *)j->studies[id].trials;
}

const srt_attr_t *srt_journal_study_attrs(const srt_journal_t *j, int id, int system, size_t *n)
{
    const study_rec_t *s = live(j, id);
    *n = s ? (system ? s->n_system_attrs : s->n_user_attrs) : 0;
    return s ? (system ? s->system_attrs : s->user_attrs) : NULL;
}

const char *srt_journal_study_user_attr(const srt_journal_t *j, int id, const char *key)
{
    const study_rec_t *s = live(j, id);
    return s ? srt__attr_get(s->user_attrs, s->n_user_attrs, key) : NULL;
}

const char *srt_journal_study_system_attr(const srt_journal_t *j, int id, const char *key)
{
    const study_rec_t *s = live(j, id);
    return s ? srt__attr_get(s->system_attrs, s->n_system_attrs, key) : NULL;
}

const char *srt_trial_state_name(srt_trial_state_t s)
{
    static const char *const names[] = {"RUNNING", "COMPLETE", "PRUNED", "FAIL", "WAITING"};
    return (int)s >= 0 && (int)s < 5 ? names[s] : "?";
}

const char *srt_trial_user_attr(const srt_trial_t *t, const char *key)
{
    return srt__attr_get(t->user_attrs, t->n_user_attrs, key);
}

const char *srt_trial_system_attr(const srt_trial_t *t, const char *key)
{
    return srt__attr_get(t->system_attrs, t->n_system_attrs, key);
}

const srt_trial_param_t *srt_trial_param(const srt_trial_t *t, const char *name)
{
    for (size_t i = 0; i < t->n_params; i++)
        if (t->params[i].name == name || strcmp(t->params[i].name, name) == 0)
            return &t->params[i];
    return NULL;
}

int srt_trial_last_intermediate(const srt_trial_t *t, long *step, double *value)
{
    if (t->n_intermediate == 0)
        return 0;
    if (step)
        *step = t->intermediate[t->n_intermediate - 1].step;
    if (value)
        *value = t->intermediate[t->n_intermediate - 1].value;
    return 1;
}
