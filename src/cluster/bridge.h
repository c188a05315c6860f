/*
 * The bridge between the config's search space and the study layer's: builds
 * the study space (journal params, simplex groups) from the config, and turns
 * a trial's internal values into SR option values for the workers.
 */
#ifndef SRTUNE_CLUSTER_BRIDGE_H
#define SRTUNE_CLUSTER_BRIDGE_H

#include "cluster/protocol.h"
#include "srtune/config.h"
#include "srtune/study.h"

typedef struct srt_bridge {
    const srt_config_space_t *cs; /* the config's space (borrowed) */
    srt_space_t *space;           /* the study space (owned) */
    long *index;                  /* per config param: study param index, or group index */
} srt_bridge_t;

/* Builds the study space of cs. */
srt_rc srt_bridge_init(srt_bridge_t *b, const srt_config_space_t *cs, srt_err_t *err);
void srt_bridge_fini(srt_bridge_t *b);

/* Fills work->params with the SR option values of internal values x (study
 * space order): numbers, ints, bools (0/1), categorical choices, and every
 * weight of a simplex group. SRT_ERR_DATA for a value missing (NaN) or a
 * categorical choice that is not numeric. */
srt_rc srt_bridge_params(const srt_bridge_t *b, const double *x, srt_msg_work_t *work,
                         srt_err_t *err);

/* Internal values of a journalled trial in study-space order, by param name
 * (NaN where the trial has no such param). x has space->n_params entries. */
void srt_bridge_trial_x(const srt_bridge_t *b, const srt_trial_t *t, double *x);

#endif
