/*
 * Constant optimisation (sr-engine.md step 3; SR.jl's optimize_constants):
 * BFGS (GSL's vector_bfgs2) on the MSE with an exact gradient from
 * reverse-mode differentiation of the postfix program, or Newton with
 * backtracking when there is one constant; `iterations` iterations from the
 * current constants, then `nrestarts` restarts from x0 * (1 + 0.5 N(0,1));
 * the best result is kept only when it lowers the loss.
 *
 * The gradient pass evaluates every node over a block of rows into its own
 * row of a work array, then walks the nodes backwards: a node's adjoint is
 * set by its one parent before it is read, so no accumulation is needed
 * except for the constants' gradients.
 */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("O3", "no-math-errno", "fp-contract=off")
#endif
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "sr/vmath.h"

#define B SRT_EVAL_BLOCK

size_t srt_sr__mse_grad_work(const srt_expr_t *e)
{
    return 2 * (size_t)e->len * B;
}

/* Sums with 8 independent accumulators in a fixed order (vectorises; the
 * same bits on every ISA). */
static double sum_lanes(const double *restrict a, size_t n)
{
    double acc[8] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += a[j + (size_t)k];
    for (; j < n; j++)
        tail += a[j];
    return (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))) +
           tail;
}

static double sum_sq(const double *restrict a, size_t n)
{
    double acc[8] = {0}, tail = 0.0;
    size_t j = 0;
    for (; j + 8 <= n; j += 8)
        for (int k = 0; k < 8; k++)
            acc[k] += a[j + (size_t)k] * a[j + (size_t)k];
    for (; j < n; j++)
        tail += a[j] * a[j];
    return (((acc[0] + acc[1]) + (acc[2] + acc[3])) + ((acc[4] + acc[5]) + (acc[6] + acc[7]))) +
           tail;
}

/* 1 when the fast sin/cos kernels apply to every a[j]. */
static int trig_ok(const double *a, size_t n)
{
    int ok = 1;
    for (size_t j = 0; j < n; j++)
        ok &= a[j] <= VM_TRIG_LIMIT && a[j] >= -VM_TRIG_LIMIT;
    return ok;
}

/* d op(a) / da given a and v = op(a). */
static double dunary(srt_op_t op, double a, double v)
{
    switch (op) {
    case SRT_OP_NEG: return -1.0;
    case SRT_OP_SQUARE: return 2.0 * a;
    case SRT_OP_CUBE: return 3.0 * a * a;
    case SRT_OP_SQRT: return 0.5 / v;
    case SRT_OP_EXP: return v;
    case SRT_OP_LOG: return 1.0 / a;
    case SRT_OP_SIN: return cos(a);
    case SRT_OP_COS: return -sin(a);
    case SRT_OP_TAN: return 1.0 + v * v;
    case SRT_OP_TANH: return 1.0 - v * v;
    case SRT_OP_SINH: return cosh(a);
    case SRT_OP_COSH: return sinh(a);
    case SRT_OP_ASIN: return 1.0 / sqrt(1.0 - a * a);
    case SRT_OP_ACOS: return -1.0 / sqrt(1.0 - a * a);
    case SRT_OP_ATAN: return 1.0 / (1.0 + a * a);
    case SRT_OP_ABS: return a > 0 ? 1.0 : (a < 0 ? -1.0 : 0.0);
    /* issue 14 (docs/operators.md); the piecewise-constant ones have slope 0
     * wherever they are differentiable, as ForwardDiff gives */
    case SRT_OP_SIGN:
    case SRT_OP_ROUND:
    case SRT_OP_FLOOR:
    case SRT_OP_CEIL: return 0.0;
    case SRT_OP_CBRT: return 1.0 / (3.0 * v * v);
    case SRT_OP_INV: return -v * v;
    case SRT_OP_LOG10: return 1.0 / (a * 2.30258509299404568402);
    case SRT_OP_LOG2: return 1.0 / (a * 0.69314718055994530942);
    case SRT_OP_LOG1P: return 1.0 / (1.0 + a);
    case SRT_OP_ASINH: return 1.0 / sqrt(a * a + 1.0);
    case SRT_OP_ACOSH: return 1.0 / sqrt(a * a - 1.0);
    case SRT_OP_ATANH: return 1.0 / (1.0 - a * a);
    case SRT_OP_ERF: return 1.12837916709551257390 * exp(-a * a); /* 2 / sqrt(pi) */
    case SRT_OP_ERFC: return -1.12837916709551257390 * exp(-a * a);
    case SRT_OP_GAMMA: return v * gsl_sf_psi(a);
    case SRT_OP_RELU: return a > 0 ? 1.0 : 0.0;
    case SRT_OP_SINC: {
        /* Julia's cosc: (cos(pi x) - sinc(x)) / x, its Taylor term near 0 */
        const double pi = 3.14159265358979323846;
        if (fabs(a) < 1e-4)
            return -(pi * pi / 3.0) * a;
        return (cos(pi * a) - v) / a;
    }
    default: return NAN;
    }
}

/* Adjoints of a binary op of issue 14 (docs/operators.md): *da and *db get
 * adj * d op / da and adj * d op / db. max and min pass the adjoint to the
 * operand they pick (the same sign test as ops_body.h); the comparisons and
 * the logical ones are flat. */
static void dbinary(srt_op_t op, double a, double b, double adj, double *da, double *db)
{
    switch (op) {
    case SRT_OP_MAX:
        *da = signbit(a - b) ? 0.0 : adj;
        *db = signbit(a - b) ? adj : 0.0;
        break;
    case SRT_OP_MIN:
        *da = signbit(a - b) ? adj : 0.0;
        *db = signbit(a - b) ? 0.0 : adj;
        break;
    case SRT_OP_MOD: /* x - y floor(x / y) */
        *da = adj;
        *db = -adj * floor(a / b);
        break;
    case SRT_OP_COND: /* (x > 0) * y */
        *da = 0.0;
        *db = a > 0 ? adj : 0.0;
        break;
    case SRT_OP_GREATER:
    case SRT_OP_LESS:
    case SRT_OP_GREATER_EQUAL:
    case SRT_OP_LESS_EQUAL:
    case SRT_OP_LOGICAL_OR:
    case SRT_OP_LOGICAL_AND:
        *da = *db = 0.0;
        break;
    default:
        *da = *db = NAN;
        break;
    }
}

double srt_sr__mse_grad(const srt_expr_t *e, const srt_sr__evalset_t *set, double *grad,
                        double *work)
{
    uint32_t nconst = 0;
    for (uint32_t i = 0; i < e->len; i++)
        nconst += e->nodes[i].op == SRT_OP_CONST;
    memset(grad, 0, (size_t)nconst * sizeof *grad);
    double *vals = work, *adj = work + (size_t)e->len * B;
    double total = 0.0, scale = 2.0 / (double)set->n;
    for (size_t row0 = 0; row0 < set->n; row0 += B) {
        size_t n = set->n - row0 < B ? set->n - row0 : B;
        srt_sr__eval_nodes(e, set->cols, row0, n, vals);
        const double *root = vals + (size_t)(e->len - 1) * B;
        double *ar = adj + (size_t)(e->len - 1) * B;
        const double *y = set->y + row0;
        for (size_t j = 0; j < n; j++)
            ar[j] = root[j] - y[j];
        double acc = sum_sq(ar, n);
        for (size_t j = 0; j < n; j++)
            ar[j] *= scale;
        if (!isfinite(acc))
            return INFINITY;
        total += acc;
        uint32_t k = nconst;
        for (uint32_t i = e->len; i-- > 0;) {
            const srt_node_t *nd = &e->nodes[i];
            srt_op_t op = (srt_op_t)nd->op;
            const double *ai = adj + (size_t)i * B;
            if (op == SRT_OP_CONST) {
                grad[--k] += sum_lanes(ai, n);
                continue;
            }
            int arity = srt_sr__arity(op);
            if (arity == 1) {
                const double *a = vals + (size_t)(i - 1) * B, *v = vals + (size_t)i * B;
                double *ac = adj + (size_t)(i - 1) * B;
                switch (op) {
                case SRT_OP_SIN:
                    if (trig_ok(a, n))
                        for (size_t j = 0; j < n; j++) ac[j] = ai[j] * vm_sincos(a[j], 1);
                    else
                        for (size_t j = 0; j < n; j++) ac[j] = ai[j] * cos(a[j]);
                    break;
                case SRT_OP_COS:
                    if (trig_ok(a, n))
                        for (size_t j = 0; j < n; j++) ac[j] = -ai[j] * vm_sincos(a[j], 0);
                    else
                        for (size_t j = 0; j < n; j++) ac[j] = -ai[j] * sin(a[j]);
                    break;
                case SRT_OP_EXP: for (size_t j = 0; j < n; j++) ac[j] = ai[j] * v[j]; break;
                case SRT_OP_NEG: for (size_t j = 0; j < n; j++) ac[j] = -ai[j]; break;
                case SRT_OP_SQUARE: for (size_t j = 0; j < n; j++) ac[j] = 2.0 * ai[j] * a[j]; break;
                case SRT_OP_CUBE:
                    for (size_t j = 0; j < n; j++) ac[j] = 3.0 * ai[j] * a[j] * a[j];
                    break;
                case SRT_OP_SQRT: for (size_t j = 0; j < n; j++) ac[j] = 0.5 * ai[j] / v[j]; break;
                case SRT_OP_LOG: for (size_t j = 0; j < n; j++) ac[j] = ai[j] / a[j]; break;
                case SRT_OP_TANH:
                    for (size_t j = 0; j < n; j++) ac[j] = ai[j] * (1.0 - v[j] * v[j]);
                    break;
                case SRT_OP_TAN:
                    for (size_t j = 0; j < n; j++) ac[j] = ai[j] * (1.0 + v[j] * v[j]);
                    break;
                default:
                    for (size_t j = 0; j < n; j++) ac[j] = ai[j] * dunary(op, a[j], v[j]);
                    break;
                }
            } else if (arity == 2) {
                uint32_t r = i - 1, l = r - e->nodes[r].size;
                const double *a = vals + (size_t)l * B, *b = vals + (size_t)r * B;
                const double *v = vals + (size_t)i * B;
                double *al = adj + (size_t)l * B, *br = adj + (size_t)r * B;
                switch (op) {
                case SRT_OP_ADD:
                    for (size_t j = 0; j < n; j++) al[j] = br[j] = ai[j];
                    break;
                case SRT_OP_SUB:
                    for (size_t j = 0; j < n; j++) {
                        al[j] = ai[j];
                        br[j] = -ai[j];
                    }
                    break;
                case SRT_OP_MUL:
                    for (size_t j = 0; j < n; j++) {
                        al[j] = ai[j] * b[j];
                        br[j] = ai[j] * a[j];
                    }
                    break;
                case SRT_OP_DIV:
                    for (size_t j = 0; j < n; j++) {
                        al[j] = ai[j] / b[j];
                        br[j] = -ai[j] * v[j] / b[j];
                    }
                    break;
                case SRT_OP_POW:
                    for (size_t j = 0; j < n; j++) {
                        al[j] = ai[j] * b[j] * pow(a[j], b[j] - 1.0);
                        br[j] = ai[j] * v[j] * log(a[j]);
                    }
                    break;
                default: /* issue 14's binary operators */
                    for (size_t j = 0; j < n; j++)
                        dbinary(op, a[j], b[j], ai[j], &al[j], &br[j]);
                    break;
                }
            }
        }
    }
    total /= (double)set->n;
    return isfinite(total) ? total : INFINITY;
}

/* ---- the objective as GSL sees it ---- */

typedef struct {
    srt_expr_t *e;                 /* the expression whose constants move */
    const srt_sr__evalset_t *set;  /* rows to fit */
    uint32_t *cidx;                /* node index of each constant */
    size_t nc;                     /* constants */
    double *work;                  /* srt_sr__mse_grad work */
    double *g;                     /* gradient scratch */
    double nevals;                 /* objective evaluations */
} objective_t;

#define BAD_LOSS 1e300

/* At precision 32 (set->cols32) the tree's constants are Float32, as SR.jl's
 * with T = Float32: the optimiser moves double values, the objective sees
 * them rounded. */
static void set_consts(objective_t *o, const double *x)
{
    int f32 = o->set->cols32 != NULL;
    for (size_t k = 0; k < o->nc; k++)
        o->e->nodes[o->cidx[k]].value = f32 ? srt_sr__f32(x[k]) : x[k];
}

static double obj_f_raw(objective_t *o, const double *x)
{
    set_consts(o, x);
    o->nevals += 1.0;
    double f = srt_sr__eval_loss(o->e, o->set);
    return isfinite(f) ? f : BAD_LOSS;
}

static double obj_fg_raw(objective_t *o, const double *x, double *g)
{
    set_consts(o, x);
    o->nevals += 1.0;
    double f = srt_sr__mse_grad(o->e, o->set, g, o->work);
    if (o->set->cols32 && isfinite(f))
        f = srt_sr__eval_loss(o->e, o->set); /* the value is the Float32 loss */
    int ok = isfinite(f);
    for (size_t k = 0; k < o->nc && ok; k++)
        ok = isfinite(g[k]);
    if (!ok) {
        memset(g, 0, o->nc * sizeof *g);
        return BAD_LOSS;
    }
    return f;
}

static double gsl_f(const gsl_vector *x, void *p)
{
    objective_t *o = p;
    return obj_f_raw(o, gsl_vector_const_ptr(x, 0));
}

static void gsl_fdf(const gsl_vector *x, void *p, double *f, gsl_vector *g)
{
    objective_t *o = p;
    *f = obj_fg_raw(o, gsl_vector_const_ptr(x, 0), o->g);
    for (size_t k = 0; k < o->nc; k++)
        gsl_vector_set(g, k, o->g[k]);
}

static void gsl_df(const gsl_vector *x, void *p, gsl_vector *g)
{
    double f;
    gsl_fdf(x, p, &f, g);
}

/* BFGS from x (in/out), returns the loss at x on exit. */
static double run_bfgs(objective_t *o, gsl_multimin_fdfminimizer *m, double *x, long iterations)
{
    gsl_multimin_function_fdf fdf = {gsl_f, gsl_df, gsl_fdf, o->nc, o};
    gsl_vector_view xv = gsl_vector_view_array(x, o->nc);
    double norm = 0.0;
    for (size_t k = 0; k < o->nc; k++)
        norm += x[k] * x[k];
    double step = 0.1 * (1.0 + sqrt(norm));
    if (gsl_multimin_fdfminimizer_set(m, &fdf, &xv.vector, step, 0.1) != GSL_SUCCESS)
        return obj_f_raw(o, x);
    for (long it = 0; it < iterations; it++) {
        if (gsl_multimin_fdfminimizer_iterate(m) != GSL_SUCCESS)
            break;
        if (gsl_multimin_test_gradient(gsl_multimin_fdfminimizer_gradient(m), 1e-12) ==
            GSL_SUCCESS)
            break;
    }
    const gsl_vector *xm = gsl_multimin_fdfminimizer_x(m);
    for (size_t k = 0; k < o->nc; k++)
        x[k] = gsl_vector_get(xm, k);
    return gsl_multimin_fdfminimizer_minimum(m);
}

/* Newton with backtracking for one constant; x in/out; returns the loss. */
static double run_newton(objective_t *o, double *x, long iterations)
{
    double g, g2;
    double f = obj_fg_raw(o, x, &g);
    for (long it = 0; it < iterations && f < BAD_LOSS; it++) {
        if (g == 0.0)
            break;
        double d = 1e-6 * fmax(1.0, fabs(x[0]));
        double xd = x[0] + d;
        (void)obj_fg_raw(o, &xd, &g2);
        double h = (g2 - g) / d;
        double dir = (h > 0 && isfinite(h)) ? -g / h : -g;
        double t = 1.0, xt = 0, ft = BAD_LOSS;
        int improved = 0;
        for (int bt = 0; bt < 20; bt++) {
            xt = x[0] + t * dir;
            ft = obj_f_raw(o, &xt);
            if (ft <= f + 1e-4 * t * g * dir) {
                improved = 1;
                break;
            }
            t *= 0.5;
        }
        if (!improved || !(ft < f))
            break;
        x[0] = xt;
        f = obj_fg_raw(o, x, &g);
    }
    return f;
}

/* ConstantOptimization.jl optimize_constants / _optimize_constants (Newton
 * for one constant, BFGS otherwise; restarts x0 * (1 + N(0,1)/2); kept when
 * below the baseline f(x0)). */
int srt_sr__optimize_constants(srt_expr_t *e, const srt_sr__evalset_t *set, long iterations,
                               long nrestarts, srt_sr__rng_t *rng, double *loss, double *nevals)
{
    objective_t o = {e, set, NULL, 0, NULL, NULL, 0.0};
    for (uint32_t i = 0; i < e->len; i++)
        o.nc += e->nodes[i].op == SRT_OP_CONST;
    if (o.nc == 0)
        return 0;
    int result = -1;
    gsl_multimin_fdfminimizer *m = NULL;
    double *x0 = malloc(4 * o.nc * sizeof *x0);
    o.cidx = malloc(o.nc * sizeof *o.cidx);
    o.work = malloc(srt_sr__mse_grad_work(e) * sizeof *o.work);
    if (!x0 || !o.cidx || !o.work)
        goto cleanup;
    double *best = x0 + o.nc, *xt = x0 + 2 * o.nc;
    o.g = x0 + 3 * o.nc;
    size_t k = 0;
    for (uint32_t i = 0; i < e->len; i++)
        if (e->nodes[i].op == SRT_OP_CONST) {
            o.cidx[k] = i;
            x0[k++] = e->nodes[i].value;
        }
    if (o.nc > 1) {
        m = gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, o.nc);
        if (!m)
            goto cleanup;
    }
    double base = obj_f_raw(&o, x0);
    memcpy(best, x0, o.nc * sizeof *x0);
    memcpy(xt, x0, o.nc * sizeof *x0);
    double fbest = o.nc > 1 ? run_bfgs(&o, m, xt, iterations) : run_newton(&o, xt, iterations);
    memcpy(best, xt, o.nc * sizeof *xt);
    for (long r = 0; r < nrestarts; r++) {
        for (size_t q = 0; q < o.nc; q++)
            xt[q] = x0[q] * (1.0 + 0.5 * srt_sr__rng_normal(rng));
        double f = o.nc > 1 ? run_bfgs(&o, m, xt, iterations) : run_newton(&o, xt, iterations);
        if (f < fbest) {
            fbest = f;
            memcpy(best, xt, o.nc * sizeof *xt);
        }
    }
    if (fbest < base && fbest < BAD_LOSS) {
        /* the reported loss is that of the constants kept, evaluated afresh */
        set_consts(&o, best);
        o.nevals += 1.0;
        double f = srt_sr__eval_loss(e, set);
        if (f < base) {
            *loss = f;
            result = 1;
        } else {
            set_consts(&o, x0);
            *loss = base;
            result = 0;
        }
    } else {
        set_consts(&o, x0);
        *loss = base < BAD_LOSS ? base : INFINITY;
        result = 0;
    }
cleanup:
    if (nevals)
        *nevals += o.nevals;
    if (m)
        gsl_multimin_fdfminimizer_free(m);
    free(x0);
    free(o.cidx);
    free(o.work);
    return result;
}
