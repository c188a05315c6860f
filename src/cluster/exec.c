/* One equation of one trial on this process: see exec.h. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/exec.h"

srt_rc srt_exec_init(srt_exec_t *x, const srt_config_t *cfg, const srt_catalogue_t *cat,
                     const size_t *equations, size_t n_equations, srt_err_t *err)
{
    memset(x, 0, sizeof *x);
    x->cfg = cfg;
    x->cat = cat;
    x->n_equations = n_equations;
    x->quiet = 1;
    const char *fake = getenv("SRTUNE_FAKE_SR_SECONDS");
    x->fake_seconds = fake ? strtod(fake, NULL) : 0.0;
    x->equations = malloc(n_equations * sizeof *x->equations);
    if (!x->equations)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    for (size_t i = 0; i < n_equations; i++)
        x->equations[i] = cfg->dataset.kind == SRT_DATASET_FILES ? -1 : (long)equations[i];
    if (cfg->dataset.kind == SRT_DATASET_FILES)
        x->datasets = (const char *const *)cfg->dataset.ids.items;
    if (cfg->dataset.kind == SRT_DATASET_CSV)
        return srt_dataset_load_csv(cfg->dataset.path, cfg->dataset.target, &x->csv, err);
    return SRT_OK;
}

void srt_exec_fini(srt_exec_t *x)
{
    if (!x)
        return;
    free(x->equations);
    srt_dataset_destroy(&x->csv);
    memset(x, 0, sizeof *x);
}

srt_rc srt_exec_options(const srt_exec_t *x, const srt_msg_work_t *work, srt_sr_options_t *out,
                        srt_err_t *err)
{
    *out = x->cfg->model;
    for (uint32_t i = 0; i < work->n_params; i++) {
        const srt_sr_option_info_t *info = srt_sr_option_find(work->params[i].name);
        if (!info)
            return srt_err_set(err, SRT_ERR_PROTOCOL, NULL, NULL, 0,
                               "trial %lld: unknown SR option '%s'", (long long)work->trial,
                               work->params[i].name);
        srt_sr_option_set(out, info, work->params[i].value);
    }
    return SRT_OK;
}

typedef struct {
    srt_exec_t *x;          /* executor */
    srt_sr_options_t opts;  /* the trial's SR options */
} run_ctx_t;

/* Benchmark stand-in with a known ground truth (tools/bench/racing), enabled
 * by SRTUNE_FAKE_SR_TRUTH=1 with SRTUNE_FAKE_SR_SECONDS: the value of a run is
 *   effect(parsimony, population_size, annealing) + difficulty(equation)
 *   + 0.05 * difficulty * (log10(parsimony) + 3) + N(0, 0.1)
 * with effect = 1 - 0.15 (log10(parsimony) + 3)^2 - 0.002 (population_size - 20)^2
 * + 0.1 annealing, difficulty sin(2.39996 * equation index) (in [-1, 1], spread
 * by the golden angle), and the noise drawn from a hash of the run's search seed and
 * these options (as a real run's value depends on its seed and options
 * only), so it differs between configs and repeats after a resume. tools/bench/racing computes the same formula. */
static double fake_truth_value(const srt_sr_options_t *o, const srt_run_spec_t *spec)
{
    double lp = log10(o->parsimony > 0 ? o->parsimony : 1e-12) + 3;
    double effect = 1 - 0.15 * lp * lp -
                    0.002 * ((double)o->population_size - 20) * ((double)o->population_size - 20) +
                    0.1 * (o->annealing ? 1 : 0);
    double difficulty = sin(2.3999632297286531 * (double)spec->eq_index); /* golden angle */
    /* noise from what a real run's value depends on: its seed and options */
    double key[4] = {(double)spec->search_seed, o->parsimony, (double)o->population_size,
                     (double)o->annealing};
    uint64_t st = srt_hash64(key, sizeof key, 0x401e);
    double u1 = ((double)(srt_splitmix64(&st) >> 11) + 0.5) * 0x1.0p-53;
    double u2 = (double)(srt_splitmix64(&st) >> 11) * 0x1.0p-53;
    double noise = 0.1 * sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
    return effect + difficulty + 0.05 * difficulty * lp + noise;
}

/* Benchmark stand-in for the engine (tools/bench/dist): sleeps, then writes a
 * scalars file whose pareto_volume depends only on the run's seed. Enabled by
 * the environment variable SRTUNE_FAKE_SR_SECONDS; never used otherwise. */
static srt_rc fake_run(double seconds, const srt_run_spec_t *spec, const srt_sr_options_t *opts,
                       double *pareto_volume, srt_err_t *err)
{
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
    static int truth = -1;
    if (truth < 0)
        truth = getenv("SRTUNE_FAKE_SR_TRUTH") != NULL;
    double pv = truth ? fake_truth_value(opts, spec) : (double)(spec->search_seed % 1000000) / 1e6;
    char text[128];
    int n = snprintf(text, sizeof text, "step,pareto_volume\n1,%.17g\n", pv);
    char *path = srt_path_join(spec->run_dir, SRT_RUN_SCALARS_FILE);
    if (!path)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    srt_rc rc = srt_fs_write_atomic(path, text, (size_t)n, err);
    free(path);
    *pareto_volume = pv;
    return rc;
}

/* The runner's run function: data set of (equation, run), then the engine. */
static srt_rc run_one(void *ctx, const srt_run_spec_t *spec, const volatile sig_atomic_t *stop,
                      double *pareto_volume, srt_err_t *err)
{
    run_ctx_t *rc_ctx = ctx;
    srt_exec_t *x = rc_ctx->x;
    srt_dataset_t *generated = NULL;
    const srt_dataset_t *ds = x->csv;
    srt_sr_result_t res;
    srt_rc rc = SRT_OK;
    srt_sr_result_init(&res);
    if (x->fake_seconds > 0)
        return fake_run(x->fake_seconds, spec, &rc_ctx->opts, pareto_volume, err);
    if (x->files) {
        /* a suite file: every row, or a seeded subsample per run */
        const srt_dataset_t *whole = x->files[spec->eq_pos];
        size_t k = (size_t)x->cfg->dataset.num_samples;
        ds = whole;
        if (k > 0 && k < whole->nrows) {
            rc = srt_dataset_subsample(whole, k, spec->data_seed, &generated, err);
            if (rc != SRT_OK)
                goto cleanup;
            ds = generated;
        }
    } else if (!ds) {
        const srt_catalogue_entry_t *e = srt_catalogue_entry(x->cat, (size_t)spec->eq_index);
        rc = srt_dataset_generate(e, (size_t)x->cfg->dataset.num_samples, x->cfg->dataset.noise,
                                  spec->data_seed, &generated, err);
        if (rc != SRT_OK)
            goto cleanup;
        ds = generated;
    }
    srt_sr_data_t data = {(const double *const *)ds->cols, ds->y, ds->nrows, ds->nfeatures,
                          (const char *const *)ds->names};
    srt_sr_run_params_t params;
    memset(&params, 0, sizeof params);
    params.quiet = x->quiet;
    rc = srt_sr_run_ex(&rc_ctx->opts, &data, spec->search_seed, spec->run_dir, stop, &params,
                       &res, err);
    if (rc == SRT_OK)
        *pareto_volume = res.pareto_volume;
cleanup:
    srt_sr_result_fini(&res);
    srt_dataset_destroy(&generated);
    return rc;
}

srt_rc srt_exec_equation(srt_exec_t *x, const srt_msg_work_t *work, size_t eq_pos,
                         const volatile sig_atomic_t *stop,
                         void (*on_run)(void *ctx, const srt_run_spec_t *spec, double value,
                                        int reused),
                         void *cb_ctx, double *value, srt_work_status_t *status, srt_err_t *err)
{
    run_ctx_t ctx;
    ctx.x = x;
    srt_rc rc = srt_exec_options(x, work, &ctx.opts, err);
    if (rc != SRT_OK)
        return rc;
    if (eq_pos >= x->n_equations)
        return srt_err_set(err, SRT_ERR_PROTOCOL, NULL, NULL, 0,
                           "trial %lld: equation position %zu out of range",
                           (long long)work->trial, eq_pos);
    srt_runner_config_t rcfg;
    memset(&rcfg, 0, sizeof rcfg);
    rcfg.trial_dir = work->run_dir;
    rcfg.dataset = x->cfg->dataset.name;
    rcfg.datasets = x->datasets;
    rcfg.equations = x->equations;
    rcfg.n_equations = x->n_equations;
    rcfg.n_runs = x->cfg->dataset.n_runs;
    rcfg.study_seed = x->cfg->study.seed;
    rcfg.on_run_error = x->cfg->study.on_run_error == SRT_CONFIG_ON_ERROR_VALUE
                            ? SRT_ON_RUN_ERROR_VALUE
                            : SRT_ON_RUN_ERROR_FAIL_TRIAL;
    rcfg.failure_value = x->cfg->study.failure_value;
    rcfg.run = run_one;
    rcfg.run_ctx = &ctx;
    rcfg.stop = stop;
    rcfg.on_run = on_run;
    rcfg.cb_ctx = cb_ctx;
    rc = srt_fs_mkdir_p(work->run_dir, err);
    if (rc != SRT_OK)
        return rc;
    return srt_runner_run_equation(&rcfg, eq_pos, value, status, err);
}
