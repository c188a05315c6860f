/*
 * Shared helpers of the config module: describing JSON values in messages,
 * number formatting that round-trips, "did you mean" hints, the checks of SR
 * option values and operator names (used by the model section and by
 * srt_config_parse_sr_option alike), and lexical path normalisation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config_int.h"

void cfg_fmt_num(double v, char *buf, size_t size)
{
    if (isnan(v)) {
        snprintf(buf, size, "nan");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, size, v > 0 ? "inf" : "-inf");
        return;
    }
    snprintf(buf, size, "%.15g", v);
    if (strtod(buf, NULL) != v)
        snprintf(buf, size, "%.17g", v);
}

void cfg_describe_json(const cJSON *v, char *buf, size_t size)
{
    if (!v) {
        snprintf(buf, size, "nothing");
    } else if (cJSON_IsString(v)) {
        snprintf(buf, size, "a string \"%.60s%s\"", v->valuestring,
                 strlen(v->valuestring) > 60 ? "..." : "");
    } else if (cJSON_IsNumber(v)) {
        if (isinf(v->valuedouble))
            snprintf(buf, size, "a number too large for a double (it overflows to infinity)");
        else
            cfg_fmt_num(v->valuedouble, buf, size);
    } else if (cJSON_IsTrue(v)) {
        snprintf(buf, size, "true");
    } else if (cJSON_IsFalse(v)) {
        snprintf(buf, size, "false");
    } else if (cJSON_IsNull(v)) {
        snprintf(buf, size, "null");
    } else if (cJSON_IsArray(v)) {
        snprintf(buf, size, "an array");
    } else if (cJSON_IsObject(v)) {
        snprintf(buf, size, "an object");
    } else {
        snprintf(buf, size, "an unsupported value");
    }
}

const char *cfg_closest(const char *name, const char *const *cands, size_t n)
{
    const char *best = NULL;
    size_t best_d = (size_t)-1;
    size_t len = strlen(name);
    for (size_t i = 0; i < n; i++) {
        if (!cands[i])
            continue;
        size_t d = srt_edit_distance(name, cands[i]);
        if (d < best_d) {
            best_d = d;
            best = cands[i];
        }
    }
    /* Close means a typo: at most 2 edits, or a third of the name for long names. */
    size_t limit = len / 3 > 2 ? len / 3 : 2;
    if (best && best_d <= limit && best_d < len)
        return best;
    /* or a word whose abbreviation is a candidate ("cosine" -> "cos"): the
     * longest candidate of at least 3 characters that starts the name */
    const char *prefix = NULL;
    for (size_t i = 0; i < n; i++) {
        size_t cl = cands[i] ? strlen(cands[i]) : 0;
        if (cl >= 3 && cl < len && strncmp(name, cands[i], cl) == 0 &&
            (!prefix || cl > strlen(prefix)))
            prefix = cands[i];
    }
    return prefix;
}

void cfg_hint(const char *name, const char *const *cands, size_t n, char *buf, size_t size)
{
    const char *best = cfg_closest(name, cands, n);
    if (best)
        snprintf(buf, size, " (did you mean '%s'?)", best);
    else if (size)
        buf[0] = '\0';
}

/* s with every byte outside printable ASCII written as \xNN, cut to fit. */
static void escape_for_message(const char *s, char *buf, size_t size)
{
    size_t o = 0;
    for (; *s && o + 8 < size; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c >= 0x7f)
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
        else
            buf[o++] = (char)c;
    }
    if (*s && o + 4 < size)
        o += (size_t)snprintf(buf + o, size - o, "...");
    buf[o] = '\0';
}

int srt_config_name_check(const char *name, char *msg, size_t size)
{
    const char *why = "the name reaches file names and job scripts";
    char shown[96], what[64];
    size_t len = name ? strlen(name) : 0;
    if (len == 0) {
        snprintf(msg, size, "must be a non-empty name");
        return 0;
    }
    escape_for_message(name, shown, sizeof shown);
    for (const char *p = name; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '.' || c == '_' || c == '-')
            continue;
        if (c < 0x20 || c == 0x7f)
            snprintf(what, sizeof what, "a control character (0x%02x)", c);
        else if (c >= 0x80)
            snprintf(what, sizeof what, "a non-ASCII byte (0x%02x)", c);
        else if (c == ' ')
            snprintf(what, sizeof what, "a space");
        else
            snprintf(what, sizeof what, "'%c'", c);
        snprintf(msg, size,
                 "%s is not allowed (%s: use letters, digits, '.', '_' and '-'), got \"%s\"", what,
                 why, shown);
        return 0;
    }
    if (strstr(name, "..")) {
        snprintf(msg, size, "'..' is not allowed (%s), got \"%s\"", why, shown);
        return 0;
    }
    if (name[0] == '.' || name[0] == '-') {
        snprintf(msg, size, "must start with a letter, a digit or '_' (%s), got \"%s\"", why,
                 shown);
        return 0;
    }
    if (len > SRT_CONFIG_NAME_MAX) {
        snprintf(msg, size, "must be at most %d characters long (%s), got %zu characters",
                 SRT_CONFIG_NAME_MAX, why, len);
        return 0;
    }
    return 1;
}

int cfg_control_char(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || (unsigned char)*s == 0x7f)
            return (unsigned char)*s;
    return -1;
}

int cfg_is_integer(double v)
{
    return isfinite(v) && v == floor(v) && fabs(v) <= 9007199254740992.0;
}

double srt_config_option_low(const srt_sr_option_info_t *info)
{
    /* PySR 1.5.x (_validate_and_modify_params): "PySR requires a maxsize of at
     * least 7"; the engine itself would run from 5 (SR.jl asserts maxsize > 3). */
    if (strcmp(info->name, "maxsize") == 0)
        return fmax(info->low, 7.0);
    return info->low;
}

void cfg_describe_sr_option(const srt_sr_option_info_t *info, char *buf, size_t size)
{
    char lo[32], hi[32];
    cfg_fmt_num(srt_config_option_low(info), lo, sizeof lo);
    cfg_fmt_num(info->high, hi, sizeof hi);
    switch (info->kind) {
    case SRT_OPTKIND_INT:
        snprintf(buf, size, "an integer in [%s, %s]", lo, hi);
        break;
    case SRT_OPTKIND_FLOAT:
        snprintf(buf, size, "a number in [%s, %s]", lo, hi);
        break;
    case SRT_OPTKIND_BOOL:
        snprintf(buf, size, "true or false");
        break;
    default:
        snprintf(buf, size, "a number in [%s, %s] or null", lo, hi);
        break;
    }
}

int cfg_check_sr_value(const srt_sr_option_info_t *info, const cJSON *v, double *out, char *msg,
                       size_t size)
{
    int ok = 0;
    if (info->kind == SRT_OPTKIND_BOOL) {
        if (cJSON_IsBool(v)) {
            *out = cJSON_IsTrue(v) ? 1.0 : 0.0;
            ok = 1;
        }
    } else if (info->kind == SRT_OPTKIND_OPTFLOAT && cJSON_IsNull(v)) {
        *out = NAN;
        ok = 1;
    } else if (cJSON_IsNumber(v)) {
        double d = v->valuedouble;
        ok = isfinite(d) && d >= srt_config_option_low(info) && d <= info->high;
        if (ok && info->kind == SRT_OPTKIND_INT)
            ok = cfg_is_integer(d);
        if (ok && strcmp(info->name, "precision") == 0)
            ok = d == 32 || d == 64; /* PySR's precision: 32 or 64 (16 is not supported) */
        if (ok)
            *out = d;
    }
    if (!ok) {
        char want[128], got[128];
        cfg_describe_sr_option(info, want, sizeof want);
        if (strcmp(info->name, "precision") == 0)
            snprintf(want, sizeof want, "32 or 64");
        cfg_describe_json(v, got, sizeof got);
        snprintf(msg, size, "must be %s, got %s", want, got);
    }
    return ok;
}

static const char *arity_word(int arity)
{
    return arity == 2 ? "binary" : "unary";
}

int cfg_check_op(const char *name, int arity, srt_op_t *out, char *msg, size_t size)
{
    srt_op_t op;
    if (srt_op_lookup(name, &op) != SRT_OK) {
        /* srt_op_lookup's numpy aliases are candidates too */
        static const char *const unary_aliases[] = {"arcsin", "arccos", "arctan", "ln"};
        const char *cands[SRT_OP_COUNT + 8];
        size_t n = 0;
        for (int i = 0; i < SRT_OP_COUNT; i++) {
            int a = srt_op_arity((srt_op_t)i);
            if (a > 0 && (arity == 0 || a == arity))
                cands[n++] = srt_op_name((srt_op_t)i);
        }
        for (size_t i = 0; arity != 2 && i < 4; i++)
            cands[n++] = unary_aliases[i];
        if (arity != 1)
            cands[n++] = "pow";
        char hint[128];
        cfg_hint(name, cands, n, hint, sizeof hint);
        if (!hint[0] && arity != 0) { /* nothing close: list the valid names (docs/operators.md) */
            char list[600];
            size_t o = 0;
            for (size_t i = 0; i < n && o < sizeof list; i++)
                o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? " " : "", cands[i]);
            snprintf(msg, size, "unknown operator '%s'; %s operators are: %s", name,
                     arity_word(arity), list);
            return 0;
        }
        snprintf(msg, size, "unknown operator '%s'%s", name, hint);
        return 0;
    }
    int a = srt_op_arity(op);
    if (arity != 0 && a != arity) {
        snprintf(msg, size, "'%s' is a %s operator; put it in %s_operators", name, arity_word(a),
                 arity_word(a));
        return 0;
    }
    *out = op;
    return 1;
}

char *cfg_path_normalize(const char *path)
{
    size_t len = strlen(path);
    char *copy = srt_strdup(path);
    char *outp = malloc(len + 2);
    char **parts = malloc((len / 2 + 2) * sizeof *parts);
    char *result = NULL;
    if (!copy || !outp || !parts)
        goto cleanup;
    int absolute = path[0] == '/';
    size_t np = 0;
    char *save = NULL;
    for (char *tok = strtok_r(copy, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (strcmp(tok, ".") == 0)
            continue;
        if (strcmp(tok, "..") == 0) {
            if (np > 0 && strcmp(parts[np - 1], "..") != 0) {
                np--;
                continue;
            }
            if (absolute) /* "/.." is "/" */
                continue;
        }
        parts[np++] = tok;
    }
    size_t o = 0;
    if (absolute)
        outp[o++] = '/';
    for (size_t i = 0; i < np; i++) {
        size_t l = strlen(parts[i]);
        if (i > 0)
            outp[o++] = '/';
        memcpy(outp + o, parts[i], l);
        o += l;
    }
    if (o == 0)
        outp[o++] = '.';
    outp[o] = '\0';
    result = outp;
    outp = NULL;
cleanup:
    free(copy);
    free(outp);
    free(parts);
    return result;
}

char *cfg_path_resolve(const char *base, const char *rel)
{
    char *joined = srt_path_join(base, rel);
    if (!joined)
        return NULL;
    char *norm = cfg_path_normalize(joined);
    free(joined);
    return norm;
}

int cfg_dup_check(cfg_ctx_t *ctx, const cJSON *child, const char *key)
{
    if (!child->string || !child->prev)
        return 0;
    /* cJSON's prev of the first child points at the last one: walk from the parent's side. */
    for (const cJSON *c = child; c->prev && c->prev->next == c;) {
        c = c->prev;
        if (c->string && strcmp(c->string, child->string) == 0) {
            cfg_error(ctx, child, 0, key, "duplicate key (already given earlier in this object)");
            return 1;
        }
    }
    return 0;
}

void cfg_key(char *buf, size_t size, const char *prefix, const char *name)
{
    if (prefix && *prefix)
        snprintf(buf, size, "%s.%s", prefix, name);
    else
        snprintf(buf, size, "%s", name);
}
