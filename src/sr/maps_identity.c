/*
 * The part of a checkpoint's identity (srt_sr__identity) that options added
 * after checkpoints existed contribute: nothing while they hold PySR's
 * default, so a checkpoint written before them still resumes a run with the
 * defaults, and a run with any other value never resumes it.
 */
#include <math.h>
#include <string.h>

#include "sr/sr_int.h"

/* Scalar options added later, with the value that leaves them out. */
static const struct {
    const char *name;
    double neutral;
} later_scalars[] = {
    {"warmup_maxsize_by", 0.0},
    {"complexity_of_constants", 1.0},
    {"complexity_of_variables", 1.0},
};

int srt_sr__identity_skips(const srt_sr_option_info_t *info, double v)
{
    for (size_t i = 0; i < sizeof later_scalars / sizeof later_scalars[0]; i++)
        if (!strcmp(info->name, later_scalars[i].name))
            return v == later_scalars[i].neutral;
    return 0;
}

void srt_sr__identity_maps(srt_hasher_t *h, const srt_sr_maps_t *m)
{
    for (int op = 0; op < SRT_OP_COUNT; op++) {
        if (m->op_complexity_set[op]) {
            uint64_t bits;
            memcpy(&bits, &m->op_complexity[op], 8);
            srt_hasher_str(h, "complexity_of_operators");
            srt_hasher_str(h, srt_op_name((srt_op_t)op));
            srt_hasher_u64(h, bits);
        }
        if (m->constraint_set[op]) {
            srt_hasher_str(h, "constraints");
            srt_hasher_str(h, srt_op_name((srt_op_t)op));
            srt_hasher_i64(h, m->constraint[op][0]);
            srt_hasher_i64(h, m->constraint[op][1]);
        }
        for (int in = 0; in < SRT_OP_COUNT; in++)
            if (m->nested_set[op][in]) {
                srt_hasher_str(h, "nested_constraints");
                srt_hasher_str(h, srt_op_name((srt_op_t)op));
                srt_hasher_str(h, srt_op_name((srt_op_t)in));
                srt_hasher_i64(h, m->nested[op][in]);
            }
    }
    if (m->n_var_complexity > 0) {
        srt_hasher_str(h, "complexity_of_variables[]");
        srt_hasher_u64(h, m->n_var_complexity);
        for (uint32_t f = 0; f < m->n_var_complexity && f < SRT_SR_MAX_VAR_COMPLEXITIES; f++) {
            uint64_t bits;
            memcpy(&bits, &m->var_complexity[f], 8);
            srt_hasher_u64(h, bits);
        }
    }
}
