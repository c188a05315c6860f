/*
 * Private helpers shared by the sampler implementations.
 */
#ifndef SRTUNE_SAMPLER_INT_H
#define SRTUNE_SAMPLER_INT_H

#include <gsl/gsl_rng.h>

#include "study_int.h"

/* The sampler types (sampler.c puts them in the table). */
extern const srt_sampler_type_t srt__sampler_tpe_type;
extern const srt_sampler_type_t srt__sampler_qmc_type;
extern const srt_sampler_type_t srt__sampler_grid_type;

/* srt_seed_derive(study_seed, "sampler", NULL, trial_number, 0). */
uint64_t srt__sampler_seed(const srt_sample_context_t *ctx);
/* Uniform sample of the whole space (study.md "Random sampler"). */
void srt__sample_random(const srt_space_t *space, gsl_rng *r, double *x);
/* Scrambled Sobol point number index of the space (qmc sampler and TPE start-up). */
srt_rc srt__sample_qmc(const srt_space_t *space, uint64_t study_seed, long index, gsl_rng *r,
                       double *x, srt_err_t *err);

#endif
