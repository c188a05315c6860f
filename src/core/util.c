/*
 * Small helpers: GSL generator seeding, edit distance for "did you mean"
 * hints, clocks.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "srtune/core.h"

/* mt19937 takes a 32-bit seed (0 means its default 4357); fold the 64 bits so
 * that different derived seeds give different streams. */
static unsigned long fold_seed(uint64_t seed)
{
    uint64_t s = seed;
    unsigned long v = (unsigned long)((srt_splitmix64(&s) >> 32) & 0xffffffffUL);
    return v ? v : 1UL;
}

gsl_rng *srt_rng_create(uint64_t seed)
{
    gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
    if (r)
        gsl_rng_set(r, fold_seed(seed));
    return r;
}

void srt_rng_reseed(gsl_rng *r, uint64_t seed)
{
    gsl_rng_set(r, fold_seed(seed));
}

size_t srt_edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t *row = malloc((lb + 1) * sizeof *row);
    if (!row)
        return (size_t)-1;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            size_t best = diag + cost;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    size_t d = row[lb];
    free(row);
    return d;
}

double srt_time_monotonic(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

double srt_time_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}
