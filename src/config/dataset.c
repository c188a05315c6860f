/*
 * dataset.equations: a Python slice string ("0:100", "-10:", "::2"), a list of
 * indices, or a list of catalogue ids ("I.6.2a"), checked against the
 * catalogue and stored as ONE canonical string that the data module parses:
 * "a:b" for a contiguous ascending run, else "i,j,k" or "id1,id2". Equal
 * selections give equal strings (so equal hashes).
 *
 * The catalogue is read here only for its first column (the equation ids); a
 * small quote-aware CSV scan suffices, the data module does the real parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

void cfg_free_ids(char **ids, long n)
{
    if (!ids)
        return;
    for (long i = 0; i < n; i++)
        free(ids[i]);
    free(ids);
}

/* Appends the first field of each record; header and blank-id records are skipped. */
srt_rc cfg_catalogue_ids(const char *path, char ***out_ids, long *out_n, srt_err_t *err)
{
    char *text = NULL;
    size_t len = 0;
    char **ids = NULL;
    long n = 0, cap = 0;
    char *fieldbuf = NULL;
    srt_rc rc = srt_fs_read_file(path, &text, &len, err);
    if (rc != SRT_OK)
        goto cleanup;
    fieldbuf = malloc(len + 1);
    if (!fieldbuf) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    size_t i = 0;
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        i = 3;
    long record = 0;
    while (i < len) {
        /* first field */
        size_t f = 0;
        int quoted = 0;
        if (text[i] == '"') {
            quoted = 1;
            i++;
        }
        while (i < len) {
            char ch = text[i];
            if (quoted) {
                if (ch == '"' && i + 1 < len && text[i + 1] == '"') {
                    fieldbuf[f++] = '"';
                    i += 2;
                    continue;
                }
                if (ch == '"') {
                    quoted = 0;
                    i++;
                    continue;
                }
            } else if (ch == ',' || ch == '\n' || ch == '\r') {
                break;
            }
            fieldbuf[f++] = ch;
            i++;
        }
        fieldbuf[f] = '\0';
        /* rest of the record */
        int inq = 0;
        while (i < len && (inq || text[i] != '\n')) {
            if (text[i] == '"')
                inq = !inq;
            i++;
        }
        if (i < len)
            i++;
        char *s = fieldbuf;
        while (*s == ' ')
            s++;
        size_t sl = strlen(s);
        while (sl > 0 && (s[sl - 1] == ' ' || s[sl - 1] == '\r'))
            s[--sl] = '\0';
        if (record++ == 0 || sl == 0)
            continue;
        if (n == cap) {
            long nc = cap ? cap * 2 : 64;
            char **p = realloc(ids, (size_t)nc * sizeof *p);
            if (!p) {
                rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
                goto cleanup;
            }
            ids = p;
            cap = nc;
        }
        ids[n] = srt_strdup(s);
        if (!ids[n]) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
            goto cleanup;
        }
        n++;
    }
    *out_ids = ids;
    *out_n = n;
    ids = NULL;
    n = 0;
cleanup:
    cfg_free_ids(ids, n);
    free(fieldbuf);
    free(text);
    return rc;
}

/* Parses one slice bound: "" (none), or an optionally signed integer. */
static int parse_bound(const char *s, size_t len, int *given, long *v)
{
    char buf[32];
    while (len > 0 && *s == ' ') {
        s++;
        len--;
    }
    while (len > 0 && s[len - 1] == ' ')
        len--;
    *given = len > 0;
    if (!len)
        return 1;
    if (len >= sizeof buf)
        return 0;
    memcpy(buf, s, len);
    buf[len] = '\0';
    char *end = NULL;
    errno = 0;
    *v = strtol(buf, &end, 10);
    return errno == 0 && *end == '\0' &&
           (buf[0] == '-' || buf[0] == '+' || (buf[0] >= '0' && buf[0] <= '9'));
}

/* Python's slice.indices for a sequence of length n. */
static void slice_indices(long n, int has_start, long start, int has_stop, long stop, long step,
                          long *ostart, long *ostop)
{
    long lower = step > 0 ? 0 : -1, upper = step > 0 ? n : n - 1;
    if (!has_start) {
        start = step < 0 ? upper : lower;
    } else {
        if (start < 0)
            start += n;
        start = start < lower ? lower : start > upper ? upper : start;
    }
    if (!has_stop) {
        stop = step < 0 ? lower : upper;
    } else {
        if (stop < 0)
            stop += n;
        stop = stop < lower ? lower : stop > upper ? upper : stop;
    }
    *ostart = start;
    *ostop = stop;
}

/* Canonical text of a list of indices: "a:b" when contiguous ascending. */
static char *canon_indices(const long *idx, long n)
{
    int contiguous = 1;
    for (long i = 1; i < n; i++)
        contiguous &= idx[i] == idx[i - 1] + 1;
    size_t size = (size_t)n * 21 + 32;
    char *s = malloc(size);
    if (!s)
        return NULL;
    if (contiguous) {
        snprintf(s, size, "%ld:%ld", idx[0], idx[n - 1] + 1);
        return s;
    }
    size_t o = 0;
    for (long i = 0; i < n; i++)
        o += (size_t)snprintf(s + o, size - o, "%s%ld", i ? "," : "", idx[i]);
    return s;
}

static const char *catalogue_base(const srt_config_t *cfg)
{
    const char *slash = cfg->dataset.catalogue ? strrchr(cfg->dataset.catalogue, '/') : NULL;
    return slash ? slash + 1 : cfg->dataset.catalogue ? cfg->dataset.catalogue : "the catalogue";
}

static void bad_range(cfg_ctx_t *ctx, const cJSON *v, const char *text)
{
    cfg_error(ctx, v, 0, "dataset.equations",
              "bad range \"%s\": expected \"start:stop\" with Python slice semantics (e.g. "
              "\"0:100\", \"5:\", \"-10:\"), a list of indices or a list of equation ids",
              text);
}

/* Digits with '-', '.' or '+' but not an integer: a range typed wrongly ("0-100"). */
static int looks_like_range(const char *s)
{
    int digit = 0;
    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digit = 1;
        else if (!strchr("+-. ", *s))
            return 0;
    }
    return digit;
}

static void read_range(cfg_ctx_t *ctx, const cJSON *v, const char *text, long n, long **idx,
                       long *count)
{
    const char *key = "dataset.equations";
    const char *c1 = strchr(text, ':');
    const char *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
    int hs = 0, he = 0, hp = 0;
    long s = 0, e = 0, p = 1;
    int ok = c1 && (!c2 || !strchr(c2 + 1, ':')) &&
             parse_bound(text, (size_t)(c1 - text), &hs, &s) &&
             parse_bound(c1 + 1, c2 ? (size_t)(c2 - c1 - 1) : strlen(c1 + 1), &he, &e) &&
             (!c2 || parse_bound(c2 + 1, strlen(c2 + 1), &hp, &p));
    if (!ok) {
        bad_range(ctx, v, text);
        return;
    }
    if (hp && p == 0) {
        cfg_error(ctx, v, 0, key, "bad range \"%s\": the step must not be zero", text);
        return;
    }
    if (n <= 0) /* catalogue unreadable: reported already */
        return;
    long start, stop;
    slice_indices(n, hs, s, he, e, p, &start, &stop);
    long m = 0;
    long *out = malloc((size_t)n * sizeof *out);
    if (!out) {
        ctx->nomem = 1;
        return;
    }
    for (long i = start; p > 0 ? i < stop : i > stop; i += p)
        out[m++] = i;
    if (m == 0) {
        cfg_error(ctx, v, 0, key,
                  "range \"%s\" selects no equations (%s has %ld, indices 0 to %ld)", text,
                  catalogue_base(ctx->cfg), n, n - 1);
        free(out);
        return;
    }
    *idx = out;
    *count = m;
}

/* A list of indices or ids. Errors point at each item, or at anchor (the
 * JSON string) when the list came from a "1,5,7" string. */
static void read_list(cfg_ctx_t *ctx, const cJSON *v, const cJSON *anchor, char **ids, long n,
                      long **idx, long *count, int *by_id)
{
    char key[64];
    long m = cJSON_GetArraySize(v);
    if (m == 0) {
        cfg_error(ctx, v, 0, "dataset.equations",
                  "must select at least one equation, got an empty list");
        return;
    }
    long *out = malloc((size_t)m * sizeof *out);
    if (!out) {
        ctx->nomem = 1;
        return;
    }
    int strings = cJSON_IsString(v->child);
    long k = 0, i = 0;
    int bad = 0;
    for (const cJSON *c = v->child; c; c = c->next, i++) {
        snprintf(key, sizeof key, "dataset.equations[%ld]", i);
        char got[128];
        cfg_describe_json(c, got, sizeof got);
        long x = -1;
        const cJSON *at = anchor ? anchor : c;
        if (strings) {
            if (!cJSON_IsString(c) || !c->valuestring[0]) {
                cfg_error(ctx, at, 0, key, "must be an equation id like the first entry, got %s",
                          got);
                bad = 1;
                continue;
            }
            if (strchr(c->valuestring, ',')) {
                cfg_error(ctx, at, 0, key, "an equation id cannot contain ',', got %s", got);
                bad = 1;
                continue;
            }
            if (n > 0) {
                for (long j = 0; j < n && x < 0; j++)
                    if (strcmp(ids[j], c->valuestring) == 0)
                        x = j;
                if (x < 0) {
                    char hint[160];
                    cfg_hint(c->valuestring, (const char *const *)ids, (size_t)n, hint,
                             sizeof hint);
                    cfg_error(ctx, at, 0, key, "unknown equation id '%s' in %s%s", c->valuestring,
                              catalogue_base(ctx->cfg), hint);
                    bad = 1;
                    continue;
                }
            }
        } else {
            if (!cJSON_IsNumber(c) || !cfg_is_integer(c->valuedouble)) {
                cfg_error(ctx, at, 0, key, "must be an integer index like the first entry, got %s",
                          got);
                bad = 1;
                continue;
            }
            x = (long)c->valuedouble;
            if (n > 0) {
                long r = x < 0 ? x + n : x;
                if (r < 0 || r >= n) {
                    cfg_error(ctx, at, 0, key,
                              "index %ld is out of range: %s has %ld equations (0 to %ld)", x,
                              catalogue_base(ctx->cfg), n, n - 1);
                    bad = 1;
                    continue;
                }
                x = r;
            }
        }
        int dup = 0;
        for (long j = 0; j < k; j++)
            dup |= out[j] == x && x >= 0;
        if (dup) {
            cfg_error(ctx, at, 0, key, "%s is listed twice", got);
            bad = 1;
            continue;
        }
        out[k++] = x;
    }
    if (bad || n <= 0) {
        free(out);
        return;
    }
    *idx = out;
    *count = k;
    *by_id = strings;
}

/* "1,5,7", "I.6.2a,I.8.14" or one item: the canonical list forms, as a JSON
 * array (integers become numbers). NULL (after an error) when an item is empty. */
static cJSON *split_list(cfg_ctx_t *ctx, const cJSON *at, const char *text)
{
    cJSON *arr = cJSON_CreateArray();
    char *copy = srt_strdup(text);
    if (!arr || !copy) {
        ctx->nomem = 1;
        goto fail;
    }
    for (char *p = copy;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        int has = 0;
        long x = 0;
        size_t len = strlen(p);
        while (len > 0 && p[len - 1] == ' ')
            p[--len] = '\0';
        while (*p == ' ')
            p++;
        if (!*p) {
            cfg_error(ctx, at, 0, "dataset.equations",
                      "bad list \"%s\": an item is empty (expected \"1,5,7\" or "
                      "\"I.6.2a,I.8.14\")",
                      text);
            goto fail;
        }
        int integer = parse_bound(p, strlen(p), &has, &x);
        if (!integer && looks_like_range(p)) {
            bad_range(ctx, at, text);
            goto fail;
        }
        cJSON *item = integer ? cJSON_CreateNumber((double)x) : cJSON_CreateString(p);
        if (!item || !cJSON_AddItemToArray(arr, item)) {
            cJSON_Delete(item);
            ctx->nomem = 1;
            goto fail;
        }
        if (!comma)
            break;
        p = comma + 1;
    }
    free(copy);
    return arr;
fail:
    free(copy);
    cJSON_Delete(arr);
    return NULL;
}

void cfg_read_equations(cfg_ctx_t *ctx, const cJSON *node, const cJSON *section,
                        const cJSON *cat_node)
{
    srt_config_t *cfg = ctx->cfg;
    char **ids = NULL;
    long n = 0;
    long *idx = NULL, count = 0;
    int by_id = 0;
    cJSON *def = NULL, *list = NULL;
    if (cfg->dataset.catalogue) {
        srt_err_t e;
        srt_err_clear(&e);
        if (cfg_catalogue_ids(cfg->dataset.catalogue, &ids, &n, &e) != SRT_OK) {
            cfg_error(ctx, cat_node ? cat_node : section, cat_node ? 0 : 1, "dataset.catalogue",
                      "cannot read %s: %s%s", cfg->dataset.catalogue, e.msg,
                      cat_node ? ""
                               : " (the default catalogue: set SRTUNE_DATA_DIR or give "
                                 "dataset.catalogue)");
            n = -1;
        } else if (n == 0) {
            cfg_error(ctx, cat_node ? cat_node : section, cat_node ? 0 : 1, "dataset.catalogue",
                      "%s lists no equations", cfg->dataset.catalogue);
            n = -1;
        }
    }
    cfg->dataset.n_catalogue = n > 0 ? n : 0;
    const cJSON *v = node;
    if (!v) {
        def = cJSON_CreateString(":");
        if (!def) {
            ctx->nomem = 1;
            goto cleanup;
        }
        v = def;
    }
    if (cJSON_IsString(v) && (strchr(v->valuestring, ':') || !v->valuestring[0])) {
        read_range(ctx, node ? v : section, v->valuestring, n, &idx, &count);
    } else if (cJSON_IsString(v)) {
        list = split_list(ctx, v, v->valuestring);
        if (list)
            read_list(ctx, list, v, ids, n, &idx, &count, &by_id);
    } else if (cJSON_IsArray(v)) {
        read_list(ctx, v, NULL, ids, n, &idx, &count, &by_id);
    } else {
        char got[128];
        cfg_describe_json(v, got, sizeof got);
        cfg_error(ctx, v, 0, "dataset.equations",
                  "must be a range string like \"0:100\", a list of indices or a list of "
                  "equation ids, got %s",
                  got);
    }
    if (!idx)
        goto cleanup;
    if (by_id && ids) {
        size_t size = 1;
        for (long i = 0; i < count; i++)
            size += strlen(ids[idx[i]]) + 1;
        char *s = malloc(size);
        if (!s) {
            ctx->nomem = 1;
            goto cleanup;
        }
        size_t o = 0;
        for (long i = 0; i < count; i++)
            o += (size_t)snprintf(s + o, size - o, "%s%s", i ? "," : "", ids[idx[i]]);
        cfg->dataset.equations = s;
    } else {
        cfg->dataset.equations = canon_indices(idx, count);
        if (!cfg->dataset.equations)
            ctx->nomem = 1;
    }
cleanup:
    cJSON_Delete(list);
    cJSON_Delete(def);
    free(idx);
    cfg_free_ids(ids, n > 0 ? n : 0);
}
