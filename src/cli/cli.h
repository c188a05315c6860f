/*
 * Command-line interface: `srtune <command> [args]`. Each command is a
 * function in its own cmd_<name>.c returning the process exit code.
 */
#ifndef SRTUNE_CLI_H
#define SRTUNE_CLI_H

/* Exit codes shared by every command (documented in the README). */
enum {
    SRT_EXIT_OK = 0,        /* success */
    SRT_EXIT_FAILURE = 1,   /* runtime failure (I/O, engine, MPI) */
    SRT_EXIT_USAGE = 2,     /* bad command line */
    SRT_EXIT_INVALID = 3,   /* invalid input file (config, catalogue, data) */
    SRT_EXIT_RESUMABLE = 75 /* interrupted; relaunch the same command to resume (EX_TEMPFAIL) */
};

int srt_cli_main(int argc, char **argv);

int srt_cmd_validate(int argc, char **argv);
int srt_cmd_data(int argc, char **argv);

#endif
