/*
 * `srtune run CONFIG --np N [--launcher mpirun|srun|auto] [-- ARGS]`: starts
 * the MPI job, owns the terminal (progress line, signals) and returns the
 * job's exit code. See launch.c.
 */
#ifndef SRTUNE_CLI_LAUNCH_H
#define SRTUNE_CLI_LAUNCH_H

/* launcher: "mpirun", "srun" or "auto" (srun inside a SLURM allocation, else
 * mpirun); extra: arguments for the launcher, before the srtune command. */
int srt_launch_run(const char *config, int np, const char *launcher, char **extra, int n_extra);

#endif
