/* Coordinator records for `srtune status`: see jobrecord.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cluster/jobrecord.h"

/* A SLURM variable as a JSON value: a string, or null when unset. Values are
 * digits and '_' from SLURM itself; anything else is dropped to stay valid JSON. */
static void env_json(char *buf, size_t size, const char *name)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        snprintf(buf, size, "null");
        return;
    }
    size_t o = 0;
    buf[o++] = '"';
    for (; *v && o + 2 < size; v++)
        if ((*v >= '0' && *v <= '9') || (*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
            *v == '_' || *v == '-' || *v == '.')
            buf[o++] = *v;
    buf[o++] = '"';
    buf[o] = '\0';
}

srt_rc srt_jobrecord_write(const char *output_dir, const char *worker_id, int mpi_size,
                           double started, int exit_code, srt_err_t *err)
{
    char host[256] = "?";
    (void)gethostname(host, sizeof host - 1);
    host[sizeof host - 1] = '\0';
    for (char *p = host; *p; p++)
        if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
            *p = '_';
    char job[64], array_job[64], task[64], jobname[128];
    env_json(job, sizeof job, "SLURM_JOB_ID");
    env_json(array_job, sizeof array_job, "SLURM_ARRAY_JOB_ID");
    env_json(task, sizeof task, "SLURM_ARRAY_TASK_ID");
    env_json(jobname, sizeof jobname, "SLURM_JOB_NAME");
    char ended[64] = "null", code[32] = "null";
    if (exit_code >= 0) {
        snprintf(ended, sizeof ended, "%.3f", srt_time_wall());
        snprintf(code, sizeof code, "%d", exit_code);
    }
    char text[2048];
    int n = snprintf(text, sizeof text,
                     "{\n  \"worker_id\": \"%s\",\n  \"host\": \"%s\",\n  \"pid\": %ld,\n"
                     "  \"mpi_size\": %d,\n  \"slurm_job_id\": %s,\n  \"slurm_array_job_id\": %s,\n"
                     "  \"slurm_array_task_id\": %s,\n  \"slurm_job_name\": %s,\n"
                     "  \"started\": %.3f,\n  \"ended\": %s,\n  \"exit_code\": %s\n}\n",
                     worker_id, host, (long)getpid(), mpi_size, job, array_job, task, jobname,
                     started, ended, code);
    char *dir = srt_path_join(output_dir, "coordinators");
    char name[512];
    snprintf(name, sizeof name, "%s.json", worker_id);
    char *path = dir ? srt_path_join(dir, name) : NULL;
    srt_rc rc = path ? srt_fs_mkdir_p(dir, err)
                     : srt_err_set(err, SRT_ERR_NOMEM, NULL, NULL, 0, "out of memory");
    if (rc == SRT_OK)
        rc = srt_fs_write_atomic(path, text, (size_t)n < sizeof text ? (size_t)n : 0, err);
    free(path);
    free(dir);
    return rc;
}
