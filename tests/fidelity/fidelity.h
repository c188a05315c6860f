/*
 * Helpers of the fidelity suite (tests/fidelity/): trees written as postfix
 * token strings, a printer that shows every constant as "c" (so random
 * leaves fall into a few classes), and a chi-square check of observed
 * outcome counts against the outcome probabilities of SymbolicRegression.jl
 * v1.11, worked out by hand in each test from the Julia source it names.
 */
#ifndef SRTUNE_FIDELITY_H
#define SRTUNE_FIDELITY_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"
#include "testutil.h"

/* Builds e from postfix tokens: "x3" feature, a number a constant, an
 * operator name ("+", "cos") an operator. Aborts the test on a bad token. */
static inline void fid_parse(srt_expr_t *e, const char *postfix)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", postfix);
    e->len = 0;
    for (char *tok = strtok(buf, " "); tok; tok = strtok(NULL, " ")) {
        srt_op_t op;
        char *end;
        if (tok[0] == 'x' && tok[1] >= '0' && tok[1] <= '9') {
            CU_ASSERT_FATAL(srt_expr_push_feature(e, (uint16_t)atoi(tok + 1)) == SRT_OK);
        } else if (srt_op_lookup(tok, &op) == SRT_OK) {
            CU_ASSERT_FATAL(srt_expr_push_op(e, op) == SRT_OK);
        } else {
            double v = strtod(tok, &end);
            CU_ASSERT_FATAL(*end == 0);
            CU_ASSERT_FATAL(srt_expr_push_const(e, v) == SRT_OK);
        }
    }
    CU_ASSERT_FATAL(srt_expr_is_valid(e, 16));
}

static inline size_t fid_print_at(const srt_expr_t *e, uint32_t i, char *out, size_t cap,
                                  size_t pos)
{
    const srt_node_t *n = &e->nodes[i];
    int a = srt_sr__arity(n->op);
#define FID_PUT_(...) (pos += (size_t)snprintf(out + pos, pos < cap ? cap - pos : 0, __VA_ARGS__))
    if (a == 0) {
        if (n->op == SRT_OP_CONST)
            FID_PUT_("c");
        else
            FID_PUT_("x%u", (unsigned)n->feature);
    } else if (a == 1) {
        FID_PUT_("%s(", srt_op_name((srt_op_t)n->op));
        pos = fid_print_at(e, i - 1, out, cap, pos);
        FID_PUT_(")");
    } else {
        uint32_t r = i - 1, l = r - e->nodes[r].size;
        FID_PUT_("(");
        pos = fid_print_at(e, l, out, cap, pos);
        FID_PUT_(" %s ", srt_op_name((srt_op_t)n->op));
        pos = fid_print_at(e, r, out, cap, pos);
        FID_PUT_(")");
    }
#undef FID_PUT_
    return pos;
}

/* e in infix with every constant printed as "c"; static storage. */
static inline const char *fid_shape(const srt_expr_t *e)
{
    static char buf[2048];
    buf[0] = 0;
    if (e->len)
        fid_print_at(e, e->len - 1, buf, sizeof buf, 0);
    return buf;
}

/* Outcome table: expected probabilities (entries with the same name add
 * up) and observed counts. */
#define FID_MAX_OUTCOMES 128
typedef struct {
    int n;
    char name[FID_MAX_OUTCOMES][160];
    double p[FID_MAX_OUTCOMES];
    long count[FID_MAX_OUTCOMES];
    long unexpected;
    char first_unexpected[160];
} fid_table_t;

static inline void fid_expect(fid_table_t *t, const char *name, double p)
{
    for (int k = 0; k < t->n; k++)
        if (!strcmp(t->name[k], name)) {
            t->p[k] += p;
            return;
        }
    CU_ASSERT_FATAL(t->n < FID_MAX_OUTCOMES);
    snprintf(t->name[t->n], sizeof t->name[0], "%s", name);
    t->p[t->n] = p;
    t->count[t->n] = 0;
    t->n++;
}

static inline void fid_observe(fid_table_t *t, const char *name)
{
    for (int k = 0; k < t->n; k++)
        if (!strcmp(t->name[k], name)) {
            t->count[k]++;
            return;
        }
    if (t->unexpected++ == 0)
        snprintf(t->first_unexpected, sizeof t->first_unexpected, "%s", name);
}

/* Upper 0.0005 quantile of chi-square with df degrees of freedom
 * (Wilson-Hilferty). */
static inline double fid_chi2_critical(int df)
{
    double z = 3.2905, a = 2.0 / (9.0 * df);
    double c = 1.0 - a + z * sqrt(a);
    return df * c * c * c;
}

/* Checks that no outcome outside the table occurred, that the expected
 * probabilities sum to 1, and Pearson's chi-square (every outcome of the
 * table, df = outcomes - 1). Prints the table on failure. */
static inline void fid_check(const fid_table_t *t, const char *what)
{
    long total = t->unexpected;
    double psum = 0.0;
    for (int k = 0; k < t->n; k++) {
        total += t->count[k];
        psum += t->p[k];
    }
    double chi2 = 0.0;
    for (int k = 0; k < t->n; k++) {
        double ex = t->p[k] * (double)total;
        chi2 += (t->count[k] - ex) * (t->count[k] - ex) / ex;
    }
    int df = t->n - 1;
    int ok = t->unexpected == 0 && fabs(psum - 1.0) < 1e-12 &&
             (df == 0 || chi2 <= fid_chi2_critical(df));
    if (!ok) {
        printf("\n    %s: %ld unexpected (first: %s), p sum %.15g, chi2 %.2f (critical %.2f, "
               "df %d)\n",
               what, t->unexpected, t->unexpected ? t->first_unexpected : "-", psum, chi2,
               df ? fid_chi2_critical(df) : 0.0, df);
        for (int k = 0; k < t->n; k++)
            printf("      %-40s expected %8.1f observed %ld\n", t->name[k], t->p[k] * (double)total,
                   t->count[k]);
    }
    CU_ASSERT(t->unexpected == 0);
    CU_ASSERT(fabs(psum - 1.0) < 1e-12);
    CU_ASSERT(df == 0 || chi2 <= fid_chi2_critical(df));
}

#endif
