/*
 * Private part of the SR engine: the PRNG, the mutation kinds, the member and
 * search-state structs shared by the engine's files, and the internal entry
 * points (srt_sr__ names). Tests include it to reach the pieces one by one.
 *
 * Invariants: every expression held by the search is valid
 * (srt_expr_is_valid) and has complexity <= maxsize and depth <= maxdepth
 * (members of the initial population included); every random draw comes
 * from the search's one srt_sr__rng_t in program order.
 */
#ifndef SRTUNE_SR_INT_H
#define SRTUNE_SR_INT_H

#include <stdint.h>
#include <stdio.h>

#include "srtune/sr.h"

/* Arity of an op without a call (hot loops); -1 for a bad op. */
static inline int srt_sr__arity(unsigned op)
{
    static const signed char tab[SRT_OP_COUNT] = {
#define SRT_SR__ARITY_(e, name, sym, arity) arity,
        SRT_OP_LIST(SRT_SR__ARITY_)
#undef SRT_SR__ARITY_
    };
    return op < SRT_OP_COUNT ? tab[op] : -1;
}

/* SR.jl's gamma and Julia's sinc in double (ops.c, docs/operators.md). */
double srt_sr__gamma(double a);
double srt_sr__sinc(double a);
/* The printed form of op in a style (expr_forms.c): a template with %1 and
 * %2 for the operands, or NULL for the printer's default. */
const char *srt_sr__expr_form(srt_op_t op, srt_expr_style_t style);

/* ------------------------------------------------------------------ rng */

/* xoshiro256** state; all four words are the whole state (checkpointed). */
typedef struct srt_sr__rng {
    uint64_t s[4]; /* generator words, never all zero */
} srt_sr__rng_t;

void srt_sr__rng_seed(srt_sr__rng_t *r, uint64_t seed);
uint64_t srt_sr__rng_u64(srt_sr__rng_t *r);
/* Uniform in [0, 1) with 53 random bits. */
double srt_sr__rng_uniform(srt_sr__rng_t *r);
/* Uniform integer in [0, n); 0 when n <= 1. */
uint64_t srt_sr__rng_below(srt_sr__rng_t *r, uint64_t n);
int srt_sr__rng_bool(srt_sr__rng_t *r);
/* Standard normal. */
double srt_sr__rng_normal(srt_sr__rng_t *r);
/* Uniform in [0, 1) with 24 random bits (Julia's rand(Float32)). */
float srt_sr__rng_uniform_f32(srt_sr__rng_t *r);
/* Poisson(lambda) as SR.jl's poisson_sample with a Float32 lambda (Knuth's
 * product of Float32 uniforms). */
long srt_sr__rng_poisson(srt_sr__rng_t *r, float lambda);

/* SR.jl's Options stores tournament_selection_p, parsimony, alpha,
 * perturbation_factor, crossover_probability, fraction_replaced(_hof),
 * probability_negate_constant and optimizer_probability as Float32
 * (OptionsStruct.jl): the engine uses them at that precision. Out of line
 * on purpose: GCC 12's SLP vectoriser drops a pair of inlined
 * (double)(float) round trips (rng.c). Precision 32 uses it for every
 * Float32 value stored in a double (constants, widened data, Pareto y). */
double srt_sr__f32(double x);

/* ------------------------------------------------------------ mutations */

/* X(enum, weight field of srt_sr_options_t). Order = sampling order. */
#define SRT_SR__MUT_LIST(X)                                                                        \
    X(SRT_SR__MUT_MUTATE_CONSTANT, weight_mutate_constant)                                         \
    X(SRT_SR__MUT_MUTATE_OPERATOR, weight_mutate_operator)                                         \
    X(SRT_SR__MUT_SWAP_OPERANDS, weight_swap_operands)                                             \
    X(SRT_SR__MUT_ROTATE_TREE, weight_rotate_tree)                                                 \
    X(SRT_SR__MUT_ADD_NODE, weight_add_node)                                                       \
    X(SRT_SR__MUT_INSERT_NODE, weight_insert_node)                                                 \
    X(SRT_SR__MUT_DELETE_NODE, weight_delete_node)                                                 \
    X(SRT_SR__MUT_SIMPLIFY, weight_simplify)                                                       \
    X(SRT_SR__MUT_RANDOMIZE, weight_randomize)                                                     \
    X(SRT_SR__MUT_DO_NOTHING, weight_do_nothing)                                                   \
    X(SRT_SR__MUT_OPTIMIZE, weight_optimize)

typedef enum {
#define SRT_SR__MUT_ENUM_(e, w) e,
    SRT_SR__MUT_LIST(SRT_SR__MUT_ENUM_)
#undef SRT_SR__MUT_ENUM_
        SRT_SR__MUT_COUNT
} srt_sr__mut_t;

/* Complexity weights (complexity.c), from srt_sr_options_t's
 * complexity_of_* options as SR.jl's ComplexityMapping holds them. */
typedef struct srt_sr__cx {
    int custom;                /* 0: every weight is 1, complexity = node count */
    double op[SRT_OP_COUNT];   /* weight by op; [SRT_OP_CONST] constants, [FEATURE] unused */
    double var;                /* weight of a feature (no per-feature list) */
    const double *vars;        /* per-feature weights (n_vars of them), or NULL */
    uint32_t n_vars;           /* entries in vars */
} srt_sr__cx_t;

/* Fills cx from o; cx->vars points into o. */
void srt_sr__cx_init(srt_sr__cx_t *cx, const srt_sr_options_t *o);
/* SR.jl's compute_complexity of e (rounded, ties to even). */
long srt_sr__complexity(const srt_sr__cx_t *cx, const srt_expr_t *e);
/* The unrounded complexity of every node's subtree into raw[0..len), each
 * summed as DynamicExpressions' tree_mapreduce does: (own + left) + right. */
void srt_sr__raw_complexities(const srt_sr__cx_t *cx, const srt_expr_t *e, double *raw);
/* SR.jl's round(Int, x) on a raw complexity. */
long srt_sr__round_complexity(double raw);
/* SearchUtils.jl get_cur_maxsize for a run of `total` island runs of which
 * `elapsed` have returned (Float32 arithmetic as SR.jl). */
long srt_sr__cur_maxsize(const srt_sr_options_t *o, double total, double elapsed);

/* What random generation needs to know. */
typedef struct srt_sr__gen {
    size_t nfeatures;       /* features a leaf may use */
    int n_binops;           /* binary operators allowed */
    const uint8_t *binops;  /* their srt_op_t */
    int n_unaops;           /* unary operators allowed */
    const uint8_t *unaops;  /* their srt_op_t */
    long maxsize;           /* complexity limit (curmaxsize) */
    long maxdepth;          /* depth limit */
    double perturbation_factor;         /* size of constant mutations */
    double probability_negate_constant; /* sign flips of constant mutations */
    int f32;                            /* precision 32: constant mutations in Float32 */
    srt_sr__cx_t cx;                    /* complexity weights */
    const srt_sr_maps_t *maps;          /* constraints and nested_constraints (in o) */
    int has_constraints;                /* 1: some constraint or nested constraint is set */
} srt_sr__gen_t;

/* Fills gen from options and the number of features (maxdepth 0 -> maxsize). */
void srt_sr__gen_init(srt_sr__gen_t *gen, const srt_sr_options_t *o, size_t nfeatures);

/* Recomputes every node's subtree size; returns 0 when the array is not one
 * well-formed tree. */
int srt_sr__fix_sizes(srt_expr_t *e);
/* Depth without allocating for trees up to 512 nodes. */
uint32_t srt_sr__depth(const srt_expr_t *e);
/* 1 when e's complexity <= maxsize and depth <= maxdepth. */
int srt_sr__fits(const srt_sr__gen_t *gen, const srt_expr_t *e);
/* CheckConstraints.jl check_constraints(tree, options, gen->maxsize): size
 * and depth as srt_sr__fits, then constraints (flag_bin/una_operator_complexity)
 * and nested_constraints (flag_illegal_nests). 1 when e passes (constraints.c). */
int srt_sr__check_constraints(const srt_sr__gen_t *gen, const srt_expr_t *e);
/* CheckConstraints.jl count_max_nestedness(subtree ending at node i, inner):
 * the most inner ops on a root-to-leaf path of that subtree, less one when
 * node i is itself inner. */
long srt_sr__max_nestedness(const srt_expr_t *e, uint32_t i, srt_op_t inner);
/* 1 when maps set some constraint or nested constraint. */
int srt_sr__maps_any_constraint(const srt_sr_maps_t *m);
/* Number of constant nodes. */
uint32_t srt_sr__count_consts(const srt_expr_t *e);

/* SR.jl's gen_random_tree: a random leaf, then nappend append_random_op steps. */
srt_rc srt_sr__random_tree(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, int nappend,
                           srt_expr_t *out);
/* SR.jl's gen_random_tree_fixed_size: grows until node_count nodes (or one
 * fewer when only a unary op would fit and there is none). */
srt_rc srt_sr__random_tree_fixed_size(const srt_sr__gen_t *gen, srt_sr__rng_t *rng,
                                      long node_count, srt_expr_t *out);

/* Applies one mutation of the given kind to e in place (one attempt; the
 * caller checks constraints and retries). Kinds SIMPLIFY, OPTIMIZE and
 * DO_NOTHING are not handled here (e unchanged). scratch is a work buffer. */
srt_rc srt_sr__mutate(const srt_sr__gen_t *gen, srt_sr__rng_t *rng, srt_sr__mut_t kind,
                      double temperature, srt_expr_t *e, srt_expr_t *scratch);

/* Swaps a random subtree of a with a random subtree of b into ca, cb. */
srt_rc srt_sr__crossover(srt_sr__rng_t *rng, const srt_expr_t *a, const srt_expr_t *b,
                         srt_expr_t *ca, srt_expr_t *cb);

/* Conditions the mutation weights for e (sr-engine.md) and draws a kind. */
srt_sr__mut_t srt_sr__pick_mutation(const srt_sr_options_t *o, const srt_expr_t *e,
                                    long curmaxsize, srt_sr__rng_t *rng);

/* Julia's eps(x) for a Float64 x: the spacing of doubles at |x|, the
 * smallest subnormal below floatmin, NaN for Inf or NaN (pareto.c). */
double srt_sr__julia_eps(double x);

/* ------------------------------------------------------- simplification */

/* DynamicExpressions.jl simplify_tree! then combine_operators (constant
 * folding with finite results; constants of + * - chains combined; nothing
 * else, simplify.c). Returns 1 when e changed, 0 when not, -1 on NOMEM. */
int srt_sr__simplify(srt_expr_t *e);
/* One or both steps of srt_sr__simplify (tests port cases of each). */
#define SRT_SR__SIMPLIFY_FOLD 1    /* simplify_tree! */
#define SRT_SR__SIMPLIFY_COMBINE 2 /* combine_operators */
int srt_sr__simplify_steps(srt_expr_t *e, int steps);
/* srt_sr__simplify_steps in a precision: at 32 the folded and combined
 * constants are computed in Float32 (a fold whose Float32 result is not
 * finite is not made, as SR.jl with T = Float32). */
int srt_sr__simplify_prec(srt_expr_t *e, int steps, long precision);

/* ---------------------------------------------------------- evaluation */

/* Mean squared error of e against y over n rows of cols; +Inf for NaN/Inf. */
double srt_sr__mse(const srt_expr_t *e, const double *const *cols, const double *y, size_t n);

/* Evaluates every node of e over rows [row0, row0 + n), n <= SRT_EVAL_BLOCK:
 * node i's values go to vals[i * SRT_EVAL_BLOCK ..]. */
void srt_sr__eval_nodes(const srt_expr_t *e, const double *const *cols, size_t row0, size_t n,
                        double *vals);

/* Evaluation target: the full data or a mini-batch gathered from it. With
 * precision 32, cols32 / y32 hold the Float32 data the loss is computed on,
 * and cols / y the same values widened to double (for the optimiser's
 * gradient); with precision 64 cols32 and y32 are NULL. */
typedef struct srt_sr__evalset {
    const double *const *cols; /* nfeatures columns */
    const double *y;           /* targets */
    size_t n;                  /* rows */
    const float *const *cols32; /* nfeatures Float32 columns, or NULL (precision 64) */
    const float *y32;          /* Float32 targets, or NULL */
} srt_sr__evalset_t;

/* The loss of e on set in the set's precision (srt_sr__mse or
 * srt_sr__mse_f32); a Float32 loss is returned widened. */
double srt_sr__eval_loss(const srt_expr_t *e, const srt_sr__evalset_t *set);

/* Precision 32: the loss and one-row evaluator in Float32 (constants are
 * read as (float)value); srt_expr_eval_f32 (sr.h) is the block evaluator.
 * Same bits as each other, as in 64. */
double srt_sr__mse_f32(const srt_expr_t *e, const float *const *cols, const float *y, size_t n);
float srt_sr__eval_point_f32(const srt_expr_t *e, const float *x);
void srt_sr__eval_nodes_f32(const srt_expr_t *e, const float *const *cols, size_t row0, size_t n,
                            float *vals);
/* A scalar operator in Float32: + - * / neg square cube sqrt abs in float,
 * the others as libm's double function of the widened argument, rounded. */
float srt_sr__apply_f32(srt_op_t op, float a, float b);
/* Rounds every constant of e to Float32 (precision 32 keeps constants as
 * Float32 values, as SR.jl with T = Float32). */
void srt_sr__consts_to_f32(srt_expr_t *e);

/* ----------------------------------------------------- optimisation */

/* Optimises e's constants on set (sr-engine.md step 3): BFGS (GSL
 * vector_bfgs2, analytic reverse-mode gradient) or Newton with backtracking
 * for one constant; `iterations` iterations; nrestarts restarts from
 * x0 * (1 + 0.5 N(0,1)). Keeps the new constants only when the loss on set
 * went down; *loss is the loss on set before (input) and after (output).
 * Adds the loss evaluations used to *nevals (in units of set evaluations).
 * Returns 1 when constants changed, 0 when not, -1 on NOMEM. */
int srt_sr__optimize_constants(srt_expr_t *e, const srt_sr__evalset_t *set, long iterations,
                               long nrestarts, srt_sr__rng_t *rng, double *loss, double *nevals);

/* MSE and its gradient with respect to the constants, in node order. */
double srt_sr__mse_grad(const srt_expr_t *e, const srt_sr__evalset_t *set, double *grad,
                        double *work);
/* Work doubles srt_sr__mse_grad needs for e. */
size_t srt_sr__mse_grad_work(const srt_expr_t *e);

/* --------------------------------------------------------- the search */

/* A population member. */
typedef struct srt_sr__member {
    srt_expr_t expr; /* the expression (owned) */
    double loss;     /* MSE (of the last evaluation: a batch while batching) */
    double cost;     /* loss / normalisation + parsimony * complexity */
    uint64_t birth;  /* birth order; the oldest has the smallest */
} srt_sr__member_t;

/* The whole state of a search; everything in it but the scratch and the
 * borrowed data is saved in a checkpoint. */
typedef struct srt_sr__search {
    srt_sr_options_t opts;     /* options (maxdepth resolved) */
    srt_sr__gen_t gen;         /* generation limits from opts */
    srt_sr_data_t data;        /* borrowed data */
    uint64_t seed;             /* the run seed */
    srt_sr__rng_t rng;         /* the one generator */
    long npops;                /* islands */
    long popsize;              /* members per island */
    long topn;                 /* min(topn, popsize) */
    long maxsize;              /* opts.maxsize */
    srt_sr__member_t *pops;    /* npops * popsize members, island-major */
    srt_sr__member_t *best_sub; /* npops * topn best members at each island's last return */
    srt_sr__member_t *hof;     /* maxsize slots: best member of complexity c at [c-1] */
    uint8_t *hof_exists;       /* maxsize flags */
    double *freq;              /* maxsize complexity frequencies (window 100000) */
    double *norm_freq;         /* maxsize normalised frequencies */
    double baseline;           /* mean(y^2) */
    double norm;               /* max(baseline, 0.01) */
    uint64_t birth;            /* next birth number */
    double num_evals;          /* full-data evaluations so far */
    long iter;                 /* current iteration (0-based) */
    long island;               /* next island to run in iter */
    long returns;              /* island returns so far (scalar-log steps) */
    double elapsed_prev;       /* wall seconds of earlier segments (resume) */
    /* scratch, not checkpointed */
    srt_sr__member_t *best_seen; /* maxsize slots of the current island's best seen */
    uint8_t *best_seen_exists;   /* maxsize flags */
    srt_expr_t tmp[4];           /* work expressions */
    double *batch_block;         /* nfeatures+1 columns of batch_size rows */
    const double **batch_cols;   /* nfeatures pointers into batch_block */
    float *batch_block32;        /* precision 32: the batch in Float32 */
    const float **batch_cols32;  /* nfeatures pointers into batch_block32 */
    srt_sr__evalset_t full;      /* the full data in the run's precision */
    float *data32;               /* precision 32: nfeatures+1 Float32 columns (y last) */
    double *data32w;             /* precision 32: the same values widened to double */
    const float **cols32;        /* nfeatures pointers into data32 */
    const double **cols32w;      /* nfeatures pointers into data32w */
    size_t *idx;                 /* popsize index work array */
    double *tweights;            /* tournament place weights (cumulative) */
    double *size_factor;         /* maxsize + 1: exp(aps * norm_freq[c - 1]) by complexity c */
} srt_sr__search_t;

/* Creates the state: options checked, initial populations drawn and
 * evaluated. *out NULL on failure. */
srt_rc srt_sr__search_create(const srt_sr_options_t *opts, const srt_sr_data_t *data,
                             uint64_t seed, srt_sr__search_t **out, srt_err_t *err);
void srt_sr__search_destroy(srt_sr__search_t **s);
/* Runs island s->island of iteration s->iter (cycles, simplify, optimise),
 * then the return: hall of fame, frequencies, migration; advances the
 * counters. */
srt_rc srt_sr__search_island(srt_sr__search_t *s);
/* Recomputes what derives from the saved state (after a checkpoint load). */
void srt_sr__search_refresh(srt_sr__search_t *s);
/* Current Pareto front of the hall of fame (indices into s->hof) and size. */
size_t srt_sr__search_front(const srt_sr__search_t *s, size_t *keep);
/* The front as points: keep[] (hall-of-fame slots), cx[] (complexity) and
 * loss[], each of at least maxsize entries; returns the number of points. */
size_t srt_sr__search_front_points(const srt_sr__search_t *s, size_t *keep, uint32_t *cx,
                                   double *loss);
/* Population.jl best_of_sample on island `island`: the index (in the
 * island) of the tournament's winner. */
size_t srt_sr__best_of_sample(srt_sr__search_t *s, long island);
/* AdaptiveParsimony.jl move_window!: shrinks freq[0..m) towards a sum of
 * window (never below 1 each). */
void srt_sr__move_window(double *freq, long m, double window);
/* Migration.jl migrate!: poisson(popsize * frac) members, at most ncand and
 * popsize, copies of random candidates (cand[idx[k]], or cand[k] when idx is
 * NULL) over random members of pop, each with a new birth. */
srt_rc srt_sr__migrate(srt_sr__search_t *s, srt_sr__member_t *pop, const srt_sr__member_t *cand,
                       const size_t *idx, size_t ncand, double frac);
/* Computes the cost of a member of the given loss and complexity. */
double srt_sr__cost(const srt_sr__search_t *s, double loss, uint32_t complexity);
/* The curmaxsize of the island run s is at (warmup_maxsize_by). */
long srt_sr__search_cur_maxsize(const srt_sr__search_t *s);

/* Saves / loads the state (checkpoint.c). Load checks that options, seed and
 * data match the identity stored; SRT_ERR_MISMATCH when not. partial_len is
 * the size of the scalar log's .partial file at save time. */
srt_rc srt_sr__checkpoint_save(const srt_sr__search_t *s, const char *path, uint64_t partial_len,
                               srt_err_t *err);
srt_rc srt_sr__checkpoint_load(srt_sr__search_t *s, const char *path, uint64_t *partial_len,
                               srt_err_t *err);
/* Identity hash of (options, seed, data). */
uint64_t srt_sr__identity(const srt_sr_options_t *o, const srt_sr_data_t *d, uint64_t seed);
/* 1 when a scalar option added after checkpoints existed holds the value
 * that leaves it out of the identity (maps_identity.c). */
int srt_sr__identity_skips(const srt_sr_option_info_t *info, double v);
/* Hashes the structured options that are set (nothing for the defaults). */
void srt_sr__identity_maps(srt_hasher_t *h, const srt_sr_maps_t *m);

/* ---------------------------------------------------------- scalar log */

/* Writes the header of tensorboard_scalars.csv for maxsize. */
int srt_sr__scalars_header(FILE *f, long maxsize);
/* Writes one row for the current front of s. */
int srt_sr__scalars_row(FILE *f, const srt_sr__search_t *s, double timestamp, double elapsed);
/* hall_of_fame.csv contents as a heap string (caller frees); NULL on NOMEM. */
char *srt_sr__hof_csv(const srt_sr__search_t *s);
/* CSV-quotes s when needed into a heap string. */
char *srt_sr__csv_field(const char *s);

#endif
