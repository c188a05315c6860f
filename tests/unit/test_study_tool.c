/*
 * Helper program of the Optuna compatibility tests (tests/compat/): with
 * arguments it writes journals the way srtune does and dumps what srtune
 * replays, in the canonical JSON form tests/compat/compat_optuna.py compares
 * with Optuna's view. Without arguments (as ctest runs it) it checks that a
 * demo journal written by the tool replays into a dump it can read back.
 *
 *   test_study_tool write-demo JOURNAL     several studies, every trial state
 *   test_study_tool dump JOURNAL           canonical JSON of the replay on stdout
 *   test_study_tool writer JOURNAL STUDY N TAG   N ask/report/tell cycles
 *   test_study_tool ask JOURNAL STUDY      one ask; prints number, from_waiting, x
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "srtune/study.h"
#include "testutil.h"

static srt_space_t *demo_space(void)
{
    srt_space_t *s = srt_space_create();
    srt_choice_t ch[5] = {{SRT_CHOICE_STRING, (char *)"a", 0, 0},
                          {SRT_CHOICE_STRING, (char *)"b\"q", 0, 0},
                          {SRT_CHOICE_NUMBER, NULL, 1.5, 0},
                          {SRT_CHOICE_BOOL, NULL, 0, 1},
                          {SRT_CHOICE_NULL, NULL, 0, 0}};
    const char *keys[3] = {"weight_add", "weight_del", "weight_mut"};
    if (!s || srt_space_add_float(s, "lr", 1e-5, 0.1, 1, 0, NULL) ||
        srt_space_add_float(s, "frac", -1.0, 1.0, 0, 0, NULL) ||
        srt_space_add_float(s, "q", 0.0, 1.0, 0, 0.25, NULL) ||
        srt_space_add_int(s, "n", 1, 10, 0, 3, NULL) ||
        srt_space_add_int(s, "pop", 10, 1000, 1, 1, NULL) ||
        srt_space_add_categorical(s, "c", ch, 5, NULL) ||
        srt_space_add_simplex(s, "mutation_weights", keys, 3, 1.0, NULL))
        srt_space_destroy(&s);
    return s;
}

static srt_space_t *writer_space(void)
{
    srt_space_t *s = srt_space_create();
    srt_choice_t ch[3] = {{SRT_CHOICE_STRING, (char *)"a", 0, 0},
                          {SRT_CHOICE_STRING, (char *)"b", 0, 0},
                          {SRT_CHOICE_STRING, (char *)"c", 0, 0}};
    if (!s || srt_space_add_float(s, "x", -5.0, 5.0, 0, 0, NULL) ||
        srt_space_add_int(s, "y", 0, 10, 0, 1, NULL) ||
        srt_space_add_categorical(s, "c", ch, 3, NULL))
        srt_space_destroy(&s);
    return s;
}

static int fail(const srt_err_t *err)
{
    char buf[2048];
    fprintf(stderr, "test_study_tool: %s\n", srt_err_format(err, buf, sizeof buf));
    return 1;
}

static int write_demo(const char *path)
{
    srt_err_t err;
    srt_err_clear(&err);
    srt_space_t *space = demo_space();
    srt_study_t *s = NULL, *s2 = NULL;
    srt_ask_t a;
    int rc = 1;
    if (!space)
        return 1;
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = "demo";
    o.seed = 7;
    o.sampler_options.n_startup_trials = 3;
    o.max_retries = 1;
    if (srt_study_open(&o, space, &s, &err) != SRT_OK)
        goto cleanup;
    o.study_name = "other";
    o.minimize = 0;
    if (srt_study_open(&o, space, &s2, &err) != SRT_OK)
        goto cleanup;
    if (srt_study_set_user_attr(s, "config_hash", "\"abc\"", &err) != SRT_OK)
        goto cleanup;
    for (int i = 0; i < 8; i++) {
        srt_study_t *cur = (i % 3 == 2) ? s2 : s;
        if (srt_study_ask(cur, &a, &err) != SRT_OK)
            goto cleanup;
        long n = a.number;
        double v = 0;
        for (size_t k = 0; k < a.n; k++)
            v += fabs(a.x[k]);
        srt_ask_fini(&a);
        if (srt_study_report(cur, n, 1, v * 2, &err) != SRT_OK ||
            srt_study_report(cur, n, 2, v * 1.5, &err) != SRT_OK)
            goto cleanup;
        srt_attr_t ua[2] = {{(char *)"per_equation", (char *)"[0.5, 1.25, null]"},
                            {(char *)"note", (char *)"\"caf\\u00e9 \\\"q\\\"\""}};
        srt_trial_state_t st = i == 4   ? SRT_TRIAL_STATE_PRUNED
                               : i == 5 ? SRT_TRIAL_STATE_FAIL
                                        : SRT_TRIAL_STATE_COMPLETE;
        if (i == 7)
            break; /* left RUNNING */
        if (srt_study_tell(cur, n, st, &v, ua, 2, st == SRT_TRIAL_STATE_FAIL, &err) != SRT_OK)
            goto cleanup;
    }
    rc = 0;
cleanup:
    if (rc)
        fail(&err);
    srt_study_destroy(&s);
    srt_study_destroy(&s2);
    srt_space_destroy(&space);
    return rc;
}

static cJSON *attrs_json(const srt_attr_t *a, size_t n)
{
    cJSON *o = cJSON_CreateObject();
    for (size_t i = 0; i < n; i++)
        cJSON_AddItemToObject(o, a[i].key, cJSON_Parse(a[i].json));
    return o;
}

static cJSON *num(double v)
{
    char buf[40];
    return cJSON_CreateRaw(srt_json_number(v, buf, sizeof buf));
}

static cJSON *dump_json(srt_journal_t *j)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *studies = cJSON_AddArrayToObject(root, "studies");
    for (int sid = 0; sid < srt_journal_n_study_ids(j); sid++) {
        const char *name = srt_journal_study_name(j, sid);
        if (!name)
            continue;
        cJSON *st = cJSON_CreateObject();
        cJSON_AddItemToArray(studies, st);
        cJSON_AddNumberToObject(st, "study_id", sid);
        cJSON_AddStringToObject(st, "name", name);
        cJSON *dirs = cJSON_AddArrayToObject(st, "directions");
        for (size_t d = 0; d < srt_journal_study_n_directions(j, sid); d++)
            cJSON_AddItemToArray(dirs, cJSON_CreateNumber(srt_journal_study_direction(j, sid, d)));
        size_t n;
        const srt_attr_t *sa = srt_journal_study_attrs(j, sid, 0, &n);
        cJSON_AddItemToObject(st, "user_attrs", attrs_json(sa, n));
        sa = srt_journal_study_attrs(j, sid, 1, &n);
        cJSON_AddItemToObject(st, "system_attrs", attrs_json(sa, n));
        const srt_trial_t *const *t = srt_journal_study_trials(j, sid, &n);
        cJSON *trials = cJSON_AddArrayToObject(st, "trials");
        for (size_t i = 0; i < n; i++) {
            const srt_trial_t *tr = t[i];
            cJSON *o = cJSON_CreateObject();
            cJSON_AddItemToArray(trials, o);
            cJSON_AddNumberToObject(o, "trial_id", (double)tr->id);
            cJSON_AddNumberToObject(o, "number", (double)tr->number);
            cJSON_AddNumberToObject(o, "state", tr->state);
            if (tr->n_values) {
                cJSON *v = cJSON_AddArrayToObject(o, "values");
                for (size_t k = 0; k < tr->n_values; k++)
                    cJSON_AddItemToArray(v, num(tr->values[k]));
            } else {
                cJSON_AddNullToObject(o, "values");
            }
            cJSON *p = cJSON_AddObjectToObject(o, "params");
            cJSON *d = cJSON_AddObjectToObject(o, "distributions");
            for (size_t k = 0; k < tr->n_params; k++) {
                cJSON_AddItemToObject(p, tr->params[k].name, num(tr->params[k].internal));
                cJSON_AddItemToObject(d, tr->params[k].name,
                                      cJSON_Parse(tr->params[k].distribution));
            }
            cJSON *iv = cJSON_AddObjectToObject(o, "intermediate_values");
            for (size_t k = 0; k < tr->n_intermediate; k++) {
                char key[32];
                snprintf(key, sizeof key, "%ld", tr->intermediate[k].step);
                cJSON_AddItemToObject(iv, key, num(tr->intermediate[k].value));
            }
            cJSON_AddItemToObject(o, "user_attrs", attrs_json(tr->user_attrs, tr->n_user_attrs));
            cJSON_AddItemToObject(o, "system_attrs",
                                  attrs_json(tr->system_attrs, tr->n_system_attrs));
            if (tr->datetime_start[0])
                cJSON_AddStringToObject(o, "datetime_start", tr->datetime_start);
            else
                cJSON_AddNullToObject(o, "datetime_start");
            if (tr->datetime_complete[0])
                cJSON_AddStringToObject(o, "datetime_complete", tr->datetime_complete);
            else
                cJSON_AddNullToObject(o, "datetime_complete");
        }
    }
    cJSON_AddNumberToObject(root, "lines_read", (double)srt_journal_lines_read(j));
    cJSON_AddNumberToObject(root, "lines_skipped", (double)srt_journal_lines_skipped(j));
    return root;
}

static int dump(const char *path)
{
    srt_err_t err;
    srt_journal_t *j = NULL;
    srt_err_clear(&err);
    if (srt_journal_open(path, NULL, &j, &err) != SRT_OK)
        return fail(&err);
    cJSON *root = dump_json(j);
    char *text = cJSON_Print(root);
    int rc = text ? 0 : 1;
    if (text)
        printf("%s\n", text);
    cJSON_free(text);
    cJSON_Delete(root);
    srt_journal_destroy(&j);
    return rc;
}

static int writer(const char *path, const char *study, long n, const char *tag)
{
    srt_err_t err;
    srt_err_clear(&err);
    srt_space_t *space = writer_space();
    srt_study_t *s = NULL;
    int rc = 1;
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = study;
    o.seed = srt_hash64(tag, strlen(tag), 1);
    o.sampler_options.n_startup_trials = 5;
    if (!space || srt_study_open(&o, space, &s, &err) != SRT_OK)
        goto cleanup;
    for (long i = 0; i < n; i++) {
        srt_ask_t a;
        if (srt_study_ask(s, &a, &err) != SRT_OK)
            goto cleanup;
        double v = a.x[0] * a.x[0] + a.x[1] + a.x[2];
        long number = a.number;
        srt_ask_fini(&a);
        char wtag[256], seq[32];
        snprintf(wtag, sizeof wtag, "\"%s\"", tag);
        snprintf(seq, sizeof seq, "%ld", i);
        srt_attr_t ua[2] = {{(char *)"writer", wtag}, {(char *)"seq", seq}};
        if (srt_study_report(s, number, 1, v, &err) != SRT_OK ||
            srt_study_tell(s, number, SRT_TRIAL_STATE_COMPLETE, &v, ua, 2, 0, &err) != SRT_OK)
            goto cleanup;
    }
    rc = 0;
cleanup:
    if (rc)
        fail(&err);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    return rc;
}

/* One ask on STUDY with the writer space; prints "number from_waiting x y c". */
static int ask_once(const char *path, const char *study)
{
    srt_err_t err;
    srt_err_clear(&err);
    srt_space_t *space = writer_space();
    srt_study_t *s = NULL;
    srt_ask_t a;
    int rc = 1;
    srt_study_options_t o = srt_study_options_default();
    o.journal_path = path;
    o.study_name = study;
    if (!space || srt_study_open(&o, space, &s, &err) != SRT_OK ||
        srt_study_ask(s, &a, &err) != SRT_OK)
        goto cleanup;
    printf("%ld %d %.17g %.17g %.17g %s\n", a.number, a.from_waiting, a.x[0], a.x[1], a.x[2],
           a.run_dir);
    srt_ask_fini(&a);
    rc = 0;
cleanup:
    if (rc)
        fail(&err);
    srt_study_destroy(&s);
    srt_space_destroy(&space);
    return rc;
}

static void demo_journal_replays_into_a_readable_dump(void)
{
    char *path = srt_path_join(srt_test_tmpdir(), "demo.log");
    CU_ASSERT_EQUAL_FATAL(write_demo(path), 0);
    srt_journal_t *j = NULL;
    CU_ASSERT_EQUAL_FATAL(srt_journal_open(path, NULL, &j, NULL), SRT_OK);
    cJSON *root = dump_json(j);
    cJSON *studies = cJSON_GetObjectItem(root, "studies");
    CU_ASSERT_EQUAL(cJSON_GetArraySize(studies), 2);
    cJSON *trials = cJSON_GetObjectItem(cJSON_GetArrayItem(studies, 0), "trials");
    CU_ASSERT(cJSON_GetArraySize(trials) >= 5);
    CU_ASSERT_EQUAL(srt_journal_lines_skipped(j), 0);
    cJSON_Delete(root);
    srt_journal_destroy(&j);
    free(path);
}

int main(int argc, char **argv)
{
    if (argc == 3 && strcmp(argv[1], "write-demo") == 0)
        return write_demo(argv[2]);
    if (argc == 3 && strcmp(argv[1], "dump") == 0)
        return dump(argv[2]);
    if (argc == 4 && strcmp(argv[1], "ask") == 0)
        return ask_once(argv[2], argv[3]);
    if (argc == 6 && strcmp(argv[1], "writer") == 0)
        return writer(argv[2], argv[3], atol(argv[4]), argv[5]);
    if (argc > 1) {
        fprintf(stderr, "usage: %s [write-demo J | dump J | writer J STUDY N TAG | ask J STUDY]\n",
                argv[0]);
        return 2;
    }
    static const srt_test_case_t cases[] = {
        {"demo_journal_replays_into_a_readable_dump", demo_journal_replays_into_a_readable_dump},
        {NULL, NULL}};
    return srt_test_main("study_tool", cases);
}
