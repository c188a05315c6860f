/* Terminal progress line of `srtune run`: see progress.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/progress.h"
#include "cluster/signals.h"
#include "srtune/core.h"

static srt_progress_t *active; /* the line the log hook clears */

static void clear_line(void)
{
    if (active && active->enabled && active->drawn) {
        fputs("\r\033[K", stderr);
        active->drawn = 0;
    }
}

srt_progress_mode_t srt_progress_mode(void)
{
    const char *m = getenv("SRTUNE_PROGRESS");
    if (m && !strcmp(m, "always"))
        return SRT_PROGRESS_ALWAYS;
    if (m && !strcmp(m, "never"))
        return SRT_PROGRESS_NEVER;
    const char *old = getenv("SRTUNE_NO_PROGRESS");
    if (old && *old && strcmp(old, "0") != 0)
        return SRT_PROGRESS_NEVER;
    return SRT_PROGRESS_AUTO;
}

int srt_progress_wanted(void)
{
    switch (srt_progress_mode()) {
    case SRT_PROGRESS_ALWAYS: return 1;
    case SRT_PROGRESS_NEVER: return 0;
    default: return isatty(STDERR_FILENO);
    }
}

void srt_progress_init(srt_progress_t *p, size_t trials_goal, size_t runs_total)
{
    memset(p, 0, sizeof *p);
    p->enabled = srt_progress_wanted();
    p->trials_goal = trials_goal;
    p->runs_total = runs_total;
    p->best = NAN;
    p->start = srt_time_monotonic();
    p->last_draw = -1;
    if (p->enabled && isatty(STDERR_FILENO)) {
        active = p;
        srt_log_set_before_write(clear_line);
    } else if (p->enabled) {
        /* a pipe that leads to a terminal (mpirun): one write per log line,
         * clearing the line first, so mpirun cannot split the two */
        srt_log_set_line_prefix("\r\033[K");
    }
}

int srt_progress_trial_interrupted(const srt_trial_t *t)
{
    if (t->state != SRT_TRIAL_STATE_FAIL)
        return 0;
    const char *e = srt_trial_user_attr(t, "srtune:error");
    return e && !strcmp(e, "\"" SRT_PROGRESS_INTERRUPTED "\"");
}

void srt_progress_worker_init(void)
{
    if (srt_progress_mode() == SRT_PROGRESS_ALWAYS)
        srt_log_set_line_prefix("\r\033[K");
}

static void format_eta(char *eta, size_t size, double s)
{
    if (s < 120)
        snprintf(eta, size, "%.0fs", s);
    else if (s < 7200)
        snprintf(eta, size, "%.0fm", s / 60);
    else
        snprintf(eta, size, "%.1fh", s / 3600);
}

void srt_progress_format(const srt_progress_t *p, double now, char *buf, size_t size)
{
    const int width = 24;
    int finished = p->trials_goal > 0 && p->done >= p->trials_goal;
    /* the study needs fewer runs than planned when trials were pruned: once it
     * is done, the runs done are the total */
    size_t total = finished ? p->runs_done : p->runs_total;
    if (total < p->runs_done)
        total = p->runs_done;
    double frac = total ? (double)p->runs_done / (double)total : 0;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * width + 0.5);
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    char eta[32] = "--";
    double elapsed = now - p->start;
    if (finished)
        snprintf(eta, sizeof eta, "done");
    else if (p->runs_new > 0 && total > p->runs_done)
        format_eta(eta, sizeof eta,
                   elapsed / (double)p->runs_new * (double)(total - p->runs_done));
    char best[32] = "--";
    if (!isnan(p->best))
        snprintf(best, sizeof best, "%.6g", p->best);
    char inter[48] = "";
    if (p->interrupted)
        snprintf(inter, sizeof inter, ", %zu interrupted", p->interrupted);
    snprintf(buf, size,
             "[%s] trials %zu/%zu (%zu pruned, %zu failed%s)  runs %zu/%zu  ETA %s  best %s%s%s",
             bar, p->done, p->trials_goal, p->pruned, p->failed, inter, p->runs_done, total, eta,
             best, p->note ? "  " : "", p->note ? p->note : "");
}

void srt_progress_draw(srt_progress_t *p, int force)
{
    if (!p->enabled)
        return;
    if (srt_stop_flag && !isatty(STDERR_FILENO)) {
        /* through mpirun while it shuts the job down, its output is no longer in
         * order: stop drawing rather than glue the bar to the last log lines */
        srt_progress_clear(p);
        return;
    }
    double now = srt_time_monotonic();
    if (!force && now - p->last_draw < 0.25)
        return;
    p->last_draw = now;
    char line[512];
    srt_progress_format(p, now, line, sizeof line);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    p->drawn = 1;
}

void srt_progress_clear(srt_progress_t *p)
{
    if (p->enabled && p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
        p->drawn = 0;
    }
}

void srt_progress_finish(srt_progress_t *p)
{
    if (!p->enabled)
        return;
    srt_progress_draw(p, 1);
    if (p->drawn)
        fputc('\n', stderr);
    fflush(stderr);
    p->drawn = 0;
    srt_log_set_before_write(NULL);
    srt_log_set_line_prefix(NULL);
    active = NULL;
}
