/*
 * Fidelity: the operators against SymbolicRegression.jl v1.11.3's
 * test/test_operators.jl "Generic operator tests" (val = 0.5, val2 = 3.2), for
 * T = Float32 and Float64, ported for every operator srtune has. One SR.jl
 * check is not ported: safe_pow(0, -1) is NaN there and Inf here (both an
 * infinite loss; docs/operators.md).
 */
#include <math.h>

#include "fidelity.h"

#define NEAR6(a, b) CU_ASSERT(fabs((double)(a) - (double)(b)) < 1e-6)

static void generic_operator_tests_float64(void)
{
    const double val = 0.5, val2 = 3.2;
#define A(op, x) srt_op_apply(op, x, 0)
#define B(op, x, y) srt_op_apply(op, x, y)
    NEAR6(A(SRT_OP_LOG, val), log(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG, -val)));
    NEAR6(A(SRT_OP_LOG2, val), log2(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG2, -val)));
    NEAR6(A(SRT_OP_LOG10, val), log10(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG10, -val)));
    NEAR6(A(SRT_OP_LOG1P, val), log1p(val));
    NEAR6(A(SRT_OP_ACOSH, val2), acosh(val2));
    CU_ASSERT(isnan(A(SRT_OP_ACOSH, -val2)));
    NEAR6(A(SRT_OP_ASIN, val), asin(val));
    CU_ASSERT(isnan(A(SRT_OP_ASIN, val2)));
    NEAR6(A(SRT_OP_ACOS, val), acos(val));
    CU_ASSERT(isnan(A(SRT_OP_ACOS, val2)));
    NEAR6(A(SRT_OP_ATANH, val), atanh(val));
    CU_ASSERT(isnan(A(SRT_OP_ATANH, val2)));
    CU_ASSERT_EQUAL(A(SRT_OP_NEG, -val), val);
    CU_ASSERT_EQUAL(A(SRT_OP_SQRT, val), sqrt(val));
    CU_ASSERT(isnan(A(SRT_OP_SQRT, -val)));
    CU_ASSERT_EQUAL(B(SRT_OP_MUL, val, val2), val * val2);
    CU_ASSERT_EQUAL(B(SRT_OP_ADD, val, val2), val + val2);
    CU_ASSERT_EQUAL(B(SRT_OP_SUB, val, val2), val - val2);
    CU_ASSERT_EQUAL(A(SRT_OP_SQUARE, val), val * val);
    CU_ASSERT_EQUAL(A(SRT_OP_CUBE, val), val * val * val);
    CU_ASSERT(isnan(B(SRT_OP_POW, -val, val2)));
    CU_ASSERT(!isfinite(B(SRT_OP_POW, -val, -val2)));
    CU_ASSERT(!isfinite(B(SRT_OP_POW, 0.0, -val2)));
    NEAR6(B(SRT_OP_POW, val, val2), pow(val, val2));
    NEAR6(B(SRT_OP_POW, val, -val2), pow(val, -val2));
    CU_ASSERT(!isnan(B(SRT_OP_POW, -1.0, 2.0)));
    CU_ASSERT(isnan(B(SRT_OP_POW, -1.0, 2.1)));
    CU_ASSERT(isnan(A(SRT_OP_LOG2, 0.0)));
    CU_ASSERT(isnan(A(SRT_OP_LOG10, 0.0)));
    CU_ASSERT(isnan(A(SRT_OP_LOG1P, -2.0)));
    CU_ASSERT_EQUAL(B(SRT_OP_GREATER, val, val2), 0.0);
    CU_ASSERT_EQUAL(B(SRT_OP_GREATER, val2, val), 1.0);
    CU_ASSERT_EQUAL(A(SRT_OP_RELU, -val), 0.0);
    CU_ASSERT_EQUAL(A(SRT_OP_RELU, val), val);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_OR, val, val2), 1.0);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_OR, 0.0, val2), 1.0);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_AND, 0.0, val2), 0.0);
    CU_ASSERT_EQUAL(B(SRT_OP_COND, val, val2), val2);
    CU_ASSERT_EQUAL(B(SRT_OP_COND, -val, val2), 0.0);
#undef A
#undef B
}

static void generic_operator_tests_float32(void)
{
    const float val = 0.5f, val2 = 3.2f;
#define A(op, x) srt_sr__apply_f32(op, x, 0.0f)
#define B(op, x, y) srt_sr__apply_f32(op, x, y)
    NEAR6(A(SRT_OP_LOG, val), logf(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG, -val)));
    NEAR6(A(SRT_OP_LOG2, val), log2f(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG2, -val)));
    NEAR6(A(SRT_OP_LOG10, val), log10f(val));
    CU_ASSERT(isnan(A(SRT_OP_LOG10, -val)));
    NEAR6(A(SRT_OP_LOG1P, val), log1pf(val));
    NEAR6(A(SRT_OP_ACOSH, val2), acoshf(val2));
    CU_ASSERT(isnan(A(SRT_OP_ACOSH, -val2)));
    NEAR6(A(SRT_OP_ATANH, val), atanhf(val));
    CU_ASSERT(isnan(A(SRT_OP_ATANH, val2)));
    CU_ASSERT(isnan(A(SRT_OP_SQRT, -val)));
    CU_ASSERT(isnan(A(SRT_OP_LOG2, 0.0f)));
    CU_ASSERT(isnan(A(SRT_OP_LOG10, 0.0f)));
    CU_ASSERT(isnan(A(SRT_OP_LOG1P, -2.0f)));
    CU_ASSERT_EQUAL(B(SRT_OP_GREATER, val, val2), 0.0f);
    CU_ASSERT_EQUAL(B(SRT_OP_GREATER, val2, val), 1.0f);
    CU_ASSERT_EQUAL(A(SRT_OP_RELU, -val), 0.0f);
    CU_ASSERT_EQUAL(A(SRT_OP_RELU, val), val);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_OR, val, val2), 1.0f);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_OR, 0.0f, val2), 1.0f);
    CU_ASSERT_EQUAL(B(SRT_OP_LOGICAL_AND, 0.0f, val2), 0.0f);
    CU_ASSERT_EQUAL(B(SRT_OP_COND, val, val2), val2);
    CU_ASSERT_EQUAL(B(SRT_OP_COND, -val, val2), 0.0f);
#undef A
#undef B
}

/* test_operators.jl "Built-in operators pass validation": SR.jl's Options
 * maps > < >= <= to greater less greater_equal less_equal (binopmap); the
 * config and --option names do the same. */
static void comparison_symbols_map_to_their_functions(void)
{
    static const struct {
        const char *sym;
        const char *name;
    } m[] = {{">", "greater"}, {"<", "less"}, {">=", "greater_equal"}, {"<=", "less_equal"}};
    for (size_t i = 0; i < sizeof m / sizeof *m; i++) {
        srt_op_t a, b;
        CU_ASSERT_EQUAL_FATAL(srt_op_lookup(m[i].sym, &a), SRT_OK);
        CU_ASSERT_EQUAL_FATAL(srt_op_lookup(m[i].name, &b), SRT_OK);
        CU_ASSERT_EQUAL(a, b);
        CU_ASSERT_STRING_EQUAL(srt_op_name(a), m[i].name);
    }
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"test_operators.jl generic operator tests, Float64", generic_operator_tests_float64},
        {"test_operators.jl generic operator tests, Float32", generic_operator_tests_float32},
        {"test_operators.jl comparison symbols map to their functions",
         comparison_symbols_map_to_their_functions},
        {NULL, NULL}};
    return srt_test_main("sr_operators", cases);
}
