/*
 * The data set object: allocation and release.
 *
 * Invariants: all feature columns live in one block of nrows * nfeatures
 * doubles (cols[f] = block + f * nrows, so cols[0] owns the block); y is a
 * separate array; names and target are always non-NULL heap strings. A large
 * suite file (tableread.c) instead has every column, y and w as its own
 * anonymous mapping of mapped_cap doubles.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "data/data_int.h"

void srt_dataset_destroy(srt_dataset_t **ds)
{
    if (!ds || !*ds)
        return;
    srt_dataset_t *d = *ds;
    if (d->mapped_cap) {
        size_t bytes = d->mapped_cap * sizeof(double);
        for (size_t f = 0; d->cols && f < d->nfeatures; f++)
            if (d->cols[f])
                munmap(d->cols[f], bytes);
        if (d->y)
            munmap(d->y, bytes);
        if (d->w)
            munmap(d->w, bytes);
    } else {
        if (d->cols)
            free(d->cols[0]);
        free(d->y);
        free(d->w);
    }
    free(d->cols);
    if (d->names)
        for (size_t f = 0; f < d->nfeatures; f++)
            free(d->names[f]);
    free(d->names);
    free(d->target);
    free(d);
    *ds = NULL;
}

srt_rc srt_dataset_create(size_t nrows, size_t nfeatures, srt_dataset_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_dataset_t *d = NULL;
    *out = NULL;
    if (nfeatures == 0) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "a data set needs a feature");
        goto cleanup;
    }
    size_t rows = nrows ? nrows : 1; /* never malloc(0) */
    if (rows > SIZE_MAX / sizeof(double) / nfeatures) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "data set of %zu x %zu is too large",
                         nrows, nfeatures);
        goto cleanup;
    }
    d = calloc(1, sizeof *d);
    if (!d)
        goto nomem;
    d->nfeatures = nfeatures;
    d->nrows = nrows;
    d->cols = calloc(nfeatures, sizeof *d->cols);
    d->names = calloc(nfeatures, sizeof *d->names);
    d->y = calloc(rows, sizeof *d->y);
    d->target = srt_strdup("y");
    if (!d->cols || !d->names || !d->y || !d->target)
        goto nomem;
    d->cols[0] = calloc(rows * nfeatures, sizeof(double));
    if (!d->cols[0])
        goto nomem;
    for (size_t f = 0; f < nfeatures; f++) {
        char name[32];
        d->cols[f] = d->cols[0] + f * nrows;
        (void)snprintf(name, sizeof name, "x%zu", f);
        if (!(d->names[f] = srt_strdup(name)))
            goto nomem;
    }
    *out = d;
    d = NULL;
    goto cleanup;
nomem:
    rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
cleanup:
    srt_dataset_destroy(&d);
    return rc;
}

void srt_instance_id(char *buf, size_t size, const char *dataset, long eq_index)
{
    if (eq_index >= 0)
        snprintf(buf, size, "%s_eq%ld", dataset, eq_index);
    else
        snprintf(buf, size, "%s", dataset);
}
