/*
 * The coordinators of a study for `srtune status DIR`: every coordinator that
 * ever ran on the output directory (from <DIR>/coordinators/<worker_id>.json,
 * written by `srtune run`), joined with the RUNNING trials it owns (journal
 * running_worker, else created_worker) and, where `squeue` exists, with its
 * SLURM job (array task, state, node, time left). Works from any login node:
 * the records live in the output directory, squeue asks the controller.
 * squeue runs by fork/exec (no shell), with a timeout (SRTUNE_SQUEUE_TIMEOUT
 * seconds, default 5); without SLURM, or when squeue fails, the SLURM columns
 * are left out and nothing else is printed about it.
 */
#ifndef SRTUNE_CLI_SLURM_JOBS_H
#define SRTUNE_CLI_SLURM_JOBS_H

#include "cli/study_view.h"

/* Prints the "coordinators:" block of v's study; prints nothing when the study
 * has no coordinator records (a study run before records existed). */
void srt_status_print_jobs(const srt_view_t *v);

#endif
