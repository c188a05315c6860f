/*
 * srtune cluster: running a study. `srt_cluster_run` is `srtune run`: under mpirun,
 * rank 0 coordinates (samples, journals, hands out work) and every other rank
 * runs SR; with one process, the same process does both with no MPI messages.
 * This header is MPI-free: only the sources in src/cluster call MPI.
 */
#ifndef SRTUNE_CLUSTER_H
#define SRTUNE_CLUSTER_H

#include <stddef.h>

#include "srtune/config.h"
#include "srtune/data.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Process exit codes of every srtune command (documented in the README). */
enum {
    SRT_EXIT_OK = 0,        /* success */
    SRT_EXIT_FAILURE = 1,   /* runtime failure (I/O, engine, MPI) */
    SRT_EXIT_USAGE = 2,     /* bad command line */
    SRT_EXIT_INVALID = 3,   /* invalid input file (config, catalogue, data) */
    SRT_EXIT_RESUMABLE = 75 /* interrupted: relaunch the same command to resume (EX_TEMPFAIL) */
};

/* What a study config resolves to before anything runs. */
typedef struct srt_study_plan {
    srt_config_t *cfg;    /* the validated config (owned) */
    srt_catalogue_t *cat; /* its catalogue (owned); NULL for csv and files */
    size_t *equations;    /* selected catalogue indices (owned); files: 0..n-1 */
    size_t n_equations;   /* instances: entries in equations (1 for a csv data set) */
    srt_dataset_t **files; /* dataset.name "files": every file, read and checked (owned);
                              NULL otherwise */
    /* dataset.holdout: the held-out instances, removed from the lists above
     * (never run while tuning; srt_study_plan_holdout) */
    size_t n_holdout;            /* held-out instances */
    char **holdout_ids;          /* their instance ids (owned) */
    size_t *holdout_equations;   /* catalogue indices; files: index in the suite (owned) */
    srt_dataset_t **holdout_files; /* files: their tables (owned); NULL otherwise */
} srt_study_plan_t;

/* Loads and validates config_path and resolves its equations; for a suite of
 * files it reads and checks every file (so bad data is refused before any
 * run starts, naming each bad file). On failure it prints every error
 * ("file: key: message") to stderr unless quiet, and returns the exit code
 * (SRT_EXIT_INVALID or SRT_EXIT_FAILURE); 0 on success. plan is always safe
 * to pass to srt_study_plan_fini afterwards. */
int srt_study_plan_load(const char *config_path, int quiet, srt_study_plan_t *plan);
void srt_study_plan_fini(srt_study_plan_t *plan);

/* Applies dataset.holdout to a resolved plan: every instance whose id (or
 * catalogue equation id, or a suite file's path relative to the config's
 * folder) matches
 * one of the ids or globs (fnmatch) moves from the tuning lists to the
 * holdout lists, order kept; for a suite, cfg's files and ids lists are
 * compacted the same way. A pattern that matches nothing, or holding out
 * every instance, is an error naming the key (printed unless quiet):
 * returns SRT_EXIT_INVALID; 0 on success, SRT_EXIT_FAILURE out of memory.
 * Works on the final instance list, whatever produced it. */
int srt_study_plan_holdout(srt_study_plan_t *plan, int quiet);

/* Instance pos of the plan as the runner names it: *dataset (borrowed) and
 * *eq_index, so that srt_instance_id(*dataset, *eq_index) is its id:
 * ("feynman", 52) for a catalogue equation, ("192_vineyard", -1) for a file. */
void srt_study_plan_instance(const srt_study_plan_t *plan, size_t pos, const char **dataset,
                             long *eq_index);
/* The instance id of position pos (srt_instance_id) into buf. */
void srt_study_plan_instance_id(const srt_study_plan_t *plan, size_t pos, char *buf, size_t size);
/* Fills a runner config's dataset, datasets and equations for the plan;
 * *equations is a new array (caller frees). SRT_ERR_NOMEM. */
srt_rc srt_study_plan_runner_names(const srt_study_plan_t *plan, const char **dataset,
                                   const char *const **datasets, long **equations,
                                   srt_err_t *err);

/* Prints err as "srtune: <formatted error>" on stderr. */
void srt_print_error(const srt_err_t *err);

/* Exit code for an error code: SRT_EXIT_INVALID for bad input, else FAILURE. */
int srt_exit_code_for(srt_rc rc);

/* Runs (or resumes) the study of config_path: `srtune run CONFIG`. Initialises
 * and finalises MPI itself (collective over MPI_COMM_WORLD). Returns the exit
 * code: 0 when the study has n_trials COMPLETE or PRUNED trials, 75 when
 * interrupted by SIGTERM/SIGINT/SIGUSR1 (relaunch to resume), 3 for invalid
 * input, 1 for other failures. */
int srt_cluster_run(const char *config_path);

#ifdef __cplusplus
}
#endif
#endif
