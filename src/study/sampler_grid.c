/*
 * Grid sampler for categorical-only spaces: a seeded random pick among the
 * grid points no observed (COMPLETE, PRUNED or RUNNING) trial has used yet, as
 * Optuna's GridSampler; once every point was used, a seeded random point.
 */
#include <math.h>
#include <stdlib.h>

#include "sampler_int.h"

static srt_rc grid_suggest(const srt_sampler_options_t *opt, const srt_space_t *space,
                           const srt_history_t *hist, const srt_sample_context_t *ctx, double *x,
                           srt_err_t *err)
{
    (void)opt;
    srt_rc rc = SRT_OK;
    size_t n = srt_space_grid_size(space);
    unsigned char *used = NULL;
    gsl_rng *r = NULL;
    if (n == 0 || n > (1UL << 26))
        return srt_err_set(err, SRT_ERR_CONFIG, NULL, "sampler", 0,
                           "the grid sampler needs a space of categorical parameters only "
                           "(at most 2^26 points)");
    used = calloc(n, 1);
    r = srt_rng_create(srt__sampler_seed(ctx));
    if (!used || !r) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    size_t n_used = 0;
    for (size_t t = 0; t < hist->n; t++) {
        size_t id = 0;
        int ok = 1;
        for (size_t i = 0; i < space->n_params && ok; i++) {
            double v = hist->obs[t].x[i];
            ok = srt_param_contains(&space->params[i], v);
            id = id * space->params[i].n_choices + (ok ? (size_t)v : 0);
        }
        if (ok && !used[id]) {
            used[id] = 1;
            n_used++;
        }
    }
    size_t pick;
    if (n_used < n) {
        size_t k = (size_t)gsl_rng_uniform_int(r, (unsigned long)(n - n_used));
        for (pick = 0; pick < n; pick++)
            if (!used[pick] && k-- == 0)
                break;
    } else {
        pick = (size_t)gsl_rng_uniform_int(r, (unsigned long)n);
    }
    for (size_t i = space->n_params; i-- > 0;) {
        size_t c = space->params[i].n_choices;
        x[i] = (double)(pick % c);
        pick /= c;
    }
cleanup:
    free(used);
    gsl_rng_free(r);
    return rc;
}

const srt_sampler_type_t srt__sampler_grid_type = {"grid", grid_suggest};
