/*
 * bench_eval: node-rows per second per core of the SR evaluator
 * (srt_expr_eval) against the same expressions written as fused C loops
 * (eval_ref.c), measured in the same run, for an arithmetic set and a
 * transcendental set of expressions of 10-30 nodes on 1000-10000 rows
 * (issue 18). The headline reference is the limit: the fused loop compiled for
 * this machine's own ISA (-O3 -march=native -fno-math-errno, transcendental
 * calls through glibc's vectorised libmvec). A secondary line gives the same
 * loop built for baseline x86-64 with scalar libm, what a portable -O3 build
 * would run. Goal: ratio >= 0.5 against the native loop on both sets.
 * Both precisions: the Float32 evaluator (srt_expr_eval_f32) is measured against
 * the same loops in float built for the native ISA (eval_ref.c, LOOPF).
 *
 * usage: bench_eval [seconds_per_case (default 0.3)]
 */
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

/* ---- the expressions and their fused loops (eval_ref.c) ---- */

typedef void (*fused_fn)(const double *restrict x0, const double *restrict x1,
                         const double *restrict x2, double *restrict out, size_t n);

#define REF_DECL(name)                                                                             \
    void name##_native(const double *restrict, const double *restrict, const double *restrict,     \
                       double *restrict, size_t);                                                  \
    void name##_base(const double *restrict, const double *restrict, const double *restrict,       \
                     double *restrict, size_t);
REF_DECL(a1)
REF_DECL(a2)
REF_DECL(a3)
REF_DECL(a4)
REF_DECL(t1)
REF_DECL(t2)
REF_DECL(t3)
REF_DECL(t4)

typedef void (*fused32_fn)(const float *restrict x0, const float *restrict x1,
                           const float *restrict x2, float *restrict out, size_t n);
#define REF32_DECL(name)                                                                           \
    void name##_f32_native(const float *restrict, const float *restrict, const float *restrict,    \
                           float *restrict, size_t);
REF32_DECL(a1)
REF32_DECL(a2)
REF32_DECL(a3)
REF32_DECL(a4)
REF32_DECL(t1)
REF32_DECL(t2)
REF32_DECL(t3)
REF32_DECL(t4)
/* the Float32 native fused loops, in the order of arith[] and trans[] */
static const fused32_fn arith32[] = {a1_f32_native, a2_f32_native, a3_f32_native, a4_f32_native};
static const fused32_fn trans32[] = {t1_f32_native, t2_f32_native, t3_f32_native, t4_f32_native};

typedef struct {
    const char *prefix; /* the expression in prefix form */
    fused_fn native;    /* the same expression as a fused C loop, -march=native + libmvec */
    fused_fn base;      /* the same loop for baseline x86-64, scalar libm */
} case_t;

static const case_t arith[] = {
    {"(/ (* (+ (* x0 2.5) x1) (- x2 0.7)) (+ x0 1.3))", a1_native, a1_base},
    {"(+ (* (- (* x0 x1) (* x2 0.5)) (+ x1 2.0)) (/ (- (* (* x0 x0) x2) 1.7) (+ (* x1 x1) 3.1)))",
     a2_native, a2_base},
    {"(- (+ (- (* (* x0 x1) x2) (/ x0 x1)) (* x2 3.3)) (* (* 0.25 x0) x0))", a3_native, a3_base},
    {"(- (* (+ (* (+ x0 x1) (- x1 x2)) (/ (- (* x2 x0) 1.5) (+ (* x1 x1) 0.5))) (- x0 2.2)) "
     "(/ x0 4.0))",
     a4_native, a4_base},
};

static const case_t trans[] = {
    {"(+ (sin (* x0 2.1)) (* (cos x1) (exp (* -0.5 x2))))", t1_native, t1_base},
    {"(+ (* (exp (neg (* x0 x0))) (sin (+ (* 3.0 x1) x2))) (log (+ (* x2 x2) 1.0)))", t2_native,
     t2_base},
    {"(+ (- (* (sqrt (+ (* x0 x0) (* x1 x1))) (tanh x2)) (* (cos (* x0 x1)) 0.5)) "
     "(/ (sin x2) (+ 1.5 (cos x0))))",
     t3_native, t3_base},
    {"(- (+ (exp (* (sin x0) (cos x1))) (* (log (+ x0 (* x1 x2))) (atan (- x2 x0)))) "
     "(* (sqrt x1) 0.3))",
     t4_native, t4_base},
};

static volatile double sink;

/* Calls run(ctx) in batches of 10 for about `seconds`; returns calls per second. */
static double calls_per_second(void (*run)(void *), void *ctx, double seconds)
{
    long reps = 0;
    double t0 = srt_time_monotonic(), t;
    do {
        for (int k = 0; k < 10; k++)
            run(ctx);
        reps += 10;
        t = srt_time_monotonic() - t0;
    } while (t < seconds);
    return (double)reps / t;
}

typedef struct {
    const srt_expr_t *e;        /* the expression (evaluator runs) */
    fused_fn fn;                /* the fused loop (reference runs) */
    const double *const *cols;  /* Float64 columns */
    double *out;                /* Float64 output */
    const float *const *cols32; /* Float32 columns */
    float *out32;               /* Float32 output */
    size_t n;                   /* rows */
} bench_ctx_t;

static void run_eval(void *p)
{
    bench_ctx_t *c = p;
    if (srt_expr_eval(c->e, c->cols, c->n, c->out) != SRT_OK)
        fprintf(stderr, "eval failed\n");
    sink += c->out[c->n / 2];
}

static void run_eval_f32(void *p)
{
    bench_ctx_t *c = p;
    if (srt_expr_eval_f32(c->e, c->cols32, c->n, c->out32) != SRT_OK)
        fprintf(stderr, "eval failed\n");
    sink += c->out32[c->n / 2];
}

static void run_fused(void *p)
{
    bench_ctx_t *c = p;
    c->fn(c->cols[0], c->cols[1], c->cols[2], c->out, c->n);
    sink += c->out[c->n / 2];
}

/* Node-rows per second of the evaluator and of a fused loop. */
static double rate_eval(const srt_expr_t *e, const double *const *cols, size_t n, double *out,
                        double seconds)
{
    bench_ctx_t c = {e, NULL, cols, out, NULL, NULL, n};
    return calls_per_second(run_eval, &c, seconds) * (double)n * e->len;
}

static double rate_fused(fused_fn fn, uint32_t len, const double *const *cols, size_t n,
                         double *out, double seconds)
{
    bench_ctx_t c = {NULL, fn, cols, out, NULL, NULL, n};
    return calls_per_second(run_fused, &c, seconds) * (double)n * len;
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
            cases[c].native(cols[0], cols[1], cols[2], ref, n);
            for (size_t j = 0; j < n; j++)
                if (fabs(out[j] - ref[j]) > 1e-9 * fmax(1.0, fabs(ref[j]))) {
                    fprintf(stderr, "mismatch in %s at row %zu: %g vs %g\n", cases[c].prefix, j,
                            out[j], ref[j]);
                    bad = 1;
                    break;
                }
            double re = rate_eval(&e, cols, n, out, seconds);
            double rf = rate_fused(cases[c].native, e.len, cols, n, ref, seconds);
            double rw = rate_fused(cases[c].base, e.len, cols, n, ref, seconds);
            printf("  size %2u rows %5zu  srtune %6.2f G node-rows/s  native fused %6.2f G  "
                   "ratio %.2f  (baseline-ISA fused %6.2f G, ratio %.2f)\n",
                   e.len, n, re / 1e9, rf / 1e9, re / rf, rw / 1e9, re / rw);
            sum_eval += re;
            sum_fused += rf;
            sum_wide += rw;
            count++;
        }
        srt_expr_fini(&e);
    }
    double ratio = sum_eval / sum_fused;
    printf("%s: srtune %.2f G node-rows/s, native fused %.2f G node-rows/s, ratio %.2f "
           "(goal >= %.1f: %s); baseline-ISA fused %.2f G, ratio %.2f\n\n",
           name, sum_eval / count / 1e9, sum_fused / count / 1e9, ratio, goal,
           ratio >= goal ? "met" : "not met", sum_wide / count / 1e9, sum_eval / sum_wide);
    return bad;
}

static double rate_eval_f32(const srt_expr_t *e, const float *const *cols, size_t n, float *out,
                            double seconds)
{
    bench_ctx_t c = {e, NULL, NULL, NULL, cols, out, n};
    return calls_per_second(run_eval_f32, &c, seconds) * (double)n * e->len;
}

typedef struct {
    fused32_fn f;
    const float *const *cols;
    size_t n;
    float *out;
} fused32_call_t;

static void run_fused32(void *p)
{
    const fused32_call_t *c = p;
    c->f(c->cols[0], c->cols[1], c->cols[2], c->out, c->n);
}

/* precision 32: the Float32 evaluator against the Float32 fused loop built
 * for this machine (the headline for precision 32) and against the Float64
 * evaluator on the same expressions (Float32 copies of the data). */
static void run_set_f32(const char *name, const case_t *cases, const fused32_fn *fused,
                        size_t ncases, const double *const *cols, double *out,
                        const float *const *cols32, float *out32, double seconds)
{
    double sum64 = 0, sum32 = 0, sumf = 0;
    printf("%s set, precision 32 (vs native Float32 fused loop, and vs Float64 evaluator):\n",
           name);
    for (size_t c = 0; c < ncases; c++) {
        srt_expr_t e;
        srt_expr_init(&e);
        parse(cases[c].prefix, &e);
        size_t n = 10000;
        double r64 = rate_eval(&e, cols, n, out, seconds);
        double r32 = rate_eval_f32(&e, cols32, n, out32, seconds);
        fused32_call_t fc = {fused[c], cols32, n, out32};
        double rf = calls_per_second(run_fused32, &fc, seconds) * (double)n * e.len;
        printf("  size %2u rows %5zu  Float32 %6.2f G node-rows/s  native fused %6.2f G  ratio "
               "%.2f  (Float64 evaluator %6.2f G, 32/64 %.2f)\n",
               e.len, n, r32 / 1e9, rf / 1e9, r32 / rf, r64 / 1e9, r32 / r64);
        sumf += rf;
        sum64 += r64;
        sum32 += r32;
        srt_expr_fini(&e);
    }
    printf("%s precision 32: srtune / native Float32 fused %.2f (goal >= 0.5: %s); Float32 / "
           "Float64 evaluator throughput %.2f\n\n",
           name, sum32 / sumf, sum32 / sumf >= 0.5 ? "met" : "not met", sum32 / sum64);
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
    int bad =
        run_set("arithmetic", arith, sizeof arith / sizeof arith[0], cols, out, ref, seconds, 0.5);
    bad |= run_set("transcendental", trans, sizeof trans / sizeof trans[0], cols, out, ref, seconds,
                   0.5);
    float *block32 = malloc(4 * nmax * sizeof *block32);
    if (!block32)
        return 1;
    const float *cols32[3];
    for (size_t k = 0; k < 3 * nmax; k++)
        block32[k] = (float)block[k];
    for (int f = 0; f < 3; f++)
        cols32[f] = block32 + (size_t)f * nmax;
    run_set_f32("arithmetic", arith, arith32, sizeof arith / sizeof arith[0], cols, out, cols32,
                block32 + 3 * nmax, seconds);
    run_set_f32("transcendental", trans, trans32, sizeof trans / sizeof trans[0], cols, out, cols32,
                block32 + 3 * nmax, seconds);
    free(block32);
    free(block);
    return bad;
}
