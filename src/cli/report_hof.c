/* hall_of_fame.csv reader of `srtune report`: see report_hof.h. */
#include <csv.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/report_hof.h"

typedef struct {
    const char *path;        /* for messages */
    srt_hof_t *h;            /* destination */
    long line;               /* current line, 1-based */
    size_t field;            /* current field of the line */
    int col_c, col_l, col_e; /* column indices, -1 until the header is read */
    double c, l;             /* the row being read */
    char *e;                 /* its equation (owned until stored) */
    int have_c, have_l;      /* the row's numbers were present */
    srt_rc rc;               /* first error */
    srt_err_t *err;          /* its message */
} reader_t;

static void fail(reader_t *r, srt_rc rc, const char *msg, const char *what)
{
    if (r->rc != SRT_OK)
        return;
    r->rc = srt_err_set(r->err, rc, r->path, NULL, r->line, "%s%s", msg, what ? what : "");
}

static void on_field(void *s, size_t len, void *ud)
{
    reader_t *r = ud;
    const char *text = s ? s : "";
    int col = (int)r->field++;
    (void)len;
    if (r->rc != SRT_OK)
        return;
    if (r->line == 1) {
        if (!strcmp(text, "complexity"))
            r->col_c = col;
        else if (!strcmp(text, "loss"))
            r->col_l = col;
        else if (!strcmp(text, "equation"))
            r->col_e = col;
        return;
    }
    if (col == r->col_e) {
        free(r->e);
        if (!(r->e = srt_strdup(text)))
            fail(r, SRT_ERR_NOMEM, "out of memory", NULL);
        return;
    }
    if (col != r->col_c && col != r->col_l)
        return;
    char *end = NULL;
    double v = strtod(text, &end);
    if (end == text || *end) {
        fail(r, SRT_ERR_DATA,
             col == r->col_c ? "complexity: not a number: " : "loss: not a number: ", text);
        return;
    }
    if (col == r->col_c) {
        r->c = v;
        r->have_c = 1;
    } else {
        r->l = v;
        r->have_l = 1;
    }
}

static void on_row(int c, void *ud)
{
    reader_t *r = ud;
    (void)c;
    if (r->rc == SRT_OK && r->line == 1 && (r->col_c < 0 || r->col_l < 0))
        fail(r, SRT_ERR_DATA, "header lacks the column ", r->col_c < 0 ? "complexity" : "loss");
    if (r->rc == SRT_OK && r->line > 1) {
        if (!r->have_c || !r->have_l) {
            fail(r, SRT_ERR_DATA, "row lacks its complexity or loss", NULL);
        } else {
            srt_hof_t *h = r->h;
            double *cc = realloc(h->complexity, (h->n + 1) * sizeof *cc);
            if (cc)
                h->complexity = cc;
            double *ll = realloc(h->loss, (h->n + 1) * sizeof *ll);
            if (ll)
                h->loss = ll;
            char **ee = realloc(h->equation, (h->n + 1) * sizeof *ee);
            if (ee)
                h->equation = ee;
            char *e = r->e ? r->e : srt_strdup("");
            if (!cc || !ll || !ee || !e) {
                if (e != r->e)
                    free(e);
                fail(r, SRT_ERR_NOMEM, "out of memory", NULL);
            } else {
                h->complexity[h->n] = r->c;
                h->loss[h->n] = r->l;
                h->equation[h->n++] = e;
                r->e = NULL;
            }
        }
    }
    free(r->e);
    r->e = NULL;
    r->have_c = r->have_l = 0;
    r->field = 0;
    r->line++;
}

srt_rc srt_hof_read(const char *path, srt_hof_t *out, srt_err_t *err)
{
    char *text = NULL;
    size_t len = 0;
    struct csv_parser p;
    reader_t r = {path, out, 1, 0, -1, -1, -1, 0, 0, NULL, 0, 0, SRT_OK, err};
    memset(out, 0, sizeof *out);
    if (!srt_fs_is_file(path))
        return srt_err_set(err, SRT_ERR_NOTFOUND, path, NULL, 0, "no such file");
    srt_rc rc = srt_fs_read_file(path, &text, &len, err);
    if (rc != SRT_OK)
        return rc;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        free(text);
        return srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    }
    if (csv_parse(&p, text, len, on_field, on_row, &r) != len)
        fail(&r, SRT_ERR_DATA, "malformed CSV: ", csv_strerror(csv_error(&p)));
    csv_fini(&p, on_field, on_row, &r);
    csv_free(&p);
    free(text);
    free(r.e);
    if (r.rc == SRT_OK && r.line == 1)
        fail(&r, SRT_ERR_DATA, "empty file", NULL);
    if (r.rc != SRT_OK)
        srt_hof_fini(out);
    return r.rc;
}

void srt_hof_fini(srt_hof_t *h)
{
    if (!h)
        return;
    for (size_t i = 0; h->equation && i < h->n; i++)
        free(h->equation[i]);
    free(h->equation);
    free(h->complexity);
    free(h->loss);
    memset(h, 0, sizeof *h);
}
