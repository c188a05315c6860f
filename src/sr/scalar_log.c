/*
 * Result files of a run: the rows of tensorboard_scalars.csv (sr-engine.md,
 * "Scalar log"; columns found by name, clock columns timestamp and
 * elapsed_s; the column before elapsed_s is the run's precision), and hall_of_fame.csv
 * (the final Pareto front: complexity, loss, score, precision, equation).
 * Numbers print with %.17g so that equal states give equal bytes.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

int srt_sr__scalars_header(FILE *f, long maxsize)
{
    int bad = fprintf(f, "timestamp,step,min_loss,pareto_volume,num_evals") < 0;
    for (long c = 1; c <= maxsize; c++)
        bad |= fprintf(f, ",loss_%ld", c) < 0;
    bad |= fprintf(f, ",precision,elapsed_s,best_complexity\n") < 0;
    return bad ? -1 : 0;
}

int srt_sr__scalars_row(FILE *f, const srt_sr__search_t *s, double timestamp, double elapsed)
{
    size_t keep[256];
    uint32_t cx[256];
    double loss[256];
    size_t n = srt_sr__search_front_points(s, keep, cx, loss);
    double pv = srt_sr_pareto_volume_p(cx, loss, n, s->maxsize, s->opts.precision);
    int bad = fprintf(f, "%.3f,%ld,", timestamp, s->returns) < 0;
    if (n)
        bad |= fprintf(f, "%.17g", loss[n - 1]) < 0;
    bad |= fprintf(f, ",%.17g,%.17g", pv, s->num_evals) < 0;
    size_t k = 0;
    for (long c = 1; c <= s->maxsize; c++) {
        if (k < n && cx[k] == (uint32_t)c)
            bad |= fprintf(f, ",%.17g", loss[k++]) < 0;
        else
            bad |= fputc(',', f) == EOF;
    }
    bad |= fprintf(f, ",%ld,%.3f,", s->opts.precision, elapsed) < 0;
    if (n)
        bad |= fprintf(f, "%u", cx[n - 1]) < 0;
    bad |= fputc('\n', f) == EOF;
    return bad ? -1 : 0;
}

char *srt_sr__csv_field(const char *s)
{
    if (!strpbrk(s, ",\"\n\r"))
        return srt_strdup(s);
    size_t n = strlen(s), q = 0;
    for (size_t i = 0; i < n; i++)
        q += s[i] == '"';
    char *out = malloc(n + q + 3);
    if (!out)
        return NULL;
    char *p = out;
    *p++ = '"';
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            *p++ = '"';
        *p++ = s[i];
    }
    *p++ = '"';
    *p = '\0';
    return out;
}

char *srt_sr__hof_csv(const srt_sr__search_t *s)
{
    size_t keep[256];
    uint32_t cx[256];
    double loss[256], score[256];
    size_t n = srt_sr__search_front_points(s, keep, cx, loss);
    srt_sr_pareto_scores_p(cx, loss, n, s->opts.precision, score);
    size_t cap = 64, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        return NULL;
    len = (size_t)snprintf(buf, cap, "complexity,loss,score,precision,equation\n");
    for (size_t k = 0; k < n; k++) {
        char *eq = srt_expr_to_string(&s->hof[keep[k]].expr, s->data.names, SRT_EXPR_STYLE_PYSR);
        char *field = eq ? srt_sr__csv_field(eq) : NULL;
        free(eq);
        if (!field) {
            free(buf);
            return NULL;
        }
        size_t need = strlen(field) + 80;
        if (len + need > cap) {
            while (len + need > cap)
                cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb) {
                free(field);
                free(buf);
                return NULL;
            }
            buf = nb;
        }
        len += (size_t)snprintf(buf + len, cap - len, "%u,%.17g,%.17g,%ld,%s\n", cx[k], loss[k],
                                score[k], s->opts.precision, field);
        free(field);
    }
    return buf;
}
