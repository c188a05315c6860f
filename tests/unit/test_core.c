/* Unit tests for core/: error formatting, hashing and seeds, durable writes,
 * mkdir -p / rm -rf, edit distance, logging levels, RNG seeding. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "srtune/core.h"
#include "testutil.h"

static char *tmp_path(const char *name)
{
    return srt_path_join(srt_test_tmpdir(), name);
}

static void write_plain(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    fputs(text, f);
    fclose(f);
}

static void rc_strings_come_from_one_list(void)
{
    CU_ASSERT_STRING_EQUAL(srt_rc_str(SRT_OK), "ok");
    CU_ASSERT_STRING_EQUAL(srt_rc_str(SRT_ERR_NOMEM), "out of memory");
    CU_ASSERT_STRING_EQUAL(srt_rc_str(SRT_ERR_INTERRUPTED), "interrupted");
    CU_ASSERT_STRING_EQUAL(srt_rc_str((srt_rc)9999), "unknown error");
    for (int i = 0; i < SRT_RC_COUNT_; i++)
        CU_ASSERT(strlen(srt_rc_str((srt_rc)i)) > 0);
}

static void error_format_names_file_key_and_line(void)
{
    srt_err_t err;
    char buf[2048];
    srt_err_clear(&err);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf), "ok");
    CU_ASSERT_EQUAL(srt_err_set(&err, SRT_ERR_CONFIG, "configs/x.json", "model.maxsize", 0,
                                "must be an integer in [%d, %d], got %g", 5, 256, 3.5),
                    SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "configs/x.json: model.maxsize: must be an integer in [5, 256], got 3.5");
    srt_err_set(&err, SRT_ERR_DATA, "data.csv", NULL, 17, "expected 5 fields, got 4");
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "data.csv:17: expected 5 fields, got 4");
    err.column = 3;
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "data.csv:17:3: expected 5 fields, got 4");
    srt_err_set(&err, SRT_ERR_IO, "out", NULL, 0, "cannot open");
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf), "out: cannot open");
    /* a NULL context is allowed and only returns the code */
    CU_ASSERT_EQUAL(srt_err_set(NULL, SRT_ERR_IO, NULL, NULL, 0, "x"), SRT_ERR_IO);
}

static void hash_is_stable_across_runs_and_platforms(void)
{
    /* Fixed values: these hashes are an on-disk contract (every seed depends
     * on them). If this test fails, results of existing studies would change. */
    CU_ASSERT_EQUAL(srt_hash64("", 0, 0), UINT64_C(0xEF46DB3751D8E999));
    CU_ASSERT_EQUAL(srt_hash64("a", 1, 0), UINT64_C(0xD24EC4F1A98C6E5B));
    CU_ASSERT_EQUAL(srt_hash64("abc", 3, 0), UINT64_C(0x44BC2CF5AD770999));
    const char *long_text = "Nobody inspects the spammish repetition";
    CU_ASSERT_EQUAL(srt_hash64(long_text, strlen(long_text), 0), UINT64_C(0xFBCEA83C8A378BF1));
}

static void hash_depends_on_every_byte_and_the_seed(void)
{
    char buf[100];
    memset(buf, 'x', sizeof buf);
    uint64_t base = srt_hash64(buf, sizeof buf, 7);
    for (size_t i = 0; i < sizeof buf; i++) {
        buf[i] = 'y';
        CU_ASSERT_NOT_EQUAL(srt_hash64(buf, sizeof buf, 7), base);
        buf[i] = 'x';
    }
    CU_ASSERT_NOT_EQUAL(srt_hash64(buf, sizeof buf, 8), base);
}

static void seed_derivation_separates_every_field(void)
{
    uint64_t s = srt_seed_derive(42, "data", "feynman", 3, 1);
    CU_ASSERT_EQUAL(s, srt_seed_derive(42, "data", "feynman", 3, 1));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(43, "data", "feynman", 3, 1));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(42, "search", "feynman", 3, 1));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(42, "data", "bonus", 3, 1));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(42, "data", "feynman", 4, 1));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(42, "data", "feynman", 3, 2));
    CU_ASSERT_NOT_EQUAL(s, srt_seed_derive(42, "data", NULL, 3, 1));
    /* field boundaries matter: ("ab","c") is not ("a","bc") */
    srt_hasher_t a, b;
    srt_hasher_init(&a, 0);
    srt_hasher_str(&a, "ab");
    srt_hasher_str(&a, "c");
    srt_hasher_init(&b, 0);
    srt_hasher_str(&b, "a");
    srt_hasher_str(&b, "bc");
    CU_ASSERT_NOT_EQUAL(srt_hasher_final(&a), srt_hasher_final(&b));
    /* the derived value itself is pinned (on-disk contract) */
    CU_ASSERT_EQUAL(srt_seed_derive(0, "data", "feynman", 0, 0),
                    srt_seed_derive(0, "data", "feynman", 0, 0));
}

static void seeds_pinned_values_do_not_change(void)
{
    /* Pinned once; if the derivation changes, every study's numbers change. */
    char buf[64];
    snprintf(buf, sizeof buf, "%016llx",
             (unsigned long long)srt_seed_derive(42, "data", "feynman", 3, 1));
    CU_ASSERT_STRING_EQUAL(buf, "9193b300558bda74");
}

static void rng_from_same_seed_gives_same_stream(void)
{
    gsl_rng *a = srt_rng_create(12345);
    gsl_rng *b = srt_rng_create(12345);
    gsl_rng *c = srt_rng_create(12346);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_PTR_NOT_NULL_FATAL(c);
    int differ = 0;
    for (int i = 0; i < 1000; i++) {
        unsigned long x = gsl_rng_get(a), y = gsl_rng_get(b), z = gsl_rng_get(c);
        CU_ASSERT_EQUAL(x, y);
        differ |= x != z;
    }
    CU_ASSERT(differ);
    srt_rng_reseed(a, 12345);
    srt_rng_reseed(b, 12345);
    CU_ASSERT_EQUAL(gsl_rng_get(a), gsl_rng_get(b));
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(c);
}

static void atomic_write_replaces_whole_file(void)
{
    char *p = tmp_path("atomic.txt");
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_fs_write_atomic(p, "first", 5, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(p, "second version", 14, &err), SRT_OK);
    char *text = NULL;
    size_t len = 0;
    CU_ASSERT_EQUAL(srt_fs_read_file(p, &text, &len, &err), SRT_OK);
    CU_ASSERT_EQUAL(len, 14);
    CU_ASSERT_STRING_EQUAL(text, "second version");
    free(text);
    /* no temp file left behind */
    char tmpname[4200];
    snprintf(tmpname, sizeof tmpname, "%s.tmp.%ld", p, (long)getpid());
    CU_ASSERT_FALSE(srt_fs_is_file(tmpname));
    free(p);
}

static void atomic_write_failure_keeps_old_bytes(void)
{
    char *p = tmp_path("keep.txt");
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_fs_write_atomic(p, "precious", 8, &err), SRT_OK);
    srt_fs_inject_enospc_after(3);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(p, "replacement text", 16, &err), SRT_ERR_IO);
    srt_fs_inject_enospc_after((size_t)-1);
    CU_ASSERT(strstr(err.msg, "No space left") != NULL);
    char *text = NULL;
    CU_ASSERT_EQUAL(srt_fs_read_file(p, &text, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(text, "precious");
    free(text);
    char tmpname[4200];
    snprintf(tmpname, sizeof tmpname, "%s.tmp.%ld", p, (long)getpid());
    CU_ASSERT_FALSE(srt_fs_is_file(tmpname));
    free(p);
}

static void atomic_write_into_missing_directory_fails_cleanly(void)
{
    char *p = tmp_path("no/such/dir/file.txt");
    srt_err_t err;
    srt_err_clear(&err);
    CU_ASSERT_EQUAL(srt_fs_write_atomic(p, "x", 1, &err), SRT_ERR_IO);
    CU_ASSERT_STRING_EQUAL(err.file, p);
    free(p);
}

static void read_missing_file_is_not_found(void)
{
    char *p = tmp_path("missing.txt");
    char *text = (char *)1;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_fs_read_file(p, &text, NULL, &err), SRT_ERR_NOTFOUND);
    CU_ASSERT_PTR_NULL(text);
    free(p);
}

static void mkdir_p_creates_nested_and_accepts_existing(void)
{
    char *p = tmp_path("a/b/c/d/");
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(p, &err), SRT_OK);
    CU_ASSERT(srt_fs_is_dir(p));
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(p, &err), SRT_OK);
    char *f = tmp_path("a/file");
    write_plain(f, "x");
    char *below = tmp_path("a/file/sub");
    CU_ASSERT_NOT_EQUAL(srt_fs_mkdir_p(f, &err), SRT_OK);
    CU_ASSERT_NOT_EQUAL(srt_fs_mkdir_p(below, &err), SRT_OK);
    free(p);
    free(f);
    free(below);
}

static void remove_tree_removes_everything_but_not_symlink_targets(void)
{
    srt_err_t err;
    char *root = tmp_path("tree");
    char *deep = tmp_path("tree/x/y/z");
    char *keep = tmp_path("outside.txt");
    char *file = tmp_path("tree/x/y/file.txt");
    char *link = tmp_path("tree/x/link");
    CU_ASSERT_EQUAL(srt_fs_mkdir_p(deep, &err), SRT_OK);
    write_plain(file, "data");
    write_plain(keep, "keep me");
    CU_ASSERT_EQUAL(symlink(keep, link), 0);
    CU_ASSERT_EQUAL(srt_fs_remove_tree(root, &err), SRT_OK);
    CU_ASSERT_FALSE(srt_fs_is_dir(root));
    CU_ASSERT(srt_fs_is_file(keep));
    CU_ASSERT_EQUAL(srt_fs_remove_tree(root, &err), SRT_OK); /* missing is fine */
    free(root);
    free(deep);
    free(keep);
    free(file);
    free(link);
}

static void path_helpers_join_and_split(void)
{
    char *p = srt_path_join("a/b", "c.json");
    CU_ASSERT_STRING_EQUAL(p, "a/b/c.json");
    free(p);
    p = srt_path_join("a/b/", "c");
    CU_ASSERT_STRING_EQUAL(p, "a/b/c");
    free(p);
    p = srt_path_join("a", "/abs");
    CU_ASSERT_STRING_EQUAL(p, "/abs");
    free(p);
    p = srt_path_dirname("configs/x.json");
    CU_ASSERT_STRING_EQUAL(p, "configs");
    free(p);
    p = srt_path_dirname("x.json");
    CU_ASSERT_STRING_EQUAL(p, ".");
    free(p);
    p = srt_path_dirname("/x.json");
    CU_ASSERT_STRING_EQUAL(p, "/");
    free(p);
}

static void edit_distance_finds_close_names(void)
{
    CU_ASSERT_EQUAL(srt_edit_distance("maxsize", "maxsize"), 0);
    CU_ASSERT_EQUAL(srt_edit_distance("maxsise", "maxsize"), 1);
    CU_ASSERT_EQUAL(srt_edit_distance("populatons", "populations"), 1);
    CU_ASSERT_EQUAL(srt_edit_distance("", "abc"), 3);
    CU_ASSERT_EQUAL(srt_edit_distance("kitten", "sitting"), 3);
}

static void log_levels_parse_and_warnings_are_counted(void)
{
    srt_log_level_t lvl;
    CU_ASSERT_EQUAL(srt_log_parse_level("debug", &lvl), SRT_OK);
    CU_ASSERT_EQUAL(lvl, SRT_LOG_DEBUG);
    CU_ASSERT_EQUAL(srt_log_parse_level("WARN", &lvl), SRT_OK);
    CU_ASSERT_EQUAL(lvl, SRT_LOG_WARN);
    CU_ASSERT_EQUAL(srt_log_parse_level("loud", &lvl), SRT_ERR_INVALID);
    srt_log_set_level(SRT_LOG_OFF);
    unsigned long before = srt_log_warning_count();
    SRT_WARN("a warning nobody sees: %d", 1);
    CU_ASSERT_EQUAL(srt_log_warning_count(), before + 1);
    srt_log_set_level(SRT_LOG_INFO);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"rc_strings_come_from_one_list", rc_strings_come_from_one_list},
        {"error_format_names_file_key_and_line", error_format_names_file_key_and_line},
        {"hash_is_stable_across_runs_and_platforms", hash_is_stable_across_runs_and_platforms},
        {"hash_depends_on_every_byte_and_the_seed", hash_depends_on_every_byte_and_the_seed},
        {"seed_derivation_separates_every_field", seed_derivation_separates_every_field},
        {"seeds_pinned_values_do_not_change", seeds_pinned_values_do_not_change},
        {"rng_from_same_seed_gives_same_stream", rng_from_same_seed_gives_same_stream},
        {"atomic_write_replaces_whole_file", atomic_write_replaces_whole_file},
        {"atomic_write_failure_keeps_old_bytes", atomic_write_failure_keeps_old_bytes},
        {"atomic_write_into_missing_directory_fails_cleanly",
         atomic_write_into_missing_directory_fails_cleanly},
        {"read_missing_file_is_not_found", read_missing_file_is_not_found},
        {"mkdir_p_creates_nested_and_accepts_existing", mkdir_p_creates_nested_and_accepts_existing},
        {"remove_tree_removes_everything_but_not_symlink_targets",
         remove_tree_removes_everything_but_not_symlink_targets},
        {"path_helpers_join_and_split", path_helpers_join_and_split},
        {"edit_distance_finds_close_names", edit_distance_finds_close_names},
        {"log_levels_parse_and_warnings_are_counted", log_levels_parse_and_warnings_are_counted},
        {NULL, NULL}};
    return srt_test_main("core", cases);
}
