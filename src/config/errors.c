/*
 * Error collection for config loading: every error is recorded with its
 * position in the document, then sorted into file order, so the user reads
 * them top to bottom however the checks were ordered in the code. The first
 * error is also copied into the caller's srt_err_t.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

/* Stop collecting after this many: the rest are noise. */
#define CFG_MAX_ERRORS 200

void srt_config_errors_init(srt_config_errors_t *errs)
{
    if (errs)
        memset(errs, 0, sizeof *errs);
}

void srt_config_errors_fini(srt_config_errors_t *errs)
{
    if (!errs)
        return;
    free(errs->items);
    memset(errs, 0, sizeof *errs);
}

int cfg_errors_push(srt_config_errors_t *errs, const srt_err_t *e)
{
    if (errs->count == errs->cap) {
        size_t cap = errs->cap ? errs->cap * 2 : 8;
        srt_err_t *p = realloc(errs->items, cap * sizeof *p);
        if (!p)
            return 0;
        errs->items = p;
        errs->cap = cap;
    }
    errs->items[errs->count++] = *e;
    return 1;
}

void srt_config_errors_print(const srt_config_errors_t *errs, FILE *fp)
{
    char buf[2048];
    if (!errs || !fp)
        return;
    for (size_t i = 0; i < errs->count; i++)
        fprintf(fp, "%s\n", srt_err_format(&errs->items[i], buf, sizeof buf));
}

/* Preorder index of target under node; *counter counts nodes visited. Returns 1
 * when found. */
static int find_index(const cJSON *node, const cJSON *target, long *counter)
{
    if (node == target)
        return 1;
    (*counter)++;
    for (const cJSON *c = node->child; c; c = c->next)
        if (find_index(c, target, counter))
            return 1;
    return 0;
}

static long subtree_size(const cJSON *node)
{
    long n = 1;
    for (const cJSON *c = node->child; c; c = c->next)
        n += subtree_size(c);
    return n;
}

static long node_pos(const cJSON *root, const cJSON *at, int after)
{
    if (!root || !at)
        return after ? 0x7fffffffL : 0;
    long idx = 0;
    if (!find_index(root, at, &idx))
        return 0x7fffffffL;
    if (after)
        return 2 * (idx + subtree_size(at) - 1) + 1;
    return 2 * idx;
}

void cfg_error(cfg_ctx_t *ctx, const cJSON *at, int after, const char *key, const char *fmt, ...)
{
    if (ctx->n_errs >= CFG_MAX_ERRORS)
        return;
    if (ctx->n_errs == ctx->cap_errs) {
        size_t cap = ctx->cap_errs ? ctx->cap_errs * 2 : 8;
        cfg_pending_err_t *p = realloc(ctx->errs, cap * sizeof *p);
        if (!p) {
            ctx->nomem = 1;
            return;
        }
        ctx->errs = p;
        ctx->cap_errs = cap;
    }
    cfg_pending_err_t *e = &ctx->errs[ctx->n_errs];
    e->pos = node_pos(ctx->root, at, after);
    e->seq = (long)ctx->n_errs;
    va_list ap;
    va_start(ap, fmt);
    srt_err_setv(&e->err, SRT_ERR_CONFIG, ctx->file, key, 0, fmt, ap);
    va_end(ap);
    ctx->n_errs++;
}

size_t cfg_error_count(const cfg_ctx_t *ctx)
{
    return ctx->n_errs;
}

static int cmp_pending(const void *a, const void *b)
{
    const cfg_pending_err_t *x = a, *y = b;
    if (x->pos != y->pos)
        return x->pos < y->pos ? -1 : 1;
    return x->seq < y->seq ? -1 : (x->seq > y->seq);
}

void cfg_errors_flush(cfg_ctx_t *ctx, srt_config_errors_t *errs, srt_err_t *err)
{
    if (ctx->n_errs == 0)
        return;
    qsort(ctx->errs, ctx->n_errs, sizeof *ctx->errs, cmp_pending);
    if (err)
        *err = ctx->errs[0].err;
    for (size_t i = 0; errs && i < ctx->n_errs; i++)
        if (!cfg_errors_push(errs, &ctx->errs[i].err))
            break;
}

void cfg_ctx_fini(cfg_ctx_t *ctx)
{
    free(ctx->errs);
    free(ctx->model_set);
    ctx->errs = NULL;
    ctx->model_set = NULL;
    ctx->n_errs = ctx->cap_errs = 0;
}
