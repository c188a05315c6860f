/* Stop-signal handling: see signals.h. The handler only stores to a
 * volatile sig_atomic_t, which is async-signal-safe. */
#include <string.h>

#include "cluster/signals.h"

volatile sig_atomic_t srt_stop_flag = 0;

static void on_stop_signal(int sig)
{
    srt_stop_flag = sig;
}

int srt_signals_install(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;
    const int sigs[] = {SIGTERM, SIGINT, SIGUSR1};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
        if (sigaction(sigs[i], &sa, NULL) != 0)
            return -1;
    return 0;
}

const char *srt_signals_received(void)
{
    switch (srt_stop_flag) {
    case 0: return "none";
    case SIGTERM: return "SIGTERM";
    case SIGINT: return "SIGINT";
    case SIGUSR1: return "SIGUSR1";
    default: return "signal";
    }
}
