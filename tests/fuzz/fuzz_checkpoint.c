/*
 * Fuzz target: the SR engine's checkpoint reader (srt_sr__checkpoint_load,
 * what srt_sr_run calls on resume when run_dir/checkpoint.bin exists).
 *
 * A real checkpoint starts with a magic, a version, the precision and an
 * identity hash of (options, seed, data) and ends with a hash of its contents, so random bytes
 * never get past the first checks. The input's first byte picks a mode:
 *   0: the rest is the file as is;
 *   1: the rest is the body: the target adds the header of this search
 *      (magic, version, precision, identity) and the trailing hash;
 *   2: the rest is a list of 4-byte patches (24-bit offset, new byte) applied
 *      to the body of a checkpoint this search really saved, then re-hashed
 *      (so the corpus keeps working when the format changes).
 * The search is tiny (2 islands of 8, maxsize 10, 2 features, 16 rows). A
 * checkpoint that loads must be usable as a resumed run uses it: one island
 * runs, the front and hall of fame are computed, and it saves and loads again.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sr/sr_int.h"

#define NROWS 16
#define HEADER 32 /* magic, version, precision, identity */

static double block[3 * NROWS]; /* x0, x1, y */
static const double *cols[2];   /* feature columns into block */
static srt_sr_options_t opts;   /* the tiny search's options */
static srt_sr_data_t sdata;     /* its data */
static unsigned char *ref;      /* a checkpoint the search saved */
static size_t ref_len;          /* its length */

static void put_u64(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static srt_sr__search_t *new_search(void)
{
    srt_sr__search_t *s = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    if (srt_sr__search_create(&opts, &sdata, 11, &s, &err) != SRT_OK)
        fuzz_fail("fuzz_checkpoint: cannot create the search: %s", err.msg);
    return s;
}

static void setup(void)
{
    for (int i = 0; i < NROWS; i++) {
        double a = -2 + 0.25 * i, b = 1 + 0.1 * i;
        block[i] = a;
        block[NROWS + i] = b;
        block[2 * NROWS + i] = 1.5 * a * b + a;
    }
    cols[0] = block;
    cols[1] = block + NROWS;
    sdata.cols = cols;
    sdata.y = block + (size_t)2 * NROWS;
    sdata.nrows = NROWS;
    sdata.nfeatures = 2;
    sdata.names = NULL;
    srt_sr_options_default(&opts, SRT_SR_PRESET_PYSR1);
    opts.populations = 2;
    opts.population_size = 8;
    opts.ncycles_per_iteration = 4;
    opts.niterations = 3;
    opts.maxsize = 10;
    opts.tournament_selection_n = 4;
    opts.topn = 3;
    opts.optimizer_iterations = 2;
    opts.optimizer_nrestarts = 1;
    opts.n_unaops = 2;
    opts.unaops[0] = SRT_OP_SIN;
    opts.unaops[1] = SRT_OP_EXP;
    srt_sr__search_t *s = new_search();
    if (srt_sr__search_island(s) != SRT_OK)
        fuzz_fail("fuzz_checkpoint: the first island failed");
    srt_err_t err;
    srt_err_clear(&err);
    const char *path = fuzz_path("reference.bin");
    if (srt_sr__checkpoint_save(s, path, 123, &err) != SRT_OK)
        fuzz_fail("fuzz_checkpoint: cannot save: %s", err.msg);
    char *text = NULL;
    if (srt_fs_read_file(path, &text, &ref_len, &err) != SRT_OK || ref_len < HEADER + 8)
        fuzz_fail("fuzz_checkpoint: cannot read the reference checkpoint back");
    ref = (unsigned char *)text;
    srt_sr__search_destroy(&s);
    /* refreshes the mode-1 seed corpus/checkpoint/body-ref (header and hash
     * off) after a format change: tests/fuzz/README.md */
    const char *seed_out = getenv("SRTUNE_FUZZ_CHECKPOINT_SEED");
    if (seed_out && *seed_out) {
        FILE *f = fopen(seed_out, "wb");
        if (!f || fputc(1, f) == EOF ||
            fwrite(ref + HEADER, 1, ref_len - HEADER - 8, f) != ref_len - HEADER - 8 ||
            fclose(f) != 0)
            fuzz_fail("fuzz_checkpoint: cannot write %s", seed_out);
    }
}

/* The file for this input (caller frees), or NULL to skip it. */
static unsigned char *build(const uint8_t *data, size_t size, size_t *len)
{
    unsigned char *f = NULL;
    int mode = data[0] % 3;
    data++;
    size--;
    if (mode == 0) {
        f = malloc(size + 1);
        if (f && size)
            memcpy(f, data, size);
        *len = size;
    } else if (mode == 1) {
        *len = HEADER + size + 8;
        f = malloc(*len);
        if (f) {
            memcpy(f, ref, 24); /* magic, version and precision */
            put_u64(f + 24, srt_sr__identity(&opts, &sdata, 11));
            if (size)
                memcpy(f + HEADER, data, size);
        }
    } else {
        *len = ref_len;
        f = malloc(ref_len);
        if (f) {
            memcpy(f, ref, ref_len);
            size_t body = ref_len - HEADER - 8;
            for (size_t k = 0; k + 4 <= size; k += 4) {
                size_t off = ((size_t)data[k] << 16 | (size_t)data[k + 1] << 8 | data[k + 2]);
                f[HEADER + off % body] = data[k + 3];
            }
        }
    }
    if (!f)
        fuzz_fail("fuzz_checkpoint: out of memory");
    if (mode != 0)
        put_u64(f + *len - 8, srt_hash64(f, *len - 8, 7));
    return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_init();
    if (!ref)
        setup();
    if (size < 1 || size > (1u << 20))
        return 0;
    size_t len;
    unsigned char *file = build(data, size, &len);
    const char *path = fuzz_write("checkpoint.bin", file, len);
    free(file);
    srt_sr__search_t *s = new_search();
    uint64_t partial = 0;
    srt_err_t err;
    srt_err_clear(&err);
    srt_rc rc = srt_sr__checkpoint_load(s, path, &partial, &err);
    if (rc == SRT_OK) {
        if (srt_sr__search_island(s) != SRT_OK)
            fuzz_fail("checkpoint: the island after a resume failed");
        size_t keep[16];
        if (s->maxsize > 16)
            fuzz_fail("fuzz_checkpoint: maxsize too large");
        (void)srt_sr__search_front(s, keep);
        free(srt_sr__hof_csv(s));
        const char *again = fuzz_path("again.bin");
        srt_err_clear(&err);
        if (srt_sr__checkpoint_save(s, again, partial, &err) != SRT_OK)
            fuzz_fail("checkpoint: cannot save a resumed search: %s", err.msg);
        srt_sr__search_t *t = new_search();
        uint64_t p2 = 0;
        if (srt_sr__checkpoint_load(t, again, &p2, &err) != SRT_OK || p2 != partial)
            fuzz_fail("checkpoint: a resumed search's checkpoint does not load: %s", err.msg);
        srt_sr__search_destroy(&t);
    } else if (err.msg[0] == 0) {
        fuzz_fail("checkpoint: rejected (%s) without a message", srt_rc_str(rc));
    }
    srt_sr__search_destroy(&s);
    return 0;
}
