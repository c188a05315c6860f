/* SLURM and coordinator-record queries: see slurm_query.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cluster/slurm_query.h"
#include "srtune/core.h"

#define MAX_RECORDS 4096    /* records read from coordinators/ */
#define SQUEUE_MAX_OUT (1u << 20)
#define MAX_QUERY_IDS 64

/* ------------------------------------------------- flat JSON records */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

/* Parses a JSON string at p (at the opening quote) into out (truncated, escapes
 * other than \" \\ \/ kept verbatim); returns the position after it or NULL. */
static const char *parse_string(const char *p, char *out, size_t size)
{
    size_t o = 0;
    if (*p != '"')
        return NULL;
    for (p++; *p && *p != '"'; p++) {
        char ch = *p;
        if (ch == '\\') {
            p++;
            if (!*p)
                return NULL;
            ch = (*p == '"' || *p == '\\' || *p == '/') ? *p : '?';
        }
        if ((unsigned char)ch < 0x20)
            ch = '?';
        if (o + 1 < size)
            out[o++] = ch;
    }
    if (size)
        out[o] = '\0';
    return *p == '"' ? p + 1 : NULL;
}

static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

/* Fills r from the flat JSON object text (keys with string, number or null
 * values). Returns 0 when it is well formed and names a worker. */
static int parse_record(const char *text, srt_coord_record_t *r)
{
    memset(r, 0, sizeof *r);
    r->pid = -1;
    const char *p = skip_ws(text);
    if (*p++ != '{')
        return -1;
    for (;;) {
        char key[64], sval[256];
        p = skip_ws(p);
        if (*p == '}')
            break;
        p = parse_string(p, key, sizeof key);
        if (!p)
            return -1;
        p = skip_ws(p);
        if (*p++ != ':')
            return -1;
        p = skip_ws(p);
        int is_null = 0, is_str = 0;
        double num = 0;
        if (*p == '"') {
            p = parse_string(p, sval, sizeof sval);
            if (!p)
                return -1;
            is_str = 1;
        } else if (strncmp(p, "null", 4) == 0) {
            p += 4;
            is_null = 1;
        } else {
            char *end;
            num = strtod(p, &end);
            if (end == p)
                return -1;
            p = end;
        }
        if (strcmp(key, "worker_id") == 0 && is_str)
            copy_str(r->worker_id, sizeof r->worker_id, sval);
        else if (strcmp(key, "host") == 0 && is_str)
            copy_str(r->host, sizeof r->host, sval);
        else if (strcmp(key, "pid") == 0 && !is_str && !is_null)
            r->pid = (long)num;
        else if (strcmp(key, "mpi_size") == 0 && !is_str && !is_null)
            r->mpi_size = (long)num;
        else if (strcmp(key, "slurm_job_id") == 0 && is_str)
            copy_str(r->job_id, sizeof r->job_id, sval);
        else if (strcmp(key, "slurm_array_job_id") == 0 && is_str)
            copy_str(r->array_job_id, sizeof r->array_job_id, sval);
        else if (strcmp(key, "slurm_array_task_id") == 0 && is_str)
            copy_str(r->array_task_id, sizeof r->array_task_id, sval);
        else if (strcmp(key, "started") == 0 && !is_str && !is_null)
            r->started = num;
        else if (strcmp(key, "ended") == 0 && !is_str && !is_null) {
            r->ended = num;
            r->has_ended = 1;
        } else if (strcmp(key, "exit_code") == 0 && !is_str && !is_null) {
            r->exit_code = (long)num;
            r->has_exit = 1;
        }
        p = skip_ws(p);
        if (*p == ',') {
            p++;
            continue;
        }
        if (*p == '}')
            break;
        return -1;
    }
    return r->worker_id[0] ? 0 : -1;
}

static int by_started(const void *a, const void *b)
{
    const srt_coord_record_t *x = a, *y = b;
    if (x->started != y->started)
        return x->started < y->started ? -1 : 1;
    return strcmp(x->worker_id, y->worker_id);
}

/* Reads every record of dir/coordinators; *out sorted by start time. */
size_t srt_coord_records_read(const char *dir, srt_coord_record_t **out)
{
    *out = NULL;
    char *cdir = srt_path_join(dir, "coordinators");
    DIR *d = cdir ? opendir(cdir) : NULL;
    srt_coord_record_t *recs = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while (d && n < MAX_RECORDS && (e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || e->d_name[0] == '.' || strcmp(e->d_name + len - 5, ".json") != 0)
            continue; /* also skips the writer's "<name>.json.tmp.<pid>" files */
        char *path = srt_path_join(cdir, e->d_name);
        char *text = NULL;
        size_t tlen = 0;
        if (path && srt_fs_read_file(path, &text, &tlen, NULL) == SRT_OK && tlen < 65536) {
            if (n == cap) {
                size_t ncap = cap ? 2 * cap : 16;
                srt_coord_record_t *nr = realloc(recs, ncap * sizeof *nr);
                if (nr) {
                    recs = nr;
                    cap = ncap;
                }
            }
            if (n < cap && parse_record(text, &recs[n]) == 0)
                n++;
        }
        free(text);
        free(path);
    }
    if (d)
        closedir(d);
    free(cdir);
    if (n)
        qsort(recs, n, sizeof *recs, by_started);
    *out = recs;
    return n;
}

/* ------------------------------------------------------------ squeue */

/* The squeue executable: $SRTUNE_SQUEUE (a path, for tests and odd installs),
 * else the first executable "squeue" on PATH; NULL when there is none. */
static char *find_squeue(void)
{
    const char *env = getenv("SRTUNE_SQUEUE");
    if (env && *env)
        return access(env, X_OK) == 0 ? srt_strdup(env) : NULL;
    const char *path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        const char *colon = strchr(path, ':');
        size_t len = colon ? (size_t)(colon - path) : strlen(path);
        char dirbuf[4096];
        if (len > 0 && len < sizeof dirbuf) {
            memcpy(dirbuf, path, len);
            dirbuf[len] = '\0';
            char *cand = srt_path_join(dirbuf, "squeue");
            struct stat st;
            if (cand && stat(cand, &st) == 0 && S_ISREG(st.st_mode) && access(cand, X_OK) == 0)
                return cand;
            free(cand);
        }
        if (!colon)
            break;
        path = colon + 1;
    }
    return NULL;
}

static double timeout_s(void)
{
    const char *env = getenv("SRTUNE_SQUEUE_TIMEOUT");
    double t = env ? strtod(env, NULL) : 5.0;
    return t > 0 && isfinite(t) ? t : 5.0;
}

/* Runs argv (argv[0] a path) in its own process group with stdin on
 * /dev/null. Returns its stdout and stderr (heap, NUL-terminated) and sets *code to its
 * exit code; returns NULL with *code -1 when it could not run, was killed or
 * ran past the timeout (then its whole process group is killed and reaped). */
static char *run_capture(char *const argv[], double limit_s, int *code)
{
    *code = -1;
    int fds[2];
    if (pipe(fds) != 0)
        return NULL;
    /* flushed so that the child inherits no buffered output */
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        return NULL;
    }
    if (pid == 0) {
        (void)setpgid(0, 0);
        int devnull = open("/dev/null", O_RDWR);
        if (devnull >= 0)
            dup2(devnull, STDIN_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO); /* its error message tells "unknown job" apart */
        close(fds[0]);
        close(fds[1]);
        execv(argv[0], argv);
        _exit(127);
    }
    (void)setpgid(pid, pid); /* both sides: no race with the kill below */
    close(fds[1]);
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    int ok = buf != NULL, timed_out = 0;
    double deadline = srt_time_monotonic() + limit_s;
    while (ok) {
        double left = deadline - srt_time_monotonic();
        if (left <= 0) {
            timed_out = 1;
            break;
        }
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int r = poll(&pfd, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            ok = 0;
            break;
        }
        if (r == 0)
            continue;
        if (len + 4096 + 1 > cap) {
            if (cap >= SQUEUE_MAX_OUT) {
                ok = 0;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                ok = 0;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        ssize_t got = read(fds[0], buf + len, cap - len - 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            break; /* EOF (or an error) */
        len += (size_t)got;
    }
    close(fds[0]);
    if (timed_out || !ok)
        kill(-pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (timed_out || !ok || !WIFEXITED(status) || WEXITSTATUS(status) == 127) {
        free(buf);
        return NULL;
    }
    *code = WEXITSTATUS(status);
    buf[len] = '\0';
    return buf;
}

/* Splits squeue's output into rows of SRT_Q_NFIELDS '|'-separated fields (the
 * last field, the reason, takes the rest of the line). */
static void parse_squeue(srt_squeue_t *q)
{
    size_t lines = 1;
    for (const char *p = q->text; *p; p++)
        lines += *p == '\n';
    q->rows = calloc(lines, sizeof *q->rows);
    q->used = calloc(lines, sizeof *q->used);
    if (!q->rows || !q->used)
        return;
    char *line = q->text;
    while (line && *line) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        const char **row = q->rows[q->n_rows];
        char *f = line;
        int k = 0;
        for (; k < SRT_Q_NFIELDS && f; k++) {
            row[k] = f;
            char *bar = k + 1 < SRT_Q_NFIELDS ? strchr(f, '|') : NULL;
            if (bar)
                *bar = '\0';
            f = bar ? bar + 1 : NULL;
        }
        if (k == SRT_Q_NFIELDS)
            q->n_rows++;
        line = nl ? nl + 1 : NULL;
    }
}

static void append_squeue(srt_squeue_t *q, char *more)
{
    if (!more)
        return;
    if (!q->text) {
        q->text = more;
        return;
    }
    size_t a = strlen(q->text), b = strlen(more);
    char *t = realloc(q->text, a + b + 1);
    if (t) {
        memcpy(t + a, more, b + 1);
        q->text = t;
    }
    free(more);
}

static int is_digits(const char *s)
{
    if (!*s)
        return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return 0;
    return 1;
}

/* Asks squeue about the jobs of the records (array jobs as a whole, so that
 * tasks that have not started show too). 0 when squeue answered. */
int srt_squeue_query(const srt_coord_record_t *recs, size_t n, srt_squeue_t *q)
{
    memset(q, 0, sizeof q[0]);
    char *exe = find_squeue();
    if (!exe)
        return -1;
    const char *ids[MAX_QUERY_IDS];
    size_t n_ids = 0;
    for (size_t i = 0; i < n && n_ids < MAX_QUERY_IDS; i++) {
        const char *id = recs[i].array_job_id[0] ? recs[i].array_job_id : recs[i].job_id;
        if (!is_digits(id))
            continue;
        size_t k = 0;
        while (k < n_ids && strcmp(ids[k], id) != 0)
            k++;
        if (k == n_ids)
            ids[n_ids++] = id;
    }
    if (n_ids == 0) {
        free(exe);
        return -1;
    }
    char list[MAX_QUERY_IDS * 33] = "";
    for (size_t k = 0; k < n_ids; k++) {
        if (k)
            strcat(list, ",");
        strcat(list, ids[k]);
    }
    char fmt[] = "%i|%A|%F|%K|%T|%N|%L|%r";
    char opt_h[] = "--noheader", opt_r[] = "--array", opt_o[] = "--format", opt_j[] = "--jobs";
    double limit = timeout_s();
    char *argv[] = {exe, opt_h, opt_r, opt_o, fmt, opt_j, list, NULL};
    int code;
    char *out = run_capture(argv, limit, &code);
    if (!out) { /* no answer: leave the SLURM columns out */
        free(exe);
        return -1;
    }
    if (code != 0 && !strstr(out, "Invalid job id")) { /* controller down, ... */
        free(out);
        free(exe);
        return -1;
    }
    if (code == 0 || n_ids == 1) {
        /* squeue exits 1 for a lone id it does not know (a job that ended
         * long ago): SLURM is there, the job is gone */
        q->text = out;
        if (code != 0)
            q->text[0] = '\0';
    } else {
        /* one unknown id fails the whole list: ask for each id alone */
        free(out);
        q->text = srt_strdup("");
        for (size_t k = 0; q->text && k < n_ids; k++) {
            char one[33];
            snprintf(one, sizeof one, "%s", ids[k]);
            char *argv1[] = {exe, opt_h, opt_r, opt_o, fmt, opt_j, one, NULL};
            char *o = run_capture(argv1, limit, &code);
            if (!o)
                break; /* a timeout: do not wait n_ids times */
            if (code == 0)
                append_squeue(q, o);
            else
                free(o);
        }
    }
    free(exe);
    if (!q->text)
        return -1;
    parse_squeue(q);
    return 0;
}

void srt_squeue_free(srt_squeue_t *q)
{
    free(q->text);
    free(q->rows);
    free(q->used);
    memset(q, 0, sizeof *q);
}

void srt_squeue_match(srt_coord_record_t *recs, size_t n, srt_squeue_t *q)
{
    for (size_t i = 0; i < n; i++) {
        srt_coord_record_t *r = &recs[i];
        for (size_t k = 0; k < q->n_rows; k++) {
            const char *const *row = q->rows[k];
            int hit = r->array_job_id[0]
                          ? strcmp(row[SRT_Q_ARRAY_JOB], r->array_job_id) == 0 &&
                                strcmp(row[SRT_Q_ARRAY_TASK], r->array_task_id) == 0
                          : r->job_id[0] && strcmp(row[SRT_Q_JOBID], r->job_id) == 0;
            if (hit) {
                r->row = row;
                q->used[k] = 1;
                break;
            }
        }
    }
}

/* 1 when the record has no exit code, was written on this host and its
 * process is gone (or the pid now belongs to something else than srtune). */
int srt_coord_record_died_here(const srt_coord_record_t *r, const char *myhost)
{
    if (r->has_exit || r->pid <= 0 || strcmp(r->host, myhost) != 0)
        return 0;
    char path[64];
    snprintf(path, sizeof path, "/proc/%ld/cmdline", r->pid);
    FILE *f = fopen(path, "rb");
    if (f) {
        char cmd[4096];
        size_t n = fread(cmd, 1, sizeof cmd - 1, f);
        fclose(f);
        for (size_t i = 0; i < n; i++)
            if (cmd[i] == '\0')
                cmd[i] = ' ';
        cmd[n] = '\0';
        return strstr(cmd, "srtune") == NULL; /* a reused pid */
    }
    return kill((pid_t)r->pid, 0) != 0 && errno == ESRCH;
}

/* 1 when a record without an exit code belongs to a SLURM job that no longer
 * runs (squeue does not list it as running), or to a SLURM job (array task)
 * that started again later (a requeue after a kill): seen from any host. */
int srt_coord_record_died_slurm(const srt_coord_record_t *recs, size_t n, size_t i, int have_squeue)
{
    const srt_coord_record_t *r = &recs[i];
    if (r->has_exit || (!r->job_id[0] && !r->array_job_id[0]))
        return 0;
    for (size_t k = 0; k < n; k++) {
        const srt_coord_record_t *o = &recs[k];
        if (k != i && o->started > r->started && strcmp(o->job_id, r->job_id) == 0 &&
            strcmp(o->array_job_id, r->array_job_id) == 0 &&
            strcmp(o->array_task_id, r->array_task_id) == 0)
            return 1;
    }
    if (!have_squeue)
        return 0;
    if (!r->row)
        return 1;
    const char *st = r->row[SRT_Q_STATE];
    return strcmp(st, "RUNNING") != 0 && strcmp(st, "COMPLETING") != 0 &&
           strcmp(st, "SUSPENDED") != 0 && strcmp(st, "STOPPED") != 0 &&
           strcmp(st, "SIGNALING") != 0 && strcmp(st, "STAGE_OUT") != 0;
}
