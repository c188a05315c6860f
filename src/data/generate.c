/*
 * Data set generation for a catalogue equation (sr-engine.md, "Data sets").
 *
 * Invariant (part of the on-disk contract: changing it changes every study's
 * numbers): one mt19937 from srt_rng_create(seed) makes every random number,
 * drawn in this order: num_samples uniforms for variable 1 (rows in order),
 * then for variable 2, ..., then num_samples gaussians of the noise (only
 * when noise > 0). x = low + (high - low) * gsl_rng_uniform, so x lies in
 * [low, high) (x = low when low == high). The noise standard deviation is
 * noise * sqrt(mean(y^2)) of the noiseless y. Nothing depends on time, rank
 * or thread.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "data/data_int.h"

/* Describes row i's point for an error message: "theta=1.5, sigma=2". */
static void describe_row(const srt_catalogue_entry_t *e, const srt_dataset_t *d, size_t i,
                         char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t f = 0; f < d->nfeatures && used < size; f++) {
        int n = snprintf(buf + used, size - used, "%s%s=%.17g", f ? ", " : "", e->names[f],
                         d->cols[f][i]);
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

srt_rc srt_dataset_generate(const srt_catalogue_entry_t *entry, size_t num_samples, double noise,
                            uint64_t seed, srt_dataset_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_dataset_t *d = NULL;
    gsl_rng *rng = NULL;
    *out = NULL;
    if (!entry || entry->nvars == 0 || entry->expr.len == 0) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0,
                         "equation %s has no variables or no formula",
                         entry && entry->id ? entry->id : "(null)");
        goto cleanup;
    }
    if (num_samples == 0) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "num_samples must be at least 1");
        goto cleanup;
    }
    if (!(noise >= 0.0) || !isfinite(noise)) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0,
                         "noise must be a finite number >= 0, got %g", noise);
        goto cleanup;
    }
    rc = srt_dataset_create(num_samples, entry->nvars, &d, err);
    if (rc != SRT_OK)
        goto cleanup;
    for (size_t f = 0; f < d->nfeatures; f++) {
        char *name = srt_strdup(entry->names[f]);
        if (!name)
            goto nomem;
        free(d->names[f]);
        d->names[f] = name;
    }
    char *target = srt_strdup(entry->output ? entry->output : "y");
    if (!target)
        goto nomem;
    free(d->target);
    d->target = target;
    rng = srt_rng_create(seed);
    if (!rng)
        goto nomem;
    for (size_t f = 0; f < d->nfeatures; f++) {
        double lo = entry->low[f], width = entry->high[f] - entry->low[f];
        double *col = d->cols[f];
        for (size_t i = 0; i < num_samples; i++)
            col[i] = lo + width * gsl_rng_uniform(rng);
    }
    rc = srt_expr_eval(&entry->expr, (const double *const *)d->cols, num_samples, d->y);
    if (rc == SRT_ERR_NOMEM)
        goto nomem;
    /* On SRT_ERR_NUMERIC the evaluator stopped after writing the first bad
     * block (y is zeroed beyond it): find the row to name it. */
    double sumsq = 0.0;
    for (size_t i = 0; i < num_samples; i++) {
        if (!isfinite(d->y[i])) {
            char where[512];
            describe_row(entry, d, i, where, sizeof where);
            rc = srt_err_set(err, SRT_ERR_NUMERIC, NULL, NULL, 0,
                             "equation %s: formula '%s' is %s at row %zu: %s", entry->id,
                             entry->formula,
                             isnan(d->y[i]) ? "NaN"
                             : d->y[i] > 0  ? "+Inf"
                                            : "-Inf",
                             i, where);
            goto cleanup;
        }
        sumsq += d->y[i] * d->y[i];
    }
    if (rc != SRT_OK) {
        rc = srt_err_set(err, rc, NULL, NULL, 0, "equation %s: evaluation failed: %s", entry->id,
                         srt_rc_str(rc));
        goto cleanup;
    }
    if (noise > 0.0 && !isfinite(sumsq)) {
        rc = srt_err_set(err, SRT_ERR_NUMERIC, NULL, NULL, 0,
                         "equation %s: values too large to scale the noise", entry->id);
        goto cleanup;
    }
    if (noise > 0.0) {
        double sigma = noise * sqrt(sumsq / (double)num_samples);
        for (size_t i = 0; i < num_samples; i++)
            d->y[i] += gsl_ran_gaussian(rng, sigma);
    }
    *out = d;
    d = NULL;
    goto cleanup;
nomem:
    rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
cleanup:
    if (rng)
        gsl_rng_free(rng);
    srt_dataset_destroy(&d);
    return rc;
}
