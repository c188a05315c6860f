/*
 * User CSV data sets: reading (libcsv through the row reader) and writing.
 *
 * Invariants: the header is the first non-blank row and its names are unique
 * and non-empty; every data row has exactly as many fields as the header and
 * every cell is a finite number, or the load fails naming file, line and
 * 1-based column; written files use %.17g, so write -> load is exact to the
 * bit; writes are atomic (srt_fs_write_atomic).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_int.h"

typedef struct {
    const char *path;   /* for messages */
    const char *target; /* requested target name, NULL for the last column */
    char **header;      /* ncols column names (owned) */
    size_t ncols;       /* columns in the header; 0 until the header is read */
    size_t tcol;        /* index of the target column */
    double *vals;       /* nrows * ncols values, row-major (owned) */
    size_t nrows, cap;  /* rows stored / allocated */
} loader;

static srt_rc read_header(loader *ld, long line, size_t n, char **f, srt_err_t *err)
{
    if (n < 2) {
        /* one column: often a file separated by ';' or tabs, which is read as one */
        const char *sep = n == 1 && strchr(f[0], ';')    ? "';'"
                          : n == 1 && strchr(f[0], '\t') ? "tabs"
                                                         : NULL;
        return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                           "need at least 2 columns (features and a target), got %zu%s%s%s", n,
                           sep ? "; the header is separated by " : "", sep ? sep : "",
                           sep ? ", but srtune reads comma-separated files" : "");
    }
    ld->header = calloc(n, sizeof *ld->header);
    if (!ld->header)
        return srt_err_set(err, SRT_ERR_NOMEM, ld->path, NULL, line, "out of memory");
    for (size_t j = 0; j < n; j++) {
        if (!f[j][0])
            return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                               "column %zu: empty column name", j + 1);
        for (size_t k = 0; k < j; k++)
            if (strcmp(f[k], f[j]) == 0)
                return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                                   "column %zu: duplicate column name '%s' (also column %zu)",
                                   j + 1, f[j], k + 1);
        if (!(ld->header[j] = srt_strdup(f[j])))
            return srt_err_set(err, SRT_ERR_NOMEM, ld->path, NULL, line, "out of memory");
        ld->ncols = j + 1; /* header[0..ncols) are owned */
    }
    ld->tcol = n - 1;
    if (ld->target) {
        size_t j = 0;
        while (j < n && strcmp(f[j], ld->target) != 0)
            j++;
        if (j == n) {
            char cols[600];
            size_t used = 0;
            cols[0] = '\0';
            for (size_t k = 0; k < n && used < sizeof cols; k++) {
                int w = snprintf(cols + used, sizeof cols - used, "%s%s", k ? ", " : "", f[k]);
                if (w < 0)
                    break;
                used += (size_t)w;
            }
            return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                               "no column named '%s' (columns: %s)", ld->target, cols);
        }
        ld->tcol = j;
    }
    return SRT_OK;
}

static srt_rc read_row(loader *ld, long line, size_t n, char **f, srt_err_t *err)
{
    if (n != ld->ncols)
        return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line, "expected %zu fields, got %zu",
                           ld->ncols, n);
    if (ld->nrows == ld->cap) {
        size_t cap = ld->cap ? 2 * ld->cap : 256;
        double *v = cap <= SIZE_MAX / sizeof(double) / ld->ncols
                        ? realloc(ld->vals, cap * ld->ncols * sizeof *v)
                        : NULL;
        if (!v)
            return srt_err_set(err, SRT_ERR_NOMEM, ld->path, NULL, line, "out of memory");
        ld->vals = v;
        ld->cap = cap;
    }
    double *row = ld->vals + ld->nrows * ld->ncols;
    for (size_t j = 0; j < n; j++) {
        int bad = srt_data__parse_double(f[j], &row[j]);
        if (bad == 0)
            continue;
        if (!f[j][0])
            return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                               "column %zu ('%s'): empty value", j + 1, ld->header[j]);
        return srt_err_set(err, SRT_ERR_DATA, ld->path, NULL, line,
                           "column %zu ('%s'): %s: '%.64s'", j + 1, ld->header[j],
                           bad == -2 ? "not a finite number" : "not a number", f[j]);
    }
    ld->nrows++;
    return SRT_OK;
}

static srt_rc on_row(void *ud, long line, size_t n, char **f, srt_err_t *err)
{
    loader *ld = ud;
    if (!ld->header)
        return read_header(ld, line, n, f, err);
    return read_row(ld, line, n, f, err);
}

srt_rc srt_dataset_load_csv(const char *path, const char *target, srt_dataset_t **out,
                            srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_dataset_t *d = NULL;
    loader ld;
    memset(&ld, 0, sizeof ld);
    ld.path = path;
    ld.target = target;
    *out = NULL;
    rc = srt_data__csv_foreach(path, on_row, &ld, NULL, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (!ld.header) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "empty file");
        goto cleanup;
    }
    if (ld.nrows == 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "no data rows");
        goto cleanup;
    }
    rc = srt_dataset_create(ld.nrows, ld.ncols - 1, &d, err);
    if (rc != SRT_OK)
        goto cleanup;
    for (size_t j = 0, f = 0; j < ld.ncols; j++) {
        double *dst = j == ld.tcol ? d->y : d->cols[f];
        for (size_t i = 0; i < ld.nrows; i++)
            dst[i] = ld.vals[i * ld.ncols + j];
        char **name = j == ld.tcol ? &d->target : &d->names[f];
        free(*name);
        *name = ld.header[j]; /* ownership moves */
        ld.header[j] = NULL;
        if (j != ld.tcol)
            f++;
    }
    *out = d;
    d = NULL;
cleanup:
    if (ld.header)
        for (size_t j = 0; j < ld.ncols; j++)
            free(ld.header[j]);
    free(ld.header);
    free(ld.vals);
    srt_dataset_destroy(&d);
    return rc;
}

/* ---- writing ---- */

typedef struct {
    char *buf;       /* bytes written so far */
    size_t len, cap; /* used / allocated */
    int failed;      /* an allocation failed */
} outbuf;

static void ob_add(outbuf *ob, const char *s, size_t n)
{
    if (ob->failed)
        return;
    if (ob->len + n + 1 > ob->cap) {
        size_t cap = ob->cap ? ob->cap : 4096;
        while (ob->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(ob->buf, cap);
        if (!p) {
            ob->failed = 1;
            return;
        }
        ob->buf = p;
        ob->cap = cap;
    }
    memcpy(ob->buf + ob->len, s, n);
    ob->len += n;
    ob->buf[ob->len] = '\0';
}

/* Appends a header name, quoted when a CSV reader would otherwise change it. */
static void ob_name(outbuf *ob, const char *s)
{
    size_t n = strlen(s);
    int quote = n == 0 || strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[0] == '\t' ||
                s[n - 1] == ' ' || s[n - 1] == '\t';
    if (!quote) {
        ob_add(ob, s, n);
        return;
    }
    ob_add(ob, "\"", 1);
    for (const char *p = s; *p; p++) {
        ob_add(ob, p, 1);
        if (*p == '"')
            ob_add(ob, "\"", 1); /* a quote inside quotes is doubled */
    }
    ob_add(ob, "\"", 1);
}

static void ob_double(outbuf *ob, double v, char sep)
{
    char tmp[40];
    int n = snprintf(tmp, sizeof tmp, "%.17g%c", v, sep);
    ob_add(ob, tmp, (size_t)n);
}

srt_rc srt_dataset_write_csv(const srt_dataset_t *ds, const char *path, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    outbuf ob = {NULL, 0, 0, 0};
    for (size_t f = 0; f < ds->nfeatures; f++) {
        ob_name(&ob, ds->names[f]);
        ob_add(&ob, ",", 1);
    }
    ob_name(&ob, ds->target);
    ob_add(&ob, "\n", 1);
    for (size_t i = 0; i < ds->nrows; i++) {
        for (size_t f = 0; f < ds->nfeatures; f++)
            ob_double(&ob, ds->cols[f][i], ',');
        ob_double(&ob, ds->y[i], '\n');
    }
    if (ob.failed) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    rc = srt_fs_write_atomic(path, ob.buf, ob.len, err);
cleanup:
    free(ob.buf);
    return rc;
}
