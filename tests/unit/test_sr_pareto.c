/*
 * Unit tests of pareto_volume's convex hull on fronts of every size from 2
 * to 256 members (the hull buffers once had room for n points where the
 * chain wrote n + 1: a stack overflow from a convex front of 148 members, a
 * heap overflow from 149; run under the asan preset), checked against the
 * shoelace area of fronts whose hull is known, and against an independent
 * hull on random fronts; and SR.jl's score on hand-computed values.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define MAXN 256

/* Shoelace area of a polygon given in order. */
static double shoelace(const double *x, const double *y, size_t k)
{
    double a = 0.0;
    for (size_t i = 0; i < k; i++)
        a += x[i] * y[(i + 1) % k] - x[(i + 1) % k] * y[i];
    return fabs(a) / 2;
}

/* A strictly convex front: every member is a hull vertex, so the area is the
 * polygon p1..pn, (xm, yn), (xm, y1). */
static void convex_fronts_of_2_to_256_members_have_their_polygon_area(void)
{
    static uint32_t c[MAXN];
    static double loss[MAXN], x[MAXN + 2], y[MAXN + 2];
    for (size_t n = 2; n <= MAXN; n++) {
        long maxsize = (long)n;
        double xm = log10((double)maxsize + 1.0);
        for (size_t i = 0; i < n; i++) {
            c[i] = (uint32_t)(i + 1);
            double xi = log10((double)c[i]);
            /* y = 3 (xm - x)^2 - 2: convex and decreasing on [0, xm) */
            double yi = 3.0 * (xm - xi) * (xm - xi) - 2.0;
            loss[i] = pow(10.0, yi);
            x[i] = xi;
            y[i] = log10(loss[i] + DBL_EPSILON);
        }
        x[n] = xm;
        y[n] = y[n - 1];
        x[n + 1] = xm;
        y[n + 1] = y[0];
        double want = shoelace(x, y, n + 2);
        double got = srt_sr_pareto_volume(c, loss, n, maxsize);
        SRT_ASSERT_CLOSE(got, want, 1e-12);
        /* the same front under a larger maxsize: still every member */
        got = srt_sr_pareto_volume(c, loss, n, 300);
        CU_ASSERT(isfinite(got) && got > want);
    }
}

/* A concave front: only the two end members are hull vertices. */
static void concave_fronts_of_2_to_256_members_have_their_triangle_area(void)
{
    static uint32_t c[MAXN];
    static double loss[MAXN];
    for (size_t n = 2; n <= MAXN; n++) {
        long maxsize = (long)n;
        double x1 = log10((double)n), xm = log10((double)maxsize + 1.0);
        for (size_t i = 0; i < n; i++) {
            c[i] = (uint32_t)(i + 1);
            double xi = log10((double)c[i]);
            /* y = -2 (x / x1)^2: concave decreasing, from 0 to -2 */
            loss[i] = pow(10.0, -2.0 * (xi / x1) * (xi / x1));
        }
        double y0 = log10(loss[0] + DBL_EPSILON), yn = log10(loss[n - 1] + DBL_EPSILON);
        double px[4] = {0.0, x1, xm, xm}, py[4] = {y0, yn, yn, y0};
        SRT_ASSERT_CLOSE(srt_sr_pareto_volume(c, loss, n, maxsize), shoelace(px, py, 4), 1e-9);
    }
}

/* Independent reference: area of the hull by brute force (every edge whose
 * other points all lie on one side), then the vertices sorted by angle. */
static double reference_area(const double *x, const double *y, size_t k)
{
    double cx = 0, cy = 0;
    static double vx[MAXN + 2], vy[MAXN + 2], ang[MAXN + 2];
    size_t nv = 0;
    for (size_t i = 0; i < k; i++) {
        /* i is a vertex when some line through it has every other point on
         * one side: test each edge to another point */
        int vertex = 0;
        for (size_t j = 0; j < k && !vertex; j++) {
            if (j == i || (x[j] == x[i] && y[j] == y[i]))
                continue;
            int pos = 0, neg = 0;
            for (size_t m = 0; m < k; m++) {
                double cr = (x[j] - x[i]) * (y[m] - y[i]) - (y[j] - y[i]) * (x[m] - x[i]);
                pos += cr > 1e-12;
                neg += cr < -1e-12;
            }
            vertex = pos == 0 || neg == 0;
        }
        if (vertex) {
            vx[nv] = x[i];
            vy[nv] = y[i];
            nv++;
        }
    }
    for (size_t i = 0; i < nv; i++) {
        cx += vx[i] / (double)nv;
        cy += vy[i] / (double)nv;
    }
    for (size_t i = 0; i < nv; i++)
        ang[i] = atan2(vy[i] - cy, vx[i] - cx);
    for (size_t i = 1; i < nv; i++)
        for (size_t j = i; j > 0 && ang[j] < ang[j - 1]; j--) {
            double t = ang[j];
            ang[j] = ang[j - 1];
            ang[j - 1] = t;
            t = vx[j];
            vx[j] = vx[j - 1];
            vx[j - 1] = t;
            t = vy[j];
            vy[j] = vy[j - 1];
            vy[j - 1] = t;
        }
    return shoelace(vx, vy, nv);
}

static void random_fronts_match_an_independent_hull(void)
{
    static uint32_t c[MAXN];
    static double loss[MAXN], x[MAXN + 2], y[MAXN + 2];
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 13);
    for (int t = 0; t < 400; t++) {
        size_t n = 2 + (size_t)srt_sr__rng_below(&r, t < 200 ? 20 : MAXN - 1);
        uint32_t cc = 0;
        double l = pow(10.0, 4.0 * srt_sr__rng_uniform(&r));
        for (size_t i = 0; i < n; i++) {
            cc += 1 + (uint32_t)(srt_sr__rng_uniform(&r) < 0.2);
            c[i] = cc;
            l *= pow(10.0, -0.5 * srt_sr__rng_uniform(&r)) * 0.999;
            loss[i] = l;
        }
        long maxsize = (long)cc + (long)srt_sr__rng_below(&r, 5);
        for (size_t i = 0; i < n; i++) {
            x[i] = log10((double)c[i]);
            y[i] = log10(loss[i] + DBL_EPSILON);
        }
        x[n] = log10((double)maxsize + 1.0);
        y[n] = y[n - 1];
        x[n + 1] = x[n];
        y[n + 1] = y[0];
        SRT_ASSERT_CLOSE(srt_sr_pareto_volume(c, loss, n, maxsize), reference_area(x, y, n + 2),
                         1e-9);
    }
}

static void tiny_losses_collapse_onto_eps(void)
{
    /* log10(loss + eps): losses far below eps(Float64) are all the same
     * point height, so a front of them has no area */
    uint32_t c[] = {1, 2, 5};
    double l[] = {1e-40, 1e-41, 1e-45};
    CU_ASSERT_EQUAL(srt_sr_pareto_volume(c, l, 3, 10), 0.0);
}

static void score_is_sr_jl_zero_centered_score(void)
{
    /* HallOfFame.jl compute_zero_centered_score:
     * relu(-log(relu(cur / last) + eps(cur)) / dc) */
    uint32_t c[] = {1, 3, 4, 7};
    double l[] = {1.0, 0.25, 0.25, 1e-300};
    double s[4];
    srt_sr_pareto_scores(c, l, 4, s);
    CU_ASSERT_EQUAL(s[0], 0.0);
    CU_ASSERT_EQUAL(s[1], -log(0.25 + ldexp(1.0, -54)) / 2.0);
    /* equal losses: log(1 + eps(0.25)) > 0, relu gives (a negative) zero */
    CU_ASSERT_EQUAL(s[2], 0.0);
    CU_ASSERT(signbit(s[2]));
    CU_ASSERT_EQUAL(s[3], -log(1e-300 / 0.25 + srt_sr__julia_eps(1e-300)) / 3.0);
    /* Julia's eps(x) */
    CU_ASSERT_EQUAL(srt_sr__julia_eps(1.0), DBL_EPSILON);
    CU_ASSERT_EQUAL(srt_sr__julia_eps(0.25), ldexp(1.0, -54));
    CU_ASSERT_EQUAL(srt_sr__julia_eps(-3.0), ldexp(1.0, -51));
    CU_ASSERT_EQUAL(srt_sr__julia_eps(0.0), DBL_TRUE_MIN);
    CU_ASSERT(isnan(srt_sr__julia_eps(INFINITY)));
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"convex_fronts_of_2_to_256_members_have_their_polygon_area",
         convex_fronts_of_2_to_256_members_have_their_polygon_area},
        {"concave_fronts_of_2_to_256_members_have_their_triangle_area",
         concave_fronts_of_2_to_256_members_have_their_triangle_area},
        {"random_fronts_match_an_independent_hull", random_fronts_match_an_independent_hull},
        {"tiny_losses_collapse_onto_eps", tiny_losses_collapse_onto_eps},
        {"score_is_sr_jl_zero_centered_score", score_is_sr_jl_zero_centered_score},
        {NULL, NULL}};
    return srt_test_main("sr_pareto", cases);
}
