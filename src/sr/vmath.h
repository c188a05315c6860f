/*
 * Vectorisable sin, cos, exp and log for the evaluator's block loops, in
 * double and (vmf_*, precision 32) in float (included by eval.c only).
 * Straight-line arithmetic (Cody-Waite reduction by pi/2 or ln 2 with
 * magic-number rounding, fdlibm's kernel polynomials in double), so
 * the compiler vectorises a loop over a block and every ISA clone gives the
 * same bits (ISO C mode: no FMA contraction). Accuracy is within a few ULP
 * of libm. Arguments outside the fast range (|x| > 2^19 for sin/cos,
 * |x| > 700 for exp, x outside [DBL_MIN, DBL_MAX] for log, NaN, Inf) are the
 * caller's to route to libm: the kernels return garbage there.
 */
#ifndef SRTUNE_SR_VMATH_H
#define SRTUNE_SR_VMATH_H

#include <stdint.h>
#include <string.h>

#define VM_TRIG_LIMIT 524288.0 /* 2^19: k * PIO2_1 stays exact */
#define VM_EXP_LIMIT 700.0
#define VM_LOG_MIN 2.2250738585072014e-308 /* smallest normal double */
#define VM_LOG_MAX 1.7976931348623157e308

static inline double vm_round_magic(double x, uint64_t *bits)
{
    const double magic = 0x1.8p52;
    double t = x + magic;
    memcpy(bits, &t, sizeof t);
    return t - magic;
}

/* sin (quadrant offset 0) or cos (offset 1) for |x| <= VM_TRIG_LIMIT. */
static inline double vm_sincos(double x, uint64_t offset)
{
    const double two_over_pi = 6.36619772367581382433e-01;
    const double pio2_1 = 1.57079632673412561417e+00;  /* first 33 bits of pi/2 */
    const double pio2_2 = 6.07710050630396597660e-11;  /* next 33 bits */
    const double pio2_3 = 2.02226624871116645580e-21;  /* next 33 bits */
    const double pio2_3t = 8.47842766036889956997e-32; /* the rest */
    uint64_t bits;
    double k = vm_round_magic(x * two_over_pi, &bits);
    double y = ((x - k * pio2_1) - k * pio2_2) - k * pio2_3;
    y = y - k * pio2_3t;
    uint64_t q = (bits + offset) & 3;
    double z = y * y;
    /* fdlibm __kernel_sin */
    const double S1 = -1.66666666666666324348e-01, S2 = 8.33333333332248946124e-03,
                 S3 = -1.98412698298579493134e-04, S4 = 2.75573137070700676789e-06,
                 S5 = -2.50507602534068634195e-08, S6 = 1.58969099521155010221e-10;
    double rs = S2 + z * (S3 + z * (S4 + z * (S5 + z * S6)));
    double s = y + (y * z) * (S1 + z * rs);
    /* fdlibm __kernel_cos */
    const double C1 = 4.16666666666666019037e-02, C2 = -1.38888888888741095749e-03,
                 C3 = 2.48015872894767294178e-05, C4 = -2.75573143513906633035e-07,
                 C5 = 2.08757232129817482790e-09, C6 = -1.13596475577881948265e-11;
    double rc = z * (C1 + z * (C2 + z * (C3 + z * (C4 + z * (C5 + z * C6)))));
    double hz = 0.5 * z, w = 1.0 - hz;
    double c = w + (((1.0 - w) - hz) + z * rc);
    double r = (q & 1) ? c : s;
    return (q & 2) ? -r : r;
}

/* exp for |x| <= VM_EXP_LIMIT. */
static inline double vm_exp(double x)
{
    const double inv_ln2 = 1.44269504088896338700e+00;
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    uint64_t bits;
    double k = vm_round_magic(x * inv_ln2, &bits);
    double hi = x - k * ln2_hi, lo = k * ln2_lo;
    double r = hi - lo;
    /* fdlibm e_exp.c */
    const double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                 P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                 P5 = 4.13813679705723846039e-08;
    double t = r * r;
    double c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
    double y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
    /* scale by 2^k in two steps so that k down to -1021 - 52 stays exact */
    int64_t ki = (int64_t)((bits & 0xfffff) ^ 0x80000) - 0x80000; /* k: low 20 bits, signed */
    int64_t k1 = ki / 2, k2 = ki - k1;
    uint64_t e1 = (uint64_t)(k1 + 1023) << 52, e2 = (uint64_t)(k2 + 1023) << 52;
    double s1, s2;
    memcpy(&s1, &e1, sizeof s1);
    memcpy(&s2, &e2, sizeof s2);
    return (y * s1) * s2;
}

/* log for normal positive finite x (fdlibm e_log.c without its branches). */
static inline double vm_log(double x)
{
    const double ln2_hi = 6.93147180369123816490e-01, ln2_lo = 1.90821492927058770002e-10;
    const double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                 Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                 Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                 Lg7 = 1.479819860511658591e-01;
    uint64_t bits;
    memcpy(&bits, &x, sizeof bits);
    int64_t hx = (int64_t)(bits >> 32);
    int64_t k = (hx >> 20) - 1023;
    hx &= 0x000fffff;
    int64_t i = (hx + 0x95f64) & 0x100000;
    uint64_t nb = ((uint64_t)(hx | (i ^ 0x3ff00000)) << 32) | (bits & 0xffffffffu);
    double m;
    memcpy(&m, &nb, sizeof m);
    k += i >> 20;
    double f = m - 1.0;
    double s = f / (2.0 + f);
    double dk = (double)k;
    double z = s * s, w = z * z;
    int64_t i2 = (hx - 0x6147a) | (0x6b851 - hx);
    double t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
    double t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
    double R = t2 + t1;
    double hfsq = 0.5 * f * f;
    double a = dk * ln2_hi - ((hfsq - (s * (hfsq + R) + dk * ln2_lo)) - f);
    double b = dk * ln2_hi - ((s * (f - R) - dk * ln2_lo) - f);
    return i2 > 0 ? a : b;
}

/* ---- Float32 kernels (precision 32): the same scheme in float arithmetic,
 * Cephes' single-precision polynomials, so a vector holds twice the values.
 * Within 2 Float32 ULP of the correctly rounded result (tested). The fast
 * ranges: |x| <= VMF_TRIG_LIMIT, |x| <= VMF_EXP_LIMIT, x in [FLT_MIN, FLT_MAX]. */

#define VMF_TRIG_LIMIT 4096.0f /* k * PIO2F_1 and k * PIO2F_2 stay exact */
#define VMF_EXP_LIMIT 87.0f    /* 2^k stays a normal float */

static inline float vmf_round_magic(float x, uint32_t *bits)
{
    const float magic = 0x1.8p23f;
    float t = x + magic;
    memcpy(bits, &t, sizeof t);
    return t - magic;
}

/* sin (quadrant offset 0) or cos (offset 1) for |x| <= VMF_TRIG_LIMIT. */
static inline float vmf_sincos(float x, uint32_t offset)
{
    const float two_over_pi = 0.636619772367581343f;
    const float pio2_1 = 1.5703125f;                   /* 8 bits of pi/2 */
    const float pio2_2 = 4.83751296997070312500e-04f;  /* the next bits */
    const float pio2_3 = 7.54978995489188216e-08f;     /* the rest */
    uint32_t bits;
    float k = vmf_round_magic(x * two_over_pi, &bits);
    float y = ((x - k * pio2_1) - k * pio2_2) - k * pio2_3;
    uint32_t q = (bits + offset) & 3;
    float z = y * y;
    /* Cephes sinf / cosf polynomials on |y| <= pi/4 */
    float s = ((-1.9515295891e-4f * z + 8.3321608736e-3f) * z - 1.6666654611e-1f) * z * y + y;
    float c = ((2.443315711809948e-5f * z - 1.388731625493765e-3f) * z + 4.166664568298827e-2f) *
                  z * z -
              0.5f * z + 1.0f;
    float r = (q & 1) ? c : s;
    return (q & 2) ? -r : r;
}

/* exp for |x| <= VMF_EXP_LIMIT (Cephes expf). */
static inline float vmf_exp(float x)
{
    const float log2e = 1.44269504088896341f;
    const float ln2_hi = 0.693359375f, ln2_lo = -2.12194440e-4f;
    uint32_t bits;
    float k = vmf_round_magic(x * log2e, &bits);
    float r = (x - k * ln2_hi) - k * ln2_lo;
    float z = r * r;
    float p = ((((1.9875691500e-4f * r + 1.3981999507e-3f) * r + 8.3334519073e-3f) * r +
                4.1665795894e-2f) * r + 1.6666665459e-1f) * r + 5.0000001201e-1f;
    float y = (p * z + r) + 1.0f;
    int32_t ki = (int32_t)(bits & 0x7fffff) - 0x400000; /* k: the magic's low bits, signed */
    uint32_t e = (uint32_t)(ki + 127) << 23;
    float scale;
    memcpy(&scale, &e, sizeof scale);
    return y * scale;
}

/* log for normal positive finite x (Cephes logf without its branches). */
static inline float vmf_log(float x)
{
    uint32_t bits;
    memcpy(&bits, &x, sizeof bits);
    int32_t e = (int32_t)(bits >> 23) - 126;
    uint32_t mb = (bits & 0x7fffff) | 0x3f000000; /* mantissa in [0.5, 1) */
    float m;
    memcpy(&m, &mb, sizeof m);
    int small = m < 0.707106781186547524f;
    e -= small;
    float f = small ? (m + m) - 1.0f : m - 1.0f;
    float fe = (float)e;
    float z = f * f;
    float y = ((((((((7.0376836292e-2f * f - 1.1514610310e-1f) * f + 1.1676998740e-1f) * f -
                    1.2420140846e-1f) * f + 1.4249322787e-1f) * f - 1.6668057665e-1f) * f +
                 2.0000714765e-1f) * f - 2.4999993993e-1f) * f + 3.3333331174e-1f) * f * z;
    y += -2.12194440e-4f * fe;
    y += -0.5f * z;
    float r = f + y;
    return r + 0.693359375f * fe;
}

#endif
