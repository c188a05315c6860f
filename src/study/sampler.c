/*
 * Sampler registry and the random sampler. Samplers are a const table of
 * types looked up by name (GSL's "type" pattern); srt_sampler_suggest seeds
 * nothing itself but checks the contract every type must keep: each value in
 * its param's range and on its grid (values are snapped if a type drifts).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sampler_int.h"

srt_sampler_options_t srt_sampler_options_default(void)
{
    srt_sampler_options_t o;
    o.n_startup_trials = 10;
    o.n_ei_candidates = 24;
    o.gamma_fraction = 0.1;
    o.gamma_max = 25;
    o.prior_weight = 1.0;
    o.consider_magic_clip = 1;
    o.consider_endpoints = 0;
    o.multivariate = 0;
    o.constant_liar = 1;
    o.startup_qmc = 0;
    o.kernel_log_sigma = 0;
    return o;
}

uint64_t srt__sampler_seed(const srt_sample_context_t *ctx)
{
    return srt_seed_derive(ctx->study_seed, "sampler", NULL, ctx->trial_number, 0);
}

void srt__sample_random(const srt_space_t *space, gsl_rng *r, double *x)
{
    for (size_t i = 0; i < space->n_params; i++) {
        const srt_param_t *p = &space->params[i];
        if (p->kind == SRT_PARAM_CATEGORICAL) {
            x[i] = (double)gsl_rng_uniform_int(r, (unsigned long)p->n_choices);
        } else {
            double lo, hi;
            srt__param_bounds(p, &lo, &hi);
            x[i] = srt__param_untransform(p, lo + (hi - lo) * gsl_rng_uniform(r));
        }
    }
}

static srt_rc random_suggest(const srt_sampler_options_t *opt, const srt_space_t *space,
                             const srt_history_t *hist, const srt_sample_context_t *ctx, double *x,
                             srt_err_t *err)
{
    (void)opt;
    (void)hist;
    gsl_rng *r = srt_rng_create(srt__sampler_seed(ctx));
    if (!r)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    srt__sample_random(space, r, x);
    gsl_rng_free(r);
    return SRT_OK;
}

static const srt_sampler_type_t random_type = {"random", random_suggest};

const srt_sampler_type_t *const srt_sampler_random = &random_type;
const srt_sampler_type_t *const srt_sampler_tpe = &srt__sampler_tpe_type;
const srt_sampler_type_t *const srt_sampler_qmc = &srt__sampler_qmc_type;
const srt_sampler_type_t *const srt_sampler_grid = &srt__sampler_grid_type;

/* The table of every sampler type, looked up by name. */
static const srt_sampler_type_t *const sampler_table[] = {
    &random_type, &srt__sampler_tpe_type, &srt__sampler_qmc_type, &srt__sampler_grid_type, NULL};

const srt_sampler_type_t *const *srt_sampler_types(void)
{
    return sampler_table;
}

const srt_sampler_type_t *srt_sampler_find(const char *name)
{
    if (!name)
        return NULL;
    for (const srt_sampler_type_t *const *t = srt_sampler_types(); *t; t++)
        if (strcmp((*t)->name, name) == 0)
            return *t;
    return NULL;
}

srt_rc srt_sampler_suggest(const srt_sampler_type_t *type, const srt_sampler_options_t *opt,
                           const srt_space_t *space, const srt_history_t *hist,
                           const srt_sample_context_t *ctx, double *x, srt_err_t *err)
{
    srt_sampler_options_t def = srt_sampler_options_default();
    srt_rc rc = type->suggest(opt ? opt : &def, space, hist, ctx, x, err);
    if (rc != SRT_OK)
        return rc;
    for (size_t i = 0; i < space->n_params; i++) {
        const srt_param_t *p = &space->params[i];
        if (!srt_param_contains(p, x[i])) {
            double lo, hi;
            srt__param_bounds(p, &lo, &hi);
            x[i] = isfinite(x[i]) ? srt__param_snap(p, x[i]) : srt__param_untransform(p, lo);
        }
    }
    return SRT_OK;
}
