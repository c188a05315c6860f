/*
 * The operator table: names, arity, scalar semantics. PySR's "safe" semantics
 * come from C's math library: log and sqrt of a negative give NaN, log(0) is
 * -Inf, a negative base to a non-integer power is NaN; the evaluator turns any
 * non-finite value into an infinite loss. The operators of issue 14 follow
 * SR.jl's safe_* functions and Julia's definitions (ops_body.h and below;
 * docs/operators.md).
 */
#include <math.h>
#include <string.h>

#include "sr/sr_int.h"

#define PI_D 3.14159265358979323846 /* Julia: Float64(pi) */

#define OREAL double
#define OSFX(name) name##_d
#define OFMOD fmod
#include "sr/ops_body.h"
#undef OREAL
#undef OSFX
#undef OFMOD

/* Every operator of an arity fits in the options' operator lists. */
#define SRT_OP_IS_BIN_(e, name, sym, arity) +((arity) == 2)
#define SRT_OP_IS_UNA_(e, name, sym, arity) +((arity) == 1)
_Static_assert(0 SRT_OP_LIST(SRT_OP_IS_BIN_) <= SRT_SR_MAX_BINOPS, "SRT_SR_MAX_BINOPS too small");
_Static_assert(0 SRT_OP_LIST(SRT_OP_IS_UNA_) <= SRT_SR_MAX_UNAOPS, "SRT_SR_MAX_UNAOPS too small");
#undef SRT_OP_IS_BIN_
#undef SRT_OP_IS_UNA_

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

const char *srt_op_julia_name(srt_op_t op)
{
    switch (op) {
    case SRT_OP_GREATER: return ">";
    case SRT_OP_LESS: return "<";
    case SRT_OP_GREATER_EQUAL: return ">=";
    case SRT_OP_LESS_EQUAL: return "<=";
    default: return srt_op_name(op);
    }
}

srt_rc srt_op_lookup(const char *name, srt_op_t *out)
{
    static const struct {
        const char *alias;
        srt_op_t op;
    } aliases[] = {{"arcsin", SRT_OP_ASIN},       {"arccos", SRT_OP_ACOS},
                   {"arctan", SRT_OP_ATAN},       {"pow", SRT_OP_POW},
                   {"**", SRT_OP_POW},            {"ln", SRT_OP_LOG},
                   {">", SRT_OP_GREATER},         {"<", SRT_OP_LESS},
                   {">=", SRT_OP_GREATER_EQUAL},  {"<=", SRT_OP_LESS_EQUAL},
                   {"ceiling", SRT_OP_CEIL}};
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

/* Julia's cbrt is correctly rounded at exact cubes (cbrt(27.0) == 3.0);
 * glibc's may be one ulp off (3.0000000000000004). The neighbour whose cube
 * is nearest a (the error y^3 - a in double-double through fma) is taken. */
static double cube_error(double y, double a)
{
    double y2 = y * y, e2 = fma(y, y, -y2);
    double y3 = y2 * y, e3 = fma(y2, y, -y3);
    return fabs((y3 - a) + (e3 + e2 * y));
}

static double cbrt_julia(double a)
{
    double y = cbrt(a);
    if (!op_fin_d(y) || y == 0)
        return y;
    double lo = nextafter(y, -INFINITY), hi = nextafter(y, INFINITY);
    double best = y, err = cube_error(y, a);
    if (cube_error(lo, a) < err) {
        best = lo;
        err = cube_error(lo, a);
    }
    if (cube_error(hi, a) < err)
        best = hi;
    return best;
}

/* SR.jl's gamma: SpecialFunctions.gamma, NaN where that is infinite. At a
 * negative integer SpecialFunctions throws a DomainError (which would end a
 * PySR search); tgamma gives NaN there: an infinite loss. */
double srt_sr__gamma(double a)
{
    double r = tgamma(a);
    return isinf(r) ? NAN : r;
}

/* Julia's sinpi: sin(pi x) with the argument reduced exactly (x mod 2), so
 * sinpi of an integer is a signed zero. */
static double sinpi(double x)
{
    double ax = fabs(x);
    if (ax >= 0x1p52)
        return copysign(0.0, x); /* every such double is an even integer or an integer */
    double r = fmod(ax, 2.0);   /* exact */
    double s;
    if (r <= 0.25)
        s = sin(PI_D * r);
    else if (r <= 0.75)
        s = cos(PI_D * (r - 0.5));
    else if (r <= 1.25)
        s = sin(PI_D * (1.0 - r));
    else if (r <= 1.75)
        s = -cos(PI_D * (r - 1.5));
    else
        s = sin(PI_D * (r - 2.0));
    return x < 0 ? -s : s;
}

/* Julia's normalised sinc(x) = sin(pi x) / (pi x): 1 at 0, its Taylor
 * polynomial 1 - (pi x)^2 / 6 + (pi x)^4 / 120 for |x| < 0.001 (Julia's
 * _sinc threshold for Float64); sinc(Inf) is 0 in Julia, NaN here (early
 * exit, ops_body.h). */
double srt_sr__sinc(double a)
{
    if (!op_fin_d(a))
        return NAN;
    if (fabs(a) < 0.001) {
        const double c1 = -(PI_D * PI_D) / 6.0, c2 = (PI_D * PI_D * PI_D * PI_D) / 120.0;
        double x2 = a * a;
        return 1.0 + x2 * (c1 + x2 * c2);
    }
    return sinpi(a) / (PI_D * a);
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
    case SRT_OP_MAX: return op_max_d(a, b);
    case SRT_OP_MIN: return op_min_d(a, b);
    case SRT_OP_MOD: return op_mod_d(a, b);
    case SRT_OP_GREATER: return op_greater_d(a, b);
    case SRT_OP_LESS: return op_less_d(a, b);
    case SRT_OP_GREATER_EQUAL: return op_greater_equal_d(a, b);
    case SRT_OP_LESS_EQUAL: return op_less_equal_d(a, b);
    case SRT_OP_COND: return op_cond_d(a, b);
    case SRT_OP_LOGICAL_OR: return op_logical_or_d(a, b);
    case SRT_OP_LOGICAL_AND: return op_logical_and_d(a, b);
    case SRT_OP_CBRT: return cbrt_julia(a);
    case SRT_OP_SIGN: return op_sign_d(a);
    case SRT_OP_INV: return op_inv_d(a);
    case SRT_OP_LOG10: return a > 0 ? log10(a) : NAN;   /* safe_log10 */
    case SRT_OP_LOG2: return a > 0 ? log2(a) : NAN;     /* safe_log2 */
    case SRT_OP_LOG1P: return a > -1 ? log1p(a) : NAN;  /* safe_log1p */
    case SRT_OP_ASINH: return asinh(a);
    case SRT_OP_ACOSH: return a >= 1 ? acosh(a) : NAN;  /* safe_acosh */
    case SRT_OP_ATANH: return a >= -1 && a <= 1 ? atanh(a) : NAN; /* safe_atanh */
    case SRT_OP_ERF: return op_fin_d(a) ? erf(a) : NAN;
    case SRT_OP_ERFC: return op_fin_d(a) ? erfc(a) : NAN;
    case SRT_OP_GAMMA: return srt_sr__gamma(a);
    case SRT_OP_RELU: return op_relu_d(a);
    case SRT_OP_SINC: return srt_sr__sinc(a);
    case SRT_OP_ROUND: return rint(a); /* ties to even in the default rounding mode */
    case SRT_OP_FLOOR: return floor(a);
    case SRT_OP_CEIL: return ceil(a);
    default: return NAN;
    }
}
