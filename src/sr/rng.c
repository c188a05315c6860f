/*
 * The engine's own PRNG: xoshiro256** (Blackman and Vigna), seeded by
 * SplitMix64 from a 64-bit seed. Its whole state is four words, so it is
 * saved in checkpoints as is; every draw of a run comes from one generator in
 * a fixed order, which is what makes runs reproducible bit for bit.
 */
#include <math.h>

#include "sr/sr_int.h"

static inline uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void srt_sr__rng_seed(srt_sr__rng_t *r, uint64_t seed)
{
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        r->s[i] = srt_splitmix64(&sm);
    if (!(r->s[0] | r->s[1] | r->s[2] | r->s[3]))
        r->s[0] = 1; /* the all-zero state is a fixed point */
}

uint64_t srt_sr__rng_u64(srt_sr__rng_t *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double srt_sr__rng_uniform(srt_sr__rng_t *r)
{
    return (double)(srt_sr__rng_u64(r) >> 11) * 0x1.0p-53;
}

float srt_sr__rng_uniform_f32(srt_sr__rng_t *r)
{
    return (float)(srt_sr__rng_u64(r) >> 40) * 0x1.0p-24f;
}

uint64_t srt_sr__rng_below(srt_sr__rng_t *r, uint64_t n)
{
    if (n <= 1)
        return 0;
    /* rejection sampling: unbiased */
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do {
        x = srt_sr__rng_u64(r);
    } while (x >= limit);
    return x % n;
}

int srt_sr__rng_bool(srt_sr__rng_t *r)
{
    return (int)(srt_sr__rng_u64(r) >> 63);
}

double srt_sr__rng_normal(srt_sr__rng_t *r)
{
    /* Marsaglia's polar method without caching the second value, so the state
     * alone describes the generator. */
    double u, v, s;
    do {
        u = 2.0 * srt_sr__rng_uniform(r) - 1.0;
        v = 2.0 * srt_sr__rng_uniform(r) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    return u * sqrt(-2.0 * log(s) / s);
}

/* Utils.jl poisson_sample (Knuth, for every lambda as SR.jl: multiply
 * uniforms while the product stays above exp(-lambda)), in Float32 as SR.jl
 * calls it: lambda = population_size * frac is Int * Float32. */
long srt_sr__rng_poisson(srt_sr__rng_t *r, float lambda)
{
    if (!(lambda > 0.0f))
        return 0;
    float limit = expf(-lambda), p = 1.0f;
    long k = 0;
    while (p > limit) {
        k++;
        p *= srt_sr__rng_uniform_f32(r);
    }
    return k - 1;
}

/* Not inline: GCC 12 at -O2 vectorises two adjacent inlined
 * (double)(float)x assignments into one 128-bit copy without the
 * conversions (seen in srt_sr__gen_init). */
double srt_sr__f32(double x)
{
    float f = (float)x;
    return (double)f;
}
