/*
 * Suite data files (docs/datasets.md): CSV or TSV, optionally gzip-compressed,
 * read through zlib in large blocks and parsed by hand (not libcsv: a
 * 1,000,000-row file has to cost at most about twice its decompression).
 *
 * Invariants: the first non-blank line is the header (names unique and
 * non-empty, not all numbers); every other non-blank line has exactly as many
 * fields as the header; every cell of a used column (features, target,
 * weights) is a finite number, or the row is dropped under drop_nonfinite, or
 * the load fails naming file, line, 1-based column and column name; excluded
 * columns are never parsed. Numbers are correctly rounded (an exact fast path
 * for up to 19 digits and |exponent| <= 22, strtod otherwise), so the bits are
 * strtod's. Columns start on the heap; past MAP_MIN doubles each column
 * is its own anonymous mapping that grows by mremap (no copy; untouched
 * capacity costs no memory) and is handed to the data set as it is
 * (srt_dataset_t.mapped_cap), so memory stays near the numeric data's size.
 * Small columns are copied into the data set's one block.
 */
#define _GNU_SOURCE /* mremap */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <zlib.h>

#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>

#include "data/data_int.h"

#define READ_BLOCK (1u << 20) /* most bytes asked of gzread at a time */

enum { ROLE_SKIP = -3, ROLE_WEIGHT = -2, ROLE_TARGET = -1 }; /* >= 0: feature index */

#define MAP_MIN ((size_t)1 << 16) /* doubles: columns this large become mappings */

typedef struct {
    double *p;  /* values */
    size_t cap; /* allocated entries */
} colbuf_t;

typedef struct {
    const char *path;          /* for messages */
    const srt_table_opts_t *o; /* options */
    char delim;                /* ',' or '\t' */
    char **header;             /* ncols names (owned) */
    size_t ncols;              /* columns of the header */
    int *role;                 /* per column: ROLE_* or feature index */
    size_t nfeat;              /* feature columns */
    colbuf_t *cols;            /* per column (used ones only) */
    size_t nrows;              /* rows stored */
    size_t cap;                /* entries allocated in every used column */
    int mapped;                /* columns are mappings of cap doubles (else heap) */
    size_t dropped;            /* rows dropped as non-finite */
    long first_dropped;        /* line of the first dropped row */
    char *scratch;             /* NUL-terminated copy of a field for strtod */
    size_t scratch_cap;        /* bytes in scratch */
} reader_t;

static const double pow10_tab[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* Exact fast path over the number that starts at s (before end): returns
 * the end of what it read and sets *out, or NULL when strtod must decide
 * (more than 19 digits, exponent beyond 22, no digits, ...). The caller
 * checks what follows. */
static const char *fast_scan(const char *s, const char *end, double *out)
{
    const char *p = s;
    int neg = 0;
    if (p < end && (*p == '-' || *p == '+')) {
        neg = *p == '-';
        p++;
    }
    uint64_t m = 0;
    int nd = 0, digits = 0;
    long e10 = 0;
    while (p < end && *p >= '0' && *p <= '9') {
        digits = 1;
        if (m || *p != '0') {
            if (nd == 19)
                return NULL;
            m = m * 10 + (uint64_t)(*p - '0');
            nd++;
        }
        p++;
    }
    if (p < end && *p == '.') {
        p++;
        while (p < end && *p >= '0' && *p <= '9') {
            digits = 1;
            if (m || *p != '0') {
                if (nd == 19)
                    return NULL;
                m = m * 10 + (uint64_t)(*p - '0');
                nd++;
            }
            e10--;
            p++;
        }
    }
    if (!digits)
        return NULL;
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        int eneg = 0;
        if (p < end && (*p == '-' || *p == '+')) {
            eneg = *p == '-';
            p++;
        }
        if (p == end || *p < '0' || *p > '9')
            return NULL;
        long ex = 0;
        while (p < end && *p >= '0' && *p <= '9') {
            if (ex < 100000)
                ex = ex * 10 + (*p - '0');
            p++;
        }
        e10 += eneg ? -ex : ex;
    }
    if (p < end && (*p == '.' || (*p >= '0' && *p <= '9') || *p == 'e' || *p == 'E'))
        return NULL;
    if (m == 0) {
        *out = neg ? -0.0 : 0.0;
        return p;
    }
    if (m > (1ull << 53) || e10 < -22 || e10 > 22)
        return NULL;
    double d = (double)m;
    d = e10 >= 0 ? d * pow10_tab[e10] : d / pow10_tab[-e10];
    *out = neg ? -d : d;
    return p;
}

static int fast_number(const char *s, const char *end, double *out)
{
    return fast_scan(s, end, out) == end;
}

/* 0: a finite number; -1: not a number; -2: a number that is not finite. */
static int parse_cell(reader_t *r, const char *s, const char *end, double *out)
{
    if (fast_number(s, end, out))
        return 0;
    size_t n = (size_t)(end - s);
    if (n + 1 > r->scratch_cap) {
        char *p = realloc(r->scratch, n + 1);
        if (!p)
            return -3;
        r->scratch = p;
        r->scratch_cap = n + 1;
    }
    memcpy(r->scratch, s, n);
    r->scratch[n] = '\0';
    return srt_data__parse_double(r->scratch, out);
}

/* The field [*s, *e) without surrounding blanks and one pair of quotes. */
static void trim_field(const char **s, const char **e)
{
    while (*s < *e && (**s == ' ' || **s == '\t' || **s == '\r'))
        (*s)++;
    while (*e > *s && ((*e)[-1] == ' ' || (*e)[-1] == '\t' || (*e)[-1] == '\r'))
        (*e)--;
    if (*e - *s >= 2 && **s == '"' && (*e)[-1] == '"') {
        (*s)++;
        (*e)--;
    }
}

/* 1 when the line holds nothing but blanks and delimiters. */
static int blank_line(const char *s, const char *e)
{
    for (; s < e; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != ',')
            return 0;
    return 1;
}

static void list_columns(const reader_t *r, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < r->ncols && used + 8 < size; k++) {
        int w = snprintf(buf + used, size - used, "%s%s", k ? ", " : "", r->header[k]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
    if (used >= size)
        snprintf(buf + size - 5, 5, "...");
}

static long find_col(const reader_t *r, const char *name)
{
    for (size_t k = 0; k < r->ncols; k++)
        if (strcmp(r->header[k], name) == 0)
            return (long)k;
    return -1;
}

static srt_rc no_column(const reader_t *r, const char *what, const char *name, srt_err_t *err)
{
    char cols[600];
    list_columns(r, cols, sizeof cols);
    return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 1, "no %s column named '%s' (columns: %s)",
                       what, name, cols);
}

static char **sort_names; /* the names by_name compares (qsort has no context) */

static int by_name(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    int c = strcmp(sort_names[i], sort_names[j]);
    return c ? c : (i > j) - (i < j);
}

static srt_rc read_header(reader_t *r, long line, const char *s, const char *e, srt_err_t *err)
{
    size_t n = 1;
    for (const char *p = s; p < e; p++)
        n += *p == r->delim;
    r->header = calloc(n, sizeof *r->header);
    r->role = calloc(n, sizeof *r->role);
    r->cols = calloc(n, sizeof *r->cols);
    if (!r->header || !r->role || !r->cols)
        return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, line, "out of memory");
    int all_numbers = 1;
    const char *p = s;
    for (size_t j = 0; j < n; j++) {
        const char *q = memchr(p, r->delim, (size_t)(e - p));
        const char *fe = q ? q : e;
        const char *fs = p;
        trim_field(&fs, &fe);
        double d;
        if (!fast_number(fs, fe, &d)) {
            char tmp[64];
            size_t l = (size_t)(fe - fs);
            if (l == 0 || l >= sizeof tmp) {
                all_numbers = 0;
            } else {
                memcpy(tmp, fs, l);
                tmp[l] = '\0';
                all_numbers &= srt_data__parse_double(tmp, &d) == 0;
            }
        }
        r->header[j] = malloc((size_t)(fe - fs) + 1);
        if (!r->header[j])
            return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, line, "out of memory");
        memcpy(r->header[j], fs, (size_t)(fe - fs));
        r->header[j][fe - fs] = '\0';
        r->ncols = j + 1;
        p = q ? q + 1 : e;
    }
    if (all_numbers)
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                           "no header row: the first line is all numbers (a header row of "
                           "column names is required)");
    for (size_t j = 0; j < n; j++)
        if (!r->header[j][0])
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "column %zu: empty column name", j + 1);
    /* duplicates: sort the columns by name (then position); report the first
     * column, in file order, whose name an earlier column has */
    size_t *order = malloc(n * sizeof *order);
    if (!order)
        return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, line, "out of memory");
    for (size_t j = 0; j < n; j++)
        order[j] = j;
    sort_names = r->header;
    qsort(order, n, sizeof *order, by_name);
    size_t dj = n, dk = 0;
    for (size_t i = 1; i < n; i++)
        if (strcmp(r->header[order[i]], r->header[order[i - 1]]) == 0 && order[i] < dj) {
            dj = order[i];
            size_t first = i - 1;
            while (first > 0 && strcmp(r->header[order[first - 1]], r->header[dj]) == 0)
                first--;
            dk = order[first];
        }
    free(order);
    if (dj < n)
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                           "column %zu: duplicate column name '%s' (also column %zu)", dj + 1,
                           r->header[dj], dk + 1);
    const srt_table_opts_t *o = r->o;
    long t;
    if (o->target) {
        t = find_col(r, o->target);
        if (t < 0)
            return no_column(r, "target", o->target, err);
    } else {
        t = find_col(r, "target");
        if (t < 0)
            t = (long)n - 1;
    }
    long w = -1;
    if (o->weights) {
        w = find_col(r, o->weights);
        if (w < 0)
            return no_column(r, "weights", o->weights, err);
        if (w == t)
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "column '%s' cannot be both the target and the weights",
                               o->weights);
    }
    for (size_t j = 0; j < n; j++)
        r->role[j] = 0;
    for (size_t i = 0; i < o->n_exclude; i++) {
        long x = find_col(r, o->exclude[i]);
        if (x < 0)
            return no_column(r, "excluded", o->exclude[i], err);
        if (x == t || x == w)
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "column '%s' is excluded but is the %s", o->exclude[i],
                               x == t ? "target" : "weights column");
        r->role[x] = ROLE_SKIP;
    }
    r->role[t] = ROLE_TARGET;
    if (w >= 0)
        r->role[w] = ROLE_WEIGHT;
    for (size_t j = 0; j < n; j++)
        if (r->role[j] == 0 && j != (size_t)t && (long)j != w)
            r->role[j] = (int)r->nfeat++;
    if (r->nfeat == 0)
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                           "no feature columns (columns: %zu, target '%s'%s)", n, r->header[t],
                           w >= 0 ? ", weights" : "");
    return SRT_OK;
}

static void free_col(const reader_t *r, colbuf_t *c)
{
    if (c->p && r->mapped)
        munmap(c->p, r->cap * sizeof(double));
    else
        free(c->p);
    c->p = NULL;
}

/* Room for one more row in every used column. */
static srt_rc reserve(reader_t *r, srt_err_t *err)
{
    if (r->nrows < r->cap)
        return SRT_OK;
    size_t nc = r->cap ? r->cap * 2 : 64;
    int to_map = nc >= MAP_MIN;
    for (size_t j = 0; j < r->ncols; j++) {
        colbuf_t *c = &r->cols[j];
        if (r->role[j] == ROLE_SKIP)
            continue;
        double *p = NULL;
        if (to_map && r->mapped) {
            void *m = mremap(c->p, r->cap * sizeof *p, nc * sizeof *p, MREMAP_MAYMOVE);
            p = m == MAP_FAILED ? NULL : m;
        } else if (to_map) {
            void *m = mmap(NULL, nc * sizeof *p, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            p = m == MAP_FAILED ? NULL : m;
            if (p) {
                memcpy(p, c->p, r->nrows * sizeof *p);
                free(c->p);
            }
        } else {
            p = realloc(c->p, nc * sizeof *p);
        }
        if (!p) {
            /* columns before j have the new capacity, j and after the old one */
            for (size_t k = 0; k < r->ncols; k++) {
                colbuf_t *ck = &r->cols[k];
                if (k >= j)
                    free_col(r, ck);
                else if (to_map)
                    munmap(ck->p, nc * sizeof(double));
                else
                    free(ck->p);
                ck->p = NULL;
            }
            r->cap = 0;
            r->mapped = 0;
            return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, 0,
                               "out of memory after %zu rows", r->nrows);
        }
        c->p = p;
    }
    r->cap = nc;
    r->mapped = to_map;
    return SRT_OK;
}

static srt_rc read_row(reader_t *r, long line, const char *s, const char *e, srt_err_t *err)
{
    srt_rc rc = reserve(r, err);
    if (rc != SRT_OK)
        return rc;
    const char *p = s;
    size_t row = r->nrows;
    int keep = 1;
    for (size_t j = 0; j < r->ncols; j++) {
        if (!p) {
            size_t got = j;
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "expected %zu fields, got %zu", r->ncols, got);
        }
        double v;
        int pr = 1;
        const char *fs = p, *fe = p;
        if (r->role[j] != ROLE_SKIP) {
            /* the common case in one pass: a plain number right up to the delimiter */
            const char *ne = fast_scan(p, e, &v);
            if (ne && (ne == e || *ne == r->delim)) {
                fe = ne;
                p = ne == e ? NULL : ne + 1;
                pr = 0;
            }
        }
        if (pr != 0) {
            const char *q = memchr(p, r->delim, (size_t)(e - p));
            fe = q ? q : e;
            p = q ? q + 1 : NULL;
            if (r->role[j] == ROLE_SKIP)
                continue;
            trim_field(&fs, &fe);
            pr = parse_cell(r, fs, fe, &v);
        }
        if (pr == -3)
            return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, line, "out of memory");
        if (pr == 0 && r->role[j] == ROLE_WEIGHT && v < 0)
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "column %zu ('%s'): a weight must be >= 0, got %.*s", j + 1,
                               r->header[j], (int)(fe - fs), fs);
        if (pr == -2 && r->o->drop_nonfinite) {
            keep = 0;
            continue;
        }
        if (pr != 0)
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line,
                               "column %zu ('%s'): %s: '%.*s'%s", j + 1, r->header[j],
                               fe == fs   ? "empty value"
                               : pr == -2 ? "not a finite number"
                                          : "not a number",
                               (int)(fe - fs > 40 ? 40 : fe - fs), fs,
                               pr == -2 ? " (set dataset.drop_nonfinite_rows to drop such rows)"
                                        : "");
        r->cols[j].p[row] = v;
    }
    if (p) {
        size_t got = r->ncols;
        for (; p; got++) {
            const char *q = memchr(p, r->delim, (size_t)(e - p));
            p = q ? q + 1 : NULL;
        }
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, line, "expected %zu fields, got %zu",
                           r->ncols, got);
    }
    if (keep) {
        r->nrows++;
    } else {
        if (!r->dropped)
            r->first_dropped = line;
        r->dropped++;
    }
    return SRT_OK;
}

static srt_rc read_line(reader_t *r, long line, const char *s, const char *e, srt_err_t *err)
{
    if (line == 1 && e - s >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB &&
        (unsigned char)s[2] == 0xBF)
        s += 3;
    if (blank_line(s, e))
        return SRT_OK;
    if (!r->header)
        return read_header(r, line, s, e, err);
    return read_row(r, line, s, e, err);
}

static const char *ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0 ? s + n - m : NULL;
}

char srt_table_delimiter(const char *path)
{
    return ends_with(path, ".tsv") || ends_with(path, ".tsv.gz") || ends_with(path, ".tab") ||
                   ends_with(path, ".tab.gz")
               ? '\t'
               : ',';
}

/* Reads every line of gz into r, asking gzread for block bytes at a time. */
static srt_rc read_all(reader_t *r, gzFile gz, size_t block, srt_err_t *err)
{
    size_t cap = block * 2, have = 0;
    char *buf = malloc(cap);
    srt_rc rc = SRT_OK;
    long line = 0;
    if (!buf)
        return srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, 0, "out of memory");
    for (;;) {
        if (cap - have < block) {
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                rc = srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, line, "out of memory");
                goto cleanup;
            }
            buf = nb;
            cap *= 2;
        }
        int n = gzread(gz, buf + have, (unsigned)(cap - have));
        int zerr = Z_OK;
        const char *zmsg = n < 0 || (size_t)n < cap - have ? gzerror(gz, &zerr) : "";
        if (n < 0 || (zerr != Z_OK && zerr != Z_STREAM_END)) {
            const char *what = zerr == Z_BUF_ERROR ? "truncated gzip stream (the file ends early)"
                               : zerr == Z_ERRNO   ? strerror(errno)
                                                   : zmsg;
            rc = srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 0, "%s, after line %ld", what,
                             line);
            goto cleanup;
        }
        size_t total = have + (size_t)n;
        size_t start = 0;
        for (;;) {
            char *nl = memchr(buf + start, '\n', total - start);
            if (!nl)
                break;
            rc = read_line(r, ++line, buf + start, nl, err);
            if (rc != SRT_OK)
                goto cleanup;
            start = (size_t)(nl - buf) + 1;
        }
        have = total - start;
        if (start && have)
            memmove(buf, buf + start, have);
        if (n == 0) {
            if (have) {
                rc = read_line(r, ++line, buf, buf + have, err);
                if (rc != SRT_OK)
                    goto cleanup;
            }
            break;
        }
    }
cleanup:
    free(buf);
    return rc;
}

static void reader_fini(reader_t *r)
{
    for (size_t j = 0; j < r->ncols; j++) {
        free(r->header[j]);
        if (r->cols)
            free_col(r, &r->cols[j]);
    }
    free(r->header);
    free(r->role);
    free(r->cols);
    free(r->scratch);
}

/* Moves the read columns into a data set: one block for the features. */
static srt_rc build(reader_t *r, srt_dataset_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    srt_dataset_t *d = calloc(1, sizeof *d);
    size_t n = r->nrows;
    if (!d)
        goto nomem;
    d->nrows = n;
    d->nfeatures = r->nfeat;
    d->cols = calloc(r->nfeat, sizeof *d->cols);
    d->names = calloc(r->nfeat, sizeof *d->names);
    if (!d->cols || !d->names)
        goto nomem;
    if (r->mapped) {
        /* hand the mappings over as they are */
        d->mapped_cap = r->cap;
        for (size_t j = 0; j < r->ncols; j++) {
            int role = r->role[j];
            if (role == ROLE_SKIP)
                continue;
            double *p = r->cols[j].p;
            r->cols[j].p = NULL;
            if (role >= 0) {
                d->cols[role] = p;
                if (!(d->names[role] = srt_strdup(r->header[j])))
                    goto nomem;
            } else if (role == ROLE_TARGET) {
                d->y = p;
                if (!(d->target = srt_strdup(r->header[j])))
                    goto nomem;
            } else {
                d->w = p;
            }
        }
        *out = d;
        return SRT_OK;
    }
    if (n > SIZE_MAX / sizeof(double) / r->nfeat)
        goto nomem;
    d->cols[0] = malloc((n ? n : 1) * r->nfeat * sizeof(double));
    if (!d->cols[0])
        goto nomem;
    for (size_t j = 0; j < r->ncols; j++) {
        int role = r->role[j];
        if (role == ROLE_SKIP)
            continue;
        if (role >= 0) {
            d->cols[role] = d->cols[0] + (size_t)role * n;
            if (n)
                memcpy(d->cols[role], r->cols[j].p, n * sizeof(double));
            free(r->cols[j].p);
            r->cols[j].p = NULL;
            if (!(d->names[role] = srt_strdup(r->header[j])))
                goto nomem;
        } else {
            double *v = realloc(r->cols[j].p, (n ? n : 1) * sizeof(double));
            if (!v)
                goto nomem;
            r->cols[j].p = NULL;
            if (role == ROLE_TARGET) {
                d->y = v;
                if (!(d->target = srt_strdup(r->header[j])))
                    goto nomem;
            } else {
                d->w = v;
            }
        }
    }
    *out = d;
    return SRT_OK;
nomem:
    rc = srt_err_set(err, SRT_ERR_NOMEM, r->path, NULL, 0, "out of memory for %zu rows", n);
    srt_dataset_destroy(&d); /* columns not handed over yet stay with the reader */
    return rc;
}

static srt_rc check_result(const reader_t *r, const srt_dataset_t *d, srt_err_t *err)
{
    size_t min_rows = r->o->min_rows ? r->o->min_rows : 10;
    if (d->nrows < min_rows) {
        if (r->dropped)
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 0,
                               "%zu data rows left after dropping %zu with NaN or Inf (first on "
                               "line %ld): at least %zu are needed",
                               d->nrows, r->dropped, r->first_dropped, min_rows);
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 0,
                           "%zu data rows: at least %zu are needed", d->nrows, min_rows);
    }
    size_t i = 1;
    while (i < d->nrows && d->y[i] == d->y[0])
        i++;
    if (i == d->nrows)
        return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 0,
                           "the target column '%s' is constant (%.17g in every row): nothing to "
                           "fit",
                           d->target, d->y[0]);
    if (d->w) {
        double s = 0;
        for (i = 0; i < d->nrows; i++)
            s += d->w[i];
        if (!(s > 0))
            return srt_err_set(err, SRT_ERR_DATA, r->path, NULL, 0,
                               "the weights column '%s' is zero in every row",
                               r->o->weights ? r->o->weights : "?");
    }
    return SRT_OK;
}

srt_rc srt_dataset_load_table(const char *path, const srt_table_opts_t *opts, srt_dataset_t **out,
                              srt_err_t *err)
{
    static const srt_table_opts_t defaults = {0};
    reader_t r;
    srt_rc rc = SRT_OK;
    gzFile gz = NULL;
    srt_dataset_t *d = NULL;
    struct stat st;
    *out = NULL;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.o = opts ? opts : &defaults;
    r.delim = srt_table_delimiter(path);
    if (stat(path, &st) != 0) {
        rc = srt_err_set(err, errno == ENOENT ? SRT_ERR_NOTFOUND : SRT_ERR_DATA, path, NULL, 0,
                         "cannot read: %s", strerror(errno));
        goto cleanup;
    }
    if (!S_ISREG(st.st_mode)) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "not a regular file");
        goto cleanup;
    }
    gz = gzopen(path, "rb");
    if (!gz) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "cannot read: %s",
                         errno ? strerror(errno) : "out of memory");
        goto cleanup;
    }
    /* buffers sized to the file: small files (most suites) stay cheap */
    size_t block = 16u << 10;
    while (block < READ_BLOCK && block < (size_t)st.st_size)
        block *= 2;
    gzbuffer(gz, block < (256u << 10) ? (unsigned)block : 256u << 10);
    rc = read_all(&r, gz, block, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (!r.header) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "empty file: no header row");
        goto cleanup;
    }
    rc = build(&r, &d, err);
    if (rc != SRT_OK)
        goto cleanup;
    rc = check_result(&r, d, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (r.dropped)
        SRT_INFO("%s: dropped %zu rows with NaN or Inf (first on line %ld), %zu left", path,
                 r.dropped, r.first_dropped, d->nrows);
    *out = d;
    d = NULL;
cleanup:
    if (gz)
        gzclose(gz);
    srt_dataset_destroy(&d);
    reader_fini(&r);
    return rc;
}

srt_rc srt_dataset_subsample(const srt_dataset_t *ds, size_t k, uint64_t seed,
                             srt_dataset_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    size_t n = ds->nrows;
    size_t *idx = NULL;
    srt_dataset_t *d = NULL;
    gsl_rng *rng = NULL;
    *out = NULL;
    if (k == 0 || k > n)
        k = n;
    rc = srt_dataset_create(k, ds->nfeatures, &d, err);
    if (rc != SRT_OK)
        goto cleanup;
    idx = malloc((n ? n : 1) * sizeof *idx);
    if (!idx)
        goto nomem;
    for (size_t i = 0; i < n; i++)
        idx[i] = i;
    if (k < n) {
        /* selection sampling: k of n without replacement, in row order */
        rng = srt_rng_create(seed);
        if (!rng)
            goto nomem;
        size_t *chosen = malloc(k * sizeof *chosen);
        if (!chosen)
            goto nomem;
        gsl_ran_choose(rng, chosen, k, idx, n, sizeof *idx);
        memcpy(idx, chosen, k * sizeof *idx);
        free(chosen);
    }
    for (size_t f = 0; f < ds->nfeatures; f++) {
        for (size_t i = 0; i < k; i++)
            d->cols[f][i] = ds->cols[f][idx[i]];
        free(d->names[f]);
        if (!(d->names[f] = srt_strdup(ds->names[f])))
            goto nomem;
    }
    for (size_t i = 0; i < k; i++)
        d->y[i] = ds->y[idx[i]];
    free(d->target);
    if (!(d->target = srt_strdup(ds->target)))
        goto nomem;
    if (ds->w) {
        d->w = malloc(k * sizeof *d->w);
        if (!d->w)
            goto nomem;
        for (size_t i = 0; i < k; i++)
            d->w[i] = ds->w[idx[i]];
    }
    *out = d;
    d = NULL;
    goto cleanup;
nomem:
    rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
cleanup:
    if (rng)
        gsl_rng_free(rng);
    free(idx);
    srt_dataset_destroy(&d);
    return rc;
}
