/*
 * Fuzz target: the user CSV data set reader (dataset "csv" of a config,
 * `srtune fit --csv`). The input is the file; it is written to <tmp>/data.csv
 * and read with srt_dataset_load_csv, with the last column as the target and
 * with the column "y". A loaded data set must survive the round trip its
 * contract promises: srt_dataset_write_csv then srt_dataset_load_csv give the
 * same names and the same bits.
 */
#include <string.h>

#include "fuzz.h"
#include "srtune/data.h"

static void check_round_trip(const srt_dataset_t *ds)
{
    srt_err_t err;
    srt_err_clear(&err);
    const char *out = fuzz_path("written.csv");
    if (srt_dataset_write_csv(ds, out, &err) != SRT_OK)
        fuzz_fail("srt_dataset_write_csv: %s", err.msg);
    srt_dataset_t *back = NULL;
    if (srt_dataset_load_csv(out, ds->target, &back, &err) != SRT_OK)
        fuzz_fail("a written data set does not load: %s", err.msg);
    if (back->nrows != ds->nrows || back->nfeatures != ds->nfeatures ||
        strcmp(back->target, ds->target) != 0)
        fuzz_fail("round trip: shape or target name changed");
    for (size_t f = 0; f < ds->nfeatures; f++) {
        if (strcmp(back->names[f], ds->names[f]) != 0)
            fuzz_fail("round trip: column %zu name '%s' became '%s'", f, ds->names[f],
                      back->names[f]);
        if (memcmp(back->cols[f], ds->cols[f], ds->nrows * sizeof(double)) != 0)
            fuzz_fail("round trip: column %zu values changed", f);
    }
    if (memcmp(back->y, ds->y, ds->nrows * sizeof(double)) != 0)
        fuzz_fail("round trip: target values changed");
    srt_dataset_destroy(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_write("data.csv", data, size);
    static const char *const targets[] = {NULL, "y"};
    for (int t = 0; t < 2; t++) {
        srt_dataset_t *ds = NULL;
        srt_err_t err;
        srt_err_clear(&err);
        srt_rc rc = srt_dataset_load_csv(path, targets[t], &ds, &err);
        if (rc != SRT_OK) {
            if (ds)
                fuzz_fail("srt_dataset_load_csv: failed but returned a data set");
            if (err.msg[0] == 0)
                fuzz_fail("srt_dataset_load_csv: failed (%s) without a message", srt_rc_str(rc));
            continue;
        }
        if (ds->nrows == 0 || ds->nfeatures == 0)
            fuzz_fail("srt_dataset_load_csv: an empty data set loaded");
        check_round_trip(ds);
        srt_dataset_destroy(&ds);
    }
    return 0;
}
