/*
 * Journal durability under I/O faults (docs/reliability.md): an append that
 * fails (write, fsync, the fsync of a hold) leaves the file byte for byte as it
 * was; a torn tail is saved and cut only when saving worked; a read-only handle
 * reads and never writes; many processes breaking one stale lock at once end
 * with exactly one holder at a time. Faults come from the srt_fs_fault_arm hook
 * (test builds), so each case fails exactly the call it names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "srtune/study.h"
#include "testutil.h"

static int counter;

static char *fresh_path(const char *tag)
{
    char name[128];
    snprintf(name, sizeof name, "%s-%d.log", tag, ++counter);
    return srt_path_join(srt_test_tmpdir(), name);
}

static void append_raw(const char *path, const char *text)
{
    FILE *f = fopen(path, "ab");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static char *slurp(const char *path)
{
    char *text = NULL;
    if (srt_fs_read_file(path, &text, NULL, NULL) != SRT_OK)
        return NULL;
    return text;
}

static int count_torn_files(const char *path)
{
    char *dir = srt_path_dirname(path);
    const char *base = strrchr(path, '/') + 1;
    char prefix[512];
    int n = 0;
    snprintf(prefix, sizeof prefix, "%s.torn-", base);
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL)
        n += strncmp(de->d_name, prefix, strlen(prefix)) == 0;
    if (d)
        closedir(d);
    free(dir);
    return n;
}

static const char *const FIRST = "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", "
                                 "\"directions\": [1]}\n";

/* Commits one CREATE_STUDY line for name; returns the rc, err filled. */
static srt_rc commit_study(srt_journal_t *j, const char *name, srt_err_t *err)
{
    srt_journal_batch_t b;
    int dir = 2;
    srt_journal_batch_init(&b);
    CU_ASSERT_EQUAL(srt_journal_op_create_study(&b, "w", name, &dir, 1), SRT_OK);
    srt_rc rc = srt_journal_commit(j, &b, err);
    srt_journal_batch_fini(&b);
    return rc;
}

static int hooks_or_skip(void)
{
    if (srt_fs_fault_hooks_enabled())
        return 1;
    fprintf(stderr, "skipped: this build has no fault hooks (SRTUNE_FAULT_HOOKS=OFF)\n");
    return 0;
}

/* A write or fsync failing with ENOSPC (or EIO) leaves the journal as it was,
 * the error names the journal and the errno text, and the next append works. */
static void failed_write_or_fsync_leaves_the_journal_as_it_was(void)
{
    if (!hooks_or_skip())
        return;
    static const struct {
        long at;
        int sys_errno;
        const char *text;
    } cases[] = {{1, ENOSPC, "No space left on device"}, /* the write */
                 {2, EIO, "Input/output error"},         /* its fsync */
                 {1, EDQUOT, "Disk quota exceeded"}};
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        char *path = fresh_path("fail");
        srt_journal_t *j = NULL;
        srt_err_t err;
        append_raw(path, FIRST);
        CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "w", &j, NULL), SRT_OK);
        char *before = slurp(path);
        srt_err_clear(&err);
        srt_fs_fault_arm(cases[c].at, 0, cases[c].sys_errno);
        CU_ASSERT_EQUAL(commit_study(j, "s2", &err), SRT_ERR_IO);
        srt_fs_fault_arm(0, 0, 0);
        CU_ASSERT_STRING_EQUAL(err.file, path);
        CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, cases[c].text));
        CU_ASSERT(srt_err_is_environment(&err));
        char *after = slurp(path);
        CU_ASSERT_PTR_NOT_NULL_FATAL(after);
        CU_ASSERT_STRING_EQUAL(after, before);
        free(after);
        /* the disk has room again: the same handle appends */
        CU_ASSERT_EQUAL(commit_study(j, "s2", NULL), SRT_OK);
        CU_ASSERT_EQUAL(srt_journal_find_study(j, "s2"), 1);
        srt_journal_destroy(&j);
        CU_ASSERT_EQUAL_FATAL(srt_journal_open_readonly(path, &j, NULL), SRT_OK);
        CU_ASSERT_EQUAL(srt_journal_lines_read(j), 2);
        CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
        srt_journal_destroy(&j);
        free(before);
        free(path);
    }
}

/* The fsync at the end of a hold fails: every line of the hold is rolled
 * back, and the handle (whose view already holds them) appends nothing more. */
static void failed_fsync_of_a_hold_rolls_the_whole_hold_back(void)
{
    if (!hooks_or_skip())
        return;
    char *path = fresh_path("hold");
    srt_journal_t *j = NULL;
    srt_err_t err;
    append_raw(path, FIRST);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "w", &j, NULL), SRT_OK);
    char *before = slurp(path);
    srt_journal_hold(j);
    CU_ASSERT_EQUAL(commit_study(j, "s2", NULL), SRT_OK);
    CU_ASSERT_EQUAL(commit_study(j, "s3", NULL), SRT_OK);
    srt_err_clear(&err);
    srt_fs_fault_arm(1, 1, ENOSPC); /* the release's fsync */
    CU_ASSERT_EQUAL(srt_journal_release(j, &err), SRT_ERR_IO);
    srt_fs_fault_arm(0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "fsync"));
    char *after = slurp(path);
    CU_ASSERT_PTR_NOT_NULL_FATAL(after);
    CU_ASSERT_STRING_EQUAL(after, before);
    free(after);
    CU_ASSERT_EQUAL(commit_study(j, "s4", NULL), SRT_ERR_IO);
    srt_journal_destroy(&j);
    /* a fresh handle reads the file as it is and appends again */
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "w", &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s2"), -1);
    CU_ASSERT_EQUAL(commit_study(j, "s4", NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    srt_journal_destroy(&j);
    free(before);
    free(path);
}

/* Saving a torn tail fails: nothing is cut and nothing appended after it;
 * once it works the tail is saved byte for byte and cut. */
static void torn_tail_is_cut_only_after_it_was_saved(void)
{
    if (!hooks_or_skip())
        return;
    char *path = fresh_path("tornsave");
    const char *torn =
        "{\"op_code\": 6, \"worker_id\": \"x\", \"trial_id\": 3, \"state\": 1, \"val";
    srt_journal_t *j = NULL;
    srt_err_t err;
    append_raw(path, FIRST);
    append_raw(path, torn);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "w", &j, NULL), SRT_OK);
    char *before = slurp(path);
    srt_err_clear(&err);
    srt_fs_fault_arm(1, 0, ENOSPC); /* the .torn file's write, and all after */
    CU_ASSERT_EQUAL(commit_study(j, "s2", &err), SRT_ERR_IO);
    srt_fs_fault_arm(0, 0, 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No space left on device"));
    char *after = slurp(path);
    CU_ASSERT_STRING_EQUAL(after, before);
    free(after);
    CU_ASSERT_EQUAL(count_torn_files(path), 0);
    CU_ASSERT_EQUAL(commit_study(j, "s2", NULL), SRT_OK);
    CU_ASSERT_EQUAL(count_torn_files(path), 1);
    after = slurp(path);
    CU_ASSERT_PTR_NULL(strstr(after, "\"val"));
    CU_ASSERT(strlen(after) > 0 && after[strlen(after) - 1] == '\n');
    free(after);
    srt_journal_destroy(&j);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open_readonly(path, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s2"), 1);
    srt_journal_destroy(&j);
    free(before);
    free(path);
}

/* A read-only handle reads a journal, takes no lock and writes nothing; a
 * missing journal is not created. */
static void readonly_journal_reads_and_never_writes(void)
{
    char *path = fresh_path("ro");
    srt_journal_t *j = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_journal_open_readonly(path, &j, &err), SRT_ERR_NOTFOUND);
    CU_ASSERT_PTR_NULL(j);
    CU_ASSERT(!srt_fs_is_file(path));
    append_raw(path, FIRST);
    append_raw(path, "{\"op_code\": 0, \"wor"); /* a torn tail is only read around */
    CU_ASSERT_EQUAL(chmod(path, 0444), 0);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open_readonly(path, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s"), 0);
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(commit_study(j, "s2", &err), SRT_ERR_INVALID);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "read-only"));
    char lock[4200];
    struct stat st;
    snprintf(lock, sizeof lock, "%s.lock", path);
    CU_ASSERT_NOT_EQUAL(lstat(lock, &st), 0);
    CU_ASSERT_EQUAL(count_torn_files(path), 0);
    srt_journal_destroy(&j);
    free(path);
}

/* Many processes that see one stale lock at once: each takes the lock in
 * turn, never two at a time (an O_EXCL marker proves it), and every holder's
 * release finds its own lock (a breaker that removed a fresh lock would make
 * that release fail). Several rounds, each from a new stale lock. */
static void many_breakers_of_one_stale_lock_hold_it_one_at_a_time(void)
{
    enum { ROUNDS = 8, KIDS = 8 };
    char *path = fresh_path("breakers");
    char *marker = srt_path_join(srt_test_tmpdir(), "breakers-inside");
    char lock[4200];
    snprintf(lock, sizeof lock, "%s.lock", path);
    append_raw(path, FIRST);
    for (int round = 0; round < ROUNDS; round++) {
        CU_ASSERT_EQUAL_FATAL(symlink(path, lock), 0); /* its holder died */
        pid_t kids[KIDS];
        for (int k = 0; k < KIDS; k++) {
            kids[k] = fork();
            if (kids[k] == 0) {
                srt_lock_options_t o = srt_lock_options_default();
                o.grace_s = 0.05;
                o.max_wait_s = 60;
                o.backoff_min = 0.0005;
                o.backoff_max = 0.002;
                /* every breaker dawdles between seeing the lock stale and
                 * breaking it: a breaker that does not look again removes
                 * the lock the first one has taken since */
                srt_journal_lock_set_break_delay(0.01);
                if (srt_journal_lock_acquire(path, &o, NULL) != SRT_OK)
                    _exit(2);
                int fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0644);
                if (fd < 0)
                    _exit(3); /* someone else holds the lock too */
                close(fd);
                struct timespec ts = {0, 20 * 1000 * 1000};
                nanosleep(&ts, NULL);
                unlink(marker);
                _exit(srt_journal_lock_release(path, NULL) == SRT_OK ? 0 : 4);
            }
        }
        for (int k = 0; k < KIDS; k++) {
            int st = 0;
            waitpid(kids[k], &st, 0);
            CU_ASSERT(WIFEXITED(st));
            if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
                fprintf(stderr, "round %d breaker %d exited %d\n", round, k, WEXITSTATUS(st));
            CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
        struct stat st;
        CU_ASSERT_NOT_EQUAL(lstat(lock, &st), 0);
        (void)unlink(lock);
        (void)unlink(marker);
    }
    free(marker);
    free(path);
}

/* A child opens the study (worker id srtune-<host>-<pid>-<hex>), asks one
 * trial and, when told, exits without telling it: the trial stays RUNNING
 * with a fresh heartbeat. Returns the child's pid; *go is the pipe that
 * lets it exit. */
static pid_t start_owner(const char *path, int *go)
{
    int fds[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[1]);
        srt_space_t *space = srt_space_create();
        (void)srt_space_add_float(space, "alpha", 1e-3, 1.0, 1, 0, NULL);
        srt_study_options_t o = srt_study_options_default();
        o.journal_path = path;
        o.study_name = "own";
        o.sampler = "random";
        srt_study_t *st = NULL;
        srt_ask_t a;
        int ok =
            srt_study_open(&o, space, &st, NULL) == SRT_OK && srt_study_ask(st, &a, NULL) == SRT_OK;
        char c;
        if (read(fds[0], &c, 1) < 0)
            ok = 0;
        _exit(ok ? 0 : 1); /* no tell, no clean-up: as a coordinator that could not write */
    }
    close(fds[0]);
    *go = fds[1];
    return pid;
}

/* A RUNNING trial whose coordinator ran on this host and is gone is taken
 * over at once (FAIL + a WAITING copy), not after the heartbeat grace; one
 * whose coordinator still runs is left alone. */
static void running_trial_of_a_gone_coordinator_is_taken_over_at_once(void)
{
    char *path = fresh_path("owner");
    srt_space_t *space = srt_space_create();
    CU_ASSERT_EQUAL(srt_space_add_float(space, "alpha", 1e-3, 1.0, 1, 0, NULL), SRT_OK);
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = "own";
    o.sampler = "random";
    o.heartbeat_grace_s = 600;
    int go;
    pid_t owner = start_owner(path, &go);
    /* wait for its RUNNING line */
    srt_study_t *s = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    size_t n = 0;
    for (int i = 0; i < 2000 && n == 0; i++) {
        struct timespec ts = {0, 5 * 1000 * 1000};
        nanosleep(&ts, NULL);
        CU_ASSERT_EQUAL(srt_study_refresh(s, NULL), SRT_OK);
        (void)srt_study_trials(s, &n);
    }
    CU_ASSERT_EQUAL_FATAL(n, 1);
    size_t lost = 9;
    CU_ASSERT_EQUAL(srt_study_fail_lost_trials(s, &lost, NULL), SRT_OK);
    CU_ASSERT_EQUAL(lost, 0); /* its coordinator still runs */
    CU_ASSERT_EQUAL(srt_study_trial(s, 0)->state, SRT_TRIAL_STATE_RUNNING);
    CU_ASSERT_EQUAL(write(go, "x", 1), 1);
    close(go);
    int st = 0;
    waitpid(owner, &st, 0);
    CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    CU_ASSERT_EQUAL(srt_study_fail_lost_trials(s, &lost, NULL), SRT_OK);
    CU_ASSERT_EQUAL(lost, 1);
    CU_ASSERT_EQUAL(srt_study_trial(s, 0)->state, SRT_TRIAL_STATE_FAIL);
    (void)srt_study_trials(s, &n);
    CU_ASSERT_EQUAL_FATAL(n, 2);
    CU_ASSERT_EQUAL(srt_study_trial(s, 1)->state, SRT_TRIAL_STATE_WAITING);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

/* A study opened read-only reads its trials, writes nothing, refuses to
 * ask, and does not create a missing study. */
static void study_opened_read_only_reads_and_refuses_writes(void)
{
    char *path = fresh_path("studyro");
    srt_space_t *space = srt_space_create();
    CU_ASSERT_EQUAL(srt_space_add_float(space, "alpha", 1e-3, 1.0, 1, 0, NULL), SRT_OK);
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = "ro";
    o.sampler = "random";
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    srt_ask_fini(&a);
    srt_study_destroy(&s);
    char *before = slurp(path);
    o.read_only = 1;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    size_t n = 0;
    (void)srt_study_trials(s, &n);
    CU_ASSERT_EQUAL(n, 1);
    srt_err_clear(&err);
    CU_ASSERT_NOT_EQUAL(srt_study_ask(s, &a, &err), SRT_OK);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "read-only"));
    srt_study_destroy(&s);
    o.study_name = "missing";
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_study_open(&o, space, &s, &err), SRT_ERR_NOTFOUND);
    char *after = slurp(path);
    CU_ASSERT_STRING_EQUAL(after, before);
    free(after);
    free(before);
    srt_space_destroy(&space);
    free(path);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"failed_write_or_fsync_leaves_the_journal_as_it_was",
         failed_write_or_fsync_leaves_the_journal_as_it_was},
        {"failed_fsync_of_a_hold_rolls_the_whole_hold_back",
         failed_fsync_of_a_hold_rolls_the_whole_hold_back},
        {"torn_tail_is_cut_only_after_it_was_saved", torn_tail_is_cut_only_after_it_was_saved},
        {"readonly_journal_reads_and_never_writes", readonly_journal_reads_and_never_writes},
        {"many_breakers_of_one_stale_lock_hold_it_one_at_a_time",
         many_breakers_of_one_stale_lock_hold_it_one_at_a_time},
        {"running_trial_of_a_gone_coordinator_is_taken_over_at_once",
         running_trial_of_a_gone_coordinator_is_taken_over_at_once},
        {"study_opened_read_only_reads_and_refuses_writes",
         study_opened_read_only_reads_and_refuses_writes},
        {NULL, NULL}};
    return srt_test_main("study_journal_faults", cases);
}
