/*
 * `srtune options [--markdown]`: the SR options a config's `model` section
 * sets and its `search_space` tunes, from the one option table
 * (SRT_SR_OPTION_LIST), with both PySR presets' defaults and the bounds.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "srtune/config.h"
#include "srtune/sr.h"

static const char *kind_name(srt_optkind_t k)
{
    switch (k) {
    case SRT_OPTKIND_INT: return "int";
    case SRT_OPTKIND_FLOAT: return "float";
    case SRT_OPTKIND_BOOL: return "bool";
    case SRT_OPTKIND_OPTFLOAT: return "float or null";
    }
    return "?";
}

static void format_value(char *buf, size_t size, srt_optkind_t k, double v)
{
    if (isnan(v))
        snprintf(buf, size, "null");
    else if (k == SRT_OPTKIND_BOOL)
        snprintf(buf, size, "%s", v != 0 ? "true" : "false");
    else
        snprintf(buf, size, "%.6g", v);
}

int srt_cmd_options(int argc, char **argv)
{
    int markdown = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--markdown")) {
            markdown = 1;
        } else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: srtune options [--markdown]\n\nLists the SR options (PySR names) with "
                   "their PySR 1.x and 0.x defaults and bounds.\n");
            return SRT_EXIT_OK;
        } else {
            fprintf(stderr, "usage: srtune options [--markdown]\n");
            return SRT_EXIT_USAGE;
        }
    }
    size_t n = 0;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    if (markdown)
        printf("| option | type | pysr-1 | pysr-0 | range | meaning |\n|---|---|---|---|---|---|\n");
    else
        printf("%-28s %-13s %-10s %-10s %-16s %s\n", "option", "type", "pysr-1", "pysr-0",
               "range", "meaning");
    for (size_t i = 0; i < n; i++) {
        char d1[32], d0[32], range[48];
        format_value(d1, sizeof d1, t[i].kind, t[i].def_pysr1);
        format_value(d0, sizeof d0, t[i].kind, t[i].def_pysr0);
        if (t[i].kind == SRT_OPTKIND_BOOL)
            snprintf(range, sizeof range, "-");
        else
            snprintf(range, sizeof range, "[%g, %g]", srt_config_option_low(&t[i]), t[i].high);
        if (markdown)
            printf("| `%s` | %s | %s | %s | %s | %s |\n", t[i].name, kind_name(t[i].kind), d1, d0,
                   range, t[i].help);
        else
            printf("%-28s %-13s %-10s %-10s %-16s %s\n", t[i].name, kind_name(t[i].kind), d1, d0,
                   range, t[i].help);
    }
    if (markdown) {
        printf("| `binary_operators` | list | + - * / | + - * / | ops: + - * / ^ max min mod "
               "greater less greater_equal less_equal cond logical_or logical_and | binary "
               "operators ([operators.md](operators.md)) |\n");
        printf("| `unary_operators` | list | (none) | (none) | ops below | unary operators |\n");
    } else {
        printf("%-28s %-13s %s\n", "binary_operators", "list", "default + - * / (also ^)");
        printf("%-28s %-13s %s\n", "unary_operators", "list", "default none");
    }
    /* the structured options (docs/configuration.md, "Structured options") */
    static const char *const maps[][3] = {
        {"complexity_of_operators", "{\"sin\": 3}", "complexity of each operator (default 1)"},
        {"constraints", "{\"^\": [-1, 1]}",
         "max complexity of an operator's argument(s), -1 no limit"},
        {"nested_constraints", "{\"sin\": {\"sin\": 0}}",
         "max times an operator may nest inside another"},
    };
    for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++) {
        if (markdown)
            printf("| `%s` | map | null | null | e.g. `%s` | %s |\n", maps[i][0], maps[i][1],
                   maps[i][2]);
        else
            printf("%-28s %-13s default null (PySR's None), e.g. %s: %s\n", maps[i][0], "map",
                   maps[i][1], maps[i][2]);
    }
    if (!markdown) {
        for (int arity = 2; arity >= 1; arity--) {
            printf("%s operators:", arity == 2 ? "\nbinary" : "unary");
            for (int op = 0; op < SRT_OP_COUNT; op++)
                if (srt_op_arity((srt_op_t)op) == arity)
                    printf(" %s", srt_op_name((srt_op_t)op));
            printf("\n");
        }
        printf("(definitions and domains: docs/operators.md)\n");
    }
    return SRT_EXIT_OK;
}
