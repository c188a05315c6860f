/* Terminal progress bar of `srtune run`: see progress.h. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dist/progress.h"
#include "srtune/core.h"

static srt_progress_t *active; /* the bar the log hook clears */

static void clear_line(void)
{
    if (active && active->enabled)
        fputs("\r\033[K", stderr);
}

void srt_progress_init(srt_progress_t *p, size_t trials_goal, size_t runs_total)
{
    memset(p, 0, sizeof *p);
    p->enabled = isatty(STDERR_FILENO) && !getenv("SRTUNE_NO_PROGRESS");
    p->trials_goal = trials_goal;
    p->runs_total = runs_total;
    p->best = NAN;
    p->start = srt_time_monotonic();
    p->last_draw = -1;
    if (p->enabled) {
        active = p;
        srt_log_set_before_write(clear_line);
    }
}

void srt_progress_draw(srt_progress_t *p, int force)
{
    if (!p->enabled)
        return;
    double now = srt_time_monotonic();
    if (!force && now - p->last_draw < 0.25)
        return;
    p->last_draw = now;
    const int width = 24;
    double frac = p->runs_total ? (double)p->runs_done / (double)p->runs_total : 0;
    if (frac > 1)
        frac = 1;
    int fill = (int)(frac * width + 0.5);
    char bar[32];
    for (int i = 0; i < width; i++)
        bar[i] = i < fill ? '#' : '.';
    bar[width] = '\0';
    char eta[32] = "--";
    double elapsed = now - p->start;
    if (p->runs_new > 0 && p->runs_total > p->runs_done) {
        double s = elapsed / (double)p->runs_new * (double)(p->runs_total - p->runs_done);
        if (s < 120)
            snprintf(eta, sizeof eta, "%.0fs", s);
        else if (s < 7200)
            snprintf(eta, sizeof eta, "%.0fm", s / 60);
        else
            snprintf(eta, sizeof eta, "%.1fh", s / 3600);
    }
    char best[32] = "--";
    if (!isnan(p->best))
        snprintf(best, sizeof best, "%.6g", p->best);
    fprintf(stderr, "\r\033[K[%s] trials %zu/%zu (%zu pruned, %zu failed)  runs %zu/%zu  ETA %s  "
                    "best %s",
            bar, p->done, p->trials_goal, p->pruned, p->failed, p->runs_done, p->runs_total, eta,
            best);
    fflush(stderr);
}

void srt_progress_finish(srt_progress_t *p)
{
    if (!p->enabled)
        return;
    srt_progress_draw(p, 1);
    fputc('\n', stderr);
    srt_log_set_before_write(NULL);
    active = NULL;
}
