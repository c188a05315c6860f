/*
 * Command-line interface: `srtune <command> [args]`. Each command is a
 * function in its own cmd_<name>.c returning the process exit code.
 */
#ifndef SRTUNE_CLI_H
#define SRTUNE_CLI_H

#include "srtune/cluster.h"

int srt_cli_main(int argc, char **argv);

int srt_cmd_validate(int argc, char **argv);
int srt_cmd_data(int argc, char **argv);
int srt_cmd_run(int argc, char **argv);
int srt_cmd_options(int argc, char **argv);
int srt_cmd_fit(int argc, char **argv);
int srt_cmd_status(int argc, char **argv);
int srt_cmd_best(int argc, char **argv);
int srt_cmd_export(int argc, char **argv);
int srt_cmd_report(int argc, char **argv);
int srt_cmd_equations(int argc, char **argv);

#endif
