/*
 * Logging: one line per message on stderr,
 * "ISO-time rank=N LEVEL message" ("... LEVEL file:line message" at the debug
 * level). The level comes from
 * SRTUNE_LOG_LEVEL (or SRTUNE_LOG) the first time it is needed. A single
 * fprintf per line keeps lines from different ranks whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "srtune/core.h"

static int level_ready;
static srt_log_level_t current_level = SRT_LOG_INFO;
static int log_rank = -1;
static unsigned long warnings;
static void (*before_write)(void);
static const char *line_prefix = "";

void srt_log_set_line_prefix(const char *prefix)
{
    line_prefix = prefix ? prefix : "";
}

void srt_log_set_before_write(void (*fn)(void))
{
    before_write = fn;
}

static const char *const level_names[] = {"DEBUG", "INFO", "WARN", "ERROR", "OFF"};

srt_rc srt_log_parse_level(const char *name, srt_log_level_t *out)
{
    static const struct {
        const char *name;
        srt_log_level_t level;
    } names[] = {{"debug", SRT_LOG_DEBUG}, {"info", SRT_LOG_INFO},   {"warn", SRT_LOG_WARN},
                 {"warning", SRT_LOG_WARN}, {"error", SRT_LOG_ERROR}, {"off", SRT_LOG_OFF},
                 {"quiet", SRT_LOG_OFF}};
    if (!name)
        return SRT_ERR_INVALID;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        if (strcasecmp(name, names[i].name) == 0) {
            *out = names[i].level;
            return SRT_OK;
        }
    }
    return SRT_ERR_INVALID;
}

static void init_level(void)
{
    if (level_ready)
        return;
    level_ready = 1;
    const char *env = getenv("SRTUNE_LOG_LEVEL");
    if (!env || !*env)
        env = getenv("SRTUNE_LOG");
    srt_log_level_t lvl;
    if (env && *env && srt_log_parse_level(env, &lvl) == SRT_OK)
        current_level = lvl;
}

void srt_log_set_level(srt_log_level_t level)
{
    level_ready = 1;
    current_level = level;
}

srt_log_level_t srt_log_get_level(void)
{
    init_level();
    return current_level;
}

void srt_log_set_rank(int rank)
{
    log_rank = rank;
}

unsigned long srt_log_warning_count(void)
{
    return warnings;
}

void srt_log_write(srt_log_level_t level, const char *file, int line, const char *fmt, ...)
{
    init_level();
    if (level == SRT_LOG_WARN)
        warnings++;
    if (level < current_level || level >= SRT_LOG_OFF)
        return;
    char msg[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);

    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    gmtime_r(&ts.tv_sec, &tm);
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    const char *base = strrchr(file, '/');
    base = base ? base + 1 : file;
    char rank[24] = "";
    if (log_rank >= 0)
        snprintf(rank, sizeof rank, " rank=%d", log_rank);
    if (before_write)
        before_write();
    /* the source location helps whoever debugs srtune, not its users: only
     * with --log-level debug */
    char where[96] = "";
    if (current_level == SRT_LOG_DEBUG)
        snprintf(where, sizeof where, " %s:%d", base, line);
    fprintf(stderr, "%s%s.%03ldZ%s %s%s %s\n", line_prefix, when, ts.tv_nsec / 1000000L, rank,
            level_names[level], where, msg);
}
