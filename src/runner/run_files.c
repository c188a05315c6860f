/*
 * Run-directory files read and written by the runner: the final
 * pareto_volume of tensorboard_scalars.csv (columns found by header name, the
 * last non-empty row wins) and run.json records of failed runs.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "runner/runner_int.h"
#include "srtune/runner.h"

/* Index of column `name` in a comma-separated header line, or -1. */
static long find_column(const char *header, size_t len, const char *name)
{
    size_t nlen = strlen(name);
    long col = 0;
    const char *p = header, *end = header + len;
    while (p <= end) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        size_t flen = (size_t)(stop - p);
        if (flen > 0 && p[flen - 1] == '\r')
            flen--;
        if (flen == nlen && memcmp(p, name, nlen) == 0)
            return col;
        if (!comma)
            break;
        p = comma + 1;
        col++;
    }
    return -1;
}

/* Number of comma-separated fields in a line of len bytes. */
static size_t count_fields(const char *line, size_t len)
{
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += line[i] == ',';
    return n;
}

srt_rc srt_runner_read_final_pv(const char *run_dir, double *pv, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *text = NULL;
    size_t len = 0;
    char *path = srt_path_join(run_dir, SRT_RUN_SCALARS_FILE);
    if (!path)
        return srt_err_set(err, SRT_ERR_NOMEM, run_dir, NULL, 0, "out of memory");
    if (!srt_fs_is_file(path)) {
        rc = srt_err_set(err, SRT_ERR_NOTFOUND, path, NULL, 0, "run not complete");
        goto cleanup;
    }
    rc = srt_fs_read_file(path, &text, &len, err);
    if (rc != SRT_OK)
        goto cleanup;
    const char *nl = memchr(text, '\n', len);
    if (!nl) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 1, "no header line");
        goto cleanup;
    }
    long col = find_column(text, (size_t)(nl - text), "pareto_volume");
    if (col < 0) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, 1, "no 'pareto_volume' column");
        goto cleanup;
    }
    /* Find the last non-empty line and its line number. */
    long line_no = 1, last_line = 0;
    const char *last = NULL;
    const char *p = nl + 1;
    while (p < text + len) {
        const char *e = memchr(p, '\n', (size_t)(text + len - p));
        const char *stop = e ? e : text + len;
        line_no++;
        if (stop > p && !(stop - p == 1 && *p == '\r')) {
            last = p;
            last_line = line_no;
        }
        if (!e)
            break;
        p = e + 1;
    }
    if (!last) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, line_no, "no data rows");
        goto cleanup;
    }
    /* a torn last row (a file cut short by a crash of the disk or the file
     * system) has fewer fields than the header: not a finished run */
    const char *row_end = memchr(last, '\n', (size_t)(text + len - last));
    size_t n_head = count_fields(text, (size_t)(nl - text));
    size_t n_row = count_fields(last, (size_t)((row_end ? row_end : text + len) - last));
    if (n_row != n_head) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, last_line,
                         "expected %zu fields as in the header, got %zu (a torn row)", n_head,
                         n_row);
        goto cleanup;
    }
    const char *field = last;
    for (long c = 0; c < col; c++) {
        const char *comma = strchr(field, ',');
        const char *eol = strchr(field, '\n');
        if (!comma || (eol && comma > eol)) {
            rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, last_line,
                             "row has no 'pareto_volume' field (column %ld)", col + 1);
            goto cleanup;
        }
        field = comma + 1;
    }
    errno = 0;
    char *endp = NULL;
    double v = strtod(field, &endp);
    if (endp == field || errno == ERANGE || !isfinite(v) ||
        !(*endp == ',' || *endp == '\n' || *endp == '\r' || *endp == '\0')) {
        rc = srt_err_set(err, SRT_ERR_DATA, path, NULL, last_line,
                         "pareto_volume is not a finite number");
        goto cleanup;
    }
    *pv = v;
cleanup:
    free(text);
    free(path);
    return rc;
}

srt_rc srt_runner_discard_scalars(const char *run_dir, srt_err_t *err)
{
    char *path = srt_path_join(run_dir, SRT_RUN_SCALARS_FILE);
    char *aside = path ? malloc(strlen(run_dir) + 32) : NULL;
    srt_rc rc = SRT_OK;
    if (!aside) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, run_dir, NULL, 0, "out of memory");
        goto cleanup;
    }
    /* Beside the run directory, which is removed before the run is redone;
     * an earlier corrupt file there is kept too (numbered names). */
    sprintf(aside, "%s.corrupt-scalars.csv", run_dir);
    struct stat st;
    for (int k = 1; k < 1000 && lstat(aside, &st) == 0; k++)
        sprintf(aside, "%s.corrupt-scalars.%d.csv", run_dir, k);
    if (srt_fs_fault_hit("rename", aside) || rename(path, aside) != 0)
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot move aside: %s",
                         strerror(errno));
cleanup:
    free(aside);
    free(path);
    return rc;
}

/* Appends s to buf as a JSON string literal body (no quotes). */
static void json_escape(char *buf, size_t size, const char *s)
{
    size_t o = 0;
    for (; *s && o + 7 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\') {
            buf[o++] = '\\';
            buf[o++] = (char)c;
        } else if (c < 0x20) {
            o += (size_t)snprintf(buf + o, size - o, "\\u%04x", c);
        } else {
            buf[o++] = (char)c;
        }
    }
    buf[o] = '\0';
}

srt_rc srt_runner_write_failure(const srt_run_spec_t *spec, const srt_err_t *failure,
                                double seconds, srt_err_t *err)
{
    char msg[2048], esc_msg[4096], esc_ds[512], text[8192];
    srt_err_format(failure, msg, sizeof msg);
    json_escape(esc_msg, sizeof esc_msg, msg);
    json_escape(esc_ds, sizeof esc_ds, spec->dataset);
    int n = snprintf(text, sizeof text,
                     "{\n  \"status\": \"failed\",\n  \"error\": \"%s\",\n"
                     "  \"dataset\": \"%s\",\n  \"equation\": %ld,\n  \"run\": %ld,\n"
                     "  \"data_seed\": %" PRIu64 ",\n  \"search_seed\": %" PRIu64 ",\n"
                     "  \"seconds\": %.3f\n}\n",
                     esc_msg, esc_ds, spec->eq_index, spec->run, spec->data_seed,
                     spec->search_seed, seconds);
    char *path = srt_path_join(spec->run_dir, SRT_RUN_INFO_FILE);
    if (!path)
        return srt_err_set(err, SRT_ERR_NOMEM, spec->run_dir, NULL, 0, "out of memory");
    srt_rc rc = srt_fs_write_atomic(path, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1,
                                    err);
    free(path);
    return rc;
}
