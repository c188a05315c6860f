/*
 * Coordinator records: each coordinator (one per `srtune run` launch: a SLURM
 * array task, a login-node run) writes <output_dir>/coordinators/<worker_id>.json
 * with its host, pid, MPI size, SLURM job ids (when under SLURM), start time and,
 * at exit, its end time and exit code. `srtune status` joins them with the
 * journal (trials name their coordinator's worker_id) and with squeue, from any
 * login node. Written atomically; readers never see half a record.
 */
#ifndef SRTUNE_CLUSTER_JOBRECORD_H
#define SRTUNE_CLUSTER_JOBRECORD_H

#include "srtune/core.h"

/* Writes (or rewrites) the record; exit_code < 0 means "still running". */
srt_rc srt_jobrecord_write(const char *output_dir, const char *worker_id, int mpi_size,
                           double started, int exit_code, srt_err_t *err);

#endif
