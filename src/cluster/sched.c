/* Equation-level bookkeeping of trials in flight: see sched.h. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/sched.h"

void srt_sched_init(srt_sched_t *s)
{
    memset(s, 0, sizeof *s);
}

static void flight_free(srt_flight_t *f)
{
    if (!f)
        return;
    free(f->run_dir);
    free(f->eq_state);
    free(f->eq_value);
    free(f->order);
    free(f);
}

void srt_sched_fini(srt_sched_t *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        flight_free(s->items[i]);
    free(s->items);
    memset(s, 0, sizeof *s);
}

srt_flight_t *srt_sched_add(srt_sched_t *s, long number, long trial_id, const char *run_dir,
                            size_t n_eq, void *payload)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 8;
        srt_flight_t **items = realloc(s->items, cap * sizeof *items);
        if (!items)
            return NULL;
        s->items = items;
        s->cap = cap;
    }
    srt_flight_t *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->number = number;
    f->trial_id = trial_id;
    f->run_dir = srt_strdup(run_dir);
    f->payload = payload;
    f->state = SRT_FLIGHT_RUNNING;
    f->n_eq = n_eq;
    f->eq_state = calloc(n_eq ? n_eq : 1, sizeof *f->eq_state);
    f->eq_value = malloc((n_eq ? n_eq : 1) * sizeof *f->eq_value);
    f->order = malloc((n_eq ? n_eq : 1) * sizeof *f->order);
    f->value = NAN;
    if (!f->run_dir || !f->eq_state || !f->eq_value || !f->order) {
        flight_free(f);
        return NULL;
    }
    for (size_t i = 0; i < n_eq; i++) {
        f->eq_value[i] = NAN;
        f->order[i] = i;
    }
    s->items[s->n++] = f;
    return f;
}

srt_flight_t *srt_sched_find(const srt_sched_t *s, long number)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->items[i]->number == number)
            return s->items[i];
    return NULL;
}

void srt_sched_remove(srt_sched_t *s, srt_flight_t *f)
{
    for (size_t i = 0; i < s->n; i++) {
        if (s->items[i] == f) {
            memmove(&s->items[i], &s->items[i + 1], (s->n - i - 1) * sizeof *s->items);
            s->n--;
            flight_free(f);
            return;
        }
    }
}

int srt_sched_has_todo(const srt_flight_t *f)
{
    if (f->state != SRT_FLIGHT_RUNNING)
        return 0;
    for (size_t i = 0; i < f->n_eq; i++)
        if (f->eq_state[i] == SRT_EQ_TODO)
            return 1;
    return 0;
}

void srt_sched_shuffle(srt_flight_t *f, uint64_t seed)
{
    uint64_t st = seed;
    for (size_t i = f->n_eq; i > 1; i--) {
        size_t j = (size_t)(srt_splitmix64(&st) % (uint64_t)i);
        size_t t = f->order[i - 1];
        f->order[i - 1] = f->order[j];
        f->order[j] = t;
    }
}

size_t srt_sched_equation_at(const srt_flight_t *f, size_t pos)
{
    return f->order[pos];
}

long srt_sched_claim_next(srt_flight_t *f)
{
    if (f->state != SRT_FLIGHT_RUNNING)
        return -1;
    for (size_t k = 0; k < f->n_eq; k++) {
        size_t i = f->order[k];
        if (f->eq_state[i] == SRT_EQ_TODO) {
            f->eq_state[i] = SRT_EQ_RUNNING;
            f->n_busy++;
            return (long)i;
        }
    }
    return -1;
}

srt_flight_t *srt_sched_steal(srt_sched_t *s, long *eq_pos)
{
    for (size_t t = 0; t < s->n; t++) {
        srt_flight_t *f = s->items[t];
        if (f->state != SRT_FLIGHT_RUNNING)
            continue;
        for (size_t k = f->n_eq; k-- > 0;) {
            size_t i = f->order[k];
            if (f->eq_state[i] == SRT_EQ_TODO) {
                f->eq_state[i] = SRT_EQ_RUNNING;
                f->n_busy++;
                *eq_pos = (long)i;
                return f;
            }
        }
    }
    return NULL;
}

void srt_sched_unclaim(srt_flight_t *f, size_t eq_pos)
{
    if (eq_pos < f->n_eq && f->eq_state[eq_pos] == SRT_EQ_RUNNING) {
        f->eq_state[eq_pos] = SRT_EQ_TODO;
        f->n_busy--;
    }
}

double srt_sched_step_value(const srt_flight_t *f, size_t step)
{
    double sum = 0.0;
    for (size_t k = 0; k <= step && k < f->n_eq; k++)
        sum += f->eq_value[f->order[k]];
    return sum / (double)(step + 1);
}

void srt_sched_record(srt_flight_t *f, size_t eq_pos, double value, size_t *n_new)
{
    *n_new = 0;
    if (eq_pos >= f->n_eq || f->eq_state[eq_pos] == SRT_EQ_DONE)
        return;
    if (f->eq_state[eq_pos] == SRT_EQ_RUNNING)
        f->n_busy--;
    f->eq_state[eq_pos] = SRT_EQ_DONE;
    f->eq_value[eq_pos] = value;
    while (f->n_reported < f->n_eq && f->eq_state[f->order[f->n_reported]] == SRT_EQ_DONE) {
        f->n_reported++;
        (*n_new)++;
    }
    if (f->n_reported > 0)
        f->value = srt_sched_step_value(f, f->n_reported - 1);
    if (f->n_reported == f->n_eq && f->state == SRT_FLIGHT_RUNNING)
        f->state = SRT_FLIGHT_COMPLETE;
}
