/*
 * bench_eval: node-rows per second per core of the SR evaluator
 * (srt_expr_eval) against a hand-written fused C loop of the same
 * expressions, compiled with -O3 and measured in the same run, for an
 * arithmetic set and a transcendental set of expressions of 10-30 nodes on
 * 1000-10000 rows (issue 4, "Benchmarks"). Prints both rates and their
 * ratio per set; goals: ratio >= 0.4 arithmetic, >= 0.3 transcendental.
 *
 * usage: bench_eval [seconds_per_case (default 0.3)]
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3")
#endif
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/core.h"
#include "srtune/sr.h"

/* ---- a tiny prefix parser: "(+ (* x0 2.5) (cos x1))" -> postfix ---- */

static const char *parse(const char *p, srt_expr_t *e)
{
    while (*p == ' ')
        p++;
    if (*p == '(') {
        p++;
        char name[16];
        int n = 0;
        while (*p != ' ' && *p != ')' && n < 15)
            name[n++] = *p++;
        name[n] = '\0';
        srt_op_t op;
        if (srt_op_lookup(name, &op) != SRT_OK) {
            fprintf(stderr, "bad op %s\n", name);
            exit(2);
        }
        for (int k = 0; k < srt_op_arity(op); k++)
            p = parse(p, e);
        while (*p == ' ')
            p++;
        if (*p++ != ')') {
            fprintf(stderr, "missing )\n");
            exit(2);
        }
        (void)srt_expr_push_op(e, op);
        return p;
    }
    if (*p == 'x') {
        char *end;
        long f = strtol(p + 1, &end, 10);
        (void)srt_expr_push_feature(e, (uint16_t)f);
        return end;
    }
    char *end;
    double v = strtod(p, &end);
    (void)srt_expr_push_const(e, v);
    return end;
}

/* ---- the expressions and their fused loops ---- */

typedef void (*fused_fn)(const double *restrict x0, const double *restrict x1,
                         const double *restrict x2, double *restrict out, size_t n);

/* The evaluator's kernels are also built for AVX2 and AVX-512 and picked at load
 * time; the "wide" references get the same clones, for a same-ISA comparison. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__)
#define WIDE __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define WIDE
#endif

#define FUSED(name, body)                                                                          \
    FUSED1(name, body, )                                                                           \
    FUSED1(name##_wide, body, WIDE)

#define FUSED1(name, body, attr)                                                                   \
    attr static void name(const double *restrict x0, const double *restrict x1,                   \
                     const double *restrict x2, double *restrict out, size_t n)                   \
    {                                                                                              \
        for (size_t j = 0; j < n; j++) {                                                           \
            double a = x0[j], b = x1[j], c = x2[j];                                                \
            out[j] = (body);                                                                       \
        }                                                                                          \
    }

FUSED(a1, (a * 2.5 + b) * (c - 0.7) / (a + 1.3))
FUSED(a2, ((a * b - c * 0.5) * (b + 2.0)) + (a * a * c - 1.7) / (b * b + 3.1))
FUSED(a3, a * b * c - a / b + c * 3.3 - 0.25 * a * a)
FUSED(a4, ((a + b) * (b - c) + (c * a - 1.5) / (b * b + 0.5)) * (a - 2.2) - a / 4.0)
FUSED(t1, sin(a * 2.1) + cos(b) * exp(-0.5 * c))
FUSED(t2, exp(-(a * a)) * sin(3.0 * b + c) + log(c * c + 1.0))
FUSED(t3, sqrt(a * a + b * b) * tanh(c) - cos(a * b) * 0.5 + sin(c) / (1.5 + cos(a)))
FUSED(t4, exp(sin(a) * cos(b)) + log(a + b * c) * atan(c - a) - sqrt(b) * 0.3)

typedef struct {
    const char *prefix; /* the expression in prefix form */
    fused_fn fused;     /* the same expression as a fused C loop, baseline ISA */
    fused_fn wide;      /* the same loop with the evaluator's ISA clones */
} case_t;

static const case_t arith[] = {
    {"(/ (* (+ (* x0 2.5) x1) (- x2 0.7)) (+ x0 1.3))", a1, a1_wide},
    {"(+ (* (- (* x0 x1) (* x2 0.5)) (+ x1 2.0)) (/ (- (* (* x0 x0) x2) 1.7) (+ (* x1 x1) 3.1)))",
     a2, a2_wide},
    {"(- (+ (- (* (* x0 x1) x2) (/ x0 x1)) (* x2 3.3)) (* (* 0.25 x0) x0))", a3, a3_wide},
    {"(- (* (+ (* (+ x0 x1) (- x1 x2)) (/ (- (* x2 x0) 1.5) (+ (* x1 x1) 0.5))) (- x0 2.2)) "
     "(/ x0 4.0))",
     a4, a4_wide},
};

static const case_t trans[] = {
    {"(+ (sin (* x0 2.1)) (* (cos x1) (exp (* -0.5 x2))))", t1, t1_wide},
    {"(+ (* (exp (neg (* x0 x0))) (sin (+ (* 3.0 x1) x2))) (log (+ (* x2 x2) 1.0)))", t2, t2_wide},
    {"(+ (- (* (sqrt (+ (* x0 x0) (* x1 x1))) (tanh x2)) (* (cos (* x0 x1)) 0.5)) "
     "(/ (sin x2) (+ 1.5 (cos x0))))",
     t3, t3_wide},
    {"(- (+ (exp (* (sin x0) (cos x1))) (* (log (+ x0 (* x1 x2))) (atan (- x2 x0)))) "
     "(* (sqrt x1) 0.3))",
     t4, t4_wide},
};

static volatile double sink;

/* Runs fn repeatedly for about `seconds`; returns node-rows per second. */
static double rate_eval(const srt_expr_t *e, const double *const *cols, size_t n, double *out,
                        double seconds)
{
    long reps = 0;
    double t0 = srt_time_monotonic(), t;
    do {
        for (int k = 0; k < 10; k++)
            if (srt_expr_eval(e, cols, n, out) != SRT_OK)
                fprintf(stderr, "eval failed\n");
        reps += 10;
        sink += out[n / 2];
        t = srt_time_monotonic() - t0;
    } while (t < seconds);
    return (double)reps * (double)n * e->len / t;
}

static double rate_fused(fused_fn fn, uint32_t len, const double *const *cols, size_t n,
                         double *out, double seconds)
{
    long reps = 0;
    double t0 = srt_time_monotonic(), t;
    do {
        for (int k = 0; k < 10; k++)
            fn(cols[0], cols[1], cols[2], out, n);
        reps += 10;
        sink += out[n / 2];
        t = srt_time_monotonic() - t0;
    } while (t < seconds);
    return (double)reps * (double)n * len / t;
}

static int run_set(const char *name, const case_t *cases, size_t ncases, const double *const *cols,
                   double *out, double *ref, double seconds, double goal)
{
    static const size_t sizes[] = {1000, 3000, 10000};
    double sum_eval = 0, sum_fused = 0, sum_wide = 0;
    int count = 0, bad = 0;
    printf("%s set:\n", name);
    for (size_t c = 0; c < ncases; c++) {
        srt_expr_t e;
        srt_expr_init(&e);
        parse(cases[c].prefix, &e);
        if (!srt_expr_is_valid(&e, 3)) {
            fprintf(stderr, "invalid expression %s\n", cases[c].prefix);
            exit(2);
        }
        for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
            size_t n = sizes[s];
            (void)srt_expr_eval(&e, cols, n, out);
            cases[c].fused(cols[0], cols[1], cols[2], ref, n);
            for (size_t j = 0; j < n; j++)
                if (fabs(out[j] - ref[j]) > 1e-9 * fmax(1.0, fabs(ref[j]))) {
                    fprintf(stderr, "mismatch in %s at row %zu: %g vs %g\n", cases[c].prefix, j,
                            out[j], ref[j]);
                    bad = 1;
                    break;
                }
            double re = rate_eval(&e, cols, n, out, seconds);
            double rf = rate_fused(cases[c].fused, e.len, cols, n, ref, seconds);
            double rw = rate_fused(cases[c].wide, e.len, cols, n, ref, seconds);
            printf("  size %2u rows %5zu  srtune %6.2f G node-rows/s  fused C %6.2f G  ratio %.2f"
                   "  (same-ISA fused %6.2f G, ratio %.2f)\n",
                   e.len, n, re / 1e9, rf / 1e9, re / rf, rw / 1e9, re / rw);
            sum_eval += re;
            sum_fused += rf;
            sum_wide += rw;
            count++;
        }
        srt_expr_fini(&e);
    }
    double ratio = sum_eval / sum_fused;
    printf("%s: srtune %.2f G node-rows/s, fused C -O3 %.2f G node-rows/s, ratio %.2f "
           "(goal >= %.1f); same-ISA fused %.2f G, ratio %.2f\n\n",
           name, sum_eval / count / 1e9, sum_fused / count / 1e9, ratio, goal,
           sum_wide / count / 1e9, sum_eval / sum_wide);
    return bad;
}

static double rate_eval_f32(const srt_expr_t *e, const float *const *cols, size_t n, float *out,
                            double seconds)
{
    long reps = 0;
    double t0 = srt_time_monotonic(), t;
    do {
        for (int k = 0; k < 10; k++)
            if (srt_expr_eval_f32(e, cols, n, out) != SRT_OK)
                fprintf(stderr, "eval failed\n");
        reps += 10;
        sink += out[n / 2];
        t = srt_time_monotonic() - t0;
    } while (t < seconds);
    return (double)reps * (double)n * e->len / t;
}

/* precision 32: the Float32 evaluator against the Float64 one on the same
 * expressions (Float32 copies of the data). */
static void run_set_f32(const char *name, const case_t *cases, size_t ncases,
                        const double *const *cols, double *out, const float *const *cols32,
                        float *out32, double seconds)
{
    double sum64 = 0, sum32 = 0;
    printf("%s set, precision 32 vs 64:\n", name);
    for (size_t c = 0; c < ncases; c++) {
        srt_expr_t e;
        srt_expr_init(&e);
        parse(cases[c].prefix, &e);
        size_t n = 10000;
        double r64 = rate_eval(&e, cols, n, out, seconds);
        double r32 = rate_eval_f32(&e, cols32, n, out32, seconds);
        printf("  size %2u rows %5zu  Float64 %6.2f G node-rows/s  Float32 %6.2f G  ratio %.2f\n",
               e.len, n, r64 / 1e9, r32 / 1e9, r32 / r64);
        sum64 += r64;
        sum32 += r32;
        srt_expr_fini(&e);
    }
    printf("%s: Float32 / Float64 throughput %.2f\n\n", name, sum32 / sum64);
}

int main(int argc, char **argv)
{
    double seconds = argc > 1 ? atof(argv[1]) : 0.3;
    size_t nmax = 10000;
    double *block = malloc(5 * nmax * sizeof *block);
    if (!block)
        return 1;
    const double *cols[3];
    uint64_t st = 1;
    for (size_t k = 0; k < 3 * nmax; k++)
        block[k] = 0.5 + 1.5 * (double)(srt_splitmix64(&st) >> 11) * 0x1.0p-53;
    for (int f = 0; f < 3; f++)
        cols[f] = block + (size_t)f * nmax;
    double *out = block + 3 * nmax, *ref = block + 4 * nmax;
    printf("bench_eval: one core, %.2f s per case\n\n", seconds);
    int bad = run_set("arithmetic", arith, sizeof arith / sizeof arith[0], cols, out, ref, seconds,
                      0.4);
    bad |= run_set("transcendental", trans, sizeof trans / sizeof trans[0], cols, out, ref,
                   seconds, 0.3);
    float *block32 = malloc(4 * nmax * sizeof *block32);
    if (!block32)
        return 1;
    const float *cols32[3];
    for (size_t k = 0; k < 3 * nmax; k++)
        block32[k] = (float)block[k];
    for (int f = 0; f < 3; f++)
        cols32[f] = block32 + (size_t)f * nmax;
    run_set_f32("arithmetic", arith, sizeof arith / sizeof arith[0], cols, out, cols32,
                block32 + 3 * nmax, seconds);
    run_set_f32("transcendental", trans, sizeof trans / sizeof trans[0], cols, out, cols32,
                block32 + 3 * nmax, seconds);
    free(block32);
    free(block);
    return bad;
}
