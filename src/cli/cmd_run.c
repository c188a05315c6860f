/* `srtune run CONFIG`: runs or resumes a study (under mpirun or alone). */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int srt_cmd_run(int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        printf("usage: srtune run CONFIG          (one process)\n"
               "       mpirun -np N srtune run CONFIG\n\n"
               "Runs the study of CONFIG, or resumes it when its output directory holds\n"
               "one. Rank 0 samples and journals; ranks 1..N-1 run SR. Send SIGUSR1 (or\n"
               "SIGTERM/SIGINT) to stop cleanly: exit code 75 means 'relaunch to resume'.\n");
        return SRT_EXIT_OK;
    }
    if (argc != 2 || argv[1][0] == '-') {
        fprintf(stderr, "usage: srtune run CONFIG\n");
        return SRT_EXIT_USAGE;
    }
    return srt_dist_run(argv[1]);
}
