/*
 * Tests of the data module's data set side: deterministic generation from a
 * catalogue entry with noise, user CSV loading with exact error messages, and
 * the write -> read round trip.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/data.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

static srt_catalogue_t *feynman(void)
{
    char *path = srt_test_source_path("data/FeynmanEquations.csv");
    srt_catalogue_t *cat = NULL;
    CU_ASSERT_EQUAL(srt_catalogue_load(path, &cat, NULL), SRT_OK);
    free(path);
    return cat;
}

static const srt_catalogue_entry_t *entry(const srt_catalogue_t *cat, const char *id)
{
    size_t i = 0;
    if (srt_catalogue_find(cat, id, &i) != SRT_OK)
        return NULL;
    return srt_catalogue_entry(cat, i);
}

static srt_dataset_t *generate(const srt_catalogue_entry_t *e, size_t n, double noise,
                               uint64_t seed)
{
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_dataset_generate(e, n, noise, seed, &ds, &err);
    if (rc != SRT_OK)
        (void)fprintf(stderr, "generate: %s\n", err.msg);
    CU_ASSERT_EQUAL(rc, SRT_OK);
    return ds;
}

/* 1 when both data sets hold the same names and the same bits. */
static int same_bits(const srt_dataset_t *a, const srt_dataset_t *b)
{
    if (a->nrows != b->nrows || a->nfeatures != b->nfeatures || strcmp(a->target, b->target) != 0)
        return 0;
    for (size_t f = 0; f < a->nfeatures; f++)
        if (strcmp(a->names[f], b->names[f]) != 0 ||
            memcmp(a->cols[f], b->cols[f], a->nrows * sizeof(double)) != 0)
            return 0;
    return memcmp(a->y, b->y, a->nrows * sizeof(double)) == 0;
}

/* ------------------------------------------------------------- generation */

static void generation_with_one_seed_gives_identical_bytes(void)
{
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    const srt_catalogue_entry_t *e = entry(cat, "I.9.18");
    CU_ASSERT_FATAL(e != NULL);
    uint64_t seed = srt_seed_derive(42, "data", "feynman", 4, 0);
    srt_dataset_t *a = generate(e, 1000, 0.1, seed);
    srt_dataset_t *b = generate(e, 1000, 0.1, seed);
    srt_dataset_t *c = generate(e, 1000, 0.1, srt_seed_derive(42, "data", "feynman", 4, 1));
    CU_ASSERT_FATAL(a && b && c);
    CU_ASSERT(same_bits(a, b));
    CU_ASSERT(!same_bits(a, c));
    CU_ASSERT(memcmp(a->cols[0], c->cols[0], 1000 * sizeof(double)) != 0);
    CU_ASSERT_EQUAL(a->nrows, 1000);
    CU_ASSERT_EQUAL(a->nfeatures, 9);
    CU_ASSERT_STRING_EQUAL(a->names[0], "m1");
    CU_ASSERT_STRING_EQUAL(a->names[8], "z2");
    CU_ASSERT_STRING_EQUAL(a->target, "F");
    srt_dataset_destroy(&a);
    srt_dataset_destroy(&b);
    srt_dataset_destroy(&c);
    CU_ASSERT_PTR_NULL(a);
    srt_dataset_destroy(&a);
    srt_dataset_destroy(NULL);
    srt_catalogue_destroy(&cat);
}

static void generation_draw_order_is_pinned_by_golden_values(void)
{
    /* The data of a (study seed, equation, run) is part of the on-disk
     * contract: these bits change only when the draw order, the seed
     * derivation or the RNG changes (x is exact IEEE arithmetic on mt19937
     * output; y goes through libm, so it gets a tolerance). */
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    srt_dataset_t *d =
        generate(entry(cat, "I.6.2"), 5, 0.1, srt_seed_derive(2024, "data", "feynman", 1, 0));
    CU_ASSERT_FATAL(d != NULL);
    static const double sigma[3] = {0x1.41ab81d2p+1, 0x1.cfcf3f32p+0, 0x1.3590aa84p+0};
    static const double theta[3] = {0x1.0b26cea6p+1, 0x1.3a55f924p+1, 0x1.1e552781p+1};
    static const double y[3] = {0x1.a5a9b63a0f6edp-4, 0x1.24788f1572e0bp-4, 0x1.e99ac0645477bp-5};
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(d->cols[0][i], sigma[i]);
        CU_ASSERT_EQUAL(d->cols[1][i], theta[i]);
        SRT_ASSERT_CLOSE(d->y[i], y[i], 1e-14);
    }
    SRT_ASSERT_CLOSE(d->y[4], 0x1.bccced9f7198p-4, 1e-14);
    srt_dataset_destroy(&d);
    srt_catalogue_destroy(&cat);
}

static void generation_draws_each_variable_within_its_range_and_follows_the_formula(void)
{
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    for (size_t k = 0; k < srt_catalogue_count(cat); k++) {
        const srt_catalogue_entry_t *e = srt_catalogue_entry(cat, k);
        srt_dataset_t *ds = generate(e, 300, 0.0, 1000 + k);
        CU_ASSERT_FATAL(ds != NULL);
        for (size_t f = 0; f < e->nvars; f++) {
            double lo = INFINITY, hi = -INFINITY;
            for (size_t i = 0; i < ds->nrows; i++) {
                lo = fmin(lo, ds->cols[f][i]);
                hi = fmax(hi, ds->cols[f][i]);
            }
            CU_ASSERT(lo >= e->low[f] && hi <= e->high[f]);
            /* 300 uniform draws reach into the outer 5% at both ends. */
            double w = e->high[f] - e->low[f];
            CU_ASSERT(lo < e->low[f] + 0.05 * w && hi > e->high[f] - 0.05 * w);
        }
        double x[16];
        for (size_t i = 0; i < ds->nrows; i += 37) {
            for (size_t f = 0; f < e->nvars; f++)
                x[f] = ds->cols[f][i];
            SRT_ASSERT_CLOSE(ds->y[i], srt_expr_eval_point(&e->expr, x), 1e-13);
        }
        srt_dataset_destroy(&ds);
    }
    srt_catalogue_destroy(&cat);
}

static void noise_has_the_asked_scale_relative_to_the_rms_of_y(void)
{
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    const srt_catalogue_entry_t *e = entry(cat, "I.12.11");
    CU_ASSERT_FATAL(e != NULL);
    const size_t n = 20000;
    static const double levels[] = {0.01, 0.1, 1.0};
    srt_dataset_t *clean = generate(e, n, 0.0, 7);
    CU_ASSERT_FATAL(clean != NULL);
    double ss = 0;
    for (size_t i = 0; i < n; i++)
        ss += clean->y[i] * clean->y[i];
    double rms = sqrt(ss / (double)n);
    for (size_t k = 0; k < 3; k++) {
        srt_dataset_t *noisy = generate(e, n, levels[k], 7);
        CU_ASSERT_FATAL(noisy != NULL);
        /* Same seed: the same x (the noise is drawn after every variable). */
        for (size_t f = 0; f < e->nvars; f++)
            CU_ASSERT(memcmp(noisy->cols[f], clean->cols[f], n * sizeof(double)) == 0);
        double mean = 0, var = 0;
        for (size_t i = 0; i < n; i++)
            mean += noisy->y[i] - clean->y[i];
        mean /= (double)n;
        for (size_t i = 0; i < n; i++) {
            double d = noisy->y[i] - clean->y[i] - mean;
            var += d * d;
        }
        double sd = sqrt(var / (double)(n - 1)) / rms;
        CU_ASSERT(fabs(sd / levels[k] - 1.0) < 0.03);
        CU_ASSERT(fabs(mean / rms) < 4.0 * levels[k] / sqrt((double)n));
        srt_dataset_destroy(&noisy);
    }
    srt_dataset_destroy(&clean);
    srt_catalogue_destroy(&cat);
}

static void generation_rejects_bad_arguments_and_non_finite_values(void)
{
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    const srt_catalogue_entry_t *e = srt_catalogue_entry(cat, 0);
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_dataset_generate(e, 0, 0.0, 1, &ds, &err), SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_dataset_generate(e, 10, -0.1, 1, &ds, &err), SRT_ERR_INVALID);
    CU_ASSERT_EQUAL(srt_dataset_generate(e, 10, NAN, 1, &ds, &err), SRT_ERR_INVALID);
    CU_ASSERT_PTR_NULL(ds);
    srt_catalogue_destroy(&cat);

    char *path = srt_test_source_path("tests/data/csv/catalogue_nonfinite.csv");
    CU_ASSERT_EQUAL_FATAL(srt_catalogue_load(path, &cat, NULL), SRT_OK);
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_dataset_generate(srt_catalogue_entry(cat, 0), 10, 0.0, 1, &ds, &err),
                    SRT_ERR_NUMERIC);
    CU_ASSERT_PTR_NULL(ds);
    const char *want = "equation E.1: formula 'log(x)' is NaN at row 0: x=-";
    if (strncmp(err.msg, want, strlen(want)) != 0)
        (void)fprintf(stderr, "\n  got %s\n", err.msg);
    CU_ASSERT(strncmp(err.msg, want, strlen(want)) == 0);
    free(path);
    srt_catalogue_destroy(&cat);
}

/* ------------------------------------------------------------ CSV loading */

static void csv_with_bom_crlf_and_blank_rows_loads_with_the_last_column_as_target(void)
{
    char *path = srt_test_source_path("tests/data/csv/good_bom_crlf.csv");
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL_FATAL(srt_dataset_load_csv(path, NULL, &ds, &err), SRT_OK);
    CU_ASSERT_EQUAL(ds->nrows, 3);
    CU_ASSERT_EQUAL(ds->nfeatures, 2);
    CU_ASSERT_STRING_EQUAL(ds->names[0], "x1");
    CU_ASSERT_STRING_EQUAL(ds->names[1], "x2");
    CU_ASSERT_STRING_EQUAL(ds->target, "y");
    CU_ASSERT_EQUAL(ds->cols[0][1], 4.5);
    CU_ASSERT_EQUAL(ds->cols[1][1], -0.5);
    CU_ASSERT_EQUAL(ds->y[0], 3.0);
    CU_ASSERT_EQUAL(ds->y[2], 9.0);
    srt_dataset_destroy(&ds);

    /* A named target: the others stay features in file order. */
    CU_ASSERT_EQUAL_FATAL(srt_dataset_load_csv(path, "x1", &ds, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(ds->target, "x1");
    CU_ASSERT_STRING_EQUAL(ds->names[0], "x2");
    CU_ASSERT_STRING_EQUAL(ds->names[1], "y");
    CU_ASSERT_EQUAL(ds->y[1], 4.5);
    CU_ASSERT_EQUAL(ds->cols[1][2], 9.0);
    srt_dataset_destroy(&ds);
    free(path);
}

static void csv_errors_name_the_file_line_and_column(void)
{
    static const struct {
        const char *rel;    /* fixture */
        const char *target; /* target name or NULL */
        srt_rc rc;          /* expected code */
        const char *msg;    /* expected message after "<path>" */
    } cases[] = {
        {"ragged.csv", NULL, SRT_ERR_DATA, ":5: expected 4 fields, got 3"},
        {"text_cell.csv", NULL, SRT_ERR_DATA, ":3: column 2 ('x2'): not a number: 'abc'"},
        {"empty_cell.csv", NULL, SRT_ERR_DATA, ":3: column 2 ('x2'): empty value"},
        {"nan_cell.csv", NULL, SRT_ERR_DATA, ":2: column 2 ('x2'): not a finite number: 'nan'"},
        {"text_cell.csv", "yy", SRT_ERR_DATA, ":1: no column named 'yy' (columns: x1, x2, y)"},
        {"empty.csv", NULL, SRT_ERR_DATA, ": empty file"},
        {"header_only.csv", NULL, SRT_ERR_DATA, ": no data rows"},
        {"duplicate_header.csv", NULL, SRT_ERR_DATA,
         ":1: column 2: duplicate column name 'x1' (also column 1)"},
        {"open_quote.csv", NULL, SRT_ERR_DATA, ":2: malformed CSV: unterminated quoted field"},
        {"missing.csv", NULL, SRT_ERR_NOTFOUND, ": cannot open: No such file or directory"},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        char rel[256], want[2048], got[2048];
        (void)snprintf(rel, sizeof rel, "tests/data/csv/%s", cases[k].rel);
        char *path = srt_test_source_path(rel);
        srt_dataset_t *ds = NULL;
        srt_err_t err;
        srt_err_clear(&err);
        CU_ASSERT_EQUAL(srt_dataset_load_csv(path, cases[k].target, &ds, &err), cases[k].rc);
        CU_ASSERT_PTR_NULL(ds);
        (void)snprintf(want, sizeof want, "%s%s", path, cases[k].msg);
        srt_err_format(&err, got, sizeof got);
        if (strcmp(got, want) != 0)
            (void)fprintf(stderr, "\n  got  %s\n  want %s\n", got, want);
        CU_ASSERT_STRING_EQUAL(got, want);
        srt_dataset_destroy(&ds);
        free(path);
    }
}

/* ------------------------------------------------------------ CSV writing */

static void written_csv_reads_back_bit_for_bit(void)
{
    srt_catalogue_t *cat = feynman();
    CU_ASSERT_FATAL(cat != NULL);
    srt_dataset_t *a = generate(entry(cat, "I.41.16"), 500, 0.05, 99);
    CU_ASSERT_FATAL(a != NULL);
    /* Awkward values: negative zero, subnormal, huge, and a name that needs quotes. */
    a->cols[0][0] = -0.0;
    a->cols[1][1] = 4.9406564584124654e-324;
    a->y[2] = -1.7976931348623157e308;
    free(a->names[2]);
    a->names[2] = srt_strdup("h, \"Planck\"");
    char *path = srt_path_join(srt_test_tmpdir(), "round_trip.csv");
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL_FATAL(srt_dataset_write_csv(a, path, &err), SRT_OK);
    srt_dataset_t *b = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_dataset_load_csv(path, NULL, &b, &err), SRT_OK);
    CU_ASSERT(same_bits(a, b));
    CU_ASSERT(signbit(b->cols[0][0]));
    CU_ASSERT_STRING_EQUAL(b->names[2], "h, \"Planck\"");
    /* The header line is the variable names then the target. */
    char *text = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(path, &text, NULL, NULL), SRT_OK);
    const char *header = "omega,T,\"h, \"\"Planck\"\"\",kb,c,L_rad\n";
    if (text && strncmp(text, header, strlen(header)) != 0)
        (void)fprintf(stderr, "\n  got %.80s\n", text);
    CU_ASSERT(text && strncmp(text, header, strlen(header)) == 0);
    free(text);
    srt_dataset_destroy(&a);
    srt_dataset_destroy(&b);
    free(path);
    srt_catalogue_destroy(&cat);
}

static void dataset_create_makes_named_zeroed_columns(void)
{
    srt_dataset_t *ds = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_dataset_create(4, 3, &ds, NULL), SRT_OK);
    CU_ASSERT_STRING_EQUAL(ds->names[2], "x2");
    CU_ASSERT_STRING_EQUAL(ds->target, "y");
    CU_ASSERT_EQUAL(ds->cols[2][3], 0.0);
    CU_ASSERT_PTR_EQUAL(ds->cols[1], ds->cols[0] + 4);
    srt_dataset_destroy(&ds);
    CU_ASSERT_EQUAL(srt_dataset_create(4, 0, &ds, NULL), SRT_ERR_INVALID);
    CU_ASSERT_PTR_NULL(ds);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"generation_with_one_seed_gives_identical_bytes",
         generation_with_one_seed_gives_identical_bytes},
        {"generation_draw_order_is_pinned_by_golden_values",
         generation_draw_order_is_pinned_by_golden_values},
        {"generation_draws_each_variable_within_its_range_and_follows_the_formula",
         generation_draws_each_variable_within_its_range_and_follows_the_formula},
        {"noise_has_the_asked_scale_relative_to_the_rms_of_y",
         noise_has_the_asked_scale_relative_to_the_rms_of_y},
        {"generation_rejects_bad_arguments_and_non_finite_values",
         generation_rejects_bad_arguments_and_non_finite_values},
        {"csv_with_bom_crlf_and_blank_rows_loads_with_the_last_column_as_target",
         csv_with_bom_crlf_and_blank_rows_loads_with_the_last_column_as_target},
        {"csv_errors_name_the_file_line_and_column", csv_errors_name_the_file_line_and_column},
        {"written_csv_reads_back_bit_for_bit", written_csv_reads_back_bit_for_bit},
        {"dataset_create_makes_named_zeroed_columns", dataset_create_makes_named_zeroed_columns},
        {NULL, NULL},
    };
    return srt_test_main("data_dataset", cases);
}
