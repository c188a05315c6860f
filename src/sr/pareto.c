/*
 * The Pareto front of a hall of fame, its scores, and pareto_volume
 * (sr-engine.md, "Pareto front and Pareto volume"; SR.jl's logged metric).
 * Pure functions of (complexity, loss) arrays, so tests can check them on
 * hand-computed fronts.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

#define PV_EPS 2.220446049250313e-16

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

void srt_sr_pareto_scores(const uint32_t *complexity, const double *loss, size_t n, double *score)
{
    for (size_t i = 0; i < n; i++) {
        if (i == 0) {
            score[i] = 0.0;
            continue;
        }
        double cur = fmax(loss[i], PV_EPS), last = fmax(loss[i - 1], PV_EPS);
        double dc = (double)complexity[i] - (double)complexity[i - 1];
        score[i] = dc > 0 ? -log(cur / last) / dc : 0.0;
    }
}

typedef struct {
    double x; /* log10 complexity */
    double y; /* log10(loss + eps) */
} pt_t;

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

double srt_sr_pareto_volume(const uint32_t *complexity, const double *loss, size_t n,
                            long maxsize)
{
    if (n <= 1)
        return 0.0;
    size_t np = n + 2;
    pt_t small[300];
    pt_t *p = np <= 150 ? small : malloc(2 * np * sizeof *p);
    if (!p)
        return NAN;
    pt_t *hull = p + np;
    double ymin = INFINITY, ymax = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        p[i].x = log10((double)complexity[i]);
        p[i].y = log10(loss[i] + PV_EPS);
        ymin = fmin(ymin, p[i].y);
        ymax = fmax(ymax, p[i].y);
    }
    double xm = log10((double)maxsize + 1.0);
    p[n].x = xm;
    p[n].y = ymin;
    p[n + 1].x = xm;
    p[n + 1].y = ymax;
    qsort(p, np, sizeof *p, pt_cmp);
    /* Andrew's monotone chain */
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
    double area = 0.0;
    if (k > 1)
        k--; /* the last point repeats the first */
    for (size_t i = 0; i < k; i++) {
        pt_t a = hull[i], b = hull[(i + 1) % k];
        area += a.x * b.y - b.x * a.y;
    }
    if (p != small)
        free(p);
    return fabs(area) * 0.5;
}
