/*
 * Postfix expressions: building, validation, depth, printing. Each node keeps
 * the size of its subtree, so the subtree ending at i starts at i - size + 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

void srt_expr_init(srt_expr_t *e)
{
    memset(e, 0, sizeof *e);
}

void srt_expr_fini(srt_expr_t *e)
{
    if (!e)
        return;
    free(e->nodes);
    memset(e, 0, sizeof *e);
}

srt_rc srt_expr_reserve(srt_expr_t *e, uint32_t n)
{
    if (n <= e->cap)
        return SRT_OK;
    uint32_t cap = e->cap ? e->cap : 16;
    while (cap < n)
        cap *= 2;
    srt_node_t *p = realloc(e->nodes, (size_t)cap * sizeof *p);
    if (!p)
        return SRT_ERR_NOMEM;
    e->nodes = p;
    e->cap = cap;
    return SRT_OK;
}

srt_rc srt_expr_copy(srt_expr_t *dst, const srt_expr_t *src)
{
    srt_rc rc = srt_expr_reserve(dst, src->len);
    if (rc != SRT_OK)
        return rc;
    if (src->len)
        memcpy(dst->nodes, src->nodes, (size_t)src->len * sizeof *src->nodes);
    dst->len = src->len;
    return SRT_OK;
}

static srt_rc push(srt_expr_t *e, srt_node_t n)
{
    srt_rc rc = srt_expr_reserve(e, e->len + 1);
    if (rc != SRT_OK)
        return rc;
    e->nodes[e->len++] = n;
    return SRT_OK;
}

srt_rc srt_expr_push_const(srt_expr_t *e, double value)
{
    srt_node_t n = {SRT_OP_CONST, 0, 0, 1, value};
    return push(e, n);
}

srt_rc srt_expr_push_feature(srt_expr_t *e, uint16_t feature)
{
    srt_node_t n = {SRT_OP_FEATURE, 0, feature, 1, 0.0};
    return push(e, n);
}

srt_rc srt_expr_push_op(srt_expr_t *e, srt_op_t op)
{
    int arity = srt_op_arity(op);
    if (arity < 1)
        return SRT_ERR_INVALID;
    uint32_t size = 1;
    uint32_t i = e->len;
    for (int k = 0; k < arity; k++) {
        if (i == 0)
            return SRT_ERR_INVALID; /* not enough operands */
        uint32_t s = e->nodes[i - 1].size;
        if (s == 0 || s > i)
            return SRT_ERR_INVALID;
        size += s;
        i -= s;
    }
    srt_node_t n = {(uint8_t)op, 0, 0, size, 0.0};
    return push(e, n);
}

int srt_expr_is_valid(const srt_expr_t *e, size_t nfeatures)
{
    if (!e || e->len == 0)
        return 0;
    /* Recompute sizes with an explicit stack of subtree sizes. */
    uint32_t *stack = malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return 0;
    uint32_t sp = 0;
    int ok = 1;
    for (uint32_t i = 0; i < e->len && ok; i++) {
        const srt_node_t *n = &e->nodes[i];
        if (n->op >= SRT_OP_COUNT) {
            ok = 0;
            break;
        }
        int arity = srt_op_arity((srt_op_t)n->op);
        uint32_t size = 1;
        if (arity == 0) {
            if (n->op == SRT_OP_FEATURE && n->feature >= nfeatures)
                ok = 0;
        } else {
            if (sp < (uint32_t)arity) {
                ok = 0;
                break;
            }
            for (int k = 0; k < arity; k++)
                size += stack[--sp];
        }
        if (n->size != size)
            ok = 0;
        stack[sp++] = size;
    }
    if (sp != 1)
        ok = 0;
    free(stack);
    return ok;
}

uint32_t srt_expr_depth(const srt_expr_t *e)
{
    if (!e->len)
        return 0;
    uint32_t *stack = malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return 0;
    uint32_t sp = 0, best = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        int arity = srt_op_arity((srt_op_t)e->nodes[i].op);
        uint32_t d = 0;
        for (int k = 0; k < arity && sp > 0; k++) {
            uint32_t c = stack[--sp];
            if (c > d)
                d = c;
        }
        stack[sp++] = d + 1;
        if (d + 1 > best)
            best = d + 1;
    }
    uint32_t depth = sp ? stack[sp - 1] : best;
    free(stack);
    return depth;
}

int srt_expr_uses_op(const srt_expr_t *e, srt_op_t op)
{
    for (uint32_t i = 0; i < e->len; i++)
        if (e->nodes[i].op == op)
            return 1;
    return 0;
}

/* ---- printing: a growable buffer and a recursive printer over ranges ---- */

typedef struct {
    char *buf;  /* text, NUL-terminated */
    size_t len; /* bytes used */
    size_t cap; /* bytes allocated */
    int failed; /* an allocation failed */
} strbuf;

static void sb_add(strbuf *sb, const char *s)
{
    size_t n = strlen(s);
    if (sb->failed)
        return;
    if (sb->len + n + 1 > sb->cap) {
        size_t cap = sb->cap ? sb->cap : 64;
        while (sb->len + n + 1 > cap)
            cap *= 2;
        char *p = realloc(sb->buf, cap);
        if (!p) {
            sb->failed = 1;
            return;
        }
        sb->buf = p;
        sb->cap = cap;
    }
    memcpy(sb->buf + sb->len, s, n + 1);
    sb->len += n;
}

static void print_node(strbuf *sb, const srt_expr_t *e, uint32_t i, const char *const *names,
                       srt_expr_style_t style)
{
    const srt_node_t *n = &e->nodes[i];
    char tmp[64];
    int arity = srt_op_arity((srt_op_t)n->op);
    if (n->op == SRT_OP_CONST) {
        snprintf(tmp, sizeof tmp, "%.17g", n->value);
        /* sympy reads "-2.5" after an operator fine only in parentheses */
        if (style == SRT_EXPR_STYLE_SYMPY && n->value < 0) {
            sb_add(sb, "(");
            sb_add(sb, tmp);
            sb_add(sb, ")");
        } else {
            sb_add(sb, tmp);
        }
        return;
    }
    if (n->op == SRT_OP_FEATURE) {
        if (names && names[n->feature]) {
            sb_add(sb, names[n->feature]);
        } else {
            snprintf(tmp, sizeof tmp, "x%u", (unsigned)n->feature);
            sb_add(sb, tmp);
        }
        return;
    }
    const char *form = srt_sr__expr_form((srt_op_t)n->op, style);
    if (form) { /* issue 14's operators: a template (expr_forms.c) */
        uint32_t right = i - 1;
        uint32_t left = arity == 2 ? right - e->nodes[right].size : right;
        for (const char *p = form; *p; p++) {
            if (p[0] == '%' && (p[1] == '1' || p[1] == '2')) {
                print_node(sb, e, p[1] == '1' ? left : right, names, style);
                p++;
            } else {
                char ch[2] = {*p, 0};
                sb_add(sb, ch);
            }
        }
        return;
    }
    if (arity == 2) {
        uint32_t right = i - 1;
        uint32_t left = right - e->nodes[right].size;
        const char *sym = srt_op_name((srt_op_t)n->op);
        if (style == SRT_EXPR_STYLE_SYMPY && n->op == SRT_OP_POW)
            sym = "**";
        sb_add(sb, "(");
        print_node(sb, e, left, names, style);
        sb_add(sb, style == SRT_EXPR_STYLE_SYMPY && n->op == SRT_OP_POW ? "" : " ");
        sb_add(sb, sym);
        sb_add(sb, style == SRT_EXPR_STYLE_SYMPY && n->op == SRT_OP_POW ? "" : " ");
        print_node(sb, e, right, names, style);
        sb_add(sb, ")");
        return;
    }
    /* unary */
    if (style == SRT_EXPR_STYLE_SYMPY) {
        switch (n->op) {
        case SRT_OP_NEG:
            sb_add(sb, "(-");
            print_node(sb, e, i - 1, names, style);
            sb_add(sb, ")");
            return;
        case SRT_OP_SQUARE:
        case SRT_OP_CUBE:
            sb_add(sb, "(");
            print_node(sb, e, i - 1, names, style);
            sb_add(sb, n->op == SRT_OP_SQUARE ? ")**2" : ")**3");
            return;
        case SRT_OP_ABS:
            sb_add(sb, "Abs(");
            print_node(sb, e, i - 1, names, style);
            sb_add(sb, ")");
            return;
        default:
            break;
        }
    }
    sb_add(sb, srt_op_name((srt_op_t)n->op));
    sb_add(sb, "(");
    print_node(sb, e, i - 1, names, style);
    sb_add(sb, ")");
}

char *srt_expr_to_string(const srt_expr_t *e, const char *const *names, srt_expr_style_t style)
{
    strbuf sb = {0};
    if (!e->len)
        sb_add(&sb, "");
    else
        print_node(&sb, e, e->len - 1, names, style);
    if (sb.failed) {
        free(sb.buf);
        return NULL;
    }
    return sb.buf;
}
