/*
 * `srtune equations [--dataset feynman|bonus] [--grep TEXT] [--catalogue FILE]`:
 * the equations of a catalogue: index (as in run directories,
 * <dataset>_eq<index>_run<r>), id (as in dataset.equations), name, formula and
 * the variables' sampling ranges.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli/cli.h"
#include "srtune/data.h"

static void usage(FILE *f)
{
    fprintf(f, "usage: srtune equations [--dataset feynman|bonus] [--grep TEXT] "
               "[--catalogue FILE]\n");
}

/* Case-insensitive substring match over the entry's id, name, formula and
 * variable names. */
static int matches(const srt_catalogue_entry_t *e, const char *text)
{
    if (!text)
        return 1;
    size_t n = strlen(text);
    const char *fields[3] = {e->id, e->name, e->formula};
    for (int f = 0; f < 3; f++)
        for (const char *p = fields[f]; p && *p; p++)
            if (!strncasecmp(p, text, n))
                return 1;
    for (size_t v = 0; v < e->nvars; v++)
        if (!strcasecmp(e->names[v], text))
            return 1;
    return 0;
}

int srt_cmd_equations(int argc, char **argv)
{
    const char *dataset = "feynman", *grep = NULL, *catalogue = NULL;
    for (int i = 1; i < argc; i++) {
        int has = i + 1 < argc;
        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage(stdout);
            printf("\nLists a catalogue's equations: INDEX (run directories are named\n"
                   "<dataset>_eq<INDEX>_run<r>), ID (what dataset.equations takes), the\n"
                   "formula and each variable's sampling range. --grep keeps the equations\n"
                   "whose id, name or formula contains TEXT (or with a variable named TEXT).\n");
            return SRT_EXIT_OK;
        } else if (!strcmp(argv[i], "--dataset") && has) {
            dataset = argv[++i];
        } else if (!strcmp(argv[i], "--grep") && has) {
            grep = argv[++i];
        } else if (!strcmp(argv[i], "--catalogue") && has) {
            catalogue = argv[++i];
        } else {
            fprintf(stderr, "srtune equations: unexpected argument '%s'\n", argv[i]);
            usage(stderr);
            return SRT_EXIT_USAGE;
        }
    }
    if (strcmp(dataset, "feynman") && strcmp(dataset, "bonus")) {
        fprintf(stderr, "srtune equations: --dataset must be feynman or bonus, not '%s'\n",
                dataset);
        return SRT_EXIT_USAGE;
    }
    char *path = NULL;
    if (catalogue) {
        path = srt_strdup(catalogue);
    } else {
        const char *dir = getenv("SRTUNE_DATA_DIR");
        if (!dir || !*dir)
            dir = SRTUNE_SOURCE_DIR "/data";
        path = srt_path_join(dir, strcmp(dataset, "bonus") ? "FeynmanEquations.csv"
                                                           : "BonusEquations.csv");
    }
    srt_catalogue_t *cat = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    if (!path || srt_catalogue_load(path, &cat, &err) != SRT_OK) {
        char buf[2048];
        fprintf(stderr, "srtune equations: %s\n", srt_err_format(&err, buf, sizeof buf));
        free(path);
        return srt_exit_code_for(err.code);
    }
    size_t shown = 0, n = srt_catalogue_count(cat);
    printf("# %s (%zu equations)\n", srt_catalogue_path(cat), n);
    printf("%-5s %-10s %s\n", "INDEX", "ID", "FORMULA; VARIABLES [LOW, HIGH]");
    for (size_t i = 0; i < n; i++) {
        const srt_catalogue_entry_t *e = srt_catalogue_entry(cat, i);
        if (!matches(e, grep))
            continue;
        shown++;
        printf("%-5zu %-10s %s = %s", i, e->id, e->output ? e->output : "y", e->formula);
        if (e->name)
            printf("   (%s)", e->name);
        printf("\n                ");
        for (size_t v = 0; v < e->nvars; v++)
            printf("%s%s [%g, %g]", v ? ", " : "", e->names[v], e->low[v], e->high[v]);
        printf("\n");
    }
    if (grep)
        printf("# %zu of %zu match '%s'\n", shown, n, grep);
    srt_catalogue_destroy(&cat);
    free(path);
    return shown || !grep ? SRT_EXIT_OK : SRT_EXIT_FAILURE;
}
