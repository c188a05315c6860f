/* Unit tests for the cluster/ message layouts: round trips, exact sizes, and
 * rejection of short, long and malformed buffers. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cluster/protocol.h"
#include "testutil.h"

static unsigned char buf[SRT_MSG_MAX_BYTES];

static void work_message_round_trips(void)
{
    srt_msg_work_t w, back;
    memset(&w, 0, sizeof w);
    w.trial = 123456789012LL;
    w.eq_pos = -1;
    strcpy(w.run_dir, "runs/x/trials/trial_7");
    w.n_params = 3;
    strcpy(w.params[0].name, "parsimony");
    w.params[0].value = 1.5e-4;
    strcpy(w.params[1].name, "populations");
    w.params[1].value = 31;
    strcpy(w.params[2].name, "annealing");
    w.params[2].value = 1;
    size_t n = srt_msg_pack_work(&w, buf, sizeof buf);
    CU_ASSERT(n > 0);
    CU_ASSERT_EQUAL(srt_msg_unpack_work(buf, n, &back), SRT_OK);
    CU_ASSERT_EQUAL(back.trial, w.trial);
    CU_ASSERT_EQUAL(back.eq_pos, -1);
    CU_ASSERT_STRING_EQUAL(back.run_dir, w.run_dir);
    CU_ASSERT_EQUAL(back.n_params, 3);
    CU_ASSERT_STRING_EQUAL(back.params[1].name, "populations");
    CU_ASSERT_EQUAL(back.params[0].value, 1.5e-4);
    /* every prefix is rejected, as is a trailing byte */
    for (size_t k = 0; k < n; k++)
        CU_ASSERT_EQUAL(srt_msg_unpack_work(buf, k, &back), SRT_ERR_PROTOCOL);
    CU_ASSERT_EQUAL(srt_msg_unpack_work(buf, n + 1, &back), SRT_ERR_PROTOCOL);
}

static void oversized_fields_are_refused_by_the_packer(void)
{
    srt_msg_work_t w;
    memset(&w, 0, sizeof w);
    memset(w.run_dir, 'a', sizeof w.run_dir); /* not NUL-terminated within the limit */
    CU_ASSERT_EQUAL(srt_msg_pack_work(&w, buf, sizeof buf), 0);
    memset(&w, 0, sizeof w);
    w.n_params = SRT_MSG_MAX_PARAMS + 1;
    CU_ASSERT_EQUAL(srt_msg_pack_work(&w, buf, sizeof buf), 0);
    memset(&w, 0, sizeof w);
    CU_ASSERT_EQUAL(srt_msg_pack_work(&w, buf, 5), 0); /* buffer too small */
}

static void result_message_round_trips_with_nan_values(void)
{
    srt_msg_result_t r, back;
    memset(&r, 0, sizeof r);
    r.trial = 4;
    r.eq_pos = 2;
    r.status = 3;
    r.value = -0.0;
    r.n_values = 3;
    r.values[0] = 1.25;
    r.values[1] = NAN;
    r.values[2] = 1e-300;
    strcpy(r.message, "data.csv:3: not a number");
    size_t n = srt_msg_pack_result(&r, buf, sizeof buf);
    CU_ASSERT(n > 0);
    CU_ASSERT_EQUAL(srt_msg_unpack_result(buf, n, &back), SRT_OK);
    CU_ASSERT_EQUAL(back.status, 3);
    CU_ASSERT(signbit(back.value));
    CU_ASSERT(isnan(back.values[1]));
    CU_ASSERT_EQUAL(back.values[2], 1e-300);
    CU_ASSERT_STRING_EQUAL(back.message, r.message);
    /* a corrupted count is rejected, not trusted */
    buf[24 + 2] = 0xff; /* n_values sits after trial, eq_pos, status, value */
    CU_ASSERT_EQUAL(srt_msg_unpack_result(buf, n, &back), SRT_ERR_PROTOCOL);
}

static void small_messages_round_trip(void)
{
    srt_msg_ready_t rd = {SRT_PROTOCOL_VERSION}, rd2;
    size_t n = srt_msg_pack_ready(&rd, buf, sizeof buf);
    CU_ASSERT_EQUAL(n, 4);
    CU_ASSERT_EQUAL(srt_msg_unpack_ready(buf, n, &rd2), SRT_OK);
    CU_ASSERT_EQUAL(rd2.version, SRT_PROTOCOL_VERSION);

    srt_msg_progress_t p = {9, 1, 4, 0.5, 1}, p2;
    n = srt_msg_pack_progress(&p, buf, sizeof buf);
    CU_ASSERT_EQUAL(n, 28);
    CU_ASSERT_EQUAL(srt_msg_unpack_progress(buf, n, &p2), SRT_OK);
    CU_ASSERT_EQUAL(p2.trial, 9);
    CU_ASSERT_EQUAL(p2.run, 4);
    CU_ASSERT_EQUAL(p2.reused, 1);

}

static void tag_names_are_distinct_and_known(void)
{
    CU_ASSERT_STRING_EQUAL(srt_tag_name(SRT_TAG_READY), "READY");
    CU_ASSERT_STRING_EQUAL(srt_tag_name(SRT_TAG_STOP), "STOP");
    CU_ASSERT_STRING_EQUAL(srt_tag_name(7), "?");
}

int main(void)
{
    static const srt_test_case_t cases[] = {
        {"work_message_round_trips", work_message_round_trips},
        {"oversized_fields_are_refused_by_the_packer", oversized_fields_are_refused_by_the_packer},
        {"result_message_round_trips_with_nan_values", result_message_round_trips_with_nan_values},
        {"small_messages_round_trip", small_messages_round_trip},
        {"tag_names_are_distinct_and_known", tag_names_are_distinct_and_known},
        {NULL, NULL}};
    return srt_test_main("dist_protocol", cases);
}
