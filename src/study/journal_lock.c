/*
 * Journal lock: Optuna's JournalFileSymlinkLock protocol, so srtune and Optuna
 * processes exclude each other around appends.
 *
 * acquire: symlink(<journal>, <journal>.lock); on EEXIST sleep 1 ms, doubling up
 * to 1 s, and retry. release: rename the lock to a unique name, then unlink it
 * (rename is atomic, so only the holder removes it). A lock whose identity and
 * mtime have not changed for the grace period is stale (its holder died) and
 * is broken the same way, with a warning. Breaking is race-free among
 * breakers: a breaker takes flock(2) on the journal file itself (or on its
 * directory while there is no journal; the kernel releases it if the breaker
 * dies), looks at the lock again and removes it only if it is still the very
 * lock (device, inode, mtime) it watched go stale. So of many
 * waiters that see one stale lock at once, one breaks it and the others find
 * another lock (or none) and wait for it: nobody removes a lock a live process
 * has just taken. Invariant: the lock exists only while one process appends.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "study_int.h"

srt_lock_options_t srt_lock_options_default(void)
{
    srt_lock_options_t o;
    o.grace_s = 30.0;
    o.max_wait_s = 0.0;
    o.backoff_min = 0.001;
    o.backoff_max = 1.0;
    return o;
}

static void sleep_s(double s)
{
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR) {
    }
}

/* Unique "<lock><hex>.rename" name, as Optuna's uuid-based one. */
static void unique_name(char *buf, size_t size, const char *lock)
{
    static uint64_t counter;
    uint64_t s = (uint64_t)getpid() * 0x9E3779B97F4A7C15ULL ^ (uint64_t)time(NULL) ^
                 (uint64_t)(uintptr_t)buf ^ (++counter << 32);
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    s ^= (uint64_t)ts.tv_nsec;
    uint64_t a = srt_splitmix64(&s), b = srt_splitmix64(&s);
    snprintf(buf, size, "%s%016llx%016llx.rename", lock, (unsigned long long)a,
             (unsigned long long)b);
}

/* rename + unlink of the lock; returns 0, or -1 with errno. */
static int remove_lock(const char *lock)
{
    char tmp[4200];
    unique_name(tmp, sizeof tmp, lock);
    if (rename(lock, tmp) != 0)
        return -1;
    (void)unlink(tmp);
    return 0;
}

static double break_delay_s;

void srt_journal_lock_set_break_delay(double seconds)
{
    break_delay_s = seconds;
}

/* Breaks lock if it is still the stale one (seen: its lstat when it went
 * stale), serialised with other breakers by flock on the journal. Returns 1
 * when this process removed it. */
static int break_stale(const char *journal_path, const char *lock, const struct stat *seen)
{
    int fd = open(journal_path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        fd = open(journal_path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) { /* no journal (yet): serialise on its directory */
        char *dir = srt_path_dirname(journal_path);
        fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
        free(dir);
    }
    if (fd < 0)
        return 0; /* nothing to serialise on: leave the lock; the wait goes on */
    int broke = 0;
    while (flock(fd, LOCK_EX) != 0) {
        if (errno != EINTR) {
            close(fd);
            return 0;
        }
    }
    struct stat now;
    if (lstat(lock, &now) == 0 && now.st_ino == seen->st_ino && now.st_dev == seen->st_dev &&
        now.st_mtim.tv_sec == seen->st_mtim.tv_sec && now.st_mtim.tv_nsec == seen->st_mtim.tv_nsec)
        broke = remove_lock(lock) == 0;
    (void)flock(fd, LOCK_UN);
    close(fd);
    return broke;
}

srt_rc srt_journal_lock_acquire(const char *journal_path, const srt_lock_options_t *opt,
                                srt_err_t *err)
{
    srt_lock_options_t o = opt ? *opt : srt_lock_options_default();
    char lock[4096];
    snprintf(lock, sizeof lock, "%s.lock", journal_path);
    double sleep = o.backoff_min > 0 ? o.backoff_min : 0.001;
    double start = srt_time_monotonic();
    /* the lock as last seen: identity, mtime and when it was first seen so */
    int seen = 0, told = 0;
    struct stat seen_st;
    memset(&seen_st, 0, sizeof seen_st);
    double seen_at = 0;
    for (;;) {
        if (!srt_fs_fault_hit("symlink", lock) && symlink(journal_path, lock) == 0)
            return SRT_OK;
        if (errno != EEXIST)
            return srt_err_set(err, SRT_ERR_IO, journal_path, NULL, 0, "cannot create lock %s: %s",
                               lock, strerror(errno));
        double now = srt_time_monotonic();
        struct stat st;
        if (lstat(lock, &st) == 0) {
            if (!seen || st.st_ino != seen_st.st_ino ||
                st.st_mtim.tv_sec != seen_st.st_mtim.tv_sec ||
                st.st_mtim.tv_nsec != seen_st.st_mtim.tv_nsec) {
                seen = 1;
                seen_st = st;
                seen_at = now;
            } else if (o.grace_s > 0 && now - seen_at >= o.grace_s) {
                if (break_delay_s > 0)
                    sleep_s(break_delay_s);
                if (break_stale(journal_path, lock, &seen_st))
                    SRT_WARN("%s: breaking a stale lock (unchanged for %.1f s)", lock,
                             now - seen_at);
                seen = 0; /* broken, or another breaker was first: watch what is there now */
                continue;
            }
        } else {
            seen = 0;
        }
        if (!told && o.grace_s > 2.0 && now - start >= 2.0) {
            /* a crashed process's lock costs the grace: say why nothing happens */
            SRT_WARN("%s: waiting for the journal lock (another process appends, or a crashed "
                     "one left it: it is broken once unchanged for %.0f s)",
                     lock, o.grace_s);
            told = 1;
        }
        if (o.max_wait_s > 0 && now - start >= o.max_wait_s)
            return srt_err_set(err, SRT_ERR_LOCKED, journal_path, NULL, 0,
                               "lock %s still held after %.1f s", lock, now - start);
        sleep_s(sleep);
        sleep = sleep * 2 > o.backoff_max ? o.backoff_max : sleep * 2;
    }
}

srt_rc srt_journal_lock_release(const char *journal_path, srt_err_t *err)
{
    char lock[4096];
    snprintf(lock, sizeof lock, "%s.lock", journal_path);
    if (remove_lock(lock) != 0)
        return srt_err_set(err, SRT_ERR_IO, journal_path, NULL, 0, "did not possess lock %s: %s",
                           lock, strerror(errno));
    return SRT_OK;
}
