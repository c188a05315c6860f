/*
 * The MPI protocol between rank 0 (coordinator) and the workers: every tag and
 * every message layout lives here (style.md, after ADLB).
 *
 * Messages are packed into byte buffers with fixed-width little-endian fields
 * (no struct padding on the wire) and sent as MPI_BYTE. Tag values are
 * explicit, grouped by direction, and never shared with payload enums. The
 * first message a worker sends (READY) carries the protocol version; rank 0
 * refuses a worker that speaks another version.
 *
 * Conversation (work is handed out one equation of one trial at a time; see
 * sched.h for why that gives tail work-sharing for free):
 *   worker -> 0  READY      once, at start
 *   0 -> worker  WORK       one equation of a trial: trial, directory, params
 *   worker -> 0  PROGRESS   after each run (rank 0 logs it)
 *   worker -> 0  RESULT     the equation's status and mean value; rank 0
 *                           answers with the next WORK, or STOP
 *   0 -> worker  STOP       no more work; a busy worker that sees it between
 *                           runs stops as if signalled (checkpoint, RESULT
 *                           "interrupted"), then exits
 */
#ifndef SRTUNE_CLUSTER_PROTOCOL_H
#define SRTUNE_CLUSTER_PROTOCOL_H

#include <stddef.h>
#include <stdint.h>

#include "srtune/core.h"

#define SRT_PROTOCOL_VERSION 2u /* 2: RESULT status io_error */

/* MPI tags: worker -> rank 0 in 100..199, rank 0 -> worker in 200..299. */
typedef enum {
    SRT_TAG_READY = 100,    /* worker asks for work; carries the protocol version */
    SRT_TAG_PROGRESS = 101, /* one run finished */
    SRT_TAG_RESULT = 103,   /* the equation finished (or was interrupted/failed) */
    SRT_TAG_WORK = 200,     /* one equation of a trial */
    SRT_TAG_STOP = 202      /* no more work: exit the worker loop */
} srt_tag_t;

/* Name of a tag for logs ("READY", ...); "?" for unknown values. */
const char *srt_tag_name(int tag);

#define SRT_MSG_MAX_PARAMS 64
#define SRT_MSG_MAX_NAME 64
#define SRT_MSG_MAX_PATH 1024
#define SRT_MSG_MAX_EQUATIONS 1024
#define SRT_MSG_MAX_TEXT 512

/* Upper bound of any packed message, for receive buffers. */
#define SRT_MSG_MAX_BYTES                                                                          \
    (64 + SRT_MSG_MAX_PATH + SRT_MSG_MAX_PARAMS * (SRT_MSG_MAX_NAME + 16) +                        \
     SRT_MSG_MAX_EQUATIONS * 8 + SRT_MSG_MAX_TEXT)

typedef struct srt_msg_ready {
    uint32_t version; /* SRT_PROTOCOL_VERSION */
} srt_msg_ready_t;

/* One hyperparameter as the SR engine sees it (option name, numeric value). */
typedef struct srt_msg_param {
    char name[SRT_MSG_MAX_NAME]; /* SR option name, NUL-terminated */
    double value;                /* value (ints and bools as doubles) */
} srt_msg_param_t;

typedef struct srt_msg_work {
    int64_t trial;                       /* trial number */
    int32_t eq_pos;                      /* the equation position to run */
    char run_dir[SRT_MSG_MAX_PATH];      /* trial directory */
    uint32_t n_params;                   /* entries in params */
    srt_msg_param_t params[SRT_MSG_MAX_PARAMS]; /* the trial's parameters */
} srt_msg_work_t;

typedef struct srt_msg_progress {
    int64_t trial;  /* trial number */
    int32_t eq_pos; /* equation position */
    int32_t run;    /* run index */
    double value;   /* final pareto_volume of the run */
    int32_t reused; /* 1 when found finished on disk */
} srt_msg_progress_t;

typedef struct srt_msg_result {
    int64_t trial;                        /* trial number */
    int32_t eq_pos;                       /* as in the WORK message */
    int32_t status;                       /* srt_work_status_t */
    double value;                         /* the equation's mean value */
    uint32_t n_values;                    /* entries in values (per-run values) */
    double values[SRT_MSG_MAX_EQUATIONS]; /* the runs' pareto volumes, in run order */
    char message[SRT_MSG_MAX_TEXT];       /* error message for a failed trial */
} srt_msg_result_t;

/* Packers return the number of bytes written into buf (size >= needed), or 0
 * when a field does not fit (a string too long, too many params). Unpackers
 * return SRT_OK or SRT_ERR_PROTOCOL for a short or malformed buffer; strings
 * are always NUL-terminated after unpacking. */
size_t srt_msg_pack_ready(const srt_msg_ready_t *m, unsigned char *buf, size_t size);
srt_rc srt_msg_unpack_ready(const unsigned char *buf, size_t len, srt_msg_ready_t *m);
size_t srt_msg_pack_work(const srt_msg_work_t *m, unsigned char *buf, size_t size);
srt_rc srt_msg_unpack_work(const unsigned char *buf, size_t len, srt_msg_work_t *m);
size_t srt_msg_pack_progress(const srt_msg_progress_t *m, unsigned char *buf, size_t size);
srt_rc srt_msg_unpack_progress(const unsigned char *buf, size_t len, srt_msg_progress_t *m);
size_t srt_msg_pack_result(const srt_msg_result_t *m, unsigned char *buf, size_t size);
srt_rc srt_msg_unpack_result(const unsigned char *buf, size_t len, srt_msg_result_t *m);

#endif
