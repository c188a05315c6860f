/*
 * The command dispatcher: global options (--help, --version, --log-level),
 * then one command from a table.
 */
#include <gsl/gsl_errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "srtune/core.h"

typedef struct {
    const char *name;              /* command word */
    int (*fn)(int argc, char **argv); /* argv[0] is the command word */
    const char *summary;           /* one line for --help */
} command_t;

static const command_t commands[] = {
    {"run", srt_cmd_run, "run or resume a study: run CONFIG --np N (or alone, or under mpirun)"},
    {"fit", srt_cmd_fit, "standalone SR on a CSV file or a Feynman equation; prints the front"},
    {"status", srt_cmd_status, "progress of a study from its output directory"},
    {"best", srt_cmd_best, "the best trial: best DIR [--format table|json|pysr]"},
    {"export", srt_cmd_export, "write the trials ledger: export DIR [--out FILE]"},
    {"report", srt_cmd_report, "SVG plots and index.html: report DIR [--out OUTDIR]"},
    {"validate", srt_cmd_validate, "check a study config and print the plan (dry run)"},
    {"equations", srt_cmd_equations, "list catalogue equations: equations [--dataset bonus] [--grep TEXT]"},
    {"options", srt_cmd_options, "list the SR options (PySR names, defaults, bounds)"},
    {"data", srt_cmd_data, "write a generated data set: data CONFIG --equation ID --out FILE"},
};

static void print_help(FILE *f)
{
    fprintf(f, "srtune %s: tune symbolic-regression searches on clusters\n\n", SRTUNE_VERSION);
    fprintf(f, "usage: srtune [--log-level LEVEL] COMMAND [ARGS]\n\ncommands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(f, "  %-10s %s\n", commands[i].name, commands[i].summary);
    fprintf(f, "\noptions:\n"
               "  --help, -h           this help (COMMAND --help for a command's own)\n"
               "  --version            print the version\n"
               "  --log-level LEVEL    debug|info|warn|error|off (env: SRTUNE_LOG_LEVEL)\n"
               "\nexit codes: 0 ok, 1 failure, 2 usage, 3 invalid input, 75 interrupted "
               "(relaunch to resume)\n");
}

int srt_cli_main(int argc, char **argv)
{
    /* GSL's default handler aborts; every GSL call's status is checked instead. */
    gsl_set_error_handler_off();
    int i = 1;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            print_help(stdout);
            return SRT_EXIT_OK;
        }
        if (!strcmp(argv[i], "--version")) {
            printf("srtune %s\n", SRTUNE_VERSION);
            return SRT_EXIT_OK;
        }
        if (!strcmp(argv[i], "--log-level") && i + 1 < argc) {
            srt_log_level_t lvl;
            if (srt_log_parse_level(argv[++i], &lvl) != SRT_OK) {
                fprintf(stderr, "srtune: --log-level: unknown level '%s'\n", argv[i]);
                return SRT_EXIT_USAGE;
            }
            srt_log_set_level(lvl);
            /* the ranks that `srtune run --np N` starts log at the same level */
            setenv("SRTUNE_LOG_LEVEL", argv[i], 1);
            continue;
        }
        fprintf(stderr, "srtune: unknown option '%s' (see srtune --help)\n", argv[i]);
        return SRT_EXIT_USAGE;
    }
    if (i >= argc) {
        print_help(stderr);
        return SRT_EXIT_USAGE;
    }
    for (size_t c = 0; c < sizeof commands / sizeof commands[0]; c++)
        if (!strcmp(argv[i], commands[c].name))
            return commands[c].fn(argc - i, argv + i);
    fprintf(stderr, "srtune: unknown command '%s' (see srtune --help)\n", argv[i]);
    return SRT_EXIT_USAGE;
}
