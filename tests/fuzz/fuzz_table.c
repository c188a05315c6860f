/*
 * Fuzz target: the suite file reader (dataset "files", src/data/tableread.c).
 * The input is the file; it is written as data.tsv, data.csv and data.tsv.gz
 * (the bytes as they are: zlib reads plain text and gzip streams alike, and
 * the corpus holds gzip files) and read with the default options, then with
 * a named target, weights and an excluded column and drop_nonfinite_rows. A
 * loaded data set must keep the reader's promises: at least 10 rows, a
 * feature, finite values, a target that is not constant, weights >= 0; and
 * its subsample must be rows of it.
 */
#include <math.h>
#include <string.h>

#include "fuzz.h"
#include "srtune/data.h"

static void check(const srt_dataset_t *ds)
{
    if (ds->nrows < 10 || ds->nfeatures == 0)
        fuzz_fail("loaded %zu rows x %zu features", ds->nrows, ds->nfeatures);
    int varies = 0;
    for (size_t i = 0; i < ds->nrows; i++) {
        for (size_t f = 0; f < ds->nfeatures; f++)
            if (!isfinite(ds->cols[f][i]))
                fuzz_fail("row %zu feature %zu is not finite", i, f);
        if (!isfinite(ds->y[i]) || (ds->w && !(ds->w[i] >= 0 && isfinite(ds->w[i]))))
            fuzz_fail("row %zu: a target or weight out of its contract", i);
        varies |= ds->y[i] != ds->y[0];
    }
    if (!varies)
        fuzz_fail("a constant target loaded");
    srt_dataset_t *sub = NULL;
    if (srt_dataset_subsample(ds, 10, 7, &sub, NULL) != SRT_OK)
        fuzz_fail("srt_dataset_subsample failed");
    for (size_t i = 0, j = 0; i < sub->nrows; i++, j++) {
        while (j < ds->nrows && memcmp(&ds->y[j], &sub->y[i], sizeof(double)) != 0)
            j++;
        if (j == ds->nrows)
            fuzz_fail("subsample row %zu is not a row of the data set, in order", i);
    }
    srt_dataset_destroy(&sub);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"data.tsv", "data.csv", "data.tsv.gz"};
    static const char *const excl[] = {"id"};
    for (int n = 0; n < 3; n++) {
        const char *path = fuzz_write(names[n], data, size);
        for (int k = 0; k < 2; k++) {
            srt_table_opts_t o;
            memset(&o, 0, sizeof o);
            if (k == 1) {
                o.target = "y";
                o.weights = "w";
                o.exclude = excl;
                o.n_exclude = 1;
                o.drop_nonfinite = 1;
            }
            srt_dataset_t *ds = NULL;
            srt_err_t err;
            srt_err_clear(&err);
            srt_rc rc = srt_dataset_load_table(path, &o, &ds, &err);
            if (rc != SRT_OK) {
                if (ds)
                    fuzz_fail("srt_dataset_load_table failed but returned a data set");
                if (!err.msg[0])
                    fuzz_fail("srt_dataset_load_table failed (%s) without a message",
                              srt_rc_str(rc));
                continue;
            }
            check(ds);
            srt_dataset_destroy(&ds);
        }
    }
    return 0;
}
