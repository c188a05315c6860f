/*
 * Fuzz target: the equation catalogue reader. The input is a catalogue CSV
 * file (FeynmanEquations.csv's format); it is written to <tmp>/catalogue.csv
 * and read with srt_catalogue_load, as the config reader and `srtune data` do.
 * A loaded catalogue is then used the way a study uses it: equation
 * selections (slices, index and id lists, removed operators) and data
 * generation for its first entries.
 */
#include <stdlib.h>

#include "fuzz.h"
#include "srtune/data.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const specs[] = {":", "0:2", "-1:", "::-1", "0,-1", "1:100:3"};
    static const char *const remove[] = {"sin", "^", "neg"};
    const char *path = fuzz_write("catalogue.csv", data, size);
    srt_catalogue_t *cat = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_catalogue_load(path, &cat, &err);
    if (rc != SRT_OK) {
        if (cat)
            fuzz_fail("srt_catalogue_load: failed but returned a catalogue");
        if (err.msg[0] == 0)
            fuzz_fail("srt_catalogue_load: failed (%s) without a message", srt_rc_str(rc));
        return 0;
    }
    size_t n = srt_catalogue_count(cat);
    if (n == 0)
        fuzz_fail("srt_catalogue_load: an empty catalogue loaded");
    for (size_t i = 0; i < n; i++) {
        const srt_catalogue_entry_t *e = srt_catalogue_entry(cat, i);
        size_t found;
        if (!e || srt_catalogue_find(cat, e->id, &found) != SRT_OK || found != i)
            fuzz_fail("catalogue entry %zu: not found by its id", i);
        if (!srt_expr_is_valid(&e->expr, e->nvars ? e->nvars : 1))
            fuzz_fail("catalogue entry %s: invalid compiled formula", e->id);
        if (i < 3) {
            srt_dataset_t *ds = NULL;
            srt_err_clear(&err);
            if (srt_dataset_generate(e, 8, 0.01, 42 + i, &ds, &err) == SRT_OK && !ds)
                fuzz_fail("srt_dataset_generate: SRT_OK without a data set");
            srt_dataset_destroy(&ds);
        }
    }
    for (size_t s = 0; s < sizeof specs / sizeof *specs; s++) {
        for (size_t nr = 0; nr <= 3; nr += 3) {
            size_t *idx = NULL, count = 0;
            srt_err_clear(&err);
            if (srt_catalogue_select(cat, specs[s], remove, nr, &idx, &count, &err) == SRT_OK) {
                for (size_t k = 0; k < count; k++)
                    if (idx[k] >= n)
                        fuzz_fail("select '%s': index %zu out of range", specs[s], idx[k]);
            }
            free(idx);
        }
    }
    srt_catalogue_destroy(&cat);
    return 0;
}
