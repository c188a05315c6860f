/*
 * Fuzz target: the journal replay (Optuna's JournalStorage file). The input
 * is a journal file. Its first part (up to the newline nearest the middle)
 * is written to <tmp>/journal.log and opened with srt_journal_open, the rest
 * is appended and read with srt_journal_refresh (a reader following a live
 * study). Everything replayed is walked. When the journal holds a study named
 * "fuzz", the file is then opened the way a coordinator does, srt_study_open
 * with a fixed search space (float, log float, int, categorical and a simplex
 * group): every trial is
 * decoded, the pruner and the best trial computed, the trials table written,
 * lost trials failed and one trial asked for and failed.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "srtune/study.h"

static srt_space_t *make_space(void)
{
    static const srt_choice_t choices[2] = {{SRT_CHOICE_BOOL, NULL, 0, 1},
                                            {SRT_CHOICE_BOOL, NULL, 0, 0}};
    static const char *const keys[3] = {"a", "b", "c"};
    srt_space_t *s = srt_space_create();
    if (!s || srt_space_add_float(s, "parsimony", 1e-5, 0.1, 1, 0, NULL) != SRT_OK ||
        srt_space_add_int(s, "population_size", 12, 24, 0, 1, NULL) != SRT_OK ||
        srt_space_add_categorical(s, "annealing", choices, 2, NULL) != SRT_OK ||
        srt_space_add_float(s, "alpha", 0, 1, 0, 0.25, NULL) != SRT_OK ||
        srt_space_add_simplex(s, "w", keys, 3, 1.0, NULL) != SRT_OK)
        fuzz_fail("fuzz_journal: cannot build the search space");
    return s;
}

static void walk_trial(const srt_trial_t *t)
{
    volatile double sink = 0;
    for (size_t k = 0; k < t->n_values; k++)
        sink += t->values[k];
    for (size_t k = 0; k < t->n_params; k++)
        sink += t->params[k].internal + (double)strlen(t->params[k].name) +
                (double)strlen(t->params[k].distribution);
    for (size_t k = 0; k < t->n_intermediate; k++)
        sink += t->intermediate[k].value + (double)t->intermediate[k].step;
    for (size_t k = 0; k < t->n_user_attrs; k++)
        sink += (double)(strlen(t->user_attrs[k].key) + strlen(t->user_attrs[k].json));
    for (size_t k = 0; k < t->n_system_attrs; k++)
        sink += (double)(strlen(t->system_attrs[k].key) + strlen(t->system_attrs[k].json));
    sink += (double)strlen(t->datetime_start) + (double)strlen(t->datetime_complete);
    sink += (double)strlen(srt_trial_state_name(t->state));
    long step;
    double v;
    if (srt_trial_last_intermediate(t, &step, &v))
        sink += v;
    (void)sink;
}

static void walk_journal(const srt_journal_t *j)
{
    size_t n = srt_journal_n_trials(j);
    for (size_t i = 0; i < n; i++) {
        const srt_trial_t *t = srt_journal_trial(j, (long)i);
        if (!t)
            fuzz_fail("journal: trial id %zu of %zu missing", i, n);
        if (t->id != (long)i)
            fuzz_fail("journal: trial id %zu holds id %ld", i, t->id);
        walk_trial(t);
    }
    int ns = srt_journal_n_study_ids(j);
    for (int s = 0; s < ns; s++) {
        const char *name = srt_journal_study_name(j, s);
        if (!name)
            continue;
        if (srt_journal_find_study(j, name) < 0)
            fuzz_fail("journal: live study '%s' not found by name", name);
        size_t nd = srt_journal_study_n_directions(j, s);
        for (size_t d = 0; d < nd; d++)
            (void)srt_journal_study_direction(j, s, d);
        size_t nt = 0;
        const srt_trial_t *const *ts = srt_journal_study_trials(j, s, &nt);
        for (size_t k = 0; k < nt; k++) {
            if (ts[k]->study_id != s || ts[k]->number != (long)k)
                fuzz_fail("journal: study %d trial %zu has study %d number %ld", s, k,
                          ts[k]->study_id, ts[k]->number);
        }
        for (int sys = 0; sys < 2; sys++) {
            size_t na = 0;
            const srt_attr_t *a = srt_journal_study_attrs(j, s, sys, &na);
            for (size_t k = 0; k < na; k++)
                if (!a[k].key || !a[k].json)
                    fuzz_fail("journal: study attribute without key or value");
        }
    }
}

static void use_study(const char *path, const srt_space_t *space)
{
    srt_study_options_t opt = srt_study_options_default();
    opt.journal_path = path;
    opt.study_name = "fuzz";
    opt.minimize = 0;
    opt.seed = 7;
    opt.sampler_options.n_startup_trials = 2;
    opt.lock.max_wait_s = 5;
    srt_study_t *s = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    if (srt_study_open(&opt, space, &s, &err) != SRT_OK)
        return;
    size_t n = 0;
    const srt_trial_t *const *ts = srt_study_trials(s, &n);
    double x[16];
    if (space->n_params > sizeof x / sizeof *x)
        fuzz_fail("fuzz_journal: space too large");
    for (size_t k = 0; k < n; k++) {
        srt_study_trial_x(s, ts[k], x);
        for (size_t p = 0; p < space->n_params; p++)
            if (!isnan(x[p]) && !srt_param_contains(&space->params[p], x[p]))
                fuzz_fail("study: trial %ld param %s = %g out of its range", ts[k]->number,
                          space->params[p].name, x[p]);
        (void)srt_study_should_prune(s, ts[k]->number);
    }
    (void)srt_study_best_trial(s);
    srt_err_clear(&err);
    (void)srt_study_write_trials_csv(s, fuzz_path("trials.csv"), &err);
    srt_err_clear(&err);
    (void)srt_study_fail_lost_trials(s, NULL, &err);
    srt_ask_t ask;
    memset(&ask, 0, sizeof ask);
    srt_err_clear(&err);
    if (srt_study_ask(s, &ask, &err) == SRT_OK) {
        /* NaN is allowed: a popped WAITING trial whose param the journal will not
         * take (the study's first distribution for the name is incompatible);
         * the coordinator marks such a trial FAIL ("parameters not runnable") */
        for (size_t p = 0; p < ask.n; p++)
            if (!isnan(ask.x[p]) && !srt_param_contains(&space->params[p], ask.x[p]))
                fuzz_fail("study: asked trial %ld param %s = %g out of its range", ask.number,
                          space->params[p].name, ask.x[p]);
        srt_err_clear(&err);
        (void)srt_study_tell(s, ask.number, SRT_TRIAL_STATE_FAIL, NULL, NULL, 0, 1, &err);
    }
    srt_ask_fini(&ask);
    srt_study_destroy(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static srt_space_t *space;
    fuzz_clear();
    if (!space)
        space = make_space();
    size_t split = size / 2;
    while (split < size && data[split] != '\n')
        split++;
    if (split < size)
        split++;
    const char *path = fuzz_write("journal.log", data, split);
    srt_journal_t *j = NULL;
    srt_err_t err;
    srt_err_clear(&err);
    int has_study = 0;
    if (srt_journal_open(path, "fuzz-worker", &j, &err) == SRT_OK) {
        walk_journal(j);
        fuzz_append(path, data + split, size - split);
        srt_err_clear(&err);
        if (srt_journal_refresh(j, &err) == SRT_OK)
            walk_journal(j);
        has_study = srt_journal_find_study(j, "fuzz") >= 0;
        srt_journal_destroy(&j);
    }
    /* the study layer only for journals that hold the study (the rest would
     * only test creating it, at a tenth of the speed) */
    if (has_study)
        use_study(path, space);
    return 0;
}
