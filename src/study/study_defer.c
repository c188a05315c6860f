/*
 * Deferred intermediate values and holds: the study side of cheap appends.
 *
 * Every journal append costs a lock (a symlink: a new inode), an fsync and an
 * unlock, and a coordinator with many workers reports an intermediate value
 * each time an equation finishes. With report_delay > 0 a report is only
 * queued here (its line and its value); the queue goes out in front of this
 * study's next append of any kind, or with srt_study_flush once the oldest
 * value has waited report_delay. Nothing is lost by the wait: the runs behind
 * a value are files on disk, and a relaunch rebuilds the value from them.
 * The pruner and a PRUNED tell see queued values through a trial view.
 */
#include <stdlib.h>
#include <string.h>

#include "study_int.h"

srt_rc srt__study_queue_report(srt_study_t *s, const srt_trial_t *t, long step, double value,
                               srt_err_t *err)
{
    if (srt__grow((void **)&s->pending_vals, &s->cap_pending, s->n_pending + 1,
                  sizeof *s->pending_vals) != 0)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    srt_rc rc = srt_journal_op_set_intermediate(&s->pending, srt_journal_worker_id(s->j), t->id,
                                                step, value);
    if (rc != SRT_OK)
        return srt_err_set(err, rc, srt_journal_path(s->j), NULL, 0,
                           "cannot encode an intermediate value");
    if (s->n_pending == 0)
        s->pending_since = srt_time_monotonic();
    pending_value_t *p = &s->pending_vals[s->n_pending++];
    p->number = t->number;
    p->step = step;
    p->value = value;
    return SRT_OK;
}

srt_rc srt__study_copy_pending(srt_study_t *s, srt_journal_batch_t *b)
{
    return srt_journal_batch_append(b, &s->pending);
}

void srt__study_pending_written(srt_study_t *s)
{
    srt_journal_batch_reset(&s->pending);
    s->n_pending = 0;
}

srt_rc srt__study_commit(srt_study_t *s, const srt_journal_batch_t *b, srt_err_t *err)
{
    if (s->n_pending == 0)
        return srt_journal_commit(s->j, b, err);
    srt_journal_batch_t joined;
    srt_journal_batch_init(&joined);
    srt_rc rc = srt_journal_batch_append(&joined, &s->pending);
    if (rc == SRT_OK)
        rc = srt_journal_batch_append(&joined, b);
    if (rc != SRT_OK)
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    else
        rc = srt_journal_commit(s->j, &joined, err);
    if (rc == SRT_OK)
        srt__study_pending_written(s);
    srt_journal_batch_fini(&joined);
    return rc;
}

srt_rc srt_study_flush(srt_study_t *s, int force, srt_err_t *err)
{
    if (s->n_pending == 0)
        return SRT_OK;
    if (!force && srt_time_monotonic() - s->pending_since < s->report_delay)
        return SRT_OK;
    srt_journal_batch_t none;
    srt_journal_batch_init(&none);
    return srt__study_commit(s, &none, err);
}

size_t srt_study_n_queued(const srt_study_t *s)
{
    return s->n_pending;
}

void srt_study_hold(srt_study_t *s)
{
    srt_journal_hold(s->j);
}

srt_rc srt_study_release(srt_study_t *s, srt_err_t *err)
{
    return srt_journal_release(s->j, err);
}

/* Sets step's value in a step-sorted array of n (room for one more). */
static size_t put_step(srt_step_value_t *a, size_t n, long step, double value)
{
    size_t i = 0;
    while (i < n && a[i].step < step)
        i++;
    if (i < n && a[i].step == step) {
        a[i].value = value; /* a later report of a step replaces it, as in Optuna */
        return n;
    }
    memmove(a + i + 1, a + i, (n - i) * sizeof *a);
    a[i].step = step;
    a[i].value = value;
    return n + 1;
}

const srt_trial_t *srt__study_trial_view(const srt_study_t *s, const srt_trial_t *t,
                                         srt_trial_t *view, srt_step_value_t **buf)
{
    size_t mine = 0;
    *buf = NULL;
    for (size_t i = 0; i < s->n_pending; i++)
        mine += s->pending_vals[i].number == t->number;
    if (!mine)
        return t;
    srt_step_value_t *a = malloc((t->n_intermediate + mine) * sizeof *a);
    if (!a)
        return t;
    size_t n = t->n_intermediate;
    if (n)
        memcpy(a, t->intermediate, n * sizeof *a);
    for (size_t i = 0; i < s->n_pending; i++)
        if (s->pending_vals[i].number == t->number)
            n = put_step(a, n, s->pending_vals[i].step, s->pending_vals[i].value);
    *view = *t;
    view->intermediate = a;
    view->n_intermediate = n;
    *buf = a;
    return view;
}

void srt__study_pending_free(srt_study_t *s)
{
    srt_journal_batch_fini(&s->pending);
    free(s->pending_vals);
    s->pending_vals = NULL;
    s->n_pending = s->cap_pending = 0;
}
