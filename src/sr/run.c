/*
 * One SR run end to end (srt_sr_run): the search loop with its stop
 * conditions, the scalar log written row by row to
 * tensorboard_scalars.csv.partial, checkpoint and resume, and the final
 * files: hall_of_fame.csv and run.json (atomic writes), then the rename of
 * the scalar log, which marks the run complete (architecture.md, "Files on
 * disk"). An interrupted run leaves the .partial file, a checkpoint and a
 * run.json with status "interrupted", never a complete-looking directory.
 */
#include <errno.h>
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sr/sr_int.h"

const char *srt_sr_stop_name(srt_sr_stop_t why)
{
    switch (why) {
    case SRT_SR_STOP_NITERATIONS: return "niterations";
    case SRT_SR_STOP_TIMEOUT: return "timeout";
    case SRT_SR_STOP_MAX_EVALS: return "max_evals";
    case SRT_SR_STOP_EARLY: return "early_stop_condition";
    case SRT_SR_STOP_INTERRUPTED: return "interrupted";
    default: return "unknown";
    }
}

void srt_sr_result_init(srt_sr_result_t *r)
{
    memset(r, 0, sizeof *r);
    r->min_loss = INFINITY;
}

void srt_sr_result_fini(srt_sr_result_t *r)
{
    if (!r)
        return;
    for (size_t k = 0; k < r->nfront; k++)
        srt_expr_fini(&r->front[k].expr);
    free(r->front);
    srt_sr_result_init(r);
}

/* ---- a growable string for run.json ---- */

typedef struct {
    char *p;    /* text */
    size_t len; /* bytes used */
    size_t cap; /* capacity */
    int failed; /* allocation failed */
} sb_t;

static void sb_printf(sb_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void sb_printf(sb_t *b, const char *fmt, ...)
{
    if (b->failed)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        int n = vsnprintf(b->p ? b->p + b->len : NULL, b->p ? b->cap - b->len : 0, fmt, ap);
        va_end(ap);
        if (n < 0) {
            b->failed = 1;
            return;
        }
        if (b->p && b->len + (size_t)n < b->cap) {
            b->len += (size_t)n;
            return;
        }
        size_t cap = b->cap ? b->cap * 2 : 1024;
        while (cap < b->len + (size_t)n + 1)
            cap *= 2;
        char *np = realloc(b->p, cap);
        if (!np) {
            b->failed = 1;
            return;
        }
        b->p = np;
        b->cap = cap;
    }
}

static void sb_num(sb_t *b, double v)
{
    if (isfinite(v))
        sb_printf(b, "%.17g", v);
    else
        sb_printf(b, "null");
}

static void sb_jstr(sb_t *b, const char *s)
{
    sb_printf(b, "\"");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            sb_printf(b, "\\%c", c);
        else if (c < 0x20)
            sb_printf(b, "\\u%04x", c);
        else
            sb_printf(b, "%c", c);
    }
    sb_printf(b, "\"");
}

/* run.json: seed, status, stop reason, counters, timings, options. */
static srt_rc write_run_json(const char *path, const srt_sr__search_t *s, const char *status,
                             srt_sr_stop_t why, int resumed, double started, double elapsed,
                             double pv, double min_loss, srt_err_t *err)
{
    sb_t b = {0};
    sb_printf(&b, "{\n  \"srtune_version\": \"%s\",\n  \"seed\": %llu,\n", SRTUNE_VERSION,
              (unsigned long long)s->seed);
    sb_printf(&b, "  \"status\": \"%s\",\n  \"stop_reason\": \"%s\",\n  \"resumed\": %s,\n",
              status, srt_sr_stop_name(why), resumed ? "true" : "false");
    sb_printf(&b, "  \"precision\": %ld,\n", s->opts.precision);
    sb_printf(&b, "  \"iterations\": %ld,\n  \"island_returns\": %ld,\n  \"num_evals\": ",
              s->iter, s->returns);
    sb_num(&b, s->num_evals);
    sb_printf(&b, ",\n  \"pareto_volume\": ");
    sb_num(&b, pv);
    sb_printf(&b, ",\n  \"min_loss\": ");
    sb_num(&b, min_loss);
    sb_printf(&b, ",\n  \"nrows\": %zu,\n  \"nfeatures\": %zu,\n", s->data.nrows,
              s->data.nfeatures);
    sb_printf(&b, "  \"timings\": {\"started_at\": %.3f, \"finished_at\": %.3f, "
                  "\"elapsed_s\": %.3f},\n",
              started, srt_time_wall(), elapsed);
    sb_printf(&b, "  \"options\": {\n");
    size_t n;
    const srt_sr_option_info_t *t = srt_sr_option_table(&n);
    for (size_t i = 0; i < n; i++) {
        double v = srt_sr_option_get(&s->opts, &t[i]);
        sb_printf(&b, "    \"%s\": ", t[i].name);
        char *list = !strcmp(t[i].name, "complexity_of_variables")
                         ? srt_sr_maps_format(&s->opts, t[i].name, SRT_SR_MAPS_JSON)
                         : NULL;
        if (list)
            sb_printf(&b, "%s", list); /* the per-feature list */
        else if (t[i].kind == SRT_OPTKIND_BOOL)
            sb_printf(&b, "%s", v != 0 ? "true" : "false");
        else if (t[i].kind == SRT_OPTKIND_INT)
            sb_printf(&b, "%ld", (long)v);
        else
            sb_num(&b, v);
        free(list);
        sb_printf(&b, ",\n");
    }
    static const char *const maps[] = {"complexity_of_operators", "constraints",
                                       "nested_constraints"};
    for (size_t i = 0; i < 3; i++) {
        char *text = srt_sr_maps_format(&s->opts, maps[i], SRT_SR_MAPS_JSON);
        sb_printf(&b, "    \"%s\": %s,\n", maps[i], text ? text : "null");
        free(text);
    }
    sb_printf(&b, "    \"binary_operators\": [");
    for (int i = 0; i < s->opts.n_binops; i++) {
        sb_printf(&b, i ? ", " : "");
        sb_jstr(&b, srt_op_name((srt_op_t)s->opts.binops[i]));
    }
    sb_printf(&b, "],\n    \"unary_operators\": [");
    for (int i = 0; i < s->opts.n_unaops; i++) {
        sb_printf(&b, i ? ", " : "");
        sb_jstr(&b, srt_op_name((srt_op_t)s->opts.unaops[i]));
    }
    sb_printf(&b, "]\n  }\n}\n");
    srt_rc rc;
    if (b.failed)
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    else
        rc = srt_fs_write_atomic(path, b.p, b.len, err);
    free(b.p);
    return rc;
}

static srt_rc fill_result(const srt_sr__search_t *s, srt_sr_result_t *out)
{
    size_t keep[256];
    uint32_t cx[256];
    double loss[256], score[256];
    size_t n = srt_sr__search_front_points(s, keep, cx, loss);
    srt_sr_pareto_scores_p(cx, loss, n, s->opts.precision, score);
    out->pareto_volume = srt_sr_pareto_volume_p(cx, loss, n, s->maxsize, s->opts.precision);
    out->min_loss = n ? loss[n - 1] : INFINITY;
    out->num_evals = s->num_evals;
    out->iterations = s->iter;
    out->island_returns = s->returns;
    out->front = n ? calloc(n, sizeof *out->front) : NULL;
    if (n && !out->front)
        return SRT_ERR_NOMEM;
    out->nfront = n;
    for (size_t k = 0; k < n; k++) {
        out->front[k].complexity = cx[k];
        out->front[k].loss = loss[k];
        out->front[k].score = score[k];
        if (srt_expr_copy(&out->front[k].expr, &s->hof[keep[k]].expr) != SRT_OK)
            return SRT_ERR_NOMEM;
    }
    return SRT_OK;
}

static double front_min_loss(const srt_sr__search_t *s)
{
    double best = INFINITY;
    for (long c = 0; c < s->maxsize; c++)
        if (s->hof_exists[c] && s->hof[c].loss < best)
            best = s->hof[c].loss;
    return best;
}

/* Opens the .partial scalar log: fresh with a header, or truncated to
 * partial_len for a resumed run. */
static srt_rc open_partial(const char *path, int resume, uint64_t partial_len, long maxsize,
                           FILE **out, srt_err_t *err)
{
    FILE *f = NULL;
    if (resume) {
        if (truncate(path, (off_t)partial_len) != 0 || !(f = fopen(path, "ab")))
            return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot reopen the scalar log: %s",
                               strerror(errno));
    } else {
        if (!(f = fopen(path, "wb")))
            return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot create the scalar log: %s",
                               strerror(errno));
        if (srt_fs_fault_hit("write", path) || srt_sr__scalars_header(f, maxsize) != 0) {
            int e = errno;
            fclose(f);
            errno = e;
            return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "write failed: %s",
                               strerror(errno));
        }
    }
    *out = f;
    return SRT_OK;
}

/* Flushes and fsyncs the scalar log; *len receives its size. */
static srt_rc flush_sync(FILE *f, const char *path, uint64_t *len, srt_err_t *err)
{
    long pos;
    if (srt_fs_fault_hit("write", path) || fflush(f) != 0 || srt_fs_fault_hit("fsync", path) ||
        fsync(fileno(f)) != 0 || (pos = ftell(f)) < 0)
        return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot write the scalar log: %s",
                           strerror(errno));
    if (len)
        *len = (uint64_t)pos;
    return SRT_OK;
}

srt_rc srt_sr_run(const srt_sr_options_t *opts, const srt_sr_data_t *data, uint64_t seed,
                  const char *run_dir, const volatile sig_atomic_t *stop_flag,
                  srt_sr_result_t *out, srt_err_t *err)
{
    return srt_sr_run_ex(opts, data, seed, run_dir, stop_flag, NULL, out, err);
}

srt_rc srt_sr_run_ex(const srt_sr_options_t *opts, const srt_sr_data_t *data, uint64_t seed,
                     const char *run_dir, const volatile sig_atomic_t *stop_flag,
                     const srt_sr_run_params_t *params, srt_sr_result_t *out, srt_err_t *err)
{
    srt_sr_run_params_t defaults = {0};
    if (!params)
        params = &defaults;
    gsl_set_error_handler_off();
    if (out)
        srt_sr_result_init(out);
    srt_sr__search_t *s = NULL;
    FILE *log = NULL;
    char *p_partial = NULL, *p_final = NULL, *p_hof = NULL, *p_json = NULL, *p_ckpt = NULL;
    char *hof_text = NULL;
    int resumed = 0;
    uint64_t partial_len = 0;
    srt_sr_stop_t why = SRT_SR_STOP_NITERATIONS;
    double started = srt_time_wall(), t0 = srt_time_monotonic();
    srt_rc rc = srt_sr__search_create(opts, data, seed, &s, err);
    if (rc != SRT_OK)
        goto cleanup;
    if (run_dir) {
        if ((rc = srt_fs_mkdir_p(run_dir, err)) != SRT_OK)
            goto cleanup;
        p_partial = srt_path_join(run_dir, SRT_SR_SCALARS_PARTIAL);
        p_final = srt_path_join(run_dir, SRT_SR_SCALARS_FILE);
        p_hof = srt_path_join(run_dir, SRT_SR_HOF_FILE);
        p_json = srt_path_join(run_dir, SRT_SR_RUNJSON_FILE);
        p_ckpt = srt_path_join(run_dir, SRT_SR_CHECKPOINT_FILE);
        if (!p_partial || !p_final || !p_hof || !p_json || !p_ckpt) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
        if (!params->no_resume && srt_fs_is_file(p_ckpt) && srt_fs_is_file(p_partial)) {
            srt_err_t lerr;
            srt_err_clear(&lerr);
            srt_rc lrc = srt_sr__checkpoint_load(s, p_ckpt, &partial_len, &lerr);
            FILE *pf = lrc == SRT_OK ? fopen(p_partial, "rb") : NULL;
            long have = -1;
            if (pf && fseek(pf, 0, SEEK_END) == 0)
                have = ftell(pf);
            if (pf)
                fclose(pf);
            if (lrc == SRT_OK && have >= 0 && (uint64_t)have >= partial_len) {
                resumed = 1;
            } else if (lrc == SRT_ERR_CONFIG) {
                /* a checkpoint of the other precision: refused, not overwritten */
                if (err)
                    *err = lerr;
                rc = lrc;
                goto cleanup;
            } else {
                char buf[1600];
                SRT_WARN("%s: not resuming: %s", run_dir,
                         lrc != SRT_OK ? srt_err_format(&lerr, buf, sizeof buf)
                                       : "the scalar log is shorter than the checkpoint says");
                srt_sr__search_destroy(&s);
                if ((rc = srt_sr__search_create(opts, data, seed, &s, err)) != SRT_OK)
                    goto cleanup;
            }
        }
        if ((rc = open_partial(p_partial, resumed, partial_len, s->maxsize, &log, err)) != SRT_OK)
            goto cleanup;
    }
    const srt_sr_options_t *o = &s->opts;
    long since_ckpt = 0;
    int logged_last = 0;
    while (s->iter < o->niterations) {
        if ((rc = srt_sr__search_island(s)) != SRT_OK) {
            srt_err_set(err, rc, NULL, NULL, 0, "SR search: %s", srt_rc_str(rc));
            goto cleanup;
        }
        double elapsed = s->elapsed_prev + (srt_time_monotonic() - t0);
        logged_last = 0;
        if (log && s->returns % o->log_interval == 0) {
            if (srt_sr__scalars_row(log, s, srt_time_wall(), elapsed) != 0) {
                rc = srt_err_set(err, SRT_ERR_IO, p_partial, NULL, 0, "write failed");
                goto cleanup;
            }
            logged_last = 1;
        }
        if (!params->quiet && s->island == 0)
            SRT_DEBUG("SR iteration %ld/%ld: min loss %.6g, %.0f evals", s->iter,
                      o->niterations, front_min_loss(s), s->num_evals);
        if (!isnan(o->early_stop_condition) && front_min_loss(s) < o->early_stop_condition) {
            why = SRT_SR_STOP_EARLY;
            break;
        }
        if (!isnan(o->max_evals) && s->num_evals >= o->max_evals) {
            why = SRT_SR_STOP_MAX_EVALS;
            break;
        }
        if (!isnan(o->timeout_in_seconds) && elapsed >= o->timeout_in_seconds) {
            why = SRT_SR_STOP_TIMEOUT;
            break;
        }
        int stop = (stop_flag && *stop_flag) ||
                   (params->stop_after_returns > 0 && s->returns >= params->stop_after_returns);
        if (stop && s->iter < o->niterations) {
            why = SRT_SR_STOP_INTERRUPTED;
            break;
        }
        if (log && params->checkpoint_every > 0 && ++since_ckpt >= params->checkpoint_every) {
            since_ckpt = 0;
            s->elapsed_prev = elapsed;
            t0 = srt_time_monotonic();
            uint64_t len = 0;
            if ((rc = flush_sync(log, p_partial, &len, err)) != SRT_OK ||
                (rc = srt_sr__checkpoint_save(s, p_ckpt, len, err)) != SRT_OK)
                goto cleanup;
        }
    }
    double elapsed = s->elapsed_prev + (srt_time_monotonic() - t0);
    if (out) {
        out->stop = why;
        out->resumed = resumed;
        out->elapsed_s = elapsed;
        if ((rc = fill_result(s, out)) != SRT_OK) {
            srt_err_set(err, rc, NULL, NULL, 0, "out of memory");
            goto cleanup;
        }
    }
    if (!log) {
        rc = why == SRT_SR_STOP_INTERRUPTED
                 ? srt_err_set(err, SRT_ERR_INTERRUPTED, NULL, NULL, 0, "SR run interrupted")
                 : SRT_OK;
        goto cleanup;
    }
    srt_sr_result_t tmp;
    srt_sr_result_init(&tmp);
    rc = fill_result(s, &tmp);
    double pv = tmp.pareto_volume, min_loss = tmp.min_loss;
    srt_sr_result_fini(&tmp);
    if (rc != SRT_OK) {
        srt_err_set(err, rc, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (why == SRT_SR_STOP_INTERRUPTED) {
        s->elapsed_prev = elapsed;
        uint64_t len = 0;
        if ((rc = flush_sync(log, p_partial, &len, err)) != SRT_OK ||
            (rc = srt_sr__checkpoint_save(s, p_ckpt, len, err)) != SRT_OK ||
            (rc = write_run_json(p_json, s, "interrupted", why, resumed, started, elapsed, pv,
                                 min_loss, err)) != SRT_OK)
            goto cleanup;
        rc = srt_err_set(err, SRT_ERR_INTERRUPTED, run_dir, NULL, 0,
                         "SR run interrupted after %ld island returns (checkpointed)",
                         s->returns);
        goto cleanup;
    }
    /* the last row must describe the final state */
    if (!logged_last && srt_sr__scalars_row(log, s, srt_time_wall(), elapsed) != 0) {
        rc = srt_err_set(err, SRT_ERR_IO, p_partial, NULL, 0, "write failed");
        goto cleanup;
    }
    if ((rc = flush_sync(log, p_partial, NULL, err)) != SRT_OK)
        goto cleanup;
    if (fclose(log) != 0) {
        log = NULL;
        rc = srt_err_set(err, SRT_ERR_IO, p_partial, NULL, 0, "close failed");
        goto cleanup;
    }
    log = NULL;
    if (!(hof_text = srt_sr__hof_csv(s))) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    if ((rc = srt_fs_write_atomic(p_hof, hof_text, strlen(hof_text), err)) != SRT_OK ||
        (rc = write_run_json(p_json, s, "complete", why, resumed, started, elapsed, pv, min_loss,
                             err)) != SRT_OK)
        goto cleanup;
    if (srt_fs_fault_hit("rename", p_final) || rename(p_partial, p_final) != 0) {
        rc = srt_err_set(err, SRT_ERR_IO, p_final, NULL, 0, "cannot rename the scalar log: %s",
                         strerror(errno));
        goto cleanup;
    }
    if ((rc = srt_fs_fsync_dir(run_dir, err)) != SRT_OK)
        goto cleanup;
    if (srt_fs_is_file(p_ckpt))
        (void)unlink(p_ckpt);
cleanup:
    if (log)
        fclose(log);
    free(hof_text);
    free(p_partial);
    free(p_final);
    free(p_hof);
    free(p_json);
    free(p_ckpt);
    srt_sr__search_destroy(&s);
    return rc;
}
