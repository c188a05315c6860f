/*
 * Signals: SIGTERM, SIGINT and SIGUSR1 only set a flag (architecture.md,
 * "Signals"). The SR engine checks it once per iteration, the runner between
 * runs, the coordinator in its poll loop. Installed once per process.
 */
#ifndef SRTUNE_CLUSTER_SIGNALS_H
#define SRTUNE_CLUSTER_SIGNALS_H

#include <signal.h>

/* The flag: non-zero once a stop signal arrived (holds the signal number). */
extern volatile sig_atomic_t srt_stop_flag;

/* Installs the handlers for SIGTERM, SIGINT and SIGUSR1 (SA_RESTART off so a
 * blocking sleep returns early). Returns 0, or -1 when sigaction failed. */
int srt_signals_install(void);

/* Name of the signal that set the flag ("SIGUSR1"), or "none". */
const char *srt_signals_received(void);

#endif
