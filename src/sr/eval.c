/*
 * The evaluator: runs a postfix program over blocks of SRT_EVAL_BLOCK rows.
 * Stack position k always lives in slot k of a scratch area, so an operator
 * writes its result in place over its left operand; feature leaves are not
 * copied (the stack entry points into the data column). Each block is checked
 * for NaN/Inf once at the end (x * 0 is NaN exactly when x is not finite).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/sr.h"

#define SMALL_SLOTS 16

static uint32_t max_stack_depth(const srt_expr_t *e)
{
    uint32_t sp = 0, best = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        int arity = srt_op_arity((srt_op_t)e->nodes[i].op);
        sp = sp - (uint32_t)arity + 1;
        if (sp > best)
            best = sp;
    }
    return best;
}

static void apply_unary(srt_op_t op, double *restrict r, const double *restrict a, size_t n)
{
    size_t j;
    switch (op) {
    case SRT_OP_NEG: for (j = 0; j < n; j++) r[j] = -a[j]; break;
    case SRT_OP_SQUARE: for (j = 0; j < n; j++) r[j] = a[j] * a[j]; break;
    case SRT_OP_CUBE: for (j = 0; j < n; j++) r[j] = a[j] * a[j] * a[j]; break;
    case SRT_OP_SQRT: for (j = 0; j < n; j++) r[j] = sqrt(a[j]); break;
    case SRT_OP_EXP: for (j = 0; j < n; j++) r[j] = exp(a[j]); break;
    case SRT_OP_LOG: for (j = 0; j < n; j++) r[j] = log(a[j]); break;
    case SRT_OP_SIN: for (j = 0; j < n; j++) r[j] = sin(a[j]); break;
    case SRT_OP_COS: for (j = 0; j < n; j++) r[j] = cos(a[j]); break;
    case SRT_OP_TAN: for (j = 0; j < n; j++) r[j] = tan(a[j]); break;
    case SRT_OP_TANH: for (j = 0; j < n; j++) r[j] = tanh(a[j]); break;
    case SRT_OP_SINH: for (j = 0; j < n; j++) r[j] = sinh(a[j]); break;
    case SRT_OP_COSH: for (j = 0; j < n; j++) r[j] = cosh(a[j]); break;
    case SRT_OP_ASIN: for (j = 0; j < n; j++) r[j] = asin(a[j]); break;
    case SRT_OP_ACOS: for (j = 0; j < n; j++) r[j] = acos(a[j]); break;
    case SRT_OP_ATAN: for (j = 0; j < n; j++) r[j] = atan(a[j]); break;
    case SRT_OP_ABS: for (j = 0; j < n; j++) r[j] = fabs(a[j]); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
}

/* r may alias a (in place over the left operand); b never aliases r. */
static void apply_binary(srt_op_t op, double *r, const double *a, const double *restrict b,
                         size_t n)
{
    size_t j;
    switch (op) {
    case SRT_OP_ADD: for (j = 0; j < n; j++) r[j] = a[j] + b[j]; break;
    case SRT_OP_SUB: for (j = 0; j < n; j++) r[j] = a[j] - b[j]; break;
    case SRT_OP_MUL: for (j = 0; j < n; j++) r[j] = a[j] * b[j]; break;
    case SRT_OP_DIV: for (j = 0; j < n; j++) r[j] = a[j] / b[j]; break;
    case SRT_OP_POW: for (j = 0; j < n; j++) r[j] = pow(a[j], b[j]); break;
    default: for (j = 0; j < n; j++) r[j] = NAN; break;
    }
}

srt_rc srt_expr_eval(const srt_expr_t *e, const double *const *cols, size_t nrows, double *out)
{
    if (!e->len)
        return SRT_ERR_INVALID;
    uint32_t depth = max_stack_depth(e);
    double small[SMALL_SLOTS * SRT_EVAL_BLOCK];
    double *slots = small;
    const double *small_ptrs[SMALL_SLOTS];
    const double **stack = small_ptrs;
    srt_rc rc = SRT_OK;
    if (depth > SMALL_SLOTS) {
        slots = malloc((size_t)depth * SRT_EVAL_BLOCK * sizeof *slots);
        stack = malloc((size_t)depth * sizeof *stack);
        if (!slots || !stack) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
    }
    for (size_t row0 = 0; row0 < nrows; row0 += SRT_EVAL_BLOCK) {
        size_t n = nrows - row0 < SRT_EVAL_BLOCK ? nrows - row0 : SRT_EVAL_BLOCK;
        uint32_t sp = 0;
        for (uint32_t i = 0; i < e->len; i++) {
            const srt_node_t *node = &e->nodes[i];
            srt_op_t op = (srt_op_t)node->op;
            if (op == SRT_OP_FEATURE) {
                stack[sp++] = cols[node->feature] + row0;
            } else if (op == SRT_OP_CONST) {
                double *r = slots + (size_t)sp * SRT_EVAL_BLOCK;
                for (size_t j = 0; j < n; j++)
                    r[j] = node->value;
                stack[sp++] = r;
            } else if (srt_op_arity(op) == 1) {
                double *r = slots + (size_t)(sp - 1) * SRT_EVAL_BLOCK;
                apply_unary(op, r, stack[sp - 1], n);
                stack[sp - 1] = r;
            } else {
                double *r = slots + (size_t)(sp - 2) * SRT_EVAL_BLOCK;
                const double *b = stack[sp - 1];
                apply_binary(op, r, stack[sp - 2], b, n);
                stack[sp - 2] = r;
                sp--;
            }
        }
        const double *res = stack[0];
        double acc = 0.0;
        double *o = out + row0;
        for (size_t j = 0; j < n; j++) {
            o[j] = res[j];
            acc += res[j] * 0.0;
        }
        if (isnan(acc)) {
            rc = SRT_ERR_NUMERIC;
            goto cleanup;
        }
    }
cleanup:
    if (slots != small)
        free(slots);
    if (stack != small_ptrs)
        free((void *)stack);
    return rc;
}

double srt_expr_eval_point(const srt_expr_t *e, const double *x)
{
    if (!e->len)
        return NAN;
    double *stack = malloc((size_t)e->len * sizeof *stack);
    if (!stack)
        return NAN;
    uint32_t sp = 0;
    for (uint32_t i = 0; i < e->len; i++) {
        const srt_node_t *n = &e->nodes[i];
        switch (srt_op_arity((srt_op_t)n->op)) {
        case 0:
            stack[sp++] = n->op == SRT_OP_CONST ? n->value : x[n->feature];
            break;
        case 1:
            stack[sp - 1] = srt_op_apply((srt_op_t)n->op, stack[sp - 1], 0.0);
            break;
        default:
            stack[sp - 2] = srt_op_apply((srt_op_t)n->op, stack[sp - 2], stack[sp - 1]);
            sp--;
            break;
        }
    }
    double v = stack[0];
    free(stack);
    return v;
}
