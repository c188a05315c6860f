/* `srtune validate CONFIG` and `srtune data`: placeholders until config/ and data/ land. */
#include <stdio.h>

#include "cli/cli.h"

int srt_cmd_validate(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "srtune validate: not built yet\n");
    return SRT_EXIT_FAILURE;
}

int srt_cmd_data(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "srtune data: not built yet\n");
    return SRT_EXIT_FAILURE;
}
