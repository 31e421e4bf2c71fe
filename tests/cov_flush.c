/*
 * cov_flush - keep the coverage counts of processes that die on a signal.
 *
 * Linked into every program of a "make COVERAGE=1" build and nowhere else.
 * gcov writes its counters at exit(), but the master stops its children
 * with SIGTERM, whose default action ends a process without exit(): a
 * daemon would leave no trace of what it ran. A constructor here catches
 * SIGTERM, SIGINT and SIGHUP where their action is still the default,
 * writes the counters, then restores the default action and raises the
 * signal again, so the process still dies the way it would have. Programs
 * that install their own handlers replace this one and are unaffected.
 */

#include <signal.h>
#include <string.h>

extern void __gcov_dump(void);

/* cov_flush_signal - write the counters, then die of the same signal */
static void cov_flush_signal(int sig)
{
    __gcov_dump();
    signal(sig, SIG_DFL);
    raise(sig);
}

/* cov_flush_init - catch the terminating signals that nobody else handles */
__attribute__((constructor)) static void cov_flush_init(void)
{
    static const int sigs[] = {SIGTERM, SIGINT, SIGHUP};
    struct sigaction sa, old;
    size_t i;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = cov_flush_signal;
    sa.sa_flags = SA_RESTART | SA_RESETHAND;
    sigemptyset(&sa.sa_mask);
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigaction(sigs[i], 0, &old) == 0 && old.sa_handler == SIG_DFL)
            sigaction(sigs[i], &sa, 0);
}
