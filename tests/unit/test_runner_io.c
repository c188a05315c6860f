/* Unit tests for runner/ under I/O faults (docs/reliability.md): an I/O error
 * of the environment in a run is SRT_WORK_IO_ERROR, never a failed run and
 * never failure_value; once the fault is gone the trial resumes to the value
 * of an uninterrupted one without recomputing a finished run. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/runner.h"
#include "testutil.h"

typedef struct {
    int calls; /* runs computed */
} fake_t;

static double fake_value(const srt_run_spec_t *spec)
{
    return (double)(spec->search_seed % 1000) / 1000.0 + (double)spec->eq_index;
}

/* Writes the final scalars file atomically, as the engine's last step does. */
static srt_rc fake_run(void *ctx, const srt_run_spec_t *spec, const volatile sig_atomic_t *stop,
                       double *pv, srt_err_t *err)
{
    fake_t *f = ctx;
    (void)stop;
    f->calls++;
    double v = fake_value(spec);
    char text[128];
    int n = snprintf(text, sizeof text, "step,pareto_volume\n1,%.17g\n", v);
    char *path = srt_path_join(spec->run_dir, SRT_RUN_SCALARS_FILE);
    srt_rc rc = srt_fs_write_atomic(path, text, (size_t)n, err);
    free(path);
    *pv = v;
    return rc;
}

static const long equations[] = {0, 4};

static srt_runner_config_t make_config(const char *trial, fake_t *fake, volatile sig_atomic_t *stop)
{
    srt_runner_config_t cfg = {0};
    cfg.trial_dir = trial;
    cfg.dataset = "feynman";
    cfg.equations = equations;
    cfg.n_equations = 2;
    cfg.n_runs = 2;
    cfg.study_seed = 42;
    cfg.on_run_error = SRT_ON_RUN_ERROR_VALUE; /* an I/O error must not become -7 */
    cfg.failure_value = -7.0;
    cfg.run = fake_run;
    cfg.run_ctx = fake;
    cfg.stop = stop;
    return cfg;
}

static double expected_trial_value(void)
{
    double sum = 0;
    for (int e = 0; e < 2; e++) {
        double s = 0;
        for (long r = 0; r < 2; r++) {
            srt_run_spec_t spec = {0};
            spec.eq_index = equations[e];
            spec.search_seed = srt_seed_derive(42, "search", "feynman", equations[e], r);
            s += fake_value(&spec);
        }
        sum += s / 2;
    }
    return sum / 2;
}

static void environment_errors_are_classified(void)
{
    static const int env[] = {ENOSPC, EDQUOT, EFBIG, EIO, EROFS, EACCES, EPERM};
    srt_err_t err;
    for (size_t i = 0; i < sizeof env / sizeof env[0]; i++) {
        errno = env[i];
        srt_err_set(&err, SRT_ERR_IO, "f", NULL, 0, "write failed: %s", strerror(env[i]));
        CU_ASSERT(srt_err_is_environment(&err));
        CU_ASSERT_EQUAL(err.sys_errno, env[i]);
    }
    errno = ENOENT;
    srt_err_set(&err, SRT_ERR_IO, "f", NULL, 0, "cannot open");
    CU_ASSERT(!srt_err_is_environment(&err));
    errno = ENOSPC; /* a stale errno does not make a data error one */
    srt_err_set(&err, SRT_ERR_DATA, "f", NULL, 0, "NaN in data");
    CU_ASSERT(!srt_err_is_environment(&err));
    CU_ASSERT(!srt_err_is_environment(NULL));
}

/* The k-th fault point of the trial fails with ENOSPC (and every later one):
 * the runner reports SRT_WORK_IO_ERROR with the file and the error, records
 * no failed run; without the fault the trial ends with the uninterrupted
 * value, reusing every run that had finished. Walks k over every point. */
static void io_error_in_a_run_stops_the_trial_and_resumes_to_the_same_value(void)
{
    if (!srt_fs_fault_hooks_enabled()) {
        fprintf(stderr, "skipped: this build has no fault hooks\n");
        return;
    }
    double want = expected_trial_value();
    for (long k = 1; k <= 40; k++) {
        char name[64];
        snprintf(name, sizeof name, "t_io_%ld", k);
        char *trial = srt_path_join(srt_test_tmpdir(), name);
        fake_t fake = {0};
        volatile sig_atomic_t stop = 0;
        srt_runner_config_t cfg = make_config(trial, &fake, &stop);
        double eq[2], value;
        srt_work_status_t st;
        srt_err_t err;
        srt_err_clear(&err);
        srt_fs_fault_arm(k, 0, ENOSPC);
        srt_rc rc = srt_runner_run_trial(&cfg, eq, &value, &st, &err);
        srt_fs_fault_arm(0, 0, 0);
        int faulted = rc != SRT_OK || st != SRT_WORK_COMPLETE;
        if (faulted) {
            /* a runner step (mkdir) returns the error; a run's is the status */
            CU_ASSERT(rc != SRT_OK ? srt_err_is_environment(&err) : st == SRT_WORK_IO_ERROR);
            CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "No space left on device"));
            CU_ASSERT(strncmp(err.file, trial, strlen(trial)) == 0);
            CU_ASSERT(isnan(value) || value != -7.0);
        }
        int before = fake.calls;
        srt_trial_progress_t prog;
        CU_ASSERT_EQUAL(srt_runner_scan(&cfg, &prog, NULL), SRT_OK);
        srt_err_clear(&err);
        CU_ASSERT_EQUAL(srt_runner_run_trial(&cfg, eq, &value, &st, &err), SRT_OK);
        CU_ASSERT_EQUAL(st, SRT_WORK_COMPLETE);
        CU_ASSERT_EQUAL(value, want);
        /* only the runs not finished before were computed */
        CU_ASSERT_EQUAL(fake.calls - before, 4 - (int)prog.runs_done);
        free(trial);
        if (!faulted)
            break; /* k is past the trial's last fault point */
    }
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"environment_errors_are_classified", environment_errors_are_classified},
        {"io_error_in_a_run_stops_the_trial_and_resumes_to_the_same_value",
         io_error_in_a_run_stops_the_trial_and_resumes_to_the_same_value},
        {NULL, NULL}};
    return srt_test_main("runner_io", cases);
}
