/*
 * Recovery tests that can fail: the engine must find known formulas exactly
 * (loss at rounding level, and the formula checked at fresh points) within a
 * small fixed budget for each seed of a fixed set. Budgets are counted in
 * iterations, never in time, so the outcome is the same on every machine.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

#define NROWS 200
#define MAXF 8

typedef double (*truth_fn)(const double *x);

/* Precision of the searches (the tests below were tuned at 64; one test
 * repeats two of them at 32). */
static long g_precision = 64;

/* Runs a search and checks that the front has a member equal to truth. At
 * precision 32 an exact member's loss is Float32 rounding noise, about
 * (eps(Float32) |y|)^2, so the loss bar is relative to mean(y^2). */
static int recovers(truth_fn truth, int nf, double lo, double hi, const uint8_t *unaops,
                    int n_unaops, uint64_t seed, long niterations)
{
    double *block = malloc((size_t)(nf + 1) * NROWS * sizeof *block);
    const double *cols[8];
    double *y = block + (size_t)nf * NROWS;
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 1000 + seed);
    for (int i = 0; i < NROWS; i++) {
        double x[8];
        for (int f = 0; f < nf; f++) {
            x[f] = lo + (hi - lo) * srt_sr__rng_uniform(&r);
            block[(size_t)f * NROWS + (size_t)i] = x[f];
        }
        y[i] = truth(x);
    }
    for (int f = 0; f < nf; f++)
        cols[f] = block + (size_t)f * NROWS;
    srt_sr_data_t data = {cols, y, NROWS, (size_t)nf, NULL};
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.precision = g_precision;
    double ysq = 0.0;
    for (int i = 0; i < NROWS; i++)
        ysq += y[i] * y[i] / NROWS;
    double bar = g_precision == 32 ? 1e-10 * ysq : 1e-12;
    o.populations = 8;
    o.population_size = 27;
    o.ncycles_per_iteration = 100;
    o.maxsize = 20;
    o.niterations = niterations;
    o.early_stop_condition = 1e-18;
    o.n_unaops = n_unaops;
    memcpy(o.unaops, unaops, (size_t)n_unaops);
    srt_sr_result_t res;
    srt_err_t err;
    srt_sr_run_params_t params = {1, 0, 0, 1};
    srt_rc rc = srt_sr_run_ex(&o, &data, seed, NULL, NULL, &params, &res, &err);
    int found = 0;
    if (rc == SRT_OK) {
        for (size_t k = 0; k < res.nfront && !found; k++) {
            if (!(res.front[k].loss < bar))
                continue;
            int ok = 1;
            for (int t = 0; t < 50 && ok; t++) {
                double x[8];
                for (int f = 0; f < nf; f++)
                    x[f] = lo + (hi - lo) * srt_sr__rng_uniform(&r);
                double a = srt_expr_eval_point(&res.front[k].expr, x), b = truth(x);
                ok = fabs(a - b) <= 1e-6 * fmax(1.0, fabs(b));
            }
            found = ok;
            char *s = srt_expr_to_string(&res.front[k].expr, NULL, SRT_EXPR_STYLE_PYSR);
            printf("\n    seed %llu: %s (loss %.3g, %ld iterations)%s", (unsigned long long)seed,
                   s, res.front[k].loss, res.iterations, ok ? "" : " (wrong off-sample)");
            free(s);
        }
        if (!found)
            printf("\n    seed %llu: not found, min loss %.3g", (unsigned long long)seed,
                   res.min_loss);
    }
    srt_sr_result_fini(&res);
    free(block);
    return found;
}

static double f_main(const double *x)
{
    return 2.5 * x[0] * x[1] + cos(x[2]);
}
static double f_i_14_4(const double *x) /* U = k x^2 / 2 */
{
    return 0.5 * x[0] * x[1] * x[1];
}
static double f_i_34_8(const double *x) /* omega = q v B / p */
{
    return x[0] * x[1] * x[2] / x[3];
}

static double f_i_12_11(const double *x) /* F = q (Ef + B v sin(theta)) */
{
    return x[0] * (x[1] + x[2] * x[3] * sin(x[4]));
}

static void finds_2_5_x0_x1_plus_cos_x2(void)
{
    const uint8_t una[] = {SRT_OP_COS, SRT_OP_SIN, SRT_OP_EXP};
    for (uint64_t seed = 1; seed <= 3; seed++)
        CU_ASSERT(recovers(f_main, 3, -3.0, 3.0, una, 3, seed, 30));
}

static void finds_feynman_i_14_4_spring_energy(void)
{
    const uint8_t una[] = {SRT_OP_SQUARE, SRT_OP_SQRT};
    for (uint64_t seed = 1; seed <= 3; seed++)
        CU_ASSERT(recovers(f_i_14_4, 2, 1.0, 5.0, una, 2, seed, 40));
}

/* The hardest of the four: with SymbolicRegression.jl's rules as written
 * (issue 13: rotation, insertion, deletion and crossover sites, negation
 * rate, simplification) some seeds stall on it within 100 iterations (6 of
 * these 8 recover it; seeds 1 and 5 stall), so this one is a recovery rate
 * over 8 seeds: at least 5. */
static void finds_feynman_i_12_11_lorentz_force(void)
{
    const uint8_t una[] = {SRT_OP_SIN, SRT_OP_COS, SRT_OP_EXP, SRT_OP_SQRT};
    int found = 0;
    for (uint64_t seed = 1; seed <= 8; seed++)
        found += recovers(f_i_12_11, 5, 1.0, 5.0, una, 4, seed, 100);
    printf("\n    recovered by %d of 8 seeds", found);
    CU_ASSERT(found >= 5);
}

static void finds_feynman_i_34_8_larmor_frequency(void)
{
    const uint8_t una[] = {SRT_OP_SQUARE, SRT_OP_SQRT};
    for (uint64_t seed = 1; seed <= 3; seed++)
        CU_ASSERT(recovers(f_i_34_8, 4, 1.0, 5.0, una, 2, seed, 40));
}

/* The same search in Float32 (PySR's default precision): the spring energy
 * and the Larmor frequency are still found exactly. */
static void finds_spring_energy_and_larmor_frequency_at_precision_32(void)
{
    const uint8_t una[] = {SRT_OP_SQUARE, SRT_OP_SQRT};
    g_precision = 32;
    int found = 0;
    for (uint64_t seed = 1; seed <= 3; seed++) {
        found += recovers(f_i_14_4, 2, 1.0, 5.0, una, 2, seed, 40);
        found += recovers(f_i_34_8, 4, 1.0, 5.0, una, 2, seed, 40);
    }
    g_precision = 64;
    printf("\n    recovered %d of 6", found);
    CU_ASSERT(found >= 5);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"finds_2_5_x0_x1_plus_cos_x2", finds_2_5_x0_x1_plus_cos_x2},
        {"finds_feynman_i_14_4_spring_energy", finds_feynman_i_14_4_spring_energy},
        {"finds_feynman_i_34_8_larmor_frequency", finds_feynman_i_34_8_larmor_frequency},
        {"finds_feynman_i_12_11_lorentz_force", finds_feynman_i_12_11_lorentz_force},
        {"finds_spring_energy_and_larmor_frequency_at_precision_32",
         finds_spring_energy_and_larmor_frequency_at_precision_32},
        {NULL, NULL}};
    return srt_test_main("sr_recovery", cases);
}
