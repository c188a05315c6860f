/*
 * `srtune export DIR [--out FILE]`: the trials ledger as CSV (default
 * DIR/trials.csv, written atomically): number, state, value, start and end
 * times, duration, runs done, one column per SR option value, then one column
 * per equation (eq_<id>, e.g. eq_II.3.24, the id of dataset.equations and
 * `srtune equations`; eq_<index> for a CSV data set: the equation's mean
 * Pareto volume).
 */
#include <stdarg.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "cli/study_summary.h"
#include "cli/study_view.h"

typedef struct {
    char *buf;
    size_t len, cap;
} text_t;

static int add(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int add(text_t *t, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int n = vsnprintf(t->buf ? t->buf + t->len : NULL, t->buf ? t->cap - t->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0)
            return -1;
        if (t->buf && t->len + (size_t)n < t->cap) {
            t->len += (size_t)n;
            return 0;
        }
        size_t cap = t->cap ? t->cap * 2 : 4096;
        while (cap < t->len + (size_t)n + 1)
            cap *= 2;
        char *b = realloc(t->buf, cap);
        if (!b)
            return -1;
        t->buf = b;
        t->cap = cap;
    }
}

/* The per-equation values attribute ("[1.5,null,...]") as n CSV cells. */
static void add_equation_values(text_t *t, const char *json, size_t n)
{
    const char *p = json && json[0] == '[' ? json + 1 : NULL;
    for (size_t e = 0; e < n; e++) {
        add(t, ",");
        if (!p)
            continue;
        while (*p == ' ')
            p++;
        char *end = NULL;
        double v = strtod(p, &end);
        if (end != p)
            add(t, "%.17g", v);
        const char *comma = strchr(p, ',');
        p = comma ? comma + 1 : NULL;
    }
}

int srt_cmd_export(int argc, char **argv)
{
    const char *dir = NULL, *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--out") && i + 1 < argc)
            out = argv[++i];
        else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            printf("usage: srtune export DIR|CONFIG [--out FILE]   (default DIR/trials.csv)\n");
            return SRT_EXIT_OK;
        } else if (argv[i][0] != '-' && !dir)
            dir = argv[i];
        else {
            fprintf(stderr, "usage: srtune export DIR|CONFIG [--out FILE]\n");
            return SRT_EXIT_USAGE;
        }
    }
    if (!dir) {
        fprintf(stderr, "usage: srtune export DIR|CONFIG [--out FILE]\n");
        return SRT_EXIT_USAGE;
    }
    srt_view_t v;
    int code = 0;
    char *target = srt_summary_target_dir(dir, &code); /* DIR, or a config's output_dir */
    if (!target)
        return code;
    dir = target;
    code = srt_view_open(dir, &v);
    char *path = NULL;
    text_t t = {0};
    static srt_msg_work_t w, header;
    srt_err_t err;
    if (code != 0)
        goto cleanup;
    path = out ? srt_strdup(out) : srt_path_join(dir, "trials.csv");
    /* the columns: SR values of a trial's params (the same for every trial) */
    double *nanx = calloc(v.bridge.space->n_params + 1, sizeof *nanx);
    if (nanx) {
        for (size_t i = 0; i < v.bridge.space->n_params; i++)
            nanx[i] = v.bridge.space->params[i].kind == SRT_PARAM_CATEGORICAL
                          ? 0
                          : v.bridge.space->params[i].low;
        (void)srt_bridge_params(&v.bridge, nanx, &header, &err);
        free(nanx);
    }
    add(&t, "number,state,value,datetime_start,datetime_complete,duration_s,runs_done,baseline");
    for (uint32_t i = 0; i < header.n_params; i++)
        add(&t, ",%s", header.params[i].name);
    for (size_t e = 0; e < v.plan.n_equations; e++) {
        /* suite files: the instance id; catalogue equations: eq_<id> (eq_<index>
         * when the catalogue has no id) */
        char id[256];
        srt_study_plan_instance_id(&v.plan, e, id, sizeof id);
        const srt_catalogue_entry_t *ce =
            v.plan.cat ? srt_catalogue_entry(v.plan.cat, v.plan.equations[e]) : NULL;
        if (v.plan.files)
            add(&t, ",%s", id);
        else if (ce && ce->id)
            add(&t, ",eq_%s", ce->id);
        else
            add(&t, ",eq_%zu", v.plan.equations[e]);
    }
    add(&t, "\n");
    for (size_t k = 0; k < v.n_trials; k++) {
        const srt_trial_t *tr = v.trials[k];
        add(&t, "%ld,%s,", tr->number, srt_trial_state_name(tr->state));
        if (tr->n_values)
            add(&t, "%.17g", tr->values[0]);
        add(&t, ",%s,%s,", tr->datetime_start, tr->datetime_complete);
        double d = srt_view_iso_seconds(tr->datetime_complete) - srt_view_iso_seconds(tr->datetime_start);
        if (tr->datetime_complete[0] && tr->datetime_start[0] && d >= 0)
            add(&t, "%.3f", d);
        add(&t, ",%zu,", srt_view_runs_done(&v, tr));
        char bname[128];
        const char *bl = srt_study_trial_baseline(tr, bname, sizeof bname);
        if (bl) /* a name is letters, digits, '.', '_', '-' (config check): no quoting */
            add(&t, "%s", bl);
        int ok = srt_view_params(&v, tr, &w, &err) == SRT_OK;
        for (uint32_t i = 0; i < header.n_params; i++) {
            if (ok && i < w.n_params)
                add(&t, ",%.17g", w.params[i].value);
            else
                add(&t, ",");
        }
        add_equation_values(&t, srt_trial_user_attr(tr, "equation_values"), v.plan.n_equations);
        add(&t, "\n");
    }
    if (!t.buf || srt_fs_write_atomic(path, t.buf, t.len, &err) != SRT_OK) {
        srt_print_error(&err);
        code = SRT_EXIT_FAILURE;
        goto cleanup;
    }
    printf("%s: %zu trials\n", path, v.n_trials);
cleanup:
    free(t.buf);
    free(path);
    srt_view_close(&v);
    free(target);
    return code;
}
