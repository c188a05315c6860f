/*
 * Equation selection: one spec string (a Python slice, a list of indices, a
 * list of ids, or a mix of the last two) turned into catalogue indices, then
 * the remove_op_equations filter on the compiled expressions.
 *
 * Invariants: the result keeps spec order, holds no index twice, every index
 * is < the catalogue size, and it is never empty (an empty selection is a
 * configuration error, not a study with nothing to do). Slices clamp their
 * bounds exactly like Python's slice.indices(); list items do not.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_int.h"

/* Copies s[0..n) trimmed of blanks into a heap string. */
static char *trimmed(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* Python's slice.indices(n) followed by range(): fills idx, returns the count. */
static size_t slice_indices(long n, int has_start, long start, int has_stop, long stop, long step,
                            size_t *idx)
{
    long lo, hi;
    /* A step longer than the list picks at most one item either way; clamping
     * it keeps i += step from overflowing. */
    if (step > n)
        step = n;
    if (step < -n)
        step = -n;
    if (step > 0) {
        lo = 0;
        hi = n;
    } else {
        lo = -1;
        hi = n - 1;
    }
    if (!has_start) {
        start = step > 0 ? lo : hi;
    } else if (start < 0) {
        start += n;
        if (start < lo)
            start = lo;
    } else if (start > hi) {
        start = hi;
    }
    if (!has_stop) {
        stop = step > 0 ? hi : lo;
    } else if (stop < 0) {
        stop += n;
        if (stop < lo)
            stop = lo;
    } else if (stop > hi) {
        stop = hi;
    }
    size_t k = 0;
    if (step > 0)
        for (long i = start; i < stop; i += step)
            idx[k++] = (size_t)i;
    else
        for (long i = start; i > stop; i += step)
            idx[k++] = (size_t)i;
    return k;
}

static srt_rc parse_slice(const char *spec, long n, size_t *idx, size_t *count, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *parts[3] = {NULL, NULL, NULL};
    size_t nparts = 0;
    const char *p = spec;
    for (;;) {
        const char *colon = strchr(p, ':');
        size_t len = colon ? (size_t)(colon - p) : strlen(p);
        if (nparts == 3) {
            rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                             "equation selection '%s': a slice has at most two ':'", spec);
            goto cleanup;
        }
        parts[nparts] = trimmed(p, len);
        if (!parts[nparts]) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
        nparts++;
        if (!colon)
            break;
        p = colon + 1;
    }
    long v[3] = {0, 0, 1};
    int has[3] = {0, 0, 0};
    static const char *const what[3] = {"start", "stop", "step"};
    for (size_t k = 0; k < nparts; k++) {
        if (!parts[k][0])
            continue;
        if (srt_data__parse_long(parts[k], &v[k]) != 0) {
            rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                             "equation selection '%s': slice %s '%s' is not an integer", spec,
                             what[k], parts[k]);
            goto cleanup;
        }
        has[k] = 1;
    }
    if (v[2] == 0) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                         "equation selection '%s': slice step cannot be zero", spec);
        goto cleanup;
    }
    *count = slice_indices(n, has[0], v[0], has[1], v[1], v[2], idx);
cleanup:
    for (size_t k = 0; k < 3; k++)
        free(parts[k]);
    return rc;
}

static srt_rc parse_list(const srt_catalogue_t *cat, const char *spec, size_t *idx, size_t *count,
                         srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    long n = (long)cat->count;
    char *item = NULL;
    const char *p = spec;
    size_t k = 0;
    for (;;) {
        const char *comma = strchr(p, ',');
        size_t len = comma ? (size_t)(comma - p) : strlen(p);
        size_t at = 0;
        long v = 0;
        free(item);
        item = trimmed(p, len);
        if (!item) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
        if (!item[0]) {
            rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                             "equation selection '%s': empty item", spec);
            goto cleanup;
        }
        if (srt_data__parse_long(item, &v) == 0) {
            if (v < -n || v >= n) {
                rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                                 "equation selection '%s': index %ld is out of range (%s has %ld "
                                 "equations: 0..%ld, or -%ld..-1 from the end)",
                                 spec, v, cat->path, n, n - 1, n);
                goto cleanup;
            }
            at = (size_t)(v < 0 ? v + n : v);
        } else if (srt_catalogue_find(cat, item, &at) != SRT_OK) {
            const char *best = NULL;
            size_t best_d = (size_t)-1;
            for (size_t i = 0; i < cat->count; i++) {
                size_t d = srt_edit_distance(item, cat->entries[i].id);
                if (d < best_d) {
                    best_d = d;
                    best = cat->entries[i].id;
                }
            }
            if (best && best_d <= 2)
                rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                                 "equation selection '%s': no equation '%s' in %s (did you mean "
                                 "'%s'?)",
                                 spec, item, cat->path, best);
            else
                rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                                 "equation selection '%s': no equation '%s' in %s", spec, item,
                                 cat->path);
            goto cleanup;
        }
        for (size_t j = 0; j < k; j++) {
            if (idx[j] == at) {
                rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                                 "equation selection '%s': equation %zu (%s) is selected twice",
                                 spec, at, cat->entries[at].id);
                goto cleanup;
            }
        }
        if (k == cat->count) { /* more items than equations: some must repeat */
            rc = srt_err_set(err, SRT_ERR_INTERNAL, NULL, NULL, 0, "selection overflow");
            goto cleanup;
        }
        idx[k++] = at;
        if (!comma)
            break;
        p = comma + 1;
    }
    *count = k;
cleanup:
    free(item);
    return rc;
}

srt_rc srt_catalogue_select(const srt_catalogue_t *cat, const char *spec,
                            const char *const *remove_ops, size_t n_remove_ops, size_t **indices,
                            size_t *count, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    size_t *idx = NULL;
    size_t k = 0;
    srt_op_t *ops = NULL;
    char *s = NULL;
    *indices = NULL;
    *count = 0;
    if (!cat || cat->count == 0 || !spec) {
        rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "no catalogue or no selection");
        goto cleanup;
    }
    s = trimmed(spec, strlen(spec));
    idx = malloc(cat->count * sizeof *idx);
    ops = malloc((n_remove_ops ? n_remove_ops : 1) * sizeof *ops);
    if (!s || !idx || !ops) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < n_remove_ops; i++) {
        if (srt_op_lookup(remove_ops[i], &ops[i]) != SRT_OK) {
            rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                             "remove_op_equations: unknown operator '%s'",
                             remove_ops[i] ? remove_ops[i] : "(null)");
            goto cleanup;
        }
    }
    if (!s[0]) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                         "equation selection is empty (use ':' for all equations)");
        goto cleanup;
    }
    if (strchr(s, ':')) {
        if (strchr(s, ',')) {
            rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                             "equation selection '%s': a slice cannot be mixed with a list", s);
            goto cleanup;
        }
        rc = parse_slice(s, (long)cat->count, idx, &k, err);
    } else {
        rc = parse_list(cat, s, idx, &k, err);
    }
    if (rc != SRT_OK)
        goto cleanup;
    if (k == 0) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                         "equation selection '%s' selects no equations (%s has %zu)", s, cat->path,
                         cat->count);
        goto cleanup;
    }
    size_t kept = 0;
    for (size_t i = 0; i < k; i++) {
        int drop = 0;
        for (size_t j = 0; j < n_remove_ops && !drop; j++)
            drop = srt_expr_uses_op(&cat->entries[idx[i]].expr, ops[j]);
        if (!drop)
            idx[kept++] = idx[i];
    }
    if (kept == 0) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, NULL, NULL, 0,
                         "equation selection '%s': remove_op_equations removes all %zu selected "
                         "equations",
                         s, k);
        goto cleanup;
    }
    *indices = idx;
    *count = kept;
    idx = NULL;
cleanup:
    free(idx);
    free(ops);
    free(s);
    return rc;
}
