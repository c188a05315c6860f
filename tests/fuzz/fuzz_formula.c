/*
 * Fuzz target: the catalogue formula parser (srt_formula_parse). The input's
 * first byte picks how many of the variables x, y, z, theta, pi_1 are defined
 * (0..5); the rest is the formula text. A compiled formula must be a valid
 * postfix expression over those variables, print, and evaluate.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "srtune/data.h"

#define MAX_FORMULA 4096

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {"x", "y", "z", "theta", "pi_1"};
    fuzz_init();
    if (size < 1 || size > MAX_FORMULA)
        return 0;
    size_t nvars = data[0] % 6;
    char text[MAX_FORMULA + 1];
    memcpy(text, data + 1, size - 1);
    text[size - 1] = 0;
    srt_expr_t e;
    srt_err_t err;
    srt_expr_init(&e);
    srt_err_clear(&err);
    srt_rc rc = srt_formula_parse(text, names, nvars, &e, &err);
    if (rc == SRT_OK) {
        if (!srt_expr_is_valid(&e, nvars ? nvars : 1))
            fuzz_fail("formula '%s': parsed into an invalid expression", text);
        for (int style = 0; style < 2; style++) {
            char *s = srt_expr_to_string(&e, names, (srt_expr_style_t)style);
            if (!s)
                fuzz_fail("formula '%s': srt_expr_to_string gave NULL", text);
            free(s);
        }
        static const double x[5] = {0.5, -1.25, 3.0, 1e-3, 7.0};
        static const double c0[2] = {0.5, 2.0}, c1[2] = {-1.25, 0.0}, c2[2] = {3.0, -3.0},
                            c3[2] = {1e-3, 1e3}, c4[2] = {7.0, -7.0};
        const double *const cols[5] = {c0, c1, c2, c3, c4};
        double out[2];
        (void)srt_expr_eval_point(&e, x);
        (void)srt_expr_eval(&e, cols, 2, out);
    } else {
        if (e.len != 0)
            fuzz_fail("formula '%s': failed but left %u nodes", text, (unsigned)e.len);
        if (err.msg[0] == 0)
            fuzz_fail("formula '%s': failed without a message", text);
    }
    srt_expr_fini(&e);
    return 0;
}
