/*
 * Tests of src/config/: defaults and presets, the shipped configs, path
 * resolution, the canonical equation selection, the effective config and its
 * hashes, the relaunch guard, command-line SR options, and a catalogue of bad
 * configs (tests/data/configs/bad/, one file each) with the exact message a
 * user reads.
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/config.h"
#include "testutil.h"

/* ------------------------------------------------------------- helpers */

static char *tmp_path(const char *rel)
{
    return srt_path_join(srt_test_tmpdir(), rel);
}

static void write_text(const char *path, const char *text)
{
    char *dir = srt_path_dirname(path);
    CU_ASSERT_EQUAL_FATAL(srt_fs_mkdir_p(dir, NULL), SRT_OK);
    free(dir);
    CU_ASSERT_EQUAL_FATAL(srt_fs_write_atomic(path, text, strlen(text), NULL), SRT_OK);
}

static char *read_text(const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (srt_fs_read_file(path, &text, &len, NULL) != SRT_OK)
        return NULL;
    return text;
}

/* Writes a config with the given study name, output dir and the rest of the
 * sections (JSON members after "study"), and loads it. */
static srt_rc load_text(const char *rel, const char *text, srt_config_t **cfg, srt_err_t *err)
{
    char *path = tmp_path(rel);
    write_text(path, text);
    srt_rc rc = srt_config_load(path, cfg, NULL, err);
    free(path);
    return rc;
}

/* A small valid config around a model / search_space / dataset fragment. */
static srt_rc load_with(const char *dataset, const char *model, const char *space,
                        srt_config_t **cfg, srt_err_t *err)
{
    char text[8192];
    snprintf(text, sizeof text,
             "{\"study\": {\"name\": \"t\", \"output_dir\": \"out\"},\n"
             " \"dataset\": %s,\n \"model\": %s,\n \"search_space\": %s}\n",
             dataset ? dataset : "{\"name\": \"feynman\", \"equations\": \"0:3\"}",
             model ? model : "{}", space ? space : "{}");
    return load_text("frag/config.json", text, cfg, err);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Writes cfg's effective JSON to a file, loads it back and checks that both
 * hashes and the text survive. */
static void assert_round_trip(const srt_config_t *cfg)
{
    static int counter;
    char rel[64];
    snprintf(rel, sizeof rel, "roundtrip/%d/config.json", counter++);
    char *path = tmp_path(rel);
    char *json = srt_config_to_json(cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    write_text(path, json);
    srt_config_t *back = NULL;
    srt_config_errors_t errs;
    srt_err_t err;
    srt_config_errors_init(&errs);
    CU_ASSERT_EQUAL(srt_config_load(path, &back, &errs, &err), SRT_OK);
    srt_config_errors_print(&errs, stderr);
    if (back) {
        CU_ASSERT_EQUAL(srt_config_hash(back), srt_config_hash(cfg));
        CU_ASSERT_EQUAL(srt_config_study_hash(back), srt_config_study_hash(cfg));
        char *again = srt_config_to_json(back);
        CU_ASSERT_STRING_EQUAL(again, json);
        free(again);
    }
    srt_config_destroy(&back);
    srt_config_errors_fini(&errs);
    free(json);
    free(path);
}

/* --------------------------------------------------- defaults, presets */

static void minimal_config_gets_every_default(void)
{
    char *path = srt_test_source_path("tests/data/configs/good/minimal.json");
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(srt_config_load(path, &cfg, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(cfg->study.name, "minimal");
    CU_ASSERT_EQUAL(cfg->study.seed, 0);
    CU_ASSERT_EQUAL(cfg->study.n_trials, 100);
    CU_ASSERT_EQUAL(cfg->study.direction, SRT_DIRECTION_MAXIMIZE);
    CU_ASSERT_EQUAL(cfg->study.sampler.kind, SRT_SAMPLER_TPE);
    CU_ASSERT_EQUAL(cfg->study.sampler.n_startup_trials, 10);
    CU_ASSERT_EQUAL(cfg->study.sampler.constant_liar, 1);
    CU_ASSERT_EQUAL(cfg->study.sampler.multivariate, 0);
    CU_ASSERT_EQUAL(cfg->study.sampler.n_ei_candidates, 24);
    CU_ASSERT_EQUAL(cfg->study.pruner.kind, SRT_CONFIG_PRUNER_MEDIAN);
    CU_ASSERT_EQUAL(cfg->study.pruner.n_startup_trials, 5);
    CU_ASSERT_EQUAL(cfg->study.max_retries, 3);
    SRT_ASSERT_CLOSE(cfg->study.heartbeat_grace_s, 300.0, 1e-12);
    CU_ASSERT_EQUAL(cfg->dataset.kind, SRT_DATASET_FEYNMAN);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.name, "feynman");
    CU_ASSERT(ends_with(cfg->dataset.catalogue, "/data/FeynmanEquations.csv"));
    CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "0:100");
    CU_ASSERT_EQUAL(cfg->dataset.n_catalogue, 100);
    CU_ASSERT_EQUAL(cfg->dataset.n_runs, 1);
    CU_ASSERT_EQUAL(cfg->dataset.n_remove_ops, 0);
    CU_ASSERT_PTR_NULL(cfg->dataset.path);
    CU_ASSERT_EQUAL(cfg->preset, SRT_SR_PRESET_PYSR1);
    CU_ASSERT_EQUAL(cfg->model.maxsize, 30);
    CU_ASSERT_EQUAL(cfg->model.n_binops, 4);
    CU_ASSERT_EQUAL(cfg->space.n, 0);
    CU_ASSERT(cfg->study.output_dir[0] == '/');
    CU_ASSERT(ends_with(cfg->study.output_dir, "tests/data/configs/good/runs/minimal"));
    assert_round_trip(cfg);
    srt_config_destroy(&cfg);
    CU_ASSERT_PTR_NULL(cfg);
    srt_config_destroy(&cfg); /* NULL is fine */
    srt_config_destroy(NULL);
    free(path);
}

static void preset_pysr0_and_pysr1_give_their_defaults(void)
{
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(load_with(NULL, "{\"preset\": \"pysr-0\"}", NULL, &cfg, &err), SRT_OK);
    CU_ASSERT_EQUAL(cfg->preset, SRT_SR_PRESET_PYSR0);
    CU_ASSERT_EQUAL(cfg->model.maxsize, 20);
    CU_ASSERT_EQUAL(cfg->model.populations, 15);
    CU_ASSERT_EQUAL(cfg->model.niterations, 40);
    SRT_ASSERT_CLOSE(cfg->model.parsimony, 0.0032, 1e-12);
    SRT_ASSERT_CLOSE(cfg->model.tournament_selection_p, 0.86, 1e-12);
    assert_round_trip(cfg);
    srt_config_destroy(&cfg);

    CU_ASSERT_EQUAL_FATAL(
        load_with(NULL, "{\"preset\": \"pysr-1\", \"maxsize\": 25}", NULL, &cfg, &err), SRT_OK);
    CU_ASSERT_EQUAL(cfg->preset, SRT_SR_PRESET_PYSR1);
    CU_ASSERT_EQUAL(cfg->model.maxsize, 25); /* explicit value wins over the preset */
    CU_ASSERT_EQUAL(cfg->model.populations, 31);
    CU_ASSERT_EQUAL(cfg->model.niterations, 100);
    CU_ASSERT_EQUAL(cfg->model.parsimony, 0.0);
    CU_ASSERT(isnan(cfg->model.early_stop_condition));
    CU_ASSERT_EQUAL(srt_config_uses_timeout(cfg), 0);
    srt_config_destroy(&cfg);

    CU_ASSERT_EQUAL_FATAL(load_with(NULL, "{\"timeout_in_seconds\": 60}", NULL, &cfg, &err),
                          SRT_OK);
    CU_ASSERT_EQUAL(srt_config_uses_timeout(cfg), 1);
    srt_config_destroy(&cfg);
    CU_ASSERT_EQUAL_FATAL(load_with(NULL, NULL,
                                    "{\"timeout_in_seconds\": {\"type\": \"categorical\", "
                                    "\"choices\": [null, 30]}}",
                                    &cfg, &err),
                          SRT_OK);
    CU_ASSERT_EQUAL(srt_config_uses_timeout(cfg), 1);
    CU_ASSERT_EQUAL(cfg->space.params[0].choices[0].kind, SRT_CONFIG_CHOICE_NULL);
    CU_ASSERT_EQUAL(cfg->space.params[0].choices[1].kind, SRT_CONFIG_CHOICE_NUMBER);
    srt_config_destroy(&cfg);

    /* the preset applies first even when it comes last in the file */
    CU_ASSERT_EQUAL_FATAL(
        load_with(NULL, "{\"maxsize\": 25, \"preset\": \"pysr-0\"}", NULL, &cfg, &err), SRT_OK);
    CU_ASSERT_EQUAL(cfg->model.maxsize, 25);
    CU_ASSERT_EQUAL(cfg->model.populations, 15);
    srt_config_destroy(&cfg);
}

static void model_operators_and_optional_options_are_read(void)
{
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(
        load_with(NULL,
                  "{\"binary_operators\": [\"+\", \"*\", \"pow\"], \"unary_operators\": "
                  "[\"sin\", \"arcsin\", \"ln\"], \"early_stop_condition\": 1e-10, "
                  "\"timeout_in_seconds\": null, \"annealing\": true}",
                  NULL, &cfg, &err),
        SRT_OK);
    CU_ASSERT_EQUAL(cfg->model.n_binops, 3);
    CU_ASSERT_EQUAL(cfg->model.binops[2], SRT_OP_POW);
    CU_ASSERT_EQUAL(cfg->model.n_unaops, 3);
    CU_ASSERT_EQUAL(cfg->model.unaops[1], SRT_OP_ASIN);
    CU_ASSERT_EQUAL(cfg->model.unaops[2], SRT_OP_LOG);
    SRT_ASSERT_CLOSE(cfg->model.early_stop_condition, 1e-10, 1e-12);
    CU_ASSERT(isnan(cfg->model.timeout_in_seconds));
    CU_ASSERT_EQUAL(cfg->model.annealing, 1);
    char *json = srt_config_to_json(cfg);
    CU_ASSERT_PTR_NOT_NULL_FATAL(json);
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"binary_operators\":\t[\"+\", \"*\", \"^\"]"));
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"timeout_in_seconds\":\tnull"));
    free(json);
    srt_config_destroy(&cfg);
}

/* ------------------------------------------------------ shipped configs */

static void every_shipped_config_loads(void)
{
    char *dir = srt_test_source_path("configs");
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    int n = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with(de->d_name, ".json"))
            continue;
        char *path = srt_path_join(dir, de->d_name);
        srt_config_t *cfg = NULL;
        srt_config_errors_t errs;
        srt_err_t err;
        srt_config_errors_init(&errs);
        srt_rc rc = srt_config_load(path, &cfg, &errs, &err);
        if (rc != SRT_OK) {
            fprintf(stderr, "\n%s does not load:\n", de->d_name);
            srt_config_errors_print(&errs, stderr);
        }
        CU_ASSERT_EQUAL(rc, SRT_OK);
        CU_ASSERT_EQUAL(errs.count, 0);
        if (cfg)
            assert_round_trip(cfg);
        srt_config_errors_fini(&errs);
        srt_config_destroy(&cfg);
        free(path);
        n++;
    }
    closedir(d);
    free(dir);
    CU_ASSERT(n >= 3);
}

static void shipped_configs_hold_what_their_studies_need(void)
{
    char *path = srt_test_source_path("configs/quickstart.json");
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(srt_config_load(path, &cfg, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(cfg->study.name, "quickstart");
    CU_ASSERT(ends_with(cfg->study.output_dir, "/runs/quickstart"));
    CU_ASSERT_PTR_NULL(strstr(cfg->study.output_dir, "configs"));
    CU_ASSERT_EQUAL(cfg->study.n_trials, 6);
    CU_ASSERT_EQUAL(cfg->study.sampler.kind, SRT_SAMPLER_RANDOM);
    CU_ASSERT_EQUAL(cfg->study.pruner.kind, SRT_CONFIG_PRUNER_NONE);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "I.12.1,I.14.3,I.25.13");
    CU_ASSERT_EQUAL(cfg->model.niterations, 3);
    CU_ASSERT_EQUAL(cfg->model.n_unaops, 4);
    CU_ASSERT_EQUAL(cfg->space.n, 4);
    /* sorted by name */
    CU_ASSERT_STRING_EQUAL(cfg->space.params[0].name, "annealing");
    CU_ASSERT_EQUAL(cfg->space.params[0].kind, SRT_CONFIG_PARAM_CATEGORICAL);
    CU_ASSERT_STRING_EQUAL(cfg->space.params[1].name, "parsimony");
    CU_ASSERT_EQUAL(cfg->space.params[1].log, 1);
    CU_ASSERT_EQUAL(cfg->space.params[2].kind, SRT_CONFIG_PARAM_INT);
    CU_ASSERT_EQUAL(cfg->space.params[2].step, 1.0);
    srt_config_destroy(&cfg);
    free(path);

    path = srt_test_source_path("configs/feynman-pv.json");
    CU_ASSERT_EQUAL_FATAL(srt_config_load(path, &cfg, NULL, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "0:100");
    CU_ASSERT_EQUAL(cfg->study.n_trials, 200);
    CU_ASSERT_EQUAL(cfg->study.sampler.multivariate, 1);
    const srt_config_param_t *simplex = NULL;
    for (size_t i = 0; i < cfg->space.n; i++)
        if (cfg->space.params[i].kind == SRT_CONFIG_PARAM_SIMPLEX)
            simplex = &cfg->space.params[i];
    CU_ASSERT_PTR_NOT_NULL_FATAL(simplex);
    CU_ASSERT_EQUAL(simplex->n_keys, 10);
    SRT_ASSERT_CLOSE(simplex->total, 10.0, 1e-12);
    srt_config_destroy(&cfg);
    free(path);

    path = srt_test_source_path("configs/bonus.json");
    CU_ASSERT_EQUAL_FATAL(srt_config_load(path, &cfg, NULL, &err), SRT_OK);
    CU_ASSERT_EQUAL(cfg->dataset.kind, SRT_DATASET_BONUS);
    CU_ASSERT(ends_with(cfg->dataset.catalogue, "/BonusEquations.csv"));
    CU_ASSERT_EQUAL(cfg->dataset.n_catalogue, 20);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "0:20");
    srt_config_destroy(&cfg);
    free(path);
}

/* ------------------------------------------------------------- paths */

static void relative_paths_resolve_against_the_config_directory(void)
{
    char *cat = tmp_path("paths/a/b/data/cat.csv");
    write_text(cat, "Filename,Number\nA.1,1\nA.2,2\n\"A,3\",3\n,,\n");
    char *csv = tmp_path("paths/a/b/mine.csv");
    write_text(csv, "x,y\n1,2\n");
    srt_config_t *cfg = NULL;
    srt_err_t err;
    char text[4096];
    snprintf(text, sizeof text,
             "{\"study\": {\"name\": \"p\", \"output_dir\": \"../out/./x\"},"
             " \"dataset\": {\"name\": \"feynman\", \"catalogue\": \"data/cat.csv\"}}");
    CU_ASSERT_EQUAL_FATAL(load_text("paths/a/b/c.json", text, &cfg, &err), SRT_OK);
    char *want_out = tmp_path("paths/a/out/x");
    CU_ASSERT_STRING_EQUAL(cfg->study.output_dir, want_out);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.catalogue, cat);
    CU_ASSERT_EQUAL(cfg->dataset.n_catalogue, 3); /* quoted id, blank row skipped */
    CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "0:3");
    srt_config_destroy(&cfg);

    /* absolute stays absolute; csv datasets resolve their path too */
    snprintf(text, sizeof text,
             "{\"study\": {\"name\": \"p\", \"output_dir\": \"%s\"},"
             " \"dataset\": {\"name\": \"csv\", \"path\": \"mine.csv\", \"target\": \"y\"}}",
             want_out);
    CU_ASSERT_EQUAL_FATAL(load_text("paths/a/b/d.json", text, &cfg, &err), SRT_OK);
    CU_ASSERT_STRING_EQUAL(cfg->study.output_dir, want_out);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.path, csv);
    CU_ASSERT_STRING_EQUAL(cfg->dataset.target, "y");
    CU_ASSERT_PTR_NULL(cfg->dataset.catalogue);
    CU_ASSERT_PTR_NULL(cfg->dataset.equations);
    assert_round_trip(cfg);
    srt_config_destroy(&cfg);
    free(want_out);
    free(cat);
    free(csv);
}

static void data_dir_environment_variable_locates_the_catalogues(void)
{
    char *dir = tmp_path("datadir");
    char *cat = srt_path_join(dir, "FeynmanEquations.csv");
    write_text(cat, "Filename,Number\nX.1,1\nX.2,2\n");
    CU_ASSERT_EQUAL(setenv("SRTUNE_DATA_DIR", dir, 1), 0);
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL(load_with("{\"name\": \"feynman\"}", NULL, NULL, &cfg, &err), SRT_OK);
    if (cfg) {
        CU_ASSERT_STRING_EQUAL(cfg->dataset.catalogue, cat);
        CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, "0:2");
    }
    srt_config_destroy(&cfg);
    CU_ASSERT_EQUAL(unsetenv("SRTUNE_DATA_DIR"), 0);
    free(cat);
    free(dir);
}

/* ----------------------------------------------------------- equations */

static void equation_selections_become_canonical_strings(void)
{
    static const struct {
        const char *spec;
        const char *canonical;
    } cases[] = {
        {"\"0:100\"", "0:100"},
        {"\":3\"", "0:3"},
        {"\"97:\"", "97:100"},
        {"\"-3:\"", "97:100"},
        {"\"-5:-3\"", "95:97"},
        {"\"0:1000\"", "0:100"},
        {"\"::50\"", "0,50"},
        {"\"2:0:-1\"", "2,1"},
        {"\" 1 : 3 \"", "1:3"},
        {"[5, 6, 7]", "5:8"},
        {"[7, 1, 5]", "7,1,5"},
        {"[-1]", "99:100"},
        {"[\"I.6.2a\", \"I.8.14\"]", "I.6.2a,I.8.14"},
        {"\"I.6.2a, I.8.14\"", "I.6.2a,I.8.14"},
        {"\"7,1,5\"", "7,1,5"},
        {"\"3\"", "3:4"},
        {"\"-1\"", "99:100"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char ds[256];
        snprintf(ds, sizeof ds, "{\"name\": \"feynman\", \"equations\": %s}", cases[i].spec);
        srt_config_t *cfg = NULL;
        srt_err_t err;
        srt_rc rc = load_with(ds, NULL, NULL, &cfg, &err);
        CU_ASSERT_EQUAL(rc, SRT_OK);
        if (rc != SRT_OK) {
            char buf[2048];
            fprintf(stderr, "\n%s: %s\n", cases[i].spec, srt_err_format(&err, buf, sizeof buf));
            continue;
        }
        if (strcmp(cfg->dataset.equations, cases[i].canonical) != 0)
            fprintf(stderr, "\n%s -> %s, want %s\n", cases[i].spec, cfg->dataset.equations,
                    cases[i].canonical);
        CU_ASSERT_STRING_EQUAL(cfg->dataset.equations, cases[i].canonical);
        srt_config_destroy(&cfg);
    }
}

static void equal_selections_give_equal_hashes(void)
{
    srt_config_t *a = NULL, *b = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(
        load_with("{\"name\": \"feynman\", \"equations\": [0, 1, 2]}", NULL, NULL, &a, &err),
        SRT_OK);
    CU_ASSERT_EQUAL_FATAL(
        load_with("{\"name\": \"feynman\", \"equations\": \"-100:3\"}", NULL, NULL, &b, &err),
        SRT_OK);
    CU_ASSERT_EQUAL(srt_config_hash(a), srt_config_hash(b));
    CU_ASSERT_EQUAL(srt_config_study_hash(a), srt_config_study_hash(b));
    srt_config_destroy(&b);
    /* search-space key order does not matter either */
    CU_ASSERT_EQUAL_FATAL(
        load_with(NULL, NULL,
                  "{\"alpha\": {\"type\": \"float\", \"low\": 0.1, \"high\": 1},"
                  " \"annealing\": {\"type\": \"categorical\", \"choices\": [true, false]}}",
                  &b, &err),
        SRT_OK);
    srt_config_t *c = NULL;
    CU_ASSERT_EQUAL_FATAL(
        load_with(NULL, NULL,
                  "{\"annealing\": {\"type\": \"categorical\", \"choices\": [true, false]},"
                  " \"alpha\": {\"type\": \"float\", \"low\": 0.1, \"high\": 1}}",
                  &c, &err),
        SRT_OK);
    CU_ASSERT_EQUAL(srt_config_hash(b), srt_config_hash(c));
    CU_ASSERT_NOT_EQUAL(srt_config_hash(a), srt_config_hash(c));
    srt_config_destroy(&a);
    srt_config_destroy(&b);
    srt_config_destroy(&c);
}

/* ----------------------------------------------- effective config, relaunch */

static const char *relaunch_template =
    "{\"study\": {\"name\": \"r\", \"output_dir\": \"runs/r\", \"seed\": 5, \"n_trials\": %d},\n"
    " \"dataset\": {\"name\": \"feynman\", \"equations\": \"0:4\", \"n_runs\": 2},\n"
    " \"model\": {\"maxsize\": %d, \"unary_operators\": [\"sin\"]},\n"
    " \"search_space\": {\"parsimony\": {\"type\": \"float\", \"low\": 1e-5, \"high\": %s, "
    "\"log\": true},\n"
    "   \"w\": {\"type\": \"simplex\", \"keys\": [\"weight_add_node\", \"weight_delete_node\"],"
    " \"total\": 3}}}\n";

/* Each test passes its own directory, so no test depends on another's files. */
static srt_config_t *load_relaunch(const char *dir, int n_trials, int maxsize, const char *high)
{
    char text[4096], rel[256];
    snprintf(text, sizeof text, relaunch_template, n_trials, maxsize, high);
    snprintf(rel, sizeof rel, "%s/study.json", dir);
    srt_config_t *cfg = NULL;
    srt_err_t err;
    srt_rc rc = load_text(rel, text, &cfg, &err);
    if (rc != SRT_OK) {
        char buf[2048];
        fprintf(stderr, "\n%s\n", srt_err_format(&err, buf, sizeof buf));
    }
    return cfg;
}

static void effective_config_round_trips_with_the_same_hash(void)
{
    srt_config_t *cfg = load_relaunch("relaunch0", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL(srt_config_check_existing(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_NONE);
    CU_ASSERT_EQUAL_FATAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_NONE);
    char *written = srt_path_join(cfg->study.output_dir, "config.json");
    srt_config_t *back = NULL;
    srt_config_errors_t errs;
    srt_config_errors_init(&errs);
    CU_ASSERT_EQUAL(srt_config_load(written, &back, &errs, &err), SRT_OK);
    srt_config_errors_print(&errs, stderr);
    srt_config_errors_fini(&errs);
    CU_ASSERT_PTR_NOT_NULL_FATAL(back);
    CU_ASSERT_EQUAL(srt_config_hash(back), srt_config_hash(cfg));
    CU_ASSERT_EQUAL(srt_config_study_hash(back), srt_config_study_hash(cfg));
    char *a = srt_config_to_json(cfg), *b = srt_config_to_json(back);
    CU_ASSERT_STRING_EQUAL(a, b);
    char *file = read_text(written);
    CU_ASSERT_STRING_EQUAL(file, a);
    char hex[64];
    snprintf(hex, sizeof hex, "\"config_hash\":\t\"%016llx\"",
             (unsigned long long)srt_config_hash(cfg));
    CU_ASSERT_PTR_NOT_NULL(strstr(file, hex));
    /* tuned options are not repeated in model; every other one is */
    CU_ASSERT_PTR_NULL(strstr(file, "\"parsimony\":\t0"));
    CU_ASSERT_PTR_NULL(strstr(file, "\"weight_add_node\":\t"));
    CU_ASSERT_PTR_NOT_NULL(strstr(file, "\"weight_rotate_tree\":\t"));
    CU_ASSERT_PTR_NOT_NULL(strstr(file, "\"maxsize\":\t25"));
    free(file);
    free(a);
    free(b);
    free(written);
    srt_config_destroy(&back);
    srt_config_destroy(&cfg);
}

static void relaunch_with_the_same_config_is_accepted(void)
{
    srt_config_t *cfg = load_relaunch("relaunch1", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_SAME);
    CU_ASSERT_EQUAL(srt_config_check_existing(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_SAME);
    srt_config_destroy(&cfg);
}

static void relaunch_with_more_trials_is_accepted_and_recorded(void)
{
    srt_config_t *cfg = load_relaunch("relaunch2", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL_FATAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    srt_config_destroy(&cfg);
    cfg = load_relaunch("relaunch2", 50, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(srt_config_check_existing(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_CHANGED);
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_CHANGED);
    char *path = srt_path_join(cfg->study.output_dir, "config.json");
    char *file = read_text(path);
    CU_ASSERT_PTR_NOT_NULL(strstr(file, "\"n_trials\":\t50"));
    free(file);
    free(path);
    srt_config_destroy(&cfg);
    /* back to 10 trials: accepted again */
    cfg = load_relaunch("relaunch2", 10, 25, "0.1");
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    srt_config_destroy(&cfg);
}

static void relaunch_with_changed_study_keys_is_refused_naming_them(void)
{
    srt_config_t *cfg = load_relaunch("relaunch3", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL_FATAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    char *path = srt_path_join(cfg->study.output_dir, "config.json");
    char *before = read_text(path);
    srt_config_destroy(&cfg);

    cfg = load_relaunch("relaunch3", 10, 26, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_ERR_MISMATCH);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_MISMATCH);
    char buf[2048], want[1024];
    srt_err_format(&err, buf, sizeof buf);
    snprintf(want, sizeof want,
             "%s: study-defining keys differ from the existing study: model.maxsize (", path);
    CU_ASSERT_PTR_NOT_NULL(strstr(buf, want));
    char *after = read_text(path);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(after);
    srt_config_destroy(&cfg);

    cfg = load_relaunch("relaunch3", 10, 26, "0.2");
    CU_ASSERT_EQUAL(srt_config_check_existing(cfg, &st, &err), SRT_ERR_MISMATCH);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_MISMATCH);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, ": model.maxsize, search_space.parsimony.high ("));
    after = read_text(path);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(after);
    srt_config_destroy(&cfg);
    free(before);
    free(path);
}

/* A config on a catalogue at cat_rel (relative to the config), output in out_abs. */
static srt_config_t *load_on_catalogue(const char *config_rel, const char *cat_rel,
                                       const char *out_abs)
{
    char text[4096];
    srt_config_t *cfg = NULL;
    srt_err_t err;
    snprintf(text, sizeof text,
             "{\"study\": {\"name\": \"m\", \"output_dir\": \"%s\"},"
             " \"dataset\": {\"name\": \"feynman\", \"catalogue\": \"%s\"}}",
             out_abs, cat_rel);
    if (load_text(config_rel, text, &cfg, &err) != SRT_OK)
        return NULL;
    return cfg;
}

static void moved_data_are_the_same_study_changed_data_are_not(void)
{
    static const char *const rows = "Filename,Number\nA.1,1\nA.2,2\n";
    char *cat1 = tmp_path("moved/one/cat.csv"), *cat2 = tmp_path("moved/two/cat.csv");
    char *out = tmp_path("moved/out");
    write_text(cat1, rows);
    write_text(cat2, rows);
    srt_err_t err;
    srt_config_existing_t st;
    srt_config_t *a = load_on_catalogue("moved/one/c.json", "cat.csv", out);
    srt_config_t *b = load_on_catalogue("moved/two/c.json", "cat.csv", out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_NOT_EQUAL(a->data_hash, 0);
    CU_ASSERT_EQUAL(a->data_hash, b->data_hash);
    CU_ASSERT_EQUAL(srt_config_study_hash(a), srt_config_study_hash(b));
    CU_ASSERT_NOT_EQUAL(srt_config_hash(a), srt_config_hash(b)); /* the paths differ */
    CU_ASSERT_EQUAL_FATAL(srt_config_write_effective(a, &st, &err), SRT_OK);
    /* the same files elsewhere (a moved checkout): resumes, config.json takes the new path */
    CU_ASSERT_EQUAL(srt_config_write_effective(b, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_CHANGED);
    char *path = srt_path_join(out, "config.json");
    char *file = read_text(path);
    CU_ASSERT_PTR_NOT_NULL(file && strstr(file, cat2));
    CU_ASSERT_PTR_NOT_NULL(file && strstr(file, "\"data_hash\":"));
    free(file);
    srt_config_destroy(&b);
    /* other contents under the same path: refused, naming the data */
    write_text(cat2, "Filename,Number\nA.1,1\nA.3,2\n");
    b = load_on_catalogue("moved/two/c.json", "cat.csv", out);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    CU_ASSERT_NOT_EQUAL(a->data_hash, b->data_hash);
    CU_ASSERT_EQUAL(srt_config_check_existing(b, &st, &err), SRT_ERR_MISMATCH);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "data_hash (the contents of the catalogue or CSV)"));
    srt_config_destroy(&b);
    /* a config.json written before data_hash existed is compared by its paths */
    char *text = srt_config_to_json(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    char *h = strstr(text, "\"data_hash\":");
    CU_ASSERT_PTR_NOT_NULL_FATAL(h);
    char *eol = strchr(h, '\n');
    memmove(h, eol + 1, strlen(eol + 1) + 1);
    write_text(path, text);
    free(text);
    CU_ASSERT_EQUAL(srt_config_check_existing(a, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_CHANGED);
    b = load_on_catalogue("moved/two/c.json", "cat.csv", out);
    CU_ASSERT_EQUAL(srt_config_check_existing(b, &st, &err), SRT_ERR_MISMATCH);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "dataset.catalogue"));
    srt_config_destroy(&b);
    srt_config_destroy(&a);
    free(path);
    free(out);
    free(cat1);
    free(cat2);
}

static void failed_rewrite_leaves_the_old_config_intact(void)
{
    srt_config_t *cfg = load_relaunch("relaunch4", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL_FATAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    char *path = srt_path_join(cfg->study.output_dir, "config.json");
    char *before = read_text(path);
    srt_config_destroy(&cfg);
    cfg = load_relaunch("relaunch4", 70, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    srt_fs_inject_enospc_after(16);
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_ERR_IO);
    srt_fs_inject_enospc_after((size_t)-1);
    char *after = read_text(path);
    CU_ASSERT_STRING_EQUAL(before, after);
    free(after);
    /* and the next launch succeeds */
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_OK);
    CU_ASSERT_EQUAL(st, SRT_CONFIG_EXISTING_CHANGED);
    srt_config_destroy(&cfg);
    free(before);
    free(path);
}

static void unreadable_existing_config_is_never_replaced(void)
{
    srt_config_t *cfg = load_relaunch("relaunch5", 10, 25, "0.1");
    CU_ASSERT_PTR_NOT_NULL_FATAL(cfg);
    char *path = srt_path_join(cfg->study.output_dir, "config.json");
    write_text(path, "{ not json");
    srt_err_t err;
    srt_config_existing_t st;
    CU_ASSERT_EQUAL(srt_config_check_existing(cfg, &st, &err), SRT_ERR_PARSE);
    CU_ASSERT_EQUAL(srt_config_write_effective(cfg, &st, &err), SRT_ERR_PARSE);
    CU_ASSERT_STRING_EQUAL(err.file, path);
    char *after = read_text(path);
    CU_ASSERT_STRING_EQUAL(after, "{ not json");
    free(after);
    free(path);
    srt_config_destroy(&cfg);
}

/* ------------------------------------------------ command-line options */

static void command_line_sr_options_use_the_same_checks(void)
{
    srt_sr_options_t o;
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    srt_err_t err;
    char buf[2048];
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsize=20", &err), SRT_OK);
    CU_ASSERT_EQUAL(o.maxsize, 20);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, " parsimony = 0.01 ", &err), SRT_OK);
    SRT_ASSERT_CLOSE(o.parsimony, 0.01, 1e-12);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "annealing=true", &err), SRT_OK);
    CU_ASSERT_EQUAL(o.annealing, 1);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "max_evals=1e6", &err), SRT_OK);
    SRT_ASSERT_CLOSE(o.max_evals, 1e6, 1e-12);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "max_evals=none", &err), SRT_OK);
    CU_ASSERT(isnan(o.max_evals));
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "unary_operators=sin, cos,exp", &err), SRT_OK);
    CU_ASSERT_EQUAL(o.n_unaops, 3);
    CU_ASSERT_EQUAL(o.unaops[2], SRT_OP_EXP);

    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsize=3.5", &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "maxsize: must be an integer in [7, 256], got 3.5");
    CU_ASSERT_EQUAL(o.maxsize, 20);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsise=3", &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "maxsise: unknown SR option (did you mean 'maxsize'?)");
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "annealing=maybe", &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "annealing: must be true or false, got a string \"maybe\"");
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "binary_operators=+,sin", &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "binary_operators: 'sin' is a unary operator; put it in "
                           "unary_operators");
    CU_ASSERT_EQUAL(o.n_binops, 4);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsize", &err), SRT_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "name=value"));
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "parsimony=inf", &err), SRT_ERR_CONFIG);
}

/* PySR 1.5.x's rules on a complete option set (srtune fit) and the raised
 * maxsize bound, where the engine's own table would allow less. */
static void pysr_rules_hold_for_complete_option_sets(void)
{
    srt_sr_options_t o;
    srt_err_t err;
    char buf[2048];
    for (int p = 0; p < 2; p++) {
        srt_sr_options_default(&o, p ? SRT_SR_PRESET_PYSR0 : SRT_SR_PRESET_PYSR1);
        CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_OK); /* both presets pass */
    }
    srt_sr_options_default(&o, SRT_SR_PRESET_PYSR1);
    o.population_size = 15; /* = tournament_selection_n: SR.jl asserts n < size */
    CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, buf, sizeof buf),
                           "tournament_selection_n: must be less than population_size (15), got "
                           "15 (PySR and SymbolicRegression.jl refuse it)");
    o.population_size = 16;
    CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_OK);
    o.topn = 17;
    CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "must be at most population_size (16), got 17"));
    o.topn = 16;
    CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_OK);
    o.maxsize = 6;
    CU_ASSERT_EQUAL(srt_config_check_pysr(&o, &err), SRT_ERR_CONFIG);
    CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "at least 7"));
    const srt_sr_option_info_t *ms = srt_sr_option_find("maxsize");
    CU_ASSERT(ms->low < 7); /* the engine's bound */
    CU_ASSERT_EQUAL(srt_config_option_low(ms), 7);
    CU_ASSERT_EQUAL(srt_config_option_low(srt_sr_option_find("parsimony")), 0);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsize=6", &err), SRT_ERR_CONFIG);
    CU_ASSERT_EQUAL(srt_config_parse_sr_option(&o, "maxsize=7", &err), SRT_OK);
}

/* ------------------------------------------------------- bad configs */

typedef struct bad_case {
    const char *file;    /* under tests/data/configs/bad/ */
    srt_rc rc;           /* expected code */
    const char *message; /* expected "file:key: message" (the file's base name onwards) */
} bad_case_t;

static const bad_case_t bad_cases[] = {
    {"wrong-type.json", SRT_ERR_CONFIG,
     "wrong-type.json: model.maxsize: must be an integer in [7, 256], got a string \"thirty\""},
    {"not-an-integer.json", SRT_ERR_CONFIG,
     "not-an-integer.json: model.maxsize: must be an integer in [7, 256], got 3.5"},
    {"out-of-range.json", SRT_ERR_CONFIG,
     "out-of-range.json: model.tournament_selection_p: must be a number in [0, 1], got 1.5"},
    {"bool-option-as-string.json", SRT_ERR_CONFIG,
     "bool-option-as-string.json: model.annealing: must be true or false, got a string \"yes\""},
    {"unknown-model-key.json", SRT_ERR_CONFIG,
     "unknown-model-key.json: model.maxsise: unknown key (did you mean 'maxsize'?)"},
    {"unknown-study-key.json", SRT_ERR_CONFIG,
     "unknown-study-key.json: study.n_trial: unknown key (did you mean 'n_trials'?)"},
    {"unknown-section.json", SRT_ERR_CONFIG,
     "unknown-section.json: modle: unknown section (did you mean 'model'?)"},
    {"sampler-seed.json", SRT_ERR_CONFIG,
     "sampler-seed.json: study.sampler.seed: unknown key: the sampler seed is derived from "
     "study.seed"},
    {"section-not-object.json", SRT_ERR_CONFIG,
     "section-not-object.json: study.sampler: must be an object like {\"name\": ...}, got a "
     "string \"tpe\""},
    {"nul-after-object.json", SRT_ERR_PARSE,
     "nul-after-object.json:2:1: JSON syntax error: a NUL byte (not a UTF-8 JSON text file?)"},
    {"syntax-error.json", SRT_ERR_PARSE,
     "syntax-error.json:4:3: JSON syntax error: missing ',' before '\"model\": {\"maxsize\":'"},
    {"trailing-comma.json", SRT_ERR_PARSE,
     "trailing-comma.json:3:45: JSON syntax error: a trailing ',' before '}' is not allowed in "
     "JSON"},
    {"nan-literal.json", SRT_ERR_PARSE,
     "nan-literal.json:3:43: JSON syntax error: NaN and Infinity are not JSON numbers (use a "
     "finite number or null)"},
    {"comment.json", SRT_ERR_PARSE,
     "comment.json:2:3: JSON syntax error: comments are not allowed in JSON"},
    {"unclosed-brace.json", SRT_ERR_PARSE,
     "unclosed-brace.json:3:51: JSON syntax error: unexpected end of file (a closing '}' or ']' "
     "is missing)"},
    {"operators-in-space.json", SRT_ERR_CONFIG,
     "operators-in-space.json: search_space.unary_operators: cannot be tuned; set it in "
     "model.unary_operators"},
    {"empty-file.json", SRT_ERR_PARSE,
     "empty-file.json: the file is empty; expected a JSON object"},
    {"top-level-array.json", SRT_ERR_CONFIG,
     "top-level-array.json: expected a JSON object at the top level, got an array"},
    {"overflow-number.json", SRT_ERR_CONFIG,
     "overflow-number.json: dataset.noise: must be a number >= 0, got a number too large for a "
     "double (it overflows to infinity)"},
    {"duplicate-key.json", SRT_ERR_CONFIG,
     "duplicate-key.json: study.seed: duplicate key (already given earlier in this object)"},
    {"empty-equations.json", SRT_ERR_CONFIG,
     "empty-equations.json: dataset.equations: must select at least one equation, got an empty "
     "list"},
    {"bad-range.json", SRT_ERR_CONFIG,
     "bad-range.json: dataset.equations: bad range \"0-100\": expected \"start:stop\" with Python "
     "slice semantics (e.g. \"0:100\", \"5:\", \"-10:\"), a list of indices or a list of "
     "equation ids"},
    {"empty-range.json", SRT_ERR_CONFIG,
     "empty-range.json: dataset.equations: range \"5:5\" selects no equations "
     "(FeynmanEquations.csv has 100, indices 0 to 99)"},
    {"index-out-of-range.json", SRT_ERR_CONFIG,
     "index-out-of-range.json: dataset.equations[1]: index 120 is out of range: "
     "FeynmanEquations.csv has 100 equations (0 to 99)"},
    {"unknown-equation-id.json", SRT_ERR_CONFIG,
     "unknown-equation-id.json: dataset.equations[0]: unknown equation id 'I.6.2x' in "
     "FeynmanEquations.csv (did you mean 'I.6.2a'?)"},
    {"mixed-equation-list.json", SRT_ERR_CONFIG,
     "mixed-equation-list.json: dataset.equations[1]: must be an integer index like the first "
     "entry, got a string \"I.6.2a\""},
    {"unknown-operator.json", SRT_ERR_CONFIG,
     "unknown-operator.json: model.unary_operators[1]: unknown operator 'sine' (did you mean "
     "'sin'?)"},
    {"unary-in-binary.json", SRT_ERR_CONFIG,
     "unary-in-binary.json: model.binary_operators[1]: 'sin' is a unary operator; put it in "
     "unary_operators"},
    {"unknown-remove-op.json", SRT_ERR_CONFIG,
     "unknown-remove-op.json: dataset.remove_op_equations[0]: unknown operator 'arcsinh' (did you "
     "mean 'arcsin'?)"},
    {"model-and-space.json", SRT_ERR_CONFIG,
     "model-and-space.json: search_space.parsimony: also fixed in model.parsimony; a parameter is "
     "either fixed (model) or tuned (search_space)"},
    {"unknown-space-name.json", SRT_ERR_CONFIG,
     "unknown-space-name.json: search_space.parsimonyy: unknown SR option (did you mean "
     "'parsimony'?)"},
    {"low-above-high.json", SRT_ERR_CONFIG,
     "low-above-high.json: search_space.parsimony: low (0.1) must not be greater than high "
     "(0.001)"},
    {"log-with-zero-low.json", SRT_ERR_CONFIG,
     "log-with-zero-low.json: search_space.parsimony.low: must be > 0 when \"log\" is true, got 0"},
    {"log-with-step.json", SRT_ERR_CONFIG,
     "log-with-step.json: search_space.parsimony.step: cannot be combined with \"log\": true (as "
     "in Optuna: drop step or log)"},
    {"categorical-empty.json", SRT_ERR_CONFIG,
     "categorical-empty.json: search_space.annealing.choices: must list at least one choice, got "
     "an empty list"},
    {"categorical-wrong-choice.json", SRT_ERR_CONFIG,
     "categorical-wrong-choice.json: search_space.annealing.choices[1]: must be true or false, "
     "got a string \"no\""},
    {"simplex-unknown-key.json", SRT_ERR_CONFIG,
     "simplex-unknown-key.json: search_space.weights.keys[0]: unknown SR option 'weight_add_nod' "
     "(did you mean 'weight_add_node'?)"},
    {"simplex-int-key.json", SRT_ERR_CONFIG,
     "simplex-int-key.json: search_space.weights.keys[1]: 'maxsize' is an integer option; a "
     "simplex holds float options"},
    {"int-option-float-spec.json", SRT_ERR_CONFIG,
     "int-option-float-spec.json: search_space.populations.type: must be \"int\" or "
     "\"categorical\" for the integer option populations, got \"float\""},
    {"space-outside-option-bounds.json", SRT_ERR_CONFIG,
     "space-outside-option-bounds.json: search_space.populations.low: must be within the bounds "
     "of populations [1, 100000], got 0"},
    {"space-bad-type.json", SRT_ERR_CONFIG,
     "space-bad-type.json: search_space.populations.type: must be one of \"float\", \"int\", "
     "\"categorical\", \"simplex\", got \"integer\" (did you mean 'int'?)"},
    {"space-unknown-field.json", SRT_ERR_CONFIG,
     "space-unknown-field.json: search_space.populations.lo: unknown key (did you mean 'low'?)"},
    {"space-field-of-other-type.json", SRT_ERR_CONFIG,
     "space-field-of-other-type.json: search_space.populations.choices: not a key of an int "
     "parameter (its keys: type, low, high, log, step)"},
    {"missing-output-dir.json", SRT_ERR_CONFIG,
     "missing-output-dir.json: study.output_dir: missing required key (the directory that holds "
     "config.json, the journal and the trial runs)"},
    {"missing-dataset.json", SRT_ERR_CONFIG,
     "missing-dataset.json: dataset: missing required section"},
    {"negative-noise.json", SRT_ERR_CONFIG,
     "negative-noise.json: dataset.noise: must be a number >= 0, got -0.1"},
    {"bad-preset.json", SRT_ERR_CONFIG,
     "bad-preset.json: model.preset: must be one of \"pysr-1\" (PySR 1.x defaults), \"pysr-0\" "
     "(PySR 0.x defaults), got \"pysr-2\" (did you mean 'pysr-1'?)"},
    {"bad-sampler.json", SRT_ERR_CONFIG,
     "bad-sampler.json: study.sampler.name: must be one of \"random\", \"tpe\", \"qmc\", "
     "\"grid\", got \"tpee\" (did you mean 'tpe'?)"},
    {"bad-direction.json", SRT_ERR_CONFIG,
     "bad-direction.json: study.direction: must be one of \"minimize\", \"maximize\", got \"max\""},
    {"negative-seed.json", SRT_ERR_CONFIG,
     "negative-seed.json: study.seed: must be an integer in [0, 2^64 - 1] (write seeds above "
     "2^53 as a string), got -1"},
    {"csv-key-for-catalogue.json", SRT_ERR_CONFIG,
     "csv-key-for-catalogue.json: dataset.target: only valid when dataset.name is \"csv\" or \"files\""},
    {"csv-without-path.json", SRT_ERR_CONFIG,
     "csv-without-path.json: dataset.path: missing required key (the CSV file to fit: a header "
     "row, then one row per sample)"},
    {"tournament-too-large.json", SRT_ERR_CONFIG,
     "tournament-too-large.json: model.tournament_selection_n: must be less than population_size "
     "(27), got 30"},
    {"tournament-both-tuned.json", SRT_ERR_CONFIG,
     "tournament-both-tuned.json: search_space.tournament_selection_n.high: must be less than "
     "search_space.population_size.low (8), got 12: a trial could sample tournament_selection_n "
     "= 12 with population_size = 8, which PySR and SymbolicRegression.jl refuse"},
    {"tournament-both-categorical.json", SRT_ERR_CONFIG,
     "tournament-both-categorical.json: search_space.tournament_selection_n.choices: must be "
     "less than search_space.population_size.choices (10), got 10: a trial could sample "
     "tournament_selection_n = 10 with population_size = 10, which PySR and "
     "SymbolicRegression.jl refuse"},
    {"topn-above-population.json", SRT_ERR_CONFIG,
     "topn-above-population.json: search_space.population_size.low: must be at least topn (12), "
     "got 8 (SymbolicRegression.jl's best_sub_pop takes the topn best members of a population)"},
    {"maxsize-below-pysr.json", SRT_ERR_CONFIG,
     "maxsize-below-pysr.json: model.maxsize: must be an integer in [7, 256], got 6"},
    {"space-maxsize-below-pysr.json", SRT_ERR_CONFIG,
     "space-maxsize-below-pysr.json: search_space.maxsize.low: must be within the bounds of "
     "maxsize [7, 256], got 5"},
    {"grid-needs-finite-space.json", SRT_ERR_CONFIG,
     "grid-needs-finite-space.json: search_space.parsimony: the grid sampler needs a finite grid: "
     "give a step or use a categorical"},
    {"heartbeat-grace-too-short.json", SRT_ERR_CONFIG,
     "heartbeat-grace-too-short.json: study.heartbeat_grace_s: must be larger than "
     "study.heartbeat_interval_s (30), got 10"},
    {"name-with-slash.json", SRT_ERR_CONFIG,
     "name-with-slash.json: study.name: '/' is not allowed (the name reaches file names and job "
     "scripts: use letters, digits, '.', '_' and '-'), got \"../../etc/cron.d/x\""},
    {"name-shell-metachar.json", SRT_ERR_CONFIG,
     "name-shell-metachar.json: study.name: ';' is not allowed (the name reaches file names and "
     "job scripts: use letters, digits, '.', '_' and '-'), got \"x; rm -rf ~\""},
    {"name-command-substitution.json", SRT_ERR_CONFIG,
     "name-command-substitution.json: study.name: '$' is not allowed (the name reaches file names "
     "and job scripts: use letters, digits, '.', '_' and '-'), got \"$(touch pwned)\""},
    {"name-dotdot.json", SRT_ERR_CONFIG,
     "name-dotdot.json: study.name: '..' is not allowed (the name reaches file names and job "
     "scripts), got \"runs..old\""},
    {"name-control-char.json", SRT_ERR_CONFIG,
     "name-control-char.json: study.name: a control character (0x0a) is not allowed (the name "
     "reaches file names and job scripts: use letters, digits, '.', '_' and '-'), got "
     "\"tuned\\x0asbatch evil.sh\""},
    {"name-leading-dash.json", SRT_ERR_CONFIG,
     "name-leading-dash.json: study.name: must start with a letter, a digit or '_' (the name "
     "reaches file names and job scripts), got \"-rf\""},
    {"name-empty.json", SRT_ERR_CONFIG,
     "name-empty.json: study.name: must be a non-empty string, got a string \"\""},
    {"name-too-long.json", SRT_ERR_CONFIG,
     "name-too-long.json: study.name: must be at most 64 characters long (the name reaches file "
     "names and job scripts), got 65 characters"},
    {"output-dir-newline.json", SRT_ERR_CONFIG,
     "output-dir-newline.json: study.output_dir: must not contain control characters, got 0x0a"},
    {NULL, SRT_OK, NULL},
};

static void bad_configs_fail_with_the_message_a_user_needs(void)
{
    int failures = 0;
    for (const bad_case_t *c = bad_cases; c->file; c++) {
        char rel[256];
        snprintf(rel, sizeof rel, "tests/data/configs/bad/%s", c->file);
        char *path = srt_test_source_path(rel);
        srt_config_t *cfg = NULL;
        srt_config_errors_t errs;
        srt_err_t err;
        srt_config_errors_init(&errs);
        srt_rc rc = srt_config_load(path, &cfg, &errs, &err);
        char buf[2048], want[2048];
        srt_err_format(&err, buf, sizeof buf);
        /* the message starts with the path as given, then ":key: message" */
        snprintf(want, sizeof want, "%s/%s", "configs/bad", c->message);
        const char *hit = strstr(buf, want);
        int ok = rc == c->rc && cfg == NULL && hit && errs.count >= 1 &&
                 strncmp(buf, path, strlen(path) - strlen(c->file)) == 0 &&
                 strcmp(hit + strlen(want), "") == 0;
        if (ok) {
            char first[2048];
            srt_err_format(&errs.items[0], first, sizeof first);
            ok = strcmp(first, buf) == 0;
        }
        if (!ok) {
            failures++;
            fprintf(stderr, "\n%s: rc %d (want %d)\n  got:  %s\n  want: .../%s\n", c->file, (int)rc,
                    (int)c->rc, buf, c->message);
            srt_config_errors_print(&errs, stderr);
        }
        CU_ASSERT(ok);
        srt_config_errors_fini(&errs);
        srt_config_destroy(&cfg);
        free(path);
    }
    CU_ASSERT_EQUAL(failures, 0);
}

static void every_bad_fixture_has_an_expected_message(void)
{
    char *dir = srt_test_source_path("tests/data/configs/bad");
    DIR *d = opendir(dir);
    CU_ASSERT_PTR_NOT_NULL_FATAL(d);
    struct dirent *de;
    int n = 0;
    while ((de = readdir(d)) != NULL) {
        if (!ends_with(de->d_name, ".json"))
            continue;
        int found = 0;
        for (const bad_case_t *c = bad_cases; c->file; c++)
            found |= strcmp(c->file, de->d_name) == 0;
        if (!found)
            fprintf(stderr, "\nno expected message for bad/%s\n", de->d_name);
        CU_ASSERT(found);
        n++;
    }
    closedir(d);
    free(dir);
    CU_ASSERT(n >= 20);
}

static void names_that_reach_files_and_job_scripts_are_checked(void)
{
    static const char *const good[] = {"quickstart", "feynman-pv", "e2e-random", "a", "_x",
                                       "v1.2_run-3", "0abc", NULL};
    static const char *const bad[] = {"", "a/b", "/abs", "..", "a..b", ".hidden", "-rf",
                                      "a b", "a;b", "a|b", "a&b", "$(x)", "`x`", "a'b",
                                      "a\"b", "a\\b", "a*b", "a?b", "a<b", "a>b", "a\nb",
                                      "a\tb", "a\x7f", "caf\xc3\xa9", "#x", "a~", "x=y", NULL};
    char msg[512], longname[SRT_CONFIG_NAME_MAX + 2];
    for (const char *const *g = good; *g; g++) {
        int ok = srt_config_name_check(*g, msg, sizeof msg);
        if (!ok)
            fprintf(stderr, "\nname \"%s\" refused: %s\n", *g, msg);
        CU_ASSERT(ok);
    }
    for (const char *const *b = bad; *b; b++) {
        msg[0] = '\0';
        int ok = srt_config_name_check(*b, msg, sizeof msg);
        if (ok)
            fprintf(stderr, "\nname \"%s\" accepted\n", *b);
        CU_ASSERT(!ok);
        CU_ASSERT(msg[0] != '\0');
        CU_ASSERT_PTR_NULL(strchr(msg, '\n')); /* control characters are escaped */
    }
    memset(longname, 'a', sizeof longname - 1);
    longname[SRT_CONFIG_NAME_MAX] = '\0';
    CU_ASSERT(srt_config_name_check(longname, msg, sizeof msg));
    longname[SRT_CONFIG_NAME_MAX] = 'a';
    longname[SRT_CONFIG_NAME_MAX + 1] = '\0';
    CU_ASSERT(!srt_config_name_check(longname, msg, sizeof msg));
    CU_ASSERT_PTR_NOT_NULL(strstr(msg, "at most 64 characters"));
}

static void several_errors_are_reported_together_in_file_order(void)
{
    char *path = srt_test_source_path("tests/data/configs/multi-error.json");
    srt_config_t *cfg = NULL;
    srt_config_errors_t errs;
    srt_err_t err;
    srt_config_errors_init(&errs);
    CU_ASSERT_EQUAL(srt_config_load(path, &cfg, &errs, &err), SRT_ERR_CONFIG);
    static const char *const want[] = {
        "model.maxsise: unknown key (did you mean 'maxsize'?)",
        "model.populations: must be an integer in [1, 100000], got 0",
        "study.n_trials: must be an integer in [1, 10000000], got -1",
        "dataset.equations: must select at least one equation, got an empty list",
        "dataset.noise: must be a number >= 0, got -1",
        "search_space.maxsise: unknown SR option (did you mean 'maxsize'?)",
    };
    size_t n = sizeof want / sizeof want[0];
    CU_ASSERT_EQUAL(errs.count, n);
    for (size_t i = 0; i < n && i < errs.count; i++) {
        char buf[2048], full[2048];
        srt_err_format(&errs.items[i], buf, sizeof buf);
        snprintf(full, sizeof full, "%s: %s", path, want[i]);
        if (strcmp(buf, full) != 0)
            fprintf(stderr, "\nerror %zu: %s\n   want: %s\n", i, buf, full);
        CU_ASSERT_STRING_EQUAL(buf, full);
    }
    char first[2048], buf[2048];
    CU_ASSERT_STRING_EQUAL(srt_err_format(&err, first, sizeof first),
                           srt_err_format(&errs.items[0], buf, sizeof buf));
    /* print writes one line per error */
    FILE *fp = tmpfile();
    CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
    srt_config_errors_print(&errs, fp);
    rewind(fp);
    int lines = 0, ch;
    while ((ch = fgetc(fp)) != EOF)
        lines += ch == '\n';
    fclose(fp);
    CU_ASSERT_EQUAL(lines, (int)n);
    srt_config_errors_fini(&errs);
    free(path);
}

static void csv_dataset_needs_an_existing_file(void)
{
    srt_config_t *cfg = NULL;
    srt_err_t err;
    char buf[2048], want[2048];
    CU_ASSERT_EQUAL(
        load_with("{\"name\": \"csv\", \"path\": \"missing.csv\"}", NULL, NULL, &cfg, &err),
        SRT_ERR_CONFIG);
    CU_ASSERT_PTR_NULL(cfg);
    char *missing = tmp_path("frag/missing.csv");
    snprintf(want, sizeof want, "dataset.path: no such file: %s", missing);
    CU_ASSERT_PTR_NOT_NULL(strstr(srt_err_format(&err, buf, sizeof buf), want));
    free(missing);
}

static void missing_file_is_a_not_found_error_naming_the_file(void)
{
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL(srt_config_load("no/such/config.json", &cfg, NULL, &err), SRT_ERR_NOTFOUND);
    CU_ASSERT_PTR_NULL(cfg);
    CU_ASSERT_STRING_EQUAL(err.file, "no/such/config.json");
}

static void large_seeds_are_kept_exactly(void)
{
    srt_config_t *cfg = NULL;
    srt_err_t err;
    CU_ASSERT_EQUAL_FATAL(
        load_text("seed/config.json",
                  "{\"study\": {\"name\": \"s\", \"output_dir\": \"o\", \"seed\": "
                  "\"18446744073709551615\"}, \"dataset\": {\"name\": \"bonus\"}}",
                  &cfg, &err),
        SRT_OK);
    CU_ASSERT_EQUAL(cfg->study.seed, UINT64_MAX);
    char *json = srt_config_to_json(cfg);
    CU_ASSERT_PTR_NOT_NULL(strstr(json, "\"seed\":\t\"18446744073709551615\""));
    free(json);
    assert_round_trip(cfg);
    srt_config_destroy(&cfg);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"minimal_config_gets_every_default", minimal_config_gets_every_default},
        {"preset_pysr0_and_pysr1_give_their_defaults", preset_pysr0_and_pysr1_give_their_defaults},
        {"model_operators_and_optional_options_are_read",
         model_operators_and_optional_options_are_read},
        {"every_shipped_config_loads", every_shipped_config_loads},
        {"shipped_configs_hold_what_their_studies_need",
         shipped_configs_hold_what_their_studies_need},
        {"relative_paths_resolve_against_the_config_directory",
         relative_paths_resolve_against_the_config_directory},
        {"data_dir_environment_variable_locates_the_catalogues",
         data_dir_environment_variable_locates_the_catalogues},
        {"equation_selections_become_canonical_strings",
         equation_selections_become_canonical_strings},
        {"equal_selections_give_equal_hashes", equal_selections_give_equal_hashes},
        {"effective_config_round_trips_with_the_same_hash",
         effective_config_round_trips_with_the_same_hash},
        {"relaunch_with_the_same_config_is_accepted", relaunch_with_the_same_config_is_accepted},
        {"relaunch_with_more_trials_is_accepted_and_recorded",
         relaunch_with_more_trials_is_accepted_and_recorded},
        {"relaunch_with_changed_study_keys_is_refused_naming_them",
         relaunch_with_changed_study_keys_is_refused_naming_them},
        {"moved_data_are_the_same_study_changed_data_are_not",
         moved_data_are_the_same_study_changed_data_are_not},
        {"failed_rewrite_leaves_the_old_config_intact",
         failed_rewrite_leaves_the_old_config_intact},
        {"unreadable_existing_config_is_never_replaced",
         unreadable_existing_config_is_never_replaced},
        {"command_line_sr_options_use_the_same_checks",
         command_line_sr_options_use_the_same_checks},
        {"pysr_rules_hold_for_complete_option_sets", pysr_rules_hold_for_complete_option_sets},
        {"bad_configs_fail_with_the_message_a_user_needs",
         bad_configs_fail_with_the_message_a_user_needs},
        {"every_bad_fixture_has_an_expected_message", every_bad_fixture_has_an_expected_message},
        {"names_that_reach_files_and_job_scripts_are_checked",
         names_that_reach_files_and_job_scripts_are_checked},
        {"several_errors_are_reported_together_in_file_order",
         several_errors_are_reported_together_in_file_order},
        {"csv_dataset_needs_an_existing_file", csv_dataset_needs_an_existing_file},
        {"missing_file_is_a_not_found_error_naming_the_file",
         missing_file_is_a_not_found_error_naming_the_file},
        {"large_seeds_are_kept_exactly", large_seeds_are_kept_exactly},
        {NULL, NULL},
    };
    return srt_test_main("config", cases);
}
