/*
 * Journal tests: every op code round-trips through a file, Optuna's replay
 * rules (implicit ids, ignored ops, first CREATE_STUDY wins), torn lines,
 * incremental reads, the lock protocol (stale lock, EEXIST back-off with a
 * second process), WAITING pops with one winner, retries, heartbeats and lost
 * trials, and the study API on top.
 */
#include <dirent.h>
#include <math.h>
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

/* A fresh journal path in the test directory. */
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

static srt_space_t *small_space(void)
{
    srt_space_t *s = srt_space_create();
    srt_choice_t ch[3] = {{SRT_CHOICE_STRING, (char *)"a", 0, 0},
                          {SRT_CHOICE_STRING, (char *)"b", 0, 0},
                          {SRT_CHOICE_BOOL, NULL, 0, 1}};
    const char *keys[3] = {"w_add", "w_del", "w_mut"};
    CU_ASSERT_EQUAL(srt_space_add_float(s, "alpha", 1e-3, 1.0, 1, 0, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_space_add_int(s, "size", 5, 40, 0, 5, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_space_add_categorical(s, "kind", ch, 3, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_space_add_simplex(s, "mutation_weights", keys, 3, 2.0, NULL), SRT_OK);
    return s;
}

static void every_op_code_round_trips_through_the_file(void)
{
    char *path = fresh_path("ops");
    srt_journal_t *j = NULL;
    srt_journal_batch_t b;
    const char *w = "w1";
    int dir = 1, dirs2[2] = {1, 2};
    const char *fdist =
        "{\"name\": \"FloatDistribution\", \"attributes\": {\"step\": null, \"low\": 0.0, "
        "\"high\": 1.0, \"log\": false}}";
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, w, &j, NULL), SRT_OK);
    srt_journal_batch_init(&b);
    CU_ASSERT_EQUAL(srt_journal_op_create_study(&b, w, "s0", &dir, 1), SRT_OK);        /* 0 */
    CU_ASSERT_EQUAL(srt_journal_op_create_study(&b, w, "s1", dirs2, 2), SRT_OK);       /* 0 */
    CU_ASSERT_EQUAL(srt_journal_op_set_study_attr(&b, w, 0, 0, "u", "[1,2]"), SRT_OK); /* 2 */
    CU_ASSERT_EQUAL(srt_journal_op_set_study_attr(&b, w, 0, 1, "s", "\"x\""), SRT_OK); /* 3 */
    CU_ASSERT_EQUAL(srt_journal_op_create_trial(&b, w, 0), SRT_OK);                    /* 4 */
    CU_ASSERT_EQUAL(srt_journal_op_create_trial(&b, w, 1), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_op_create_trial(&b, w, 0), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_op_set_param(&b, w, 0, "x", 0.25, fdist), SRT_OK); /* 5 */
    CU_ASSERT_EQUAL(srt_journal_op_set_intermediate(&b, w, 0, 3, 1.5), SRT_OK);    /* 7 */
    CU_ASSERT_EQUAL(srt_journal_op_set_intermediate(&b, w, 0, 1, 2.5), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_op_set_trial_attr(&b, w, 0, 0, "k", "{\"a\":1}"), SRT_OK); /* 8 */
    CU_ASSERT_EQUAL(srt_journal_op_set_trial_attr(&b, w, 0, 1, "sys", "true"), SRT_OK);    /* 9 */
    double v = 0.125;
    CU_ASSERT_EQUAL(srt_journal_op_set_state(&b, w, 0, SRT_TRIAL_STATE_COMPLETE, &v, 1),
                    SRT_OK);                                        /* 6 */
    CU_ASSERT_EQUAL(srt_journal_op_delete_study(&b, w, 1), SRT_OK); /* 1 */
    CU_ASSERT_EQUAL(srt_journal_op_set_study_attr(&b, w, 0, 0, "bad", "{not json"),
                    SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_journal_commit(j, &b, NULL), SRT_OK);
    srt_journal_batch_fini(&b);
    srt_journal_destroy(&j);
    CU_ASSERT_PTR_NULL(j);

    /* a second reader replays the same state */
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_study_ids(j), 2);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s0"), 0);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s1"), -1); /* deleted */
    CU_ASSERT_STRING_EQUAL(srt_journal_study_user_attr(j, 0, "u"), "[1,2]");
    CU_ASSERT_STRING_EQUAL(srt_journal_study_system_attr(j, 0, "s"), "\"x\"");
    CU_ASSERT_EQUAL(srt_journal_n_trials(j), 3);
    const srt_trial_t *t0 = srt_journal_trial(j, 0), *t1 = srt_journal_trial(j, 1),
                      *t2 = srt_journal_trial(j, 2);
    CU_ASSERT_EQUAL(t0->number, 0);
    CU_ASSERT_EQUAL(t1->number, 0); /* first trial of study 1 */
    CU_ASSERT_EQUAL(t1->study_id, 1);
    CU_ASSERT_EQUAL(t2->number, 1);
    CU_ASSERT_EQUAL(t0->state, SRT_TRIAL_STATE_COMPLETE);
    CU_ASSERT_EQUAL(t2->state, SRT_TRIAL_STATE_RUNNING);
    CU_ASSERT_EQUAL_FATAL(t0->n_values, 1);
    CU_ASSERT_DOUBLE_EQUAL(t0->values[0], 0.125, 0);
    CU_ASSERT_EQUAL_FATAL(t0->n_params, 1);
    CU_ASSERT_DOUBLE_EQUAL(t0->params[0].internal, 0.25, 0);
    CU_ASSERT_STRING_EQUAL(t0->params[0].distribution, fdist);
    CU_ASSERT_EQUAL_FATAL(t0->n_intermediate, 2);
    CU_ASSERT_EQUAL(t0->intermediate[0].step, 1); /* sorted by step */
    CU_ASSERT_DOUBLE_EQUAL(t0->intermediate[1].value, 1.5, 0);
    CU_ASSERT_STRING_EQUAL(srt_trial_user_attr(t0, "k"), "{\"a\":1}");
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(t0, "sys"), "true");
    CU_ASSERT(t0->datetime_start[0] != '\0');
    CU_ASSERT(t0->datetime_complete[0] != '\0');
    CU_ASSERT_EQUAL(strlen(t0->datetime_complete), 26); /* 2026-11-23T08:10:02.517520 */
    CU_ASSERT_EQUAL(t0->datetime_complete[19], '.');
    srt_journal_destroy(&j);
    free(path);
}

static void replay_ignores_ops_on_finished_or_unknown_trials(void)
{
    char *path = fresh_path("ignore");
    append_raw(
        path,
        "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", \"directions\": [1]}\n"
        "{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 7, \"datetime_start\": null}\n"
        "{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 0, \"datetime_start\": null}\n"
        "{\"op_code\": 6, \"worker_id\": \"a\", \"trial_id\": 0, \"state\": 3, "
        "\"values\": null, \"datetime_complete\": \"2026-01-01T00:00:00.000000\"}\n"
        "{\"op_code\": 6, \"worker_id\": \"b\", \"trial_id\": 0, \"state\": 1, "
        "\"values\": [1.0], \"datetime_complete\": \"2026-01-01T00:00:00.000000\"}\n"
        "{\"op_code\": 7, \"worker_id\": \"b\", \"trial_id\": 0, \"step\": 1, "
        "\"intermediate_value\": 1.0}\n"
        "{\"op_code\": 8, \"worker_id\": \"b\", \"trial_id\": 0, \"user_attr\": {\"k\": 1}}\n"
        "{\"op_code\": 9, \"worker_id\": \"b\", \"trial_id\": 5, \"system_attr\": {\"k\": 1}}\n"
        "{\"op_code\": 2, \"worker_id\": \"b\", \"study_id\": 3, \"user_attr\": {\"k\": 1}}\n");
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_trials(j), 1); /* the trial of the unknown study got no id */
    const srt_trial_t *t = srt_journal_trial(j, 0);
    CU_ASSERT_EQUAL(t->state, SRT_TRIAL_STATE_FAIL);
    CU_ASSERT_EQUAL(t->n_values, 0);
    CU_ASSERT_EQUAL(t->n_intermediate, 0);
    CU_ASSERT_EQUAL(t->n_user_attrs, 0);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    srt_journal_destroy(&j);
    free(path);
}

static void first_create_study_line_for_a_name_wins(void)
{
    char *path = fresh_path("dup");
    append_raw(
        path,
        "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", \"directions\": [1]}\n"
        "{\"op_code\": 0, \"worker_id\": \"b\", \"study_name\": \"s\", \"directions\": [2]}\n"
        "{\"op_code\": 0, \"worker_id\": \"b\", \"study_name\": \"t\", \"directions\": [2]}\n"
        "{\"op_code\": 1, \"worker_id\": \"b\", \"study_id\": 0}\n"
        "{\"op_code\": 0, \"worker_id\": \"b\", \"study_name\": \"s\", \"directions\": [2]}\n");
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "t"), 1);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s"), 2); /* re-created after the delete */
    CU_ASSERT_EQUAL(srt_journal_study_direction(j, 2, 0), 2);
    CU_ASSERT_PTR_NULL(srt_journal_study_name(j, 0));
    srt_journal_destroy(&j);
    free(path);
}

static void unterminated_last_line_is_read_once_complete(void)
{
    char *path = fresh_path("torn");
    const char *line = "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", "
                       "\"directions\": [1]}";
    srt_journal_t *j = NULL;
    append_raw(path, line);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_study_ids(j), 0);
    CU_ASSERT_EQUAL(srt_journal_lines_read(j), 0);
    append_raw(path, "\n{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 0, ");
    CU_ASSERT_EQUAL(srt_journal_refresh(j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_study_ids(j), 1);
    CU_ASSERT_EQUAL(srt_journal_n_trials(j), 0);
    append_raw(path, "\"datetime_start\": null}\n");
    CU_ASSERT_EQUAL(srt_journal_refresh(j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_trials(j), 1);
    CU_ASSERT_EQUAL(srt_journal_lines_read(j), 2);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    srt_journal_destroy(&j);
    free(path);
}

/* The bytes of the one <path>.torn-* file next to path; NULL when none. */
static char *read_torn_file(const char *path, int *n_files)
{
    char *dir = srt_path_dirname(path);
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    char prefix[512];
    char *out = NULL;
    snprintf(prefix, sizeof prefix, "%s.torn-", base);
    *n_files = 0;
    DIR *d = opendir(dir);
    struct dirent *de;
    while (d && (de = readdir(d)) != NULL) {
        if (strncmp(de->d_name, prefix, strlen(prefix)) != 0)
            continue;
        char *full = srt_path_join(dir, de->d_name);
        free(out);
        out = NULL;
        (void)srt_fs_read_file(full, &out, NULL, NULL);
        free(full);
        (*n_files)++;
    }
    if (d)
        closedir(d);
    free(dir);
    return out;
}

static void torn_tail_is_moved_aside_and_cut_before_the_next_append(void)
{
    char *path = fresh_path("torn2");
    srt_journal_t *j = NULL, *w = NULL;
    srt_journal_batch_t b;
    int dir = 1, n_torn = 0;
    const char *torn = "{\"op_code\": 4, \"worker_id\": \"dead\", \"stu";
    append_raw(path, "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", "
                     "\"directions\": [1]}\n");
    append_raw(path, torn);
    /* a writer that finds the torn fragment (its writer died: it holds the
     * lock) moves it to journal.torn-<time> and cuts it off first */
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "w", &w, NULL), SRT_OK);
    srt_journal_batch_init(&b);
    CU_ASSERT_EQUAL(srt_journal_op_create_study(&b, "w", "s2", &dir, 1), SRT_OK);
    unsigned long warn0 = srt_log_warning_count();
    CU_ASSERT_EQUAL(srt_journal_commit(w, &b, NULL), SRT_OK);
    srt_journal_batch_fini(&b);
    CU_ASSERT(srt_log_warning_count() > warn0);
    char *saved = read_torn_file(path, &n_torn);
    CU_ASSERT_EQUAL(n_torn, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(saved);
    CU_ASSERT_STRING_EQUAL(saved, torn);
    free(saved);
    char *text = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_fs_read_file(path, &text, NULL, NULL), SRT_OK);
    CU_ASSERT_PTR_NULL(strstr(text, "dead"));
    free(text);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s2"), 1);
    CU_ASSERT_EQUAL(srt_journal_lines_read(j), 2);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    /* a torn line glued to the next one (another tool's damage) is skipped */
    append_raw(path, "{\"op_code\": 0, \"wor{\"op_code\": 0, \"worker_id\": \"x\", "
                     "\"study_name\": \"s3\", \"directions\": [1]}\n"
                     "{\"op_code\": 0, \"worker_id\": \"x\", \"study_name\": \"s4\", "
                     "\"directions\": [1]}\n");
    CU_ASSERT_EQUAL(srt_journal_refresh(j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s3"), -1);
    CU_ASSERT_EQUAL(srt_journal_find_study(j, "s4"), 2);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 1);
    srt_journal_destroy(&j);
    srt_journal_destroy(&w);
    free(path);
}

static void python_json_with_nan_and_infinity_is_read(void)
{
    char *path = fresh_path("nan");
    append_raw(
        path, "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", \"directions\": [1]}\n"
              "{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 0, \"datetime_start\": "
              "\"2026-01-01T00:00:00.000000\"}\n"
              "{\"op_code\": 7, \"worker_id\": \"a\", \"trial_id\": 0, \"step\": 0, "
              "\"intermediate_value\": NaN}\n"
              "{\"op_code\": 7, \"worker_id\": \"a\", \"trial_id\": 0, \"step\": 1, "
              "\"intermediate_value\": -Infinity}\n"
              "{\"op_code\": 8, \"worker_id\": \"a\", \"trial_id\": 0, \"user_attr\": "
              "{\"s\": \"NaN Infinity\"}}\n");
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    const srt_trial_t *t = srt_journal_trial(j, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_EQUAL_FATAL(t->n_intermediate, 2);
    CU_ASSERT(isnan(t->intermediate[0].value));
    CU_ASSERT(isinf(t->intermediate[1].value) && t->intermediate[1].value < 0);
    CU_ASSERT_STRING_EQUAL(srt_trial_user_attr(t, "s"), "\"NaN Infinity\"");
    char buf[40];
    CU_ASSERT_STRING_EQUAL(srt_json_number(NAN, buf, sizeof buf), "NaN");
    CU_ASSERT_STRING_EQUAL(srt_json_number(-INFINITY, buf, sizeof buf), "-Infinity");
    CU_ASSERT_STRING_EQUAL(srt_json_number(1e-05, buf, sizeof buf), "1e-05");
    CU_ASSERT_STRING_EQUAL(srt_json_number(4.0, buf, sizeof buf), "4.0");
    CU_ASSERT_STRING_EQUAL(srt_json_number(0.1, buf, sizeof buf), "0.1");
    CU_ASSERT_EQUAL(strtod(srt_json_number(1.0 / 3, buf, sizeof buf), NULL), 1.0 / 3);
    srt_journal_destroy(&j);
    free(path);
}

static void incompatible_param_distribution_is_ignored(void)
{
    char *path = fresh_path("compat");
    append_raw(
        path, "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": \"s\", \"directions\": [1]}\n"
              "{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 0, \"datetime_start\": null}\n"
              "{\"op_code\": 4, \"worker_id\": \"a\", \"study_id\": 0, \"datetime_start\": null}\n"
              "{\"op_code\": 5, \"worker_id\": \"a\", \"trial_id\": 0, \"param_name\": \"x\", "
              "\"param_value_internal\": 1, \"distribution\": \"{\\\"name\\\": "
              "\\\"CategoricalDistribution\\\", \\\"attributes\\\": {\\\"choices\\\": [\\\"a\\\", "
              "\\\"b\\\"]}}\"}\n"
              "{\"op_code\": 5, \"worker_id\": \"a\", \"trial_id\": 1, \"param_name\": \"x\", "
              "\"param_value_internal\": 0, \"distribution\": \"{\\\"name\\\": "
              "\\\"CategoricalDistribution\\\", \\\"attributes\\\": {\\\"choices\\\": [\\\"a\\\", "
              "\\\"c\\\"]}}\"}\n");
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_trial(j, 0)->n_params, 1);
    CU_ASSERT_EQUAL(srt_journal_trial(j, 1)->n_params, 0);
    srt_journal_destroy(&j);
    free(path);
}

static void escapes_are_decoded_and_malformed_lines_skipped(void)
{
    char *path = fresh_path("scan");
    append_raw(path, "{\"op_code\": 0, \"worker_id\": \"a\", \"study_name\": "
                     "\"s\\\"q\\\\\\n\\u00e9\\ud83d\\ude00\", \"directions\": [1]}\n"
                     "{\"op_code\": 0,}\n"
                     "{\"op_code\": 0, \"study_name\": \"x\", \"directions\": [1]} trailing\n"
                     "[1, 2]\n"
                     "   \n"
                     "{\"op_code\": 0, \"study_name\": \"unterminated, \"directions\": [1]}\n"
                     "{\"op_code\":4,\"worker_id\":\"w\",\"study_id\":0,\"datetime_start\":null,"
                     "\"user_attrs\":{\"k\": [ 1 , {\"a\" : \"b\\\"c\"} , -2.5e-3 ]}}\n"
                     "{\"op_code\": 99, \"worker_id\": \"w\"}\n"
                     "{\"op_code\": 5, \"worker_id\": \"w\", \"trial_id\": 0}\n");
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_study_ids(j), 1);
    CU_ASSERT_STRING_EQUAL(srt_journal_study_name(j, 0), "s\"q\\\n\xc3\xa9\xf0\x9f\x98\x80");
    const srt_trial_t *t = srt_journal_trial(j, 0);
    CU_ASSERT_PTR_NOT_NULL_FATAL(t);
    CU_ASSERT_STRING_EQUAL(t->created_worker, "w");
    CU_ASSERT_STRING_EQUAL(srt_trial_user_attr(t, "k"), "[1,{\"a\":\"b\\\"c\"},-2.5e-3]");
    /* 4 unreadable lines, an unknown op code and a param without its fields */
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 6);
    CU_ASSERT_EQUAL(srt_journal_lines_read(j), 9);
    srt_journal_destroy(&j);
    free(path);
}

/* ------------------------------------------------------------------ locks */

static void stale_lock_is_broken_after_the_grace(void)
{
    char *path = fresh_path("stale");
    char lock[4200];
    snprintf(lock, sizeof lock, "%s.lock", path);
    CU_ASSERT_EQUAL(symlink(path, lock), 0);
    srt_lock_options_t o = srt_lock_options_default();
    o.grace_s = 0.2;
    o.max_wait_s = 30;
    unsigned long warn0 = srt_log_warning_count();
    CU_ASSERT_EQUAL(srt_journal_lock_acquire(path, &o, NULL), SRT_OK);
    CU_ASSERT(srt_log_warning_count() > warn0);
    struct stat st;
    CU_ASSERT_EQUAL(lstat(lock, &st), 0);
    CU_ASSERT(S_ISLNK(st.st_mode));
    CU_ASSERT_EQUAL(srt_journal_lock_release(path, NULL), SRT_OK);
    CU_ASSERT_NOT_EQUAL(lstat(lock, &st), 0);
    /* releasing a lock nobody holds is an error */
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_journal_lock_release(path, &err), SRT_ERR_IO);
    CU_ASSERT(strstr(err.file, "stale") != NULL);
    free(path);
}

static void held_lock_times_out_when_asked_to(void)
{
    char *path = fresh_path("held");
    srt_lock_options_t o = srt_lock_options_default();
    CU_ASSERT_EQUAL(srt_journal_lock_acquire(path, &o, NULL), SRT_OK);
    o.max_wait_s = 0.05;
    o.grace_s = 100;
    CU_ASSERT_EQUAL(srt_journal_lock_acquire(path, &o, NULL), SRT_ERR_LOCKED);
    CU_ASSERT_EQUAL(srt_journal_lock_release(path, NULL), SRT_OK);
    free(path);
}

static void lock_waits_with_backoff_while_another_process_holds_it(void)
{
    char *path = fresh_path("backoff");
    char *marker = fresh_path("marker");
    int go[2];
    CU_ASSERT_EQUAL_FATAL(pipe(go), 0);
    pid_t pid = fork();
    CU_ASSERT_FATAL(pid >= 0);
    if (pid == 0) {
        close(go[0]);
        if (srt_journal_lock_acquire(path, NULL, NULL) != SRT_OK)
            _exit(1);
        if (write(go[1], "x", 1) != 1)
            _exit(1);
        struct timespec ts = {0, 300 * 1000 * 1000};
        nanosleep(&ts, NULL);
        FILE *f = fopen(marker, "w");
        if (f)
            fclose(f);
        _exit(srt_journal_lock_release(path, NULL) == SRT_OK ? 0 : 1);
    }
    close(go[1]);
    char c;
    CU_ASSERT_EQUAL(read(go[0], &c, 1), 1);
    close(go[0]);
    CU_ASSERT_EQUAL(srt_journal_lock_acquire(path, NULL, NULL), SRT_OK);
    CU_ASSERT(srt_fs_is_file(marker)); /* we got it only after the child released it */
    CU_ASSERT_EQUAL(srt_journal_lock_release(path, NULL), SRT_OK);
    int status = 0;
    waitpid(pid, &status, 0);
    CU_ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    free(path);
    free(marker);
}

/* ------------------------------------------------------------------ study */

static srt_study_options_t opts_for(const char *path, const char *name)
{
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = name;
    o.seed = 42;
    o.sampler = "random";
    return o;
}

static void study_ask_report_tell_and_best(void)
{
    char *path = fresh_path("study");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "main");
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    for (int i = 0; i < 4; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
        CU_ASSERT_EQUAL(a.number, i);
        CU_ASSERT_EQUAL(a.from_waiting, 0);
        char want[64];
        snprintf(want, sizeof want, "trials/trial_%d", i);
        CU_ASSERT_STRING_EQUAL(a.run_dir, want);
        for (size_t k = 0; k < a.n; k++)
            CU_ASSERT(srt_param_contains(&space->params[k], a.x[k]));
        CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, 10.0 - i, NULL), SRT_OK);
        double v = 5.0 - i;
        srt_attr_t ua = {(char *)"per_eq", (char *)"[1.5, 2.5]"};
        CU_ASSERT_EQUAL(srt_study_tell(s, a.number,
                                       i == 3 ? SRT_TRIAL_STATE_PRUNED : SRT_TRIAL_STATE_COMPLETE,
                                       &v, &ua, 1, 0, NULL),
                        SRT_OK);
        srt_ask_fini(&a);
    }
    const srt_trial_t *best = srt_study_best_trial(s);
    CU_ASSERT_PTR_NOT_NULL_FATAL(best);
    CU_ASSERT_EQUAL(best->number, 2);
    const srt_trial_t *pr = srt_study_trial(s, 3);
    CU_ASSERT_EQUAL(pr->state, SRT_TRIAL_STATE_PRUNED);
    CU_ASSERT_DOUBLE_EQUAL(pr->values[0], 7.0, 0); /* its last intermediate value */
    CU_ASSERT_STRING_EQUAL(srt_trial_user_attr(pr, "per_eq"), "[1.5,2.5]");
    CU_ASSERT_PTR_NOT_NULL(srt_trial_user_attr(pr, "mutation_weights"));
    CU_ASSERT_PTR_NOT_NULL(srt_trial_system_attr(pr, "srtune:heartbeat"));
    /* a finished trial cannot be told again */
    double v = 1;
    CU_ASSERT_EQUAL(srt_study_tell(s, 0, SRT_TRIAL_STATE_COMPLETE, &v, NULL, 0, 0, NULL),
                    SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_study_report(s, 0, 2, 1.0, NULL), SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_study_tell(s, 99, SRT_TRIAL_STATE_COMPLETE, &v, NULL, 0, 0, NULL),
                    SRT_ERR_NOTFOUND);
    char *csv = fresh_path("trials");
    CU_ASSERT_EQUAL(srt_study_write_trials_csv(s, csv, NULL), SRT_OK);
    char *text = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(csv, &text, NULL, NULL), SRT_OK);
    CU_ASSERT(text && strncmp(text, "number,state,value,", 19) == 0);
    CU_ASSERT(text && strstr(text, "\n3,PRUNED,7,") != NULL);
    CU_ASSERT(text && strstr(text, ",mutation_weights.s1,mutation_weights.w_add,"
                                   "mutation_weights.w_del,mutation_weights.w_mut\n") != NULL);
    free(text);
    free(csv);
    srt_study_destroy(&s);

    /* reopening finds the study; another direction is a mismatch */
    CU_ASSERT_EQUAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_id(s), 0);
    srt_study_destroy(&s);
    o.minimize = 0;
    CU_ASSERT_EQUAL(srt_study_open(&o, space, &s, NULL), SRT_ERR_MISMATCH);
    CU_ASSERT_PTR_NULL(s);
    o.minimize = 1;
    o.sampler = "nope";
    CU_ASSERT_EQUAL(srt_study_open(&o, space, &s, NULL), SRT_ERR_CONFIG);
    srt_space_destroy(&space);
    free(path);
}

static void study_prunes_a_trial_worse_than_the_median(void)
{
    char *path = fresh_path("prune");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "pr");
    o.pruner = srt_pruner_default(SRT_PRUNER_MEDIAN);
    o.pruner.n_startup_trials = 2;
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    double done[2] = {1.0, 3.0};
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
        CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, done[i], NULL), SRT_OK);
        CU_ASSERT_FALSE(srt_study_should_prune(s, a.number)); /* not enough COMPLETE yet */
        CU_ASSERT_EQUAL(
            srt_study_tell(s, a.number, SRT_TRIAL_STATE_COMPLETE, &done[i], NULL, 0, 0, NULL),
            SRT_OK);
        srt_ask_fini(&a);
    }
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, 2.5, NULL), SRT_OK);
    CU_ASSERT_TRUE(srt_study_should_prune(s, a.number)); /* 2.5 > median 2 */
    CU_ASSERT_EQUAL(srt_study_tell(s, a.number, SRT_TRIAL_STATE_PRUNED, NULL, NULL, 0, 0, NULL),
                    SRT_OK);
    srt_ask_fini(&a);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, 1.5, NULL), SRT_OK);
    CU_ASSERT_FALSE(srt_study_should_prune(s, a.number));
    srt_ask_fini(&a);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int lock_exists(const char *path)
{
    char lock[4200];
    struct stat st;
    snprintf(lock, sizeof lock, "%s.lock", path);
    return lstat(lock, &st) == 0;
}

static void queued_reports_and_holds_batch_appends(void)
{
    char *path = fresh_path("queued");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "q");
    o.pruner = srt_pruner_default(SRT_PRUNER_MEDIAN);
    o.pruner.n_startup_trials = 2;
    o.report_delay_s = 60;
    srt_study_t *s = NULL, *other = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    double done[2] = {1.0, 3.0};
    for (int i = 0; i < 2; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
        long before = file_size(path);
        CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, done[i], NULL), SRT_OK);
        CU_ASSERT_EQUAL(file_size(path), before); /* only queued */
        CU_ASSERT_EQUAL(srt_study_n_queued(s), 1);
        CU_ASSERT_EQUAL(
            srt_study_tell(s, a.number, SRT_TRIAL_STATE_COMPLETE, &done[i], NULL, 0, 0, NULL),
            SRT_OK);
        CU_ASSERT_EQUAL(srt_study_n_queued(s), 0); /* written with the tell */
        srt_ask_fini(&a);
    }
    /* the pruner and a PRUNED tell see a queued value */
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_report(s, a.number, 1, 2.5, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_trial(s, a.number)->n_intermediate, 0);
    CU_ASSERT_TRUE(srt_study_should_prune(s, a.number)); /* 2.5 > median 2 */
    CU_ASSERT_EQUAL(srt_study_tell(s, a.number, SRT_TRIAL_STATE_PRUNED, NULL, NULL, 0, 0, NULL),
                    SRT_OK);
    const srt_trial_t *t = srt_study_trial(s, a.number);
    CU_ASSERT_EQUAL(t->state, SRT_TRIAL_STATE_PRUNED);
    CU_ASSERT_DOUBLE_EQUAL(t->values[0], 2.5, 0);
    CU_ASSERT_EQUAL(t->n_intermediate, 1);
    srt_ask_fini(&a);
    /* a flush waits for the delay unless forced */
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    long number = a.number;
    srt_ask_fini(&a);
    CU_ASSERT_EQUAL(srt_study_report(s, number, 1, 0.5, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_report(s, number, 2, 0.25, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_flush(s, 0, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_n_queued(s), 2);
    CU_ASSERT_EQUAL(srt_study_flush(s, 1, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_n_queued(s), 0);
    CU_ASSERT_EQUAL(srt_study_trial(s, number)->n_intermediate, 2);

    /* a hold keeps the lock from its first use to the release, not before */
    o.report_delay_s = 0;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &other, NULL), SRT_OK);
    srt_study_hold(s);
    CU_ASSERT_FALSE(lock_exists(path));
    CU_ASSERT_EQUAL(srt_study_report(s, number, 3, 0.125, NULL), SRT_OK); /* queued */
    CU_ASSERT_FALSE(lock_exists(path));
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_TRUE(lock_exists(path));
    long second = a.number;
    srt_ask_fini(&a);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(a.number, second + 1); /* the second ask saw the first */
    srt_ask_fini(&a);
    double v = 0.75;
    CU_ASSERT_EQUAL(srt_study_tell(s, second, SRT_TRIAL_STATE_COMPLETE, &v, NULL, 0, 0, NULL),
                    SRT_OK);
    CU_ASSERT_TRUE(lock_exists(path));
    CU_ASSERT_EQUAL(srt_study_release(s, NULL), SRT_OK);
    CU_ASSERT_FALSE(lock_exists(path));
    CU_ASSERT_EQUAL(srt_study_release(s, NULL), SRT_OK); /* nothing held: no-op */
    /* the other handle sees everything; it can append after the release */
    CU_ASSERT_EQUAL(srt_study_refresh(other, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_trial(other, number)->n_intermediate, 3);
    CU_ASSERT_EQUAL(srt_study_trial(other, second)->state, SRT_TRIAL_STATE_COMPLETE);
    CU_ASSERT_EQUAL(srt_study_trial(other, second + 1)->state, SRT_TRIAL_STATE_RUNNING);
    CU_ASSERT_EQUAL(srt_study_report(other, second + 1, 1, 9.0, NULL), SRT_OK);
    /* destroying a handle writes what it still queues */
    CU_ASSERT_EQUAL(srt_study_report(s, second + 1, 2, 8.0, NULL), SRT_OK);
    srt_study_destroy(&s);
    CU_ASSERT_EQUAL(srt_study_refresh(other, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_trial(other, second + 1)->n_intermediate, 2);
    srt_study_destroy(&other);
    srt_space_destroy(&space);
    free(path);
}

static void failed_trial_is_retried_as_a_waiting_copy(void)
{
    char *path = fresh_path("retry");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "r");
    o.max_retries = 2;
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    double x0[16];
    memcpy(x0, a.x, a.n * sizeof(double));
    CU_ASSERT_EQUAL(srt_study_tell(s, 0, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0, 1, NULL), SRT_OK);
    srt_ask_fini(&a);
    const srt_trial_t *c = srt_study_trial(s, 1);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_EQUAL(c->state, SRT_TRIAL_STATE_WAITING);
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "failed_trial"), "0");
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "retry_history"), "[0]");
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "srtune:run_dir"), "\"trials/trial_0\"");
    CU_ASSERT_PTR_NULL(srt_trial_system_attr(c, "srtune:heartbeat"));
    /* the next ask pops it: same params, same run directory */
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(a.number, 1);
    CU_ASSERT_EQUAL(a.from_waiting, 1);
    CU_ASSERT_EQUAL(a.retry_of, 0);
    CU_ASSERT_STRING_EQUAL(a.run_dir, "trials/trial_0");
    for (size_t k = 0; k < a.n; k++)
        CU_ASSERT_DOUBLE_EQUAL(a.x[k], x0[k], 0);
    CU_ASSERT_EQUAL(srt_study_tell(s, 1, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0, 1, NULL), SRT_OK);
    srt_ask_fini(&a);
    c = srt_study_trial(s, 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "failed_trial"), "0");
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "retry_history"), "[0,1]");
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(a.number, 2);
    CU_ASSERT_EQUAL(srt_study_tell(s, 2, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0, 1, NULL), SRT_OK);
    srt_ask_fini(&a);
    size_t n;
    srt_study_trials(s, &n);
    CU_ASSERT_EQUAL(n, 3); /* max_retries 2 reached: no third copy */
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static void interrupted_trial_is_retried_however_often_without_counting(void)
{
    char *path = fresh_path("retry-uncounted");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "u");
    o.max_retries = 1;
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    /* five clean interruptions: a copy each time, whatever max_retries says */
    for (long k = 0; k < 5; k++) {
        CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
        CU_ASSERT_EQUAL(a.number, k);
        CU_ASSERT_STRING_EQUAL(a.run_dir, "trials/trial_0");
        CU_ASSERT_EQUAL(srt_study_tell(s, k, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0,
                                       SRT_RETRY_UNCOUNTED, NULL),
                        SRT_OK);
        srt_ask_fini(&a);
        const srt_trial_t *c = srt_study_trial(s, k + 1);
        CU_ASSERT_PTR_NOT_NULL_FATAL(c);
        CU_ASSERT_EQUAL(c->state, SRT_TRIAL_STATE_WAITING);
        CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(c, "srtune:retries"), "0");
    }
    /* then counted failures: one retry (max_retries 1), then none */
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_tell(s, a.number, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0,
                                   SRT_RETRY_COUNTED, NULL),
                    SRT_OK);
    srt_ask_fini(&a);
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(srt_study_trial(s, 6), "srtune:retries"), "1");
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_tell(s, a.number, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0,
                                   SRT_RETRY_COUNTED, NULL),
                    SRT_OK);
    srt_ask_fini(&a);
    size_t n;
    srt_study_trials(s, &n);
    CU_ASSERT_EQUAL(n, 7); /* the counted limit is reached: no copy of trial 6 */
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static void lost_trial_with_an_old_heartbeat_is_failed_and_requeued(void)
{
    char *path = fresh_path("lost");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "l");
    o.heartbeat_grace_s = 600;
    srt_study_t *s = NULL;
    srt_ask_t a, b2;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &b2, NULL), SRT_OK);
    size_t nf = 99;
    CU_ASSERT_EQUAL(srt_study_fail_lost_trials(s, &nf, NULL), SRT_OK);
    CU_ASSERT_EQUAL(nf, 0);
    /* trial 0's heartbeat is 1000 s old (its coordinator died) */
    srt_journal_batch_t b;
    srt_journal_batch_init(&b);
    char old[64];
    snprintf(old, sizeof old, "%.6f", srt_time_wall() - 1000);
    CU_ASSERT_EQUAL(
        srt_journal_op_set_trial_attr(&b, "dead", a.trial_id, 1, "srtune:heartbeat", old), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_commit(srt_study_journal(s), &b, NULL), SRT_OK);
    srt_journal_batch_fini(&b);
    long both[2] = {0, 1};
    CU_ASSERT_EQUAL(srt_study_heartbeat(s, both + 1, 1, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_fail_lost_trials(s, &nf, NULL), SRT_OK);
    CU_ASSERT_EQUAL(nf, 1);
    CU_ASSERT_EQUAL(srt_study_trial(s, 0)->state, SRT_TRIAL_STATE_FAIL);
    CU_ASSERT_EQUAL(srt_study_trial(s, 1)->state, SRT_TRIAL_STATE_RUNNING);
    CU_ASSERT_EQUAL(srt_study_trial(s, 2)->state, SRT_TRIAL_STATE_WAITING);
    CU_ASSERT_STRING_EQUAL(srt_trial_system_attr(srt_study_trial(s, 2), "failed_trial"), "0");
    CU_ASSERT_EQUAL(srt_study_heartbeat(s, both, 2, NULL), SRT_OK); /* finished ones skipped */
    srt_ask_fini(&a);
    srt_ask_fini(&b2);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static void optuna_enqueued_fixed_params_are_used_when_popped(void)
{
    char *path = fresh_path("enqueue");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "e");
    srt_study_t *s = NULL;
    srt_ask_t a;
    append_raw(
        path,
        "{\"op_code\": 0, \"worker_id\": \"py\", \"study_name\": \"e\", \"directions\": [1]}\n"
        "{\"op_code\": 4, \"worker_id\": \"py\", \"study_id\": 0, \"datetime_start\": null, "
        "\"state\": 4, \"value\": null, \"values\": null, \"distributions\": {}, \"params\": "
        "{}, \"user_attrs\": {}, \"system_attrs\": {\"fixed_params\": {\"alpha\": 0.5, "
        "\"kind\": true, \"size\": 25}}, \"intermediate_values\": {}}\n");
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(a.number, 0);
    CU_ASSERT_EQUAL(a.from_waiting, 1);
    CU_ASSERT_DOUBLE_EQUAL(a.x[0], 0.5, 0);
    CU_ASSERT_DOUBLE_EQUAL(a.x[1], 25, 0);
    CU_ASSERT_DOUBLE_EQUAL(a.x[2], 2, 0);
    CU_ASSERT(a.x[3] > 0 && a.x[3] < 1);
    CU_ASSERT_STRING_EQUAL(a.run_dir, "trials/trial_0");
    const srt_trial_t *t = srt_study_trial(s, 0);
    CU_ASSERT_EQUAL(t->n_params, space->n_params);
    CU_ASSERT_EQUAL(t->state, SRT_TRIAL_STATE_RUNNING);
    srt_ask_fini(&a);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static void waiting_trial_with_a_run_dir_outside_the_study_gets_its_own(void)
{
    /* another tool's WAITING trials: a run_dir must never lead the runner
     * out of the output directory (it creates and removes directories there) */
    static const char *const bad[] = {"\"../../escape\"", "\"/abs/dir\"", "\"trials/../..\"",
                                      "\"trials/x y;rm -rf ~\"", "\"a\\nb\"", "\"\"",
                                      "\"trials//x\"", "\"trials/x/\"", "42", "null"};
    size_t n = sizeof bad / sizeof bad[0];
    char *path = fresh_path("rundir");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "r");
    srt_study_t *s = NULL;
    srt_ask_t a;
    append_raw(path, "{\"op_code\": 0, \"worker_id\": \"py\", \"study_name\": \"r\", "
                     "\"directions\": [1]}\n");
    for (size_t i = 0; i < n; i++) {
        char line[512];
        snprintf(line, sizeof line,
                 "{\"op_code\": 4, \"worker_id\": \"py\", \"study_id\": 0, \"datetime_start\": "
                 "null, \"state\": 4, \"value\": null, \"values\": null, \"distributions\": {}, "
                 "\"params\": {}, \"user_attrs\": {}, \"system_attrs\": {\"srtune:run_dir\": %s}, "
                 "\"intermediate_values\": {}}\n",
                 bad[i]);
        append_raw(path, line);
    }
    append_raw(path, "{\"op_code\": 4, \"worker_id\": \"py\", \"study_id\": 0, \"datetime_start\": "
                     "null, \"state\": 4, \"system_attrs\": {\"srtune:run_dir\": "
                     "\"trials/trial_0\"}}\n");
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    for (size_t i = 0; i <= n; i++) {
        CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
        CU_ASSERT_EQUAL(a.number, (long)i);
        CU_ASSERT_EQUAL(a.from_waiting, 1);
        char want[64];
        /* the last one is safe: a retry sharing trial 0's directory keeps it */
        snprintf(want, sizeof want, "trials/trial_%zu", i < n ? i : 0);
        CU_ASSERT_STRING_EQUAL(a.run_dir, want);
        srt_ask_fini(&a);
    }
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    free(path);
}

static void waiting_trial_popped_by_two_processes_has_one_winner(void)
{
    char *path = fresh_path("pop");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "p");
    srt_study_t *s = NULL;
    srt_ask_t a;
    CU_ASSERT_EQUAL_FATAL(srt_study_open(&o, space, &s, NULL), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(srt_study_ask(s, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_study_tell(s, 0, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0, 1, NULL), SRT_OK);
    srt_ask_fini(&a);
    srt_study_destroy(&s);
    int fds[2];
    CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
    pid_t kids[2];
    for (int k = 0; k < 2; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            close(fds[0]);
            srt_study_t *cs = NULL;
            srt_ask_t ca;
            long msg[2] = {-1, -1};
            if (srt_study_open(&o, space, &cs, NULL) == SRT_OK &&
                srt_study_ask(cs, &ca, NULL) == SRT_OK) {
                msg[0] = ca.number;
                msg[1] = ca.from_waiting;
                srt_ask_fini(&ca);
            }
            srt_study_destroy(&cs);
            _exit(write(fds[1], msg, sizeof msg) == (ssize_t)sizeof msg ? 0 : 1);
        }
    }
    close(fds[1]);
    long got[2][2];
    for (int k = 0; k < 2; k++)
        CU_ASSERT_EQUAL(read(fds[0], got[k], sizeof got[k]), (ssize_t)sizeof got[k]);
    close(fds[0]);
    for (int k = 0; k < 2; k++) {
        int st;
        waitpid(kids[k], &st, 0);
    }
    CU_ASSERT_EQUAL(got[0][1] + got[1][1], 1); /* exactly one popped the WAITING trial */
    CU_ASSERT_EQUAL(got[0][0] + got[1][0], 1 + 2);
    /* and the low-level rule: the first RUNNING line applied owns the trial */
    srt_journal_t *j = NULL;
    srt_journal_batch_t b;
    srt_journal_batch_init(&b);
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, "x", &j, NULL), SRT_OK);
    srt_trial_template_t tt;
    memset(&tt, 0, sizeof tt);
    tt.state = SRT_TRIAL_STATE_WAITING;
    CU_ASSERT_EQUAL(srt_journal_op_create_trial_template(&b, "x", 0, &tt), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_commit(j, &b, NULL), SRT_OK);
    long id = (long)srt_journal_n_trials(j) - 1;
    srt_journal_batch_reset(&b);
    CU_ASSERT_EQUAL(srt_journal_op_set_state(&b, "first", id, SRT_TRIAL_STATE_RUNNING, NULL, 0),
                    SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_op_set_state(&b, "second", id, SRT_TRIAL_STATE_RUNNING, NULL, 0),
                    SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_commit(j, &b, NULL), SRT_OK);
    CU_ASSERT_STRING_EQUAL(srt_journal_trial(j, id)->running_worker, "first");
    srt_journal_batch_fini(&b);
    srt_journal_destroy(&j);
    srt_space_destroy(&space);
    free(path);
}

static void two_processes_creating_a_study_end_with_one(void)
{
    char *path = fresh_path("create");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "same");
    pid_t kids[3];
    for (int k = 0; k < 3; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            srt_study_t *cs = NULL;
            srt_ask_t ca;
            int ok = srt_study_open(&o, space, &cs, NULL) == SRT_OK &&
                     srt_study_ask(cs, &ca, NULL) == SRT_OK;
            if (ok)
                srt_ask_fini(&ca);
            srt_study_destroy(&cs);
            _exit(ok ? 0 : 1);
        }
    }
    for (int k = 0; k < 3; k++) {
        int st = 0;
        waitpid(kids[k], &st, 0);
        CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_journal_n_study_ids(j), 1);
    size_t n;
    const srt_trial_t *const *t = srt_journal_study_trials(j, 0, &n);
    CU_ASSERT_EQUAL(n, 3);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(t[i]->number, (long)i);
    srt_journal_destroy(&j);
    srt_space_destroy(&space);
    free(path);
}

static void concurrent_writers_lose_no_line(void)
{
    char *path = fresh_path("many");
    srt_space_t *space = small_space();
    srt_study_options_t o = opts_for(path, "c");
    enum { KIDS = 3, PER = 15 };
    pid_t kids[KIDS];
    for (int k = 0; k < KIDS; k++) {
        kids[k] = fork();
        if (kids[k] == 0) {
            srt_study_t *cs = NULL;
            int ok = srt_study_open(&o, space, &cs, NULL) == SRT_OK;
            for (int i = 0; ok && i < PER; i++) {
                srt_ask_t ca;
                ok = srt_study_ask(cs, &ca, NULL) == SRT_OK;
                if (!ok)
                    break;
                double v = (double)ca.number;
                ok = srt_study_report(cs, ca.number, 1, v, NULL) == SRT_OK &&
                     srt_study_tell(cs, ca.number, SRT_TRIAL_STATE_COMPLETE, &v, NULL, 0, 0,
                                    NULL) == SRT_OK;
                srt_ask_fini(&ca);
            }
            srt_study_destroy(&cs);
            _exit(ok ? 0 : 1);
        }
    }
    for (int k = 0; k < KIDS; k++) {
        int st = 0;
        waitpid(kids[k], &st, 0);
        CU_ASSERT(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    }
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    size_t n;
    const srt_trial_t *const *t = srt_journal_study_trials(j, 0, &n);
    CU_ASSERT_EQUAL(n, KIDS * PER);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(t[i]->state, SRT_TRIAL_STATE_COMPLETE);
        CU_ASSERT_EQUAL(t[i]->n_intermediate, 1);
        CU_ASSERT(t[i]->n_values == 1 && t[i]->values[0] == (double)i);
    }
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    srt_journal_destroy(&j);
    srt_space_destroy(&space);
    free(path);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"every_op_code_round_trips_through_the_file", every_op_code_round_trips_through_the_file},
        {"replay_ignores_ops_on_finished_or_unknown_trials",
         replay_ignores_ops_on_finished_or_unknown_trials},
        {"first_create_study_line_for_a_name_wins", first_create_study_line_for_a_name_wins},
        {"unterminated_last_line_is_read_once_complete",
         unterminated_last_line_is_read_once_complete},
        {"torn_tail_is_moved_aside_and_cut_before_the_next_append",
         torn_tail_is_moved_aside_and_cut_before_the_next_append},
        {"python_json_with_nan_and_infinity_is_read", python_json_with_nan_and_infinity_is_read},
        {"incompatible_param_distribution_is_ignored", incompatible_param_distribution_is_ignored},
        {"escapes_are_decoded_and_malformed_lines_skipped",
         escapes_are_decoded_and_malformed_lines_skipped},
        {"stale_lock_is_broken_after_the_grace", stale_lock_is_broken_after_the_grace},
        {"held_lock_times_out_when_asked_to", held_lock_times_out_when_asked_to},
        {"lock_waits_with_backoff_while_another_process_holds_it",
         lock_waits_with_backoff_while_another_process_holds_it},
        {"study_ask_report_tell_and_best", study_ask_report_tell_and_best},
        {"study_prunes_a_trial_worse_than_the_median", study_prunes_a_trial_worse_than_the_median},
        {"queued_reports_and_holds_batch_appends", queued_reports_and_holds_batch_appends},
        {"failed_trial_is_retried_as_a_waiting_copy", failed_trial_is_retried_as_a_waiting_copy},
        {"interrupted_trial_is_retried_however_often_without_counting",
         interrupted_trial_is_retried_however_often_without_counting},
        {"lost_trial_with_an_old_heartbeat_is_failed_and_requeued",
         lost_trial_with_an_old_heartbeat_is_failed_and_requeued},
        {"optuna_enqueued_fixed_params_are_used_when_popped",
         optuna_enqueued_fixed_params_are_used_when_popped},
        {"waiting_trial_with_a_run_dir_outside_the_study_gets_its_own",
         waiting_trial_with_a_run_dir_outside_the_study_gets_its_own},
        {"waiting_trial_popped_by_two_processes_has_one_winner",
         waiting_trial_popped_by_two_processes_has_one_winner},
        {"two_processes_creating_a_study_end_with_one",
         two_processes_creating_a_study_end_with_one},
        {"concurrent_writers_lose_no_line", concurrent_writers_lose_no_line},
        {NULL, NULL}};
    return srt_test_main("study_journal", cases);
}
