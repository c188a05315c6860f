/*
 * The search (sr-engine.md, "The search"; SR.jl's regularised evolution):
 * islands evolved one after another in a fixed order, each for
 * ncycles_per_iteration cycles of tournament + mutation/crossover with
 * age-regularised replacement, then simplification and constant
 * optimisation, then the island's return: hall of fame, complexity
 * frequencies, migration.
 *
 * SR.jl runs islands concurrently and merges them as they return; here they
 * run sequentially in island order with the same merge rules, which keeps a
 * run a pure function of (data, options, seed). Every random draw comes from
 * s->rng in program order. Invariant: every member expression fits maxsize
 * and maxdepth; hall-of-fame members have finite full-data losses.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sr/sr_int.h"

#define FREQ_WINDOW 100000.0

double srt_sr__cost(const srt_sr__search_t *s, double loss, uint32_t complexity)
{
    if (!isfinite(loss))
        return INFINITY;
    /* LossFunctions.jl loss_to_cost: size * parsimony is Int * Float32; at
     * precision 32 the loss type L is Float32 and so is every step */
    if (s->opts.precision == 32)
        return (double)((float)loss / (float)s->norm +
                        (float)complexity * (float)s->opts.parsimony);
    return loss / s->norm + (double)((float)complexity * (float)s->opts.parsimony);
}

static void member_fini(srt_sr__member_t *m)
{
    srt_expr_fini(&m->expr);
}

static srt_rc member_copy(srt_sr__member_t *dst, const srt_sr__member_t *src)
{
    srt_rc rc = srt_expr_copy(&dst->expr, &src->expr);
    dst->loss = src->loss;
    dst->cost = src->cost;
    dst->birth = src->birth;
    return rc;
}

/* ---- evaluation: full data or a fresh mini-batch ---- */

/* Dataset.jl batch: batch_size rows drawn with replacement. */
static void draw_batch(srt_sr__search_t *s, srt_sr__evalset_t *set)
{
    size_t bs = (size_t)s->opts.batch_size, nf = s->data.nfeatures;
    const srt_sr__evalset_t *full = &s->full;
    double *yb = s->batch_block + nf * bs;
    float *yb32 = s->batch_block32 ? s->batch_block32 + nf * bs : NULL;
    for (size_t j = 0; j < bs; j++) {
        size_t r = (size_t)srt_sr__rng_below(&s->rng, s->data.nrows);
        for (size_t f = 0; f < nf; f++)
            s->batch_block[f * bs + j] = full->cols[f][r];
        yb[j] = full->y[r];
        if (yb32) {
            for (size_t f = 0; f < nf; f++)
                s->batch_block32[f * bs + j] = full->cols32[f][r];
            yb32[j] = full->y32[r];
        }
    }
    set->cols = (const double *const *)s->batch_cols;
    set->y = yb;
    set->cols32 = yb32 ? (const float *const *)s->batch_cols32 : NULL;
    set->y32 = yb32;
    set->n = bs;
}

static void full_set(const srt_sr__search_t *s, srt_sr__evalset_t *set)
{
    *set = s->full;
}

/* Loss of e on the full data; counts one evaluation. */
static double eval_loss(srt_sr__search_t *s, const srt_expr_t *e)
{
    s->num_evals += 1.0;
    return srt_sr__eval_loss(e, &s->full);
}

/* LossFunctions.jl eval_loss on set (the full data or this cycle's batch);
 * counts dataset_fraction evaluations. */
static double eval_loss_on(srt_sr__search_t *s, const srt_expr_t *e, const srt_sr__evalset_t *set)
{
    s->num_evals += (double)set->n / (double)s->data.nrows;
    return srt_sr__eval_loss(e, set);
}

/* Precision 32 keeps every constant a Float32 value (SR.jl's trees hold
 * T = Float32 constants): rounds those of a new or changed tree. */
static void consts_to_precision(const srt_sr__search_t *s, srt_expr_t *e)
{
    if (s->opts.precision == 32)
        srt_sr__consts_to_f32(e);
}

/* DynamicExpressions.jl simplify_tree! + combine_operators in the run's
 * precision. */
static int simplify(const srt_sr__search_t *s, srt_expr_t *e)
{
    return srt_sr__simplify_prec(e, SRT_SR__SIMPLIFY_FOLD | SRT_SR__SIMPLIFY_COMBINE,
                                 s->opts.precision);
}

/* Complexity.jl compute_complexity under the run's complexity options. */
static long complexity_of(const srt_sr__search_t *s, const srt_expr_t *e)
{
    return srt_sr__complexity(&s->gen.cx, e);
}

static void set_loss(srt_sr__search_t *s, srt_sr__member_t *m, double loss)
{
    m->loss = isfinite(loss) ? loss : INFINITY;
    m->cost = srt_sr__cost(s, m->loss, (uint32_t)complexity_of(s, &m->expr));
}

/* ---- frequencies (SR.jl's RunningSearchStatistics) ---- */

static double norm_freq_of(const srt_sr__search_t *s, long size, double outside)
{
    return size >= 1 && size <= s->maxsize ? s->norm_freq[size - 1] : outside;
}

/* The tournament's adaptive-parsimony factor per complexity, from norm_freq. */
static void update_size_factors(srt_sr__search_t *s)
{
    s->size_factor[0] = 1.0;
    for (long c = 1; c <= s->maxsize; c++)
        s->size_factor[c] = exp(s->opts.adaptive_parsimony_scaling * s->norm_freq[c - 1]);
}

void srt_sr__move_window(double *freq, long m, double window)
{
    double total = 0.0;
    for (long k = 0; k < m; k++)
        total += freq[k];
    if (!(total > window))
        return;
    double diff = total - window;
    for (int loops = 1; diff > 0; loops++) {
        long nrem = 0;
        double minf = INFINITY;
        for (long k = 0; k < m; k++)
            if (freq[k] > 1.0) {
                nrem++;
                minf = fmin(minf, freq[k]);
            }
        if (nrem == 0)
            break;
        double amount = fmin(diff / (double)nrem, minf - 1.0);
        for (long k = 0; k < m; k++)
            if (freq[k] > 1.0)
                freq[k] -= amount;
        double sub = amount * (double)nrem;
        diff -= sub;
        if (loops > 1000 || sub < 1e-6)
            break;
    }
}

/* At an island's return, in SR.jl's order: the next cycle gets the
 * frequencies normalised as they stand (AdaptiveParsimony.jl
 * normalize_frequencies! on the copy handed to _dispatch_s_r_cycle), then
 * move_window! shrinks the running counts towards the window. */
static void normalize_and_move_window(srt_sr__search_t *s)
{
    long m = s->maxsize;
    double total = 0.0;
    for (long k = 0; k < m; k++)
        total += s->freq[k];
    for (long k = 0; k < m; k++)
        s->norm_freq[k] = s->freq[k] / total;
    update_size_factors(s);
    srt_sr__move_window(s->freq, m, FREQ_WINDOW);
}

void srt_sr__search_refresh(srt_sr__search_t *s)
{
    update_size_factors(s);
}

/* ---- selection ---- */

typedef struct {
    double score; /* adjusted cost */
    size_t idx;   /* member index */
    size_t pos;   /* draw position, the tie-break */
} cand_t;

static int cand_cmp(const void *a, const void *b)
{
    const cand_t *p = a, *q = b;
    if (p->score != q->score)
        return p->score < q->score ? -1 : 1;
    return p->pos < q->pos ? -1 : (p->pos > q->pos);
}

/* Population.jl best_of_sample: tournament_selection_n distinct members
 * (sample_pop), costs scaled by exp(adaptive_parsimony_scaling * frequency)
 * (frequency 0 outside 1..maxsize), then a place drawn from the weights
 * p (1-p)^k (get_tournament_selection_weights, in Float32 as SR.jl) and the
 * member at that place: Utils.jl findmin_fast for the first place,
 * bottomk_fast otherwise, with their comparisons (strict <, first of ties,
 * index 1 where nothing compares below typemax). */
static size_t tournament(srt_sr__search_t *s, srt_sr__member_t *pop, cand_t *cands)
{
    size_t np = (size_t)s->popsize;
    size_t n = (size_t)s->opts.tournament_selection_n < np ? (size_t)s->opts.tournament_selection_n
                                                          : np;
    for (size_t k = 0; k < np; k++)
        s->idx[k] = k;
    for (size_t k = 0; k < n; k++) {
        size_t r = k + (size_t)srt_sr__rng_below(&s->rng, np - k);
        size_t t = s->idx[k];
        s->idx[k] = s->idx[r];
        s->idx[r] = t;
    }
    for (size_t k = 0; k < n; k++) {
        const srt_sr__member_t *m = &pop[s->idx[k]];
        double sc = m->cost;
        if (s->opts.use_frequency_in_tournament) {
            long c = complexity_of(s, &m->expr);
            sc *= c >= 0 && c <= s->maxsize ? s->size_factor[c] : 1.0;
        }
        cands[k].score = sc;
        cands[k].idx = s->idx[k];
        cands[k].pos = k;
    }
    size_t place = 0;
    if ((float)s->opts.tournament_selection_p != 1.0f && n > 1) {
        double u = srt_sr__rng_uniform(&s->rng) * s->tweights[n - 1];
        while (place < n - 1 && s->tweights[place] < u)
            place++;
    }
    /* _bottomk!: the place + 1 smallest in order, ties by position */
    size_t kk = place + 1, best[64];
    double bestv[64];
    if (kk > 64) {
        /* deeper places than any PySR setting reaches: sort instead */
        qsort(cands, n, sizeof *cands, cand_cmp);
        return cands[place].idx;
    }
    for (size_t q = 0; q < kk; q++) {
        best[q] = 0;
        bestv[q] = INFINITY;
    }
    for (size_t k = 0; k < n; k++) {
        if (!(cands[k].score < bestv[kk - 1]))
            continue;
        bestv[kk - 1] = cands[k].score;
        best[kk - 1] = k;
        for (size_t q = kk - 1; q > 0 && bestv[q] < bestv[q - 1]; q--) {
            double tv = bestv[q];
            bestv[q] = bestv[q - 1];
            bestv[q - 1] = tv;
            size_t ti = best[q];
            best[q] = best[q - 1];
            best[q - 1] = ti;
        }
    }
    return cands[best[kk - 1]].idx;
}

size_t srt_sr__best_of_sample(srt_sr__search_t *s, long island)
{
    cand_t *cands = malloc((size_t)s->popsize * sizeof *cands);
    if (!cands)
        return 0;
    size_t w = tournament(s, s->pops + island * s->popsize, cands);
    free(cands);
    return w;
}

/* RegularizedEvolution.jl: argmin_fast of the births (the first oldest). */
static size_t oldest(const srt_sr__member_t *pop, long n)
{
    size_t o = 0;
    for (long k = 1; k < n; k++)
        if (pop[k].birth < pop[o].birth)
            o = (size_t)k;
    return o;
}

/* Replaces the oldest member by (expr, loss) with a new birth and the cost
 * of that loss (a PopMember built from a fresh evaluation). */
static srt_rc replace_oldest(srt_sr__search_t *s, srt_sr__member_t *pop, const srt_expr_t *e,
                             double loss)
{
    srt_sr__member_t *m = &pop[oldest(pop, s->popsize)];
    srt_rc rc = srt_expr_copy(&m->expr, e);
    set_loss(s, m, loss);
    m->birth = s->birth++;
    return rc;
}

/* Replaces the oldest member by expr with the given stored loss and cost (a
 * PopMember built from the parent's cost and loss, as Mutate.jl does for a
 * rejected mutation, simplify and do_nothing) and a new birth. */
static srt_rc replace_oldest_stored(srt_sr__search_t *s, srt_sr__member_t *pop,
                                    const srt_expr_t *e, double loss, double cost)
{
    srt_sr__member_t *m = &pop[oldest(pop, s->popsize)];
    srt_rc rc = srt_expr_copy(&m->expr, e);
    m->loss = loss;
    m->cost = cost;
    m->birth = s->birth++;
    return rc;
}

/* ---- one step ---- */

/* Mutate.jl next_generation: the tournament winner's stored cost and loss
 * are the "before" values (never re-scored); mutation kind from the
 * conditioned weights; up to 10 attempts at a tree that meets the
 * constraints; the child is scored on set (the cycle's batch or the full
 * data); annealing and frequency acceptance as written. */
static srt_rc mutation_step(srt_sr__search_t *s, srt_sr__member_t *pop, double temperature,
                            cand_t *cands, const srt_sr__evalset_t *set)
{
    const srt_sr_options_t *o = &s->opts;
    size_t w = tournament(s, pop, cands);
    srt_expr_t *parent = &s->tmp[0], *child = &s->tmp[1], *scratch = &s->tmp[2];
    srt_rc rc = srt_expr_copy(parent, &pop[w].expr);
    if (rc != SRT_OK)
        return rc;
    double before_loss = pop[w].loss, before_cost = pop[w].cost;
    uint64_t before_birth = pop[w].birth;
    srt_sr__mut_t kind = srt_sr__pick_mutation(o, parent, s->gen.maxsize, &s->rng);
    if (kind == SRT_SR__MUT_SIMPLIFY || kind == SRT_SR__MUT_DO_NOTHING) {
        /* mutate! simplify / do_nothing: returned at once with the parent's
         * cost and loss */
        if ((rc = srt_expr_copy(child, parent)) != SRT_OK)
            return rc;
        if (kind == SRT_SR__MUT_SIMPLIFY && simplify(s, child) < 0)
            return SRT_ERR_NOMEM;
        consts_to_precision(s, child);
        return replace_oldest_stored(s, pop, child, before_loss, before_cost);
    }
    if (kind == SRT_SR__MUT_OPTIMIZE) {
        /* mutate! optimize: ConstantOptimization.jl optimize_constants on
         * set; without an improvement the member comes back as it was,
         * its birth included */
        if ((rc = srt_expr_copy(child, parent)) != SRT_OK)
            return rc;
        double loss = before_loss, nev = 0.0;
        int ch = srt_sr__optimize_constants(child, set, o->optimizer_iterations,
                                            o->optimizer_nrestarts, &s->rng, &loss, &nev);
        if (ch < 0)
            return SRT_ERR_NOMEM;
        s->num_evals += nev * (double)set->n / (double)s->data.nrows;
        if (ch)
            return replace_oldest(s, pop, child, loss);
        srt_sr__member_t *m = &pop[oldest(pop, s->popsize)];
        rc = srt_expr_copy(&m->expr, parent);
        m->loss = before_loss;
        m->cost = before_cost;
        m->birth = before_birth;
        return rc;
    }
    int ok = 0;
    for (int attempt = 0; attempt < 10 && !ok; attempt++) {
        if ((rc = srt_expr_copy(child, parent)) != SRT_OK)
            return rc;
        if ((rc = srt_sr__mutate(&s->gen, &s->rng, kind, temperature, child, scratch)) != SRT_OK)
            return rc;
        consts_to_precision(s, child);
        ok = srt_sr__check_constraints(&s->gen, child);
    }
    int accepted = 0;
    double after_loss = 0.0;
    if (ok) {
        after_loss = eval_loss_on(s, child, set);
        long child_cx = complexity_of(s, child);
        double after_cost = srt_sr__cost(s, after_loss, (uint32_t)child_cx);
        double prob = 1.0;
        if (o->annealing) {
            /* IEEE arithmetic as Julia's: temperature 0 gives exp(-Inf) = 0
             * for a worse child, Inf for a better one, NaN (accepted) for
             * an equal one or Inf - Inf */
            double delta = after_cost - before_cost;
            if (o->precision == 32) /* the costs are L = Float32, and so is their difference */
                delta = (double)((float)after_cost - (float)before_cost);
            prob *= exp(-delta / (temperature * srt_sr__f32(o->alpha)));
        }
        if (o->use_frequency) {
            double fo = norm_freq_of(s, complexity_of(s, parent), 1e-6);
            double fn = norm_freq_of(s, child_cx, 1e-6);
            prob *= fo / fn;
        }
        accepted = !(prob < srt_sr__rng_uniform(&s->rng));
    }
    if (accepted)
        return replace_oldest(s, pop, child, after_loss);
    if (!o->skip_mutation_failures)
        return replace_oldest_stored(s, pop, parent, before_loss, before_cost);
    return SRT_OK;
}

/* Mutate.jl crossover_generation: up to 11 crossovers until both children
 * meet the constraints; both scored on set. On failure the parents come back
 * (as themselves, RegularizedEvolution.jl then replaces the two oldest). */
static srt_rc crossover_step(srt_sr__search_t *s, srt_sr__member_t *pop, cand_t *cands,
                             const srt_sr__evalset_t *set)
{
    const srt_sr_options_t *o = &s->opts;
    size_t w1 = tournament(s, pop, cands);
    size_t w2 = tournament(s, pop, cands);
    srt_expr_t *a = &s->tmp[0], *b = &s->tmp[1], *ca = &s->tmp[2], *cb = &s->tmp[3];
    srt_rc rc = srt_expr_copy(a, &pop[w1].expr);
    if (rc == SRT_OK)
        rc = srt_expr_copy(b, &pop[w2].expr);
    if (rc != SRT_OK)
        return rc;
    srt_sr__member_t ma = pop[w1], mb = pop[w2]; /* scalars only; exprs are a, b */
    int ok = 0;
    for (int tries = 0; tries <= 10 && !ok; tries++) {
        if ((rc = srt_sr__crossover(&s->rng, a, b, ca, cb)) != SRT_OK)
            return rc;
        ok = srt_sr__check_constraints(&s->gen, ca) && srt_sr__check_constraints(&s->gen, cb);
    }
    if (!ok) {
        if (o->skip_mutation_failures)
            return SRT_OK;
        /* the parents themselves, births included: the oldest two go */
        size_t o1 = oldest(pop, s->popsize);
        uint64_t keep_birth = pop[o1].birth;
        pop[o1].birth = UINT64_MAX;
        size_t o2 = oldest(pop, s->popsize);
        pop[o1].birth = keep_birth;
        if ((rc = srt_expr_copy(&pop[o1].expr, a)) != SRT_OK ||
            (rc = srt_expr_copy(&pop[o2].expr, b)) != SRT_OK)
            return rc;
        pop[o1].loss = ma.loss;
        pop[o1].cost = ma.cost;
        pop[o1].birth = ma.birth;
        pop[o2].loss = mb.loss;
        pop[o2].cost = mb.cost;
        pop[o2].birth = mb.birth;
        return SRT_OK;
    }
    double l1 = eval_loss_on(s, ca, set);
    double l2 = eval_loss_on(s, cb, set);
    rc = replace_oldest(s, pop, ca, l1);
    return rc == SRT_OK ? replace_oldest(s, pop, cb, l2) : rc;
}

/* ---- hall of fame ---- */

/* SearchUtils.jl update_hall_of_fame! (and s_r_cycle's best_examples_seen):
 * a member takes its complexity's slot when the slot is empty or its cost
 * is lower. Members with a non-finite loss never enter (a departure: SR.jl
 * would keep one, and its Pareto volume would be NaN). */
static srt_rc offer(const srt_sr__search_t *s, srt_sr__member_t *slots, uint8_t *exists,
                    long maxsize, const srt_sr__member_t *m)
{
    long c = complexity_of(s, &m->expr);
    if (c < 1 || c > maxsize || !isfinite(m->loss))
        return SRT_OK;
    if (exists[c - 1] && !(m->cost < slots[c - 1].cost))
        return SRT_OK;
    exists[c - 1] = 1;
    return member_copy(&slots[c - 1], m);
}

/* HallOfFame.jl calculate_pareto_frontier over the hall of fame. */
size_t srt_sr__search_front(const srt_sr__search_t *s, size_t *keep)
{
    size_t count = 0;
    double best = INFINITY;
    for (long c = 1; c <= s->maxsize; c++) {
        if (!s->hof_exists[c - 1] || !(s->hof[c - 1].loss < best))
            continue;
        keep[count++] = (size_t)(c - 1);
        best = s->hof[c - 1].loss;
    }
    return count;
}

size_t srt_sr__search_front_points(const srt_sr__search_t *s, size_t *keep, uint32_t *cx,
                                   double *loss)
{
    size_t n = srt_sr__search_front(s, keep);
    for (size_t k = 0; k < n; k++) {
        cx[k] = (uint32_t)(keep[k] + 1);
        loss[k] = s->hof[keep[k]].loss;
    }
    return n;
}

/* ---- best members of an island ---- */

static int member_cost_cmp(const srt_sr__member_t *a, size_t ia, const srt_sr__member_t *b,
                           size_t ib)
{
    if (a->cost != b->cost)
        return a->cost < b->cost ? -1 : 1;
    return ia < ib ? -1 : (ia > ib);
}

/* Population.jl best_sub_pop: the topn lowest costs (sortperm, stable). */
static srt_rc update_best_sub(srt_sr__search_t *s, long island)
{
    srt_sr__member_t *pop = s->pops + island * s->popsize;
    size_t np = (size_t)s->popsize;
    for (size_t k = 0; k < np; k++)
        s->idx[k] = k;
    /* partial selection sort of the topn best by cost (ties by index) */
    for (long t = 0; t < s->topn; t++) {
        size_t best = (size_t)t;
        for (size_t k = (size_t)t + 1; k < np; k++)
            if (member_cost_cmp(&pop[s->idx[k]], s->idx[k], &pop[s->idx[best]], s->idx[best]) < 0)
                best = k;
        size_t tmp = s->idx[t];
        s->idx[t] = s->idx[best];
        s->idx[best] = tmp;
        srt_rc rc = member_copy(&s->best_sub[island * s->topn + t], &pop[s->idx[t]]);
        if (rc != SRT_OK)
            return rc;
    }
    return SRT_OK;
}

/* ---- migration ---- */

/* Migration.jl migrate!. */
srt_rc srt_sr__migrate(srt_sr__search_t *s, srt_sr__member_t *pop, const srt_sr__member_t *cand,
                       const size_t *idx, size_t ncand, double frac)
{
    long n = srt_sr__rng_poisson(&s->rng, (float)s->popsize * (float)frac);
    if ((size_t)n > ncand)
        n = (long)ncand;
    if (n > s->popsize)
        n = s->popsize;
    for (long k = 0; k < n; k++) {
        size_t loc = (size_t)srt_sr__rng_below(&s->rng, (uint64_t)s->popsize);
        size_t c = (size_t)srt_sr__rng_below(&s->rng, ncand);
        srt_rc rc = member_copy(&pop[loc], &cand[idx ? idx[c] : c]);
        if (rc != SRT_OK)
            return rc;
        pop[loc].birth = s->birth++;
    }
    return SRT_OK;
}

/* ---- one island ---- */

/* SymbolicRegression.jl dispatches an island's next run at its return with
 * the curmaxsize of the returns before it (state.cur_maxsizes is updated
 * after the dispatch), and the first run of every island with that of none:
 * island run k (0-based, in the engine's order) gets
 * get_cur_maxsize(elapsed = max(0, k - populations)). */
long srt_sr__search_cur_maxsize(const srt_sr__search_t *s)
{
    /* in double: a checkpoint's niterations may be any long, and the
     * product must not overflow (the fraction is all that is used) */
    double k = (double)s->iter * (double)s->npops + (double)s->island;
    double elapsed = k < (double)s->npops ? 0.0 : k - (double)s->npops;
    double total = (double)s->opts.niterations * (double)s->npops;
    return srt_sr__cur_maxsize(&s->opts, total, elapsed);
}

/* SymbolicRegression.jl _dispatch_s_r_cycle (s_r_cycle, then
 * optimize_and_simplify_population) and the head's handling of the island's
 * return in _main_search_loop!. */
srt_rc srt_sr__search_island(srt_sr__search_t *s)
{
    const srt_sr_options_t *o = &s->opts;
    long isl = s->island;
    srt_sr__member_t *pop = s->pops + isl * s->popsize;
    srt_rc rc = SRT_OK;
    cand_t *cands = malloc((size_t)s->popsize * sizeof *cands);
    size_t *keep = malloc((size_t)s->maxsize * sizeof *keep);
    if (!cands || !keep) {
        rc = SRT_ERR_NOMEM;
        goto cleanup;
    }
    memset(s->best_seen_exists, 0, (size_t)s->maxsize);
    /* the curmaxsize this island's cycles were dispatched with */
    s->gen.maxsize = srt_sr__search_cur_maxsize(s);
    /* SingleIteration.jl s_r_cycle: one batch for all the cycles */
    srt_sr__evalset_t cycle_set;
    if (o->batching)
        draw_batch(s, &cycle_set);
    else
        full_set(s, &cycle_set);
    long nsteps = (s->popsize + o->tournament_selection_n - 1) / o->tournament_selection_n;
    long ncycles = o->ncycles_per_iteration;
    for (long c = 0; c < ncycles; c++) {
        double temperature = 1.0;
        if (o->annealing && ncycles > 1)
            temperature = 1.0 - (double)c / (double)(ncycles - 1);
        for (long st = 0; st < nsteps; st++) {
            if (srt_sr__rng_uniform(&s->rng) > srt_sr__f32(o->crossover_probability))
                rc = mutation_step(s, pop, temperature, cands, &cycle_set);
            else
                rc = crossover_step(s, pop, cands, &cycle_set);
            if (rc != SRT_OK)
                goto cleanup;
        }
        for (long k = 0; k < s->popsize; k++)
            if ((rc = offer(s, s->best_seen, s->best_seen_exists, s->maxsize, &pop[k])) != SRT_OK)
                goto cleanup;
    }
    /* SingleIteration.jl optimize_and_simplify_population: a new batch;
     * simplification keeps the stored loss and cost; optimisation replaces
     * them only when it improved the loss on the batch */
    srt_sr__evalset_t opt_set;
    if (o->batching)
        draw_batch(s, &opt_set);
    else
        full_set(s, &opt_set);
    for (long k = 0; k < s->popsize; k++) {
        srt_sr__member_t *m = &pop[k];
        if (o->should_simplify && simplify(s, &m->expr) < 0) {
            rc = SRT_ERR_NOMEM;
            goto cleanup;
        }
        consts_to_precision(s, &m->expr);
        if (o->should_optimize_constants &&
            srt_sr__rng_uniform(&s->rng) < srt_sr__f32(o->optimize_probability)) {
            srt_sr__evalset_t set = opt_set;
            double loss = m->loss, nev = 0.0;
            int ch = srt_sr__optimize_constants(&m->expr, &set, o->optimizer_iterations,
                                                o->optimizer_nrestarts, &s->rng, &loss, &nev);
            s->num_evals += nev * (double)set.n / (double)s->data.nrows;
            if (ch < 0) {
                rc = SRT_ERR_NOMEM;
                goto cleanup;
            }
            if (ch) {
                set_loss(s, m, loss);
                m->birth = s->birth++;
            }
        }
    }
    if (o->batching) {
        /* Population.jl finalize_costs and _dispatch_s_r_cycle: full-data
         * losses for the population and the best seen */
        for (long k = 0; k < s->popsize; k++)
            set_loss(s, &pop[k], eval_loss(s, &pop[k].expr));
        for (long c = 0; c < s->maxsize; c++)
            if (s->best_seen_exists[c])
                set_loss(s, &s->best_seen[c], eval_loss(s, &s->best_seen[c].expr));
    }
    /* the island's return */
    if ((rc = update_best_sub(s, isl)) != SRT_OK)
        goto cleanup;
    for (long k = 0; k < s->popsize; k++)
        if ((rc = offer(s, s->hof, s->hof_exists, s->maxsize, &pop[k])) != SRT_OK)
            goto cleanup;
    for (long c = 0; c < s->maxsize; c++)
        if (s->best_seen_exists[c] &&
            (rc = offer(s, s->hof, s->hof_exists, s->maxsize, &s->best_seen[c])) != SRT_OK)
            goto cleanup;
    for (long k = 0; k < s->popsize; k++) {
        long sz = complexity_of(s, &pop[k].expr);
        if (sz >= 1 && sz <= s->maxsize)
            s->freq[sz - 1] += 1.0;
    }
    normalize_and_move_window(s);
    /* Migration.jl migrate! from the best topn of every island, this
     * one's (just updated) included, then from the front
     * (calculate_pareto_frontier) */
    if (o->migration &&
        (rc = srt_sr__migrate(s, pop, s->best_sub, NULL, (size_t)(s->npops * s->topn),
                              o->fraction_replaced)) != SRT_OK)
        goto cleanup;
    size_t nfront = srt_sr__search_front(s, keep);
    if (o->hof_migration && nfront > 0 &&
        (rc = srt_sr__migrate(s, pop, s->hof, keep, nfront, o->fraction_replaced_hof)) != SRT_OK)
        goto cleanup;
    s->returns++;
    if (++s->island >= s->npops) {
        s->island = 0;
        s->iter++;
    }
cleanup:
    free(cands);
    free(keep);
    return rc;
}

/* ---- creation ---- */

void srt_sr__search_destroy(srt_sr__search_t **sp)
{
    if (!sp || !*sp)
        return;
    srt_sr__search_t *s = *sp;
    if (s->pops)
        for (long k = 0; k < s->npops * s->popsize; k++)
            member_fini(&s->pops[k]);
    if (s->best_sub)
        for (long k = 0; k < s->npops * s->topn; k++)
            member_fini(&s->best_sub[k]);
    if (s->hof)
        for (long k = 0; k < s->maxsize; k++)
            member_fini(&s->hof[k]);
    if (s->best_seen)
        for (long k = 0; k < s->maxsize; k++)
            member_fini(&s->best_seen[k]);
    for (int k = 0; k < 4; k++)
        srt_expr_fini(&s->tmp[k]);
    free(s->pops);
    free(s->best_sub);
    free(s->hof);
    free(s->hof_exists);
    free(s->best_seen);
    free(s->best_seen_exists);
    free(s->freq);
    free(s->norm_freq);
    free(s->batch_block);
    free((void *)s->batch_cols);
    free(s->batch_block32);
    free((void *)s->batch_cols32);
    free(s->data32);
    free(s->data32w);
    free((void *)s->cols32);
    free((void *)s->cols32w);
    free(s->idx);
    free(s->tweights);
    free(s->size_factor);
    free(s);
    *sp = NULL;
}

static srt_rc check_data(const srt_sr_data_t *d, srt_err_t *err)
{
    if (!d || !d->cols || !d->y || d->nrows < 1 || d->nfeatures < 1 || d->nfeatures > 65535)
        return srt_err_set(err, SRT_ERR_INVALID, NULL, NULL, 0,
                           "SR data: need at least 1 row and 1..65535 features");
    for (size_t r = 0; r < d->nrows; r++)
        if (!isfinite(d->y[r]))
            return srt_err_set(err, SRT_ERR_DATA, NULL, NULL, 0,
                               "SR data: target value at row %zu is not finite", r + 1);
    for (size_t f = 0; f < d->nfeatures; f++)
        for (size_t r = 0; r < d->nrows; r++)
            if (!isfinite(d->cols[f][r]))
                return srt_err_set(err, SRT_ERR_DATA, NULL, NULL, 0,
                                   "SR data: feature %zu at row %zu is not finite", f, r + 1);
    return SRT_OK;
}

/* SymbolicRegression.jl _create_workers / Population.jl Population(dataset;
 * nlength=3): the initial islands, scored on the full data. */
srt_rc srt_sr__search_create(const srt_sr_options_t *opts, const srt_sr_data_t *data,
                             uint64_t seed, srt_sr__search_t **out, srt_err_t *err)
{
    *out = NULL;
    srt_rc rc = srt_sr_options_check(opts, err);
    if (rc != SRT_OK)
        return rc;
    if ((rc = check_data(data, err)) != SRT_OK)
        return rc;
    if ((rc = srt_sr_maps_check(opts, data->nfeatures, err)) != SRT_OK)
        return rc;
    srt_sr__search_t *s = calloc(1, sizeof *s);
    if (!s)
        return srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    s->opts = *opts;
    if (s->opts.maxdepth <= 0)
        s->opts.maxdepth = s->opts.maxsize;
    s->data = *data;
    s->seed = seed;
    s->npops = opts->populations;
    s->popsize = opts->population_size;
    s->topn = opts->topn < s->popsize ? opts->topn : s->popsize;
    s->maxsize = opts->maxsize;
    srt_sr__gen_init(&s->gen, &s->opts, data->nfeatures);
    srt_sr__rng_seed(&s->rng, seed);
    size_t nmem = (size_t)(s->npops * s->popsize);
    size_t bs = (size_t)s->opts.batch_size;
    s->pops = calloc(nmem, sizeof *s->pops);
    s->best_sub = calloc((size_t)(s->npops * s->topn), sizeof *s->best_sub);
    s->hof = calloc((size_t)s->maxsize, sizeof *s->hof);
    s->hof_exists = calloc((size_t)s->maxsize, 1);
    s->best_seen = calloc((size_t)s->maxsize, sizeof *s->best_seen);
    s->best_seen_exists = calloc((size_t)s->maxsize, 1);
    s->freq = calloc((size_t)s->maxsize, sizeof *s->freq);
    s->norm_freq = calloc((size_t)s->maxsize, sizeof *s->norm_freq);
    s->idx = calloc((size_t)s->popsize, sizeof *s->idx);
    s->tweights = calloc((size_t)s->popsize, sizeof *s->tweights);
    s->size_factor = calloc((size_t)s->maxsize + 1, sizeof *s->size_factor);
    int p32 = s->opts.precision == 32; /* SR.jl with T = L = Float32 */
    size_t nf = data->nfeatures, nr = data->nrows;
    if (s->opts.batching) {
        s->batch_block = calloc((nf + 1) * bs, sizeof *s->batch_block);
        s->batch_cols = calloc(nf, sizeof *s->batch_cols);
        if (p32) {
            s->batch_block32 = calloc((nf + 1) * bs, sizeof *s->batch_block32);
            s->batch_cols32 = calloc(nf, sizeof *s->batch_cols32);
        }
    }
    if (p32) {
        s->data32 = malloc((nf + 1) * nr * sizeof *s->data32);
        s->data32w = malloc((nf + 1) * nr * sizeof *s->data32w);
        s->cols32 = calloc(nf, sizeof *s->cols32);
        s->cols32w = calloc(nf, sizeof *s->cols32w);
    }
    if (!s->pops || !s->best_sub || !s->hof || !s->hof_exists || !s->best_seen ||
        !s->best_seen_exists || !s->freq || !s->norm_freq || !s->idx ||
        !s->tweights || !s->size_factor || (s->opts.batching && (!s->batch_block || !s->batch_cols)) ||
        (p32 && (!s->data32 || !s->data32w || !s->cols32 || !s->cols32w)) ||
        (p32 && s->opts.batching && (!s->batch_block32 || !s->batch_cols32))) {
        rc = srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
        goto cleanup;
    }
    if (s->opts.batching)
        for (size_t f = 0; f < nf; f++) {
            s->batch_cols[f] = s->batch_block + f * bs;
            if (p32)
                s->batch_cols32[f] = s->batch_block32 + f * bs;
        }
    /* the full data in the run's precision: at 32 the Float32 data set (as
     * PySR's Dataset{Float32}), plus the same values widened to double for
     * the constant optimiser's gradient */
    s->full.n = nr;
    if (p32) {
        for (size_t f = 0; f <= nf; f++) {
            const double *src = f < nf ? data->cols[f] : data->y;
            for (size_t r = 0; r < nr; r++) {
                if (!isfinite((float)src[r])) {
                    rc = f < nf ? srt_err_set(err, SRT_ERR_DATA, NULL, "precision", 0,
                                              "SR data: feature %zu at row %zu (%g) is beyond "
                                              "Float32's range (precision 32; use precision 64)",
                                              f, r + 1, src[r])
                                : srt_err_set(err, SRT_ERR_DATA, NULL, "precision", 0,
                                              "SR data: target value at row %zu (%g) is beyond "
                                              "Float32's range (precision 32; use precision 64)",
                                              r + 1, src[r]);
                    goto cleanup;
                }
                s->data32[f * nr + r] = (float)src[r];
                s->data32w[f * nr + r] = srt_sr__f32(src[r]);
            }
            if (f < nf) {
                s->cols32[f] = s->data32 + f * nr;
                s->cols32w[f] = s->data32w + f * nr;
            }
        }
        s->full.cols = (const double *const *)s->cols32w;
        s->full.y = s->data32w + nf * nr;
        s->full.cols32 = (const float *const *)s->cols32;
        s->full.y32 = s->data32 + nf * nr;
    } else {
        s->full.cols = data->cols;
        s->full.y = data->y;
        s->full.cols32 = NULL;
        s->full.y32 = NULL;
    }
    /* tournament place weights p (1-p)^k, cumulative; in Float32 as
     * Population.jl get_tournament_selection_weights computes them */
    float tp32 = (float)s->opts.tournament_selection_p;
    double acc = 0.0;
    for (long k = 0; k < s->popsize; k++) {
        acc += (double)(tp32 * (float)pow((double)(1.0f - tp32), (double)k));
        s->tweights[k] = acc;
    }
    if (p32) {
        /* LossFunctions.jl update_baseline_loss!: the loss of the constant
         * zero, in the loss type (Float32) */
        srt_expr_t zero;
        srt_expr_init(&zero);
        if ((rc = srt_expr_push_const(&zero, 0.0)) != SRT_OK) {
            srt_expr_fini(&zero);
            goto nomem;
        }
        s->baseline = srt_sr__eval_loss(&zero, &s->full);
        srt_expr_fini(&zero);
    } else {
        double sum = 0.0;
        for (size_t r = 0; r < data->nrows; r++)
            sum += data->y[r] * data->y[r];
        s->baseline = sum / (double)data->nrows;
    }
    if (p32) /* loss_to_cost: baseline >= L(0.01) && use_baseline, else L(0.01) */
        s->norm = isfinite(s->baseline) && (float)s->baseline >= 0.01f ? s->baseline
                                                                       : (double)0.01f;
    else
        s->norm = s->baseline > 0.01 ? s->baseline : 0.01;
    for (long k = 0; k < s->maxsize; k++) {
        s->freq[k] = 1.0;
        s->norm_freq[k] = 1.0 / (double)s->maxsize;
    }
    update_size_factors(s);
    /* initial populations: SR.jl's gen_random_tree(3) per member */
    for (size_t k = 0; k < nmem; k++) {
        srt_sr__member_t *m = &s->pops[k];
        int ok = 0;
        for (int t = 0; t < 10 && !ok; t++) {
            if ((rc = srt_sr__random_tree(&s->gen, &s->rng, 3, &m->expr)) != SRT_OK)
                goto nomem;
            ok = srt_sr__fits(&s->gen, &m->expr);
        }
        if (!ok && (rc = srt_sr__random_tree(&s->gen, &s->rng, 0, &m->expr)) != SRT_OK)
            goto nomem;
        consts_to_precision(s, &m->expr);
        set_loss(s, m, eval_loss(s, &m->expr));
        m->birth = s->birth++;
    }
    for (long isl = 0; isl < s->npops; isl++)
        if ((rc = update_best_sub(s, isl)) != SRT_OK)
            goto nomem;
    *out = s;
    return SRT_OK;
nomem:
    rc = srt_err_set(err, rc, NULL, NULL, 0, "SR search: %s", srt_rc_str(rc));
cleanup:
    srt_sr__search_destroy(&s);
    return rc;
}
