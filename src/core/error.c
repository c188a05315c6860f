/*
 * Error codes and the error context. The strings come from SRT_RC_LIST so the
 * enum and its messages cannot drift apart.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "srtune/core.h"

static const char *const rc_strings[] = {
#define SRT_RC_STR_(name, text) text,
    SRT_RC_LIST(SRT_RC_STR_)
#undef SRT_RC_STR_
};

const char *srt_rc_str(srt_rc rc)
{
    if ((int)rc < 0 || (int)rc >= (int)SRT_RC_COUNT_)
        return "unknown error";
    return rc_strings[rc];
}

void srt_err_clear(srt_err_t *err)
{
    if (!err)
        return;
    memset(err, 0, sizeof *err);
}

static void copy_str(char *dst, size_t size, const char *src)
{
    if (!src) {
        dst[0] = '\0';
        return;
    }
    snprintf(dst, size, "%s", src);
}

srt_rc srt_err_setv(srt_err_t *err, srt_rc code, const char *file, const char *key, long line,
                    const char *fmt, va_list ap)
{
    int sys_errno = errno; /* the failed call's, before anything here changes it */
    if (!err)
        return code;
    err->code = code;
    err->sys_errno = code == SRT_ERR_IO ? sys_errno : 0;
    copy_str(err->file, sizeof err->file, file);
    copy_str(err->key, sizeof err->key, key);
    err->line = line;
    err->column = 0;
    if (fmt)
        vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    else
        copy_str(err->msg, sizeof err->msg, srt_rc_str(code));
    return code;
}

srt_rc srt_err_set(srt_err_t *err, srt_rc code, const char *file, const char *key, long line,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    srt_rc rc = srt_err_setv(err, code, file, key, line, fmt, ap);
    va_end(ap);
    return rc;
}

const char *srt_err_format(const srt_err_t *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err || err->code == SRT_OK) {
        snprintf(buf, size, "ok");
        return buf;
    }
    const char *msg = err->msg[0] ? err->msg : srt_rc_str(err->code);
    if (err->file[0] && err->key[0])
        snprintf(buf, size, "%s: %s: %s", err->file, err->key, msg);
    else if (err->file[0] && err->line > 0 && err->column > 0)
        snprintf(buf, size, "%s:%ld:%ld: %s", err->file, err->line, err->column, msg);
    else if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else if (err->key[0])
        snprintf(buf, size, "%s: %s", err->key, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}

int srt_err_is_environment(const srt_err_t *err)
{
    if (!err || err->code != SRT_ERR_IO)
        return 0;
    switch (err->sys_errno) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
    case EIO:
    case EROFS:
    case EACCES:
    case EPERM: return 1;
    default: return 0;
    }
}
