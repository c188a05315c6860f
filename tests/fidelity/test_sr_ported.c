/*
 * Test cases ported from the test suites of SymbolicRegression.jl v1.11.3
 * (test/...jl) and DynamicExpressions.jl v1.10.4 (test/...jl), each naming
 * the file and test it comes from, with their exact expected values where
 * they have them; plus exact checks of the formulas of SR.jl's source that
 * its tests only bound (pareto_volume's hull order, the score).
 * Features x1, x2, ... of the Julia tests are x0, x1, ... here.
 */
#include <float.h>

#include "fidelity.h"

static char *shape_exact(const srt_expr_t *e)
{
    return srt_expr_to_string(e, NULL, SRT_EXPR_STYLE_PYSR);
}

static void check_steps(const char *postfix, int steps, const char *want)
{
    srt_expr_t e;
    srt_expr_init(&e);
    fid_parse(&e, postfix);
    CU_ASSERT(srt_sr__simplify_steps(&e, steps) >= 0);
    char *s = shape_exact(&e);
    if (strcmp(s, want))
        printf("\n    %s -> %s, want %s\n", postfix, s, want);
    CU_ASSERT_STRING_EQUAL(s, want);
    free(s);
    srt_expr_fini(&e);
}

/* Prints a double as %.17g (the engine's printer). */
static const char *g17(double v)
{
    static char buf[4][40];
    static int k;
    k = (k + 1) % 4;
    snprintf(buf[k], sizeof buf[k], "%.17g", v);
    return buf[k];
}

/* DynamicExpressions.jl test/test_simplification.jl, "Hit other parts of
 * simplify_tree! and combine_operators". */
static void simplification_cases_of_test_simplification_jl(void)
{
    const int FOLD = SRT_SR__SIMPLIFY_FOLD, COMB = SRT_SR__SIMPLIFY_COMBINE;
    char want[160];
    /* unary operator applied to constant => constant: cos(0.0) -> 1.0 */
    check_steps("0.0 cos", FOLD, "1");
    /* except when the result is a NaN: cos(NaN) stays */
    check_steps("nan cos", FOLD, "cos(nan)");
    /* (cos((0.1 + 0.2) + 0.2) + 2.0) -> (cos(0.4 + 0.1) + 2.0) by
     * combine_operators alone (0.4 = 0.2 + 0.2) */
    snprintf(want, sizeof want, "(cos((%s + 0.10000000000000001)) + 2)", g17(0.2 + 0.2));
    check_steps("0.1 0.2 + 0.2 + cos 2.0 +", COMB, want);
    /* left is constant: (0.5 + (0.2 + x1)) -> (x1 + 0.7) */
    snprintf(want, sizeof want, "(x0 + %s)", g17(0.2 + 0.5));
    check_steps("0.5 0.2 x0 + +", COMB, want);
    /* (const - (const - var)) => (var - const): (0.5 - (0.2 - x1)) -> (x1 - -0.3) */
    snprintf(want, sizeof want, "(x0 - %s)", g17(0.2 - 0.5));
    check_steps("0.5 0.2 x0 - -", COMB, want);
    /* ((const - var) - const) => (const - var): ((0.5 - x1) - 0.2) -> (0.3 - x1) */
    snprintf(want, sizeof want, "(%s - x0)", g17(0.5 - 0.2));
    check_steps("0.5 x0 - 0.2 -", COMB, want);
    /* (const - (var - const)) => (const - var): (0.5 - (x1 - 0.2)) -> (0.7 - x1) */
    snprintf(want, sizeof want, "(%s - x0)", g17(0.5 + 0.2));
    check_steps("0.5 x0 0.2 - -", COMB, want);
    /* ((var - const) - const) => (var - const): ((x1 - 0.2) - 0.6) -> (x1 - 0.8) */
    snprintf(want, sizeof want, "(x0 - %s)", g17(0.6 + 0.2));
    check_steps("x0 0.2 - 0.6 -", COMB, want);
    /* both steps, as SR.jl's mutate! :simplify runs them: the folded
     * constant of the first case then combines no further */
    check_steps("0.1 0.2 + 0.2 + cos 2.0 +", FOLD | COMB,
                g17(cos((0.1 + 0.2) + 0.2) + 2.0));
}

/* SymbolicRegression.jl test/test_loss_scale.jl, "compute_zero_centered_score":
 * (0.5, 1.0, 1.0) ~ log(2), (0.1, 1.0, 1.0) ~ log(10), (2.0, 1.0, 1.0) = 0
 * (atol 1e-5); exactly, relu(-log(relu(cur / last) + eps(cur)) / dc). */
static void score_cases_of_test_loss_scale_jl(void)
{
    const double cur[3] = {0.5, 0.1, 2.0};
    const double want[3] = {log(2.0), log(10.0), 0.0};
    for (int k = 0; k < 3; k++) {
        uint32_t c[2] = {1, 2};
        double l[2] = {1.0, cur[k]}, s[2];
        srt_sr_pareto_scores(c, l, 2, s);
        CU_ASSERT_EQUAL(s[0], 0.0);
        CU_ASSERT(fabs(s[1] - want[k]) <= 1e-5);
        double exact = -log(cur[k] / 1.0 + srt_sr__julia_eps(cur[k])) / 1.0;
        CU_ASSERT_EQUAL(s[1], exact > 0 ? exact : 0.0);
    }
}

/* The same cases with L = Float32 (precision 32, PySR's default): SR.jl's
 * compute_zero_centered_score then runs in Float32, eps(cur) included. */
static void score_cases_of_test_loss_scale_jl_in_float32(void)
{
    const float cur[3] = {0.5f, 0.1f, 2.0f};
    const double want[3] = {log(2.0), log(10.0), 0.0};
    for (int k = 0; k < 3; k++) {
        uint32_t c[2] = {1, 2};
        double l[2] = {1.0, (double)cur[k]}, s[2];
        srt_sr_pareto_scores_p(c, l, 2, 32, s);
        CU_ASSERT_EQUAL(s[0], 0.0);
        CU_ASSERT(fabs(s[1] - want[k]) <= 1e-5);
        float epsf = ldexpf(FLT_EPSILON, ilogbf(cur[k]));
        float exact = -(float)log((double)(cur[k] / 1.0f + epsf)) / 1.0f;
        CU_ASSERT_EQUAL(s[1], (double)(exact > 0 ? exact : 0.0f));
    }
}

/* Logging.jl pareto_volume with L = Float32: y = log10(losses + eps(L)) in
 * Float32, x = log10(complexities) in Float64, the hull in Float64 (cat
 * widens y). So the front of test_loss_scale.jl has the volume of the
 * Float32 y values, and losses below eps(Float32) ~ 1.2e-7 are all but
 * invisible, as in PySR, where at Float64 they are not. */
/* log10 of a Float32 sum rounded to Float32 (through a volatile float, so
 * that the rounding happens at run time whatever the optimiser does). */
static double f32_log10_plus_eps(float v)
{
    volatile float s = v + FLT_EPSILON;
    volatile float r = (float)log10((double)s);
    return (double)r;
}

static void pareto_volume_in_float32_uses_eps_float32(void)
{
    uint32_t c[3] = {1, 3, 5};
    double l[3] = {0.5, 0.3, 0.2};
    double v = srt_sr_pareto_volume_p(c, l, 3, 10, 32);
    volatile double one = 1.0, five = 5.0, eleven = 11.0;
    double x1 = log10(one), y1 = f32_log10_plus_eps(0.5f);
    double x3 = log10(five), y3 = f32_log10_plus_eps(0.2f);
    double xm = log10(eleven);
    double hx[4] = {x1, xm, xm, x3}, hy[4] = {y1, y1, y3, y3};
    double area = 0.0;
    for (int i = 0; i < 4; i++) {
        int j = i == 3 ? 0 : i + 1;
        area += (hx[i] * hy[j] - hx[j] * hy[i]);
    }
    if (v != fabs(area) / 2)
        printf("\n    pareto_volume %.17g, SR.jl order %.17g\n", v, fabs(area) / 2);
    CU_ASSERT_EQUAL(v, fabs(area) / 2);
    CU_ASSERT(v != srt_sr_pareto_volume(c, l, 3, 10));
    uint32_t c2[2] = {1, 5};
    double a[2] = {1e-3, 1e-9}, b[2] = {1e-3, 1e-12};
    double va32 = srt_sr_pareto_volume_p(c2, a, 2, 10, 32);
    double vb32 = srt_sr_pareto_volume_p(c2, b, 2, 10, 32);
    double va64 = srt_sr_pareto_volume_p(c2, a, 2, 10, 64);
    double vb64 = srt_sr_pareto_volume_p(c2, b, 2, 10, 64);
    CU_ASSERT(fabs(va32 - vb32) < 0.01);
    CU_ASSERT(vb64 - va64 > 1.0);
}

/* SymbolicRegression.jl test/test_loss_scale.jl, "loss_scale in
 * pareto_volume": losses [0.5, 0.3, 0.2] at complexities [1, 3, 5], maxsize
 * 10, log mode: > 0. Exactly: Logging.jl's gift wrapping starts at the
 * smallest complexity and goes clockwise, (x1,y1) -> (xm,y1) -> (xm,y3) ->
 * (x3,y3) ((x2,y2) lies inside), and convex_hull_area sums in that order. */
static void pareto_volume_case_of_test_loss_scale_jl(void)
{
    uint32_t c[3] = {1, 3, 5};
    double l[3] = {0.5, 0.3, 0.2};
    double v = srt_sr_pareto_volume(c, l, 3, 10);
    CU_ASSERT(v > 0);
    /* volatile: libm at run time, as the engine, not the compiler's
     * correctly rounded constant folding */
    volatile double one = 1.0, five = 5.0, eleven = 11.0, la = 0.5, lc = 0.2;
    double x1 = log10(one), y1 = log10(la + DBL_EPSILON);
    double x3 = log10(five), y3 = log10(lc + DBL_EPSILON);
    double xm = log10(eleven);
    double hx[4] = {x1, xm, xm, x3}, hy[4] = {y1, y1, y3, y3};
    double area = 0.0;
    for (int i = 0; i < 4; i++) {
        int j = i == 3 ? 0 : i + 1;
        area += (hx[i] * hy[j] - hx[j] * hy[i]);
    }
    if (v != fabs(area) / 2)
        printf("\n    pareto_volume %.17g, SR.jl order %.17g\n", v, fabs(area) / 2);
    CU_ASSERT_EQUAL(v, fabs(area) / 2);
}

/* HallOfFame.jl calculate_pareto_frontier: a member is kept when its loss
 * is below that of every existing smaller member (test/test_mixed_utils.jl
 * and others rely on it; the exact rule is the source's). */
static void pareto_frontier_is_strictly_better_than_all_smaller(void)
{
    uint32_t c[6] = {1, 2, 3, 4, 5, 6};
    double l[6] = {3.0, 3.0, 1.0, 2.0, 0.5, 0.5};
    size_t keep[6];
    size_t n = srt_sr_pareto_front(c, l, 6, keep);
    CU_ASSERT_EQUAL(n, 3);
    CU_ASSERT(keep[0] == 0 && keep[1] == 2 && keep[2] == 4);
}

/* SymbolicRegression.jl test/test_search_statistics.jl: frequencies start
 * at 1 per complexity (maxsize 30 by default), 1000 updates at sizes
 * 1..10 give a sum of 1030; move_window! with window 500 brings the sum to
 * ~500; the normalised frequencies follow the updates. (Sizes drawn with
 * srtune's generator instead of MersenneTwister(i).) */
static void search_statistics_case_of_test_search_statistics_jl(void)
{
    double freq[30], norm[30];
    for (int k = 0; k < 30; k++)
        freq[k] = 1.0;
    srt_sr__rng_t r;
    srt_sr__rng_seed(&r, 1);
    for (int i = 0; i < 1000; i++)
        freq[srt_sr__rng_below(&r, 10)] += 1.0;
    double sum = 0;
    for (int k = 0; k < 30; k++)
        sum += freq[k];
    CU_ASSERT_EQUAL(sum, 1030.0);
    for (int k = 0; k < 30; k++)
        norm[k] = freq[k] / sum;
    CU_ASSERT(norm[4] > norm[14]);
    srt_sr__move_window(freq, 30, 500.0);
    sum = 0;
    for (int k = 0; k < 30; k++) {
        sum += freq[k];
        CU_ASSERT(freq[k] >= 1.0);
    }
    CU_ASSERT(fabs(sum - 500.0) <= 500.0 * sqrt(DBL_EPSILON));
    double lo = 0, hi = 0;
    for (int k = 0; k < 5; k++)
        lo += freq[k];
    for (int k = 9; k < 15; k++)
        hi += freq[k];
    CU_ASSERT(lo > hi);
    for (int i = 0; i < 500; i++)
        freq[9 + srt_sr__rng_below(&r, 6)] += 1.0;
    srt_sr__move_window(freq, 30, 500.0);
    sum = lo = hi = 0;
    for (int k = 0; k < 30; k++)
        sum += freq[k];
    for (int k = 0; k < 5; k++)
        lo += freq[k];
    for (int k = 9; k < 15; k++)
        hi += freq[k];
    CU_ASSERT(fabs(sum - 500.0) <= 500.0 * sqrt(DBL_EPSILON));
    CU_ASSERT(lo < hi);
}

#define NROWS 20
static double col0[NROWS], ycol[NROWS];
static const double *cols[1] = {col0};

static srt_sr__search_t *small_search(long popsize, long tn, double tp)
{
    for (int i = 0; i < NROWS; i++) {
        col0[i] = -1.0 + 0.1 * i;
        ycol[i] = 3.2 * col0[i];
    }
    srt_sr_data_t d = {cols, ycol, NROWS, 1, NULL};
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.populations = 2;
    o.population_size = popsize;
    o.tournament_selection_n = tn;
    o.tournament_selection_p = tp;
    o.maxsize = 20;
    srt_sr__search_t *s = NULL;
    srt_err_t err;
    CU_ASSERT_FATAL(srt_sr__search_create(&o, &d, 7, &s, &err) == SRT_OK);
    return s;
}

/* SymbolicRegression.jl test/test_migration.jl: migrate! of one candidate
 * with frac 0.5 into a population of 100 puts the candidate's tree in the
 * population: poisson(50) capped at the one candidate, so exactly one
 * place, with a new birth. */
static void migration_case_of_test_migration_jl(void)
{
    srt_sr__search_t *s = small_search(100, 15, 0.982);
    srt_sr__member_t cand = {{0}, INFINITY, 0.0, 0}; /* PopMember(ex, 0.0, Inf): cost 0, loss Inf */
    srt_expr_init(&cand.expr);
    /* 1 + x1 * 3.2, written as (1.0 + (x0 * 3.2)) */
    fid_parse(&cand.expr, "1.0 x0 3.2 * +");
    srt_sr__member_t *pop = s->pops;
    int before = 0;
    for (long k = 0; k < s->popsize; k++)
        before += pop[k].expr.len == cand.expr.len &&
                  !memcmp(pop[k].expr.nodes, cand.expr.nodes, cand.expr.len * sizeof(srt_node_t));
    CU_ASSERT_EQUAL(before, 0);
    uint64_t birth0 = s->birth;
    CU_ASSERT_FATAL(srt_sr__migrate(s, pop, &cand, NULL, 1, 0.5) == SRT_OK);
    int after = 0;
    for (long k = 0; k < s->popsize; k++)
        if (pop[k].expr.len == cand.expr.len &&
            !memcmp(pop[k].expr.nodes, cand.expr.nodes, cand.expr.len * sizeof(srt_node_t))) {
            after++;
            CU_ASSERT(pop[k].birth >= birth0);
            CU_ASSERT_EQUAL(pop[k].loss, INFINITY);
        }
    CU_ASSERT_EQUAL(after, 1);
    CU_ASSERT_EQUAL(s->birth, birth0 + 1);
    /* Migration.jl caps at the candidates: frac 1 (poisson(100)) from 3
     * candidates changes at most 3 places */
    srt_sr__member_t three[3];
    for (int k = 0; k < 3; k++) {
        three[k] = cand;
        srt_expr_init(&three[k].expr);
        srt_expr_copy(&three[k].expr, &cand.expr);
    }
    birth0 = s->birth;
    CU_ASSERT_FATAL(srt_sr__migrate(s, pop, three, NULL, 3, 1.0) == SRT_OK);
    CU_ASSERT_EQUAL(s->birth, birth0 + 3);
    for (int k = 0; k < 3; k++)
        srt_expr_fini(&three[k].expr);
    srt_expr_fini(&cand.expr);
    srt_sr__search_destroy(&s);
}

/* SymbolicRegression.jl test/test_prob_pick_first.jl: with
 * tournament_selection_p = 0.999 and n = 10, members of costs 0..1 (and
 * reversed), the mean cost of 100 winners is below 0.1. And the place
 * distribution of best_of_sample: place k with probability
 * p (1-p)^k / sum (here p = 0.5, n = 4, distinct costs). */
static void tournament_cases_of_test_prob_pick_first_jl(void)
{
    for (int reverse = 0; reverse < 2; reverse++) {
        srt_sr__search_t *s = small_search(10, 10, 0.999);
        for (long k = 0; k < 10; k++) {
            double cost = (double)k / 9.0;
            s->pops[k].cost = reverse ? 1.0 - cost : cost;
            /* all of one size: the same frequency factor */
            fid_parse(&s->pops[k].expr, "x0 3.2 *");
        }
        double sum = 0;
        for (int j = 0; j < 100; j++)
            sum += s->pops[srt_sr__best_of_sample(s, 0)].cost;
        CU_ASSERT(sum / 100 < 0.1);
        srt_sr__search_destroy(&s);
    }
    srt_sr__search_t *s = small_search(4, 4, 0.5);
    for (long k = 0; k < 4; k++) {
        s->pops[k].cost = 1.0 + (double)k;
        fid_parse(&s->pops[k].expr, "x0 3.2 *");
    }
    fid_table_t t = {0};
    const char *places[4] = {"1st", "2nd", "3rd", "4th"};
    double w[4], wsum = 0;
    for (int k = 0; k < 4; k++) {
        w[k] = 0.5 * pow(0.5, k);
        wsum += w[k];
    }
    for (int k = 0; k < 4; k++)
        fid_expect(&t, places[k], w[k] / wsum);
    for (int j = 0; j < 40000; j++)
        fid_observe(&t, places[srt_sr__best_of_sample(s, 0)]);
    fid_check(&t, "tournament places");
    srt_sr__search_destroy(&s);
}

/* SymbolicRegression.jl test/test_losses.jl: the default loss is the mean
 * of the elementwise L2 loss, sum((pred - y)^2) / n; test/test_nan_detection.jl:
 * an evaluation that meets NaN or Inf (exp overflow, x / 0, sqrt(-1),
 * (-1)^0.5) is flagged, which eval_loss turns into an infinite loss. */
static void loss_cases_of_test_losses_and_nan_detection_jl(void)
{
    double x[10], y[10];
    const double *cx[1] = {x};
    double want = 0;
    for (int i = 0; i < 10; i++) {
        x[i] = 0.3 * i - 1.0;
        y[i] = 0.5 * i;
    }
    srt_expr_t e;
    srt_expr_init(&e);
    fid_parse(&e, "x0 2.0 *");
    for (int i = 0; i < 10; i++)
        want += (2.0 * x[i] - y[i]) * (2.0 * x[i] - y[i]);
    want /= 10;
    SRT_ASSERT_CLOSE(srt_sr__mse(&e, cx, y, 10), want, 1e-15);
    const char *bad[] = {"x0 1 + exp exp exp exp", "x0 0.0 / cos", "x0 1 - sqrt", "x0 1 - 0.5 ^"};
    double big[10], zero[10];
    for (int i = 0; i < 10; i++) {
        big[i] = 100.0;
        zero[i] = 0.0;
    }
    const double *cb[1] = {big}, *cz[1] = {zero};
    for (int k = 0; k < 4; k++) {
        fid_parse(&e, bad[k]);
        double l = srt_sr__mse(&e, k < 2 ? cb : cz, y, 10);
        CU_ASSERT(isinf(l) && l > 0);
    }
    srt_expr_fini(&e);
}

/* Mutate.jl next_generation takes the parent's stored cost and loss (never
 * re-scored, batching or not) and mutate!(:do_nothing) returns at once: with
 * only do_nothing mutations, no crossover, no optimisation and batching on,
 * an island's return costs exactly the full-data re-scoring of
 * finalize_costs (popsize) and of the best seen (_dispatch_s_r_cycle), and
 * the population then holds full-data losses. */
static void batched_cycles_at(long precision)
{
    for (int i = 0; i < NROWS; i++) {
        col0[i] = -1.0 + 0.1 * i;
        ycol[i] = 3.2 * col0[i] + 0.5;
    }
    srt_sr_data_t d = {cols, ycol, NROWS, 1, NULL};
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.precision = precision;
    o.populations = 2;
    o.population_size = 20;
    o.ncycles_per_iteration = 7;
    o.maxsize = 20;
#define ZERO_(e, field) o.field = 0.0;
    SRT_SR__MUT_LIST(ZERO_)
#undef ZERO_
    o.weight_do_nothing = 1.0;
    o.crossover_probability = 0.0;
    o.should_optimize_constants = 0;
    o.batching = 1;
    o.batch_size = 5;
    srt_sr__search_t *s = NULL;
    srt_err_t err;
    CU_ASSERT_FATAL(srt_sr__search_create(&o, &d, 3, &s, &err) == SRT_OK);
    double before = s->num_evals;
    CU_ASSERT_EQUAL(before, 40.0); /* the initial populations, on the full data */
    CU_ASSERT_FATAL(srt_sr__search_island(s) == SRT_OK);
    long nseen = 0;
    for (long c = 0; c < s->maxsize; c++)
        nseen += s->best_seen_exists[c] != 0;
    CU_ASSERT(nseen > 0);
    CU_ASSERT_EQUAL(s->num_evals - before, (double)(o.population_size + nseen));
    /* full-data losses in the run's precision: Float32 data and loss at 32 */
    float c32[NROWS], y32[NROWS];
    const float *cols32[1] = {c32};
    for (int i = 0; i < NROWS; i++) {
        c32[i] = (float)col0[i];
        y32[i] = (float)ycol[i];
    }
    for (long k = 0; k < o.population_size; k++) {
        double want = precision == 32 ? srt_sr__mse_f32(&s->pops[k].expr, cols32, y32, NROWS)
                                      : srt_sr__mse(&s->pops[k].expr, cols, ycol, NROWS);
        CU_ASSERT_EQUAL(s->pops[k].loss, want);
    }
    srt_sr__search_destroy(&s);
}

static void batched_cycles_reuse_the_parents_stored_cost(void)
{
    for (int prec = 32; prec <= 64; prec += 32)
        batched_cycles_at(prec);
}

/* OptionsStruct.jl stores parsimony (and tournament_selection_p, alpha,
 * perturbation_factor, crossover_probability, fraction_replaced(_hof),
 * probability_negate_constant, optimizer_probability) as Float32;
 * LossFunctions.jl loss_to_cost adds L(size * parsimony), an Int * Float32
 * product. */
static void cost_uses_float32_parsimony_as_loss_to_cost(void)
{
    srt_sr__search_t *s = small_search(10, 10, 0.982);
    s->opts.parsimony = 0.0032;
    s->opts.precision = 64; /* L = Float64: only the parsimony term is Float32 */
    double want = 0.5 / s->norm + (double)(7.0f * 0.0032f);
    CU_ASSERT_EQUAL(srt_sr__cost(s, 0.5, 7), want);
    CU_ASSERT(srt_sr__cost(s, 0.5, 7) != 0.5 / s->norm + 7.0 * 0.0032);
    /* L = Float32 (precision 32): loss / normalization + L(size * parsimony)
     * all in Float32 */
    s->opts.precision = 32;
    s->norm = 0.3;
    float want32 = 0.1f / (float)0.3 + 7.0f * 0.0032f;
    CU_ASSERT_EQUAL(srt_sr__cost(s, 0.1, 7), (double)want32);
    CU_ASSERT(srt_sr__cost(s, 0.1, 7) != 0.1 / 0.3 + (double)(7.0f * 0.0032f));
    CU_ASSERT_EQUAL(s->gen.perturbation_factor, (double)0.129f);
    CU_ASSERT_EQUAL(s->gen.probability_negate_constant, (double)0.00743f);
    srt_sr__search_destroy(&s);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"simplification_cases_of_test_simplification_jl",
         simplification_cases_of_test_simplification_jl},
        {"score_cases_of_test_loss_scale_jl", score_cases_of_test_loss_scale_jl},
        {"pareto_volume_case_of_test_loss_scale_jl", pareto_volume_case_of_test_loss_scale_jl},
        {"score_cases_of_test_loss_scale_jl_in_float32",
         score_cases_of_test_loss_scale_jl_in_float32},
        {"pareto_volume_in_float32_uses_eps_float32", pareto_volume_in_float32_uses_eps_float32},
        {"pareto_frontier_is_strictly_better_than_all_smaller",
         pareto_frontier_is_strictly_better_than_all_smaller},
        {"search_statistics_case_of_test_search_statistics_jl",
         search_statistics_case_of_test_search_statistics_jl},
        {"migration_case_of_test_migration_jl", migration_case_of_test_migration_jl},
        {"tournament_cases_of_test_prob_pick_first_jl",
         tournament_cases_of_test_prob_pick_first_jl},
        {"loss_cases_of_test_losses_and_nan_detection_jl",
         loss_cases_of_test_losses_and_nan_detection_jl},
        {"batched_cycles_reuse_the_parents_stored_cost",
         batched_cycles_reuse_the_parents_stored_cost},
        {"cost_uses_float32_parsimony_as_loss_to_cost", cost_uses_float32_parsimony_as_loss_to_cost},
        {NULL, NULL}};
    return srt_test_main("fidelity_sr_ported", cases);
}
