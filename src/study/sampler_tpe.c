/*
 * TPE sampler (study.md, steps 1-8; Optuna >= 3.5 univariate, with the
 * multivariate, constant_liar and start-up options).
 *
 * The good ("below") and bad ("above") trials each give a Parzen estimator: a
 * weighted mixture of one kernel per observation plus a prior kernel, over the
 * transformed space (ln for log params, +-step/2 for stepped and int params).
 * n_ei_candidates points drawn from l(x) are scored by log l(x) - log g(x) and
 * the argmax wins. Univariate mode builds one estimator per param (d = 1);
 * multivariate mode one joint estimator (d = n_params) whose kernels share the
 * pick. Truncated normals are sampled by inverse CDF on the tail side where the
 * CDF is accurate (GSL's P/Q and their inverses; an exponential approximation
 * past the point where Q underflows) and normalised with log erfc.
 * Invariant: the result depends only on the options, the space, the history and
 * the trial's seed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_erf.h>

#include "sampler_int.h"

#define LOG_SQRT_2PI 0.91893853320467274178
#define SQRT2 1.41421356237309504880
#define LOG_HALF (-0.69314718055994530942)

/* 2^(j/64), j = 0..63, filled on first use. */
static double exp2_table[64];
static int exp2_ready;

/* exp(x) for x <= 0 without a libm call: x = (64 n + j) ln2/64 + r with
 * |r| <= ln2/128, exp(r) by a degree-6 Taylor polynomial (relative error below
 * 1e-16) times 2^(j/64) from a table. Inputs below -700 give exp(-700), far
 * below anything a sum of densities keeps. */
static inline double exp_neg(double x)
{
    x = x < -700.0 ? -700.0 : x;
    const double inv = 92.332482616893656877; /* 64 / ln 2 */
    const double c_hi = 6.93147180369123816490e-01 / 64.0, c_lo = 1.90821492927058770002e-10 / 64.0;
    int k = (int)(x * inv - 0.5); /* round to nearest (x <= 0) */
    double kf = (double)k;
    double r = x - kf * c_hi - kf * c_lo;
    double r2 = r * r;
    double p = 1.0 + r + r2 * (0.5 + r * (1.0 / 6.0)) +
               r2 * r2 * (1.0 / 24.0 + r * (1.0 / 120.0) + r2 * (1.0 / 720.0));
    int j = k & 63;
    int n = (k - j) / 64;
    union {
        double d;
        uint64_t u;
    } scale;
    scale.u = (uint64_t)(n + 1023) << 52;
    return p * exp2_table[j] * scale.d;
}

static void exp2_init(void)
{
    if (exp2_ready)
        return;
    for (int j = 0; j < 64; j++)
        exp2_table[j] = exp2((double)j / 64.0);
    exp2_ready = 1;
}

/* log Q(x) = log(1 - Phi(x)), accurate for large x. */
static double log_q(double x)
{
    return LOG_HALF + gsl_sf_log_erfc(x / SQRT2);
}

/* log(Phi(b) - Phi(a)) for a <= b, computed on the accurate tail side. */
static double log_ndtr_diff(double a, double b)
{
    if (!(b > a))
        return -INFINITY;
    if (a < -8.3 && b > 8.3)
        return 0.0; /* the mass outside is below 1e-16 */
    if (a >= 0) {
        double la = log_q(a), lb = log_q(b);
        return la + log1p(-exp(lb - la));
    }
    if (b <= 0) {
        double la = log_q(-b), lb = log_q(-a);
        return la + log1p(-exp(lb - la));
    }
    return log(gsl_cdf_ugaussian_P(b) - gsl_cdf_ugaussian_P(a));
}

/* Standard normal truncated to [a, b] (a >= 0 side), by inverse CDF. */
static double trunc_upper(double a, double b, double u)
{
    double qa = gsl_cdf_ugaussian_Q(a), qb = gsl_cdf_ugaussian_Q(b);
    if (qa < 1e-280) {
        /* deep tail: density ~ exp(-a (z - a)) on [a, b] */
        double w = b - a;
        double z = a - log1p(-u * (-expm1(-a * w))) / a;
        return z > b ? b : z;
    }
    double q = qb + u * (qa - qb);
    if (q <= 0)
        return b;
    if (q >= 1)
        return a;
    return gsl_cdf_ugaussian_Qinv(q);
}

static double trunc_normal(double a, double b, double u)
{
    double z;
    if (a >= 0)
        z = trunc_upper(a, b, u);
    else if (b <= 0)
        z = -trunc_upper(-b, -a, 1 - u);
    else {
        double pa = gsl_cdf_ugaussian_P(a), pb = gsl_cdf_ugaussian_P(b);
        double p = pa + u * (pb - pa);
        z = p <= 0 ? a : (p >= 1 ? b : gsl_cdf_ugaussian_Pinv(p));
    }
    if (z < a)
        z = a;
    if (z > b)
        z = b;
    return z;
}

/* One transformed-space param of an estimator. */
typedef struct dim {
    const srt_param_t *p; /* the param */
    double lo, hi;        /* transformed bounds */
    double bin;           /* bin width for stepped/int non-log params, 0 = continuous */
    double *mu;           /* [m] kernel centres (numeric) */
    double *sigma;        /* [m] bandwidths (numeric) */
    double *cst;          /* [m] continuous: -log sigma - logZ - log sqrt(2 pi); bin: -logZ */
    double *inv_sigma;    /* [m] 1 / sigma */
    double *lwc;          /* [m] log weight + cst (the d = 1 continuous fast path) */
    double *s;            /* [3 ns] (mu, 1/sigma, lwc) of the observation kernels by mu */
    size_t ns;            /* kernels in s (the prior, index m-1, is not) */
    double sig_max;       /* largest sigma in s */
    double lwc_max;       /* largest lwc in s */
    int *choice;          /* [m] categorical: observed choice, -1 for the prior */
    double cat_a;         /* categorical: prior_weight / (n + 1) */
} dim_t;

/* A Parzen estimator: m kernels (the last is the prior) over d params. */
typedef struct kde {
    size_t m;     /* number of kernels */
    size_t d;     /* number of params */
    double *logw; /* [m] log of the normalised weights */
    double *cumw; /* [m] cumulative weights */
    dim_t *dims;  /* [d] */
    double *tmp;  /* [m] scratch for logsumexp */
} kde_t;

static void kde_free(kde_t *k)
{
    if (!k->dims)
        return;
    for (size_t i = 0; i < k->d; i++) {
        free(k->dims[i].mu);
        free(k->dims[i].sigma);
        free(k->dims[i].cst);
        free(k->dims[i].inv_sigma);
        free(k->dims[i].lwc);
        free(k->dims[i].s);
        free(k->dims[i].choice);
    }
    free(k->dims);
    free(k->logw);
    free(k->cumw);
    free(k->tmp);
    memset(k, 0, sizeof *k);
}

/* Optuna's weights of n observations in trial order plus the prior, normalised. */
static void make_weights(size_t n, double prior_weight, double *w)
{
    if (n < 25) {
        for (size_t i = 0; i < n; i++)
            w[i] = 1.0;
    } else {
        size_t nr = n - 25;
        for (size_t i = 0; i < nr; i++)
            w[i] = nr == 1
                       ? 1.0 / (double)n
                       : 1.0 / (double)n + (1.0 - 1.0 / (double)n) * (double)i / (double)(nr - 1);
        for (size_t i = nr; i < n; i++)
            w[i] = 1.0;
    }
    w[n] = prior_weight;
    double s = 0;
    for (size_t i = 0; i <= n; i++)
        s += w[i];
    for (size_t i = 0; i <= n; i++)
        w[i] /= s;
}

typedef struct idx_val {
    double v; /* centre */
    size_t i; /* kernel index */
} idx_val_t;

/* Order-preserving unsigned key of a (non-NaN) double. */
static inline uint64_t order_key(double v)
{
    union {
        double d;
        uint64_t u;
    } b;
    b.d = v + 0.0; /* -0.0 sorts with 0.0 */
    return (b.u >> 63) ? ~b.u : (b.u | 0x8000000000000000ULL);
}

/* Stable LSD radix sort of a[0..n-1] by v, 8 bits a pass, skipping passes in
 * which every key has the same byte (tmp holds n items). */
static void radix_idx_val(idx_val_t *a, idx_val_t *tmp, size_t n)
{
    idx_val_t *src = a, *dst = tmp;
    for (int shift = 0; shift < 64; shift += 8) {
        size_t count[256] = {0};
        for (size_t i = 0; i < n; i++)
            count[(order_key(src[i].v) >> shift) & 0xFF]++;
        if (count[(order_key(src[0].v) >> shift) & 0xFF] == n)
            continue;
        size_t sum = 0;
        for (int b = 0; b < 256; b++) {
            size_t c = count[b];
            count[b] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[count[(order_key(src[i].v) >> shift) & 0xFF]++] = src[i];
        idx_val_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* Stable bottom-up merge sort of a[0..n-1] by v (tmp holds n items). */
static void sort_idx_val(idx_val_t *a, idx_val_t *tmp, size_t n)
{
    if (n >= 128) {
        radix_idx_val(a, tmp, n);
        return;
    }
    for (size_t i = 1; i < n; i++) { /* insertion sort of runs of 8 */
        if ((i & 7) == 0)
            continue;
        idx_val_t x = a[i];
        size_t j = i;
        while ((j & 7) != 0 && a[j - 1].v > x.v) {
            a[j] = a[j - 1];
            j--;
        }
        a[j] = x;
    }
    idx_val_t *src = a, *dst = tmp;
    for (size_t w = 8; w < n; w *= 2) {
        for (size_t lo = 0; lo < n; lo += 2 * w) {
            size_t mid = lo + w < n ? lo + w : n, hi = lo + 2 * w < n ? lo + 2 * w : n;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi) { /* branch-free: the comparison is unpredictable */
                int take_j = src[j].v < src[i].v;
                const idx_val_t *pick = take_j ? &src[j] : &src[i];
                dst[o++] = *pick;
                j += (size_t)take_j;
                i += (size_t)!take_j;
            }
            while (i < mid)
                dst[o++] = src[i++];
            while (j < hi)
                dst[o++] = src[j++];
        }
        idx_val_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != a)
        memcpy(a, src, n * sizeof *a);
}

/* Builds the estimator from the n rows rows[] of xs (internal values in space
 * order), over the params listed in pidx[0..d-1]. */
/* Weights of a set size, kept across the params of one suggestion (they depend
 * only on n and the prior weight; logs are the costly part). */
typedef struct wcache {
    size_t n;     /* set size the arrays hold, (size_t)-1 when empty */
    double *logw; /* [n + 1] log weights */
    double *cumw; /* [n + 1] cumulative weights */
} wcache_t;

static void wcache_fini(wcache_t *c)
{
    free(c->logw);
    free(c->cumw);
    c->logw = c->cumw = NULL;
    c->n = (size_t)-1;
}

static int kde_build(kde_t *k, const srt_space_t *space, const size_t *pidx, size_t d,
                     const double *const *rows, size_t n, const srt_sampler_options_t *opt,
                     wcache_t *cache)
{
    size_t m = n + 1;
    idx_val_t *sorted = NULL;
    memset(k, 0, sizeof *k);
    k->m = m;
    k->d = d;
    k->logw = malloc(m * sizeof(double));
    k->cumw = malloc(m * sizeof(double));
    k->tmp = malloc(m * sizeof(double));
    k->dims = calloc(d, sizeof(dim_t));
    sorted = malloc(2 * m * sizeof *sorted);
    if (!k->logw || !k->cumw || !k->tmp || !k->dims || !sorted)
        goto fail;
    if (cache->n == n) {
        memcpy(k->logw, cache->logw, m * sizeof(double));
        memcpy(k->cumw, cache->cumw, m * sizeof(double));
    } else {
        make_weights(n, opt->prior_weight, k->cumw);
        double c = 0;
        for (size_t i = 0; i < m; i++) {
            k->logw[i] = log(k->cumw[i]);
            c += k->cumw[i];
            k->cumw[i] = c;
        }
        double *lw = realloc(cache->logw, m * sizeof(double));
        if (lw)
            cache->logw = lw;
        double *cw = lw ? realloc(cache->cumw, m * sizeof(double)) : NULL;
        if (cw) {
            cache->cumw = cw;
            memcpy(cache->logw, k->logw, m * sizeof(double));
            memcpy(cache->cumw, k->cumw, m * sizeof(double));
            cache->n = n;
        }
    }
    for (size_t j = 0; j < d; j++) {
        dim_t *dm = &k->dims[j];
        const srt_param_t *p = &space->params[pidx[j]];
        dm->p = p;
        srt__param_bounds(p, &dm->lo, &dm->hi);
        if (p->kind == SRT_PARAM_CATEGORICAL) {
            dm->choice = malloc(m * sizeof(int));
            if (!dm->choice)
                goto fail;
            for (size_t i = 0; i < n; i++)
                dm->choice[i] = (int)rows[i][pidx[j]];
            dm->choice[n] = -1;
            dm->cat_a = opt->prior_weight / (double)m;
            continue;
        }
        dm->bin = (!p->log && p->step > 0) ? p->step : 0;
        dm->mu = malloc(m * sizeof(double));
        dm->sigma = malloc(m * sizeof(double));
        dm->cst = malloc(m * sizeof(double));
        dm->inv_sigma = malloc(m * sizeof(double));
        dm->lwc = malloc(m * sizeof(double));
        if (!dm->mu || !dm->sigma || !dm->cst || !dm->inv_sigma || !dm->lwc)
            goto fail;
        double R = dm->hi - dm->lo;
        for (size_t i = 0; i < n; i++)
            dm->mu[i] = srt__param_transform(p, rows[i][pidx[j]]);
        dm->mu[n] = 0.5 * (dm->lo + dm->hi);
        double minsigma = opt->consider_magic_clip ? R / fmin(100.0, (double)m + 1.0) : 1e-12;
        if (d > 1 || opt->multivariate) {
            double s = 0.2 * pow((double)(n > 0 ? n : 1), -1.0 / ((double)d + 4.0)) * R;
            for (size_t i = 0; i < m; i++)
                dm->sigma[i] = s;
        } else {
            for (size_t i = 0; i < m; i++) {
                sorted[i].v = dm->mu[i];
                sorted[i].i = i;
            }
            sort_idx_val(sorted, sorted + m, m);
            for (size_t s = 0; s < m; s++) {
                double left = sorted[s].v - (s == 0 ? dm->lo : sorted[s - 1].v);
                double right = (s + 1 == m ? dm->hi : sorted[s + 1].v) - sorted[s].v;
                double sg = left > right ? left : right;
                if (!opt->consider_endpoints && m >= 2) {
                    if (s == 0)
                        sg = right;
                    else if (s + 1 == m)
                        sg = left;
                }
                dm->sigma[sorted[s].i] = sg;
            }
        }
        for (size_t i = 0; i < m; i++) {
            double sg = dm->sigma[i];
            if (!(sg >= minsigma))
                sg = minsigma;
            if (sg > R)
                sg = R;
            dm->sigma[i] = sg;
        }
        dm->sigma[n] = R; /* the prior kernel */
        for (size_t i = 0; i < m; i++) {
            double lo = dm->lo, hi = dm->hi;
            double logz =
                log_ndtr_diff((lo - dm->mu[i]) / dm->sigma[i], (hi - dm->mu[i]) / dm->sigma[i]);
            double ls = opt->kernel_log_sigma ? log(dm->sigma[i]) : 0.0;
            dm->cst[i] = dm->bin > 0 ? -logz : -ls - logz - LOG_SQRT_2PI;
            dm->inv_sigma[i] = 1.0 / dm->sigma[i];
            dm->lwc[i] = k->logw[i] + dm->cst[i];
        }
        if (d == 1 && !opt->multivariate && dm->bin == 0 && n > 0) {
            /* the observation kernels by centre, for windowed evaluation */
            dm->s = malloc(3 * n * sizeof(double));
            if (!dm->s)
                goto fail;
            size_t o = 0;
            dm->sig_max = 0;
            dm->lwc_max = -INFINITY;
            for (size_t q = 0; q < m; q++) {
                size_t i = sorted[q].i;
                if (i == n)
                    continue; /* the prior is evaluated on its own */
                dm->s[3 * o] = dm->mu[i];
                dm->s[3 * o + 1] = dm->inv_sigma[i];
                dm->s[3 * o + 2] = dm->lwc[i];
                dm->sig_max = dm->sigma[i] > dm->sig_max ? dm->sigma[i] : dm->sig_max;
                dm->lwc_max = dm->lwc[i] > dm->lwc_max ? dm->lwc[i] : dm->lwc_max;
                o++;
            }
            dm->ns = o;
        }
    }
    free(sorted);
    return 0;
fail:
    free(sorted);
    kde_free(k);
    return -1;
}

/* Log density term of kernel i for dimension dm at transformed value y. */
static double dim_term(const dim_t *dm, size_t i, double y)
{
    if (dm->choice) {
        size_t C = dm->p->n_choices;
        if (dm->choice[i] < 0)
            return -log((double)C);
        return log((dm->cat_a + (dm->choice[i] == (int)y ? 1.0 : 0.0)) /
                   (1.0 + (double)C * dm->cat_a));
    }
    double mu = dm->mu[i], sg = dm->sigma[i];
    if (dm->bin > 0) {
        double a = (y - 0.5 * dm->bin - mu) / sg, b = (y + 0.5 * dm->bin - mu) / sg;
        return log_ndtr_diff(a, b) + dm->cst[i];
    }
    double z = (y - mu) / sg;
    return -0.5 * z * z + dm->cst[i];
}

/* log of the mixture density at y[0..d-1] (transformed; categorical: index). */
static double kde_log_pdf(const kde_t *k, const double *y)
{
    double mx = -INFINITY;
    if (k->d == 1 && k->dims[0].s) {
        /* walk out from y over the kernels sorted by centre and stop once no
         * kernel further away can reach e^-40 of the largest term */
        const dim_t *dm = &k->dims[0];
        const double yy = y[0], *sv = dm->s;
        const size_t pr = k->m - 1;
        double z = (yy - dm->mu[pr]) * dm->inv_sigma[pr];
        mx = dm->lwc[pr] - 0.5 * z * z;
        size_t c = 0;
        k->tmp[c++] = mx;
        size_t lo = 0, hi = dm->ns;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (sv[3 * mid] < yy)
                lo = mid + 1;
            else
                hi = mid;
        }
        const double s2 = 2.0 * dm->sig_max * dm->sig_max;
        for (size_t q = lo; q < dm->ns; q++) {
            double dl = sv[3 * q] - yy;
            if (dl * dl > s2 * (dm->lwc_max - mx + 40.0))
                break;
            double zz = dl * sv[3 * q + 1];
            double t = sv[3 * q + 2] - 0.5 * zz * zz;
            k->tmp[c++] = t;
            mx = t > mx ? t : mx;
        }
        for (size_t q = lo; q-- > 0;) {
            double dl = yy - sv[3 * q];
            if (dl * dl > s2 * (dm->lwc_max - mx + 40.0))
                break;
            double zz = dl * sv[3 * q + 1];
            double t = sv[3 * q + 2] - 0.5 * zz * zz;
            k->tmp[c++] = t;
            mx = t > mx ? t : mx;
        }
        double sum = 0;
        const double cut = mx - 40.0;
        for (size_t q = 0; q < c; q++)
            if (k->tmp[q] > cut)
                sum += exp_neg(k->tmp[q] - mx);
        return mx + log(sum);
    }
    if (k->d == 1 && !k->dims[0].choice && k->dims[0].bin == 0) {
        const dim_t *dm = &k->dims[0];
        const double yy = y[0];
        double mx1 = -INFINITY;
        size_t i = 0;
        for (; i + 1 < k->m; i += 2) {
            double z0 = (yy - dm->mu[i]) * dm->inv_sigma[i];
            double z1 = (yy - dm->mu[i + 1]) * dm->inv_sigma[i + 1];
            double t0 = dm->lwc[i] - 0.5 * z0 * z0, t1 = dm->lwc[i + 1] - 0.5 * z1 * z1;
            k->tmp[i] = t0;
            k->tmp[i + 1] = t1;
            mx = t0 > mx ? t0 : mx;
            mx1 = t1 > mx1 ? t1 : mx1;
        }
        for (; i < k->m; i++) {
            double z = (yy - dm->mu[i]) * dm->inv_sigma[i];
            k->tmp[i] = dm->lwc[i] - 0.5 * z * z;
            mx = k->tmp[i] > mx ? k->tmp[i] : mx;
        }
        mx = mx1 > mx ? mx1 : mx;
    } else
        for (size_t i = 0; i < k->m; i++) {
            double t = k->logw[i];
            for (size_t j = 0; j < k->d; j++)
                t += dim_term(&k->dims[j], i, y[j]);
            k->tmp[i] = t;
            if (t > mx)
                mx = t;
        }
    if (!isfinite(mx))
        return mx;
    /* terms below e^-40 of the largest change the sum by less than m * 4e-18 */
    double s = 0;
    const double cut = mx - 40.0;
    for (size_t i = 0; i < k->m; i++)
        if (k->tmp[i] > cut)
            s += exp_neg(k->tmp[i] - mx);
    return mx + log(s);
}

/* Draws one point y[0..d-1] (transformed, snapped to the grid) from the mixture. */
static void kde_sample(const kde_t *k, gsl_rng *r, double *y)
{
    double u = gsl_rng_uniform(r) * k->cumw[k->m - 1];
    size_t lo = 0, hi = k->m - 1;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (k->cumw[mid] > u)
            hi = mid;
        else
            lo = mid + 1;
    }
    size_t i = lo;
    for (size_t j = 0; j < k->d; j++) {
        const dim_t *dm = &k->dims[j];
        if (dm->choice) {
            size_t C = dm->p->n_choices;
            if (dm->choice[i] < 0) {
                y[j] = (double)gsl_rng_uniform_int(r, (unsigned long)C);
            } else {
                /* row: cat_a on every choice plus 1 on the observed one */
                double tot = 1.0 + (double)C * dm->cat_a;
                double v = gsl_rng_uniform(r) * tot;
                size_t c = 0;
                double acc = 0;
                for (c = 0; c < C; c++) {
                    acc += dm->cat_a + (dm->choice[i] == (int)c ? 1.0 : 0.0);
                    if (v < acc)
                        break;
                }
                y[j] = (double)(c < C ? c : C - 1);
            }
            continue;
        }
        double a = (dm->lo - dm->mu[i]) / dm->sigma[i], b = (dm->hi - dm->mu[i]) / dm->sigma[i];
        double t = dm->mu[i] + dm->sigma[i] * trunc_normal(a, b, gsl_rng_uniform(r));
        double x = srt__param_untransform(dm->p, t);
        y[j] = srt__param_transform(dm->p, x);
    }
}

/* Sort key of an observation (study.md step 2). */
typedef struct sort_key {
    double k1, k2; /* keys */
    size_t i;      /* index into the history */
} sort_key_t;

static int cmp_key(const void *a, const void *b)
{
    const sort_key_t *x = a, *y = b;
    if (x->k1 != y->k1)
        return x->k1 < y->k1 ? -1 : 1;
    if (x->k2 != y->k2)
        return x->k2 < y->k2 ? -1 : 1;
    return x->i < y->i ? -1 : (x->i > y->i);
}

/* Collects rows of the set idx[0..n-1] that have every param of pidx. */
static size_t rows_with(const srt_history_t *h, const size_t *idx, size_t n, const srt_space_t *s,
                        const size_t *pidx, size_t d, const double **rows)
{
    size_t o = 0;
    for (size_t t = 0; t < n; t++) {
        const double *x = h->obs[idx[t]].x;
        int ok = 1;
        for (size_t j = 0; j < d && ok; j++)
            ok = srt_param_contains(&s->params[pidx[j]], x[pidx[j]]);
        if (ok)
            rows[o++] = x;
    }
    return o;
}

/* Samples params pidx[0..d-1] jointly: candidates from l, argmax of l/g. */
static int sample_group(const srt_space_t *space, const size_t *pidx, size_t d,
                        const srt_history_t *h, const size_t *below, size_t nb, const size_t *above,
                        size_t na, const srt_sampler_options_t *opt, gsl_rng *r, wcache_t *wc,
                        double *x)
{
    int rc = -1;
    kde_t l = {0}, g = {0};
    const double **rows = malloc((nb + na + 1) * sizeof *rows);
    double *y = malloc(2 * d * sizeof *y);
    double *best = y ? y + d : NULL;
    if (!rows || !y)
        goto cleanup;
    size_t rb = rows_with(h, below, nb, space, pidx, d, rows);
    if (kde_build(&l, space, pidx, d, rows, rb, opt, &wc[0]) != 0)
        goto cleanup;
    size_t ra = rows_with(h, above, na, space, pidx, d, rows);
    if (kde_build(&g, space, pidx, d, rows, ra, opt, &wc[1]) != 0)
        goto cleanup;
    double best_score = -INFINITY;
    long nc = opt->n_ei_candidates > 0 ? opt->n_ei_candidates : 1;
    for (long c = 0; c < nc; c++) {
        kde_sample(&l, r, y);
        double score = kde_log_pdf(&l, y) - kde_log_pdf(&g, y);
        if (c == 0 || score > best_score) {
            best_score = score;
            memcpy(best, y, d * sizeof *y);
        }
    }
    for (size_t j = 0; j < d; j++) {
        const srt_param_t *p = &space->params[pidx[j]];
        x[pidx[j]] =
            p->kind == SRT_PARAM_CATEGORICAL ? best[j] : srt__param_untransform(p, best[j]);
    }
    rc = 0;
cleanup:
    kde_free(&l);
    kde_free(&g);
    free(rows);
    free(y);
    return rc;
}

static srt_rc tpe_suggest(const srt_sampler_options_t *opt, const srt_space_t *space,
                          const srt_history_t *h, const srt_sample_context_t *ctx, double *x,
                          srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    sort_key_t *keys = NULL;
    size_t *below = NULL, *above = NULL, *pidx = NULL;
    unsigned char *mark = NULL;
    wcache_t wc[2] = {{(size_t)-1, NULL, NULL}, {(size_t)-1, NULL, NULL}};
    gsl_rng *r = srt_rng_create(srt__sampler_seed(ctx));
    if (!r)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    exp2_init();
    size_t n_fin = 0;
    for (size_t i = 0; i < h->n; i++)
        if (h->obs[i].state == SRT_TRIAL_STATE_COMPLETE ||
            h->obs[i].state == SRT_TRIAL_STATE_PRUNED)
            n_fin++;
    if ((long)n_fin < opt->n_startup_trials || n_fin == 0) {
        if (opt->startup_qmc)
            rc = srt__sample_qmc(space, ctx->study_seed, ctx->trial_number, r, x, err);
        else
            srt__sample_random(space, r, x);
        goto cleanup;
    }
    keys = malloc((h->n + 1) * sizeof *keys);
    below = malloc((h->n + 1) * sizeof *below);
    above = malloc((h->n + 1) * sizeof *above);
    pidx = malloc((space->n_params + 1) * sizeof *pidx);
    if (!keys || !below || !above || !pidx) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    double sign = h->minimize ? 1.0 : -1.0;
    size_t nk = 0;
    for (size_t i = 0; i < h->n; i++) {
        const srt_observation_t *o = &h->obs[i];
        sort_key_t k = {0, 0, i};
        double v = isnan(o->value) ? INFINITY : sign * o->value;
        if (o->state == SRT_TRIAL_STATE_COMPLETE) {
            k.k1 = -INFINITY;
            k.k2 = v;
        } else if (o->state == SRT_TRIAL_STATE_PRUNED) {
            if (o->last_step >= 0) {
                k.k1 = -(double)o->last_step;
                k.k2 = v;
            } else {
                k.k1 = 1;
                k.k2 = 0;
            }
        } else if (o->state == SRT_TRIAL_STATE_RUNNING && opt->constant_liar) {
            k.k1 = INFINITY;
            k.k2 = INFINITY;
        } else {
            continue;
        }
        keys[nk++] = k;
    }
    qsort(keys, nk, sizeof *keys, cmp_key);
    double gf = ceil(opt->gamma_fraction * (double)n_fin);
    size_t gamma = (size_t)fmin(gf, (double)opt->gamma_max);
    if (gamma > nk)
        gamma = nk;
    /* each set back in trial order: mark the sets, then walk the history */
    size_t nb = 0, na = 0;
    mark = calloc(h->n + 1, 1);
    if (!mark) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < nk; i++)
        mark[keys[i].i] = i < gamma ? 1 : 2;
    for (size_t i = 0; i < h->n; i++) {
        if (mark[i] == 1)
            below[nb++] = i;
        else if (mark[i] == 2)
            above[na++] = i;
    }
    if (opt->multivariate && space->n_params > 1) {
        for (size_t j = 0; j < space->n_params; j++)
            pidx[j] = j;
        if (sample_group(space, pidx, space->n_params, h, below, nb, above, na, opt, r, wc, x) != 0)
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    } else {
        for (size_t j = 0; j < space->n_params && rc == SRT_OK; j++) {
            pidx[0] = j;
            if (sample_group(space, pidx, 1, h, below, nb, above, na, opt, r, wc, x) != 0)
                rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        }
    }
cleanup:
    wcache_fini(&wc[0]);
    wcache_fini(&wc[1]);
    free(mark);
    free(keys);
    free(below);
    free(above);
    free(pidx);
    gsl_rng_free(r);
    return rc;
}

const srt_sampler_type_t srt__sampler_tpe_type = {"tpe", tpe_suggest};
