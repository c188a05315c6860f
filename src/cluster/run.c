/*
 * `srtune run`: MPI set-up, config and catalogue on every rank, the effective
 * config written by rank 0, then rank 0 coordinates and the other ranks work.
 * With one process the coordinator runs each equation inline ("local"
 * transport): no MPI messages at all, the same numbers.
 */
#include <mpi.h>
#include <stdio.h>
#include <string.h>

#include "cluster/coordinator.h"
#include "cluster/jobrecord.h"
#include "cluster/mpi_transport.h"
#include "cluster/progress.h"
#include "cluster/signals.h"
#include "srtune/cluster.h"

/* ---------------------------------------------------- local transport */

typedef struct {
    srt_exec_t *exec;        /* runs the equation here */
    srt_coord_t *coord;      /* the coordinator being fed */
    srt_msg_result_t result; /* reused result buffer */
} local_ctx_t;

static void local_on_run(void *ctx, const srt_run_spec_t *spec, double value, int reused)
{
    local_ctx_t *lc = ctx;
    srt_msg_result_t *r = &lc->result;
    if (r->n_values < SRT_MSG_MAX_EQUATIONS)
        r->values[r->n_values++] = value;
    srt_msg_progress_t m = {r->trial, (int32_t)spec->eq_pos, (int32_t)spec->run, value, reused};
    srt_coord_on_progress(lc->coord, 0, &m);
}

static srt_rc local_send_work(srt_coord_t *c, srt_worker_slot_t *w, const srt_msg_work_t *m,
                              srt_err_t *err)
{
    local_ctx_t *lc = c->transport.ctx;
    srt_msg_result_t *r = &lc->result;
    lc->coord = c;
    srt_work_status_t status = SRT_WORK_FAILED;
    double value = 0;
    srt_err_t run_err;
    (void)err;
    memset(r, 0, sizeof *r);
    r->trial = m->trial;
    r->eq_pos = m->eq_pos;
    srt_err_clear(&run_err);
    if (srt_exec_equation(lc->exec, m, (size_t)m->eq_pos, &srt_stop_flag, local_on_run, lc,
                          &value, &status, &run_err) != SRT_OK)
        status = srt_err_is_environment(&run_err) ? SRT_WORK_IO_ERROR : SRT_WORK_FAILED;
    r->status = (int32_t)status;
    r->value = value;
    if (status == SRT_WORK_FAILED || status == SRT_WORK_IO_ERROR)
        srt_err_format(&run_err, r->message, sizeof r->message);
    srt_coord_on_equation(c, w->rank, r);
    return SRT_OK;
}

static srt_rc local_send_stop(srt_coord_t *c, srt_worker_slot_t *w, srt_err_t *err)
{
    (void)c;
    (void)w;
    (void)err;
    return SRT_OK;
}

static srt_rc local_poll(srt_coord_t *c, double max_wait_s, int *got, srt_err_t *err)
{
    (void)c;
    (void)err;
    *got = 0;
    srt_sleep_s(max_wait_s);
    return SRT_OK;
}

/* ------------------------------------------------------------ entry */

/* Sends STOP to every worker rank: for a coordinator that fails before its
 * loop (the study cannot be opened, the disk is full), so that no worker waits
 * forever for work. */
static void stop_workers(MPI_Comm *comm, int size)
{
    for (int r = 1; r < size; r++)
        (void)MPI_Send(NULL, 0, MPI_BYTE, r, SRT_TAG_STOP, *comm);
}

static int coordinate(const srt_study_plan_t *plan, srt_exec_t *exec, MPI_Comm *comm, int size)
{
    srt_coord_t c;
    srt_err_t err;
    static local_ctx_t local;
    srt_transport_t t;
    srt_err_clear(&err);
    if (size == 1) {
        local.exec = exec;
        t.send_work = local_send_work;
        t.send_stop = local_send_stop;
        t.poll = local_poll;
        t.ctx = &local;
    } else {
        t = srt_mpi_coord_transport(comm);
    }
    int n_slots = size == 1 ? 1 : size - 1;
    srt_rc rc = srt_coord_init(&c, plan, n_slots, size == 1 ? 0 : 1, &t, &err);
    if (rc != SRT_OK) {
        srt_print_error(&err);
        srt_coord_fini(&c);
        stop_workers(comm, size);
        return srt_exit_code_for(rc);
    }
    if (size == 1)
        c.slots[0].ready = 1;
    const char *worker_id = srt_journal_worker_id(srt_study_journal(c.study));
    double started = srt_time_wall();
    if (srt_jobrecord_write(plan->cfg->study.output_dir, worker_id, size, started, -1, &err) !=
        SRT_OK) {
        srt_print_error(&err); /* status loses a line; the study goes on unless the disk is full */
        if (srt_err_is_environment(&err)) {
            srt_coord_fini(&c);
            stop_workers(comm, size);
            return SRT_EXIT_FAILURE;
        }
    }
    int code = srt_coord_loop(&c);
    srt_err_clear(&err);
    if (srt_jobrecord_write(plan->cfg->study.output_dir, worker_id, size, started, code, &err) !=
        SRT_OK) {
        srt_print_error(&err);
        if (code == SRT_EXIT_OK && srt_err_is_environment(&err))
            code = SRT_EXIT_FAILURE;
    }
    if (code == SRT_EXIT_OK)
        SRT_INFO("study '%s' done: %ld trials finished", plan->cfg->study.name,
                 plan->cfg->study.n_trials);
    else if (code == SRT_EXIT_RESUMABLE)
        SRT_INFO("study '%s' interrupted; relaunch the same command to resume (exit %d)",
                 plan->cfg->study.name, SRT_EXIT_RESUMABLE);
    srt_coord_fini(&c);
    return code;
}

int srt_cluster_run(const char *config_path)
{
    int rank = 0, size = 1, code = 0, all = 0;
    MPI_Comm comm = MPI_COMM_NULL;
    srt_study_plan_t plan;
    srt_exec_t exec;
    srt_err_t err;
    memset(&plan, 0, sizeof plan);
    memset(&exec, 0, sizeof exec);
    srt_err_clear(&err);
    if (srt_signals_install() != 0) {
        fprintf(stderr, "srtune: cannot install signal handlers\n");
        return SRT_EXIT_FAILURE;
    }
    if (MPI_Init(NULL, NULL) != MPI_SUCCESS) {
        fprintf(stderr, "srtune: MPI_Init failed\n");
        return SRT_EXIT_FAILURE;
    }
    MPI_Comm_dup(MPI_COMM_WORLD, &comm);
    MPI_Comm_set_errhandler(comm, MPI_ERRORS_RETURN);
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &size);
    /* Open MPI replaces our handlers during MPI_Init on some setups: install again. */
    (void)srt_signals_install();
    if (size > 1)
        srt_log_set_rank(rank);
    if (size > 1 && rank != 0)
        srt_progress_worker_init(); /* SRTUNE_PROGRESS=always: rank 0 draws on our terminal */

    /* every rank reads the config and catalogue from the shared file system;
     * only rank 0 reports problems */
    code = srt_study_plan_load(config_path, rank != 0, &plan);
    if (code == 0 && srt_exec_init(&exec, plan.cfg, plan.cat, plan.equations, plan.n_equations,
                                   &err) != SRT_OK) {
        if (rank == 0)
            srt_print_error(&err);
        code = srt_exit_code_for(err.code);
    }
    exec.files = plan.files;
    if (code == 0 && rank == 0 && plan.cfg->space.n == 0 && plan.cfg->study.n_trials > 1)
        SRT_WARN("%s: search_space is empty: all %ld trials run the same options", plan.cfg->path,
                 plan.cfg->study.n_trials);
    /* only once every input has been read: a refused launch creates nothing */
    if (code == 0 && rank == 0) {
        srt_config_existing_t state;
        srt_rc rc = srt_config_write_effective(plan.cfg, &state, &err);
        if (rc != SRT_OK) {
            srt_print_error(&err);
            code = srt_exit_code_for(rc);
        } else if (state != SRT_CONFIG_EXISTING_NONE) {
            SRT_INFO("resuming the study in %s", plan.cfg->study.output_dir);
        }
    }
    MPI_Allreduce(&code, &all, 1, MPI_INT, MPI_MAX, comm);
    if (all != 0) {
        code = all;
        goto cleanup;
    }
    if (rank == 0)
        code = coordinate(&plan, &exec, &comm, size);
    else
        code = srt_mpi_worker_loop(comm, &exec);
cleanup:
    srt_exec_fini(&exec);
    srt_study_plan_fini(&plan);
    MPI_Comm_free(&comm);
    MPI_Finalize();
    return code;
}
