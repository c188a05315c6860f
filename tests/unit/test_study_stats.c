/*
 * Paired statistics: the Wilcoxon signed-rank test against scipy 1.10's
 * scipy.stats.wilcoxon on many fixed vectors (exact and normal-approximation
 * paths, ties, zeros under each zero_method, each alternative), worked
 * examples from scipy's documentation, the bootstrap interval and Holm's
 * correction on hand-checked cases.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "srtune/stats.h"
#include "srtune/study.h"
#include "testutil.h"

static const char *alt_name[] = {"two-sided", "greater", "less"};
static const char *zm_name[] = {"wilcox", "pratt", "zsplit"};

/* scipy's documentation example (wilcoxon, "d" of Cushny & Peebles): exact. */
static void wilcoxon_matches_scipys_documented_example(void)
{
    const double d[] = {6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75};
    double stat, p;
    CU_ASSERT_EQUAL_FATAL(
        srt_stats_wilcoxon(d, 15, SRT_ALT_TWO_SIDED, SRT_ZERO_WILCOX, &stat, &p), SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(stat, 24.0, 0);
    SRT_ASSERT_CLOSE(p, 0.041259765625, 1e-12);
    CU_ASSERT_EQUAL_FATAL(srt_stats_wilcoxon(d, 15, SRT_ALT_GREATER, SRT_ZERO_WILCOX, &stat, &p),
                          SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(stat, 96.0, 0);
    SRT_ASSERT_CLOSE(p, 0.0206298828125, 1e-12);
}

static void wilcoxon_edge_cases(void)
{
    double stat = 0, p = 0;
    const double zeros[4] = {0, 0, 0, 0};
    CU_ASSERT_EQUAL(srt_stats_wilcoxon(zeros, 0, SRT_ALT_GREATER, SRT_ZERO_ZSPLIT, &stat, &p),
                    SRT_OK);
    CU_ASSERT(isnan(p) && isnan(stat));
    /* all zeros: scipy raises for wilcox/pratt; zsplit gives 0.5 one-sided */
    CU_ASSERT_EQUAL(srt_stats_wilcoxon(zeros, 4, SRT_ALT_GREATER, SRT_ZERO_WILCOX, &stat, &p),
                    SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_stats_wilcoxon(zeros, 4, SRT_ALT_GREATER, SRT_ZERO_ZSPLIT, &stat, &p),
                    SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(p, 0.5, 1e-15);
    const double inf[2] = {1, INFINITY};
    CU_ASSERT_EQUAL(srt_stats_wilcoxon(inf, 2, SRT_ALT_GREATER, SRT_ZERO_ZSPLIT, &stat, &p),
                    SRT_ERR_INVALID);
}

/* A deterministic family of difference vectors: sizes 1-70, some rounded to
 * make ties, some with zeros, some shifted to one side. */
static size_t make_vector(unsigned k, double *d)
{
    uint64_t st = 0x9e3779b97f4a7c15ull * (k + 1);
    size_t n = 1 + k % 70;
    double shift = (double)(k % 5) * 0.3 - 0.6;
    for (size_t i = 0; i < n; i++) {
        double u = (double)(srt_splitmix64(&st) >> 11) * 0x1.0p-53;
        double v = (u - 0.5) * 4 + shift;
        if (k % 3 == 1)
            v = round(v * 2) / 2; /* ties and zeros */
        if (k % 7 == 3 && i % 4 == 0)
            v = 0;
        d[i] = v;
    }
    return n;
}

static void wilcoxon_matches_scipy_on_many_vectors(void)
{
    enum { NVEC = 240 };
    const char *dir = srt_test_tmpdir();
    char in[4096], out[4096], cmd[12288];
    snprintf(in, sizeof in, "%s/wilcoxon_in.txt", dir);
    snprintf(out, sizeof out, "%s/wilcoxon_out.txt", dir);
    FILE *f = fopen(in, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    double d[80];
    for (unsigned k = 0; k < NVEC; k++) {
        size_t n = make_vector(k, d);
        fprintf(f, "%s %s", alt_name[k % 3], zm_name[(k / 3) % 3]);
        for (size_t i = 0; i < n; i++)
            fprintf(f, " %.17g", d[i]);
        fputc('\n', f);
    }
    fclose(f);
    char *script = srt_test_source_path("tests/compat/wilcoxon_scipy.py");
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s %s > %s", script, in, out);
    free(script);
    int st = system(cmd);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 77) {
        printf("\n  SKIPPED wilcoxon_matches_scipy_on_many_vectors: scipy is not installed "
               "(Debian package python3-scipy)\n");
        return;
    }
    CU_ASSERT_EQUAL_FATAL(WIFEXITED(st) ? WEXITSTATUS(st) : -1, 0);
    f = fopen(out, "r");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    char line[256];
    unsigned checked = 0, errors = 0, exact_n = 0;
    for (unsigned k = 0; k < NVEC && fgets(line, sizeof line, f); k++) {
        size_t n = make_vector(k, d);
        double stat, p;
        srt_rc rc = srt_stats_wilcoxon(d, n, (srt_alternative_t)(k % 3),
                                       (srt_zero_method_t)((k / 3) % 3), &stat, &p);
        if (strncmp(line, "error", 5) == 0) {
            CU_ASSERT_EQUAL(rc, SRT_ERR_INVALID);
            errors++;
            continue;
        }
        double rs, rp;
        CU_ASSERT_EQUAL_FATAL(sscanf(line, "%lf %lf", &rs, &rp), 2);
        CU_ASSERT_EQUAL(rc, SRT_OK);
        int ok = fabs(stat - rs) <= 1e-9 * fmax(1, fabs(rs)) &&
                 fabs(p - rp) <= 1e-12 * fmax(1e-300, fabs(rp)) + 1e-15;
        if (!ok)
            fprintf(stderr, "vector %u (n %zu, %s, %s): srtune %.17g %.17g, scipy %.17g %.17g\n",
                    k, n, alt_name[k % 3], zm_name[(k / 3) % 3], stat, p, rs, rp);
        CU_ASSERT(ok);
        checked++;
        int has_zero = 0;
        for (size_t i = 0; i < n; i++)
            has_zero |= d[i] == 0;
        exact_n += n <= 50 && !has_zero;
    }
    fclose(f);
    CU_ASSERT_EQUAL(checked + errors, NVEC);
    /* both paths were exercised */
    CU_ASSERT(exact_n > 50);
    CU_ASSERT(checked - exact_n > 50);
}

static void bootstrap_interval_brackets_the_mean_and_is_deterministic(void)
{
    const double x[8] = {0.1, -0.3, 0.25, 0.4, -0.05, 0.2, 0.15, 0.0};
    double lo, hi, lo2, hi2;
    CU_ASSERT_EQUAL_FATAL(srt_stats_bootstrap_mean_ci(x, 8, 2000, 42, 0.95, &lo, &hi), SRT_OK);
    CU_ASSERT(lo < 0.09375 && 0.09375 < hi);
    CU_ASSERT(lo > -0.3 && hi < 0.4);
    CU_ASSERT_EQUAL(srt_stats_bootstrap_mean_ci(x, 8, 2000, 42, 0.95, &lo2, &hi2), SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(lo, lo2, 0);
    CU_ASSERT_DOUBLE_EQUAL(hi, hi2, 0);
    CU_ASSERT_EQUAL(srt_stats_bootstrap_mean_ci(x, 1, 10, 1, 0.95, &lo, &hi), SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(lo, 0.1, 0);
    CU_ASSERT_DOUBLE_EQUAL(hi, 0.1, 0);
    CU_ASSERT_EQUAL(srt_stats_bootstrap_mean_ci(x, 0, 10, 1, 0.95, &lo, &hi), SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_stats_bootstrap_mean_ci(x, 8, 10, 1, 1.0, &lo, &hi), SRT_ERR_INVALID);
}

/* statsmodels.stats.multitest.multipletests(p, method="holm") on these gives
 * [0.04, 0.09, 0.09, 0.2] in input order [0.01, 0.04, 0.03, 0.2]. */
static void holm_matches_statsmodels(void)
{
    const double p[4] = {0.01, 0.04, 0.03, 0.2};
    double a[4];
    CU_ASSERT_EQUAL_FATAL(srt_stats_holm(p, 4, a), SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(a[0], 0.04, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(a[1], 0.09, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(a[2], 0.09, 1e-15);
    CU_ASSERT_DOUBLE_EQUAL(a[3], 0.2, 1e-15);
    const double q[2] = {0.6, 0.7};
    CU_ASSERT_EQUAL(srt_stats_holm(q, 2, a), SRT_OK);
    CU_ASSERT_DOUBLE_EQUAL(a[0], 1.0, 0);
    CU_ASSERT_DOUBLE_EQUAL(a[1], 1.0, 0);
}

/* ------------------------------------------- the wilcoxon pruner's rule */

static srt_step_value_t steps_store[4][8];

static srt_trial_t with_steps(int slot, srt_trial_state_t st, double *value, const double *iv,
                              size_t n)
{
    srt_trial_t t;
    memset(&t, 0, sizeof t);
    t.state = st;
    t.values = value;
    t.n_values = value ? 1 : 0;
    for (size_t i = 0; i < n; i++) {
        steps_store[slot][i].step = (long)(7 - i); /* steps need not be 0.. in order */
        steps_store[slot][i].value = iv[i];
    }
    t.intermediate = steps_store[slot];
    t.n_intermediate = n;
    return t;
}

/* Hand-worked: against a best trial at 5 everywhere, five steps at 4 give
 * R+ = 0 of n = 5, exact one-sided p = 1/32; three give 1/8. */
static void wilcoxon_pruner_decides_as_optuna_on_hand_worked_cases(void)
{
    srt_pruner_t p = srt_pruner_default(SRT_PRUNER_WILCOXON);
    CU_ASSERT_DOUBLE_EQUAL(p.p_threshold, 0.1, 0);
    CU_ASSERT_EQUAL(p.n_startup_steps, 0);
    double five = 5, best_iv[6] = {5, 5, 5, 5, 5, 5}, low[5] = {4, 4, 4, 4, 4};
    srt_trial_t best = with_steps(0, SRT_TRIAL_STATE_COMPLETE, &five, best_iv, 6);
    srt_trial_t t5 = with_steps(1, SRT_TRIAL_STATE_RUNNING, NULL, low, 5);
    srt_trial_t t3 = with_steps(2, SRT_TRIAL_STATE_RUNNING, NULL, low, 3);
    const srt_trial_t *all[3] = {&best, &t5, &t3};
    /* maximize: worse on 5 of 5 paired steps, p = 0.03125 < 0.1 */
    CU_ASSERT_TRUE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    /* 3 steps: p = 0.125 */
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t3, all, 3, 0));
    /* minimize: the same trial is better than the best: never pruned */
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 1));
    /* n_startup_steps */
    p.n_startup_steps = 6;
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    p.n_startup_steps = 5;
    CU_ASSERT_TRUE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    /* "average is best" safety: the best trial's value (3.9) is no better than
     * this trial's mean so far (4): keep it */
    five = 3.9;
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    five = 5;
    /* a non-finite value on either side: never pruned */
    steps_store[1][2].value = NAN;
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    steps_store[1][2].value = 4;
    steps_store[0][4].value = INFINITY;
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    steps_store[0][4].value = 5;
    /* no COMPLETE trial: never pruned */
    best.state = SRT_TRIAL_STATE_PRUNED;
    CU_ASSERT_FALSE(srt_pruner_should_prune(&p, &t5, all, 3, 0));
    /* by name */
    srt_pruner_t q;
    CU_ASSERT_EQUAL(srt_pruner_from_name("wilcoxon", &q), SRT_OK);
    CU_ASSERT_EQUAL(q.kind, SRT_PRUNER_WILCOXON);
}

/* --------------------------------------------------- evaluation summary */

/* Two configs and a baseline on 6 equations x 2 seeds: "good" beats the
 * baseline by 0.1 on every equation (p = 1/64, Holm over 2 configs: 1/32),
 * "same" equals it up to +-0.01 alternating. */
static void evaluation_summary_pairs_by_equation(void)
{
    srt_eval_row_t rows[3 * 6 * 2];
    char eq[6][8];
    size_t n = 0;
    for (int e = 0; e < 6; e++) {
        snprintf(eq[e], sizeof eq[e], "eq%d", e);
        for (int s = 0; s < 2; s++) {
            double base = e * 1.0 + s * 0.02; /* equations differ a lot */
            rows[n++] = (srt_eval_row_t){"pysr-1", eq[e], s, base};
            rows[n++] = (srt_eval_row_t){"good", eq[e], s, base + 0.1};
            rows[n++] = (srt_eval_row_t){"same", eq[e], s, base + (e % 2 ? 0.01 : -0.01)};
        }
    }
    const char *baselines[1] = {"pysr-1"};
    srt_eval_summary_t sum;
    CU_ASSERT_EQUAL_FATAL(srt_eval_summarize(rows, n, baselines, 1, 0, 2000, 5, &sum), SRT_OK);
    CU_ASSERT_EQUAL_FATAL(sum.n_configs, 3);
    CU_ASSERT_STRING_EQUAL(sum.configs[0].name, "pysr-1");
    CU_ASSERT_TRUE(sum.configs[0].is_baseline);
    const srt_eval_config_t *good = &sum.configs[1], *same = &sum.configs[2];
    CU_ASSERT_STRING_EQUAL(good->name, "good");
    CU_ASSERT_EQUAL(good->n_equations, 6);
    SRT_ASSERT_CLOSE(good->mean, 2.5 + 0.01 + 0.1, 1e-12);
    CU_ASSERT(good->lo < good->mean && good->mean < good->hi);
    CU_ASSERT_EQUAL(good->vs[0].wins, 6);
    CU_ASSERT_EQUAL(good->vs[0].losses, 0);
    SRT_ASSERT_CLOSE(good->vs[0].mean_diff, 0.1, 1e-9);
    SRT_ASSERT_CLOSE(good->vs[0].lo, 0.1, 1e-9); /* every difference is 0.1 */
    SRT_ASSERT_CLOSE(good->vs[0].p, 1.0 / 64, 1e-12);
    SRT_ASSERT_CLOSE(good->vs[0].p_holm, 2.0 / 64, 1e-12);
    CU_ASSERT_EQUAL(same->vs[0].wins, 3);
    CU_ASSERT_EQUAL(same->vs[0].losses, 3);
    CU_ASSERT(same->vs[0].p > 0.3);
    CU_ASSERT_EQUAL(sum.winner, 1);
    CU_ASSERT_TRUE(sum.significant);
    srt_eval_summary_fini(&sum);
    /* minimize: "good" is now worse on every equation; "same" wins */
    CU_ASSERT_EQUAL_FATAL(srt_eval_summarize(rows, n, baselines, 1, 1, 2000, 5, &sum), SRT_OK);
    CU_ASSERT_EQUAL(sum.configs[1].vs[0].losses, 6);
    SRT_ASSERT_CLOSE(sum.configs[1].vs[0].mean_diff, -0.1, 1e-9);
    SRT_ASSERT_CLOSE(sum.configs[1].mean, 2.5 + 0.01 + 0.1, 1e-12); /* study units */
    CU_ASSERT_EQUAL(sum.winner, 2);
    CU_ASSERT_FALSE(sum.significant);
    srt_eval_summary_fini(&sum);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"wilcoxon_matches_scipys_documented_example", wilcoxon_matches_scipys_documented_example},
        {"wilcoxon_edge_cases", wilcoxon_edge_cases},
        {"wilcoxon_matches_scipy_on_many_vectors", wilcoxon_matches_scipy_on_many_vectors},
        {"bootstrap_interval_brackets_the_mean_and_is_deterministic",
         bootstrap_interval_brackets_the_mean_and_is_deterministic},
        {"holm_matches_statsmodels", holm_matches_statsmodels},
        {"evaluation_summary_pairs_by_equation", evaluation_summary_pairs_by_equation},
        {"wilcoxon_pruner_decides_as_optuna_on_hand_worked_cases",
         wilcoxon_pruner_decides_as_optuna_on_hand_worked_cases},
        {NULL, NULL}};
    return srt_test_main("study_stats", cases);
}
