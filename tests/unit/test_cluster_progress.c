/* Unit tests for the progress line's text and mode (dist/progress.c). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/progress.h"
#include "testutil.h"

static srt_progress_t line_of(size_t goal, size_t done, size_t runs_done, size_t runs_total)
{
    srt_progress_t p;
    memset(&p, 0, sizeof p);
    p.trials_goal = goal;
    p.done = done;
    p.runs_done = runs_done;
    p.runs_total = runs_total;
    p.best = NAN;
    return p;
}

static void interrupted_trials_are_their_own_count(void)
{
    char buf[512];
    srt_progress_t p = line_of(20, 4, 32, 120);
    p.failed = 1;
    p.interrupted = 2;
    p.pruned = 3;
    srt_progress_format(&p, 0, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "trials 4/20 (3 pruned, 1 failed, 2 interrupted)"));
    p.interrupted = 0;
    srt_progress_format(&p, 0, buf, sizeof buf);
    CU_ASSERT_PTR_NULL(strstr(buf, "interrupted"));
}

static void a_done_study_has_eta_done_and_all_its_runs(void)
{
    char buf[512];
    /* pruned trials ran fewer runs than planned: 20 of 24 is everything */
    srt_progress_t p = line_of(6, 6, 20, 24);
    p.runs_new = 10;
    p.start = 0;
    srt_progress_format(&p, 3.0, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "runs 20/20"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "ETA done"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "[########################]"));
    /* under way: the ETA from this launch's rate (10 runs in 3 s, 4 left) */
    p = line_of(6, 4, 20, 24);
    p.runs_new = 10;
    srt_progress_format(&p, 3.0, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "runs 20/24  ETA 1s"));
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "best --"));
    p.best = 7.5;
    p.note = "stopping...";
    srt_progress_format(&p, 3.0, buf, sizeof buf);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, "best 7.5  stopping..."));
}

static void the_mode_comes_from_the_environment(void)
{
    unsetenv("SRTUNE_NO_PROGRESS");
    setenv("SRTUNE_PROGRESS", "always", 1);
    CU_ASSERT_EQUAL(srt_progress_mode(), SRT_PROGRESS_ALWAYS);
    CU_ASSERT_TRUE(srt_progress_wanted());
    setenv("SRTUNE_PROGRESS", "never", 1);
    CU_ASSERT_EQUAL(srt_progress_mode(), SRT_PROGRESS_NEVER);
    CU_ASSERT_FALSE(srt_progress_wanted());
    setenv("SRTUNE_PROGRESS", "auto", 1);
    CU_ASSERT_EQUAL(srt_progress_mode(), SRT_PROGRESS_AUTO);
    setenv("SRTUNE_NO_PROGRESS", "1", 1); /* the older name */
    CU_ASSERT_EQUAL(srt_progress_mode(), SRT_PROGRESS_NEVER);
    setenv("SRTUNE_PROGRESS", "always", 1); /* the new name wins */
    CU_ASSERT_EQUAL(srt_progress_mode(), SRT_PROGRESS_ALWAYS);
    unsetenv("SRTUNE_PROGRESS");
    unsetenv("SRTUNE_NO_PROGRESS");
}

static void interrupted_means_fail_with_the_interrupted_error(void)
{
    srt_attr_t attr = {(char *)"srtune:error", (char *)"\"interrupted\""};
    srt_trial_t t;
    memset(&t, 0, sizeof t);
    t.state = SRT_TRIAL_STATE_FAIL;
    t.user_attrs = &attr;
    t.n_user_attrs = 1;
    CU_ASSERT_TRUE(srt_progress_trial_interrupted(&t));
    attr.json = (char *)"\"SR run failed: NaN in the data\"";
    CU_ASSERT_FALSE(srt_progress_trial_interrupted(&t));
    attr.json = (char *)"\"interrupted\"";
    t.state = SRT_TRIAL_STATE_COMPLETE;
    CU_ASSERT_FALSE(srt_progress_trial_interrupted(&t));
    t.state = SRT_TRIAL_STATE_FAIL;
    t.n_user_attrs = 0; /* a lost trial (heartbeat expired) carries no error */
    CU_ASSERT_FALSE(srt_progress_trial_interrupted(&t));
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"interrupted_trials_are_their_own_count", interrupted_trials_are_their_own_count},
        {"a_done_study_has_eta_done_and_all_its_runs", a_done_study_has_eta_done_and_all_its_runs},
        {"the_mode_comes_from_the_environment", the_mode_comes_from_the_environment},
        {"interrupted_means_fail_with_the_interrupted_error",
         interrupted_means_fail_with_the_interrupted_error},
        {NULL, NULL}};
    return srt_test_main("dist_progress", cases);
}
