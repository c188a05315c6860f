/* PySR's model_selection rules: see model_select.h. */
#include <string.h>

#include "cli/model_select.h"

static const char *const names[] = {"best", "accuracy", "score"};

int srt_select_lookup(const char *name, srt_select_t *out)
{
    for (int k = 0; k < 3; k++)
        if (name && !strcmp(name, names[k])) {
            *out = (srt_select_t)k;
            return 0;
        }
    return -1;
}

const char *srt_select_name(srt_select_t sel)
{
    return (unsigned)sel < 3 ? names[sel] : "?";
}

long srt_select_member(const double *loss, const double *score, size_t n, srt_select_t sel)
{
    if (n == 0)
        return -1;
    size_t lo = 0;
    for (size_t k = 1; k < n; k++)
        if (loss[k] < loss[lo])
            lo = k;
    if (sel == SRT_SELECT_ACCURACY)
        return (long)lo;
    double threshold = 1.5 * loss[lo];
    long pick = -1;
    for (size_t k = 0; k < n; k++) {
        if (sel == SRT_SELECT_BEST && !(loss[k] <= threshold))
            continue;
        if (pick < 0 || score[k] > score[pick])
            pick = (long)k;
    }
    return pick;
}
