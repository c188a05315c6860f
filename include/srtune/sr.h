/*
 * srtune SR engine, public part: the expression form, the operator table, the
 * evaluator, the SR options with PySR's names and defaults, and the engine:
 * srt_sr_run (one search with its result files, checkpoint and resume), the
 * Pareto front, its scores and pareto_volume (sr-engine.md).
 *
 * The expression form is a postfix array of 16-byte nodes (sr-engine.md,
 * "Speed"): the evaluator walks it once per block of rows that stays in L1
 * cache, never row by row through a tree. A subtree is a contiguous range of
 * the array; each node records the size of the subtree that ends at it, so
 * mutations and crossover can cut and splice ranges.
 *
 * This module knows nothing of studies, trials or MPI (architecture.md).
 */
#ifndef SRTUNE_SR_H
#define SRTUNE_SR_H

#include <math.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------- operators */

/* X(enum, PySR/Julia name, sympy name, arity). Leaves first, then binary, then
 * unary, then the operators of issue 14 (both arities). The numeric values are
 * part of the checkpoint format: append only. Definitions, domains and sympy
 * forms: docs/operators.md (the sympy column is a short reminder; the printer
 * in expr_sympy.c writes the forms). */
#define SRT_OP_LIST(X)                                                                             \
    X(SRT_OP_CONST, "const", "const", 0)                                                           \
    X(SRT_OP_FEATURE, "feature", "feature", 0)                                                     \
    X(SRT_OP_ADD, "+", "+", 2)                                                                     \
    X(SRT_OP_SUB, "-", "-", 2)                                                                     \
    X(SRT_OP_MUL, "*", "*", 2)                                                                     \
    X(SRT_OP_DIV, "/", "/", 2)                                                                     \
    X(SRT_OP_POW, "^", "**", 2)                                                                    \
    X(SRT_OP_NEG, "neg", "-", 1)                                                                   \
    X(SRT_OP_SQUARE, "square", "square", 1)                                                        \
    X(SRT_OP_CUBE, "cube", "cube", 1)                                                              \
    X(SRT_OP_SQRT, "sqrt", "sqrt", 1)                                                              \
    X(SRT_OP_EXP, "exp", "exp", 1)                                                                 \
    X(SRT_OP_LOG, "log", "log", 1)                                                                 \
    X(SRT_OP_SIN, "sin", "sin", 1)                                                                 \
    X(SRT_OP_COS, "cos", "cos", 1)                                                                 \
    X(SRT_OP_TAN, "tan", "tan", 1)                                                                 \
    X(SRT_OP_TANH, "tanh", "tanh", 1)                                                              \
    X(SRT_OP_SINH, "sinh", "sinh", 1)                                                              \
    X(SRT_OP_COSH, "cosh", "cosh", 1)                                                              \
    X(SRT_OP_ASIN, "asin", "asin", 1)                                                              \
    X(SRT_OP_ACOS, "acos", "acos", 1)                                                              \
    X(SRT_OP_ATAN, "atan", "atan", 1)                                                              \
    X(SRT_OP_ABS, "abs", "Abs", 1)                                                                 \
    X(SRT_OP_MAX, "max", "Max", 2)                                                                 \
    X(SRT_OP_MIN, "min", "Min", 2)                                                                 \
    X(SRT_OP_MOD, "mod", "Mod", 2)                                                                 \
    X(SRT_OP_GREATER, "greater", ">", 2)                                                           \
    X(SRT_OP_LESS, "less", "<", 2)                                                                 \
    X(SRT_OP_GREATER_EQUAL, "greater_equal", ">=", 2)                                              \
    X(SRT_OP_LESS_EQUAL, "less_equal", "<=", 2)                                                    \
    X(SRT_OP_COND, "cond", "cond", 2)                                                              \
    X(SRT_OP_LOGICAL_OR, "logical_or", "|", 2)                                                     \
    X(SRT_OP_LOGICAL_AND, "logical_and", "&", 2)                                                   \
    X(SRT_OP_CBRT, "cbrt", "cbrt", 1)                                                              \
    X(SRT_OP_SIGN, "sign", "sign", 1)                                                              \
    X(SRT_OP_INV, "inv", "inv", 1)                                                                 \
    X(SRT_OP_LOG10, "log10", "log10", 1)                                                           \
    X(SRT_OP_LOG2, "log2", "log2", 1)                                                              \
    X(SRT_OP_LOG1P, "log1p", "log1p", 1)                                                           \
    X(SRT_OP_ASINH, "asinh", "asinh", 1)                                                           \
    X(SRT_OP_ACOSH, "acosh", "acosh", 1)                                                           \
    X(SRT_OP_ATANH, "atanh", "atanh", 1)                                                           \
    X(SRT_OP_ERF, "erf", "erf", 1)                                                                 \
    X(SRT_OP_ERFC, "erfc", "erfc", 1)                                                              \
    X(SRT_OP_GAMMA, "gamma", "gamma", 1)                                                           \
    X(SRT_OP_RELU, "relu", "relu", 1)                                                              \
    X(SRT_OP_SINC, "sinc", "sinc", 1)                                                              \
    X(SRT_OP_ROUND, "round", "round", 1)                                                           \
    X(SRT_OP_FLOOR, "floor", "floor", 1)                                                           \
    X(SRT_OP_CEIL, "ceil", "ceiling", 1)

typedef enum {
#define SRT_OP_ENUM_(e, name, sym, arity) e,
    SRT_OP_LIST(SRT_OP_ENUM_)
#undef SRT_OP_ENUM_
        SRT_OP_COUNT
} srt_op_t;

/* PySR/Julia name of an op ("+", "sin", "asin"). */
const char *srt_op_name(srt_op_t op);
/* The op as a Julia value for SymbolicRegression.Options(binary_operators=[...]):
 * srt_op_name except the comparisons, which are ">" "<" ">=" "<=" (SR.jl's
 * binopmap turns them into greater, less, ...; only greater is exported). */
const char *srt_op_julia_name(srt_op_t op);
/* Arity 0, 1 or 2. */
int srt_op_arity(srt_op_t op);
/* Looks an operator up by name; accepts PySR names and the numpy aliases
 * "arcsin", "arccos", "arctan", "pow"/"**" for "^", "ln" for "log", and
 * PySR's ">" "<" ">=" "<=" for greater less greater_equal less_equal,
 * "ceiling" for "ceil". Returns
 * SRT_ERR_NOTFOUND for an unknown name. Leaves are never returned. */
srt_rc srt_op_lookup(const char *name, srt_op_t *out);
/* Applies a unary or binary op to scalars (b ignored for unary ops). */
double srt_op_apply(srt_op_t op, double a, double b);

/* ----------------------------------------------------------- expressions */

typedef struct srt_node {
    uint8_t op;       /* srt_op_t */
    uint8_t pad_;     /* zero */
    uint16_t feature; /* column index when op == SRT_OP_FEATURE, else 0 */
    uint32_t size;    /* number of nodes in the subtree that ends here */
    double value;     /* constant when op == SRT_OP_CONST, else 0 */
} srt_node_t;

/* A postfix program. The root is nodes[len-1]; nodes[i]'s subtree occupies
 * nodes[i - size + 1 .. i]. */
typedef struct srt_expr {
    srt_node_t *nodes; /* owned, capacity cap */
    uint32_t len;      /* nodes in use */
    uint32_t cap;      /* allocated nodes */
} srt_expr_t;

void srt_expr_init(srt_expr_t *e);
void srt_expr_fini(srt_expr_t *e);
/* Ensures capacity for n nodes. */
srt_rc srt_expr_reserve(srt_expr_t *e, uint32_t n);
srt_rc srt_expr_copy(srt_expr_t *dst, const srt_expr_t *src);
/* Appends a node, computing its subtree size from the nodes before it. */
srt_rc srt_expr_push_const(srt_expr_t *e, double value);
srt_rc srt_expr_push_feature(srt_expr_t *e, uint16_t feature);
srt_rc srt_expr_push_op(srt_expr_t *e, srt_op_t op);
/* 1 when the array is a single well-formed postfix tree with correct sizes. */
int srt_expr_is_valid(const srt_expr_t *e, size_t nfeatures);
/* Depth of the tree (a leaf has depth 1). */
uint32_t srt_expr_depth(const srt_expr_t *e);
/* 1 when the expression uses op anywhere. */
int srt_expr_uses_op(const srt_expr_t *e, srt_op_t op);

typedef enum {
    SRT_EXPR_STYLE_PYSR = 0, /* "((x0 * 2.5) + cos(x1))", "^" for powers */
    SRT_EXPR_STYLE_SYMPY = 1 /* "x0*2.5 + cos(x1)", "**" for powers, parseable by sympy */
} srt_expr_style_t;

/* Prints e into a heap string (caller frees). names[i] names feature i; NULL
 * names print as x0, x1, ... Constants print with %.17g (round trip). */
char *srt_expr_to_string(const srt_expr_t *e, const char *const *names, srt_expr_style_t style);

/* ------------------------------------------------------------ evaluation */

/* Rows per block: a block of each stack slot stays in L1 cache. */
#define SRT_EVAL_BLOCK 256

/* Evaluates e on nrows rows of column-major data: cols[f][row]. Writes
 * out[0..nrows), which must not overlap any column. Returns SRT_OK, or
 * SRT_ERR_NUMERIC as soon as a block has a NaN or Inf (out is then partly
 * written). Reentrant: the scratch is on the caller's stack. */
srt_rc srt_expr_eval(const srt_expr_t *e, const double *const *cols, size_t nrows, double *out);
/* srt_expr_eval at precision 32: Float32 columns and output, every operation
 * in Float32 (constants are read as (float)value), as SR.jl with
 * T = Float32. */
srt_rc srt_expr_eval_f32(const srt_expr_t *e, const float *const *cols, size_t nrows, float *out);

/* Evaluates at one point x[nfeatures] (reference and tests; slow). */
double srt_expr_eval_point(const srt_expr_t *e, const double *x);

/* ----------------------------------------------------------- SR options */

typedef enum {
    SRT_OPTKIND_INT = 0,   /* long */
    SRT_OPTKIND_FLOAT = 1, /* double */
    SRT_OPTKIND_BOOL = 2,  /* int 0/1 */
    SRT_OPTKIND_OPTFLOAT = 3 /* double, NaN = not set (PySR's None) */
} srt_optkind_t;

/* The scalar SR options: X(name, kind, C type, PySR 1.x default, PySR 0.x
 * default, low, high, help). One list drives the struct, the defaults, the
 * config validation and `srtune fit --option`. Defaults: PySR v1.5.10 and
 * PySR v0.19.4 (SR.jl 0.24.5 where PySR 0.19 has no such option), pinned by
 * tests/fidelity/test_sr_presets.c. maxdepth 0 means "= maxsize". */
#define SRT_SR_OPTION_LIST(X)                                                                      \
    X(niterations, SRT_OPTKIND_INT, long, 100, 40, 1, 1e9, "iterations; each runs every island once") \
    X(populations, SRT_OPTKIND_INT, long, 31, 15, 1, 1e5, "number of islands")                   \
    X(population_size, SRT_OPTKIND_INT, long, 27, 33, 2, 1e6, "members per island")             \
    X(ncycles_per_iteration, SRT_OPTKIND_INT, long, 380, 550, 1, 1e8,                             \
      "evolution cycles per island per iteration")                                                \
    X(maxsize, SRT_OPTKIND_INT, long, 30, 20, 5, 256, "max complexity (node count)")              \
    X(maxdepth, SRT_OPTKIND_INT, long, 0, 0, 0, 256, "max depth; 0 means maxsize")                \
    X(parsimony, SRT_OPTKIND_FLOAT, double, 0.0, 0.0032, 0, 1e6, "cost per complexity unit")     \
    X(adaptive_parsimony_scaling, SRT_OPTKIND_FLOAT, double, 1040, 20, 0, 1e9,                    \
      "strength of the complexity-frequency penalty")                                            \
    X(tournament_selection_n, SRT_OPTKIND_INT, long, 15, 10, 1, 1e6, "tournament size")          \
    X(tournament_selection_p, SRT_OPTKIND_FLOAT, double, 0.982, 0.86, 0, 1,                       \
      "probability that the best of a tournament wins")                                          \
    X(crossover_probability, SRT_OPTKIND_FLOAT, double, 0.0259, 0.066, 0, 1,                      \
      "chance that a step is a crossover")                                                        \
    X(weight_add_node, SRT_OPTKIND_FLOAT, double, 2.47, 0.79, 0, 1e6, "mutation weight")          \
    X(weight_insert_node, SRT_OPTKIND_FLOAT, double, 0.0112, 5.1, 0, 1e6, "mutation weight")      \
    X(weight_delete_node, SRT_OPTKIND_FLOAT, double, 0.870, 1.7, 0, 1e6, "mutation weight")       \
    X(weight_do_nothing, SRT_OPTKIND_FLOAT, double, 0.273, 0.21, 0, 1e6, "mutation weight")       \
    X(weight_mutate_constant, SRT_OPTKIND_FLOAT, double, 0.0346, 0.048, 0, 1e6, "mutation weight") \
    X(weight_mutate_operator, SRT_OPTKIND_FLOAT, double, 0.293, 0.47, 0, 1e6, "mutation weight")  \
    X(weight_swap_operands, SRT_OPTKIND_FLOAT, double, 0.198, 0.1, 0, 1e6, "mutation weight")     \
    X(weight_rotate_tree, SRT_OPTKIND_FLOAT, double, 4.26, 0.0, 0, 1e6, "mutation weight")        \
    X(weight_randomize, SRT_OPTKIND_FLOAT, double, 0.000502, 0.00023, 0, 1e6, "mutation weight")  \
    X(weight_simplify, SRT_OPTKIND_FLOAT, double, 0.00209, 0.002, 0, 1e6, "mutation weight")      \
    X(weight_optimize, SRT_OPTKIND_FLOAT, double, 0.0, 0.0, 0, 1e6, "mutation weight")            \
    X(optimize_probability, SRT_OPTKIND_FLOAT, double, 0.14, 0.14, 0, 1,                          \
      "chance that a member's constants are optimised after a cycle")                            \
    X(optimizer_iterations, SRT_OPTKIND_INT, long, 8, 8, 0, 1e6, "constant optimiser iterations") \
    X(optimizer_nrestarts, SRT_OPTKIND_INT, long, 2, 2, 0, 1e4, "constant optimiser restarts")   \
    X(perturbation_factor, SRT_OPTKIND_FLOAT, double, 0.129, 0.076, 0, 1e6,                       \
      "size of constant mutations")                                                              \
    X(probability_negate_constant, SRT_OPTKIND_FLOAT, double, 0.00743, 0.01, 0, 1,                \
      "a constant mutation flips the sign when rand() > this, as SR.jl 1.11 codes it "            \
      "(so with probability 1 - this)")                                                          \
    X(fraction_replaced, SRT_OPTKIND_FLOAT, double, 0.00036, 0.000364, 0, 1,                      \
      "migration from every island's best (its own included) per island return")                 \
    X(fraction_replaced_hof, SRT_OPTKIND_FLOAT, double, 0.0614, 0.035, 0, 1,                      \
      "migration from the Pareto front per island return")                                       \
    X(topn, SRT_OPTKIND_INT, long, 12, 12, 1, 1e6, "best members per island offered for migration") \
    X(alpha, SRT_OPTKIND_FLOAT, double, 3.17, 0.1, 0, 1e9, "annealing temperature scale")        \
    X(annealing, SRT_OPTKIND_BOOL, int, 0, 0, 0, 1, "temperature falls 1 -> 0 over the cycles")  \
    X(use_frequency, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1, "adaptive parsimony in acceptance")      \
    X(use_frequency_in_tournament, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1,                             \
      "adaptive parsimony in tournaments")                                                       \
    X(migration, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1, "migrate between islands")                   \
    X(hof_migration, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1, "migrate from the hall of fame")         \
    X(should_optimize_constants, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1, "optimise constants")        \
    X(should_simplify, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1, "simplify members after cycles")       \
    X(skip_mutation_failures, SRT_OPTKIND_BOOL, int, 1, 1, 0, 1,                                  \
      "a rejected mutation leaves the population as it was")                                     \
    X(batching, SRT_OPTKIND_BOOL, int, 0, 0, 0, 1, "evaluate on random mini-batches")            \
    X(batch_size, SRT_OPTKIND_INT, long, 50, 50, 1, 1e9, "mini-batch size")                      \
    X(precision, SRT_OPTKIND_INT, long, 32, 32, 32, 64,                                           \
      "floating-point precision of data, evaluation and losses: 32 (Float32, as PySR) or 64")     \
    X(log_interval, SRT_OPTKIND_INT, long, 1, 1, 1, 1e9, "island returns between scalar log rows") \
    X(early_stop_condition, SRT_OPTKIND_OPTFLOAT, double, NAN, NAN, 0, 1e300,                     \
      "stop a run when the best loss is below this")                                             \
    X(timeout_in_seconds, SRT_OPTKIND_OPTFLOAT, double, NAN, NAN, 0, 1e9,                         \
      "stop a run after this many seconds (machine-dependent)")                                  \
    X(max_evals, SRT_OPTKIND_OPTFLOAT, double, NAN, NAN, 1, 1e18,                                 \
      "stop a run after this many full-data evaluations")                                        \
    X(warmup_maxsize_by, SRT_OPTKIND_FLOAT, double, 0.0, 0.0, 0, 1e6,                             \
      "fraction of the run over which the max size grows from 3 to maxsize; 0: no warm-up")     \
    X(complexity_of_constants, SRT_OPTKIND_FLOAT, double, 1, 1, 0, 1e6,                           \
      "complexity of a constant (tree complexities are rounded to integers)")                   \
    X(complexity_of_variables, SRT_OPTKIND_FLOAT, double, 1, 1, 0, 1e6,                           \
      "complexity of a variable (model.complexity_of_variables may list one per feature)")

/* Room for every operator of each arity (ops.c checks at compile time). */
#define SRT_SR_MAX_BINOPS 16
#define SRT_SR_MAX_UNAOPS 40

/* The structured SR options (docs/configuration.md, "Structured options"),
 * indexed by srt_op_t. All zero means PySR's defaults (None): every operator
 * of complexity 1, complexity_of_variables the scalar option for every
 * feature, no constraints, no nested constraints. Unused entries stay zero,
 * so two equal settings are equal bytes. */
#define SRT_SR_MAX_VAR_COMPLEXITIES 256
typedef struct srt_sr_maps {
    uint8_t op_complexity_set[SRT_OP_COUNT]; /* 1: complexity_of_operators gives op's */
    double op_complexity[SRT_OP_COUNT];      /* that complexity (>= 0) */
    uint32_t n_var_complexity;               /* 0: the scalar complexity_of_variables */
    double var_complexity[SRT_SR_MAX_VAR_COMPLEXITIES]; /* one per feature */
    uint8_t constraint_set[SRT_OP_COUNT];    /* 1: constraints gives op's */
    int32_t constraint[SRT_OP_COUNT][2];     /* max complexity of the argument(s), -1 no
                                                limit; a unary op uses [0] */
    uint8_t nested_set[SRT_OP_COUNT][SRT_OP_COUNT]; /* 1: nested_constraints[outer][inner] */
    int32_t nested[SRT_OP_COUNT][SRT_OP_COUNT];     /* max nesting of inner in outer (>= -1) */
} srt_sr_maps_t;

typedef struct srt_sr_options {
#define SRT_SR_OPT_FIELD_(name, kind, ctype, d1, d0, lo, hi, help) ctype name; /* help */
    SRT_SR_OPTION_LIST(SRT_SR_OPT_FIELD_)
#undef SRT_SR_OPT_FIELD_
    int n_binops;                        /* entries used in binops */
    uint8_t binops[SRT_SR_MAX_BINOPS];   /* srt_op_t of each binary operator */
    int n_unaops;                        /* entries used in unaops */
    uint8_t unaops[SRT_SR_MAX_UNAOPS];   /* srt_op_t of each unary operator */
    srt_sr_maps_t maps;                  /* the structured options (all zero: PySR's defaults) */
} srt_sr_options_t;

typedef enum {
    SRT_SR_PRESET_PYSR1 = 0, /* PySR 1.x / SR.jl 1.x defaults */
    SRT_SR_PRESET_PYSR0 = 1  /* PySR 0.x defaults */
} srt_sr_preset_t;

/* Static description of one scalar option (the table behind the X-macro). */
typedef struct srt_sr_option_info {
    const char *name;    /* PySR name */
    srt_optkind_t kind;  /* value kind */
    double def_pysr1;    /* PySR 1.x default (NaN: none) */
    double def_pysr0;    /* PySR 0.x default */
    double low, high;    /* inclusive bounds */
    const char *help;    /* one-line help */
    size_t offset;       /* offset of the field in srt_sr_options_t */
} srt_sr_option_info_t;

/* The option table and its length. */
const srt_sr_option_info_t *srt_sr_option_table(size_t *count);
/* Looks an option up by name; NULL when unknown. */
const srt_sr_option_info_t *srt_sr_option_find(const char *name);
/* Sets an option from a double (ints and bools converted; no bounds check). */
void srt_sr_option_set(srt_sr_options_t *o, const srt_sr_option_info_t *info, double v);
/* Reads an option as a double. */
double srt_sr_option_get(const srt_sr_options_t *o, const srt_sr_option_info_t *info);
/* Looks a preset up by name: "pysr-1" (also "pysr1", "1") or "pysr-0". */
srt_rc srt_sr_preset_lookup(const char *name, srt_sr_preset_t *out);
/* Fills o with a preset's defaults, binary operators + - * / and no unary ones. */
void srt_sr_options_default(srt_sr_options_t *o, srt_sr_preset_t preset);


/* ------------------------------------------------------------ the engine */

/* Data for a search: column-major features and the target, all borrowed. */
typedef struct srt_sr_data {
    const double *const *cols; /* nfeatures columns of nrows values: cols[f][row] */
    const double *y;           /* nrows target values */
    size_t nrows;              /* rows (>= 1) */
    size_t nfeatures;          /* feature columns (>= 1, < 65536) */
    const char *const *names;  /* nfeatures feature names for printing; NULL: x0, x1, ... */
} srt_sr_data_t;

/* Mean squared error of e on the data in Float64 (precision 64); NaN or Inf
 * anywhere gives +Inf. */
double srt_sr_loss(const srt_expr_t *e, const srt_sr_data_t *data);

/* One member of a Pareto front. */
typedef struct srt_sr_front_member {
    uint32_t complexity; /* srt_sr_complexity (the node count by default) */
    double loss;         /* MSE on the full data */
    double score;        /* SR.jl's score (srt_sr_pareto_scores); 0 for the first */
    srt_expr_t expr;     /* owned copy of the expression */
} srt_sr_front_member_t;

/* Why a run stopped. */
typedef enum {
    SRT_SR_STOP_NITERATIONS = 0, /* all niterations done */
    SRT_SR_STOP_TIMEOUT = 1,     /* timeout_in_seconds reached */
    SRT_SR_STOP_MAX_EVALS = 2,   /* max_evals reached */
    SRT_SR_STOP_EARLY = 3,       /* a front loss went below early_stop_condition */
    SRT_SR_STOP_INTERRUPTED = 4  /* the stop flag was set (state checkpointed) */
} srt_sr_stop_t;

/* Name of a stop reason ("niterations", "timeout", ...). */
const char *srt_sr_stop_name(srt_sr_stop_t why);

/* What a run returns. Free with srt_sr_result_fini. */
typedef struct srt_sr_result {
    srt_sr_stop_t stop;             /* why it stopped */
    double pareto_volume;           /* of the final front (= last scalar-log row) */
    double min_loss;                /* loss of the last front member; +Inf if no front */
    double num_evals;               /* full-data evaluations */
    long iterations;                /* complete iterations */
    long island_returns;            /* island returns (= scalar-log steps) */
    double elapsed_s;               /* wall seconds of search, over all resumed segments */
    int resumed;                    /* 1 when the run continued from a checkpoint */
    size_t nfront;                  /* front members */
    srt_sr_front_member_t *front;   /* owned, by increasing complexity */
} srt_sr_result_t;

/* Empties a result (no front, min_loss +Inf). */
void srt_sr_result_init(srt_sr_result_t *r);
/* Frees the front of a result and empties it; r may be NULL. */
void srt_sr_result_fini(srt_sr_result_t *r);

/* The Pareto front of (complexity, loss) points given by increasing
 * complexity (hall-of-fame order): keeps a point when its loss is strictly
 * lower than every smaller one; writes the kept indices to keep[] and returns
 * their count. Non-finite losses are never kept. */
size_t srt_sr_pareto_front(const uint32_t *complexity, const double *loss, size_t n, size_t *keep);

/* Scores of a front as SR.jl's hall of fame (HallOfFame.jl
 * format_hall_of_fame, loss_scale log): score[0] = 0, then
 * relu(-log(relu(loss_i / loss_{i-1}) + eps(loss_i)) / (c_i - c_{i-1})) with
 * Julia's eps(x) (the spacing of doubles at x) and relu(x) = (x > 0) * x. */
void srt_sr_pareto_scores(const uint32_t *complexity, const double *loss, size_t n,
                          double *score);

/* pareto_volume of a front as SR.jl's Logging.jl pareto_volume: area of the
 * convex hull (gift wrapping, as SR.jl) of (log10 c, log10(loss + eps)),
 * eps = eps(Float64), plus (log10(maxsize+1), min y) and (max x, max y).
 * 0 for n <= 1. Any n: the buffers are sized for the front given. */
double srt_sr_pareto_volume(const uint32_t *complexity, const double *loss, size_t n,
                            long maxsize);

/* srt_sr_pareto_scores and srt_sr_pareto_volume for a run of the given
 * precision (32: the loss type is Float32 as SR.jl with T = Float32, so the
 * scores are computed in Float32 and eps(Float32) is added to the losses;
 * 64: as the functions above). */
void srt_sr_pareto_scores_p(const uint32_t *complexity, const double *loss, size_t n,
                            long precision, double *score);
double srt_sr_pareto_volume_p(const uint32_t *complexity, const double *loss, size_t n,
                              long maxsize, long precision);

/* Extra knobs of a run that are not SR options (zero-initialise for defaults). */
typedef struct srt_sr_run_params {
    int quiet;                 /* 1: no progress log lines */
    long checkpoint_every;     /* > 0: also checkpoint every this many island returns */
    long stop_after_returns;   /* > 0: behave as if the stop flag were set after this many
                                  island returns (tests of interruption and resume) */
    int no_resume;             /* 1: ignore an existing checkpoint, start afresh */
} srt_sr_run_params_t;

/* File names inside a run directory. */
#define SRT_SR_SCALARS_FILE "tensorboard_scalars.csv"
#define SRT_SR_SCALARS_PARTIAL "tensorboard_scalars.csv.partial"
#define SRT_SR_HOF_FILE "hall_of_fame.csv"
#define SRT_SR_RUNJSON_FILE "run.json"
#define SRT_SR_CHECKPOINT_FILE "checkpoint.bin"

/* Runs one SR search (sr-engine.md) on data with options and seed, writing
 * run_dir/tensorboard_scalars.csv.partial row by row, then hall_of_fame.csv
 * and run.json, and last renaming the scalars file to tensorboard_scalars.csv
 * (the completion mark). run_dir is created (mkdir -p). Same data, options and
 * seed give the same file contents, clock columns aside.
 *
 * stop_flag (may be NULL) is read after every island return; when set, the
 * state is saved to run_dir/checkpoint.bin (atomically), run.json says
 * "interrupted", no tensorboard_scalars.csv is written, and the call returns
 * SRT_ERR_INTERRUPTED. A later call with the same data, options, seed and
 * run_dir resumes from the checkpoint and ends with the same files an
 * uninterrupted run writes (a checkpoint that does not match is ignored with a
 * warning; one written at the other precision is refused: SRT_ERR_CONFIG,
 * key "precision", the checkpoint left in place). run_dir may be NULL:
 * nothing is written, no checkpoint.
 *
 * The stop flag is read once per island return (more often than once per
 * iteration), so an interruption costs at most one island's work.
 *
 * out (may be NULL) is initialised and receives the result (caller frees
 * with srt_sr_result_fini), also on SRT_ERR_INTERRUPTED. Calls
 * gsl_set_error_handler_off(). Not collective; not thread-safe across calls
 * sharing run_dir. Errors: SRT_ERR_INVALID/CONFIG (bad options or data),
 * SRT_ERR_IO, SRT_ERR_NOMEM, SRT_ERR_INTERRUPTED. */
srt_rc srt_sr_run(const srt_sr_options_t *opts, const srt_sr_data_t *data, uint64_t seed,
                  const char *run_dir, const volatile sig_atomic_t *stop_flag,
                  srt_sr_result_t *out, srt_err_t *err);

/* srt_sr_run with extra parameters (params may be NULL = defaults). */
srt_rc srt_sr_run_ex(const srt_sr_options_t *opts, const srt_sr_data_t *data, uint64_t seed,
                     const char *run_dir, const volatile sig_atomic_t *stop_flag,
                     const srt_sr_run_params_t *params, srt_sr_result_t *out, srt_err_t *err);

/* Checks options against the table bounds and the operator lists; SRT_ERR_CONFIG
 * naming the option. */
srt_rc srt_sr_options_check(const srt_sr_options_t *opts, srt_err_t *err);

/* Complexity of e under o's complexity options, as SR.jl's compute_complexity
 * (the node count when every complexity is 1, else the weighted sum rounded
 * to the nearest integer, ties to even). */
long srt_sr_complexity(const srt_sr_options_t *o, const srt_expr_t *e);
/* Checks the structured options against the operator lists and, when
 * nfeatures > 0, complexity_of_variables' length; SRT_ERR_CONFIG naming the
 * option (sr_maps.c). */
srt_rc srt_sr_maps_check(const srt_sr_options_t *o, size_t nfeatures, srt_err_t *err);
/* The argument limits SR.jl receives for op (-1: none; out[1] -1 for a
 * unary op): o's constraints after PySR's _process_constraints, which puts
 * the larger limit of * on its left argument. */
void srt_sr_maps_constraint(const srt_sr_options_t *o, srt_op_t op, int32_t out[2]);

typedef enum {
    SRT_SR_MAPS_JSON = 0,   /* {"sin": 3, "^": [-1, 1]} */
    SRT_SR_MAPS_PYTHON = 1, /* {"sin": 3, "^": (-1, 1)} (PySRRegressor keywords) */
    SRT_SR_MAPS_JULIA = 2   /* [(sin) => 3, (^) => (-1, 1)] (SymbolicRegression.Options) */
} srt_sr_maps_style_t;

/* A structured option (complexity_of_operators, constraints,
 * nested_constraints, or complexity_of_variables' per-feature list) as text
 * in a style, on the heap (caller frees); NULL when it is unset (PySR's
 * default) or out of memory (maps_format.c). */
char *srt_sr_maps_format(const srt_sr_options_t *o, const char *name, srt_sr_maps_style_t style);


#ifdef __cplusplus
}
#endif
#endif
