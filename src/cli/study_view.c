/* Read-only view of a study directory: see study_view.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include "cli/study_view.h"
#include "srtune/runner.h"

int srt_view_open(const char *dir, srt_view_t *v)
{
    srt_err_t err;
    int code = 0;
    char *cfg = NULL, *jpath = NULL;
    memset(v, 0, sizeof *v);
    v->study_id = -1;
    v->dir = srt_strdup(dir);
    cfg = srt_path_join(dir, "config.json");
    jpath = srt_path_join(dir, "journal.log");
    if (!v->dir || !cfg || !jpath) {
        code = SRT_EXIT_FAILURE;
        goto cleanup;
    }
    if (!srt_fs_is_file(cfg)) {
        fprintf(stderr, "srtune: %s: not a study directory (no config.json)\n", dir);
        code = SRT_EXIT_INVALID;
        goto cleanup;
    }
    code = srt_study_plan_load(cfg, 0, &v->plan);
    if (code != 0)
        goto cleanup;
    if (srt_bridge_init(&v->bridge, &v->plan.cfg->space, &err) != SRT_OK) {
        srt_print_error(&err);
        code = srt_exit_code_for(err.code);
        goto cleanup;
    }
    if (!srt_fs_is_file(jpath)) {
        struct stat st;
        if (lstat(jpath, &st) == 0) { /* there, but a directory or a device */
            fprintf(stderr, "srtune: %s: not a regular file (the study journal)\n", jpath);
            code = SRT_EXIT_INVALID;
        }
        goto cleanup; /* else a study that has not started: no trials yet */
    }
    if (srt_journal_open_readonly(jpath, &v->journal, &err) != SRT_OK) {
        srt_print_error(&err);
        code = srt_exit_code_for(err.code);
        goto cleanup;
    }
    v->study_id = srt_journal_find_study(v->journal, v->plan.cfg->study.name);
    if (v->study_id >= 0) {
        v->trials = srt_journal_study_trials(v->journal, v->study_id, &v->n_trials);
    } else {
        /* another study's journal (copied, or output_dir shared by mistake) */
        const char *other = NULL;
        for (int i = 0; !other && i < srt_journal_n_study_ids(v->journal); i++)
            other = srt_journal_study_name(v->journal, i);
        if (other)
            SRT_WARN("%s: no study '%s' in the journal (it holds '%s'): is config.json from "
                     "another study?",
                     jpath, v->plan.cfg->study.name, other);
    }
cleanup:
    free(cfg);
    free(jpath);
    return code;
}

void srt_view_close(srt_view_t *v)
{
    if (!v)
        return;
    srt_journal_destroy(&v->journal);
    srt_bridge_fini(&v->bridge);
    srt_study_plan_fini(&v->plan);
    free(v->dir);
    memset(v, 0, sizeof *v);
}

srt_rc srt_view_params(const srt_view_t *v, const srt_trial_t *t, srt_msg_work_t *out,
                       srt_err_t *err)
{
    size_t n = v->bridge.space->n_params;
    double *x = malloc((n ? n : 1) * sizeof *x);
    if (!x)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    memset(out, 0, sizeof *out);
    srt_bridge_trial_x(&v->bridge, t, x);
    srt_rc rc = srt_bridge_params(&v->bridge, x, out, err);
    free(x);
    return rc;
}

size_t srt_view_runs_done(const srt_view_t *v, const srt_trial_t *t)
{
    const char *rd = srt_trial_system_attr(t, "srtune:run_dir");
    if (!rd || !srt_study_run_dir_safe(rd))
        return 0;
    /* the attribute is JSON text: a quoted path relative to the output dir */
    char rel[4096];
    size_t len = strlen(rd);
    if (len < 2 || rd[0] != '"' || len - 2 >= sizeof rel)
        return 0;
    memcpy(rel, rd + 1, len - 2);
    rel[len - 2] = '\0';
    char *trial_dir = srt_path_join(v->dir, rel);
    long *eqs = NULL;
    size_t done = 0;
    srt_runner_config_t rc;
    memset(&rc, 0, sizeof rc);
    if (trial_dir &&
        srt_study_plan_runner_names(&v->plan, &rc.dataset, &rc.datasets, &eqs, NULL) == SRT_OK) {
        rc.trial_dir = trial_dir;
        rc.equations = eqs;
        rc.n_equations = v->plan.n_equations;
        rc.n_runs = v->plan.cfg->dataset.n_runs;
        srt_trial_progress_t p;
        if (srt_runner_scan(&rc, &p, NULL) == SRT_OK)
            done = p.runs_done;
    }
    free(eqs);
    free(trial_dir);
    return done;
}

const srt_trial_t *srt_view_best(const srt_view_t *v)
{
    const srt_trial_t *best = NULL;
    int minimize = v->plan.cfg->study.direction == SRT_DIRECTION_MINIMIZE;
    for (size_t i = 0; i < v->n_trials; i++) {
        const srt_trial_t *t = v->trials[i];
        if (t->state != SRT_TRIAL_STATE_COMPLETE || !t->n_values || !isfinite(t->values[0]))
            continue;
        if (!srt_trial_system_attr(t, "srtune:run_dir"))
            continue; /* a foreign trial (Optuna ask/tell): no SR runs behind its value */
        if (!best || (minimize ? t->values[0] < best->values[0] : t->values[0] > best->values[0]))
            best = t;
    }
    return best;
}

double srt_view_heartbeat_age(const srt_trial_t *t)
{
    const char *hb = srt_trial_system_attr(t, "srtune:heartbeat");
    if (!hb)
        return -1;
    double when = strtod(hb, NULL);
    return srt_time_wall() - when;
}

double srt_view_iso_seconds(const char *iso)
{
    struct tm tm;
    double frac = 0;
    memset(&tm, 0, sizeof tm);
    if (!iso || sscanf(iso, "%d-%d-%dT%d:%d:%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
               &tm.tm_min, &tm.tm_sec) != 6)
        return NAN;
    const char *dot = strchr(iso, '.');
    if (dot)
        frac = strtod(dot, NULL);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    tm.tm_isdst = -1;
    return (double)mktime(&tm) + frac;
}
