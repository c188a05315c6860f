/*
 * The Feynman catalogue reader: FeynmanEquations.csv and BonusEquations.csv
 * through the libcsv row reader, columns found by header name (the two files
 * order their columns differently; Bonus has extra Name and "Eqn. No.").
 *
 * Invariants: entries keep file order; every entry has a unique id, unique
 * identifier-shaped variable names, low <= high, and a compiled expression
 * whose features index its names; the variable count is the number of named
 * v<i>_name columns (a disagreeing "# variables" only earns a warning); a
 * failed load frees everything it built.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_int.h"

#define MAX_VARS 1000

typedef struct {
    srt_catalogue_t *cat;                                            /* catalogue being filled */
    int have_header;                                                 /* the header row was seen */
    long c_filename, c_number, c_name, c_output, c_formula, c_nvars; /* field index or -1 */
    size_t nv;                        /* highest i of the v<i>_* columns */
    long *c_vname, *c_vlow, *c_vhigh; /* field index of v<i>_* at [i-1], -1 if absent */
} loader;

static void entry_fini(srt_catalogue_entry_t *e)
{
    free(e->id);
    free(e->name);
    free(e->output);
    free(e->formula);
    if (e->names)
        for (size_t i = 0; i < e->nvars; i++)
            free(e->names[i]);
    free(e->names);
    free(e->low);
    free(e->high);
    srt_expr_fini(&e->expr);
    memset(e, 0, sizeof *e);
}

void srt_catalogue_destroy(srt_catalogue_t **cat)
{
    if (!cat || !*cat)
        return;
    srt_catalogue_t *c = *cat;
    for (size_t i = 0; i < c->count; i++)
        entry_fini(&c->entries[i]);
    free(c->entries);
    free(c->path);
    free(c);
    *cat = NULL;
}

size_t srt_catalogue_count(const srt_catalogue_t *cat)
{
    return cat ? cat->count : 0;
}

const srt_catalogue_entry_t *srt_catalogue_entry(const srt_catalogue_t *cat, size_t i)
{
    return cat && i < cat->count ? &cat->entries[i] : NULL;
}

const char *srt_catalogue_path(const srt_catalogue_t *cat)
{
    return cat ? cat->path : NULL;
}

srt_rc srt_catalogue_find(const srt_catalogue_t *cat, const char *id, size_t *index)
{
    if (!cat || !id)
        return SRT_ERR_NOTFOUND;
    for (size_t i = 0; i < cat->count; i++) {
        if (strcmp(cat->entries[i].id, id) == 0) {
            *index = i;
            return SRT_OK;
        }
    }
    return SRT_ERR_NOTFOUND;
}

static int is_identifier(const char *s)
{
    if (!(isalpha((unsigned char)*s) || *s == '_'))
        return 0;
    for (s++; *s; s++)
        if (!(isalnum((unsigned char)*s) || *s == '_'))
            return 0;
    return 1;
}

/* "v12_low" -> i = 12, kind = 1 (0 name, 1 low, 2 high); 0 when not such a name. */
static int var_column(const char *h, size_t *i, int *kind)
{
    static const char *const suffix[3] = {"_name", "_low", "_high"};
    if (h[0] != 'v' || !isdigit((unsigned char)h[1]))
        return 0;
    char *end = NULL;
    unsigned long n = strtoul(h + 1, &end, 10);
    if (n == 0 || n > MAX_VARS)
        return 0;
    for (int k = 0; k < 3; k++) {
        if (strcmp(end, suffix[k]) == 0) {
            *i = (size_t)n;
            *kind = k;
            return 1;
        }
    }
    return 0;
}

static srt_rc read_header(loader *ld, const char *path, long line, size_t n, char **f,
                          srt_err_t *err)
{
    static const char *const kinds[3] = {"name", "low", "high"};
    ld->c_filename = ld->c_number = ld->c_name = ld->c_output = ld->c_formula = ld->c_nvars = -1;
    for (size_t j = 0; j < n; j++) {
        long *slot = NULL;
        size_t vi = 0;
        int kind = 0;
        if (strcmp(f[j], "Filename") == 0)
            slot = &ld->c_filename;
        else if (strcmp(f[j], "Number") == 0)
            slot = &ld->c_number;
        else if (strcmp(f[j], "Name") == 0)
            slot = &ld->c_name;
        else if (strcmp(f[j], "Output") == 0)
            slot = &ld->c_output;
        else if (strcmp(f[j], "Formula") == 0)
            slot = &ld->c_formula;
        else if (strcmp(f[j], "# variables") == 0)
            slot = &ld->c_nvars;
        else if (var_column(f[j], &vi, &kind)) {
            if (vi > ld->nv) {
                long *a = realloc(ld->c_vname, vi * sizeof *a);
                if (a)
                    ld->c_vname = a;
                long *b = a ? realloc(ld->c_vlow, vi * sizeof *b) : NULL;
                if (b)
                    ld->c_vlow = b;
                long *c = b ? realloc(ld->c_vhigh, vi * sizeof *c) : NULL;
                if (!c)
                    return srt_err_set(err, SRT_ERR_NOMEM, path, NULL, line, "out of memory");
                ld->c_vhigh = c;
                for (size_t k = ld->nv; k < vi; k++)
                    ld->c_vname[k] = ld->c_vlow[k] = ld->c_vhigh[k] = -1;
                ld->nv = vi;
            }
            slot = kind == 0   ? &ld->c_vname[vi - 1]
                   : kind == 1 ? &ld->c_vlow[vi - 1]
                               : &ld->c_vhigh[vi - 1];
        }
        if (!slot)
            continue; /* other columns ("Eqn. No.", ...) are ignored */
        if (*slot >= 0)
            return srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "duplicate column '%s'", f[j]);
        *slot = (long)j;
    }
    const struct {
        long col;
        const char *name;
    } required[] = {{ld->c_filename, "Filename"},
                    {ld->c_number, "Number"},
                    {ld->c_output, "Output"},
                    {ld->c_formula, "Formula"},
                    {ld->c_nvars, "# variables"}};
    for (size_t k = 0; k < sizeof required / sizeof required[0]; k++)
        if (required[k].col < 0)
            return srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "missing column '%s'",
                               required[k].name);
    if (ld->nv == 0)
        return srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "missing column 'v1_name'");
    for (size_t i = 0; i < ld->nv; i++) {
        long cols[3] = {ld->c_vname[i], ld->c_vlow[i], ld->c_vhigh[i]};
        for (int k = 0; k < 3; k++)
            if (cols[k] < 0)
                return srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "missing column 'v%zu_%s'",
                                   i + 1, kinds[k]);
    }
    ld->have_header = 1;
    return SRT_OK;
}

static const char *field(size_t n, char **f, long col)
{
    return col >= 0 && (size_t)col < n ? f[col] : "";
}

static srt_rc read_entry(loader *ld, const char *path, long line, size_t n, char **f,
                         srt_err_t *err)
{
    srt_catalogue_t *cat = ld->cat;
    srt_catalogue_entry_t e;
    srt_rc rc = SRT_OK;
    memset(&e, 0, sizeof e);
    srt_expr_init(&e.expr);
    const char *id = field(n, f, ld->c_filename);
    const char *s;
    long declared = 0;
    size_t dup = 0;
    if (!*id) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "empty Filename (the equation id)");
        goto cleanup;
    }
    if (srt_catalogue_find(cat, id, &dup) == SRT_OK) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                         "duplicate equation id '%s' (first on line %ld)", id,
                         cat->entries[dup].line);
        goto cleanup;
    }
    s = field(n, f, ld->c_number);
    if (srt_data__parse_long(s, &e.number) != 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "%s: Number: not an integer: '%s'",
                         id, s);
        goto cleanup;
    }
    s = field(n, f, ld->c_nvars);
    if (srt_data__parse_long(s, &declared) != 0 || declared < 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "%s: # variables: not a count: '%s'",
                         id, s);
        goto cleanup;
    }
    e.line = line;
    e.id = srt_strdup(id);
    e.output = srt_strdup(field(n, f, ld->c_output));
    e.formula = srt_strdup(field(n, f, ld->c_formula));
    e.name = ld->c_name >= 0 ? srt_strdup(field(n, f, ld->c_name)) : NULL;
    e.names = calloc(ld->nv, sizeof *e.names);
    e.low = calloc(ld->nv, sizeof *e.low);
    e.high = calloc(ld->nv, sizeof *e.high);
    if (!e.id || !e.output || !e.formula || (ld->c_name >= 0 && !e.name) || !e.names || !e.low ||
        !e.high) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, line, "out of memory");
        goto cleanup;
    }
    if (!*e.formula) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "%s: empty Formula", id);
        goto cleanup;
    }
    if (!*e.output) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "%s: empty Output", id);
        goto cleanup;
    }
    for (size_t i = 0; i < ld->nv; i++) {
        const char *name = field(n, f, ld->c_vname[i]);
        const char *lo = field(n, f, ld->c_vlow[i]);
        const char *hi = field(n, f, ld->c_vhigh[i]);
        if (!*name) {
            if (*lo || *hi) {
                rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                                 "%s: v%zu_low/v%zu_high given without v%zu_name", id, i + 1, i + 1,
                                 i + 1);
                goto cleanup;
            }
            continue;
        }
        if (e.nvars < i) {
            rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                             "%s: v%zu_name is set but v%zu_name is empty", id, i + 1, e.nvars + 1);
            goto cleanup;
        }
        if (!is_identifier(name)) {
            rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                             "%s: v%zu_name: not an identifier: '%s'", id, i + 1, name);
            goto cleanup;
        }
        for (size_t k = 0; k < e.nvars; k++) {
            if (e.names[k] && strcmp(e.names[k], name) == 0) {
                rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                                 "%s: variable '%s' named twice", id, name);
                goto cleanup;
            }
        }
        double vlo = 0, vhi = 0;
        if (srt_data__parse_double(lo, &vlo) != 0 || srt_data__parse_double(hi, &vhi) != 0) {
            int bad_lo = srt_data__parse_double(lo, &vlo) != 0;
            rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                             "%s: v%zu_%s: not a finite number: '%s'", id, i + 1,
                             bad_lo ? "low" : "high", bad_lo ? lo : hi);
            goto cleanup;
        }
        if (vlo > vhi) {
            rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line,
                             "%s: %s: low %.17g is above high %.17g", id, name, vlo, vhi);
            goto cleanup;
        }
        e.names[e.nvars] = srt_strdup(name);
        if (!e.names[e.nvars]) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, line, "out of memory");
            goto cleanup;
        }
        e.low[e.nvars] = vlo;
        e.high[e.nvars] = vhi;
        e.nvars++;
    }
    if (e.nvars == 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line, "%s: no variables", id);
        goto cleanup;
    }
    if ((size_t)declared != e.nvars)
        SRT_WARN("%s:%ld: %s: '# variables' is %ld but %zu variable columns are named; using "
                 "the %zu named columns",
                 path, line, id, declared, e.nvars, e.nvars);
    rc = srt_formula_parse(e.formula, (const char *const *)e.names, e.nvars, &e.expr, err);
    if (rc != SRT_OK) {
        char msg[sizeof err->msg];
        (void)snprintf(msg, sizeof msg, "%s", err ? err->msg : "");
        rc = srt_err_set(err, rc, path, NULL, line, "%s: %s", id, msg);
        goto cleanup;
    }
    if (cat->count == cat->cap) {
        size_t cap = cat->cap ? 2 * cat->cap : 64;
        srt_catalogue_entry_t *p = realloc(cat->entries, cap * sizeof *p);
        if (!p) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, line, "out of memory");
            goto cleanup;
        }
        cat->entries = p;
        cat->cap = cap;
    }
    cat->entries[cat->count++] = e;
    memset(&e, 0, sizeof e); /* ownership moved */
cleanup:
    entry_fini(&e);
    return rc;
}

static srt_rc on_row(void *ud, long line, size_t n, char **f, srt_err_t *err)
{
    loader *ld = ud;
    if (!ld->have_header)
        return read_header(ld, ld->cat->path, line, n, f, err);
    return read_entry(ld, ld->cat->path, line, n, f, err);
}

srt_rc srt_catalogue_load(const char *path, srt_catalogue_t **out, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    loader ld;
    memset(&ld, 0, sizeof ld);
    *out = NULL;
    ld.cat = calloc(1, sizeof *ld.cat);
    if (!ld.cat || !(ld.cat->path = srt_strdup(path))) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    rc = srt_data__csv_foreach(path, on_row, &ld, NULL, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (!ld.have_header) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "empty file");
        goto cleanup;
    }
    if (ld.cat->count == 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 0, "no equations");
        goto cleanup;
    }
    *out = ld.cat;
    ld.cat = NULL;
cleanup:
    srt_catalogue_destroy(&ld.cat);
    free(ld.c_vname);
    free(ld.c_vlow);
    free(ld.c_vhigh);
    return rc;
}
