/* `srtune run CONFIG [--np N ...]`: runs or resumes a study (alone, under
 * mpirun, or as the launcher of its own MPI job). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/launch.h"

static void usage(FILE *f)
{
    fprintf(f,
            "usage: srtune run CONFIG --np N [--launcher mpirun|srun|auto] [-- LAUNCHER ARGS]\n"
            "       srtune run CONFIG                  (one process)\n"
            "       mpirun -np N srtune run CONFIG\n");
}

/* 1 when this process is already a rank of an MPI job. */
static int inside_mpi_job(void)
{
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
}

int srt_cmd_run(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        usage(stdout);
        printf("\nRuns the study of CONFIG, or resumes it when its output directory holds\n"
               "one. Rank 0 samples and journals; ranks 1..N-1 run SR.\n\n"
               "With --np N srtune starts the MPI job itself (mpirun -np N, with\n"
               "--oversubscribe outside SLURM; or srun -n N inside a SLURM allocation) and\n"
               "owns the terminal: it draws the progress line from the study directory, and\n"
               "Ctrl-C (SIGINT), SIGTERM and SIGHUP become the clean stop (SIGUSR1 to the\n"
               "job: exit 75, resumable). A second Ctrl-C within 5 s stops at once.\n"
               "Arguments after -- go to the launcher (e.g. -- --hostfile hosts).\n\n"
               "Without --np: one process, or a rank of `mpirun -np N srtune run CONFIG`;\n"
               "send SIGUSR1 to stop cleanly (under mpirun, SIGUSR1 to mpirun).\n"
               "SRTUNE_PROGRESS=always|never|auto: when to draw the progress line.\n\n"
               "exit codes: 0 study done, 1 failure, 3 invalid input, 75 interrupted\n"
               "(run the same command again to resume)\n");
        return SRT_EXIT_OK;
    }
    const char *config = NULL, *launcher = NULL;
    int np = 0, have_np = 0, i;
    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--")) {
            i++;
            break;
        }
        if (!strcmp(argv[i], "--np") || !strcmp(argv[i], "-np") || !strcmp(argv[i], "-n")) {
            char *end = NULL;
            long v = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : 0;
            if (i + 1 >= argc || !end || *end || v < 1 || v > 100000) {
                fprintf(stderr, "srtune run: --np needs a number of processes >= 1\n");
                return SRT_EXIT_USAGE;
            }
            np = (int)v;
            have_np = 1;
            i++;
        } else if (!strcmp(argv[i], "--launcher")) {
            if (i + 1 >= argc || (strcmp(argv[i + 1], "mpirun") && strcmp(argv[i + 1], "srun") &&
                                  strcmp(argv[i + 1], "auto"))) {
                fprintf(stderr, "srtune run: --launcher must be mpirun, srun or auto\n");
                return SRT_EXIT_USAGE;
            }
            launcher = argv[++i];
        } else if (argv[i][0] == '-' || config) {
            fprintf(stderr, "srtune run: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return SRT_EXIT_USAGE;
        } else {
            config = argv[i];
        }
    }
    char **extra = argv + i;
    int n_extra = i < argc ? argc - i : 0;
    if (!config) {
        usage(stderr);
        return SRT_EXIT_USAGE;
    }
    if (!have_np && !launcher && n_extra == 0)
        return srt_cluster_run(config);
    if (inside_mpi_job()) {
        fprintf(stderr, "srtune run: --np/--launcher start an MPI job; this process is already "
                        "a rank of one (run `srtune run CONFIG` under mpirun, or `srtune run "
                        "CONFIG --np N` without it)\n");
        return SRT_EXIT_USAGE;
    }
    if (!have_np) {
        const char *nt = getenv("SLURM_NTASKS");
        np = nt ? atoi(nt) : 0;
        if (np < 1) {
            fprintf(stderr, "srtune run: --np N is needed (the number of processes: rank 0 "
                            "coordinates, N-1 run SR)\n");
            return SRT_EXIT_USAGE;
        }
    }
    return srt_launch_run(config, np, launcher ? launcher : "auto", extra, n_extra);
}
