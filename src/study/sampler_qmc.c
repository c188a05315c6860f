/*
 * QMC sampler: point number <trial_number> of a Sobol sequence (GSL's
 * gsl_qrng_sobol, up to 40 dimensions, with the origin as point 0, so the first
 * 2^k trials stratify every axis into 2^k cells) with a seeded random digital shift
 * (XOR of each coordinate's 30 bits with a per-dimension mask derived from the
 * study seed alone, so all trials share one scrambled sequence), plus a random
 * offset inside the finest cell from the trial's own seed. Dimensions beyond
 * GSL's 40 are sampled uniformly.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_qrng.h>

#include "sampler_int.h"

#define SOBOL_MAX_DIM 40
#define SOBOL_BITS 30

srt_rc srt__sample_qmc(const srt_space_t *space, uint64_t study_seed, long index, gsl_rng *r,
                       double *x, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    size_t d = space->n_params;
    size_t dq = d < SOBOL_MAX_DIM ? d : SOBOL_MAX_DIM;
    double *u = NULL;
    gsl_qrng *q = NULL;
    srt__sample_random(space, r, x); /* dimensions past 40 keep these */
    if (dq == 0)
        return SRT_OK;
    u = malloc(dq * sizeof *u);
    q = gsl_qrng_alloc(gsl_qrng_sobol, (unsigned)dq);
    if (!u || !q) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    /* GSL starts after the origin: standard point 0 is all zeros, point i > 0
     * is GSL's i-th, so points 0..2^k-1 form a complete net */
    for (size_t k = 0; k < dq; k++)
        u[k] = 0.0;
    for (long i = 0; i < index; i++)
        gsl_qrng_get(q, u);
    uint64_t s = srt_seed_derive(study_seed, "sampler-qmc", NULL, 0, 0);
    const double scale = (double)(1UL << SOBOL_BITS);
    for (size_t k = 0; k < dq; k++) {
        uint64_t mask = srt_splitmix64(&s) & ((1UL << SOBOL_BITS) - 1);
        uint64_t bits = (uint64_t)(u[k] * scale) & ((1UL << SOBOL_BITS) - 1);
        double v = ((double)(bits ^ mask) + gsl_rng_uniform(r)) / scale;
        const srt_param_t *p = &space->params[k];
        if (p->kind == SRT_PARAM_CATEGORICAL) {
            double c = floor(v * (double)p->n_choices);
            x[k] = c >= (double)p->n_choices ? (double)p->n_choices - 1 : c;
        } else {
            double lo, hi;
            srt__param_bounds(p, &lo, &hi);
            x[k] = srt__param_untransform(p, lo + (hi - lo) * v);
        }
    }
cleanup:
    gsl_qrng_free(q);
    free(u);
    return rc;
}

static srt_rc qmc_suggest(const srt_sampler_options_t *opt, const srt_space_t *space,
                          const srt_history_t *hist, const srt_sample_context_t *ctx, double *x,
                          srt_err_t *err)
{
    (void)opt;
    (void)hist;
    gsl_rng *r = srt_rng_create(srt__sampler_seed(ctx));
    if (!r)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    srt_rc rc = srt__sample_qmc(space, ctx->study_seed, ctx->trial_number, r, x, err);
    gsl_rng_free(r);
    return rc;
}

const srt_sampler_type_t srt__sampler_qmc_type = {"qmc", qmc_suggest};
