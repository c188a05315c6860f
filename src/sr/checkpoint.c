/*
 * Checkpoints: the whole state of a search (populations, best members per
 * island, hall of fame, complexity frequencies, PRNG state, counters) in a
 * little-endian binary file written with srt_fs_write_atomic, so a resumed
 * run continues exactly where the interrupted one stopped and ends with the
 * same results. The file starts with a magic, the version, the run's
 * precision (32 or 64) and an identity hash of (options, seed, data); it
 * ends with a hash of its contents. A checkpoint of the other precision is
 * refused with SRT_ERR_CONFIG naming both (a run cannot change precision). A file
 * that does not match is rejected (SRT_ERR_MISMATCH) rather than misread.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

#define MAGIC "SRTSRCK1"
#define VERSION 2u /* 2: the precision follows the version */

typedef struct {
    unsigned char *p; /* buffer */
    size_t len;       /* bytes used (write) or position (read) */
    size_t cap;       /* capacity (write) or size (read) */
    int failed;       /* 1 after an allocation failure or a short read */
} buf_t;

static void w_bytes(buf_t *b, const void *src, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (b->len + n > cap)
            cap *= 2;
        unsigned char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
    memcpy(b->p + b->len, src, n);
    b->len += n;
}

static void w_u64(buf_t *b, uint64_t v)
{
    unsigned char t[8];
    for (int i = 0; i < 8; i++)
        t[i] = (unsigned char)(v >> (8 * i));
    w_bytes(b, t, 8);
}

static void w_f64(buf_t *b, double d)
{
    uint64_t v;
    memcpy(&v, &d, 8);
    w_u64(b, v);
}

static uint64_t r_u64(buf_t *b)
{
    if (b->failed || b->len + 8 > b->cap) {
        b->failed = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 0; i < 8; i++)
        v |= (uint64_t)b->p[b->len + (size_t)i] << (8 * i);
    b->len += 8;
    return v;
}

static double r_f64(buf_t *b)
{
    uint64_t v = r_u64(b);
    double d;
    memcpy(&d, &v, 8);
    return d;
}

static void w_expr(buf_t *b, const srt_expr_t *e)
{
    w_u64(b, e->len);
    for (uint32_t i = 0; i < e->len; i++) {
        w_u64(b, (uint64_t)e->nodes[i].op | ((uint64_t)e->nodes[i].feature << 8));
        w_f64(b, e->nodes[i].value);
    }
}

static void r_expr(buf_t *b, srt_expr_t *e, size_t nfeatures, uint64_t max_nodes)
{
    uint64_t len = r_u64(b);
    if (b->failed || len < 1 || len > max_nodes ||
        srt_expr_reserve(e, (uint32_t)len) != SRT_OK) {
        b->failed = 1;
        return;
    }
    e->len = (uint32_t)len;
    for (uint32_t i = 0; i < e->len; i++) {
        uint64_t w = r_u64(b);
        srt_node_t n = {(uint8_t)(w & 0xff), 0, (uint16_t)(w >> 8), 1, r_f64(b)};
        e->nodes[i] = n;
    }
    if (b->failed || !srt_sr__fix_sizes(e) || !srt_expr_is_valid(e, nfeatures))
        b->failed = 1;
}

static void w_member(buf_t *b, const srt_sr__member_t *m)
{
    w_expr(b, &m->expr);
    w_f64(b, m->loss);
    w_f64(b, m->cost);
    w_u64(b, m->birth);
}

static void r_member(buf_t *b, srt_sr__member_t *m, size_t nfeatures, uint64_t max_nodes)
{
    r_expr(b, &m->expr, nfeatures, max_nodes);
    m->loss = r_f64(b);
    m->cost = r_f64(b);
    m->birth = r_u64(b);
}

uint64_t srt_sr__identity(const srt_sr_options_t *o, const srt_sr_data_t *d, uint64_t seed)
{
    srt_hasher_t h;
    srt_hasher_init(&h, 0x5352434bu);
    srt_hasher_str(&h, MAGIC);
    size_t n;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    for (size_t i = 0; i < n; i++) {
        double v = srt_sr_option_get(o, &t[i]);
        uint64_t bits;
        if (srt_sr__identity_skips(&t[i], v))
            continue;
        if (isnan(v))
            v = NAN; /* one NaN pattern */
        memcpy(&bits, &v, 8);
        srt_hasher_str(&h, t[i].name);
        srt_hasher_u64(&h, bits);
    }
    srt_hasher_i64(&h, o->n_binops);
    for (int i = 0; i < o->n_binops; i++)
        srt_hasher_u64(&h, o->binops[i]);
    srt_hasher_i64(&h, o->n_unaops);
    for (int i = 0; i < o->n_unaops; i++)
        srt_hasher_u64(&h, o->unaops[i]);
    srt_sr__identity_maps(&h, &o->maps);
    srt_hasher_u64(&h, seed);
    srt_hasher_u64(&h, d->nrows);
    srt_hasher_u64(&h, d->nfeatures);
    for (size_t f = 0; f < d->nfeatures; f++)
        srt_hasher_u64(&h, srt_hash64(d->cols[f], d->nrows * sizeof(double), f));
    srt_hasher_u64(&h, srt_hash64(d->y, d->nrows * sizeof(double), 0xffff));
    return srt_hasher_final(&h);
}

srt_rc srt_sr__checkpoint_save(const srt_sr__search_t *s, const char *path, uint64_t partial_len,
                               srt_err_t *err)
{
    buf_t b = {0};
    w_bytes(&b, MAGIC, 8);
    w_u64(&b, VERSION);
    w_u64(&b, (uint64_t)s->opts.precision);
    w_u64(&b, srt_sr__identity(&s->opts, &s->data, s->seed));
    w_u64(&b, partial_len);
    for (int i = 0; i < 4; i++)
        w_u64(&b, s->rng.s[i]);
    w_u64(&b, s->birth);
    w_f64(&b, s->num_evals);
    w_u64(&b, (uint64_t)s->iter);
    w_u64(&b, (uint64_t)s->island);
    w_u64(&b, (uint64_t)s->returns);
    w_f64(&b, s->elapsed_prev);
    for (long k = 0; k < s->maxsize; k++) {
        w_f64(&b, s->freq[k]);
        w_f64(&b, s->norm_freq[k]);
    }
    for (long k = 0; k < s->npops * s->popsize; k++)
        w_member(&b, &s->pops[k]);
    for (long k = 0; k < s->npops * s->topn; k++)
        w_member(&b, &s->best_sub[k]);
    for (long k = 0; k < s->maxsize; k++) {
        w_u64(&b, s->hof_exists[k]);
        if (s->hof_exists[k])
            w_member(&b, &s->hof[k]);
    }
    if (!b.failed)
        w_u64(&b, srt_hash64(b.p, b.len, 7));
    srt_rc rc;
    if (b.failed)
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    else
        rc = srt_fs_write_atomic(path, b.p, b.len, err);
    free(b.p);
    return rc;
}

srt_rc srt_sr__checkpoint_load(srt_sr__search_t *s, const char *path, uint64_t *partial_len,
                               srt_err_t *err)
{
    char *data = NULL;
    size_t len = 0;
    srt_rc rc = srt_fs_read_file(path, &data, &len, err);
    if (rc != SRT_OK)
        return rc;
    buf_t b = {(unsigned char *)data, 0, len, 0};
    int bad = len < 8 + 8 * 4 || memcmp(data, MAGIC, 8) != 0;
    if (!bad) {
        b.len = len - 8;
        bad = srt_hash64(data, len - 8, 7) != r_u64(&b);
    }
    if (bad) {
        rc = srt_err_set(err, SRT_ERR_MISMATCH, path, NULL, 0,
                         "not a checkpoint of this version, or damaged");
        goto cleanup;
    }
    b.len = 8;
    b.cap = len - 8;
    if (r_u64(&b) != VERSION) {
        rc = srt_err_set(err, SRT_ERR_MISMATCH, path, NULL, 0, "not a checkpoint of this version");
        goto cleanup;
    }
    uint64_t prec = r_u64(&b);
    if (prec != (uint64_t)s->opts.precision) {
        rc = srt_err_set(err, SRT_ERR_CONFIG, path, "precision", 0,
                         "checkpoint was written at precision %llu, this run has precision %ld: "
                         "a run cannot resume in the other precision (use precision %llu, or "
                         "remove the checkpoint to start afresh)",
                         (unsigned long long)prec, s->opts.precision, (unsigned long long)prec);
        goto cleanup;
    }
    if (r_u64(&b) != srt_sr__identity(&s->opts, &s->data, s->seed)) {
        rc = srt_err_set(err, SRT_ERR_MISMATCH, path, NULL, 0,
                         "checkpoint is for other options, seed or data");
        goto cleanup;
    }
    *partial_len = r_u64(&b);
    for (int i = 0; i < 4; i++)
        s->rng.s[i] = r_u64(&b);
    s->birth = r_u64(&b);
    s->num_evals = r_f64(&b);
    s->iter = (long)r_u64(&b);
    s->island = (long)r_u64(&b);
    s->returns = (long)r_u64(&b);
    s->elapsed_prev = r_f64(&b);
    for (long k = 0; k < s->maxsize; k++) {
        s->freq[k] = r_f64(&b);
        s->norm_freq[k] = r_f64(&b);
    }
    size_t nf = s->data.nfeatures;
    /* a sanity bound on node counts: complexity <= maxsize bounds them only
     * when every node weighs at least 1 */
    uint64_t max_nodes = s->gen.cx.custom ? (uint64_t)1 << 20 : (uint64_t)s->maxsize + 8;
    for (long k = 0; k < s->npops * s->popsize && !b.failed; k++)
        r_member(&b, &s->pops[k], nf, max_nodes);
    for (long k = 0; k < s->npops * s->topn && !b.failed; k++)
        r_member(&b, &s->best_sub[k], nf, max_nodes);
    for (long k = 0; k < s->maxsize && !b.failed; k++) {
        s->hof_exists[k] = (uint8_t)(r_u64(&b) != 0);
        if (s->hof_exists[k]) {
            r_member(&b, &s->hof[k], nf, max_nodes);
            /* slot k holds the best member of complexity k + 1, nothing else */
            if (srt_sr__complexity(&s->gen.cx, &s->hof[k].expr) != k + 1 ||
                !isfinite(s->hof[k].loss))
                b.failed = 1;
        }
    }
    if (!b.failed)
        srt_sr__search_refresh(s);
    if (b.failed || b.len != b.cap || s->island < 0 || s->island >= s->npops || s->iter < 0) {
        rc = srt_err_set(err, SRT_ERR_MISMATCH, path, NULL, 0, "checkpoint is damaged");
        goto cleanup;
    }
cleanup:
    free(data);
    return rc;
}
