/*
 * Helpers shared by the fuzz targets (fuzz.h): one private temporary
 * directory per process, removed at exit, where each input is written so the
 * targets call the same file-based loaders as the srtune commands.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gsl/gsl_errno.h>

#include "fuzz.h"
#include "srtune/core.h"

static char tmp_dir[512];      /* the process's temporary directory, "" before init */
static char path_buf[4][1024]; /* fuzz_path's results, used in turn */
static unsigned path_next;     /* the buffer fuzz_path fills next */

static void remove_tree(const char *dir, int remove_self)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char p[1024];
            if (snprintf(p, sizeof p, "%s/%s", dir, e->d_name) >= (int)sizeof p)
                continue;
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode))
                remove_tree(p, 1);
            else
                (void)unlink(p);
        }
        closedir(d);
    }
    if (remove_self)
        (void)rmdir(dir);
}

static void cleanup(void)
{
    if (tmp_dir[0])
        remove_tree(tmp_dir, 1);
}

void fuzz_init(void)
{
    if (tmp_dir[0])
        return;
    srt_log_set_level(SRT_LOG_OFF);
    gsl_set_error_handler_off();
    const char *base = getenv("TMPDIR");
    if (!base || !*base)
        base = "/tmp";
    if (snprintf(tmp_dir, sizeof tmp_dir, "%s/srtune-fuzz-XXXXXX", base) >= (int)sizeof tmp_dir ||
        !mkdtemp(tmp_dir))
        fuzz_fail("fuzz: cannot make a temporary directory under %s: %s", base, strerror(errno));
    if (atexit(cleanup) != 0)
        fuzz_fail("fuzz: atexit failed");
}

const char *fuzz_path(const char *name)
{
    fuzz_init();
    char *buf = path_buf[path_next++ % 4];
    if (snprintf(buf, sizeof path_buf[0], "%s/%s", tmp_dir, name) >= (int)sizeof path_buf[0])
        fuzz_fail("fuzz: path too long: %s", name);
    return buf;
}

static void write_mode(const char *path, const uint8_t *data, size_t size, const char *mode)
{
    FILE *f = fopen(path, mode);
    if (!f)
        fuzz_fail("fuzz: cannot open %s: %s", path, strerror(errno));
    if ((size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        fuzz_fail("fuzz: cannot write %s", path);
}

const char *fuzz_write(const char *name, const uint8_t *data, size_t size)
{
    const char *p = fuzz_path(name);
    write_mode(p, data, size, "wb");
    return p;
}

void fuzz_append(const char *path, const uint8_t *data, size_t size)
{
    write_mode(path, data, size, "ab");
}

void fuzz_clear(void)
{
    fuzz_init();
    remove_tree(tmp_dir, 0);
}

void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    (void)vfprintf(stderr, fmt, ap);
    va_end(ap);
    (void)fputc('\n', stderr);
    abort();
}
