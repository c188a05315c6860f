/* MPI transport of the coordinator and the worker loop (mpi_transport.c). */
#ifndef SRTUNE_CLUSTER_MPI_TRANSPORT_H
#define SRTUNE_CLUSTER_MPI_TRANSPORT_H

#include <mpi.h>

#include "cluster/coordinator.h"
#include "cluster/exec.h"

/* Rank 0's transport over comm (borrowed; must outlive the coordinator). */
srt_transport_t srt_mpi_coord_transport(MPI_Comm *comm);

/* A worker rank's loop: READY, then WORK -> PROGRESS* -> RESULT until STOP.
 * Returns the process exit code (75 when it was interrupted). */
int srt_mpi_worker_loop(MPI_Comm comm, srt_exec_t *exec);

/* Sleeps s seconds (a signal ends the sleep early). */
void srt_sleep_s(double s);

#endif
