/* srtune entry point: dispatches to the commands in cli/. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
    return srt_cli_main(argc, argv);
}
