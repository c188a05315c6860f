/* Unit tests for runner/: the equation x run loop, run-level resume, failure
 * policy, pruning and the scalars reader, with a fake run function. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/runner.h"
#include "testutil.h"

typedef struct {
    int calls;           /* runs actually computed */
    int stop_after;      /* raise the stop flag after this many calls (0: never) */
    volatile sig_atomic_t *stop;
    long fail_eq;        /* equation index whose run 1 fails (-1: none) */
    int saw_checkpoint;  /* a run found a checkpoint file in its directory */
} fake_t;

static double fake_value(const srt_run_spec_t *spec)
{
    return (double)(spec->search_seed % 1000) / 1000.0 + (double)spec->eq_index;
}

static srt_rc fake_run(void *ctx, const srt_run_spec_t *spec, const volatile sig_atomic_t *stop,
                       double *pv, srt_err_t *err)
{
    fake_t *f = ctx;
    (void)stop;
    char *ck = srt_path_join(spec->run_dir, SRT_RUN_CHECKPOINT_FILE);
    if (srt_fs_is_file(ck))
        f->saw_checkpoint = 1;
    free(ck);
    f->calls++;
    if (spec->eq_index == f->fail_eq && spec->run == 1)
        return srt_err_set(err, SRT_ERR_DATA, spec->run_dir, NULL, 0, "NaN in data \"x\"");
    double v = fake_value(spec);
    char text[256];
    /* pareto_volume deliberately not the first column: readers go by name */
    int n = snprintf(text, sizeof text,
                     "timestamp,step,min_loss,pareto_volume,num_evals\n1,1,0.5,0.25,10\n"
                     "2,2,0.1,%.17g,20\n",
                     v);
    char *path = srt_path_join(spec->run_dir, SRT_RUN_SCALARS_FILE);
    srt_rc rc = srt_fs_write_atomic(path, text, (size_t)n, err);
    free(path);
    *pv = v;
    if (f->stop_after && f->calls >= f->stop_after)
        *f->stop = 1;
    return rc;
}

static const long equations[] = {0, 4, 7};

static srt_runner_config_t make_config(const char *trial, fake_t *fake,
                                       volatile sig_atomic_t *stop)
{
    srt_runner_config_t cfg = {0};
    cfg.trial_dir = trial;
    cfg.dataset = "feynman";
    cfg.equations = equations;
    cfg.n_equations = 3;
    cfg.n_runs = 2;
    cfg.study_seed = 42;
    cfg.on_run_error = SRT_ON_RUN_ERROR_FAIL_TRIAL;
    cfg.failure_value = 0.0;
    cfg.run = fake_run;
    cfg.run_ctx = fake;
    cfg.stop = stop;
    fake->stop = stop;
    fake->fail_eq = -1;
    return cfg;
}

static double expected_trial_value(void)
{
    double sum = 0;
    for (int e = 0; e < 3; e++) {
        double s = 0;
        for (long r = 0; r < 2; r++) {
            srt_run_spec_t spec = {0};
            spec.eq_index = equations[e];
            spec.search_seed = srt_seed_derive(42, "search", "feynman", equations[e], r);
            s += fake_value(&spec);
        }
        sum += s / 2;
    }
    return sum / 3;
}

static void trial_runs_every_equation_and_run_once(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_all");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    double eq[3], value;
    srt_work_status_t st;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_COMPLETE);
    CU_ASSERT_EQUAL(fake.calls, 6);
    CU_ASSERT_DOUBLE_EQUAL(value, expected_trial_value(), 1e-15);
    char *f = srt_path_join(trial, "feynman_eq7_run1/tensorboard_scalars.csv");
    CU_ASSERT(srt_fs_is_file(f));
    free(f);
    /* a second call reuses everything */
    fake.calls = 0;
    double value2;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value2, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(fake.calls, 0);
    CU_ASSERT_EQUAL(value2, value);
    srt_trial_progress_t prog;
    CU_ASSERT_EQUAL(srt_runner_scan(&cfg, &prog, &err), SRT_OK);
    CU_ASSERT_EQUAL(prog.runs_done, 6);
    CU_ASSERT_EQUAL(prog.runs_total, 6);
    CU_ASSERT_EQUAL(prog.equations_done, 3);
    free(trial);
}

static void interrupted_trial_resumes_without_redoing_finished_runs(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_resume");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    fake.stop_after = 3;
    double eq[3], value;
    srt_work_status_t st;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_INTERRUPTED);
    CU_ASSERT_EQUAL(fake.calls, 3);
    /* an attempt that died mid-run leaves a directory without the final file */
    char *partial = srt_path_join(trial, "feynman_eq4_run1");
    char *junk = srt_path_join(partial, "tensorboard_scalars.csv.partial");
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(partial, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(junk, "timestamp\n", 10, &err), SRT_OK);
    stop = 0;
    fake.stop_after = 0;
    fake.calls = 0;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_COMPLETE);
    CU_ASSERT_EQUAL(fake.calls, 3);
    CU_ASSERT_FALSE(srt_fs_is_file(junk));
    CU_ASSERT_DOUBLE_EQUAL(value, expected_trial_value(), 1e-15);
    CU_ASSERT_EQUAL(value, expected_trial_value());
    free(junk);
    free(partial);
    free(trial);
}

static void run_with_checkpoint_is_resumed_not_removed(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_ckpt");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    srt_err_t err;
    char *dir = srt_path_join(trial, "feynman_eq0_run0");
    char *ck = srt_path_join(dir, SRT_RUN_CHECKPOINT_FILE);
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(dir, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(ck, "state", 5, &err), SRT_OK);
    double v;
    srt_work_status_t st;
    CU_ASSERT_EQUAL(srt_runner_run_equation(&cfg, 0, &v, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_COMPLETE);
    CU_ASSERT(fake.saw_checkpoint);
    free(ck);
    free(dir);
    free(trial);
}

static void corrupt_scalars_file_is_kept_aside_and_the_run_redone(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_corrupt");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    srt_err_t err;
    char *dir = srt_path_join(trial, "feynman_eq0_run1");
    char *f = srt_path_join(dir, SRT_RUN_SCALARS_FILE);
    char *aside = srt_path_join(trial, "feynman_eq0_run1.corrupt-scalars.csv");
    const char *garbage = "timestamp,step,pareto_volume\n1,1,not-a-number\n";
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(dir, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, garbage, strlen(garbage), &err), SRT_OK);
    double pv;
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_ERR_DATA);
    CU_ASSERT_EQUAL(err.line, 2);
    CU_ASSERT(strstr(err.msg, "pareto_volume") != NULL);
    unsigned long warned = srt_log_warning_count();
    double v;
    srt_work_status_t st;
    CU_ASSERT_EQUAL(srt_runner_run_equation(&cfg, 0, &v, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(fake.calls, 2);
    CU_ASSERT(srt_log_warning_count() > warned);
    char *kept = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(aside, &kept, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(kept, garbage);
    free(kept);
    /* corrupt again: the first corrupt file stays, the second goes beside it */
    const char *torn = "timestamp,step,pareto_volume\n1,1";
    char *aside1 = srt_path_join(trial, "feynman_eq0_run1.corrupt-scalars.1.csv");
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, torn, strlen(torn), &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_run_equation(&cfg, 0, &v, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(fake.calls, 3);
    CU_ASSERT_EQUAL(srt_fs_read_file(aside, &kept, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(kept, garbage);
    free(kept);
    kept = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(aside1, &kept, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(kept, torn);
    free(kept);
    free(aside1);
    free(aside);
    free(f);
    free(dir);
    free(trial);
}

static void failed_run_fails_the_trial_and_is_recorded(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_fail");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    fake.fail_eq = 4;
    double eq[3], value;
    srt_work_status_t st;
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_FAILED);
    CU_ASSERT(strstr(err.msg, "NaN in data") != NULL);
    char *info = srt_path_join(trial, "feynman_eq4_run1/run.json");
    char *text = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(info, &text, NULL, &err), SRT_OK);
    CU_ASSERT(text && strstr(text, "\"status\": \"failed\"") != NULL);
    CU_ASSERT(text && strstr(text, "NaN in data \\\"x\\\"") != NULL);
    free(text);
    free(info);
    free(trial);
}

static void failed_run_counts_as_failure_value_when_configured(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_failvalue");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    fake.fail_eq = 4;
    cfg.on_run_error = SRT_ON_RUN_ERROR_VALUE;
    cfg.failure_value = -1.0;
    double eq[3], value;
    srt_work_status_t st;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_COMPLETE);
    srt_run_spec_t spec = {0};
    spec.eq_index = 4;
    spec.search_seed = srt_seed_derive(42, "search", "feynman", 4, 0);
    CU_ASSERT_DOUBLE_EQUAL(eq[1], (fake_value(&spec) + -1.0) / 2, 1e-15);
    free(trial);
}

static int prune_after_two(void *ctx, size_t pos, double v, double mean, size_t done)
{
    (void)ctx;
    (void)pos;
    (void)v;
    (void)mean;
    return done >= 2;
}

static void equation_callback_can_prune_the_trial(void)
{
    char *trial = srt_path_join(srt_test_tmpdir(), "t_prune");
    fake_t fake = {0};
    volatile sig_atomic_t stop = 0;
    srt_runner_config_t cfg = make_config(trial, &fake, &stop);
    cfg.on_equation = prune_after_two;
    double eq[3], value;
    srt_work_status_t st;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_WORK_PRUNED);
    CU_ASSERT_EQUAL(fake.calls, 4);
    CU_ASSERT(isnan(eq[2]));
    CU_ASSERT_DOUBLE_EQUAL(value, (eq[0] + eq[1]) / 2, 1e-15);
    free(trial);
}

static void scalars_reader_rejects_missing_column_and_empty_file(void)
{
    srt_err_t err;
    char *dir = srt_path_join(srt_test_tmpdir(), "reader");
    char *f = srt_path_join(dir, SRT_RUN_SCALARS_FILE);
    double pv;
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(dir, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_ERR_NOTFOUND);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, "a,b\n1,2\n", 8, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_ERR_DATA);
    CU_ASSERT(strstr(err.msg, "no 'pareto_volume' column") != NULL);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, "", 0, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_ERR_DATA);
    const char *ok = "step,pareto_volume\r\n1,0.5\r\n2,0.75\r\n\r\n";
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, ok, strlen(ok), &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_OK);
    CU_ASSERT_EQUAL(pv, 0.75);
    /* a file cut short inside its last row is not a finished run, even when
     * the pareto_volume field of the torn row parses */
    const char *torn = "step,pareto_volume,num_evals\n1,0.5,10\n2,0.75";
    CU_ASSERT_EQUAL(srt_fs_write_atomic(f, torn, strlen(torn), &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_runner_read_final_pv(dir, &pv, &err), SRT_ERR_DATA);
    CU_ASSERT_EQUAL(err.line, 3);
    CU_ASSERT(strstr(err.msg, "expected 3 fields as in the header, got 2") != NULL);
    free(f);
    free(dir);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"trial_runs_every_equation_and_run_once", trial_runs_every_equation_and_run_once},
        {"interrupted_trial_resumes_without_redoing_finished_runs",
         interrupted_trial_resumes_without_redoing_finished_runs},
        {"run_with_checkpoint_is_resumed_not_removed", run_with_checkpoint_is_resumed_not_removed},
        {"corrupt_scalars_file_is_kept_aside_and_the_run_redone",
         corrupt_scalars_file_is_kept_aside_and_the_run_redone},
        {"failed_run_fails_the_trial_and_is_recorded", failed_run_fails_the_trial_and_is_recorded},
        {"failed_run_counts_as_failure_value_when_configured",
         failed_run_counts_as_failure_value_when_configured},
        {"equation_callback_can_prune_the_trial", equation_callback_can_prune_the_trial},
        {"scalars_reader_rejects_missing_column_and_empty_file",
         scalars_reader_rejects_missing_column_and_empty_file},
        {NULL, NULL}};
    return srt_test_main("runner", cases);
}
