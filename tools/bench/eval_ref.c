/*
 * The reference loops of bench_eval: each benchmark expression written as one
 * fused C loop over the rows. This file is compiled twice (tools/bench/
 * CMakeLists.txt): with REF_NATIVE for the machine's own ISA (-O3
 * -march=native -fno-math-errno -fopenmp-simd, transcendental calls
 * vectorised through glibc's libmvec, which is accurate to 4 ulp) -- the
 * headline reference, the limit an interpreter can approach -- and without it
 * as plain -O3 for baseline x86-64 with scalar libm calls, what a portable
 * build of the same loop gives (a secondary figure).
 */
#include <math.h>
#include <stddef.h>

#ifdef REF_NATIVE
#define REF(name) name##_native
/* glibc declares these vector variants only under -ffast-math; declaring them
 * here lets GCC call libmvec without fast-math's reassociation. */
#pragma omp declare simd notinbranch
extern double sin(double);
#pragma omp declare simd notinbranch
extern double cos(double);
#pragma omp declare simd notinbranch
extern double exp(double);
#pragma omp declare simd notinbranch
extern double log(double);
#pragma omp declare simd notinbranch
extern double tanh(double);
#pragma omp declare simd notinbranch
extern double atan(double);
#pragma omp declare simd notinbranch
extern float sinf(float);
#pragma omp declare simd notinbranch
extern float cosf(float);
#pragma omp declare simd notinbranch
extern float expf(float);
#pragma omp declare simd notinbranch
extern float logf(float);
#pragma omp declare simd notinbranch
extern float tanhf(float);
#pragma omp declare simd notinbranch
extern float atanf(float);
#define SIMD _Pragma("omp simd")
#else
#define REF(name) name##_base
#define SIMD
#endif

#define LOOP(name, body)                                                                           \
    void REF(name)(const double *restrict x0, const double *restrict x1,                           \
                   const double *restrict x2, double *restrict out, size_t n);                     \
    void REF(name)(const double *restrict x0, const double *restrict x1,                           \
                   const double *restrict x2, double *restrict out, size_t n)                      \
    {                                                                                              \
        SIMD for (size_t j = 0; j < n; j++)                                                        \
        {                                                                                          \
            double a = x0[j], b = x1[j], c = x2[j];                                                \
            out[j] = (body);                                                                       \
        }                                                                                          \
    }

LOOP(a1, (a * 2.5 + b) * (c - 0.7) / (a + 1.3))
LOOP(a2, ((a * b - c * 0.5) * (b + 2.0)) + (a * a * c - 1.7) / (b * b + 3.1))
LOOP(a3, a *b *c - a / b + c * 3.3 - 0.25 * a * a)
LOOP(a4, ((a + b) * (b - c) + (c * a - 1.5) / (b * b + 0.5)) * (a - 2.2) - a / 4.0)
LOOP(t1, sin(a * 2.1) + cos(b) * exp(-0.5 * c))
LOOP(t2, exp(-(a *a)) * sin(3.0 * b + c) + log(c * c + 1.0))
LOOP(t3, sqrt(a *a + b * b) * tanh(c) - cos(a * b) * 0.5 + sin(c) / (1.5 + cos(a)))
LOOP(t4, exp(sin(a) * cos(b)) + log(a + b * c) * atan(c - a) - sqrt(b) * 0.3)

#ifdef REF_NATIVE
/* The Float32 fused loops (native ISA only): the reference for precision 32,
 * constants rounded to float as the Float32 evaluator reads them. */
#define LOOPF(name, body)                                                                          \
    void REF(name)(const float *restrict x0, const float *restrict x1, const float *restrict x2,   \
                   float *restrict out, size_t n);                                                 \
    void REF(name)(const float *restrict x0, const float *restrict x1, const float *restrict x2,   \
                   float *restrict out, size_t n)                                                  \
    {                                                                                              \
        SIMD for (size_t j = 0; j < n; j++)                                                        \
        {                                                                                          \
            float a = x0[j], b = x1[j], c = x2[j];                                                 \
            out[j] = (body);                                                                       \
        }                                                                                          \
    }

LOOPF(a1_f32, (a * 2.5f + b) * (c - 0.7f) / (a + 1.3f))
LOOPF(a2_f32, ((a * b - c * 0.5f) * (b + 2.0f)) + (a * a * c - 1.7f) / (b * b + 3.1f))
LOOPF(a3_f32, a *b *c - a / b + c * 3.3f - 0.25f * a * a)
LOOPF(a4_f32, ((a + b) * (b - c) + (c * a - 1.5f) / (b * b + 0.5f)) * (a - 2.2f) - a / 4.0f)
LOOPF(t1_f32, sinf(a * 2.1f) + cosf(b) * expf(-0.5f * c))
LOOPF(t2_f32, expf(-(a *a)) * sinf(3.0f * b + c) + logf(c * c + 1.0f))
LOOPF(t3_f32, sqrtf(a *a + b * b) * tanhf(c) - cosf(a * b) * 0.5f + sinf(c) / (1.5f + cosf(a)))
LOOPF(t4_f32, expf(sinf(a) * cosf(b)) + logf(a + b * c) * atanf(c - a) - sqrtf(b) * 0.3f)
#endif
