/*
 * The formula parser: Python/sympy syntax of the Feynman catalogue compiled
 * straight to the SR engine's postfix form by recursive descent.
 *
 * Grammar (Python's precedence):
 *   sum     := product (('+' | '-') product)*
 *   product := unary (('*' | '/') unary)*
 *   unary   := ('-' | '+' | '~') unary | power
 *   power   := atom ['**' unary]          right-associative; -x**2 = -(x**2)
 *   atom    := number | 'pi' | name | func '(' sum ')' | '(' sum ')'
 * Invariants: every parse function appends exactly one complete subtree to
 * the output (so "the operand just parsed" is the node range that ends at the
 * current length); the first error wins and is reported with the 1-based
 * column of the token where it was found; nesting is bounded so hostile input
 * cannot overflow the C stack.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/data_int.h"

/* M_PI is POSIX/XSI, not C11. */
#define SRT_PI 3.14159265358979323846264338327950288

#define MAX_DEPTH 200

typedef enum {
    T_END,
    T_NUM,
    T_NAME,
    T_PLUS,
    T_MINUS,
    T_STAR,
    T_SLASH,
    T_POW,
    T_TILDE,
    T_LPAR,
    T_RPAR,
    T_COMMA,
    T_BAD
} tok_kind;

typedef struct {
    const char *src;          /* the formula */
    const char *const *names; /* variable names */
    size_t nvars;             /* number of names */
    srt_expr_t *out;          /* postfix output */
    srt_err_t *err;           /* error context */
    size_t pos;               /* byte offset of the next token's scan */
    tok_kind kind;            /* current token */
    size_t tstart, tlen;      /* current token's offset and length */
    double num;               /* value of a T_NUM token */
    int depth;                /* current nesting */
    srt_rc rc;                /* first error */
} parser;

static const struct {
    const char *name;
    srt_op_t op;
} functions[] = {
    {"exp", SRT_OP_EXP},     {"sqrt", SRT_OP_SQRT},   {"sin", SRT_OP_SIN},
    {"cos", SRT_OP_COS},     {"tan", SRT_OP_TAN},     {"tanh", SRT_OP_TANH},
    {"sinh", SRT_OP_SINH},   {"cosh", SRT_OP_COSH},   {"arcsin", SRT_OP_ASIN},
    {"arccos", SRT_OP_ACOS}, {"arctan", SRT_OP_ATAN}, {"asin", SRT_OP_ASIN},
    {"acos", SRT_OP_ACOS},   {"atan", SRT_OP_ATAN},   {"ln", SRT_OP_LOG},
    {"log", SRT_OP_LOG},     {"abs", SRT_OP_ABS},     {"Abs", SRT_OP_ABS},
};

__attribute__((format(printf, 3, 4))) static srt_rc fail(parser *p, size_t at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    (void)vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (p->rc != SRT_OK)
        return p->rc; /* the first error wins */
    /* Long formulas are cut so that the message itself survives. */
    int cut = strlen(p->src) > 300;
    p->rc = srt_err_set(p->err, SRT_ERR_PARSE, NULL, NULL, 0, "formula '%.*s%s', column %zu: %s",
                        cut ? 300 : (int)strlen(p->src), p->src, cut ? "..." : "", at + 1, msg);
    return p->rc;
}

static srt_rc nomem(parser *p)
{
    if (p->rc == SRT_OK)
        p->rc = srt_err_set(p->err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    return p->rc;
}

static int is_name_start(char c)
{
    return isalpha((unsigned char)c) || c == '_';
}

static int is_name_char(char c)
{
    return isalnum((unsigned char)c) || c == '_';
}

/* Scans the next token into p->kind/tstart/tlen (and num). */
static void next(parser *p)
{
    const char *s = p->src;
    size_t i = p->pos;
    while (s[i] == ' ' || s[i] == '\t')
        i++;
    p->tstart = i;
    char c = s[i];
    tok_kind k = T_BAD;
    size_t n = 1;
    if (c == '\0') {
        k = T_END;
        n = 0;
    } else if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)s[i + 1]))) {
        size_t j = i;
        while (isdigit((unsigned char)s[j]))
            j++;
        if (s[j] == '.') {
            j++;
            while (isdigit((unsigned char)s[j]))
                j++;
        }
        if ((s[j] == 'e' || s[j] == 'E') &&
            (isdigit((unsigned char)s[j + 1]) ||
             ((s[j + 1] == '+' || s[j + 1] == '-') && isdigit((unsigned char)s[j + 2])))) {
            j += 2;
            while (isdigit((unsigned char)s[j]))
                j++;
        }
        char tmp[64];
        n = j - i;
        if (n >= sizeof tmp) {
            k = T_BAD; /* absurdly long literal */
        } else {
            memcpy(tmp, s + i, n);
            tmp[n] = '\0';
            p->num = strtod(tmp, NULL);
            k = T_NUM;
        }
    } else if (is_name_start(c)) {
        size_t j = i;
        while (is_name_char(s[j]))
            j++;
        n = j - i;
        k = T_NAME;
    } else if (c == '*' && s[i + 1] == '*') {
        k = T_POW;
        n = 2;
    } else {
        switch (c) {
        case '+':
            k = T_PLUS;
            break;
        case '-':
            k = T_MINUS;
            break;
        case '*':
            k = T_STAR;
            break;
        case '/':
            k = T_SLASH;
            break;
        case '~':
            k = T_TILDE;
            break;
        case '(':
            k = T_LPAR;
            break;
        case ')':
            k = T_RPAR;
            break;
        case ',':
            k = T_COMMA;
            break;
        default:
            k = T_BAD;
            break;
        }
    }
    p->kind = k;
    p->tlen = n;
    p->pos = i + n;
}

/* Describes the current token for messages ("'*'", "the end"). */
static const char *tok_desc(const parser *p, char *buf, size_t size)
{
    if (p->kind == T_END)
        (void)snprintf(buf, size, "the end of the formula");
    else
        (void)snprintf(buf, size, "'%.*s'", (int)(p->tlen ? p->tlen : 1), p->src + p->tstart);
    return buf;
}

static srt_rc emit_op(parser *p, srt_op_t op)
{
    if (srt_expr_push_op(p->out, op) != SRT_OK)
        return nomem(p);
    return SRT_OK;
}

static srt_rc parse_sum(parser *p);
static srt_rc parse_unary(parser *p);

/* The node just emitted when it is a lone constant, else NULL. */
static srt_node_t *last_const(parser *p)
{
    srt_expr_t *e = p->out;
    if (e->len && e->nodes[e->len - 1].op == SRT_OP_CONST)
        return &e->nodes[e->len - 1];
    return NULL;
}

static srt_rc expect_operand_error(parser *p)
{
    char d[80];
    if (p->kind == T_BAD)
        return fail(p, p->tstart, "unexpected character %s", tok_desc(p, d, sizeof d));
    if (p->kind == T_END)
        return fail(p, p->tstart, "expected an operand, got the end of the formula");
    return fail(p, p->tstart, "expected an operand");
}

static srt_rc parse_call(parser *p, size_t name_at, size_t name_len)
{
    srt_op_t op = SRT_OP_COUNT;
    for (size_t i = 0; i < sizeof functions / sizeof functions[0]; i++) {
        if (strlen(functions[i].name) == name_len &&
            strncmp(functions[i].name, p->src + name_at, name_len) == 0) {
            op = functions[i].op;
            break;
        }
    }
    if (op == SRT_OP_COUNT)
        return fail(p, name_at, "unknown function '%.*s'", (int)name_len, p->src + name_at);
    next(p); /* skip '(' */
    if (parse_sum(p) != SRT_OK)
        return p->rc;
    if (p->kind == T_COMMA)
        return fail(p, p->tstart, "%.*s takes one argument", (int)name_len, p->src + name_at);
    if (p->kind != T_RPAR) {
        char d[80];
        return fail(p, p->tstart, "expected ')' to close %.*s(, got %s", (int)name_len,
                    p->src + name_at, tok_desc(p, d, sizeof d));
    }
    next(p);
    return emit_op(p, op);
}

static srt_rc parse_name(parser *p)
{
    size_t at = p->tstart, len = p->tlen;
    const char *s = p->src + at;
    next(p);
    if (p->kind == T_LPAR)
        return parse_call(p, at, len);
    for (size_t i = 0; i < p->nvars; i++) {
        if (p->names[i] && strlen(p->names[i]) == len && strncmp(p->names[i], s, len) == 0) {
            if (srt_expr_push_feature(p->out, (uint16_t)i) != SRT_OK)
                return nomem(p);
            return SRT_OK;
        }
    }
    if (len == 2 && strncmp(s, "pi", 2) == 0) {
        if (srt_expr_push_const(p->out, SRT_PI) != SRT_OK)
            return nomem(p);
        return SRT_OK;
    }
    /* A hint: the closest variable name. */
    char word[128];
    (void)snprintf(word, sizeof word, "%.*s", (int)len, s);
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    for (size_t i = 0; i < p->nvars; i++) {
        if (!p->names[i])
            continue;
        size_t d = srt_edit_distance(word, p->names[i]);
        if (d < best_d) {
            best_d = d;
            best = p->names[i];
        }
    }
    if (best && best_d <= 2)
        return fail(p, at, "unknown name '%.*s' (did you mean '%s'?)", (int)len, s, best);
    return fail(p, at, "unknown name '%.*s'", (int)len, s);
}

static srt_rc parse_atom(parser *p)
{
    switch (p->kind) {
    case T_NUM: {
        double v = p->num;
        next(p);
        if (srt_expr_push_const(p->out, v) != SRT_OK)
            return nomem(p);
        return SRT_OK;
    }
    case T_NAME:
        return parse_name(p);
    case T_LPAR: {
        size_t at = p->tstart;
        next(p);
        if (parse_sum(p) != SRT_OK)
            return p->rc;
        if (p->kind != T_RPAR) {
            char d[80];
            return fail(p, p->tstart, "expected ')' to close the '(' at column %zu, got %s", at + 1,
                        tok_desc(p, d, sizeof d));
        }
        next(p);
        return SRT_OK;
    }
    default:
        return expect_operand_error(p);
    }
}

static srt_rc parse_power(parser *p)
{
    if (parse_atom(p) != SRT_OK)
        return p->rc;
    if (p->kind != T_POW)
        return SRT_OK;
    next(p);
    if (parse_unary(p) != SRT_OK) /* right-associative, may carry a sign */
        return p->rc;
    srt_node_t *c = last_const(p);
    if (c && (c->value == 2.0 || c->value == 3.0)) {
        srt_op_t op = c->value == 2.0 ? SRT_OP_SQUARE : SRT_OP_CUBE;
        p->out->len--; /* drop the exponent */
        return emit_op(p, op);
    }
    return emit_op(p, SRT_OP_POW);
}

static srt_rc parse_unary(parser *p)
{
    /* Every nesting (parentheses, calls, signs, powers) passes through here. */
    if (++p->depth > MAX_DEPTH)
        return fail(p, p->tstart, "formula nested too deeply");
    if (p->kind == T_MINUS || p->kind == T_TILDE || p->kind == T_PLUS) {
        int negate = p->kind != T_PLUS;
        next(p);
        if (parse_unary(p) != SRT_OK)
            return p->rc;
        if (negate) {
            srt_node_t *c = last_const(p);
            if (c)
                c->value = -c->value;
            else if (emit_op(p, SRT_OP_NEG) != SRT_OK)
                return p->rc;
        }
    } else if (parse_power(p) != SRT_OK) {
        return p->rc;
    }
    p->depth--;
    return SRT_OK;
}

static srt_rc parse_product(parser *p)
{
    if (parse_unary(p) != SRT_OK)
        return p->rc;
    while (p->kind == T_STAR || p->kind == T_SLASH) {
        srt_op_t op = p->kind == T_STAR ? SRT_OP_MUL : SRT_OP_DIV;
        next(p);
        if (parse_unary(p) != SRT_OK || emit_op(p, op) != SRT_OK)
            return p->rc;
    }
    return SRT_OK;
}

static srt_rc parse_sum(parser *p)
{
    if (parse_product(p) != SRT_OK)
        return p->rc;
    while (p->kind == T_PLUS || p->kind == T_MINUS) {
        srt_op_t op = p->kind == T_PLUS ? SRT_OP_ADD : SRT_OP_SUB;
        next(p);
        if (parse_product(p) != SRT_OK || emit_op(p, op) != SRT_OK)
            return p->rc;
    }
    return SRT_OK;
}

srt_rc srt_formula_parse(const char *formula, const char *const *names, size_t nvars,
                         srt_expr_t *out, srt_err_t *err)
{
    parser p;
    memset(&p, 0, sizeof p);
    p.src = formula ? formula : "";
    p.names = names;
    p.nvars = nvars;
    p.out = out;
    p.err = err;
    p.rc = SRT_OK;
    out->len = 0;
    if (nvars > UINT16_MAX + 1u) {
        p.rc = srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "too many variables (%zu)", nvars);
        goto cleanup;
    }
    next(&p);
    if (p.kind == T_END) {
        fail(&p, 0, "empty formula");
        goto cleanup;
    }
    if (parse_sum(&p) != SRT_OK)
        goto cleanup;
    if (p.kind != T_END) {
        char d[80];
        if (p.kind == T_RPAR)
            fail(&p, p.tstart, "unmatched ')'");
        else if (p.kind == T_BAD)
            fail(&p, p.tstart, "unexpected character %s", tok_desc(&p, d, sizeof d));
        else
            fail(&p, p.tstart, "unexpected %s after a complete expression",
                 tok_desc(&p, d, sizeof d));
        goto cleanup;
    }
cleanup:
    if (p.rc != SRT_OK)
        out->len = 0;
    return p.rc;
}
