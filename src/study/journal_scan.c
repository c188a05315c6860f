/*
 * Journal line scanner: a small JSON parser for replay that builds one line's
 * tree in reusable arrays (no allocation per node once warmed up), reads
 * Python's NaN / Infinity / -Infinity, and keeps each value's source span so
 * an attribute value can be stored as its own compact text.
 *
 * Invariants: keys are decoded while parsing, string values on first use, into
 * an arena sized before parsing to hold every string of the line (a decoded
 * string is never longer than its source), so no pointer into it moves; a
 * line either parses completely or
 * the parse fails (no partial tree is used); nesting depth is bounded.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

#define MAX_DEPTH 64

void srt__jdoc_fini(srt_jdoc_t *d)
{
    free(d->nodes);
    free(d->strs);
    memset(d, 0, sizeof *d);
}

typedef struct scanner {
    srt_jdoc_t *d; /* document being built */
    const char *s; /* text */
    size_t len;    /* text length */
    size_t pos;    /* cursor */
} scanner_t;

static inline void skip_ws(scanner_t *sc)
{
    while (sc->pos < sc->len) {
        char c = sc->s[sc->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            break;
        sc->pos++;
    }
}

static int new_node(scanner_t *sc, int type)
{
    srt_jdoc_t *d = sc->d;
    if (srt__grow((void **)&d->nodes, &d->cap, d->n + 1, sizeof(srt_jnode_t)) != 0)
        return -1;
    srt_jnode_t *n = &d->nodes[d->n];
    memset(n, 0, sizeof *n);
    n->type = type;
    n->child = n->next = -1;
    n->beg = sc->pos;
    return (int)d->n++;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Appends the UTF-8 encoding of code point cp. */
static void put_utf8(char *o, size_t *k, unsigned long cp)
{
    if (cp < 0x80) {
        o[(*k)++] = (char)cp;
    } else if (cp < 0x800) {
        o[(*k)++] = (char)(0xC0 | (cp >> 6));
        o[(*k)++] = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        o[(*k)++] = (char)(0xE0 | (cp >> 12));
        o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*k)++] = (char)(0x80 | (cp & 0x3F));
    } else {
        o[(*k)++] = (char)(0xF0 | (cp >> 18));
        o[(*k)++] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[(*k)++] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[(*k)++] = (char)(0x80 | (cp & 0x3F));
    }
}

static int read_hex4(scanner_t *sc, unsigned long *out)
{
    unsigned long v = 0;
    if (sc->pos + 4 > sc->len)
        return -1;
    for (int i = 0; i < 4; i++) {
        int h = hexval(sc->s[sc->pos++]);
        if (h < 0)
            return -1;
        v = v * 16 + (unsigned long)h;
    }
    *out = v;
    return 0;
}

/* Decodes the string at the cursor (on its opening quote) into the arena;
 * returns its offset in d->strs or -1. */
static long scan_string(scanner_t *sc)
{
    srt_jdoc_t *d = sc->d;
    size_t k = d->slen;
    long start = (long)k;
    sc->pos++; /* opening quote */
    while (sc->pos < sc->len) {
        /* copy the run up to the next quote or backslash in one go */
        const char *run = sc->s + sc->pos;
        size_t left = sc->len - sc->pos, r = 0;
        while (r < left && run[r] != '"' && run[r] != '\\')
            r++;
        memcpy(d->strs + k, run, r);
        k += r;
        sc->pos += r;
        if (sc->pos >= sc->len)
            return -1;
        char c = sc->s[sc->pos++];
        if (c == '"') {
            d->strs[k++] = '\0';
            d->slen = k;
            return start;
        }
        if (sc->pos >= sc->len)
            return -1;
        c = sc->s[sc->pos++];
        switch (c) {
        case '"':
        case '\\':
        case '/':
            d->strs[k++] = c;
            break;
        case 'b':
            d->strs[k++] = '\b';
            break;
        case 'f':
            d->strs[k++] = '\f';
            break;
        case 'n':
            d->strs[k++] = '\n';
            break;
        case 'r':
            d->strs[k++] = '\r';
            break;
        case 't':
            d->strs[k++] = '\t';
            break;
        case 'u': {
            unsigned long cp, lo;
            if (read_hex4(sc, &cp) != 0)
                return -1;
            if (cp >= 0xD800 && cp < 0xDC00 && sc->pos + 6 <= sc->len && sc->s[sc->pos] == '\\' &&
                sc->s[sc->pos + 1] == 'u') {
                size_t save = sc->pos;
                sc->pos += 2;
                if (read_hex4(sc, &lo) == 0 && lo >= 0xDC00 && lo < 0xE000)
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                else
                    sc->pos = save;
            }
            /* an escape takes 6 bytes and decodes to at most 4 */
            put_utf8(d->strs, &k, cp);
            break;
        }
        default:
            return -1;
        }
    }
    return -1;
}

static int scan_value(scanner_t *sc, int depth);

/* Moves the cursor (on an opening quote) past the closing quote; *esc tells
 * whether the string holds escapes. */
static int skip_string(scanner_t *sc, int *esc)
{
    size_t from = sc->pos + 1, p = from;
    *esc = 0;
    for (;;) {
        const char *q = p < sc->len ? memchr(sc->s + p, '"', sc->len - p) : NULL;
        if (!q)
            return -1;
        size_t qi = (size_t)(q - sc->s), b = qi;
        while (b > from && sc->s[b - 1] == '\\')
            b--;
        if (((qi - b) & 1) == 0) {
            if (!*esc && memchr(sc->s + from, '\\', qi - from))
                *esc = 1;
            sc->pos = qi + 1;
            return 0;
        }
        *esc = 1;
        p = qi + 1;
    }
}

static int scan_number(scanner_t *sc, int idx)
{
    const char *p = sc->s + sc->pos;
    size_t left = sc->len - sc->pos;
    srt_jnode_t *n = &sc->d->nodes[idx];
    if (left >= 3 && memcmp(p, "NaN", 3) == 0) {
        n->num = NAN;
        sc->pos += 3;
        return 0;
    }
    if (left >= 8 && memcmp(p, "Infinity", 8) == 0) {
        n->num = INFINITY;
        sc->pos += 8;
        return 0;
    }
    if (left >= 9 && memcmp(p, "-Infinity", 9) == 0) {
        n->num = -INFINITY;
        sc->pos += 9;
        return 0;
    }
    /* fast path (Clinger): at most 15 significant digits and a power of ten up
     * to 22 are exact doubles, so one multiply or divide rounds correctly */
    static const double pow10[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    size_t i = 0;
    int neg = 0, digits = 0, frac = 0, ok = 1;
    uint64_t mant = 0;
    if (i < left && p[i] == '-') {
        neg = 1;
        i++;
    }
    size_t first = i;
    while (i < left && p[i] >= '0' && p[i] <= '9') {
        if (mant || p[i] != '0')
            digits++;
        if (digits <= 19)
            mant = mant * 10 + (uint64_t)(p[i] - '0');
        i++;
    }
    if (i == first)
        return -1;
    if (i < left && p[i] == '.') {
        i++;
        while (i < left && p[i] >= '0' && p[i] <= '9') {
            if (mant || p[i] != '0')
                digits++;
            if (digits <= 19) {
                mant = mant * 10 + (uint64_t)(p[i] - '0');
                frac++;
            }
            i++;
        }
    }
    ok = digits <= 19;
    int e10 = 0;
    if (i < left && (p[i] == 'e' || p[i] == 'E')) {
        size_t e = i + 1;
        int eneg = 0, ev = 0, ed = 0;
        if (e < left && (p[e] == '+' || p[e] == '-'))
            eneg = p[e++] == '-';
        while (e < left && p[e] >= '0' && p[e] <= '9' && ed < 6) {
            ev = ev * 10 + (p[e++] - '0');
            ed++;
        }
        ok &= ed > 0 && ed < 6;
        e10 = eneg ? -ev : ev;
        i = e;
    }
    e10 -= frac;
    if (ok && digits <= 15 && e10 >= -22 && e10 <= 22) {
        double v = (double)mant;
        v = e10 < 0 ? v / pow10[-e10] : v * pow10[e10];
        n->num = neg ? -v : v;
        sc->pos += i;
        return 0;
    }
#if LDBL_MANT_DIG == 64
    /* up to 19 digits: one long double operation on exact operands (10^k for
     * k <= 27 is exact in 64 bits), then to double unless the 11 bits that
     * rounding drops lie within one unit of the halfway point (a possible
     * double-rounding error: those go to strtod) */
    if (ok && e10 >= -27 && e10 <= 27) {
        long double x = (long double)mant, pw = 1.0L;
        for (int k = e10 < 0 ? -e10 : e10; k > 0; k--)
            pw *= 10.0L;
        x = e10 < 0 ? x / pw : x * pw;
        int ex;
        uint64_t bits = (uint64_t)ldexpl(frexpl(x, &ex), 64);
        unsigned low = (unsigned)(bits & 0x7FF);
        if (x == 0.0L || low < 0x3FE || low > 0x402) {
            double v = (double)x;
            n->num = neg ? -v : v;
            sc->pos += i;
            return 0;
        }
    }
#endif
    /* general case: copy the token and strtod it */
    char tok[64];
    size_t t = 0;
    while (t < left && t < sizeof tok - 1 &&
           ((p[t] >= '0' && p[t] <= '9') || p[t] == '-' || p[t] == '+' || p[t] == '.' ||
            p[t] == 'e' || p[t] == 'E')) {
        tok[t] = p[t];
        t++;
    }
    tok[t] = '\0';
    char *end;
    n->num = strtod(tok, &end);
    if (end != tok + t)
        return -1;
    sc->pos += t;
    return 0;
}

static int scan_container(scanner_t *sc, int idx, int depth, int object)
{
    char close = object ? '}' : ']';
    int last = -1;
    sc->pos++; /* { or [ */
    skip_ws(sc);
    if (sc->pos < sc->len && sc->s[sc->pos] == close) {
        sc->pos++;
        return 0;
    }
    for (;;) {
        long key = -1;
        skip_ws(sc);
        if (object) {
            if (sc->pos >= sc->len || sc->s[sc->pos] != '"')
                return -1;
            size_t kbeg = sc->pos;
            int kesc;
            if (skip_string(sc, &kesc) != 0)
                return -1;
            if (!kesc) {
                size_t kl = sc->pos - kbeg - 2;
                srt_jdoc_t *d = sc->d;
                memcpy(d->strs + d->slen, sc->s + kbeg + 1, kl);
                d->strs[d->slen + kl] = '\0';
                key = (long)d->slen;
                d->slen += kl + 1;
            } else {
                size_t after = sc->pos;
                sc->pos = kbeg;
                key = scan_string(sc);
                if (key < 0)
                    return -1;
                sc->pos = after;
            }
            skip_ws(sc);
            if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
                return -1;
            sc->pos++;
            skip_ws(sc);
        }
        int child = scan_value(sc, depth + 1);
        if (child < 0)
            return -1;
        sc->d->nodes[child].key = key;
        if (last < 0)
            sc->d->nodes[idx].child = child;
        else
            sc->d->nodes[last].next = child;
        last = child;
        skip_ws(sc);
        if (sc->pos >= sc->len)
            return -1;
        char c = sc->s[sc->pos++];
        if (c == close)
            return 0;
        if (c != ',')
            return -1;
    }
}

static int scan_value(scanner_t *sc, int depth)
{
    if (depth > MAX_DEPTH || sc->pos >= sc->len)
        return -1;
    char c = sc->s[sc->pos];
    int idx;
    int rc = 0;
    if (c == '{' || c == '[') {
        idx = new_node(sc, c == '{' ? SRT_JSON_OBJECT : SRT_JSON_ARRAY);
        if (idx < 0)
            return -1;
        rc = scan_container(sc, idx, depth, c == '{');
    } else if (c == '"') {
        idx = new_node(sc, SRT_JSON_STRING);
        if (idx < 0)
            return -1;
        sc->d->nodes[idx].str = -1; /* decoded on demand by srt__jdoc_str */
        rc = skip_string(sc, &sc->d->nodes[idx].esc);
    } else if (sc->len - sc->pos >= 4 && memcmp(sc->s + sc->pos, "null", 4) == 0) {
        idx = new_node(sc, SRT_JSON_NULL);
        sc->pos += 4;
    } else if (sc->len - sc->pos >= 4 && memcmp(sc->s + sc->pos, "true", 4) == 0) {
        idx = new_node(sc, SRT_JSON_TRUE);
        sc->pos += 4;
    } else if (sc->len - sc->pos >= 5 && memcmp(sc->s + sc->pos, "false", 5) == 0) {
        idx = new_node(sc, SRT_JSON_FALSE);
        sc->pos += 5;
    } else {
        idx = new_node(sc, SRT_JSON_NUMBER);
        if (idx >= 0)
            rc = scan_number(sc, idx);
    }
    if (idx < 0 || rc != 0)
        return -1;
    sc->d->nodes[idx].end = sc->pos;
    return idx;
}

int srt__jdoc_parse(srt_jdoc_t *d, const char *text, size_t len)
{
    scanner_t sc = {d, text, len, 0};
    d->n = 0;
    d->slen = 0;
    d->text = text;
    if (srt__grow((void **)&d->strs, &d->scap, len + 16, 1) != 0)
        return -1;
    skip_ws(&sc);
    if (sc.pos >= len || text[sc.pos] != '{')
        return -1;
    int root = scan_value(&sc, 0);
    if (root != 0)
        return -1;
    skip_ws(&sc);
    return sc.pos == len ? 0 : -1;
}

int srt__jdoc_get(const srt_jdoc_t *d, int obj, const char *key)
{
    if (obj < 0 || d->nodes[obj].type != SRT_JSON_OBJECT)
        return -1;
    for (int i = d->nodes[obj].child; i >= 0; i = d->nodes[i].next) {
        const char *k = d->strs + d->nodes[i].key;
        if (k[0] == key[0] && strcmp(k, key) == 0)
            return i;
    }
    return -1;
}

const char *srt__jdoc_str(srt_jdoc_t *d, int idx)
{
    if (idx < 0 || d->nodes[idx].type != SRT_JSON_STRING)
        return NULL;
    srt_jnode_t *n = &d->nodes[idx];
    if (n->str < 0) {
        if (!n->esc) {
            size_t len = n->end - n->beg - 2;
            memcpy(d->strs + d->slen, d->text + n->beg + 1, len);
            d->strs[d->slen + len] = '\0';
            n->str = (long)d->slen;
            d->slen += len + 1;
        } else {
            scanner_t sc = {d, d->text, n->end, n->beg};
            n->str = scan_string(&sc);
            if (n->str < 0)
                return NULL;
        }
    }
    return d->strs + n->str;
}

const char *srt__jdoc_raw(const srt_jdoc_t *d, int idx, size_t *len)
{
    if (idx < 0 || d->nodes[idx].type != SRT_JSON_STRING)
        return NULL;
    *len = d->nodes[idx].end - d->nodes[idx].beg - 2;
    return d->text + d->nodes[idx].beg + 1;
}

const char *srt__jdoc_key(const srt_jdoc_t *d, int idx)
{
    return d->strs + d->nodes[idx].key;
}

int srt__jdoc_num(const srt_jdoc_t *d, int idx, double *out)
{
    if (idx < 0 || d->nodes[idx].type != SRT_JSON_NUMBER)
        return -1;
    *out = d->nodes[idx].num;
    return 0;
}

int srt__jdoc_type(const srt_jdoc_t *d, int idx)
{
    return idx < 0 ? -1 : d->nodes[idx].type;
}

char *srt__jdoc_text(const srt_jdoc_t *d, int idx)
{
    const srt_jnode_t *n = &d->nodes[idx];
    char *out = malloc(n->end - n->beg + 1);
    if (!out)
        return NULL;
    size_t k = 0;
    int in_str = 0;
    for (size_t i = n->beg; i < n->end; i++) {
        char c = d->text[i];
        if (in_str) {
            out[k++] = c;
            if (c == '\\' && i + 1 < n->end)
                out[k++] = d->text[++i];
            else if (c == '"')
                in_str = 0;
        } else if (c == '"') {
            in_str = 1;
            out[k++] = c;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
            out[k++] = c;
        }
    }
    out[k] = '\0';
    return out;
}
