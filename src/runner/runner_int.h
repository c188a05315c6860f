/* Private helpers of the runner: the scalars-file reader and run.json writer. */
#ifndef SRTUNE_RUNNER_INT_H
#define SRTUNE_RUNNER_INT_H

#include "srtune/runner.h"

/* Moves a corrupt final scalars file aside, to <run_dir>.corrupt-scalars.csv
 * beside the run directory (.corrupt-scalars.1.csv, ... when that exists), so
 * the run is redone and no bytes are lost. */
srt_rc srt_runner_discard_scalars(const char *run_dir, srt_err_t *err);

/* Writes run.json recording a failed run (status, message, seeds, seconds). */
srt_rc srt_runner_write_failure(const srt_run_spec_t *spec, const srt_err_t *failure,
                                double seconds, srt_err_t *err);

#endif
