/*
 * Fuzz target: the Pareto front, scores and pareto_volume (src/sr/pareto.c),
 * whose convex-hull buffer once overflowed for fronts of 148 members and
 * more. First byte: bit 0 picks the mode, the rest adds to maxsize.
 *  - mode 0 (fronts): each following pair of bytes is one member: complexity
 *    step 1 + b0 % 4, loss divided by 1 + b1 / 16; the volume must be finite,
 *    >= 0 and equal an independent monotone-chain hull's area.
 *  - mode 1 (raw): each following 8 bytes are a loss as an IEEE double
 *    (NaN, Inf, negative, subnormal), complexities 1, 2, ...; only memory
 *    safety and termination are checked.
 * At most 512 members.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sr/sr_int.h"

#define MAXN 512

typedef struct {
    double x, y;
} pt_t;

static int cmp(const void *a, const void *b)
{
    const pt_t *p = a, *q = b;
    if (p->x != q->x)
        return p->x < q->x ? -1 : 1;
    return p->y < q->y ? -1 : p->y > q->y;
}

static double cr(pt_t o, pt_t a, pt_t b)
{
    return (a.x - o.x) * (b.y - o.y) - (a.y - o.y) * (b.x - o.x);
}

static double chain_area(pt_t *p, size_t n)
{
    static pt_t h[2 * (MAXN + 2) + 2];
    qsort(p, n, sizeof *p, cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        while (k >= 2 && cr(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    for (size_t i = n - 1, t = k + 1; i-- > 0;) {
        while (k >= t && cr(h[k - 2], h[k - 1], p[i]) <= 0)
            k--;
        h[k++] = p[i];
    }
    if (k > 1)
        k--;
    double a = 0;
    for (size_t i = 0; i < k; i++)
        a += h[i].x * h[(i + 1) % k].y - h[(i + 1) % k].x * h[i].y;
    return fabs(a) / 2;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint32_t c[MAXN];
    static double loss[MAXN], score[MAXN];
    static size_t keep[MAXN];
    static pt_t pts[MAXN + 2];
    fuzz_init();
    if (size < 1)
        return 0;
    int raw = data[0] & 1;
    size_t n = 0;
    uint32_t cc = 0;
    if (!raw) {
        double l = 1e3;
        for (size_t i = 1; i + 1 < size && n < MAXN; i += 2) {
            double next = l / (1.0 + data[i + 1] / 16.0);
            if (next < 1e-290)
                break; /* stays a normal, strictly decreasing double */
            cc += 1 + data[i] % 4;
            l = next;
            if (data[i + 1] == 0)
                l = nextafter(l, 0.0); /* strictly decreasing */
            c[n] = cc;
            loss[n] = l;
            n++;
        }
    } else {
        for (size_t i = 1; i + 8 <= size && n < MAXN; i += 8) {
            c[n] = ++cc;
            memcpy(&loss[n], data + i, 8);
            n++;
        }
    }
    long maxsize = (long)cc + (data[0] >> 1);
    size_t nf = srt_sr_pareto_front(c, loss, n, keep);
    if (nf > n)
        fuzz_fail("front of %zu members from %zu", nf, n);
    for (size_t k = 0; k < nf; k++)
        if (keep[k] >= n || (k && keep[k] <= keep[k - 1]))
            fuzz_fail("front index %zu out of order", k);
    srt_sr_pareto_scores(c, loss, n, score);
    double v = srt_sr_pareto_volume(c, loss, n, maxsize);
    if (!raw) {
        if (nf != n)
            fuzz_fail("a strictly decreasing front of %zu kept %zu", n, nf);
        for (size_t i = 0; i < n; i++)
            if (!(score[i] >= 0) || !isfinite(score[i]))
                fuzz_fail("score %zu = %g", i, score[i]);
        if (!isfinite(v) || v < 0)
            fuzz_fail("pareto_volume %g of %zu members", v, n);
        if (n >= 2) {
            for (size_t i = 0; i < n; i++) {
                pts[i].x = log10((double)c[i]);
                pts[i].y = log10(loss[i] + DBL_EPSILON);
            }
            pts[n].x = log10((double)maxsize + 1.0);
            pts[n].y = pts[n - 1].y;
            pts[n + 1].x = pts[n].x;
            pts[n + 1].y = pts[0].y;
            double w = chain_area(pts, n + 2);
            if (fabs(v - w) > 1e-9 * (1.0 + fabs(w)))
                fuzz_fail("pareto_volume %.17g, independent hull %.17g (%zu members)", v, w, n);
        }
    }
    /* precision 32: the same front with L = Float32 (eps(Float32), Float32
     * y values); checked where every loss is a finite Float32 */
    static double score32[MAXN];
    srt_sr_pareto_scores_p(c, loss, n, 32, score32);
    double v32 = srt_sr_pareto_volume_p(c, loss, n, maxsize, 32);
    int fits32 = !raw;
    for (size_t i = 0; i < n && fits32; i++)
        fits32 = loss[i] > 0 && loss[i] < 1e30 && isfinite((float)loss[i]);
    if (fits32) {
        for (size_t i = 0; i < n; i++)
            if (!(score32[i] >= 0) || !isfinite(score32[i]))
                fuzz_fail("Float32 score %zu = %g", i, score32[i]);
        if (!isfinite(v32) || v32 < 0)
            fuzz_fail("Float32 pareto_volume %g of %zu members", v32, n);
        if (n >= 2) {
            double ymin = INFINITY, ymax = -INFINITY;
            for (size_t i = 0; i < n; i++) {
                pts[i].x = log10((double)c[i]);
                pts[i].y = srt_sr__f32(log10((double)((float)loss[i] + FLT_EPSILON)));
                ymin = fmin(ymin, pts[i].y);
                ymax = fmax(ymax, pts[i].y);
            }
            pts[n].x = log10((double)maxsize + 1.0);
            pts[n].y = ymin;
            pts[n + 1].x = pts[n].x;
            pts[n + 1].y = ymax;
            double w = chain_area(pts, n + 2);
            if (fabs(v32 - w) > 1e-9 * (1.0 + fabs(w)))
                fuzz_fail("Float32 pareto_volume %.17g, independent hull %.17g (%zu members)", v32,
                          w, n);
        }
    }
    return 0;
}
