/*
 * Paired statistics (include/srtune/stats.h). The Wilcoxon test follows
 * scipy 1.10's scipy/stats/_morestats.py wilcoxon() step by step (average
 * ranks of |d|, the rank sums, exact null distribution from the recursion of
 * _hypotests._get_wilcoxon_distr, normal approximation with the repeated-rank
 * correction), so the p-values it gives are those Optuna's WilcoxonPruner
 * sees on the same numbers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_rng.h>

#include "srtune/stats.h"

typedef struct {
    double key; /* |d| */
    size_t at;  /* index in d */
} ranked_t;

static int cmp_ranked(const void *a, const void *b)
{
    const ranked_t *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->at < y->at ? -1 : (x->at > y->at);
}

/* Average ranks (scipy.stats.rankdata "average") of a[0..n-1] into r; the sum
 * over tie groups of t^3 - t (find_repeats' counts) into *ties. */
static srt_rc average_ranks(const double *a, size_t n, double *r, double *ties)
{
    ranked_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return SRT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        s[i].key = a[i];
        s[i].at = i;
    }
    qsort(s, n, sizeof *s, cmp_ranked);
    *ties = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && s[j + 1].key == s[i].key)
            j++;
        double avg = 0.5 * ((double)(i + 1) + (double)(j + 1));
        for (size_t k = i; k <= j; k++)
            r[s[k].at] = avg;
        double t = (double)(j - i + 1);
        if (t > 1)
            *ties += t * (t * t - 1);
        i = j + 1;
    }
    free(s);
    return SRT_OK;
}

/* P(R+ <= k) or P(R+ >= k) under the null for n ranks (exact). */
static srt_rc exact_tail(size_t n, long k, int upper, double *out)
{
    size_t len = n * (n + 1) / 2 + 1;
    double *c = calloc(len, sizeof *c), *prev = calloc(len, sizeof *prev);
    srt_rc rc = SRT_ERR_NOMEM;
    if (!c || !prev)
        goto cleanup;
    c[0] = 1.0;
    size_t m = 1;
    for (size_t step = 1; step <= n; step++) {
        memcpy(prev, c, m * sizeof *c);
        size_t next = step * (step + 1) / 2 + 1;
        memset(c, 0, next * sizeof *c);
        for (size_t i = 0; i < m; i++)
            c[i] = prev[i] * 0.5;
        for (size_t i = 0; i < m; i++)
            c[next - m + i] += prev[i] * 0.5;
        m = next;
    }
    double sum = 0;
    if (upper) {
        for (long i = k < 0 ? 0 : k; i < (long)len; i++)
            sum += c[i];
    } else {
        for (long i = 0; i <= k && i < (long)len; i++)
            sum += c[i];
    }
    *out = sum;
    rc = SRT_OK;
cleanup:
    free(c);
    free(prev);
    return rc;
}

static double norm_sf(double z)
{
    return 0.5 * erfc(z / sqrt(2.0));
}

srt_rc srt_stats_wilcoxon(const double *d_in, size_t n, srt_alternative_t alt,
                          srt_zero_method_t zero_method, double *statistic, double *pvalue)
{
    double *d = NULL, *r = NULL;
    double stat = NAN, p = NAN;
    srt_rc rc = SRT_OK;
    if (n == 0)
        goto done;
    size_t n_zero = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(d_in[i]))
            return SRT_ERR_INVALID;
        n_zero += d_in[i] == 0;
    }
    int exact = n <= 50 && n_zero == 0;
    if (!exact && zero_method != SRT_ZERO_ZSPLIT && n_zero == n)
        return SRT_ERR_INVALID;
    d = malloc(n * sizeof *d);
    r = malloc(n * sizeof *r);
    if (!d || !r) {
        rc = SRT_ERR_NOMEM;
        goto done;
    }
    size_t count = 0;
    for (size_t i = 0; i < n; i++)
        if (exact || zero_method != SRT_ZERO_WILCOX || d_in[i] != 0)
            d[count++] = d_in[i];
    double *absd = r; /* ranks overwrite |d| in place below */
    for (size_t i = 0; i < count; i++)
        absd[i] = fabs(d[i]);
    double *ranks = malloc((count ? count : 1) * sizeof *ranks);
    double ties = 0;
    if (!ranks || (rc = average_ranks(absd, count, ranks, &ties)) != SRT_OK) {
        free(ranks);
        rc = rc ? rc : SRT_ERR_NOMEM;
        goto done;
    }
    double r_plus = 0, r_minus = 0, r_zero = 0;
    for (size_t i = 0; i < count; i++) {
        if (d[i] > 0)
            r_plus += ranks[i];
        else if (d[i] < 0)
            r_minus += ranks[i];
        else
            r_zero += ranks[i];
    }
    if (zero_method == SRT_ZERO_ZSPLIT) {
        r_plus += r_zero / 2.;
        r_minus += r_zero / 2.;
    }
    stat = alt == SRT_ALT_TWO_SIDED ? fmin(r_plus, r_minus) : r_plus;
    double cn = (double)count;
    if (!exact) {
        double mn = cn * (cn + 1.) * 0.25;
        double se = cn * (cn + 1.) * (2. * cn + 1.);
        if (zero_method == SRT_ZERO_PRATT) {
            /* the ties of the non-zero ranks only, as scipy's r[d != 0] */
            size_t k = 0;
            for (size_t i = 0; i < count; i++)
                if (d[i] != 0)
                    absd[k++] = ranks[i];
            double z0 = (double)n_zero;
            mn -= z0 * (z0 + 1.) * 0.25;
            se -= z0 * (z0 + 1.) * (2. * z0 + 1.);
            double *tmp = malloc((k ? k : 1) * sizeof *tmp);
            if (!tmp || (rc = average_ranks(absd, k, tmp, &ties)) != SRT_OK) {
                free(tmp);
                free(ranks);
                rc = rc ? rc : SRT_ERR_NOMEM;
                goto done;
            }
            free(tmp);
        }
        if (ties > 0)
            se -= 0.5 * ties;
        se = sqrt(se / 24);
        double z = (stat - mn) / se;
        if (alt == SRT_ALT_TWO_SIDED)
            p = 2. * norm_sf(fabs(z));
        else if (alt == SRT_ALT_GREATER)
            p = norm_sf(z);
        else
            p = norm_sf(-z);
    } else {
        long rp = (long)r_plus; /* scipy: int(r_plus), a tie's .5 dropped */
        size_t len = count * (count + 1) / 2 + 1;
        double lo, hi;
        if (alt == SRT_ALT_TWO_SIDED) {
            if (rp == (long)((len - 1) / 2)) {
                p = 1.0;
            } else {
                if ((rc = exact_tail(count, rp, 0, &lo)) != SRT_OK ||
                    (rc = exact_tail(count, rp, 1, &hi)) != SRT_OK) {
                    free(ranks);
                    goto done;
                }
                p = 2 * fmin(hi, lo);
            }
        } else if ((rc = exact_tail(count, rp, alt == SRT_ALT_GREATER, &p)) != SRT_OK) {
            free(ranks);
            goto done;
        }
        p = fmin(1.0, fmax(0.0, p));
    }
    free(ranks);
done:
    free(d);
    free(r);
    if (rc == SRT_OK) {
        if (statistic)
            *statistic = stat;
        if (pvalue)
            *pvalue = p;
    }
    return rc;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : (x > y);
}

/* numpy.quantile, method "linear", of sorted v[0..n-1]. */
static double quantile_sorted(const double *v, size_t n, double q)
{
    double h = (double)(n - 1) * q;
    size_t i = (size_t)floor(h);
    if (i + 1 >= n)
        return v[n - 1];
    return v[i] + (h - (double)i) * (v[i + 1] - v[i]);
}

srt_rc srt_stats_bootstrap_mean_ci(const double *x, size_t n, long resamples, uint64_t seed,
                                   double level, double *lo, double *hi)
{
    if (n == 0 || resamples < 1 || !(level > 0 && level < 1))
        return SRT_ERR_INVALID;
    double *means = malloc((size_t)resamples * sizeof *means);
    gsl_rng *rng = srt_rng_create(seed);
    srt_rc rc = SRT_ERR_NOMEM;
    if (!means || !rng)
        goto cleanup;
    for (long b = 0; b < resamples; b++) {
        double s = 0;
        for (size_t i = 0; i < n; i++)
            s += x[gsl_rng_uniform_int(rng, n)];
        means[b] = s / (double)n;
    }
    qsort(means, (size_t)resamples, sizeof *means, cmp_double);
    *lo = quantile_sorted(means, (size_t)resamples, (1 - level) / 2);
    *hi = quantile_sorted(means, (size_t)resamples, (1 + level) / 2);
    rc = SRT_OK;
cleanup:
    free(means);
    if (rng)
        gsl_rng_free(rng);
    return rc;
}

typedef struct {
    double p;
    size_t at;
} indexed_t;

static int cmp_indexed(const void *a, const void *b)
{
    const indexed_t *x = a, *y = b;
    if (x->p != y->p)
        return x->p < y->p ? -1 : 1;
    return x->at < y->at ? -1 : (x->at > y->at);
}

srt_rc srt_stats_holm(const double *p, size_t n, double *adjusted)
{
    indexed_t *s = malloc((n ? n : 1) * sizeof *s);
    if (!s)
        return SRT_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        s[i].p = p[i];
        s[i].at = i;
    }
    qsort(s, n, sizeof *s, cmp_indexed);
    double run = 0;
    for (size_t i = 0; i < n; i++) {
        double a = fmin(1.0, s[i].p * (double)(n - i));
        run = fmax(run, a);
        adjusted[s[i].at] = run;
    }
    free(s);
    return SRT_OK;
}
