/*
 * Tests of the suite file reader (srt_dataset_load_table): CSV and TSV, plain
 * and gzip, default and named target, weights, excluded columns, dropped
 * non-finite rows, every refused file with its exact message, numbers equal
 * to strtod's to the bit, and the seeded subsample.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "srtune/data.h"
#include "testutil.h"

/* ---------------------------------------------------------------- helpers */

static char *tmp_path(const char *name)
{
    static int counter;
    char *p = malloc(4096);
    snprintf(p, 4096, "%s/%d_%s", srt_test_tmpdir(), counter++, name);
    return p;
}

static char *write_plain(const char *name, const char *text)
{
    char *p = tmp_path(name);
    FILE *f = fopen(p, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fwrite(text, 1, strlen(text), f);
    fclose(f);
    return p;
}

static char *write_gz(const char *name, const char *text)
{
    char *p = tmp_path(name);
    gzFile g = gzopen(p, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(g);
    CU_ASSERT_EQUAL(gzwrite(g, text, (unsigned)strlen(text)), (int)strlen(text));
    gzclose(g);
    return p;
}

/* "x,y\n" + n rows of "i,2i+1" with the given delimiter. */
static char *rows_text(size_t n, char d)
{
    char *s = malloc(64 + n * 48);
    size_t o = (size_t)sprintf(s, "a%cb%ctarget\n", d, d);
    for (size_t i = 0; i < n; i++)
        o += (size_t)sprintf(s + o, "%zu%c%g%c%zu\n", i, d, 0.5 * (double)i, d, 2 * i + 1);
    return s;
}

static srt_dataset_t *load_ok(const char *path, const srt_table_opts_t *o)
{
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_dataset_load_table(path, o, &ds, &err);
    if (rc != SRT_OK)
        fprintf(stderr, "load %s: %s\n", path, err.msg);
    CU_ASSERT_EQUAL(rc, SRT_OK);
    return ds;
}

/* Loads text (plain, named name) expecting failure: returns the formatted message. */
static const char *load_fail(const char *path, const srt_table_opts_t *o, srt_rc want)
{
    static char msg[2048];
    srt_dataset_t *ds = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_dataset_load_table(path, o, &ds, &err);
    CU_ASSERT_EQUAL(rc, want);
    CU_ASSERT_PTR_NULL(ds);
    srt_err_format(&err, msg, sizeof msg);
    return msg;
}

static int contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle)) {
        fprintf(stderr, "\n'%s'\n  does not contain\n'%s'\n", hay, needle);
        return 0;
    }
    return 1;
}

/* ------------------------------------------------------------------ tests */

static void csv_tsv_plain_and_gzip_read_the_same_values(void)
{
    const char *names[] = {"s.csv", "s.tsv", "s.csv.gz", "s.tsv.gz", "s.tab"};
    srt_dataset_t *ref = NULL;
    for (int k = 0; k < 5; k++) {
        char d = strstr(names[k], "csv") ? ',' : '\t';
        char *text = rows_text(25, d);
        char *p = strstr(names[k], ".gz") ? write_gz(names[k], text) : write_plain(names[k], text);
        srt_dataset_t *ds = load_ok(p, NULL);
        CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
        CU_ASSERT_EQUAL(ds->nrows, 25);
        CU_ASSERT_EQUAL(ds->nfeatures, 2);
        CU_ASSERT_STRING_EQUAL(ds->target, "target");
        CU_ASSERT_STRING_EQUAL(ds->names[0], "a");
        CU_ASSERT_STRING_EQUAL(ds->names[1], "b");
        CU_ASSERT_EQUAL(ds->y[24], 49.0);
        CU_ASSERT_EQUAL(ds->cols[1][3], 1.5);
        CU_ASSERT_PTR_NULL(ds->w);
        if (!ref) {
            ref = ds;
        } else {
            CU_ASSERT_EQUAL(memcmp(ref->cols[0], ds->cols[0], 50 * sizeof(double)), 0);
            CU_ASSERT_EQUAL(memcmp(ref->y, ds->y, 25 * sizeof(double)), 0);
            srt_dataset_destroy(&ds);
        }
        free(text);
        free(p);
    }
    srt_dataset_destroy(&ref);
}

static void a_gz_name_with_plain_text_and_bom_crlf_quotes_blank_lines_read(void)
{
    char text[4096] = "\xEF\xBB\xBF\"x 1\",\"y\"\r\n\r\n";
    for (int i = 0; i < 12; i++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, " %d , \"%d.25\" \r\n,,\n", i, i * i);
    }
    char *p = write_plain("plain.csv.gz", text);
    srt_dataset_t *ds = load_ok(p, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(ds->nrows, 12);
    CU_ASSERT_STRING_EQUAL(ds->names[0], "x 1");
    CU_ASSERT_STRING_EQUAL(ds->target, "y"); /* no "target" column: the last one */
    CU_ASSERT_EQUAL(ds->y[3], 9.25);
    CU_ASSERT_EQUAL(ds->cols[0][11], 11.0);
    srt_dataset_destroy(&ds);
    free(p);
}

static void target_weights_and_excluded_columns_pick_the_roles(void)
{
    char text[8192] = "id\ttarget\tw\tx\ty\n";
    for (int i = 0; i < 15; i++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "row%d\t%d\t%g\t%d\t%d\n", i, 100 + i, 0.5 + i, i,
                 3 * i);
    }
    char *p = write_gz("roles.tsv.gz", text);
    const char *excl[] = {"id"};
    srt_table_opts_t o = {0};
    o.exclude = excl;
    o.n_exclude = 1;
    o.weights = "w";
    srt_dataset_t *ds = load_ok(p, &o); /* default target: the column named target */
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(ds->nfeatures, 2);
    CU_ASSERT_STRING_EQUAL(ds->target, "target");
    CU_ASSERT_STRING_EQUAL(ds->names[0], "x");
    CU_ASSERT_STRING_EQUAL(ds->names[1], "y");
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds->w);
    CU_ASSERT_EQUAL(ds->w[2], 2.5);
    CU_ASSERT_EQUAL(ds->y[14], 114.0);
    srt_dataset_destroy(&ds);
    o.target = "y";
    ds = load_ok(p, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_STRING_EQUAL(ds->target, "y");
    CU_ASSERT_STRING_EQUAL(ds->names[0], "target");
    CU_ASSERT_EQUAL(ds->y[14], 42.0);
    srt_dataset_destroy(&ds);
    /* without the exclusion, the id column is a non-number */
    o.n_exclude = 0;
    CU_ASSERT(contains(load_fail(p, &o, SRT_ERR_DATA),
                       "roles.tsv.gz:2: column 1 ('id'): not a number: 'row0'"));
    free(p);
}

static void non_finite_rows_are_refused_or_dropped(void)
{
    char text[4096] = "x,y\n";
    for (int i = 0; i < 14; i++) {
        size_t o = strlen(text);
        snprintf(text + o, sizeof text - o, "%d,%s\n", i,
                 i == 4 ? "nan" : i == 9 ? "-inf" : i % 2 ? "1" : "2");
    }
    char *p = write_plain("nonfinite.csv", text);
    CU_ASSERT(contains(load_fail(p, NULL, SRT_ERR_DATA),
                       "nonfinite.csv:6: column 2 ('y'): not a finite number: 'nan' (set "
                       "dataset.drop_nonfinite_rows to drop such rows)"));
    srt_table_opts_t o = {0};
    o.drop_nonfinite = 1;
    srt_dataset_t *ds = load_ok(p, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(ds->nrows, 12);
    CU_ASSERT_EQUAL(ds->cols[0][4], 5.0); /* row 4 dropped */
    CU_ASSERT_EQUAL(ds->cols[0][11], 13.0);
    srt_dataset_destroy(&ds);
    free(p);
    /* dropping can leave too few rows */
    p = write_plain("fewleft.csv", "x,y\n1,1\n2,nan\n3,2\n4,1\n5,2\n6,1\n7,2\n8,1\n9,2\n10,1\n");
    CU_ASSERT(contains(load_fail(p, &o, SRT_ERR_DATA),
                       "fewleft.csv: 9 data rows left after dropping 1 with NaN or Inf (first on "
                       "line 3): at least 10 are needed"));
    free(p);
}

static void every_bad_file_is_refused_naming_the_file_and_place(void)
{
    struct {
        const char *name, *text, *want;
        const char *target, *weights;
    } cases[] = {
        {"empty.csv", "", "empty.csv: empty file: no header row", NULL, NULL},
        {"blank.csv", "\n\n  \n", "blank.csv: empty file: no header row", NULL, NULL},
        {"noheader.csv", "1,2\n3,4\n", "noheader.csv:1: no header row: the first line is all "
                                       "numbers", NULL, NULL},
        {"ragged.csv", "a,b\n1,2\n3\n", "ragged.csv:3: expected 2 fields, got 1", NULL, NULL},
        {"long.tsv", "a\tb\n1\t2\t3\n", "long.tsv:2: expected 2 fields, got 3", NULL, NULL},
        {"text.csv", "a,b\n1,2\n1,x2\n", "text.csv:3: column 2 ('b'): not a number: 'x2'", NULL,
         NULL},
        {"emptycell.csv", "a,b\n1,\n", "emptycell.csv:2: column 2 ('b'): empty value", NULL,
         NULL},
        {"inf.csv", "a,b\n1,2\ninf,2\n", "inf.csv:3: column 1 ('a'): not a finite number: 'inf'",
         NULL, NULL},
        {"dup.csv", "a,a\n1,2\n", "dup.csv:1: column 2: duplicate column name 'a' (also column 1)",
         NULL, NULL},
        {"onecol.csv", "a\n1\n", "onecol.csv:1: no feature columns", NULL, NULL},
        {"few.csv", "a,b\n1,2\n2,3\n", "few.csv: 2 data rows: at least 10 are needed", NULL, NULL},
        {"const.csv", "a,b\n1,5\n2,5\n3,5\n4,5\n5,5\n6,5\n7,5\n8,5\n9,5\n10,5\n",
         "const.csv: the target column 'b' is constant (5 in every row): nothing to fit", NULL,
         NULL},
        {"notarget.csv", "a,b\n1,2\n", "notarget.csv:1: no target column named 'y' (columns: a, b)",
         "y", NULL},
        {"noweights.csv", "a,b\n1,2\n",
         "noweights.csv:1: no weights column named 'w' (columns: a, b)", NULL, "w"},
        {"negweight.csv", "a,w,b\n1,1,2\n1,-1,2\n",
         "negweight.csv:3: column 2 ('w'): a weight must be >= 0, got -1", NULL, "w"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *p = write_plain(cases[i].name, cases[i].text);
        srt_table_opts_t o = {0};
        o.target = cases[i].target;
        o.weights = cases[i].weights;
        CU_ASSERT(contains(load_fail(p, &o, SRT_ERR_DATA), cases[i].want));
        free(p);
    }
    CU_ASSERT(contains(load_fail("/nonexistent/x.csv", NULL, SRT_ERR_NOTFOUND),
                       "/nonexistent/x.csv: cannot read: No such file or directory"));
    CU_ASSERT(contains(load_fail(srt_test_tmpdir(), NULL, SRT_ERR_DATA), "not a regular file"));
}

static void a_truncated_or_corrupt_gzip_stream_is_refused(void)
{
    char *text = rows_text(20000, '\t');
    char *p = write_gz("whole.tsv.gz", text);
    FILE *f = fopen(p, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    CU_ASSERT(n > 1000);
    char *q = tmp_path("cut.tsv.gz");
    f = fopen(q, "wb");
    fwrite(buf, 1, n / 2, f);
    fclose(f);
    const char *msg = load_fail(q, NULL, SRT_ERR_DATA);
    CU_ASSERT(contains(msg, "cut.tsv.gz: truncated gzip stream (the file ends early), after line"));
    /* only the 8-byte trailer missing: still truncated */
    f = fopen(q, "wb");
    fwrite(buf, 1, n - 8, f);
    fclose(f);
    CU_ASSERT(contains(load_fail(q, NULL, SRT_ERR_DATA), "truncated gzip stream"));
    /* a flipped byte in the middle: zlib's error, or the CRC */
    buf[n / 2] ^= 0x55;
    f = fopen(q, "wb");
    fwrite(buf, 1, n, f);
    fclose(f);
    srt_dataset_t *ds = NULL;
    CU_ASSERT_NOT_EQUAL(srt_dataset_load_table(q, NULL, &ds, NULL), SRT_OK);
    CU_ASSERT_PTR_NULL(ds);
    free(q);
    free(p);
    free(text);
}

static void numbers_have_the_bits_of_strtod(void)
{
    /* many shapes: short decimals (fast path), 17 digits, exponents, huge and tiny */
    const char *fixed[] = {"0",      "-0",        "1e22",        "1e23",      "9007199254740993",
                           "0.1",    "-.5",       "5.",          "+3.25e-3",  "1.7976931348623157e308",
                           "4.9e-324", "123456789012345678901234567890", "0.000000000000000000001",
                           "2.2250738585072014e-308", "1E5", "0x1p3"};
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    size_t nrand = 3000;
    char *text = malloc(64 * (nfixed + nrand) + 64);
    size_t o = (size_t)sprintf(text, "v,target\n");
    srand(7);
    char **vals = malloc((nfixed + nrand) * sizeof *vals);
    for (size_t i = 0; i < nfixed + nrand; i++) {
        char v[64];
        if (i < nfixed) {
            snprintf(v, sizeof v, "%s", fixed[i]);
        } else {
            double x = ((double)rand() / RAND_MAX - 0.5) * pow(10.0, rand() % 40 - 20);
            static const char *fmts[] = {"%.17g", "%.6g", "%.3f", "%.12e", "%g"};
            snprintf(v, sizeof v, fmts[i % 5], x);
        }
        vals[i] = strdup(v);
        o += (size_t)sprintf(text + o, "%s,%zu\n", v, i);
    }
    char *p = write_gz("bits.csv.gz", text);
    srt_dataset_t *ds = load_ok(p, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(ds->nrows, nfixed + nrand);
    int bad = 0;
    for (size_t i = 0; i < ds->nrows; i++) {
        double want = strtod(vals[i], NULL);
        if (memcmp(&want, &ds->cols[0][i], sizeof want) != 0 && bad++ < 5)
            fprintf(stderr, "'%s': got %.17g, strtod %.17g\n", vals[i], ds->cols[0][i], want);
    }
    CU_ASSERT_EQUAL(bad, 0);
    for (size_t i = 0; i < nfixed + nrand; i++)
        free(vals[i]);
    free(vals);
    srt_dataset_destroy(&ds);
    free(p);
    free(text);
}

static void lines_longer_than_a_read_block_and_no_final_newline_read(void)
{
    size_t ncol = 120000; /* a header line of about 1 MB */
    char *text = malloc(ncol * 40 + 64);
    size_t o = 0;
    for (size_t j = 0; j < ncol; j++)
        o += (size_t)sprintf(text + o, "%scolumn%zu", j ? "," : "", j);
    text[o++] = '\n';
    for (int r = 0; r < 10; r++) {
        for (size_t j = 0; j < ncol; j++)
            o += (size_t)sprintf(text + o, "%s%d", j ? "," : "", (int)((j + (size_t)r) % 7));
        if (r < 9)
            text[o++] = '\n';
    }
    text[o] = '\0';
    char *p = write_gz("wide.csv.gz", text);
    srt_dataset_t *ds = load_ok(p, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(ds->nrows, 10);
    CU_ASSERT_EQUAL(ds->nfeatures, ncol - 1);
    CU_ASSERT_EQUAL(ds->y[9], (double)((ncol - 1 + 9) % 7));
    srt_dataset_destroy(&ds);
    free(p);
    free(text);
}

static void subsamples_are_seeded_without_replacement_and_in_file_order(void)
{
    char *text = rows_text(500, ',');
    char *p = write_plain("sub.csv", text);
    char wtext[16384] = "x,w,target\n";
    for (int i = 0; i < 50; i++) {
        size_t o = strlen(wtext);
        snprintf(wtext + o, sizeof wtext - o, "%d,%d,%d\n", i, 1000 + i, i % 3);
    }
    char *wp = write_plain("subw.csv", wtext);
    srt_dataset_t *ds = load_ok(p, NULL), *a = NULL, *b = NULL, *c = NULL, *all = NULL;
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(srt_dataset_subsample(ds, 100, 42, &a, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_dataset_subsample(ds, 100, 42, &b, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_dataset_subsample(ds, 100, 43, &c, NULL), SRT_OK);
    CU_ASSERT_EQUAL(srt_dataset_subsample(ds, 900, 42, &all, NULL), SRT_OK);
    CU_ASSERT_FATAL(a && b && c && all);
    CU_ASSERT_EQUAL(a->nrows, 100);
    CU_ASSERT_EQUAL(all->nrows, 500);
    CU_ASSERT_EQUAL(memcmp(all->cols[0], ds->cols[0], 1000 * sizeof(double)), 0);
    CU_ASSERT_EQUAL(memcmp(a->cols[0], b->cols[0], 200 * sizeof(double)), 0);
    CU_ASSERT_EQUAL(memcmp(a->y, b->y, 100 * sizeof(double)), 0);
    CU_ASSERT_NOT_EQUAL(memcmp(a->cols[0], c->cols[0], 100 * sizeof(double)), 0);
    for (size_t i = 0; i < 100; i++) {
        /* column a holds the row number: rows distinct, ascending, and whole */
        if (i)
            CU_ASSERT(a->cols[0][i] > a->cols[0][i - 1]);
        CU_ASSERT_EQUAL(a->y[i], 2 * a->cols[0][i] + 1);
        CU_ASSERT_EQUAL(a->cols[1][i], 0.5 * a->cols[0][i]);
    }
    CU_ASSERT_STRING_EQUAL(a->names[1], "b");
    srt_dataset_destroy(&a);
    srt_dataset_destroy(&b);
    srt_dataset_destroy(&c);
    srt_dataset_destroy(&all);
    srt_dataset_destroy(&ds);
    srt_table_opts_t o = {0};
    o.weights = "w";
    ds = load_ok(wp, &o);
    CU_ASSERT_PTR_NOT_NULL_FATAL(ds);
    CU_ASSERT_EQUAL(srt_dataset_subsample(ds, 20, 9, &a, NULL), SRT_OK);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a->w);
    for (size_t i = 0; i < 20; i++)
        CU_ASSERT_EQUAL(a->w[i], 1000 + a->cols[0][i]);
    srt_dataset_destroy(&a);
    srt_dataset_destroy(&ds);
    free(wp);
    free(p);
    free(text);
}

static void instance_ids_name_catalogue_equations_and_files(void)
{
    char buf[64];
    srt_instance_id(buf, sizeof buf, "feynman", 52);
    CU_ASSERT_STRING_EQUAL(buf, "feynman_eq52");
    srt_instance_id(buf, sizeof buf, "192_vineyard", -1);
    CU_ASSERT_STRING_EQUAL(buf, "192_vineyard");
    CU_ASSERT_EQUAL(srt_table_delimiter("a/b.tsv.gz"), '\t');
    CU_ASSERT_EQUAL(srt_table_delimiter("a/b.csv.gz"), ',');
    CU_ASSERT_EQUAL(srt_table_delimiter("b.tab"), '\t');
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"csv_tsv_plain_and_gzip_read_the_same_values",
         csv_tsv_plain_and_gzip_read_the_same_values},
        {"a_gz_name_with_plain_text_and_bom_crlf_quotes_blank_lines_read",
         a_gz_name_with_plain_text_and_bom_crlf_quotes_blank_lines_read},
        {"target_weights_and_excluded_columns_pick_the_roles",
         target_weights_and_excluded_columns_pick_the_roles},
        {"non_finite_rows_are_refused_or_dropped", non_finite_rows_are_refused_or_dropped},
        {"every_bad_file_is_refused_naming_the_file_and_place",
         every_bad_file_is_refused_naming_the_file_and_place},
        {"a_truncated_or_corrupt_gzip_stream_is_refused",
         a_truncated_or_corrupt_gzip_stream_is_refused},
        {"numbers_have_the_bits_of_strtod", numbers_have_the_bits_of_strtod},
        {"lines_longer_than_a_read_block_and_no_final_newline_read",
         lines_longer_than_a_read_block_and_no_final_newline_read},
        {"subsamples_are_seeded_without_replacement_and_in_file_order",
         subsamples_are_seeded_without_replacement_and_in_file_order},
        {"instance_ids_name_catalogue_equations_and_files",
         instance_ids_name_catalogue_equations_and_files},
        {NULL, NULL},
    };
    return srt_test_main("data_table", cases);
}
