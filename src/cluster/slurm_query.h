/*
 * SLURM and coordinator queries for `srtune status`: the coordinator records
 * that `srtune run` writes (<DIR>/coordinators/<worker_id>.json, see
 * jobrecord.h), read back; `squeue` asked about their jobs (fork/exec, no
 * shell, a timeout: SRTUNE_SQUEUE_TIMEOUT seconds, default 5; SRTUNE_SQUEUE
 * names another executable); and whether a record without an exit code died.
 * Printing is the CLI's (src/cli/slurm_jobs.c).
 */
#ifndef SRTUNE_CLUSTER_SLURM_QUERY_H
#define SRTUNE_CLUSTER_SLURM_QUERY_H

#include <stddef.h>

/* One coordinator record (coordinators/<worker_id>.json). */
typedef struct {
    char worker_id[160];
    char host[128];
    long pid;
    long mpi_size;
    char job_id[32];        /* SLURM_JOB_ID or "" */
    char array_job_id[32];  /* SLURM_ARRAY_JOB_ID or "" */
    char array_task_id[32]; /* SLURM_ARRAY_TASK_ID or "" */
    double started;
    int has_ended;
    double ended;
    long exit_code;
    int has_exit;
    const char *const *row; /* matching squeue row (fields), or NULL */
} srt_coord_record_t;

/* One squeue row: %i|%A|%F|%K|%T|%N|%L|%r */
enum {
    SRT_Q_ID,
    SRT_Q_JOBID,
    SRT_Q_ARRAY_JOB,
    SRT_Q_ARRAY_TASK,
    SRT_Q_STATE,
    SRT_Q_NODES,
    SRT_Q_LEFT,
    SRT_Q_REASON,
    SRT_Q_NFIELDS
};

typedef struct {
    char *text;                         /* squeue's output (owned; fields point into it) */
    const char *(*rows)[SRT_Q_NFIELDS]; /* parsed rows */
    size_t n_rows;
    int *used; /* row matched a record */
} srt_squeue_t;

/* Reads every record of dir/coordinators (at most 4096); *out sorted by start
 * time (free it). Returns the count. */
size_t srt_coord_records_read(const char *dir, srt_coord_record_t **out);
/* Asks squeue about the records' jobs (array jobs as a whole, so that tasks
 * that have not started show too). 0 when squeue answered, -1 without SLURM
 * or an answer. */
int srt_squeue_query(const srt_coord_record_t *recs, size_t n, srt_squeue_t *q);
/* Sets each record's row to its squeue row, and marks the rows used. */
void srt_squeue_match(srt_coord_record_t *recs, size_t n, srt_squeue_t *q);
void srt_squeue_free(srt_squeue_t *q);
/* 1 when the record has no exit code, was written on host myhost and its
 * process is gone. */
int srt_coord_record_died_here(const srt_coord_record_t *r, const char *myhost);
/* 1 when record i has no exit code and its SLURM job no longer runs, or its
 * array task started again later. */
int srt_coord_record_died_slurm(const srt_coord_record_t *recs, size_t n, size_t i,
                                int have_squeue);

#endif
