/*
 * dataset.paths of a "files" data set (docs/datasets.md): each pattern is a
 * path or a glob(7) pattern resolved against the config's directory; the
 * matches of a pattern are taken in sorted order, patterns in list order, a
 * file matched twice once. Each file is one instance whose id is its file
 * name without the data extension (.csv, .tsv, .tab, each optionally .gz).
 *
 * Errors (at the pattern's node): a path that does not exist or is not a
 * regular file, a path with another extension, a glob that matches no data
 * file (matches with other extensions are skipped: a folder of data may hold a
 * README), an id that cannot name a run directory, and two files with the
 * same id (naming both). The files' contents are read by the data module
 * (src/cluster/plan.c), not here.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

void cfg_strlist_fini(srt_config_strlist_t *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->items[i]);
    free(l->items);
    l->items = NULL;
    l->n = 0;
}

int cfg_strlist_push(srt_config_strlist_t *l, const char *s)
{
    char **p = realloc(l->items, (l->n + 1) * sizeof *p);
    if (!p)
        return 0;
    l->items = p;
    p[l->n] = srt_strdup(s);
    if (!p[l->n])
        return 0;
    l->n++;
    return 1;
}

static const char *const exts[] = {".csv.gz", ".tsv.gz", ".tab.gz", ".csv", ".tsv", ".tab"};

/* Length of the id part of a file name (without the data extension), 0 when
 * the name has no data extension. */
static size_t id_length(const char *base)
{
    size_t n = strlen(base);
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        size_t m = strlen(exts[i]);
        if (n > m && strcmp(base + n - m, exts[i]) == 0)
            return n - m;
    }
    return 0;
}

static int has_glob(const char *s)
{
    return strpbrk(s, "*?[") != NULL;
}

/* Adds one file; 0 after an error. */
static int add_file(cfg_ctx_t *ctx, const cJSON *at, const char *key, const char *path)
{
    srt_config_dataset_t *d = &ctx->cfg->dataset;
    for (size_t i = 0; i < d->files.n; i++)
        if (strcmp(d->files.items[i], path) == 0)
            return 1; /* matched by an earlier pattern */
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    size_t n = id_length(base);
    char id[256], msg[256];
    if (n == 0 || n >= sizeof id) {
        cfg_error(ctx, at, 0, key,
                  "%s: not a data file name (expected .csv, .tsv or .tab, optionally .gz)", path);
        return 0;
    }
    memcpy(id, base, n);
    id[n] = '\0';
    if (!srt_config_name_check(id, msg, sizeof msg)) {
        cfg_error(ctx, at, 0, key, "%s: the instance id '%s' cannot name a run directory: %s",
                  path, id, msg);
        return 0;
    }
    for (size_t i = 0; i < d->ids.n; i++) {
        if (strcmp(d->ids.items[i], id) == 0) {
            cfg_error(ctx, at, 0, key,
                      "two files have the instance id '%s': %s and %s (an id is the file name "
                      "without its extension; rename one)",
                      id, d->files.items[i], path);
            return 0;
        }
    }
    if (!cfg_strlist_push(&d->files, path) || !cfg_strlist_push(&d->ids, id)) {
        ctx->nomem = 1;
        return 0;
    }
    return 1;
}

void cfg_expand_files(cfg_ctx_t *ctx, const cJSON *node)
{
    srt_config_dataset_t *d = &ctx->cfg->dataset;
    char key[300];
    const cJSON *c = node->child;
    for (size_t i = 0; i < d->paths.n; i++, c = c ? c->next : NULL) {
        const char *pat = d->paths.items[i];
        const cJSON *at = c ? c : node;
        snprintf(key, sizeof key, "dataset.paths[%zu]", i);
        if (!has_glob(pat)) {
            if (!srt_fs_is_file(pat)) {
                cfg_error(ctx, at, 0, key, "%s: %s", pat,
                          srt_fs_is_dir(pat) ? "a directory (write \"DIR/*.tsv.gz\" for its files)"
                                             : "no such file");
                continue;
            }
            add_file(ctx, at, key, pat);
            continue;
        }
        glob_t g;
        memset(&g, 0, sizeof g);
        int grc = glob(pat, 0, NULL, &g);
        size_t used = 0;
        if (grc == GLOB_NOSPACE) {
            ctx->nomem = 1;
        } else if (grc == 0) {
            for (size_t k = 0; k < g.gl_pathc; k++) {
                const char *p = g.gl_pathv[k];
                const char *slash = strrchr(p, '/');
                if (!srt_fs_is_file(p) || !id_length(slash ? slash + 1 : p))
                    continue;
                used++;
                if (!add_file(ctx, at, key, p))
                    break;
            }
        }
        if (grc != GLOB_NOSPACE && used == 0)
            cfg_error(ctx, at, 0, key,
                      "%s matches no data file (.csv, .tsv or .tab, optionally .gz)", pat);
        globfree(&g);
    }
}
