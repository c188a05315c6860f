/*
 * The MPI side of cluster/: rank 0's transport (send WORK/STOP, poll for
 * READY/PROGRESS/RESULT with MPI_Iprobe and a sleep, never a spinning
 * blocking receive) and the worker loop of every other rank. Uses a duplicate
 * of MPI_COMM_WORLD with MPI_ERRORS_RETURN; MPI failures become SRT_ERR_MPI.
 */
#include <mpi.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cluster/coordinator.h"
#include "cluster/mpi_transport.h"
#include "cluster/signals.h"

static srt_rc mpi_check(int code, const char *what, srt_err_t *err)
{
    if (code == MPI_SUCCESS)
        return SRT_OK;
    char msg[MPI_MAX_ERROR_STRING];
    int len = 0;
    MPI_Error_string(code, msg, &len);
    return srt_err_set(err, SRT_ERR_MPI, NULL, NULL, 0, "%s: %s", what, msg);
}

void srt_sleep_s(double s)
{
    if (s <= 0)
        return;
    struct timespec ts;
    ts.tv_sec = (time_t)s;
    ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
    nanosleep(&ts, NULL); /* a signal ends it early, which is what we want */
}

static srt_rc send_bytes(MPI_Comm comm, int rank, int tag, const unsigned char *buf, size_t n,
                         srt_err_t *err)
{
    return mpi_check(MPI_Send(buf, (int)n, MPI_BYTE, rank, tag, comm), "MPI_Send", err);
}

static srt_rc coord_send_work(srt_coord_t *c, srt_worker_slot_t *w, const srt_msg_work_t *m,
                              srt_err_t *err)
{
    MPI_Comm comm = *(MPI_Comm *)c->transport.ctx;
    static unsigned char buf[SRT_MSG_MAX_BYTES];
    size_t n = srt_msg_pack_work(m, buf, sizeof buf);
    if (!n)
        return srt_err_set(err, SRT_ERR_PROTOCOL, NULL, NULL, 0, "WORK message too large");
    return send_bytes(comm, w->rank, SRT_TAG_WORK, buf, n, err);
}

static srt_rc coord_send_stop(srt_coord_t *c, srt_worker_slot_t *w, srt_err_t *err)
{
    MPI_Comm comm = *(MPI_Comm *)c->transport.ctx;
    unsigned char none = 0;
    return send_bytes(comm, w->rank, SRT_TAG_STOP, &none, 0, err);
}

static srt_rc coord_poll(srt_coord_t *c, double max_wait_s, int *got, srt_err_t *err)
{
    MPI_Comm comm = *(MPI_Comm *)c->transport.ctx;
    static unsigned char buf[SRT_MSG_MAX_BYTES];
    *got = 0;
    for (int round = 0; round < 2; round++) {
        for (;;) {
            int flag = 0;
            MPI_Status st;
            srt_rc rc = mpi_check(MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, comm, &flag, &st),
                                  "MPI_Iprobe", err);
            if (rc != SRT_OK)
                return rc;
            if (!flag)
                break;
            int count = 0;
            MPI_Get_count(&st, MPI_BYTE, &count);
            if (count < 0 || (size_t)count > sizeof buf)
                return srt_err_set(err, SRT_ERR_PROTOCOL, NULL, NULL, 0,
                                   "message of %d bytes from rank %d", count, st.MPI_SOURCE);
            rc = mpi_check(MPI_Recv(buf, count, MPI_BYTE, st.MPI_SOURCE, st.MPI_TAG, comm,
                                    MPI_STATUS_IGNORE),
                           "MPI_Recv", err);
            if (rc != SRT_OK)
                return rc;
            (*got)++;
            switch (st.MPI_TAG) {
            case SRT_TAG_READY: {
                srt_msg_ready_t m;
                if (srt_msg_unpack_ready(buf, (size_t)count, &m) != SRT_OK)
                    goto bad;
                srt_coord_on_ready(c, st.MPI_SOURCE, &m);
                break;
            }
            case SRT_TAG_PROGRESS: {
                srt_msg_progress_t m;
                if (srt_msg_unpack_progress(buf, (size_t)count, &m) != SRT_OK)
                    goto bad;
                srt_coord_on_progress(c, st.MPI_SOURCE, &m);
                break;
            }
            case SRT_TAG_RESULT: {
                static srt_msg_result_t m;
                if (srt_msg_unpack_result(buf, (size_t)count, &m) != SRT_OK)
                    goto bad;
                srt_coord_on_equation(c, st.MPI_SOURCE, &m);
                break;
            }
            default:
                goto bad;
            }
            continue;
        bad:
            return srt_err_set(err, SRT_ERR_PROTOCOL, NULL, NULL, 0,
                               "malformed %s message (%d bytes) from rank %d",
                               srt_tag_name(st.MPI_TAG), count, st.MPI_SOURCE);
        }
        if (*got || round == 1 || max_wait_s <= 0)
            break;
        srt_sleep_s(max_wait_s);
    }
    return SRT_OK;
}

srt_transport_t srt_mpi_coord_transport(MPI_Comm *comm)
{
    srt_transport_t t = {coord_send_work, coord_send_stop, coord_poll, comm};
    return t;
}

/* ------------------------------------------------------------- worker */

typedef struct {
    MPI_Comm comm;   /* the job's communicator */
    long trial;      /* current trial */
    srt_msg_result_t *result; /* per-run values collected for RESULT */
} worker_ctx_t;

static void worker_on_run(void *ctx, const srt_run_spec_t *spec, double value, int reused)
{
    worker_ctx_t *w = ctx;
    unsigned char buf[64];
    srt_msg_progress_t m = {w->trial, (int32_t)spec->eq_pos, (int32_t)spec->run, value, reused};
    size_t n = srt_msg_pack_progress(&m, buf, sizeof buf);
    (void)MPI_Send(buf, (int)n, MPI_BYTE, 0, SRT_TAG_PROGRESS, w->comm);
    if (w->result->n_values < SRT_MSG_MAX_EQUATIONS)
        w->result->values[w->result->n_values++] = value;
    /* rank 0 asks us to stop (it got the signal, we did not): behave as signalled */
    int flag = 0;
    (void)MPI_Iprobe(0, SRT_TAG_STOP, w->comm, &flag, MPI_STATUS_IGNORE);
    if (flag && !srt_stop_flag)
        srt_stop_flag = SIGUSR1;
}

int srt_mpi_worker_loop(MPI_Comm comm, srt_exec_t *exec)
{
    static unsigned char buf[SRT_MSG_MAX_BYTES];
    static srt_msg_work_t work;
    static srt_msg_result_t result;
    srt_err_t err;
    worker_ctx_t ctx = {comm, -1, &result};
    int interrupted = 0;
    srt_msg_ready_t ready = {SRT_PROTOCOL_VERSION};
    size_t n = srt_msg_pack_ready(&ready, buf, sizeof buf);
    if (MPI_Send(buf, (int)n, MPI_BYTE, 0, SRT_TAG_READY, comm) != MPI_SUCCESS)
        return SRT_EXIT_FAILURE;
    double wait = 0.0005;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        if (MPI_Iprobe(0, MPI_ANY_TAG, comm, &flag, &st) != MPI_SUCCESS)
            return SRT_EXIT_FAILURE;
        if (!flag) {
            srt_sleep_s(wait); /* idle workers must not burn the cores others compute on */
            if (wait < 0.01)
                wait *= 2;
            continue;
        }
        wait = 0.0005;
        int count = 0;
        MPI_Get_count(&st, MPI_BYTE, &count);
        if (count < 0 || (size_t)count > sizeof buf)
            return SRT_EXIT_FAILURE;
        if (MPI_Recv(buf, count, MPI_BYTE, 0, st.MPI_TAG, comm, MPI_STATUS_IGNORE) !=
            MPI_SUCCESS)
            return SRT_EXIT_FAILURE;
        if (st.MPI_TAG == SRT_TAG_STOP)
            break;
        if (st.MPI_TAG != SRT_TAG_WORK ||
            srt_msg_unpack_work(buf, (size_t)count, &work) != SRT_OK) {
            SRT_ERROR("malformed %s message from rank 0", srt_tag_name(st.MPI_TAG));
            return SRT_EXIT_FAILURE;
        }
        memset(&result, 0, sizeof result);
        result.trial = work.trial;
        result.eq_pos = work.eq_pos;
        ctx.trial = work.trial;
        srt_work_status_t status = SRT_WORK_FAILED;
        double value = 0;
        srt_err_clear(&err);
        srt_rc rc = srt_exec_equation(exec, &work, (size_t)work.eq_pos, &srt_stop_flag,
                                      worker_on_run, &ctx, &value, &status, &err);
        if (rc != SRT_OK)
            status = srt_err_is_environment(&err) ? SRT_WORK_IO_ERROR : SRT_WORK_FAILED;
        if (status == SRT_WORK_INTERRUPTED)
            interrupted = 1;
        result.status = (int32_t)status;
        result.value = value;
        if (status == SRT_WORK_FAILED || status == SRT_WORK_IO_ERROR)
            srt_err_format(&err, result.message, sizeof result.message);
        n = srt_msg_pack_result(&result, buf, sizeof buf);
        if (!n || MPI_Send(buf, (int)n, MPI_BYTE, 0, SRT_TAG_RESULT, comm) != MPI_SUCCESS)
            return SRT_EXIT_FAILURE;
    }
    return interrupted ? SRT_EXIT_RESUMABLE : SRT_EXIT_OK;
}
