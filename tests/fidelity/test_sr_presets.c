/*
 * The pysr-1 and pysr-0 presets pinned against PySR's own defaults, kept
 * here as data copied from the sources:
 *  - pysr-1: PySRRegressor.__init__ of PySR v1.5.10 (pysr/sr.py; PySR 1.5.x
 *    pins SymbolicRegression.jl ~1.11.0 in pysr/juliapkg.json);
 *  - pysr-0: PySRRegressor.__init__ of PySR v0.19.4 (pysr/sr.py), which pins
 *    SymbolicRegression.jl =0.24.5; options PySR 0.19 does not expose take
 *    SR.jl 0.24.5's Options defaults (src/Options.jl):
 *    probability_negate_constant 0.01; rotate_tree did not exist (weight 0).
 * PySR's None (maxdepth: = maxsize; early_stop_condition, timeout_in_seconds,
 * max_evals: unset) is srtune's 0 for maxdepth and NaN for the others.
 * Every option of srtune's table must appear here, except the srtune-only
 * log_interval, so a new option cannot slip in without its PySR default.
 */
#include "fidelity.h"

typedef struct {
    const char *name;
    double pysr_1_5; /* PySR v1.5.10 default */
    double pysr_0_19; /* PySR v0.19.4 / SR.jl 0.24.5 default */
} preset_row_t;

static const preset_row_t ROWS[] = {
    {"niterations", 100, 40},
    {"populations", 31, 15},
    {"population_size", 27, 33},
    {"ncycles_per_iteration", 380, 550},
    {"maxsize", 30, 20},
    {"maxdepth", 0, 0}, /* None */
    {"parsimony", 0.0, 0.0032},
    {"adaptive_parsimony_scaling", 1040.0, 20.0},
    {"tournament_selection_n", 15, 10},
    {"tournament_selection_p", 0.982, 0.86},
    {"crossover_probability", 0.0259, 0.066},
    {"weight_add_node", 2.47, 0.79},
    {"weight_insert_node", 0.0112, 5.1},
    {"weight_delete_node", 0.870, 1.7},
    {"weight_do_nothing", 0.273, 0.21},
    {"weight_mutate_constant", 0.0346, 0.048},
    {"weight_mutate_operator", 0.293, 0.47},
    {"weight_swap_operands", 0.198, 0.1},
    {"weight_rotate_tree", 4.26, 0.0},
    {"weight_randomize", 0.000502, 0.00023},
    {"weight_simplify", 0.00209, 0.0020},
    {"weight_optimize", 0.0, 0.0},
    {"optimize_probability", 0.14, 0.14},
    {"optimizer_iterations", 8, 8},
    {"optimizer_nrestarts", 2, 2},
    {"perturbation_factor", 0.129, 0.076},
    {"probability_negate_constant", 0.00743, 0.01},
    {"fraction_replaced", 0.00036, 0.000364},
    {"fraction_replaced_hof", 0.0614, 0.035},
    {"topn", 12, 12},
    {"alpha", 3.17, 0.1},
    {"annealing", 0, 0},
    {"use_frequency", 1, 1},
    {"use_frequency_in_tournament", 1, 1},
    {"migration", 1, 1},
    {"hof_migration", 1, 1},
    {"should_optimize_constants", 1, 1},
    {"should_simplify", 1, 1},
    {"skip_mutation_failures", 1, 1},
    {"batching", 0, 0},
    {"batch_size", 50, 50},
    {"precision", 32, 32},
    {"early_stop_condition", NAN, NAN},
    {"timeout_in_seconds", NAN, NAN},
    {"max_evals", NAN, NAN},
    {"warmup_maxsize_by", 0.0, 0.0},
    {"complexity_of_constants", 1, 1},  /* None in PySR: 1 each (SR.jl ComplexityMapping) */
    {"complexity_of_variables", 1, 1},  /* None in PySR: 1 each */
};

static int same(double a, double b)
{
    return (isnan(a) && isnan(b)) || a == b;
}

static void presets_match_pysr_defaults(void)
{
    srt_sr_options_t o1, o0;
    srt_sr_options_default(&o1, SRT_SR_PRESET_PYSR1);
    srt_sr_options_default(&o0, SRT_SR_PRESET_PYSR0);
    size_t nrows = sizeof ROWS / sizeof ROWS[0];
    for (size_t k = 0; k < nrows; k++) {
        const srt_sr_option_info_t *info = srt_sr_option_find(ROWS[k].name);
        CU_ASSERT_PTR_NOT_NULL_FATAL(info);
        double v1 = srt_sr_option_get(&o1, info), v0 = srt_sr_option_get(&o0, info);
        if (!same(v1, ROWS[k].pysr_1_5) || !same(v0, ROWS[k].pysr_0_19))
            printf("\n    %s: pysr-1 %.17g (PySR 1.5: %.17g), pysr-0 %.17g (PySR 0.19: %.17g)",
                   ROWS[k].name, v1, ROWS[k].pysr_1_5, v0, ROWS[k].pysr_0_19);
        CU_ASSERT(same(v1, ROWS[k].pysr_1_5));
        CU_ASSERT(same(v0, ROWS[k].pysr_0_19));
        CU_ASSERT(same(info->def_pysr1, ROWS[k].pysr_1_5));
        CU_ASSERT(same(info->def_pysr0, ROWS[k].pysr_0_19));
    }
    /* every option of the table is pinned (log_interval is srtune's own) */
    size_t count = 0;
    const srt_sr_option_info_t *tab = srt_sr_option_table(&count);
    for (size_t i = 0; i < count; i++) {
        int found = !strcmp(tab[i].name, "log_interval");
        for (size_t k = 0; k < nrows && !found; k++)
            found = !strcmp(tab[i].name, ROWS[k].name);
        if (!found)
            printf("\n    option %s has no PySR default in this table", tab[i].name);
        CU_ASSERT(found);
    }
    /* binary_operators default ["+", "-", "*", "/"], unary_operators [] */
    const srt_op_t bin[4] = {SRT_OP_ADD, SRT_OP_SUB, SRT_OP_MUL, SRT_OP_DIV};
    for (int p = 0; p < 2; p++) {
        const srt_sr_options_t *o = p ? &o0 : &o1;
        CU_ASSERT_EQUAL(o->n_binops, 4);
        for (int k = 0; k < 4 && k < o->n_binops; k++)
            CU_ASSERT_EQUAL(o->binops[k], (uint8_t)bin[k]);
        CU_ASSERT_EQUAL(o->n_unaops, 0);
    }
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"presets_match_pysr_defaults", presets_match_pysr_defaults},
        {NULL, NULL}};
    return srt_test_main("fidelity_sr_presets", cases);
}
