/*
 * `srtune run CONFIG --np N`: the launcher. It starts the MPI job itself
 * (mpirun, or srun inside a SLURM allocation) and owns the terminal:
 *
 * - the job runs in its own process group with stdin from /dev/null and its
 *   stdout and stderr on pipes, so a Ctrl-C reaches only the launcher, and
 *   every line of the job passes through here whole (the progress line is
 *   cleared before it and drawn again after it: nothing is garbled);
 * - the progress line is read from the study directory once a second (the
 *   journal and the run files, as `srtune status` reads them; less often when
 *   a read takes over 50 ms), never from MPI;
 *   the job itself runs with SRTUNE_PROGRESS=never;
 * - SIGINT, SIGTERM and SIGHUP become SIGUSR1 to the launcher (which forwards
 *   it to every rank: the graceful stop, exit 75); the same signal again
 *   within SRT_ESCALATE_S seconds escalates (SIGTERM to the launcher, then
 *   SIGKILL to its process group) and says so; SIGUSR1 is passed on as it is;
 * - the exit code is the job's (0, 1, 3, 75).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/launch.h"
#include "cli/study_summary.h"
#include "cluster/progress.h"

#define SRT_ESCALATE_S 5.0
#define SRT_LAUNCH_MAX_ARGS 64
#define SRT_LINE_MAX 65536

static volatile sig_atomic_t pending_sig; /* last stop signal, 0 when handled */
static volatile sig_atomic_t n_pending;   /* signals since the last look */

static void on_signal(int sig)
{
    pending_sig = sig;
    n_pending++;
}

/* One output stream of the job (its stdout or stderr) and where it goes. */
typedef struct {
    int fd;        /* read end of the pipe, -1 at EOF */
    FILE *to;      /* stdout or stderr */
    char *buf;     /* an incomplete line */
    size_t len;    /* bytes in buf */
    int in_banner; /* inside an Open MPI "----" block */
    char *banner;  /* the block so far */
    size_t banner_len;
} stream_t;

typedef struct {
    srt_progress_t bar;
    int have_view;        /* the study directory was read at least once */
    size_t runs_at_start; /* runs done when first read (for the ETA) */
    const char *config;
    char *output_dir;
} launch_t;

static int is_dashes(const char *s, size_t n)
{
    if (n < 20)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '-')
            return 0;
    return 1;
}

/* Open MPI's two banners about a rank's non-zero exit say nothing the
 * launcher's own last line does not ("the job exited with 75"). */
static int banner_is_exit_notice(const char *b)
{
    return strstr(b, "non-zero exit code") || strstr(b, "exited with non-zero status");
}

static void emit(launch_t *l, FILE *to, const char *s, size_t n)
{
    srt_progress_clear(&l->bar);
    fwrite(s, 1, n, to);
    fflush(to);
}

static void stream_line(launch_t *l, stream_t *st, const char *line, size_t n)
{
    static const char fwd[] = "mpirun: Forwarding signal"; /* our own USR1, passed on */
    if (!st->in_banner && n >= sizeof fwd - 1 && !memcmp(line, fwd, sizeof fwd - 1))
        return;
    int dashes = is_dashes(line, n > 0 && line[n - 1] == '\n' ? n - 1 : n);
    if (!st->in_banner && dashes) {
        st->in_banner = 1;
        st->banner_len = 0;
    }
    if (st->in_banner) {
        char *nb = realloc(st->banner, st->banner_len + n + 1);
        if (!nb) {
            emit(l, st->to, line, n);
            return;
        }
        st->banner = nb;
        memcpy(st->banner + st->banner_len, line, n);
        st->banner_len += n;
        st->banner[st->banner_len] = '\0';
        if (dashes && st->banner_len > n) { /* the closing line */
            st->in_banner = 0;
            if (!banner_is_exit_notice(st->banner))
                emit(l, st->to, st->banner, st->banner_len);
            st->banner_len = 0;
        }
        return;
    }
    emit(l, st->to, line, n);
}

/* Reads what is there; returns 0 at EOF. */
static int stream_read(launch_t *l, stream_t *st)
{
    char chunk[8192];
    ssize_t got = read(st->fd, chunk, sizeof chunk);
    if (got < 0 && (errno == EINTR || errno == EAGAIN))
        return 1;
    if (got <= 0)
        return 0;
    char *nb = realloc(st->buf, st->len + (size_t)got + 1);
    if (!nb)
        return 0;
    st->buf = nb;
    memcpy(st->buf + st->len, chunk, (size_t)got);
    st->len += (size_t)got;
    size_t pos = 0;
    for (;;) {
        char *nl = memchr(st->buf + pos, '\n', st->len - pos);
        if (!nl)
            break;
        size_t n = (size_t)(nl - (st->buf + pos)) + 1;
        stream_line(l, st, st->buf + pos, n);
        pos += n;
    }
    if (st->len - pos >= SRT_LINE_MAX) { /* a huge line without a newline: pass it on */
        stream_line(l, st, st->buf + pos, st->len - pos);
        pos = st->len;
    }
    memmove(st->buf, st->buf + pos, st->len - pos);
    st->len -= pos;
    return 1;
}

static void stream_flush(launch_t *l, stream_t *st)
{
    if (st->in_banner && st->banner_len) {
        emit(l, st->to, st->banner, st->banner_len);
        st->in_banner = 0;
        st->banner_len = 0;
    }
    if (st->len) {
        emit(l, st->to, st->buf, st->len);
        emit(l, st->to, "\n", 1);
        st->len = 0;
    }
    free(st->buf);
    free(st->banner);
    st->buf = st->banner = NULL;
}

/* Reads the study directory into the progress line (quietly: the journal may
 * be half-written, the directory may not exist yet). */
static void refresh(launch_t *l)
{
    char *cfg = srt_path_join(l->output_dir, "config.json");
    int there = cfg && srt_fs_is_file(cfg);
    free(cfg);
    if (!there)
        return;
    srt_log_level_t lvl = srt_log_get_level();
    srt_log_set_level(SRT_LOG_OFF);
    int saved = dup(STDERR_FILENO); /* srt_view_open may print; not on our terminal */
    int devnull = open("/dev/null", O_WRONLY);
    if (saved >= 0 && devnull >= 0) {
        fflush(stderr);
        dup2(devnull, STDERR_FILENO);
    }
    srt_view_t v;
    int code = srt_view_open(l->output_dir, &v);
    if (saved >= 0 && devnull >= 0) {
        fflush(stderr);
        dup2(saved, STDERR_FILENO);
    }
    if (saved >= 0)
        close(saved);
    if (devnull >= 0)
        close(devnull);
    srt_log_set_level(lvl);
    if (code == 0) {
        srt_summary_t s;
        srt_summary_compute(&v, &s);
        srt_progress_t *p = &l->bar;
        p->trials_goal = (size_t)v.plan.cfg->study.n_trials;
        p->done = s.finished + s.foreign_finished;
        p->pruned = s.pruned;
        p->failed = s.failed;
        p->interrupted = s.interrupted;
        p->runs_done = s.runs_done;
        p->runs_total = s.runs_total;
        if (!l->have_view) {
            l->have_view = 1;
            l->runs_at_start = s.runs_done;
            p->start = srt_time_monotonic();
        }
        p->runs_new = s.runs_done > l->runs_at_start ? s.runs_done - l->runs_at_start : 0;
        p->best = s.best ? s.best->values[0] : p->best;
    }
    srt_view_close(&v);
}

static const char *sig_name(int sig)
{
    switch (sig) {
    case SIGINT:
        return "SIGINT (Ctrl-C)";
    case SIGTERM:
        return "SIGTERM";
    case SIGHUP:
        return "SIGHUP";
    case SIGUSR1:
        return "SIGUSR1";
    default:
        return "a signal";
    }
}

static void say(launch_t *l, const char *msg)
{
    srt_progress_clear(&l->bar);
    fprintf(stderr, "srtune: %s\n", msg);
    fflush(stderr);
}

/* 1 when running inside a SLURM allocation (srun may start the ranks). */
static int in_slurm(void)
{
    const char *j = getenv("SLURM_JOB_ID");
    return j && *j;
}

int srt_launch_run(const char *config, int np, const char *launcher, char **extra, int n_extra)
{
    launch_t l;
    memset(&l, 0, sizeof l);
    l.config = config;
    int code = 0;
    srt_study_plan_t plan;
    memset(&plan, 0, sizeof plan);
    /* a bad config is refused here, before any MPI start-up */
    code = srt_study_plan_load(config, 0, &plan);
    if (code != 0) {
        srt_study_plan_fini(&plan);
        return code;
    }
    l.output_dir = srt_strdup(plan.cfg->study.output_dir);
    srt_progress_init(&l.bar, (size_t)plan.cfg->study.n_trials,
                      (size_t)plan.cfg->study.n_trials * plan.n_equations *
                          (size_t)plan.cfg->dataset.n_runs);
    srt_study_plan_fini(&plan);

    if (!strcmp(launcher, "auto"))
        launcher = in_slurm() ? "srun" : "mpirun";
    char self[4096];
    ssize_t sl = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sl <= 0) {
        fprintf(stderr, "srtune: cannot find its own executable (/proc/self/exe)\n");
        free(l.output_dir);
        return SRT_EXIT_FAILURE;
    }
    self[sl] = '\0';
    char npbuf[32];
    snprintf(npbuf, sizeof npbuf, "%d", np);
    char *argv[SRT_LAUNCH_MAX_ARGS + 8];
    int a = 0;
    if (!strcmp(launcher, "srun")) {
        argv[a++] = (char *)"srun";
        argv[a++] = (char *)"-n";
        argv[a++] = npbuf;
    } else {
        argv[a++] = (char *)"mpirun";
        argv[a++] = (char *)"-np";
        argv[a++] = npbuf;
        if (!in_slurm()) /* a workstation: more ranks than cores is fine (rank 0 idles) */
            argv[a++] = (char *)"--oversubscribe";
    }
    for (int i = 0; i < n_extra && a < SRT_LAUNCH_MAX_ARGS; i++)
        argv[a++] = extra[i];
    argv[a++] = self;
    argv[a++] = (char *)"run";
    argv[a++] = (char *)config;
    argv[a] = NULL;
    {
        char line[2048];
        size_t o = 0;
        for (int i = 0; argv[i] && o < sizeof line - 2; i++)
            o += (size_t)snprintf(line + o, sizeof line - o, "%s%s", i ? " " : "", argv[i]);
        SRT_INFO("starting: %s", line);
    }

    int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
    if (pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
        fprintf(stderr, "srtune: pipe: %s\n", strerror(errno));
        free(l.output_dir);
        return SRT_EXIT_FAILURE;
    }
    /* the handlers before the fork: a Ctrl-C right after it is not lost */
    struct sigaction sa, old_int, old_term, old_hup, old_usr1;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int);
    sigaction(SIGTERM, &sa, &old_term);
    sigaction(SIGHUP, &sa, &old_hup);
    sigaction(SIGUSR1, &sa, &old_usr1);
    signal(SIGPIPE, SIG_IGN); /* a closed terminal must not kill the launcher */
    fflush(stdout);
    fflush(stderr);
    pid_t child = fork();
    if (child < 0) {
        fprintf(stderr, "srtune: fork: %s\n", strerror(errno));
        free(l.output_dir);
        return SRT_EXIT_FAILURE;
    }
    if (child == 0) {
        setpgid(0, 0); /* Ctrl-C at the terminal reaches the launcher only */
        signal(SIGINT, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        signal(SIGPIPE, SIG_DFL);
        int dn = open("/dev/null", O_RDONLY);
        if (dn >= 0) {
            dup2(dn, STDIN_FILENO); /* mpirun would forward the terminal to rank 0 */
            close(dn);
        }
        dup2(out_pipe[1], STDOUT_FILENO);
        dup2(err_pipe[1], STDERR_FILENO);
        close(out_pipe[0]);
        close(out_pipe[1]);
        close(err_pipe[0]);
        close(err_pipe[1]);
        setenv("SRTUNE_PROGRESS", "never", 1); /* the launcher draws it */
        execvp(argv[0], argv);
        fprintf(stderr, "srtune: cannot start %s: %s\n", argv[0], strerror(errno));
        _exit(SRT_EXIT_FAILURE);
    }
    setpgid(child, child); /* also here: no race with the child's own call */
    close(out_pipe[1]);
    close(err_pipe[1]);
    stream_t streams[2] = {{out_pipe[0], stdout, NULL, 0, 0, NULL, 0},
                           {err_pipe[0], stderr, NULL, 0, 0, NULL, 0}};
    int status = 0, exited = 0, stops = 0, escalation = 0;
    double last_stop = -1e9, next_refresh = 0;
    while (!exited || streams[0].fd >= 0 || streams[1].fd >= 0) {
        while (n_pending) { /* each signal that arrived: two quick Ctrl-C escalate */
            sigset_t block, old_mask;
            sigemptyset(&block);
            sigaddset(&block, SIGINT);
            sigaddset(&block, SIGTERM);
            sigaddset(&block, SIGHUP);
            sigaddset(&block, SIGUSR1);
            sigprocmask(SIG_BLOCK, &block, &old_mask); /* the handler counts too */
            int sig = pending_sig;
            n_pending--;
            sigprocmask(SIG_SETMASK, &old_mask, NULL);
            double now = srt_time_monotonic();
            char msg[512];
            if (sig == SIGUSR1 || stops == 0 || now - last_stop > SRT_ESCALATE_S) {
                kill(child, SIGUSR1);
                if (stops == 0 || sig == SIGUSR1) {
                    snprintf(msg, sizeof msg,
                             "%s: stopping cleanly; the SR runs checkpoint at their next "
                             "iteration, then the study can be resumed (exit 75)%s",
                             sig_name(sig),
                             sig == SIGUSR1 ? ""
                                            : ". Press Ctrl-C again within 5 s to stop at once");
                    say(&l, msg);
                }
                stops++;
                l.bar.note = "stopping...";
            } else {
                escalation++;
                if (escalation == 1) {
                    snprintf(msg, sizeof msg,
                             "%s again: stopping at once (SIGTERM to %s); finished runs are "
                             "kept, unfinished trials are taken over after heartbeat_grace_s "
                             "when relaunched. Once more kills the job",
                             sig_name(sig), argv[0]);
                    say(&l, msg);
                    kill(child, SIGTERM);
                } else {
                    snprintf(msg, sizeof msg, "%s again: killing the job (SIGKILL)", sig_name(sig));
                    say(&l, msg);
                    kill(-child, SIGKILL);
                }
            }
            last_stop = now;
        }
        if (!exited) {
            pid_t w = waitpid(child, &status, WNOHANG);
            if (w == child)
                exited = 1;
        }
        double now = srt_time_monotonic();
        if (now >= next_refresh) {
            refresh(&l);
            /* once a second, but never more than 5 % of a core on reading a
             * large study directory */
            double took = srt_time_monotonic() - now;
            next_refresh = now + (took * 20 > 1.0 ? took * 20 : 1.0);
            if (l.have_view)
                srt_progress_draw(&l.bar, 1);
        }
        struct pollfd pf[2];
        int n = 0;
        for (int i = 0; i < 2; i++)
            if (streams[i].fd >= 0) {
                pf[n].fd = streams[i].fd;
                pf[n].events = POLLIN;
                pf[n].revents = 0;
                n++;
            }
        if (n == 0) {
            if (!exited) {
                if (waitpid(child, &status, 0) == child)
                    exited = 1;
                else if (errno != EINTR)
                    break;
            }
            continue;
        }
        int r = poll(pf, (nfds_t)n, 250);
        if (r <= 0)
            continue;
        int k = 0;
        for (int i = 0; i < 2; i++) {
            if (streams[i].fd < 0)
                continue;
            if (pf[k].revents & (POLLIN | POLLHUP | POLLERR)) {
                if (!stream_read(&l, &streams[i])) {
                    close(streams[i].fd);
                    streams[i].fd = -1;
                } else if (l.have_view) {
                    srt_progress_draw(&l.bar, 1);
                }
            }
            k++;
        }
    }
    for (int i = 0; i < 2; i++)
        stream_flush(&l, &streams[i]);
    refresh(&l);
    l.bar.note = NULL;
    l.bar.runs_new = 0; /* no ETA once the job is over */
    if (l.have_view)
        srt_progress_finish(&l.bar);
    else
        srt_progress_clear(&l.bar);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    sigaction(SIGUSR1, &old_usr1, NULL);
    if (WIFEXITED(status)) {
        code = WEXITSTATUS(status);
    } else if (WIFSIGNALED(status)) {
        fprintf(stderr, "srtune: %s was killed by signal %d\n", argv[0], WTERMSIG(status));
        code = stops ? SRT_EXIT_RESUMABLE : SRT_EXIT_FAILURE;
    }
    if (code != SRT_EXIT_OK && code != SRT_EXIT_FAILURE && code != SRT_EXIT_INVALID &&
        code != SRT_EXIT_RESUMABLE && code != SRT_EXIT_USAGE) {
        /* mpirun's own codes (a rank killed by a signal, a start-up error) */
        fprintf(stderr, "srtune: %s exited with %d\n", argv[0], code);
        code = stops ? SRT_EXIT_RESUMABLE : SRT_EXIT_FAILURE;
    }
    if (escalation && code == SRT_EXIT_FAILURE) {
        /* mpirun's answer to SIGTERM; the journal and every finished run are
         * intact, the trials caught mid-way are taken over when relaunched */
        code = SRT_EXIT_RESUMABLE;
    }
    if (code == SRT_EXIT_RESUMABLE)
        fprintf(stderr, "srtune: the study was stopped; run the same command to resume it "
                        "(exit 75)\n");
    free(l.output_dir);
    return code;
}
