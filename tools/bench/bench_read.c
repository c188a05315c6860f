/*
 * bench_read: reading a suite file (srt_dataset_load_table) against `zcat FILE
 * > /dev/null` on the same file, in the same run (goal: at most 2x), and the
 * reader's peak memory against the numeric data's size (goal: at most 2x).
 *
 *   build/release/bench/bench_read [--rows N] [--cols C] [--digits D] [--file F]
 *
 * Without --file it writes a gzipped TSV of N rows x C columns (default
 * 1,000,000 x 20; the last column named target) of values printed with D
 * significant digits (default 7, like most PMLB tables; 17 takes strtod's
 * slow path for most cells) to $TMPDIR, then removes it. Times are the best
 * of 3.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "srtune/data.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static long rss_kb(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, res = 0;
    if (f) {
        if (fscanf(f, "%ld %ld", &pages, &res) != 2)
            res = 0;
        fclose(f);
    }
    return res * (sysconf(_SC_PAGESIZE) / 1024);
}

static int write_file(const char *path, long rows, int cols, int digits)
{
    gzFile g = gzopen(path, "wb6");
    if (!g)
        return -1;
    char line[1024];
    size_t o = 0;
    for (int j = 0; j < cols; j++)
        o += (size_t)snprintf(line + o, sizeof line - o, j == cols - 1 ? "target\n" : "x%d\t", j);
    gzwrite(g, line, (unsigned)o);
    unsigned long long s = 88172645463325252ull;
    for (long i = 0; i < rows; i++) {
        o = 0;
        for (int j = 0; j < cols; j++) {
            s ^= s << 13;
            s ^= s >> 7;
            s ^= s << 17;
            double v = ((double)(s >> 11) / 9007199254740992.0 - 0.3) * (j % 3 == 0 ? 1000 : 1);
            o += (size_t)snprintf(line + o, sizeof line - o, "%.*g%c", digits, v,
                                  j == cols - 1 ? '\n' : '\t');
        }
        if (gzwrite(g, line, (unsigned)o) != (int)o)
            return -1;
    }
    return gzclose(g) == Z_OK ? 0 : -1;
}

static double time_zcat(const char *path)
{
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        FILE *null = freopen("/dev/null", "w", stdout);
        (void)null;
        execlp("zcat", "zcat", path, (char *)NULL);
        _exit(127);
    }
    int st = 0;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
        return -1;
    return now() - t0;
}

int main(int argc, char **argv)
{
    long rows = 1000000;
    int cols = 20, digits = 7;
    const char *file = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--rows"))
            rows = atol(argv[i + 1]);
        else if (!strcmp(argv[i], "--cols"))
            cols = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--digits"))
            digits = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "--file"))
            file = argv[i + 1];
    }
    char path[4096];
    const char *tmp = getenv("TMPDIR");
    if (file) {
        snprintf(path, sizeof path, "%s", file);
    } else {
        snprintf(path, sizeof path, "%s/bench_read_%d.tsv.gz", tmp && *tmp ? tmp : "/tmp",
                 (int)getpid());
        printf("writing %ld x %d gzipped TSV, %d digits: %s\n", rows, cols, digits, path);
        fflush(stdout);
        if (write_file(path, rows, cols, digits) != 0) {
            fprintf(stderr, "bench_read: cannot write %s\n", path);
            return 1;
        }
    }
    double best_z = 1e30, best_r = 1e30;
    size_t nrows = 0, nfeat = 0;
    long rss_before = rss_kb();
    for (int k = 0; k < 3; k++) {
        double tz = time_zcat(path);
        if (tz < 0) {
            fprintf(stderr, "bench_read: zcat failed on %s\n", path);
            return 1;
        }
        if (tz < best_z)
            best_z = tz;
        srt_dataset_t *ds = NULL;
        srt_err_t err;
        srt_err_clear(&err);
        double t0 = now();
        if (srt_dataset_load_table(path, NULL, &ds, &err) != SRT_OK) {
            char msg[2048];
            fprintf(stderr, "bench_read: %s\n", srt_err_format(&err, msg, sizeof msg));
            return 1;
        }
        double tr = now() - t0;
        if (tr < best_r)
            best_r = tr;
        nrows = ds->nrows;
        nfeat = ds->nfeatures;
        srt_dataset_destroy(&ds);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    double numeric = (double)nrows * (double)(nfeat + 1) * 8.0;
    double peak = ((double)ru.ru_maxrss - (double)rss_before) * 1024.0;
    printf("rows %zu, columns %zu: read %.3f s, zcat %.3f s: ratio %.2f (goal <= 2)\n", nrows,
           nfeat + 1, best_r, best_z, best_r / best_z);
    printf("memory: peak %.1f MB above the start for %.1f MB of numbers: %.2fx (goal <= 2)\n",
           peak / 1e6, numeric / 1e6, peak / numeric);
    if (!file)
        unlink(path);
    return 0;
}
