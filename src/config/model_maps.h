/*
 * The structured SR options of the model section and of --option
 * (model_maps.c): complexity_of_operators, constraints, nested_constraints,
 * and the per-feature list form of complexity_of_variables.
 */
#ifndef SRTUNE_CONFIG_MODEL_MAPS_H
#define SRTUNE_CONFIG_MODEL_MAPS_H

#include "config/config_int.h"

/* 1 for complexity_of_operators, constraints and nested_constraints. */
int cfg_model_map_key(const char *name);
/* Reads model key c when it is a structured option (or the list form of
 * complexity_of_variables) into ctx->cfg->model, recording errors; returns 1
 * when c was one, 0 to let the option table read it. */
int cfg_read_model_map(cfg_ctx_t *ctx, const cJSON *c);
/* After the whole section: every operator named is in the operator lists. */
void cfg_check_model_maps(cfg_ctx_t *ctx);
/* `--option name=JSON` for a structured option: returns 1 when name (and
 * value) is one, with *rc the outcome (error keyed "name" or "name.op"). */
int cfg_parse_map_option(srt_sr_options_t *o, const char *name, const char *value, srt_rc *rc,
                         srt_err_t *err);
/* JSON form of one structured option (null when unset; complexity_of_variables
 * as its number or list). */
cJSON *cfg_model_map_json(const srt_sr_options_t *o, const char *name);
/* Adds the structured options to an effective model object (the list form
 * of complexity_of_variables replacing its number). 0 when out of memory. */
int cfg_model_maps_to_json(const srt_sr_options_t *o, cJSON *model);

#endif
