/*
 * Fuzz target: the study config reader. The input is a config file; it is
 * written to <tmp>/config.json and read with srt_config_load, the function
 * `srtune validate` and `srtune run` call. A loaded config must turn into its
 * effective JSON; the error list of a rejected one must print. A data.csv and a
 * catalogue.csv lie beside it so that configs naming them load.
 */
#include <stdio.h>
#include <stdlib.h>

#include "fuzz.h"
#include "srtune/config.h"

/* Files a config may name by a relative path (next to config.json). */
static void companions(void)
{
    static int done;
    static const char csv[] = "x,z,y\n1,2,3\n4,5,6.5\n7,8,-9\n";
    static const char cat[] =
        "Filename,Number,Output,Formula,# variables,v1_name,v1_low,v1_high,v2_name,v2_low,"
        "v2_high\nT.1,1,f,x*y+1,2,x,1,3,y,1,3\nT.2,2,f,sqrt(x-0.5),1,x,1,3,,,\n"
        "T.3,3,f,x**2,1,x,1,3,,,\n";
    if (done)
        return;
    done = 1;
    (void)fuzz_write("data.csv", (const uint8_t *)csv, sizeof csv - 1);
    (void)fuzz_write("catalogue.csv", (const uint8_t *)cat, sizeof cat - 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    companions();
    const char *path = fuzz_write("config.json", data, size);
    srt_config_t *cfg = NULL;
    srt_config_errors_t errs;
    srt_err_t err;
    srt_config_errors_init(&errs);
    srt_err_clear(&err);
    srt_rc rc = srt_config_load(path, &cfg, &errs, &err);
    if (rc == SRT_OK) {
        if (!cfg)
            fuzz_fail("srt_config_load: SRT_OK without a config");
        char *json = srt_config_to_json(cfg);
        if (!json)
            fuzz_fail("srt_config_to_json: NULL");
        free(json);
    } else {
        if (cfg)
            fuzz_fail("srt_config_load: failed (%d) but returned a config", (int)rc);
        if (errs.count == 0 || err.msg[0] == 0)
            fuzz_fail("srt_config_load: failed (%s) without an error message", srt_rc_str(rc));
        FILE *devnull = fopen("/dev/null", "w");
        if (devnull) {
            srt_config_errors_print(&errs, devnull);
            fclose(devnull);
        }
    }
    srt_config_destroy(&cfg);
    srt_config_errors_fini(&errs);
    return 0;
}
