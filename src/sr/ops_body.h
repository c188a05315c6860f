/*
 * Scalar definitions of the operators added by issue 14 (docs/operators.md),
 * as SymbolicRegression.jl v1.11 / Julia define them. The includer defines
 * OREAL (double or float), OSFX(name) (name##_d or name##_f) and OFMOD (fmod
 * or fmodf): ops.c includes the double set for srt_op_apply, eval.c both sets
 * for its block loops and srt_sr__apply_f32. A block and a single row call
 * the same inline functions, so they give the same bits. No include guard on
 * purpose.
 *
 * Early exit: DynamicExpressions stops an evaluation (infinite loss) as soon
 * as any operator's result has a NaN or Inf, so an operator can never turn a
 * non-finite input into a finite output in SR.jl. srtune checks only the
 * root, so each new operator that could do so (max(-Inf, 1), greater(Inf, 0),
 * relu(-Inf), sign(Inf), inv(Inf), erf(Inf), sinc(Inf), mod(1, Inf), cond,
 * the logical ones) gives NaN for a non-finite input instead: the same
 * infinite loss.
 *
 * Julia's Bool * x is ifelse(b, x, copysign(0, x)): relu(-2) is -0.0 and
 * cond(-1, -3) is -0.0, as in Julia.
 */

/* 1 when x is finite: x - x is 0 exactly then (vectorises, unlike isfinite). */
static inline int OSFX(op_fin)(OREAL x)
{
    return x - x == (OREAL)0;
}

/* Julia's max for floats (Base.Math.max): the sign of x - y picks, so
 * max(-0.0, 0.0) is 0.0. */
static inline OREAL OSFX(op_max)(OREAL a, OREAL b)
{
    OREAL d = a - b;
    OREAL r = signbit(d) ? b : a;
    return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;
}

static inline OREAL OSFX(op_min)(OREAL a, OREAL b)
{
    OREAL d = a - b;
    OREAL r = signbit(d) ? a : b;
    return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;
}

/* Julia's mod(x, y) for floats: the sign of the divisor, r = rem(x, y)
 * (exact), r + y when r and y differ in sign, copysign(0, y) for r == 0;
 * mod(x, 0) is NaN. */
static inline OREAL OSFX(op_mod)(OREAL a, OREAL b)
{
    if (!(OSFX(op_fin)(a) & OSFX(op_fin)(b)))
        return (OREAL)NAN;
    OREAL r = OFMOD(a, b);
    if (r == 0)
        return copysign((OREAL)0, b);
    if ((r > 0) != (b > 0))
        return r + b;
    return r;
}

/* (x > y) * one(x) and friends: 1 or +0.0. */
#define OPS_CMP_(fname, rel)                                                                       \
    static inline OREAL OSFX(fname)(OREAL a, OREAL b)                                              \
    {                                                                                              \
        OREAL r = (a rel b) ? (OREAL)1 : (OREAL)0;                                                 \
        return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;                                 \
    }
OPS_CMP_(op_greater, >)
OPS_CMP_(op_less, <)
OPS_CMP_(op_greater_equal, >=)
OPS_CMP_(op_less_equal, <=)
#undef OPS_CMP_

/* cond(x, y) = (x > 0) * y */
static inline OREAL OSFX(op_cond)(OREAL a, OREAL b)
{
    OREAL r = a > 0 ? b : copysign((OREAL)0, b);
    return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;
}

/* ((x > 0) | (y > 0)) * one(x), ((x > 0) & (y > 0)) * one(x) */
static inline OREAL OSFX(op_logical_or)(OREAL a, OREAL b)
{
    OREAL r = (a > 0) | (b > 0) ? (OREAL)1 : (OREAL)0;
    return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;
}

static inline OREAL OSFX(op_logical_and)(OREAL a, OREAL b)
{
    OREAL r = (a > 0) & (b > 0) ? (OREAL)1 : (OREAL)0;
    return OSFX(op_fin)(a) & OSFX(op_fin)(b) ? r : (OREAL)NAN;
}

/* Julia's sign: ifelse(x == 0, x, copysign(1, x)), so sign(-0.0) is -0.0. */
static inline OREAL OSFX(op_sign)(OREAL a)
{
    OREAL r = a == 0 ? a : copysign((OREAL)1, a);
    return OSFX(op_fin)(a) ? r : (OREAL)NAN;
}

/* inv(x) = 1 / x; inv(0) is Inf (an infinite loss). */
static inline OREAL OSFX(op_inv)(OREAL a)
{
    OREAL r = (OREAL)1 / a;
    return OSFX(op_fin)(a) ? r : (OREAL)NAN;
}

/* relu(x) = (x > 0) * x */
static inline OREAL OSFX(op_relu)(OREAL a)
{
    OREAL r = a > 0 ? a : copysign((OREAL)0, a);
    return OSFX(op_fin)(a) ? r : (OREAL)NAN;
}
