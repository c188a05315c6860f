/*
 * Files: durable writes (temp file + fsync + rename + fsync of the directory),
 * whole-file reads, mkdir -p, rm -rf and path helpers.
 *
 * Invariant of srt_fs_write_atomic: at every instant the destination is either
 * the complete old file or the complete new file; a crash leaves at most a
 * `<path>.tmp.<pid>` file behind, never a torn destination.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "srtune/core.h"

static size_t enospc_budget = (size_t)-1;

#ifdef SRTUNE_FAULT_HOOKS
static int fault_errno(const char *name)
{
    static const struct {
        const char *name;
        int value;
    } known[] = {
        {"ENOSPC", ENOSPC}, {"EDQUOT", EDQUOT}, {"EIO", EIO}, {"EROFS", EROFS}, {"EACCES", EACCES}};
    for (size_t i = 0; name && i < sizeof known / sizeof known[0]; i++)
        if (strcmp(name, known[i].name) == 0)
            return known[i].value;
    return ENOSPC;
}

static int fault_init, fault_errno_value, fault_once;
static long fault_at, fault_calls;
static const char *fault_trace;

void srt_fs_fault_arm(long at, int once, int sys_errno)
{
    fault_init = 1;
    fault_at = at;
    fault_once = once;
    fault_errno_value = sys_errno ? sys_errno : ENOSPC;
    fault_calls = 0;
}

int srt_fs_fault_hit(const char *op, const char *path)
{
    if (!fault_init) {
        const char *a = getenv("SRTUNE_FAULT_AT");
        const char *rank = getenv("SRTUNE_FAULT_RANK");
        const char *mine = getenv("OMPI_COMM_WORLD_RANK");
        fault_init = 1;
        fault_at = a ? strtol(a, NULL, 10) : 0;
        if (rank && strtol(rank, NULL, 10) != (mine ? strtol(mine, NULL, 10) : 0))
            fault_at = 0;
        fault_once = getenv("SRTUNE_FAULT_ONCE") != NULL;
        fault_errno_value = fault_errno(getenv("SRTUNE_FAULT_ERRNO"));
        fault_trace = getenv("SRTUNE_FAULT_TRACE");
    }
    fault_calls++;
    if (fault_trace && *fault_trace) {
        FILE *f = fopen(fault_trace, "a");
        if (f) {
            const char *rank = getenv("OMPI_COMM_WORLD_RANK");
            fprintf(f, "%ld %s %ld %s %s\n", (long)getpid(), rank ? rank : "0", fault_calls, op,
                    path ? path : "-");
            fclose(f);
        }
    }
    if (fault_at > 0 && (fault_once ? fault_calls == fault_at : fault_calls >= fault_at)) {
        errno = fault_errno_value;
        return 1;
    }
    return 0;
}

int srt_fs_fault_hooks_enabled(void)
{
    return 1;
}
#else
void srt_fs_fault_arm(long at, int once, int sys_errno)
{
    (void)at;
    (void)once;
    (void)sys_errno;
}

int srt_fs_fault_hooks_enabled(void)
{
    return 0;
}

int srt_fs_fault_hit(const char *op, const char *path)
{
    (void)op;
    (void)path;
    return 0;
}
#endif

void srt_fs_inject_enospc_after(size_t bytes)
{
    enospc_budget = bytes;
}

char *srt_strdup(const char *s)
{
    if (!s)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

char *srt_path_join(const char *a, const char *b)
{
    if (!b)
        return srt_strdup(a);
    if (!a || !*a || b[0] == '/')
        return srt_strdup(b);
    size_t la = strlen(a), lb = strlen(b);
    int slash = a[la - 1] != '/';
    char *p = malloc(la + (size_t)slash + lb + 1);
    if (!p)
        return NULL;
    memcpy(p, a, la);
    if (slash)
        p[la] = '/';
    memcpy(p + la + slash, b, lb + 1);
    return p;
}

char *srt_path_dirname(const char *path)
{
    const char *slash = path ? strrchr(path, '/') : NULL;
    if (!slash)
        return srt_strdup(".");
    if (slash == path)
        return srt_strdup("/");
    size_t n = (size_t)(slash - path);
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, path, n);
    p[n] = '\0';
    return p;
}

int srt_fs_is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int srt_fs_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

srt_rc srt_fs_fsync_dir(const char *dir, srt_err_t *err)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd < 0)
        return srt_err_set(err, SRT_ERR_IO, dir, NULL, 0, "cannot open directory: %s",
                           strerror(errno));
    srt_rc rc = SRT_OK;
    /* Some file systems refuse fsync on directories (EINVAL); that is not a failure. */
    if ((srt_fs_fault_hit("fsync", dir) || fsync(fd) != 0) && errno != EINVAL && errno != EROFS)
        rc = srt_err_set(err, SRT_ERR_IO, dir, NULL, 0, "fsync of directory failed: %s",
                         strerror(errno));
    close(fd);
    return rc;
}

static ssize_t write_all(int fd, const char *path, const char *data, size_t len)
{
    size_t done = 0;
    if (srt_fs_fault_hit("write", path))
        return -1;
    while (done < len) {
        size_t chunk = len - done;
        if (enospc_budget != (size_t)-1) {
            if (enospc_budget == 0) {
                errno = ENOSPC;
                return -1;
            }
            if (chunk > enospc_budget)
                chunk = enospc_budget;
            enospc_budget -= chunk;
        }
        ssize_t n = write(fd, data + done, chunk);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        done += (size_t)n;
    }
    return (ssize_t)done;
}

srt_rc srt_fs_write_atomic(const char *path, const void *data, size_t len, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *tmp = NULL, *dir = NULL;
    int fd = -1;
    size_t tlen = strlen(path) + 32;
    tmp = malloc(tlen);
    dir = srt_path_dirname(path);
    if (!tmp || !dir) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
        goto cleanup;
    }
    snprintf(tmp, tlen, "%s.tmp.%ld", path, (long)getpid());
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot create %s: %s", tmp,
                         strerror(errno));
        goto cleanup;
    }
    if (write_all(fd, tmp, data, len) < 0) {
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "write failed: %s", strerror(errno));
        goto cleanup;
    }
    if (srt_fs_fault_hit("fsync", tmp) || fsync(fd) != 0) {
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "fsync failed: %s", strerror(errno));
        goto cleanup;
    }
    if (close(fd) != 0) {
        fd = -1;
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "close failed: %s", strerror(errno));
        goto cleanup;
    }
    fd = -1;
    if (srt_fs_fault_hit("rename", path) || rename(tmp, path) != 0) {
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "rename failed: %s", strerror(errno));
        goto cleanup;
    }
    rc = srt_fs_fsync_dir(dir, err);
cleanup:
    if (fd >= 0)
        close(fd);
    if (rc != SRT_OK && tmp)
        (void)unlink(tmp);
    free(tmp);
    free(dir);
    return rc;
}

srt_rc srt_fs_read_file(const char *path, char **out, size_t *len, srt_err_t *err)
{
    srt_rc rc = SRT_OK;
    char *buf = NULL;
    size_t cap = 0, used = 0;
    FILE *f = fopen(path, "rb");
    *out = NULL;
    if (len)
        *len = 0;
    if (!f)
        return srt_err_set(err, errno == ENOENT ? SRT_ERR_NOTFOUND : SRT_ERR_IO, path, NULL, 0,
                           "cannot open: %s", strerror(errno));
    if (srt_fs_is_dir(path)) {
        fclose(f);
        return srt_err_set(err, SRT_ERR_INVALID, path, NULL, 0, "is a directory, not a file");
    }
    for (;;) {
        if (cap - used < 4096) {
            size_t ncap = cap ? cap * 2 : 8192;
            char *nb = realloc(buf, ncap + 1);
            if (!nb) {
                rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
                goto cleanup;
            }
            buf = nb;
            cap = ncap;
        }
        size_t n = fread(buf + used, 1, cap - used, f);
        used += n;
        if (n == 0) {
            if (ferror(f)) {
                rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "read failed: %s",
                                 strerror(errno));
                goto cleanup;
            }
            break;
        }
    }
    buf[used] = '\0';
    *out = buf;
    buf = NULL;
    if (len)
        *len = used;
cleanup:
    free(buf);
    fclose(f);
    return rc;
}

srt_rc srt_fs_mkdir_p(const char *path, srt_err_t *err)
{
    if (!path || !*path)
        return srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0, "empty directory path");
    char *p = srt_strdup(path);
    if (!p)
        return srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
    srt_rc rc = SRT_OK;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/')
        p[--n] = '\0';
    for (char *s = p + 1;; s++) {
        int end = (*s == '\0');
        if (*s == '/' || end) {
            char saved = *s;
            *s = '\0';
            if (!srt_fs_is_dir(p) &&
                (srt_fs_fault_hit("mkdir", p) || (mkdir(p, 0777) != 0 && errno != EEXIST))) {
                rc = srt_err_set(err, SRT_ERR_IO, p, NULL, 0, "cannot create directory: %s",
                                 strerror(errno));
                goto cleanup;
            }
            if (!srt_fs_is_dir(p)) {
                rc = srt_err_set(err, SRT_ERR_EXISTS, p, NULL, 0,
                                 "exists and is not a directory");
                goto cleanup;
            }
            *s = saved;
            if (end)
                break;
        }
    }
cleanup:
    free(p);
    return rc;
}

srt_rc srt_fs_remove_tree(const char *path, srt_err_t *err)
{
    struct stat st;
    if (lstat(path, &st) != 0) {
        if (errno == ENOENT)
            return SRT_OK;
        return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot stat: %s", strerror(errno));
    }
    if (!S_ISDIR(st.st_mode)) {
        if (unlink(path) != 0 && errno != ENOENT)
            return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot remove: %s",
                               strerror(errno));
        return SRT_OK;
    }
    DIR *d = opendir(path);
    if (!d)
        return srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot open directory: %s",
                           strerror(errno));
    srt_rc rc = SRT_OK;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        char *child = srt_path_join(path, de->d_name);
        if (!child) {
            rc = srt_err_set(err, SRT_ERR_NOMEM, path, NULL, 0, "out of memory");
            break;
        }
        rc = srt_fs_remove_tree(child, err);
        free(child);
        if (rc != SRT_OK)
            break;
    }
    closedir(d);
    if (rc == SRT_OK && rmdir(path) != 0 && errno != ENOENT)
        rc = srt_err_set(err, SRT_ERR_IO, path, NULL, 0, "cannot remove directory: %s",
                         strerror(errno));
    return rc;
}
