/*
 * Packing and unpacking of the protocol messages (protocol.h): fixed-width
 * little-endian fields written byte by byte, so nothing uninitialised or
 * platform-dependent reaches the wire. A reader never reads past `len`.
 */
#include <string.h>

#include "cluster/protocol.h"

const char *srt_tag_name(int tag)
{
    switch (tag) {
    case SRT_TAG_READY: return "READY";
    case SRT_TAG_PROGRESS: return "PROGRESS";
    case SRT_TAG_RESULT: return "RESULT";
    case SRT_TAG_WORK: return "WORK";
    case SRT_TAG_STOP: return "STOP";
    default: return "?";
    }
}

typedef struct {
    unsigned char *buf; /* output */
    size_t size, pos;   /* capacity and bytes written */
    int overflow;       /* set when a field did not fit */
} writer;

typedef struct {
    const unsigned char *buf; /* input */
    size_t len, pos;          /* length and bytes read */
    int bad;                  /* set on a short or malformed buffer */
} reader;

static void put_u64(writer *w, uint64_t v)
{
    if (w->pos + 8 > w->size) {
        w->overflow = 1;
        return;
    }
    for (int i = 0; i < 8; i++)
        w->buf[w->pos++] = (unsigned char)(v >> (8 * i));
}

static void put_u32(writer *w, uint32_t v)
{
    if (w->pos + 4 > w->size) {
        w->overflow = 1;
        return;
    }
    for (int i = 0; i < 4; i++)
        w->buf[w->pos++] = (unsigned char)(v >> (8 * i));
}

static void put_f64(writer *w, double d)
{
    uint64_t v;
    memcpy(&v, &d, sizeof v);
    put_u64(w, v);
}

/* A string: u32 length then the bytes (no NUL); max is the receiver's buffer. */
static void put_str(writer *w, const char *s, size_t max)
{
    size_t n = strnlen(s, max);
    if (n >= max) {
        w->overflow = 1;
        return;
    }
    put_u32(w, (uint32_t)n);
    if (w->pos + n > w->size) {
        w->overflow = 1;
        return;
    }
    memcpy(w->buf + w->pos, s, n);
    w->pos += n;
}

static uint64_t get_u64(reader *r)
{
    if (r->pos + 8 > r->len) {
        r->bad = 1;
        return 0;
    }
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | r->buf[r->pos + (size_t)i];
    r->pos += 8;
    return v;
}

static uint32_t get_u32(reader *r)
{
    if (r->pos + 4 > r->len) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = 0;
    for (int i = 3; i >= 0; i--)
        v = (v << 8) | r->buf[r->pos + (size_t)i];
    r->pos += 4;
    return v;
}

static double get_f64(reader *r)
{
    uint64_t v = get_u64(r);
    double d;
    memcpy(&d, &v, sizeof d);
    return d;
}

static void get_str(reader *r, char *out, size_t max)
{
    uint32_t n = get_u32(r);
    out[0] = '\0';
    if (r->bad || n >= max || r->pos + n > r->len) {
        r->bad = 1;
        return;
    }
    memcpy(out, r->buf + r->pos, n);
    out[n] = '\0';
    r->pos += n;
}

static size_t finish_write(const writer *w)
{
    return w->overflow ? 0 : w->pos;
}

/* A message must be consumed exactly: trailing bytes mean a layout mismatch. */
static srt_rc finish_read(const reader *r)
{
    return (r->bad || r->pos != r->len) ? SRT_ERR_PROTOCOL : SRT_OK;
}

size_t srt_msg_pack_ready(const srt_msg_ready_t *m, unsigned char *buf, size_t size)
{
    writer w = {buf, size, 0, 0};
    put_u32(&w, m->version);
    return finish_write(&w);
}

srt_rc srt_msg_unpack_ready(const unsigned char *buf, size_t len, srt_msg_ready_t *m)
{
    reader r = {buf, len, 0, 0};
    m->version = get_u32(&r);
    return finish_read(&r);
}

size_t srt_msg_pack_work(const srt_msg_work_t *m, unsigned char *buf, size_t size)
{
    writer w = {buf, size, 0, 0};
    if (m->n_params > SRT_MSG_MAX_PARAMS)
        return 0;
    put_u64(&w, (uint64_t)m->trial);
    put_u32(&w, (uint32_t)m->eq_pos);
    put_str(&w, m->run_dir, SRT_MSG_MAX_PATH);
    put_u32(&w, m->n_params);
    for (uint32_t i = 0; i < m->n_params; i++) {
        put_str(&w, m->params[i].name, SRT_MSG_MAX_NAME);
        put_f64(&w, m->params[i].value);
    }
    return finish_write(&w);
}

srt_rc srt_msg_unpack_work(const unsigned char *buf, size_t len, srt_msg_work_t *m)
{
    reader r = {buf, len, 0, 0};
    memset(m, 0, sizeof *m);
    m->trial = (int64_t)get_u64(&r);
    m->eq_pos = (int32_t)get_u32(&r);
    get_str(&r, m->run_dir, SRT_MSG_MAX_PATH);
    m->n_params = get_u32(&r);
    if (m->n_params > SRT_MSG_MAX_PARAMS)
        return SRT_ERR_PROTOCOL;
    for (uint32_t i = 0; i < m->n_params && !r.bad; i++) {
        get_str(&r, m->params[i].name, SRT_MSG_MAX_NAME);
        m->params[i].value = get_f64(&r);
    }
    return finish_read(&r);
}

size_t srt_msg_pack_progress(const srt_msg_progress_t *m, unsigned char *buf, size_t size)
{
    writer w = {buf, size, 0, 0};
    put_u64(&w, (uint64_t)m->trial);
    put_u32(&w, (uint32_t)m->eq_pos);
    put_u32(&w, (uint32_t)m->run);
    put_f64(&w, m->value);
    put_u32(&w, (uint32_t)m->reused);
    return finish_write(&w);
}

srt_rc srt_msg_unpack_progress(const unsigned char *buf, size_t len, srt_msg_progress_t *m)
{
    reader r = {buf, len, 0, 0};
    m->trial = (int64_t)get_u64(&r);
    m->eq_pos = (int32_t)get_u32(&r);
    m->run = (int32_t)get_u32(&r);
    m->value = get_f64(&r);
    m->reused = (int32_t)get_u32(&r);
    return finish_read(&r);
}

size_t srt_msg_pack_result(const srt_msg_result_t *m, unsigned char *buf, size_t size)
{
    writer w = {buf, size, 0, 0};
    if (m->n_values > SRT_MSG_MAX_EQUATIONS)
        return 0;
    put_u64(&w, (uint64_t)m->trial);
    put_u32(&w, (uint32_t)m->eq_pos);
    put_u32(&w, (uint32_t)m->status);
    put_f64(&w, m->value);
    put_u32(&w, m->n_values);
    for (uint32_t i = 0; i < m->n_values; i++)
        put_f64(&w, m->values[i]);
    put_str(&w, m->message, SRT_MSG_MAX_TEXT);
    return finish_write(&w);
}

srt_rc srt_msg_unpack_result(const unsigned char *buf, size_t len, srt_msg_result_t *m)
{
    reader r = {buf, len, 0, 0};
    m->trial = (int64_t)get_u64(&r);
    m->eq_pos = (int32_t)get_u32(&r);
    m->status = (int32_t)get_u32(&r);
    m->value = get_f64(&r);
    m->n_values = get_u32(&r);
    if (m->n_values > SRT_MSG_MAX_EQUATIONS)
        return SRT_ERR_PROTOCOL;
    for (uint32_t i = 0; i < m->n_values && !r.bad; i++)
        m->values[i] = get_f64(&r);
    get_str(&r, m->message, SRT_MSG_MAX_TEXT);
    return finish_read(&r);
}
