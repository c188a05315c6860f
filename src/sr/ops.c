/*
 * The operator table: names, arity, scalar semantics. PySR's "safe" semantics
 * come from C's math library: log and sqrt of a negative give NaN, log(0) is
 * -Inf, a negative base to a non-integer power is NaN; the evaluator turns any
 * non-finite value into an infinite loss.
 */
#include <math.h>
#include <string.h>

#include "srtune/sr.h"

static const struct {
    const char *name;
    int arity;
} op_table[SRT_OP_COUNT] = {
#define SRT_OP_ROW_(e, name, sym, arity) {name, arity},
    SRT_OP_LIST(SRT_OP_ROW_)
#undef SRT_OP_ROW_
};

const char *srt_op_name(srt_op_t op)
{
    return (unsigned)op < SRT_OP_COUNT ? op_table[op].name : "?";
}

int srt_op_arity(srt_op_t op)
{
    return (unsigned)op < SRT_OP_COUNT ? op_table[op].arity : -1;
}

srt_rc srt_op_lookup(const char *name, srt_op_t *out)
{
    static const struct {
        const char *alias;
        srt_op_t op;
    } aliases[] = {{"arcsin", SRT_OP_ASIN}, {"arccos", SRT_OP_ACOS}, {"arctan", SRT_OP_ATAN},
                   {"pow", SRT_OP_POW},     {"**", SRT_OP_POW},      {"ln", SRT_OP_LOG}};
    if (!name)
        return SRT_ERR_NOTFOUND;
    for (int i = SRT_OP_ADD; i < SRT_OP_COUNT; i++) {
        if (strcmp(name, op_table[i].name) == 0) {
            *out = (srt_op_t)i;
            return SRT_OK;
        }
    }
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(name, aliases[i].alias) == 0) {
            *out = aliases[i].op;
            return SRT_OK;
        }
    }
    return SRT_ERR_NOTFOUND;
}

double srt_op_apply(srt_op_t op, double a, double b)
{
    switch (op) {
    case SRT_OP_ADD: return a + b;
    case SRT_OP_SUB: return a - b;
    case SRT_OP_MUL: return a * b;
    case SRT_OP_DIV: return a / b;
    case SRT_OP_POW: return pow(a, b);
    case SRT_OP_NEG: return -a;
    case SRT_OP_SQUARE: return a * a;
    case SRT_OP_CUBE: return a * a * a;
    case SRT_OP_SQRT: return sqrt(a);
    case SRT_OP_EXP: return exp(a);
    case SRT_OP_LOG: return log(a);
    case SRT_OP_SIN: return sin(a);
    case SRT_OP_COS: return cos(a);
    case SRT_OP_TAN: return tan(a);
    case SRT_OP_TANH: return tanh(a);
    case SRT_OP_SINH: return sinh(a);
    case SRT_OP_COSH: return cosh(a);
    case SRT_OP_ASIN: return asin(a);
    case SRT_OP_ACOS: return acos(a);
    case SRT_OP_ATAN: return atan(a);
    case SRT_OP_ABS: return fabs(a);
    default: return NAN;
    }
}
