/*
 * srtune data sets: the Feynman catalogue (FeynmanEquations.csv and
 * BonusEquations.csv), the formula parser that compiles a catalogue formula to
 * the SR engine's postfix form, equation selection, deterministic data set
 * generation, and user CSV data sets (sr-engine.md, "Data sets").
 *
 * This module knows nothing of studies, trials or MPI (architecture.md); none
 * of its functions is collective. Invariants: a generated data set depends only
 * on (entry, num_samples, noise, seed), so the same seed gives the same bytes
 * on every run and rank; every user-facing error names the file and the line
 * (and the column where there is one).
 */
#ifndef SRTUNE_DATA_H
#define SRTUNE_DATA_H

#include <stddef.h>

#include "srtune/core.h"
#include "srtune/sr.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------- formulas */

/* Compiles a formula in Python/sympy syntax to the postfix form.
 *
 * Grammar (Python precedence): `+ -` < `* /` < unary `- + ~` < `**`, where
 * `**` is right-associative and binds tighter than a unary minus on its left
 * (-x**2 = -(x**2)) but its right operand may carry one (x**-2); `~` is a
 * unary minus (the Bonus catalogue uses it); parentheses; numbers (123, 1.5,
 * .5, 2e-3); the constant `pi`; one-argument functions exp sqrt sin cos tan
 * tanh sinh cosh arcsin arccos arctan (also asin acos atan) ln log (natural)
 * abs (also Abs); and the variables names[0..nvars), which become features
 * 0..nvars-1 (a variable shadows `pi`).
 *
 * Compilation: unary minus -> SRT_OP_NEG, folded into the constant when
 * applied to a number; x**2 -> SRT_OP_SQUARE, x**3 -> SRT_OP_CUBE when the
 * exponent is that literal number, other powers SRT_OP_POW; no other folding.
 *
 * out must have been initialised (srt_expr_init); its contents are replaced
 * (left empty on failure). Errors: SRT_ERR_PARSE with a message giving the
 * 1-based character column, e.g. "formula 'x+*y', column 3: expected an
 * operand" or "formula 'a*foo', column 3: unknown name 'foo'"; err->file and
 * err->line are left empty for the caller to fill. SRT_ERR_NOMEM. */
srt_rc srt_formula_parse(const char *formula, const char *const *names, size_t nvars,
                         srt_expr_t *out, srt_err_t *err);

/* ------------------------------------------------------------ catalogue */

/* One equation of a catalogue file. Owned by its catalogue. */
typedef struct srt_catalogue_entry {
    char *id;        /* the Filename column: "I.6.2a", "test_1" */
    long number;     /* the Number column */
    char *name;      /* the Name column of BonusEquations.csv; NULL when absent */
    char *output;    /* name of the formula's output ("f", "A") */
    char *formula;   /* formula text as in the file ("~" kept) */
    size_t nvars;    /* number of variables: the named v<i>_name columns */
    char **names;    /* nvars variable names, in column order */
    double *low;     /* nvars lower bounds of the sampling ranges */
    double *high;    /* nvars upper bounds (high >= low) */
    srt_expr_t expr; /* the compiled formula; feature i is names[i] */
    long line;       /* 1-based line of the entry in its file */
} srt_catalogue_entry_t;

/* A loaded catalogue file: entries in file order (blank rows skipped). */
typedef struct srt_catalogue srt_catalogue_t;

/* Reads a catalogue CSV file (libcsv): UTF-8 BOM, CRLF, quoted fields and rows
 * of only commas accepted; columns found by header name (Filename, Number,
 * Output, Formula, "# variables", v<i>_name, v<i>_low, v<i>_high; Name
 * optional); every formula compiled. When "# variables" disagrees with the
 * number of named variable columns, the columns win and a warning is logged.
 * On success *out is a new catalogue (free with srt_catalogue_destroy); on
 * failure *out is NULL and err names the file and line, e.g.
 * "data/x.csv:17: I.9.18: formula '...', column 3: expected an operand".
 * Errors: SRT_ERR_NOTFOUND (no such file), SRT_ERR_IO, SRT_ERR_DATA (missing columns, bad numbers,
 * duplicate ids or names, empty catalogue), SRT_ERR_PARSE, SRT_ERR_NOMEM. */
srt_rc srt_catalogue_load(const char *path, srt_catalogue_t **out, srt_err_t *err);

/* Frees a catalogue and all its entries; *cat may be NULL; sets *cat = NULL. */
void srt_catalogue_destroy(srt_catalogue_t **cat);

/* Number of entries. */
size_t srt_catalogue_count(const srt_catalogue_t *cat);

/* Entry i (0-based, i < count), borrowed from the catalogue; NULL when out of
 * range. */
const srt_catalogue_entry_t *srt_catalogue_entry(const srt_catalogue_t *cat, size_t i);

/* The path the catalogue was loaded from (borrowed). */
const char *srt_catalogue_path(const srt_catalogue_t *cat);

/* Looks an entry up by id (exact match). Returns SRT_OK and *index, or
 * SRT_ERR_NOTFOUND (index untouched). */
srt_rc srt_catalogue_find(const srt_catalogue_t *cat, const char *id, size_t *index);

/* Selects equations from one spec string (the form the config stores):
 *   "a:b", "a:", ":b", ":", "a:b:step"  Python slice of the catalogue's list,
 *                                       negative indices count from the end,
 *                                       bounds clamped as Python does;
 *   "1,5,7"                             0-based indices (negative count from
 *                                       the end), out of range is an error;
 *   "I.6.2a,I.8.14"                     ids; lists may mix ids and indices.
 * Spaces around items are ignored. Then every equation whose compiled
 * expression uses one of remove_ops[0..n_remove_ops) is dropped; names are
 * resolved with srt_op_lookup ("arcsin" = "asin", "ln" = "log"). Matching is
 * on the compiled form: x**2 and x**3 are "square" and "cube", "^" matches the
 * other powers, "neg" a unary minus that was not folded into a constant.
 * On success *indices is a new array (caller frees) of *count >= 1 catalogue
 * indices in spec order. Errors (SRT_ERR_CONFIG, err->file/key left empty
 * for the caller): malformed spec, zero step, index out of range, unknown id
 * (with a "did you mean" hint), an equation selected twice, unknown operator
 * name, nothing selected; SRT_ERR_NOMEM. */
srt_rc srt_catalogue_select(const srt_catalogue_t *cat, const char *spec,
                            const char *const *remove_ops, size_t n_remove_ops, size_t **indices,
                            size_t *count, srt_err_t *err);

/* -------------------------------------------------------------- datasets */

/* A data set in column-major form: feature f of row i is cols[f][i] (the
 * columns need not be contiguous with each other). */
typedef struct srt_dataset {
    size_t nrows;     /* number of rows (samples) */
    size_t nfeatures; /* number of feature columns */
    double **cols;    /* nfeatures column pointers into one owned block */
    double *y;        /* nrows target values (owned) */
    char **names;     /* nfeatures feature names (owned) */
    char *target;     /* target name (owned) */
    double *w;        /* nrows row weights (owned), or NULL: a suite file's weights
                         column, carried along; the SR engine's loss does not use them yet */
    size_t mapped_cap; /* private to src/data: 0 when cols[0] owns one block of every feature
                          column and y, w are heap arrays; else each of them is its own
                          mapping of mapped_cap doubles (large suite files) */
} srt_dataset_t;

/* Allocates a data set of nrows x nfeatures zeros named x0.. and y.
 * *out is the new data set (free with srt_dataset_destroy), NULL on failure.
 * Errors: SRT_ERR_INVALID (nfeatures 0), SRT_ERR_NOMEM. */
srt_rc srt_dataset_create(size_t nrows, size_t nfeatures, srt_dataset_t **out, srt_err_t *err);

/* Frees a data set; *ds may be NULL; sets *ds = NULL. */
void srt_dataset_destroy(srt_dataset_t **ds);

/* Generates num_samples rows for a catalogue entry (sr-engine.md):
 * feature j uniform in [low[j], high[j]) for each variable (low + (high - low) *
 * gsl_rng_uniform: 32-bit resolution with mt19937); y = the formula
 * (srt_expr_eval); then, when noise > 0, y += N(0, noise * rms(y)) with
 * rms(y) = sqrt(mean(y^2)) of the noiseless y.
 * All randomness comes from one GSL mt19937 made by srt_rng_create(seed); the
 * caller passes seed = srt_seed_derive(study_seed, "data", dataset, eq, run).
 * Draw order (part of the on-disk contract): the num_samples uniforms of
 * variable 1 (row 0 first), then those of variable 2, ..., then the
 * num_samples gaussians (gsl_ran_gaussian) of the noise. So the same seed
 * gives the same bytes, and the same seed with another noise level gives the
 * same x and the same noiseless y.
 * Names are the entry's variable names and output. *out is a new data set
 * (free with srt_dataset_destroy), NULL on failure. Errors: SRT_ERR_INVALID
 * (num_samples 0, noise negative or not finite, entry without variables),
 * SRT_ERR_NUMERIC (the formula gives NaN or Inf at a row: the message names
 * the equation and the row's values), SRT_ERR_NOMEM. */
srt_rc srt_dataset_generate(const srt_catalogue_entry_t *entry, size_t num_samples, double noise,
                            uint64_t seed, srt_dataset_t **out, srt_err_t *err);

/* Reads a user CSV data set (libcsv): a header row of unique non-empty names,
 * then rows of numbers; BOM, CRLF and quoted fields accepted, spaces around
 * cells ignored, rows of only commas skipped. The target is the column named
 * target, or the last column when target is NULL; the others are features in
 * file order. *out is a new data set (free with srt_dataset_destroy), NULL on
 * failure. Errors name the place:
 *   SRT_ERR_NOTFOUND (no such file), SRT_ERR_IO;
 *   SRT_ERR_DATA: "data.csv: empty file", "data.csv: no data rows",
 *     "data.csv:1: no column named 'y' (columns: ...)",
 *     "data.csv:9: expected 4 fields, got 3",
 *     "data.csv:17: column 3 ('x2'): not a number: 'abc'" (also "empty value"
 *     and "not a finite number" for nan/inf), duplicate or empty column
 *     names, fewer than 2 columns, malformed quoting;
 *   SRT_ERR_NOMEM. */
srt_rc srt_dataset_load_csv(const char *path, const char *target, srt_dataset_t **out,
                            srt_err_t *err);

/* Writes ds as CSV: header = feature names then the target name (quoted when
 * needed), one row per sample, values with %.17g (reading it back with
 * srt_dataset_load_csv gives the same bits). Written durably with
 * srt_fs_write_atomic. Errors: SRT_ERR_IO, SRT_ERR_NOMEM. */
srt_rc srt_dataset_write_csv(const srt_dataset_t *ds, const char *path, srt_err_t *err);

/* ------------------------------------------------------ suite data files */

/* How a suite file (dataset.name "files") is read. */
typedef struct srt_table_opts {
    const char *target;           /* target column; NULL: "target" if present, else the last */
    const char *weights;          /* weights column; NULL: none */
    const char *const *exclude;   /* columns to ignore (never parsed) */
    size_t n_exclude;             /* entries in exclude */
    int drop_nonfinite;           /* drop rows with NaN/Inf in a used column (else an error) */
    size_t min_rows;              /* fewest data rows accepted; 0 means 10 */
} srt_table_opts_t;

/* The field delimiter of a suite file by its name: tab for .tsv, .tsv.gz,
 * .tab, .tab.gz; comma otherwise. */
char srt_table_delimiter(const char *path);

/* Reads a suite file: CSV or TSV (srt_table_delimiter), gzip-compressed or
 * not (zlib: detected from the bytes, so a .gz that is plain text reads too);
 * first non-blank line the header; blank lines skipped; a UTF-8 BOM, CRLF,
 * blanks and one pair of double quotes around a cell accepted. Features are
 * the columns other than target, weights and the excluded ones, in file order.
 * opts may be NULL (defaults). Errors name the file and the line, column and
 * column name where there are ones (SRT_ERR_DATA unless said):
 *   "x.tsv: cannot read: ..." (SRT_ERR_NOTFOUND when missing), "not a regular file",
 *   "empty file: no header row", "x.tsv:1: no header row: the first line is all numbers",
 *   "x.tsv:1: no target column named 'y' (columns: ...)", same for weights and excluded,
 *   "x.tsv:9: expected 4 fields, got 3",
 *   "x.tsv:17: column 3 ('x2'): not a number: 'abc'" (also "empty value", "not a finite
 *     number" unless opts->drop_nonfinite), a negative weight,
 *   "x.tsv.gz: truncated gzip stream (the file ends early), after line 812" (and zlib's
 *     message for a corrupt stream),
 *   "x.tsv: 7 data rows: at least 10 are needed", a constant target, all-zero weights;
 *   SRT_ERR_NOMEM. */
srt_rc srt_dataset_load_table(const char *path, const srt_table_opts_t *opts, srt_dataset_t **out,
                              srt_err_t *err);

/* k rows of ds drawn without replacement, kept in file order, from
 * srt_rng_create(seed) (GSL's gsl_ran_choose: selection sampling); all rows
 * (a copy) when k is 0 or >= nrows. Weights come along. The same (ds, k, seed)
 * gives the same rows on every rank and machine. */
srt_rc srt_dataset_subsample(const srt_dataset_t *ds, size_t k, uint64_t seed,
                             srt_dataset_t **out, srt_err_t *err);

/* ------------------------------------------------------------ instances */

/* THE name of an instance (one data set of a study): it names run
 * directories (<id>_run<r>), trials.csv columns and seeds. A catalogue
 * equation is "<dataset>_eq<index>" (eq_index >= 0: "feynman_eq52"); a suite
 * file (eq_index < 0) is its id, dataset = the file name without its
 * extension ("192_vineyard"). */
void srt_instance_id(char *buf, size_t size, const char *dataset, long eq_index);

#ifdef __cplusplus
}
#endif
#endif
