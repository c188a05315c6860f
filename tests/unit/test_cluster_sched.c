/* Unit tests for the coordinator's equation-level scheduler (dist/sched.c). */
#include <math.h>

#include "cluster/sched.h"
#include "testutil.h"

static void affinity_claims_equations_in_order(void)
{
    srt_sched_t s;
    srt_sched_init(&s);
    srt_flight_t *f = srt_sched_add(&s, 3, 17, "trials/trial_3", 3, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    CU_ASSERT_EQUAL(srt_sched_claim_next(f), 0);
    CU_ASSERT_EQUAL(srt_sched_claim_next(f), 1);
    CU_ASSERT_EQUAL(srt_sched_claim_next(f), 2);
    CU_ASSERT_EQUAL(srt_sched_claim_next(f), -1);
    CU_ASSERT_FALSE(srt_sched_has_todo(f));
    CU_ASSERT_PTR_EQUAL(srt_sched_find(&s, 3), f);
    CU_ASSERT_PTR_NULL(srt_sched_find(&s, 4));
    srt_sched_fini(&s);
}

static void intermediate_values_are_released_in_equation_order(void)
{
    srt_sched_t s;
    srt_sched_init(&s);
    srt_flight_t *f = srt_sched_add(&s, 0, 0, "d", 3, NULL);
    size_t n_new;
    for (int i = 0; i < 3; i++)
        srt_sched_claim_next(f);
    srt_sched_record(f, 2, 6.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 0);
    CU_ASSERT_EQUAL(f->n_reported, 0);
    srt_sched_record(f, 0, 2.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 1);
    CU_ASSERT_EQUAL(srt_sched_step_value(f, 0), 2.0);
    CU_ASSERT_EQUAL(f->state, SRT_FLIGHT_RUNNING);
    srt_sched_record(f, 1, 4.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 2);
    CU_ASSERT_EQUAL(srt_sched_step_value(f, 1), 3.0);
    CU_ASSERT_EQUAL(srt_sched_step_value(f, 2), 4.0);
    CU_ASSERT_EQUAL(f->value, 4.0);
    CU_ASSERT_EQUAL(f->state, SRT_FLIGHT_COMPLETE);
    /* a duplicate report changes nothing */
    srt_sched_record(f, 1, 100.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 0);
    CU_ASSERT_EQUAL(f->value, 4.0);
    srt_sched_fini(&s);
}

static void stealing_takes_the_last_todo_of_the_oldest_trial(void)
{
    srt_sched_t s;
    srt_sched_init(&s);
    srt_flight_t *a = srt_sched_add(&s, 0, 0, "a", 4, NULL);
    srt_flight_t *b = srt_sched_add(&s, 1, 1, "b", 2, NULL);
    CU_ASSERT_EQUAL(srt_sched_claim_next(a), 0);
    long pos = -1;
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), a);
    CU_ASSERT_EQUAL(pos, 3);
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), a);
    CU_ASSERT_EQUAL(pos, 2);
    /* the owner continues in order with what is left */
    CU_ASSERT_EQUAL(srt_sched_claim_next(a), 1);
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), b);
    CU_ASSERT_EQUAL(pos, 1);
    srt_sched_unclaim(b, 1);
    CU_ASSERT(srt_sched_has_todo(b));
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), b);
    CU_ASSERT_EQUAL(pos, 1);
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), b);
    CU_ASSERT_EQUAL(pos, 0);
    CU_ASSERT_PTR_NULL(srt_sched_steal(&s, &pos));
    CU_ASSERT_EQUAL(a->n_busy, 4);
    srt_sched_remove(&s, a);
    CU_ASSERT_EQUAL(s.n, 1);
    CU_ASSERT_PTR_EQUAL(s.items[0], b);
    srt_sched_fini(&s);
}

static void pruned_trials_hand_out_no_more_work(void)
{
    srt_sched_t s;
    srt_sched_init(&s);
    srt_flight_t *a = srt_sched_add(&s, 0, 0, "a", 3, NULL);
    size_t n_new;
    srt_sched_claim_next(a);
    srt_sched_record(a, 0, 1.0, &n_new);
    a->state = SRT_FLIGHT_PRUNED;
    long pos;
    CU_ASSERT_EQUAL(srt_sched_claim_next(a), -1);
    CU_ASSERT_PTR_NULL(srt_sched_steal(&s, &pos));
    CU_ASSERT_FALSE(srt_sched_has_todo(a));
    srt_sched_fini(&s);
}

/* A shuffled trial claims, steals and releases in its own order. */
static void shuffled_trials_follow_their_own_order(void)
{
    srt_sched_t s;
    srt_sched_init(&s);
    srt_flight_t *a = srt_sched_add(&s, 0, 0, "a", 6, NULL);
    srt_flight_t *b = srt_sched_add(&s, 1, 1, "b", 6, NULL);
    CU_ASSERT_PTR_NOT_NULL_FATAL(a);
    CU_ASSERT_PTR_NOT_NULL_FATAL(b);
    srt_sched_shuffle(a, 12345);
    srt_sched_shuffle(b, 12345);
    int seen[6] = {0}, identity = 1;
    for (size_t k = 0; k < 6; k++) {
        size_t e = srt_sched_equation_at(a, k);
        CU_ASSERT_FATAL(e < 6);
        seen[e]++;
        identity &= e == k;
        CU_ASSERT_EQUAL(e, srt_sched_equation_at(b, k)); /* same seed, same order */
    }
    for (int e = 0; e < 6; e++)
        CU_ASSERT_EQUAL(seen[e], 1); /* a permutation */
    CU_ASSERT_FALSE(identity);       /* this seed moves something */
    /* claims follow the order; the last in order is stolen */
    CU_ASSERT_EQUAL(srt_sched_claim_next(a), (long)srt_sched_equation_at(a, 0));
    long pos;
    CU_ASSERT_PTR_EQUAL(srt_sched_steal(&s, &pos), a);
    CU_ASSERT_EQUAL(pos, (long)srt_sched_equation_at(a, 5));
    /* the second in order done first releases nothing; then the first: two */
    size_t n_new;
    size_t e0 = srt_sched_equation_at(a, 0), e1 = srt_sched_equation_at(a, 1);
    CU_ASSERT_EQUAL(srt_sched_claim_next(a), (long)e1);
    srt_sched_record(a, e1, 4.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 0);
    srt_sched_record(a, e0, 2.0, &n_new);
    CU_ASSERT_EQUAL(n_new, 2);
    CU_ASSERT_DOUBLE_EQUAL(srt_sched_step_value(a, 1), 3.0, 1e-15);
    srt_sched_shuffle(b, 99);
    int differs = 0;
    for (size_t k = 0; k < 6; k++)
        differs |= srt_sched_equation_at(a, k) != srt_sched_equation_at(b, k);
    CU_ASSERT_TRUE(differs); /* another seed, another order */
    srt_sched_fini(&s);
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"affinity_claims_equations_in_order", affinity_claims_equations_in_order},
        {"intermediate_values_are_released_in_equation_order",
         intermediate_values_are_released_in_equation_order},
        {"stealing_takes_the_last_todo_of_the_oldest_trial",
         stealing_takes_the_last_todo_of_the_oldest_trial},
        {"pruned_trials_hand_out_no_more_work", pruned_trials_hand_out_no_more_work},
        {"shuffled_trials_follow_their_own_order", shuffled_trials_follow_their_own_order},
        {NULL, NULL}};
    return srt_test_main("dist_sched", cases);
}
