/*
 * The libcsv row reader behind the catalogue and user data set loaders, and
 * the strict number parsers they share.
 *
 * libcsv reports fields and row ends but no line numbers, so the file is fed
 * to it one line at a time: a row starts on the line being fed when the
 * parser is between rows (pstate 0, ROW_NOT_BEGUN in libcsv) before that line.
 * Invariants: fields of the current row live in one growable buffer (offsets
 * until the row ends, so a realloc never leaves dangling pointers); rows with
 * only empty fields are dropped; after the first error nothing more is handed
 * to the callback; a NUL byte anywhere is an error (fields are C strings);
 * blanks around a cell and byte order marks at its start are not part of it.
 */
#include <csv.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_int.h"

typedef struct {
    srt_data__row_fn fn;  /* row callback */
    void *ud;             /* its user data */
    srt_err_t *err;       /* error context passed to fn */
    const char *path;     /* for messages */
    char *buf;            /* field bytes of the current row, each NUL-terminated */
    size_t blen, bcap;    /* bytes used / allocated in buf */
    size_t *offs;         /* start of each field in buf */
    char **fields;        /* pointers handed to fn (rebuilt at each row end) */
    size_t nfields, fcap; /* fields in the current row / allocated in offs and fields */
    long line;            /* line being fed */
    long row_line;        /* line on which the current row started */
    size_t nrows;         /* rows handed to fn */
    srt_rc rc;            /* first error, SRT_OK so far */
} reader;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void on_field(void *s, size_t len, void *data)
{
    reader *r = data;
    const char *p = s;
    if (r->rc != SRT_OK)
        return;
    /* blanks and byte order marks: a BOM left at the start of a cell (a file
     * saved twice with one, or a BOM pasted into a header) would be an
     * invisible part of a column name, lost when the file is written again */
    for (;;) {
        if (len > 0 && is_blank(p[0])) {
            p++;
            len--;
        } else if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
            p += 3;
            len -= 3;
        } else {
            break;
        }
    }
    while (len > 0 && is_blank(p[len - 1]))
        len--;
    if (r->nfields == r->fcap) {
        size_t cap = r->fcap ? 2 * r->fcap : 16;
        size_t *offs = realloc(r->offs, cap * sizeof *offs);
        if (offs)
            r->offs = offs;
        char **fields = offs ? realloc(r->fields, cap * sizeof *fields) : NULL;
        if (!offs || !fields) {
            r->rc = srt_err_set(r->err, SRT_ERR_NOMEM, r->path, NULL, r->line, "out of memory");
            return;
        }
        r->fields = fields;
        r->fcap = cap;
    }
    if (r->blen + len + 1 > r->bcap) {
        size_t cap = r->bcap ? r->bcap : 256;
        while (r->blen + len + 1 > cap)
            cap *= 2;
        char *b = realloc(r->buf, cap);
        if (!b) {
            r->rc = srt_err_set(r->err, SRT_ERR_NOMEM, r->path, NULL, r->line, "out of memory");
            return;
        }
        r->buf = b;
        r->bcap = cap;
    }
    if (len)
        memcpy(r->buf + r->blen, p, len);
    r->buf[r->blen + len] = '\0';
    r->offs[r->nfields++] = r->blen;
    r->blen += len + 1;
}

static void on_row_end(int c, void *data)
{
    reader *r = data;
    (void)c;
    if (r->rc == SRT_OK) {
        int blank = 1;
        for (size_t i = 0; i < r->nfields; i++) {
            r->fields[i] = r->buf + r->offs[i];
            if (r->fields[i][0])
                blank = 0;
        }
        if (!blank) {
            r->nrows++;
            r->rc = r->fn(r->ud, r->row_line, r->nfields, r->fields, r->err);
        }
    }
    r->nfields = 0;
    r->blen = 0;
}

srt_rc srt_data__csv_foreach(const char *path, srt_data__row_fn fn, void *ud, size_t *nrows,
                             srt_err_t *err)
{
    reader r;
    struct csv_parser p;
    int parser_ready = 0;
    char *text = NULL;
    size_t len = 0;
    memset(&r, 0, sizeof r);
    r.fn = fn;
    r.ud = ud;
    r.err = err;
    r.path = path;
    r.rc = srt_fs_read_file(path, &text, &len, err);
    if (r.rc != SRT_OK)
        goto cleanup;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        r.rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    parser_ready = 1;
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    r.line = 0;
    while (pos < len && r.rc == SRT_OK) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - (text + pos)) + 1 : len - pos;
        r.line++;
        if (p.pstate == 0) /* ROW_NOT_BEGUN: the next row starts on this line or later */
            r.row_line = r.line;
        /* fields become C strings: a NUL would silently cut a cell short */
        const char *nul = memchr(text + pos, '\0', n);
        if (nul) {
            r.rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, r.line,
                               "NUL byte at column %ld (not a text CSV file?)",
                               (long)(nul - (text + pos)) + 1);
            break;
        }
        if (csv_parse(&p, text + pos, n, on_field, on_row_end, &r) != n && r.rc == SRT_OK) {
            if (csv_error(&p) == CSV_EPARSE)
                r.rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, r.line,
                                   "malformed CSV: misplaced quote");
            else
                r.rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, r.line, "out of memory (%s)",
                                   csv_strerror(csv_error(&p)));
        }
        pos += n;
    }
    if (r.rc == SRT_OK && csv_fini(&p, on_field, on_row_end, &r) != 0 && r.rc == SRT_OK)
        r.rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, r.row_line,
                           "malformed CSV: unterminated quoted field");
cleanup:
    if (parser_ready)
        csv_free(&p);
    if (nrows)
        *nrows = r.nrows;
    free(text);
    free(r.buf);
    free(r.offs);
    free(r.fields);
    return r.rc;
}

int srt_data__parse_double(const char *s, double *out)
{
    char *end = NULL;
    if (!s || !*s)
        return -1;
    /* strtod also takes hex floats, "nan" and "infinity": only the last two
     * are "numbers that are not finite"; a hex float is accepted as a number. */
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || *end != '\0')
        return -1;
    if (!isfinite(v) || (errno == ERANGE && fabs(v) > 1.0))
        return -2;
    *out = v;
    return 0;
}

int srt_data__parse_long(const char *s, long *out)
{
    char *end = NULL;
    if (!s || !*s)
        return -1;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE)
        return -1;
    *out = v;
    return 0;
}
