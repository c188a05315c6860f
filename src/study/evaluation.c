/*
 * Evaluation summaries (include/srtune/stats.h): configurations compared on
 * equations they did not tune on, paired by equation. The unit of every
 * statistic is the equation: a configuration's value on an equation is the
 * mean over its seeds, intervals resample equations, and the Wilcoxon test
 * pairs equations. Values are turned to "higher is better" once (minimize
 * flips the sign) so the comparisons below read the same in both directions.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "srtune/stats.h"

typedef struct {
    size_t config, equation; /* indices into the name tables */
    double sum;              /* over seeds */
    size_t n;                /* seeds */
} cell_t;

typedef struct {
    char **names;
    size_t n, cap;
} names_t;

static long find_name(const names_t *t, const char *s)
{
    for (size_t i = 0; i < t->n; i++)
        if (strcmp(t->names[i], s) == 0)
            return (long)i;
    return -1;
}

static long intern(names_t *t, const char *s)
{
    long k = find_name(t, s);
    if (k >= 0)
        return k;
    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 16;
        char **p = realloc(t->names, cap * sizeof *p);
        if (!p)
            return -1;
        t->names = p;
        t->cap = cap;
    }
    t->names[t->n] = srt_strdup(s);
    return t->names[t->n] ? (long)t->n++ : -1;
}

static void names_free(names_t *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->names[i]);
    free(t->names);
}

void srt_eval_summary_fini(srt_eval_summary_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n_configs; i++) {
        free(s->configs[i].name);
        free(s->configs[i].vs);
    }
    free(s->configs);
    for (size_t i = 0; i < s->n_baselines; i++)
        free(s->baselines[i]);
    free(s->baselines);
    memset(s, 0, sizeof *s);
}

srt_rc srt_eval_summarize(const srt_eval_row_t *rows, size_t n, const char *const *baselines,
                          size_t n_baselines, int minimize, long resamples, uint64_t seed,
                          srt_eval_summary_t *out)
{
    names_t cfgs = {NULL, 0, 0}, eqs = {NULL, 0, 0};
    double *mean = NULL, *buf = NULL, *diff = NULL;
    size_t *count = NULL;
    long *base_idx = NULL;
    srt_rc rc = SRT_ERR_NOMEM;
    memset(out, 0, sizeof *out);
    out->winner = -1;
    if (n == 0)
        return SRT_ERR_INVALID;
    for (size_t i = 0; i < n; i++)
        if (intern(&cfgs, rows[i].config) < 0 || intern(&eqs, rows[i].equation) < 0)
            goto cleanup;
    size_t nc = cfgs.n, ne = eqs.n;
    /* mean[c * ne + e]: the config's value on the equation (NaN: not run) */
    mean = calloc(nc * ne, sizeof *mean);
    count = calloc(nc * ne, sizeof *count);
    buf = malloc((ne > nc ? ne : nc) * sizeof *buf); /* per equation, or per config (Holm) */
    diff = malloc(ne * sizeof *diff);
    base_idx = malloc((n_baselines ? n_baselines : 1) * sizeof *base_idx);
    out->configs = calloc(nc, sizeof *out->configs);
    out->baselines = calloc(n_baselines ? n_baselines : 1, sizeof *out->baselines);
    if (!mean || !count || !buf || !diff || !base_idx || !out->configs || !out->baselines)
        goto cleanup;
    for (size_t i = 0; i < n; i++) {
        size_t k = (size_t)find_name(&cfgs, rows[i].config) * ne +
                   (size_t)find_name(&eqs, rows[i].equation);
        mean[k] += minimize ? -rows[i].value : rows[i].value;
        count[k]++;
    }
    for (size_t k = 0; k < nc * ne; k++)
        mean[k] = count[k] ? mean[k] / (double)count[k] : NAN;
    out->n_baselines = n_baselines;
    for (size_t b = 0; b < n_baselines; b++) {
        out->baselines[b] = srt_strdup(baselines[b]);
        if (!out->baselines[b])
            goto cleanup;
        base_idx[b] = find_name(&cfgs, baselines[b]);
    }
    out->n_configs = nc;
    for (size_t c = 0; c < nc; c++) {
        srt_eval_config_t *ec = &out->configs[c];
        ec->name = srt_strdup(cfgs.names[c]);
        ec->vs = calloc(n_baselines ? n_baselines : 1, sizeof *ec->vs);
        if (!ec->name || !ec->vs)
            goto cleanup;
        for (size_t b = 0; b < n_baselines; b++)
            ec->is_baseline |= base_idx[b] == (long)c;
        size_t m = 0;
        for (size_t e = 0; e < ne; e++)
            if (!isnan(mean[c * ne + e]))
                buf[m++] = mean[c * ne + e];
        ec->n_equations = m;
        ec->mean = ec->lo = ec->hi = NAN;
        if (m > 0) {
            double s = 0;
            for (size_t i = 0; i < m; i++)
                s += buf[i];
            ec->mean = s / (double)m;
            if ((rc = srt_stats_bootstrap_mean_ci(buf, m, resamples, seed, 0.95, &ec->lo,
                                                  &ec->hi)) != SRT_OK)
                goto cleanup;
        }
        for (size_t b = 0; b < n_baselines; b++) {
            srt_eval_pair_t *pr = &ec->vs[b];
            pr->mean_diff = pr->lo = pr->hi = NAN;
            pr->p = pr->p_holm = 1.0;
            if (base_idx[b] < 0)
                continue;
            size_t nd = 0;
            for (size_t e = 0; e < ne; e++) {
                double x = mean[c * ne + e], y = mean[(size_t)base_idx[b] * ne + e];
                if (isnan(x) || isnan(y))
                    continue;
                double d = x - y;
                diff[nd++] = d;
                if (d > 0)
                    pr->wins++;
                else if (d < 0)
                    pr->losses++;
                else
                    pr->ties++;
            }
            if (nd == 0)
                continue;
            double s = 0;
            for (size_t i = 0; i < nd; i++)
                s += diff[i];
            pr->mean_diff = s / (double)nd;
            if ((rc = srt_stats_bootstrap_mean_ci(diff, nd, resamples, seed + 1 + b, 0.95, &pr->lo,
                                                  &pr->hi)) != SRT_OK)
                goto cleanup;
            double pv = NAN;
            if (srt_stats_wilcoxon(diff, nd, SRT_ALT_GREATER, SRT_ZERO_ZSPLIT, NULL, &pv) ==
                    SRT_OK &&
                !isnan(pv))
                pr->p = pv;
        }
    }
    /* Holm over the non-baseline configs, per baseline */
    for (size_t b = 0; b < n_baselines; b++) {
        size_t k = 0;
        for (size_t c = 0; c < nc; c++)
            if (!out->configs[c].is_baseline)
                buf[k++] = out->configs[c].vs[b].p;
        if ((rc = srt_stats_holm(buf, k, buf)) != SRT_OK)
            goto cleanup;
        k = 0;
        for (size_t c = 0; c < nc; c++)
            if (!out->configs[c].is_baseline)
                out->configs[c].vs[b].p_holm = buf[k++];
    }
    for (size_t c = 0; c < nc; c++) {
        const srt_eval_config_t *ec = &out->configs[c];
        if (ec->is_baseline || isnan(ec->mean))
            continue;
        if (out->winner < 0 || ec->mean > out->configs[out->winner].mean)
            out->winner = (long)c;
    }
    if (out->winner >= 0) {
        out->significant = n_baselines > 0;
        for (size_t b = 0; b < n_baselines; b++)
            out->significant &= out->configs[out->winner].vs[b].p_holm < 0.05;
    }
    if (minimize) /* back to the study's units for the means (differences stay "better") */
        for (size_t c = 0; c < nc; c++) {
            srt_eval_config_t *ec = &out->configs[c];
            double lo = ec->lo;
            ec->mean = -ec->mean;
            ec->lo = -ec->hi;
            ec->hi = -lo;
        }
    rc = SRT_OK;
cleanup:
    if (rc != SRT_OK)
        srt_eval_summary_fini(out);
    names_free(&cfgs);
    names_free(&eqs);
    free(mean);
    free(count);
    free(buf);
    free(diff);
    free(base_idx);
    return rc;
}
