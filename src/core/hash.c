/*
 * Stable hashing and seed derivation. srt_hash64 is an xxHash64-style hash
 * written here (same primes and rounds as XXH64; bytes are read as
 * little-endian explicitly, so the value is the same on every platform). The
 * hasher frames each field with a type tag and a length before mixing, so
 * field boundaries matter. These values are an on-disk contract (every seed
 * of every study depends on them): never change them.
 */
#include <string.h>

#include "srtune/core.h"

#define P1 0x9E3779B185EBCA87ULL
#define P2 0xC2B2AE3D27D4EB4FULL
#define P3 0x165667B19E3779F9ULL
#define P4 0x85EBCA77C2B2AE63ULL
#define P5 0x27D4EB2F165667C5ULL

static uint64_t rotl(uint64_t x, int r)
{
    return (x << r) | (x >> (64 - r));
}

static uint64_t read64(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

static uint32_t read32(const unsigned char *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

static uint64_t round64(uint64_t acc, uint64_t input)
{
    acc += input * P2;
    acc = rotl(acc, 31);
    return acc * P1;
}

static uint64_t merge64(uint64_t acc, uint64_t val)
{
    acc ^= round64(0, val);
    return acc * P1 + P4;
}

uint64_t srt_hash64(const void *data, size_t len, uint64_t seed)
{
    const unsigned char *p = data;
    const unsigned char *end = p + len;
    uint64_t h;
    if (len >= 32) {
        uint64_t v1 = seed + P1 + P2, v2 = seed + P2, v3 = seed, v4 = seed - P1;
        const unsigned char *limit = end - 32;
        do {
            v1 = round64(v1, read64(p));
            v2 = round64(v2, read64(p + 8));
            v3 = round64(v3, read64(p + 16));
            v4 = round64(v4, read64(p + 24));
            p += 32;
        } while (p <= limit);
        h = rotl(v1, 1) + rotl(v2, 7) + rotl(v3, 12) + rotl(v4, 18);
        h = merge64(h, v1);
        h = merge64(h, v2);
        h = merge64(h, v3);
        h = merge64(h, v4);
    } else {
        h = seed + P5;
    }
    h += (uint64_t)len;
    while (p + 8 <= end) {
        h ^= round64(0, read64(p));
        h = rotl(h, 27) * P1 + P4;
        p += 8;
    }
    if (p + 4 <= end) {
        h ^= (uint64_t)read32(p) * P1;
        h = rotl(h, 23) * P2 + P3;
        p += 4;
    }
    while (p < end) {
        h ^= (*p) * P5;
        h = rotl(h, 11) * P1;
        p++;
    }
    h ^= h >> 33;
    h *= P2;
    h ^= h >> 29;
    h *= P3;
    h ^= h >> 32;
    return h;
}

uint64_t srt_splitmix64(uint64_t *state)
{
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

enum { TAG_U64 = 1, TAG_I64 = 2, TAG_STR = 3, TAG_NULL = 4 };

static void mix_bytes(srt_hasher_t *h, int tag, const void *data, size_t len)
{
    unsigned char head[9];
    head[0] = (unsigned char)tag;
    uint64_t l = (uint64_t)len;
    for (int i = 0; i < 8; i++)
        head[1 + i] = (unsigned char)(l >> (8 * i));
    h->state = srt_hash64(head, sizeof head, h->state);
    h->state = srt_hash64(data, len, h->state);
}

void srt_hasher_init(srt_hasher_t *h, uint64_t seed)
{
    h->state = srt_hash64("srtune", 6, seed);
}

void srt_hasher_u64(srt_hasher_t *h, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    mix_bytes(h, TAG_U64, b, sizeof b);
}

void srt_hasher_i64(srt_hasher_t *h, int64_t v)
{
    uint64_t u = (uint64_t)v;
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(u >> (8 * i));
    mix_bytes(h, TAG_I64, b, sizeof b);
}

void srt_hasher_str(srt_hasher_t *h, const char *s)
{
    if (!s)
        mix_bytes(h, TAG_NULL, "", 0);
    else
        mix_bytes(h, TAG_STR, s, strlen(s));
}

uint64_t srt_hasher_final(const srt_hasher_t *h)
{
    uint64_t s = h->state;
    return srt_splitmix64(&s);
}

uint64_t srt_seed_derive(uint64_t study_seed, const char *purpose, const char *dataset, long eq,
                         long run)
{
    srt_hasher_t h;
    srt_hasher_init(&h, 0);
    srt_hasher_u64(&h, study_seed);
    srt_hasher_str(&h, purpose);
    srt_hasher_str(&h, dataset);
    srt_hasher_i64(&h, eq);
    srt_hasher_i64(&h, run);
    return srt_hasher_final(&h);
}
