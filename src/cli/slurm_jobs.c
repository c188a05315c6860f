/* The coordinators block of `srtune status`: see slurm_jobs.h (the records
 * and squeue are read by src/cluster/slurm_query.c). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/slurm_jobs.h"
#include "cluster/slurm_query.h"

#define MAX_FINISHED_SHOWN 10 /* finished coordinators listed (the most recent) */
#define MAX_TRIALS_SHOWN 12 /* trial numbers listed per coordinator */

/* ------------------------------------------------------------ output */

static void format_age(char *buf, size_t size, double s)
{
    if (s < 0 || !isfinite(s))
        snprintf(buf, size, "?");
    else if (s < 120)
        snprintf(buf, size, "%.0f s ago", s);
    else if (s < 7200)
        snprintf(buf, size, "%.0f min ago", s / 60);
    else if (s < 172800)
        snprintf(buf, size, "%.1f h ago", s / 3600);
    else
        snprintf(buf, size, "%.0f d ago", s / 86400);
}

static void format_status(char *buf, size_t size, const srt_coord_record_t *r, int died)
{
    if (r->has_exit)
        snprintf(buf, size, "exit %ld%s", r->exit_code,
                 r->exit_code == SRT_EXIT_RESUMABLE ? " (stopped)" : "");
    else
        snprintf(buf, size, "%s", died ? "died" : "running");
}

static void format_job(char *buf, size_t size, const srt_coord_record_t *r)
{
    if (r->array_job_id[0])
        snprintf(buf, size, "%s_%s", r->array_job_id, r->array_task_id);
    else if (r->job_id[0])
        snprintf(buf, size, "%s", r->job_id);
    else
        snprintf(buf, size, "-");
}

/* The numbers of the RUNNING trials that worker owns, as "3 4 7", or "-". */
static void format_trials(char *buf, size_t size, const srt_view_t *v, const char *worker)
{
    size_t o = 0, shown = 0, more = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < v->n_trials; i++) {
        const srt_trial_t *t = v->trials[i];
        if (t->state != SRT_TRIAL_STATE_RUNNING)
            continue;
        const char *owner = t->running_worker ? t->running_worker : t->created_worker;
        if (!owner || strcmp(owner, worker) != 0)
            continue;
        if (shown == MAX_TRIALS_SHOWN) {
            more++;
            continue;
        }
        int w = snprintf(buf + o, size - o, "%s%ld", shown ? " " : "", t->number);
        if (w < 0 || (size_t)w >= size - o)
            break;
        o += (size_t)w;
        shown++;
    }
    if (more && o < size)
        snprintf(buf + o, size - o, " (+%zu)", more);
    if (!shown)
        snprintf(buf, size, "-");
}

static int width_of(const srt_coord_record_t *recs, size_t n, int first, int min, size_t off, size_t cap)
{
    int w = min;
    for (size_t i = (size_t)first; i < n; i++) {
        const char *s = (const char *)&recs[i] + off;
        int len = (int)strnlen(s, cap);
        if (len > w)
            w = len;
    }
    return w;
}

void srt_status_print_jobs(const srt_view_t *v)
{
    srt_coord_record_t *recs = NULL;
    size_t n = srt_coord_records_read(v->dir, &recs);
    if (n == 0) {
        free(recs);
        return;
    }
    char myhost[256] = "";
    if (gethostname(myhost, sizeof myhost - 1) != 0)
        myhost[0] = '\0';
    myhost[sizeof myhost - 1] = '\0';

    int any_slurm = 0;
    for (size_t i = 0; i < n; i++)
        any_slurm |= recs[i].job_id[0] || recs[i].array_job_id[0];
    srt_squeue_t q;
    memset(&q, 0, sizeof q);
    int have_squeue = any_slurm && srt_squeue_query(recs, n, &q) == 0;
    if (have_squeue)
        srt_squeue_match(recs, n, &q);

    /* which to list: every running one, and the most recent ended ones (an
     * exit code, or died: no exit code, and no such process on this host or
     * no such running SLURM job) */
    int *show = calloc(n, sizeof *show), *died = calloc(n, sizeof *died);
    if (!show || !died) {
        free(show);
        free(died);
        free(recs);
        return;
    }
    size_t n_finished = 0, n_died = 0, n_running = 0;
    for (size_t i = 0; i < n; i++) {
        died[i] = srt_coord_record_died_here(&recs[i], myhost) || srt_coord_record_died_slurm(recs, n, i, have_squeue);
        n_finished += recs[i].has_exit != 0;
        n_died += died[i] != 0;
    }
    n_running = n - n_finished - n_died;
    size_t n_ended = n_finished + n_died;
    size_t skip_ended = n_ended > MAX_FINISHED_SHOWN ? n_ended - MAX_FINISHED_SHOWN : 0;
    size_t seen_ended = 0;
    for (size_t i = 0; i < n; i++) {
        if (recs[i].has_exit || died[i])
            show[i] = seen_ended++ >= skip_ended;
        else
            show[i] = 1;
    }

    int ww = width_of(recs, n, 0, 6, offsetof(srt_coord_record_t, worker_id), sizeof recs->worker_id);
    int hw = width_of(recs, n, 0, 4, offsetof(srt_coord_record_t, host), sizeof recs->host);
    printf("  coordinators: %zu running, %zu finished", n_running, n_finished);
    if (n_died)
        printf(", %zu died (no exit record)", n_died);
    if (skip_ended)
        printf(" (the %zu oldest ended not shown)", skip_ended);
    printf("\n");
    printf("    %-*s  %-*s  %7s  %5s  %-12s  %-17s", ww, "WORKER", hw, "HOST", "PID", "RANKS",
           "STARTED", "STATUS");
    if (any_slurm)
        printf("  %-14s", "SLURM JOB");
    if (have_squeue)
        printf("  %-11s  %-10s  %-11s", "JOB STATE", "NODE", "TIME LEFT");
    printf("  TRIALS\n");
    double now = srt_time_wall();
    for (size_t i = 0; i < n; i++) {
        if (!show[i])
            continue;
        const srt_coord_record_t *r = &recs[i];
        char age[32], status[48], job[72], trials[160];
        format_age(age, sizeof age, now - r->started);
        format_status(status, sizeof status, r, died[i]);
        format_job(job, sizeof job, r);
        format_trials(trials, sizeof trials, v, r->worker_id);
        printf("    %-*s  %-*s  %7ld  %5ld  %-12s  %-17s", ww, r->worker_id, hw, r->host, r->pid,
               r->mpi_size, age, status);
        if (any_slurm)
            printf("  %-14s", job);
        if (have_squeue) {
            if (r->row)
                printf("  %-11s  %-10s  %-11s", r->row[SRT_Q_STATE],
                       r->row[SRT_Q_NODES][0] ? r->row[SRT_Q_NODES] : "-", r->row[SRT_Q_LEFT]);
            else
                printf("  %-11s  %-10s  %-11s", "ended", "-", "-");
        }
        printf("  %s\n", trials);
    }
    if (have_squeue) {
        /* tasks of the study's arrays that have no coordinator yet (pending) */
        int header = 0;
        for (size_t k = 0; k < q.n_rows; k++) {
            if (q.used[k])
                continue;
            const char *const *row = q.rows[k];
            if (!header) {
                printf("  slurm jobs of this study without a coordinator yet:\n");
                header = 1;
            }
            printf("    %-14s  %-11s  %-10s  %-11s  %s\n", row[SRT_Q_ID], row[SRT_Q_STATE],
                   row[SRT_Q_NODES][0] ? row[SRT_Q_NODES] : "-", row[SRT_Q_LEFT], row[SRT_Q_REASON]);
        }
    }
    srt_squeue_free(&q);
    free(died);
    free(show);
    free(recs);
}
