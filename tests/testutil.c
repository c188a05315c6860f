/* Test helpers: see testutil.h. */
#include "testutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "srtune/core.h"

static char tmp_root[4096];

static void remove_tmp_root(void)
{
    if (tmp_root[0] && !getenv("SRTUNE_KEEP_TMP"))
        (void)srt_fs_remove_tree(tmp_root, NULL);
}

const char *srt_test_tmpdir(void)
{
    if (!tmp_root[0]) {
        const char *base = getenv("TMPDIR");
        snprintf(tmp_root, sizeof tmp_root, "%s/srtune-test-XXXXXX", base ? base : "/tmp");
        if (!mkdtemp(tmp_root)) {
            perror("mkdtemp");
            exit(2);
        }
        (void)atexit(remove_tmp_root);
    }
    return tmp_root;
}

char *srt_test_source_path(const char *rel)
{
    const char *root = getenv("SRTUNE_SOURCE_DIR");
#ifdef SRTUNE_SOURCE_DIR
    if (!root)
        root = SRTUNE_SOURCE_DIR;
#endif
    if (!root)
        root = ".";
    return srt_path_join(root, rel);
}

int srt_test_main(const char *suite_name, const srt_test_case_t *cases)
{
    if (CU_initialize_registry() != CUE_SUCCESS)
        return 2;
    CU_pSuite suite = CU_add_suite(suite_name, NULL, NULL);
    if (!suite) {
        CU_cleanup_registry();
        return 2;
    }
    for (const srt_test_case_t *c = cases; c->name; c++) {
        if (!CU_add_test(suite, c->name, c->fn)) {
            CU_cleanup_registry();
            return 2;
        }
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    unsigned ran = CU_get_number_of_tests_run();
    CU_cleanup_registry();
    /* CUnit's basic runner does not fail by itself; a suite that ran nothing fails too. */
    return (failures != 0 || ran == 0) ? 1 : 0;
}
