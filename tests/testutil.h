/*
 * Shared helpers for the CUnit test binaries: a main() driver, temporary
 * directories that are removed at exit, and paths into the source tree.
 */
#ifndef SRTUNE_TESTUTIL_H
#define SRTUNE_TESTUTIL_H

#include <CUnit/Basic.h>
#include <CUnit/CUnit.h>

typedef struct srt_test_case {
    const char *name; /* reads as a sentence: "hash_is_stable_across_runs" */
    void (*fn)(void); /* the test */
} srt_test_case_t;

/* Runs one suite of tests with CUnit's basic runner; returns the process exit
 * code (non-zero when any assertion failed). */
int srt_test_main(const char *suite, const srt_test_case_t *cases);

/* Fresh empty directory under $TMPDIR (removed at exit); static storage. */
const char *srt_test_tmpdir(void);
/* Heap path of a file in the source tree (SRTUNE_SOURCE_DIR or the compiled-in
 * source dir); caller frees. */
char *srt_test_source_path(const char *rel);

/* Relative-tolerance float check. */
#define SRT_ASSERT_CLOSE(a, b, rel)                                                                \
    CU_ASSERT(fabs((double)(a) - (double)(b)) <=                                                   \
              (rel) * fmax(1e-300, fmax(fabs((double)(a)), fabs((double)(b)))))

#endif
