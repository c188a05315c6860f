/*
 * The Pareto front of a hall of fame, its scores, and pareto_volume
 * (docs/sr-engine.md, "Pareto front, score and Pareto volume"), each as
 * SymbolicRegression.jl v1.11 writes it. Pure functions of (complexity, loss)
 * arrays, so tests can check them on hand-computed fronts.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

/* eps(L) for the loss type L (Float64 at precision 64, Float32 at 32) is
 * added to every loss. */

/* HallOfFame.jl calculate_pareto_frontier: a member is kept when its loss is
 * strictly below the loss of every smaller member (a running minimum). */
size_t srt_sr_pareto_front(const uint32_t *complexity, const double *loss, size_t n, size_t *keep)
{
    size_t count = 0;
    double best = INFINITY;
    (void)complexity;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(loss[i]))
            continue;
        if (loss[i] < best) {
            keep[count++] = i;
            best = loss[i];
        }
    }
    return count;
}

double srt_sr__julia_eps(double x)
{
    /* Julia's eps(x): the spacing of doubles at |x| (ldexp(eps, exponent(x))),
     * the smallest subnormal below floatmin, NaN for Inf and NaN. */
    if (!isfinite(x))
        return NAN;
    if (fabs(x) < DBL_MIN)
        return DBL_TRUE_MIN;
    return ldexp(DBL_EPSILON, ilogb(x));
}

/* Operators.jl relu: (x > 0) * x, where Julia's false * x is copysign(0, x). */
static double julia_relu(double x)
{
    return x > 0 ? x : copysign(0.0, x);
}

/* HallOfFame.jl format_hall_of_fame with loss_scale = :log
 * (compute_zero_centered_score). */
void srt_sr_pareto_scores(const uint32_t *complexity, const double *loss, size_t n, double *score)
{
    srt_sr_pareto_scores_p(complexity, loss, n, 64, score);
}

/* Julia's eps(x) for a Float32 x. */
static float julia_eps_f32(float x)
{
    if (!isfinite(x))
        return NAN;
    if (fabsf(x) < FLT_MIN)
        return FLT_TRUE_MIN;
    return ldexpf(FLT_EPSILON, ilogbf(x));
}

static float julia_relu_f32(float x)
{
    return x > 0 ? x : copysignf(0.0f, x);
}

/* The same with L = Float32 (precision 32): every step in Float32, log as
 * the correctly rounded double log of the Float32 argument, rounded. */
static void scores_f32(const uint32_t *complexity, const double *loss, size_t n, double *score)
{
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            score[i] = 0.0;
            continue;
        }
        float cur = (float)loss[i], last = (float)loss[i - 1];
        float dc = (float)((long long)complexity[i] - (long long)complexity[i - 1]);
        float log_ratio = (float)srt_sr__f32(log((double)(julia_relu_f32(cur / last) + julia_eps_f32(cur))));
        score[i] = (double)julia_relu_f32(-log_ratio / dc);
    }
}

void srt_sr_pareto_scores_p(const uint32_t *complexity, const double *loss, size_t n,
                            long precision, double *score)
{
    if (precision == 32) {
        scores_f32(complexity, loss, n, score);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            score[i] = 0.0;
            continue;
        }
        double cur = loss[i], last = loss[i - 1];
        double dc = (double)((long long)complexity[i] - (long long)complexity[i - 1]);
        double log_ratio = log(julia_relu(cur / last) + srt_sr__julia_eps(cur));
        score[i] = julia_relu(-log_ratio / dc);
    }
}

typedef struct {
    double x; /* log10 complexity */
    double y; /* log10(loss + eps) */
} pt_t;

static int pt_eq(pt_t a, pt_t b)
{
    return a.x == b.x && a.y == b.y;
}

/* Logging.jl isleftof: point strictly left of the line start -> end. */
static int isleftof(pt_t p, pt_t start, pt_t end)
{
    return (end.x - start.x) * (p.y - start.y) - (end.y - start.y) * (p.x - start.x) > 0;
}

/* Logging.jl convex_hull_area. */
static double hull_area(const pt_t *hull, size_t k)
{
    double area = 0.0;
    for (size_t i = 0; i < k; i++) {
        size_t j = i + 1 == k ? 0 : i + 1;
        area += hull[i].x * hull[j].y - hull[j].x * hull[i].y;
    }
    return fabs(area) / 2;
}

static int pt_cmp(const void *a, const void *b)
{
    const pt_t *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    if (p->y != q->y)
        return p->y < q->y ? -1 : 1;
    return 0;
}

static double cross(pt_t o, pt_t a, pt_t b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

/* Andrew's monotone chain into hull[] (room for 2 np points); sorts p. Returns the hull size
 * without the repeated point. Only a fallback (see below). */
static size_t monotone_chain(pt_t *p, size_t np, pt_t *hull)
{
    qsort(p, np, sizeof *p, pt_cmp);
    size_t k = 0;
    for (size_t i = 0; i < np; i++) {
        while (k >= 2 && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    for (size_t i = np - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cross(hull[k - 2], hull[k - 1], p[i]) <= 0)
            k--;
        hull[k++] = p[i];
    }
    return k > 1 ? k - 1 : k;
}

/* Logging.jl pareto_volume (use_linear_scaling = false) with its
 * gift-wrapping convex_hull, point order and summation order as written. */
double srt_sr_pareto_volume(const uint32_t *complexity, const double *loss, size_t n,
                            long maxsize)
{
    return srt_sr_pareto_volume_p(complexity, loss, n, maxsize, 64);
}

double srt_sr_pareto_volume_p(const uint32_t *complexity, const double *loss, size_t n,
                              long maxsize, long precision)
{
    if (n == 0)
        return 0.0;
    size_t np = n + 2;
    /* np points, then room for a hull of 2 np points (the gift wrapping
     * stops at np; the fallback's chain stays below 2 np) */
    pt_t small[3 * 66];
    size_t need = 3 * np;
    pt_t *p = need <= sizeof small / sizeof small[0] ? small : malloc(need * sizeof *p);
    if (!p)
        return NAN;
    pt_t *hull = p + np;
    double ymin = INFINITY, ymax = -INFINITY, xmax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        p[i].x = log10((double)complexity[i]);
        /* y = log10(losses + eps(L)) in L; x = log10(complexities) in
         * Float64; cat(x, y) widens y */
        if (precision == 32)
            p[i].y = srt_sr__f32(log10((double)((float)loss[i] + FLT_EPSILON)));
        else
            p[i].y = log10(loss[i] + DBL_EPSILON);
    }
    for (size_t i = 0; i < n; i++)
        ymin = fmin(ymin, p[i].y);
    /* push!(y, minimum(y)); push!(x, log10(maxsize + 1)) */
    p[n].x = log10((double)maxsize + 1.0);
    p[n].y = ymin;
    /* push!(y, maximum(y)); push!(x, maximum(x)) */
    for (size_t i = 0; i <= n; i++) {
        ymax = fmax(ymax, p[i].y);
        xmax = fmax(xmax, p[i].x);
    }
    p[n + 1].x = xmax;
    p[n + 1].y = ymax;
    /* gift wrapping from the first point of smallest x (sortperm is stable) */
    size_t start = 0;
    for (size_t i = 1; i < np; i++)
        if (p[i].x < p[start].x)
            start = i;
    pt_t cur = p[start];
    size_t k = 0;
    int wrapped = 0;
    while (k < np) {
        hull[k++] = cur;
        pt_t end = p[0];
        for (size_t i = 0; i < np; i++)
            if (pt_eq(end, cur) || isleftof(p[i], cur, end))
                end = p[i];
        cur = end;
        if (pt_eq(end, hull[0])) {
            wrapped = 1;
            break;
        }
    }
    double area;
    if (wrapped) {
        area = hull_area(hull, k);
    } else {
        /* a hull of more points than there are points: the orientation tests
         * disagreed (NaN, or rounding at nearly collinear points), where
         * SR.jl's loop would not end. The monotone chain needs no
         * consistency between tests. */
        k = monotone_chain(p, np, hull);
        area = hull_area(hull, k);
    }
    if (p != small)
        free(p);
    return area;
}
