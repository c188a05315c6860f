/* Unit tests for the coordinator's equation-level scheduler (dist/sched.c). */
#include <math.h>

#include "dist/sched.h"
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

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"affinity_claims_equations_in_order", affinity_claims_equations_in_order},
        {"intermediate_values_are_released_in_equation_order",
         intermediate_values_are_released_in_equation_order},
        {"stealing_takes_the_last_todo_of_the_oldest_trial",
         stealing_takes_the_last_todo_of_the_oldest_trial},
        {"pruned_trials_hand_out_no_more_work", pruned_trials_hand_out_no_more_work},
        {NULL, NULL}};
    return srt_test_main("dist_sched", cases);
}
