/*
 * dataset.holdout (include/srtune/cluster.h, srt_study_plan_holdout): moves
 * the held-out instances out of a resolved plan so that tuning never runs
 * them. It works on the plan's final instance list (whatever the dataset
 * blocks produced), matching each pattern with fnmatch against the instance
 * id ("feynman_eq52", a file's id) and against a second name: a catalogue
 * equation's id ("I.6.2a") or a suite file's path relative to the config's
 * folder. Seeds are unaffected: a run's seed is derived from its instance's
 * dataset name and catalogue index or file id, not from its position.
 */
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/cluster.h"

/* The file's path relative to dir ("sub/a.tsv"), or the path itself when it
 * is not below dir. */
static const char *relative_to(const char *path, const char *dir)
{
    size_t n = dir ? strlen(dir) : 0;
    if (n && strncmp(path, dir, n) == 0 && path[n] == '/')
        return path + n + 1;
    return path;
}

static int matches(const char *pattern, const char *id, const char *rel)
{
    return fnmatch(pattern, id, 0) == 0 || (rel && fnmatch(pattern, rel, 0) == 0);
}

static int fail(const srt_study_plan_t *plan, int quiet, const char *key, const char *msg,
                const char *pattern)
{
    if (!quiet)
        fprintf(stderr, "srtune: %s: %s: %s%s%s\n", plan->cfg->path, key, pattern ? "'" : "",
                pattern ? pattern : "", msg);
    return SRT_EXIT_INVALID;
}

int srt_study_plan_holdout(srt_study_plan_t *plan, int quiet)
{
    srt_config_dataset_t *ds = &plan->cfg->dataset;
    const srt_config_strlist_t *pat = &ds->holdout;
    size_t n = plan->n_equations;
    if (pat->n == 0)
        return 0;
    int files = ds->kind == SRT_DATASET_FILES && plan->files;
    unsigned char *out = calloc(n ? n : 1, 1);
    size_t *hits = calloc(pat->n, sizeof *hits);
    plan->holdout_ids = calloc(n ? n : 1, sizeof *plan->holdout_ids);
    plan->holdout_equations = calloc(n ? n : 1, sizeof *plan->holdout_equations);
    if (files)
        plan->holdout_files = calloc(n, sizeof *plan->holdout_files);
    if (!out || !hits || !plan->holdout_ids || !plan->holdout_equations ||
        (files && !plan->holdout_files)) {
        free(out);
        free(hits);
        return SRT_EXIT_FAILURE;
    }
    size_t held = 0;
    for (size_t i = 0; i < n; i++) {
        char id[256];
        srt_study_plan_instance_id(plan, i, id, sizeof id);
        /* the second name: a file's relative path, a catalogue equation's id */
        const char *rel = NULL;
        if (files) {
            rel = relative_to(ds->files.items[i], plan->cfg->dir);
        } else if (plan->cat) {
            const srt_catalogue_entry_t *e = srt_catalogue_entry(plan->cat, plan->equations[i]);
            rel = e ? e->id : NULL;
        }
        for (size_t p = 0; p < pat->n; p++)
            if (matches(pat->items[p], id, rel)) {
                hits[p]++;
                out[i] = 1;
            }
        held += out[i];
    }
    int code = 0;
    char key[300];
    for (size_t p = 0; p < pat->n && !code; p++)
        if (hits[p] == 0) {
            snprintf(key, sizeof key, "dataset.holdout[%zu]", p);
            code = fail(plan, quiet, key,
                        "' matches no instance of the study (catalogue equation ids like "
                        "I.6.2a or instance ids like feynman_eq52, from dataset.equations' "
                        "selection; suite files by id or by path relative to the config)",
                        pat->items[p]);
        }
    if (!code && held == n)
        code =
            fail(plan, quiet, "dataset.holdout",
                 "holds out every instance of the study: nothing would be left to tune on", NULL);
    free(hits);
    if (code) {
        free(out);
        return code;
    }
    /* move, keeping order; a suite's files and ids lists follow its positions */
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (out[i]) {
            char id[256];
            srt_study_plan_instance_id(plan, i, id, sizeof id);
            plan->holdout_ids[plan->n_holdout] = srt_strdup(id);
            if (!plan->holdout_ids[plan->n_holdout]) {
                free(out);
                return SRT_EXIT_FAILURE;
            }
            plan->holdout_equations[plan->n_holdout] = plan->equations[i];
            if (files) {
                plan->holdout_files[plan->n_holdout] = plan->files[i];
                free(ds->files.items[i]);
                free(ds->ids.items[i]);
            }
            plan->n_holdout++;
            continue;
        }
        plan->equations[k] = files ? k : plan->equations[i];
        if (files) {
            plan->files[k] = plan->files[i];
            ds->files.items[k] = ds->files.items[i];
            ds->ids.items[k] = ds->ids.items[i];
        }
        k++;
    }
    plan->n_equations = k;
    if (files)
        ds->files.n = ds->ids.n = k;
    free(out);
    return 0;
}
