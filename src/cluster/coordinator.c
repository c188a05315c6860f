/*
 * The coordinator loop: see coordinator.h. Invariants:
 *  - a trial is journalled RUNNING (by srt_study_ask) before any of its work
 *    is handed out, and finished (COMPLETE / PRUNED / FAIL) exactly once;
 *  - intermediate values go to the journal in equation order (sched.h);
 *  - new trials start only while COMPLETE + PRUNED + RUNNING < n_trials over
 *    the whole study (other coordinators included);
 *  - on a stop signal, busy workers are waited for (they stop at their next
 *    check), then every unfinished trial becomes FAIL + a WAITING copy;
 *  - an I/O error of the environment (a full disk: srt_err_is_environment),
 *    here or reported by a worker (RESULT io_error), stops the same way and
 *    exits 1: no trial is failed for it, no sampler slot spent.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cluster/coordinator.h"
#include "cluster/signals.h"

/* Per-trial payload: the WORK message template (trial, run dir, params). */
typedef struct {
    srt_msg_work_t work; /* eq_pos is set per hand-out */
} flight_payload_t;

static double cpu_seconds(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0)
        return 0;
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec +
           (double)ru.ru_stime.tv_sec + 1e-6 * (double)ru.ru_stime.tv_usec;
}

srt_worker_slot_t *srt_coord_slot(srt_coord_t *c, int rank)
{
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].rank == rank)
            return &c->slots[i];
    return NULL;
}

static void fail_coord(srt_coord_t *c, const srt_err_t *err)
{
    if (c->failed)
        return;
    c->failed = 1;
    c->error = *err;
    c->stopping = 1;
    char buf[2048];
    SRT_ERROR("coordinator: %s", srt_err_format(err, buf, sizeof buf));
}

srt_rc srt_coord_init(srt_coord_t *c, const srt_study_plan_t *plan, int n_slots, int first_rank,
                      const srt_transport_t *transport, srt_err_t *err)
{
    const srt_config_t *cfg = plan->cfg;
    char *journal = NULL, *trials = NULL;
    srt_rc rc;
    memset(c, 0, sizeof *c);
    c->cfg = cfg;
    c->n_equations = plan->n_equations;
    c->transport = *transport;
    srt_sched_init(&c->sched);
    c->n_slots = n_slots;
    c->slots = calloc((size_t)n_slots, sizeof *c->slots);
    journal = srt_path_join(cfg->study.output_dir, "journal.log");
    trials = srt_path_join(cfg->study.output_dir, "trials");
    if (!c->slots || !journal || !trials) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (int i = 0; i < n_slots; i++) {
        c->slots[i].rank = first_rank + i;
        c->slots[i].trial = -1;
        c->slots[i].eq_pos = -1;
    }
    rc = srt_bridge_init(&c->bridge, &cfg->space, err);
    if (rc != SRT_OK)
        goto cleanup;

    srt_study_options_t opt = srt_study_options_default();
    opt.journal_path = journal;
    opt.study_name = cfg->study.name;
    opt.minimize = cfg->study.direction == SRT_DIRECTION_MINIMIZE;
    opt.seed = cfg->study.seed;
    opt.sampler = srt_config_sampler_name(cfg->study.sampler.kind);
    opt.sampler_options = srt_sampler_options_default();
    opt.sampler_options.n_startup_trials = cfg->study.sampler.n_startup_trials;
    opt.sampler_options.n_ei_candidates = cfg->study.sampler.n_ei_candidates;
    opt.sampler_options.multivariate = cfg->study.sampler.multivariate;
    opt.sampler_options.constant_liar = cfg->study.sampler.constant_liar;
    opt.pruner = srt_pruner_default(cfg->study.pruner.kind == SRT_CONFIG_PRUNER_MEDIAN
                                        ? SRT_PRUNER_MEDIAN
                                    : cfg->study.pruner.kind == SRT_CONFIG_PRUNER_WILCOXON
                                        ? SRT_PRUNER_WILCOXON
                                        : SRT_PRUNER_NONE);
    opt.pruner.n_startup_trials = cfg->study.pruner.n_startup_trials;
    opt.pruner.n_warmup_steps = cfg->study.pruner.n_warmup_steps;
    opt.pruner.interval_steps = cfg->study.pruner.interval;
    opt.pruner.p_threshold = cfg->study.pruner.p_threshold;
    opt.pruner.n_startup_steps = cfg->study.pruner.n_startup_steps;
    c->per_equation_steps = cfg->study.pruner.kind == SRT_CONFIG_PRUNER_WILCOXON;
    c->eq_index = malloc((plan->n_equations ? plan->n_equations : 1) * sizeof *c->eq_index);
    if (!c->eq_index) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    for (size_t i = 0; i < plan->n_equations; i++)
        c->eq_index[i] = plan->equations ? (long)plan->equations[i] : (long)i;
    opt.max_retries = cfg->study.max_retries;
    opt.heartbeat_grace_s = cfg->study.heartbeat_grace_s;
    opt.run_dir_root = "trials";
    /* with remote workers, intermediate values wait up to a second for the next
     * append (one lock for many); inline work would hold them for a whole equation */
    c->local = first_rank == 0;
    opt.report_delay_s = c->local ? 0.0 : SRT_REPORT_DELAY_S;
    rc = srt_study_open(&opt, c->bridge.space, &c->study, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (cfg->study.n_baselines > 0) {
        /* once per study, whichever coordinator comes first (under the lock) */
        srt_study_baseline_t *bl = calloc(cfg->study.n_baselines, sizeof *bl);
        size_t added = 0;
        if (!bl) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
        for (size_t i = 0; i < cfg->study.n_baselines; i++) {
            bl[i].name = cfg->study.baselines[i].name;
            bl[i].fixed_params = cfg->study.baselines[i].fixed_params;
        }
        rc = srt_study_enqueue_baselines(c->study, bl, cfg->study.n_baselines, &added, err);
        free(bl);
        if (rc != SRT_OK)
            goto cleanup;
        if (added > 0)
            SRT_INFO("%zu baseline trial%s enqueued", added, added == 1 ? "" : "s");
    }
    srt_progress_init(&c->progress, (size_t)cfg->study.n_trials,
                      (size_t)cfg->study.n_trials * plan->n_equations * (size_t)cfg->dataset.n_runs);
    {
        size_t n = 0;
        const srt_trial_t *const *t = srt_study_trials(c->study, &n);
        for (size_t i = 0; i < n; i++) {
            c->progress.done += t[i]->state == SRT_TRIAL_STATE_COMPLETE ||
                                t[i]->state == SRT_TRIAL_STATE_PRUNED;
            c->progress.pruned += t[i]->state == SRT_TRIAL_STATE_PRUNED;
            if (t[i]->state == SRT_TRIAL_STATE_FAIL) {
                if (srt_progress_trial_interrupted(t[i]))
                    c->progress.interrupted++;
                else
                    c->progress.failed++;
            }
        }
        const srt_trial_t *best = srt_study_best_trial(c->study);
        if (best && best->n_values)
            c->progress.best = best->values[0];
    }
    c->no_tail_sharing = getenv("SRTUNE_NO_TAIL_SHARING") != NULL;
    c->started = srt_time_monotonic();
    c->started_cpu = cpu_seconds();
    c->next_heartbeat = srt_time_monotonic() + cfg->study.heartbeat_interval_s;
    c->next_refresh = srt_time_monotonic();
cleanup:
    free(journal);
    free(trials);
    return rc;
}

void srt_coord_fini(srt_coord_t *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->sched.n; i++)
        free(c->sched.items[i]->payload);
    srt_sched_fini(&c->sched);
    srt_study_destroy(&c->study);
    srt_bridge_fini(&c->bridge);
    free(c->slots);
    free(c->eq_index);
    memset(c, 0, sizeof *c);
}

/* Trials by state over the whole study. */
static void count_trials(srt_coord_t *c, size_t *done, size_t *running, size_t *waiting)
{
    size_t n = 0;
    const srt_trial_t *const *t = srt_study_trials(c->study, &n);
    *done = *running = *waiting = 0;
    for (size_t i = 0; i < n; i++) {
        switch (t[i]->state) {
        case SRT_TRIAL_STATE_COMPLETE:
        case SRT_TRIAL_STATE_PRUNED: (*done)++; break;
        case SRT_TRIAL_STATE_RUNNING: (*running)++; break;
        case SRT_TRIAL_STATE_WAITING: (*waiting)++; break;
        default: break;
        }
    }
}

static int study_done(srt_coord_t *c)
{
    size_t done, running, waiting;
    count_trials(c, &done, &running, &waiting);
    return done >= (size_t)c->cfg->study.n_trials;
}

static int may_start_trial(srt_coord_t *c)
{
    size_t done, running, waiting;
    count_trials(c, &done, &running, &waiting);
    return done + running < (size_t)c->cfg->study.n_trials;
}

/* Absolute trial directory for a run_dir attribute (relative to output_dir). */
static void resolve_run_dir(const srt_coord_t *c, const char *run_dir, char *out, size_t size)
{
    if (run_dir[0] == '/')
        snprintf(out, size, "%s", run_dir);
    else
        snprintf(out, size, "%s/%s", c->cfg->study.output_dir, run_dir);
}

/* Samples (or pops) a new trial and puts it in flight. NULL when none. */
static srt_flight_t *start_trial(srt_coord_t *c)
{
    srt_ask_t ask;
    srt_err_t err;
    memset(&ask, 0, sizeof ask);
    srt_err_clear(&err);
    srt_rc rc = srt_study_ask(c->study, &ask, &err);
    if (rc != SRT_OK) {
        fail_coord(c, &err);
        return NULL;
    }
    flight_payload_t *pl = calloc(1, sizeof *pl);
    srt_flight_t *f = NULL;
    if (!pl) {
        srt_err_set(&err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        fail_coord(c, &err);
        goto cleanup;
    }
    pl->work.trial = ask.number;
    resolve_run_dir(c, ask.run_dir, pl->work.run_dir, sizeof pl->work.run_dir);
    rc = srt_bridge_params(&c->bridge, ask.x, &pl->work, &err);
    if (rc != SRT_OK) {
        /* params we cannot run (e.g. an Optuna-enqueued trial outside the space) */
        char buf[2048];
        SRT_WARN("trial %ld: %s; marked FAIL", ask.number, srt_err_format(&err, buf, sizeof buf));
        srt_attr_t attr = {(char *)"srtune:error", NULL};
        char json[2100];
        snprintf(json, sizeof json, "\"%s\"", "parameters not runnable");
        attr.json = json;
        (void)srt_study_tell(c->study, ask.number, SRT_TRIAL_STATE_FAIL, NULL, &attr, 1,
                             SRT_RETRY_NONE, &err);
        free(pl);
        goto cleanup;
    }
    f = srt_sched_add(&c->sched, ask.number, ask.trial_id, pl->work.run_dir, c->n_equations, pl);
    if (!f) {
        free(pl);
        srt_err_set(&err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        fail_coord(c, &err);
        goto cleanup;
    }
    if (c->cfg->dataset.order == SRT_ORDER_SHUFFLE)
        /* seeded by the trial's params (a retry copies them; an interrupted
         * study samples the same ones): the same order after any interruption,
         * on any number of ranks. Not by number or run dir: retries shift both */
        srt_sched_shuffle(f, srt_hash64(ask.x, ask.n * sizeof *ask.x,
                                        srt_seed_derive(c->cfg->study.seed, "equation-order",
                                                        NULL, 0, 0)));
    SRT_DEBUG("trial %ld started%s in %s", ask.number,
             ask.from_waiting ? " (from a WAITING trial)" : "", pl->work.run_dir);
cleanup:
    srt_ask_fini(&ask);
    return f;
}

/* Picks the next equation for slot w: its own trial first, then a new trial,
 * then the tail (stealing). Returns 1 and fills f and pos when there is work. */
static int next_work(srt_coord_t *c, srt_worker_slot_t *w, srt_flight_t **f, long *pos)
{
    if (c->stopping)
        return 0;
    srt_flight_t *own = w->trial >= 0 ? srt_sched_find(&c->sched, w->trial) : NULL;
    if (own && (*pos = srt_sched_claim_next(own)) >= 0) {
        *f = own;
        return 1;
    }
    if (may_start_trial(c)) {
        srt_flight_t *nf = start_trial(c);
        if (nf && (*pos = srt_sched_claim_next(nf)) >= 0) {
            *f = nf;
            return 1;
        }
        if (c->failed)
            return 0;
    }
    if (c->no_tail_sharing)
        return 0;
    *f = srt_sched_steal(&c->sched, pos);
    return *f != NULL;
}

/* Hands slot w its next equation; returns 1 when it got one (in local mode
 * the equation has already run when this returns). */
static int assign(srt_coord_t *c, srt_worker_slot_t *w)
{
    srt_flight_t *f;
    long pos;
    srt_err_t err;
    srt_err_clear(&err);
    if (!next_work(c, w, &f, &pos))
        return 0;
    flight_payload_t *pl = f->payload;
    srt_msg_work_t m = pl->work;
    m.eq_pos = (int32_t)pos;
    w->busy = 1;
    w->busy_since = srt_time_monotonic();
    w->trial = f->number;
    w->eq_pos = pos;
    SRT_DEBUG("trial %ld equation %ld -> rank %d", f->number, pos, w->rank);
    if (c->transport.send_work(c, w, &m, &err) != SRT_OK)
        fail_coord(c, &err);
    return 1;
}

static srt_rc tell_finished(srt_coord_t *c, srt_flight_t *f, srt_trial_state_t state,
                            const char *message, int retry)
{
    srt_err_t err;
    srt_err_clear(&err);
    /* per-equation values as a user attribute (JSON array, null = not done) */
    size_t cap = 32 + f->n_eq * 28;
    char *json = malloc(cap);
    char msgjson[600];
    srt_attr_t attrs[3];
    size_t n_attrs = 0;
    /* suite files: the same values by instance id ({"lab_decay": 0.98, ...}) */
    const srt_config_strlist_t *ids = &c->cfg->dataset.ids;
    int by_id = c->cfg->dataset.kind == SRT_DATASET_FILES && ids->n == f->n_eq;
    size_t idcap = 8;
    for (size_t i = 0; by_id && i < ids->n; i++)
        idcap += strlen(ids->items[i]) + 32;
    char *idjson = by_id ? malloc(idcap) : NULL;
    if (!json || (by_id && !idjson)) {
        free(idjson);
        srt_err_set(&err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        fail_coord(c, &err);
        return SRT_ERR_NOMEM;
    }
    size_t o = 0;
    json[o++] = '[';
    for (size_t i = 0; i < f->n_eq; i++) {
        if (i)
            json[o++] = ',';
        if (f->eq_state[i] == SRT_EQ_DONE && isfinite(f->eq_value[i]))
            o += (size_t)snprintf(json + o, cap - o, "%.17g", f->eq_value[i]);
        else
            o += (size_t)snprintf(json + o, cap - o, "null");
    }
    json[o++] = ']';
    json[o] = '\0';
    attrs[n_attrs].key = (char *)"equation_values";
    attrs[n_attrs++].json = json;
    if (idjson) {
        size_t k = 0;
        idjson[k++] = '{';
        for (size_t i = 0; i < f->n_eq; i++) {
            int done = f->eq_state[i] == SRT_EQ_DONE && isfinite(f->eq_value[i]);
            k += (size_t)snprintf(idjson + k, idcap - k, "%s\"%s\": ", i ? ", " : "",
                                  ids->items[i]);
            k += done ? (size_t)snprintf(idjson + k, idcap - k, "%.17g", f->eq_value[i])
                      : (size_t)snprintf(idjson + k, idcap - k, "null");
        }
        idjson[k++] = '}';
        idjson[k] = '\0';
        attrs[n_attrs].key = (char *)"instance_values";
        attrs[n_attrs++].json = idjson;
    }
    if (message && *message) {
        size_t k = 0;
        msgjson[k++] = '"';
        for (const char *s = message; *s && k < sizeof msgjson - 8; s++) {
            unsigned char ch = (unsigned char)*s;
            if (ch == '"' || ch == '\\') {
                msgjson[k++] = '\\';
                msgjson[k++] = (char)ch;
            } else if (ch >= 0x20) {
                msgjson[k++] = (char)ch;
            }
        }
        msgjson[k++] = '"';
        msgjson[k] = '\0';
        attrs[n_attrs].key = (char *)"srtune:error";
        attrs[n_attrs++].json = msgjson;
    }
    double value = f->value;
    srt_rc rc = srt_study_tell(c->study, f->number, state,
                               state == SRT_TRIAL_STATE_COMPLETE ? &value : NULL, attrs, n_attrs,
                               retry, &err);
    free(json);
    free(idjson);
    if (rc != SRT_OK) {
        fail_coord(c, &err);
        return rc;
    }
    if (state == SRT_TRIAL_STATE_FAIL)
        SRT_INFO("trial %ld FAIL%s", f->number, retry ? " (a WAITING copy will resume it)" : "");
    else
        SRT_INFO("trial %ld %s, value %.6g", f->number, srt_trial_state_name(state), f->value);
    srt_progress_t *p = &c->progress;
    p->done += state == SRT_TRIAL_STATE_COMPLETE || state == SRT_TRIAL_STATE_PRUNED;
    p->pruned += state == SRT_TRIAL_STATE_PRUNED;
    if (state == SRT_TRIAL_STATE_FAIL) {
        if (message && !strcmp(message, SRT_PROGRESS_INTERRUPTED))
            p->interrupted++;
        else
            p->failed++;
    }
    int minimize = c->cfg->study.direction == SRT_DIRECTION_MINIMIZE;
    if (state == SRT_TRIAL_STATE_COMPLETE &&
        (isnan(p->best) || (minimize ? value < p->best : value > p->best)))
        p->best = value;
    srt_progress_draw(p, 1);
    return rc;
}

static void remove_flight(srt_coord_t *c, srt_flight_t *f)
{
    free(f->payload);
    srt_sched_remove(&c->sched, f);
}

void srt_coord_on_ready(srt_coord_t *c, int rank, const srt_msg_ready_t *m)
{
    srt_worker_slot_t *w = srt_coord_slot(c, rank);
    if (!w)
        return;
    if (m->version != SRT_PROTOCOL_VERSION) {
        srt_err_t err;
        srt_err_set(&err, SRT_ERR_PROTOCOL, NULL, NULL, 0,
                    "rank %d speaks protocol %u, this coordinator %u (mixed srtune versions)",
                    rank, m->version, SRT_PROTOCOL_VERSION);
        fail_coord(c, &err);
        return;
    }
    w->ready = 1;
}

void srt_coord_on_progress(srt_coord_t *c, int rank, const srt_msg_progress_t *m)
{
    c->progress.runs_done++;
    c->progress.runs_new += !m->reused;
    srt_progress_draw(&c->progress, 0);
    SRT_DEBUG("rank %d: trial %lld equation %d run %d: pareto_volume %.6g%s", rank,
              (long long)m->trial, m->eq_pos, m->run, m->value, m->reused ? " (on disk)" : "");
}

void srt_coord_on_equation(srt_coord_t *c, int rank, const srt_msg_result_t *m)
{
    srt_worker_slot_t *w = srt_coord_slot(c, rank);
    if (w && w->busy) {
        w->busy = 0;
        c->busy_seconds += srt_time_monotonic() - w->busy_since;
        c->n_results++;
    }
    srt_flight_t *f = srt_sched_find(&c->sched, (long)m->trial);
    if (!f) /* a pruned or failed trial: this late result is not needed */
        return;
    srt_err_t err;
    srt_err_clear(&err);
    switch ((srt_work_status_t)m->status) {
    case SRT_WORK_COMPLETE: {
        size_t n_new;
        srt_sched_record(f, (size_t)m->eq_pos, m->value, &n_new);
        for (size_t k = f->n_reported - n_new; k < f->n_reported; k++) {
            /* median pruner: step k+1 is the running mean of the first k+1
             * equations run; wilcoxon: the step is the equation's catalogue
             * index and the value its own (Optuna's WilcoxonPruner pairs steps) */
            size_t eq = srt_sched_equation_at(f, k);
            long step = c->per_equation_steps ? c->eq_index[eq] : (long)(k + 1);
            double value = c->per_equation_steps ? f->eq_value[eq] : srt_sched_step_value(f, k);
            if (srt_study_report(c->study, f->number, step, value, &err) != SRT_OK) {
                fail_coord(c, &err);
                return;
            }
        }
        /* a tell that could not be journalled keeps its flight: the stop
         * journals it as interrupted (FAIL + WAITING), its runs stay on disk */
        if (f->state == SRT_FLIGHT_COMPLETE) {
            c->failed_in_row = 0;
            if (tell_finished(c, f, SRT_TRIAL_STATE_COMPLETE, NULL, SRT_RETRY_NONE) == SRT_OK)
                remove_flight(c, f);
        } else if (n_new > 0 && srt_study_should_prune(c->study, f->number)) {
            f->state = SRT_FLIGHT_PRUNED;
            c->failed_in_row = 0;
            if (tell_finished(c, f, SRT_TRIAL_STATE_PRUNED, NULL, SRT_RETRY_NONE) == SRT_OK)
                remove_flight(c, f);
        }
        break;
    }
    case SRT_WORK_INTERRUPTED:
        /* the job is being stopped: stop handing out work everywhere */
        srt_sched_unclaim(f, (size_t)m->eq_pos);
        c->stopping = 1;
        break;
    case SRT_WORK_IO_ERROR:
        /* the disk, not the trial: stop as on a signal (the trial becomes FAIL
         * + an uncounted WAITING retry), then exit 1 naming the file */
        srt_sched_unclaim(f, (size_t)m->eq_pos);
        if (rank > 0)
            srt_err_set(&err, SRT_ERR_IO, NULL, NULL, 0, "rank %d: %s (trial %ld, equation %d)",
                        rank, m->message, f->number, m->eq_pos);
        else
            srt_err_set(&err, SRT_ERR_IO, NULL, NULL, 0, "%s (trial %ld, equation %d)", m->message,
                        f->number, m->eq_pos);
        fail_coord(c, &err);
        break;
    case SRT_WORK_FAILED:
    default:
        f->state = SRT_FLIGHT_FAILED;
        SRT_WARN("trial %ld failed in equation %d: %s", f->number, m->eq_pos, m->message);
        tell_finished(c, f, SRT_TRIAL_STATE_FAIL, m->message, SRT_RETRY_NONE);
        remove_flight(c, f);
        if (++c->failed_in_row >= SRT_MAX_FAILED_IN_ROW) {
            srt_err_set(&err, SRT_ERR_DATA, NULL, NULL, 0,
                        "%d trials failed in a row; stopping. The last error: %s",
                        c->failed_in_row, m->message);
            fail_coord(c, &err);
        }
        break;
    }
}

static void periodic(srt_coord_t *c)
{
    double now = srt_time_monotonic();
    srt_err_t err;
    srt_err_clear(&err);
    if (now >= c->next_heartbeat && c->sched.n > 0) {
        long *numbers = malloc(c->sched.n * sizeof *numbers);
        if (numbers) {
            for (size_t i = 0; i < c->sched.n; i++)
                numbers[i] = c->sched.items[i]->number;
            if (srt_study_heartbeat(c->study, numbers, c->sched.n, &err) != SRT_OK)
                fail_coord(c, &err);
            free(numbers);
        }
        c->next_heartbeat = now + c->cfg->study.heartbeat_interval_s;
    }
    if (srt_study_flush(c->study, 0, &err) != SRT_OK)
        fail_coord(c, &err);
    if (now >= c->next_refresh) {
        size_t lost = 0;
        if (srt_study_refresh(c->study, &err) != SRT_OK ||
            srt_study_fail_lost_trials(c->study, &lost, &err) != SRT_OK)
            fail_coord(c, &err);
        else if (lost)
            SRT_WARN("%zu lost trial%s re-enqueued (no heartbeat for more than %.0f s, or its "
                     "coordinator on this host is gone)",
                     lost, lost == 1 ? "" : "s", c->cfg->study.heartbeat_grace_s);
        double every = c->cfg->study.heartbeat_interval_s;
        c->next_refresh = now + (every < 1.0 ? every : 1.0);
    }
}

static int any_busy(const srt_coord_t *c)
{
    for (int i = 0; i < c->n_slots; i++)
        if (c->slots[i].busy)
            return 1;
    return 0;
}

/* Journals every unfinished trial as interrupted: FAIL plus a WAITING copy. */
static void interrupt_flights(srt_coord_t *c)
{
    while (c->sched.n > 0) {
        srt_flight_t *f = c->sched.items[0];
        SRT_INFO("trial %ld interrupted after %zu of %zu equations; it will be resumed",
                 f->number, f->n_reported, f->n_eq);
        tell_finished(c, f, SRT_TRIAL_STATE_FAIL, SRT_PROGRESS_INTERRUPTED, SRT_RETRY_UNCOUNTED);
        remove_flight(c, f);
    }
}

/* Rank 0's CPU use and the workers' busy share while coordinating (from the
 * start of the loop: MPI start-up and config loading are not coordination). */
static void report_usage(const srt_coord_t *c)
{
    double wall = srt_time_monotonic() - c->started;
    if (c->n_slots <= 0 || c->slots[0].rank == 0 || wall <= 0) /* local: rank 0 runs SR */
        return;
    double cpu = cpu_seconds() - c->started_cpu;
    SRT_INFO("coordinator: %.2f s CPU in %.2f s wall (%.2f%%); workers busy %.1f%% of the time",
             cpu, wall, 100.0 * cpu / wall, 100.0 * c->busy_seconds / (wall * c->n_slots));
}

/* Longest sleep between polls: bounds how long a worker that finished waits
 * for its next equation. It is 0.3 % of the mean equation time so far, within
 * [2 ms, 50 ms]: a worker loses at most that share of its time waiting, and
 * rank 0 wakes up 300 (1 s equations) to 20 (minutes) times a second. */
#define SRT_POLL_MIN_S 0.002
#define SRT_POLL_MAX_S 0.05
#define SRT_POLL_SHARE 0.003

static double poll_ceiling(const srt_coord_t *c)
{
    double w = c->n_results ? SRT_POLL_SHARE * c->busy_seconds / (double)c->n_results : 0.0;
    return w < SRT_POLL_MIN_S ? SRT_POLL_MIN_S : w > SRT_POLL_MAX_S ? SRT_POLL_MAX_S : w;
}

/* Ends a hold of the journal (see srt_coord_loop). */
static void release_hold(srt_coord_t *c)
{
    srt_err_t err;
    srt_err_clear(&err);
    if (!c->local && srt_study_release(c->study, &err) != SRT_OK)
        fail_coord(c, &err);
}

int srt_coord_loop(srt_coord_t *c)
{
    double wait = 0.001;
    srt_err_t err;
    /* The journal is held (one lock, one fsync) from each poll's handlers to
     * the end of the next round of hand-outs: the tells, intermediate values
     * and asks of a burst of finished equations become one append. The lock is
     * taken lazily, after the poll's sleep, and never across it. Not in local
     * mode, where a hand-out runs the equation. */
    if (!c->local)
        srt_study_hold(c->study);
    for (;;) {
        if (srt_stop_flag && !c->stopping) {
            SRT_INFO("%s received: finishing the current runs' checkpoints, then stopping",
                     srt_signals_received());
            c->stopping = 1;
        }
        periodic(c);
        int got = 0;
        srt_err_clear(&err);
        /* hand out work to idle workers, or stop them */
        for (int i = 0; i < c->n_slots; i++) {
            srt_worker_slot_t *w = &c->slots[i];
            if (!w->ready || w->busy || w->stopped)
                continue;
            if (!c->stopping && assign(c, w)) {
                got = 1;
                continue;
            }
            if (c->stopping || study_done(c)) {
                if (c->transport.send_stop(c, w, &err) != SRT_OK)
                    fail_coord(c, &err);
                w->stopped = 1;
            }
        }
        release_hold(c);
        int all_stopped = 1;
        for (int i = 0; i < c->n_slots; i++)
            all_stopped &= c->slots[i].stopped;
        if (all_stopped && !any_busy(c))
            break;
        if (!c->local)
            srt_study_hold(c->study);
        int handled = 0;
        if (c->transport.poll(c, got ? 0.0 : wait, &handled, &err) != SRT_OK)
            fail_coord(c, &err);
        if (handled || got)
            wait = 0.001;
        else /* back off while workers compute: rank 0 must not burn a core */
            wait = fmin(2 * wait, poll_ceiling(c));
    }
    srt_progress_finish(&c->progress);
    srt_err_clear(&err);
    if (srt_study_flush(c->study, 1, &err) != SRT_OK)
        fail_coord(c, &err);
    report_usage(c);
    if (c->stopping && !c->failed && srt_stop_flag) {
        interrupt_flights(c);
        return SRT_EXIT_RESUMABLE;
    }
    if (c->failed) {
        interrupt_flights(c);
        return SRT_EXIT_FAILURE;
    }
    if (c->stopping) { /* a worker was interrupted though this process was not */
        interrupt_flights(c);
        return SRT_EXIT_RESUMABLE;
    }
    return SRT_EXIT_OK;
}
