/*
 * srt_config_load: reads the file, parses it with cJSON (syntax errors carry
 * their line and column), checks the top-level sections, and runs the section
 * readers (table.c for study and dataset, model.c, space.c). Every reader
 * records its errors in the context; they are reported together, in file
 * order, and no config is returned unless there were none.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/config_int.h"

static const char *const sections[] = {"study", "dataset", "model", "search_space"};

void srt_config_destroy(srt_config_t **pcfg)
{
    if (!pcfg || !*pcfg)
        return;
    srt_config_t *cfg = *pcfg;
    free(cfg->path);
    free(cfg->dir);
    free(cfg->study.name);
    free(cfg->study.output_dir);
    free(cfg->dataset.catalogue);
    free(cfg->dataset.equations);
    free(cfg->dataset.path);
    free(cfg->dataset.target);
    free(cfg->dataset.weights);
    cfg_strlist_fini(&cfg->dataset.paths);
    cfg_strlist_fini(&cfg->dataset.files);
    cfg_strlist_fini(&cfg->dataset.ids);
    cfg_strlist_fini(&cfg->dataset.exclude);
    cfg_strlist_fini(&cfg->dataset.holdout);
    cfg_space_fini(&cfg->space);
    cfg_baselines_fini(&cfg->study);
    free(cfg);
    *pcfg = NULL;
}

/* The absolute, normalised directory of path. */
static char *abs_dir_of(const char *path)
{
    char cwd[4096];
    char *dir = srt_path_dirname(path);
    char *res = NULL;
    if (!dir)
        return NULL;
    if (dir[0] == '/' || !getcwd(cwd, sizeof cwd))
        res = cfg_path_normalize(dir);
    else
        res = cfg_path_resolve(cwd, dir);
    free(dir);
    return res;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* 1 when the string that ends at t[end - 1] is an object key: it opens right
 * after '{' or ',' inside an object. A small scan from the start tracks
 * strings and nesting. */
static int last_string_is_key(const char *t, size_t end)
{
    char stack[256];
    int depth = 0, in_str = 0, key = 0;
    for (size_t i = 0; i < end; i++) {
        char c = t[i];
        if (in_str) {
            if (c == '\\')
                i++;
            else if (c == '"')
                in_str = 0;
            continue;
        }
        if (c == '"') {
            size_t k = i;
            while (k > 0 && is_space(t[k - 1]))
                k--;
            char before = 0;
            if (k > 0)
                before = t[k - 1];
            key = depth > 0 && stack[depth - 1] == '{' && (before == '{' || before == ',');
            in_str = 1;
        } else if ((c == '{' || c == '[') && depth < (int)sizeof stack) {
            stack[depth++] = c;
        } else if ((c == '}' || c == ']') && depth > 0) {
            depth--;
        }
    }
    return key;
}

/* The usual mistakes near cJSON's error position, which can be a character
 * early or late: returns the explanation and moves *pos to the culprit. */
static const char *explain(const char *t, size_t len, size_t off, size_t *pos, char *buf,
                           size_t size)
{
    size_t f = off, b = off;
    while (f < len && is_space(t[f]))
        f++;
    while (b > 0 && is_space(t[b - 1]))
        b--;
    for (size_t k = off > 0 ? off - 1 : 0; k <= off && k < len; k++) {
        if (t[k] == '/' && k + 1 < len && (t[k + 1] == '/' || t[k + 1] == '*')) {
            *pos = k;
            return "comments are not allowed in JSON";
        }
        if (t[k] == '\'') {
            *pos = k;
            return "strings and keys need double quotes, not single quotes";
        }
    }
    if (f < len && (!strncmp(t + f, "NaN", 3) || !strncmp(t + f, "Infinity", 8) ||
                    !strncmp(t + f, "-Infinity", 9))) {
        *pos = f;
        return "NaN and Infinity are not JSON numbers (use a finite number or null)";
    }
    size_t cands[2] = {f, b > 0 ? b - 1 : len};
    for (int i = 0; i < 2; i++) {
        size_t c = cands[i];
        if (c >= len || (t[c] != '}' && t[c] != ']'))
            continue;
        size_t k = c;
        while (k > 0 && is_space(t[k - 1]))
            k--;
        if (k > 0 && t[k - 1] == ',') {
            *pos = k - 1;
            snprintf(buf, size, "a trailing ',' before '%c' is not allowed in JSON", t[c]);
            return buf;
        }
    }
    if (f >= len) {
        *pos = b > 0 ? b - 1 : 0;
        return "unexpected end of file (a closing '}' or ']' is missing)";
    }
    if (b > 0 && t[b - 1] == ',') {
        size_t k = b - 1;
        while (k > 0 && is_space(t[k - 1]))
            k--;
        if (k > 0 && (t[k - 1] == ',' || t[k - 1] == '{' || t[k - 1] == '[')) {
            *pos = b - 1;
            return "an extra ',' (nothing comes before it)";
        }
    }
    char p = 0;
    if (b > 0)
        p = t[b - 1];
    char n = t[f];
    int ends_value =
        p == '"' || p == '}' || p == ']' || (p >= '0' && p <= '9') || p == 'e' || p == 'l';
    int starts_value = n == '"' || n == '{' || n == '[' || (n >= '0' && n <= '9') || n == '-';
    if (p == '"' && last_string_is_key(t, b) && b <= f) {
        *pos = f;
        return "missing ':' after the key";
    }
    if (ends_value && starts_value && b < f) {
        *pos = f;
        size_t rest = 0;
        while (f + rest < len && rest < 20 && t[f + rest] != '\n' && t[f + rest] != '\r')
            rest++;
        snprintf(buf, size, "missing ',' before '%.*s'", (int)rest, t + f);
        return buf;
    }
    *pos = f;
    return NULL;
}

/* A syntax error: position -> line and column, plus what went wrong. */
static void syntax_error(const char *path, const char *text, size_t len, const char *at,
                         srt_err_t *e)
{
    size_t off = at && at >= text && at <= text + len ? (size_t)(at - text) : len;
    char why[160];
    size_t pos = off;
    const char *reason = explain(text, len, off, &pos, why, sizeof why);
    long line = 1, col = 1;
    for (size_t i = 0; i < pos && i < len; i++) {
        if (text[i] == '\n') {
            line++;
            col = 1;
        } else {
            col++;
        }
    }
    size_t rest = 0;
    while (pos + rest < len && rest < 20 && text[pos + rest] != '\n' && text[pos + rest] != '\r')
        rest++;
    unsigned char at_byte = pos < len ? (unsigned char)text[pos] : 0;
    if (reason)
        srt_err_set(e, SRT_ERR_PARSE, path, NULL, line, "JSON syntax error: %s", reason);
    else if (at_byte >= 0x80 || (at_byte < 0x20 && pos < len && !is_space((char)at_byte)))
        /* outside a string only ASCII is JSON: a binary or mis-encoded file */
        srt_err_set(e, SRT_ERR_PARSE, path, NULL, line,
                    "JSON syntax error: unexpected byte 0x%02x (not UTF-8 JSON text?)", at_byte);
    else
        srt_err_set(e, SRT_ERR_PARSE, path, NULL, line, "JSON syntax error near '%.*s'", (int)rest,
                    text + pos);
    e->column = col;
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r')
            return 0;
    return 1;
}

static void read_top(cfg_ctx_t *ctx)
{
    char got[128], hint[128];
    for (const cJSON *c = ctx->root->child; c; c = c->next) {
        if (cfg_dup_check(ctx, c, c->string))
            continue;
        int s = -1;
        for (int i = 0; i < 4; i++)
            if (strcmp(c->string, sections[i]) == 0)
                s = i;
        if (s < 0) {
            /* written by srt_config_write_effective; ignored so the file loads back */
            if (!strcmp(c->string, "config_hash") || !strcmp(c->string, "study_hash") ||
                !strcmp(c->string, "data_hash"))
                continue;
            cfg_hint(c->string, sections, 4, hint, sizeof hint);
            cfg_error(ctx, c, 0, c->string, "unknown section%s", hint);
            continue;
        }
        if (!cJSON_IsObject(c)) {
            cfg_describe_json(c, got, sizeof got);
            cfg_error(ctx, c, 0, c->string, "must be an object, got %s", got);
            continue;
        }
        const cJSON **slot = s == 0   ? &ctx->study
                             : s == 1 ? &ctx->dataset
                             : s == 2 ? &ctx->model
                                      : &ctx->space;
        *slot = c;
    }
}

srt_rc srt_config_load(const char *path, srt_config_t **out, srt_config_errors_t *errs,
                       srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *text = NULL;
    size_t len = 0;
    cJSON *root = NULL;
    srt_config_t *cfg = NULL;
    cfg_ctx_t ctx;
    srt_err_t e;
    memset(&ctx, 0, sizeof ctx);
    srt_err_clear(&e);
    srt_err_clear(err);
    if (out)
        *out = NULL;
    if (!path || !out) {
        rc = srt_err_set(&e, SRT_ERR_INVALID, NULL, NULL, 0, "no config path given");
        goto cleanup;
    }
    rc = srt_fs_read_file(path, &text, &len, &e);
    if (rc != SRT_OK) {
        if (!e.file[0])
            srt_err_set(&e, rc, path, NULL, 0, "cannot read the config file");
        goto cleanup;
    }
    if (blank(text)) {
        rc = srt_err_set(&e, SRT_ERR_PARSE, path, NULL, 0,
                         "the file is empty; expected a JSON object");
        goto cleanup;
    }
    const char *end = NULL;
    root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!root) {
        syntax_error(path, text, len, end, &e);
        rc = SRT_ERR_PARSE;
        goto cleanup;
    }
    const char *nul = memchr(text, '\0', len);
    if (nul) { /* cJSON stops at a NUL (in a string too) and would accept what follows */
        syntax_error(path, text, len, nul, &e);
        snprintf(e.msg, sizeof e.msg, "JSON syntax error: a NUL byte (not a UTF-8 JSON text file?)");
        rc = SRT_ERR_PARSE;
        goto cleanup;
    }
    if (!blank(end)) {
        while (is_space(*end))
            end++;
        syntax_error(path, text, len, end, &e);
        snprintf(e.msg, sizeof e.msg,
                 "JSON syntax error: unexpected text after the top-level object");
        rc = SRT_ERR_PARSE;
        goto cleanup;
    }
    if (!cJSON_IsObject(root)) {
        char got[128];
        cfg_describe_json(root, got, sizeof got);
        rc = srt_err_set(&e, SRT_ERR_CONFIG, path, NULL, 0,
                         "expected a JSON object at the top level, got %s", got);
        goto cleanup;
    }
    cfg = calloc(1, sizeof *cfg);
    if (!cfg || !(cfg->path = srt_strdup(path)) || !(cfg->dir = abs_dir_of(path))) {
        rc = srt_err_set(&e, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    ctx.file = path;
    ctx.root = root;
    ctx.cfg = cfg;
    read_top(&ctx);
    cfg_read_table_sections(&ctx);
    cfg_read_model(&ctx);
    cfg_read_space(&ctx);
    if (!ctx.nomem && cfg_error_count(&ctx) == 0)
        cfg_read_baselines(&ctx);
    if (ctx.model_set && !ctx.nomem && cfg_error_count(&ctx) == 0)
        cfg_check_model_constraints(&ctx);
    if (ctx.nomem) {
        rc = srt_err_set(&e, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (cfg_error_count(&ctx) > 0) {
        cfg_errors_flush(&ctx, errs, err);
        rc = SRT_ERR_CONFIG;
        goto cleanup;
    }
    rc = cfg_compute_hashes(cfg, &e);
    if (rc != SRT_OK)
        goto cleanup;
    *out = cfg;
    cfg = NULL;
cleanup:
    if (rc != SRT_OK && e.code != SRT_OK) {
        if (err)
            *err = e;
        if (errs)
            (void)cfg_errors_push(errs, &e);
    }
    cfg_ctx_fini(&ctx);
    cJSON_Delete(root);
    free(text);
    srt_config_destroy(&cfg);
    return rc;
}
