/*
 * master_sig - signals, turned into ordinary events.
 *
 * A handler only writes one byte (the signal number) into a pipe that the
 * event loop watches; all real work happens outside signal context:
 *   SIGHUP            reload main.cf and master.cf
 *   SIGCHLD           reap children
 *   SIGTERM, SIGINT,
 *   SIGQUIT           pass SIGTERM on to the children, then terminate
 * SIGPIPE is ignored: a client that hangs up must not kill the master.
 *
 * Exports master_sig_init(); the reload and stop work is master_refresh()
 * and master_stop_all() (master_conf.c).
 *
 * Failure: signal set-up problems are fatal.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "master.h"
#include "msg.h"

static int master_sig_pipe[2] = {-1, -1};

/* master_sig_catch - the only code that runs in signal context */
static void master_sig_catch(int sig)
{
    int saved = errno;
    unsigned char ch = sig;

    if (write(master_sig_pipe[1], &ch, 1) != 1) {
        /* The pipe is full: enough wakeups are already pending. */
    }
    errno = saved;
}

/* master_sig_death - pass the signal on and terminate */
static void master_sig_death(int sig)
{
    struct sigaction sa;

    msg_info("terminating on signal %d", sig);
    master_stop_all();
    if (master_init_mode)
        exit(0);
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = SIG_DFL;
    sigemptyset(&sa.sa_mask);
    if (sigaction(sig, &sa, (struct sigaction *)0) < 0)
        msg_fatal("master_sig_death: sigaction: %m");
    if (kill(getpid(), sig) < 0)
        msg_fatal("master_sig_death: kill myself: %m");
    exit(0);
}

/* master_sig_event - act on the signals that arrived */
static void master_sig_event(int event, void *context)
{
    unsigned char buf[64];
    ssize_t n;
    ssize_t i;
    int hup = 0;
    int chld = 0;

    while ((n = read(master_sig_pipe[0], buf, sizeof(buf))) > 0) {
        for (i = 0; i < n; i++) {
            switch (buf[i]) {
            case SIGHUP:
                hup = 1;
                break;
            case SIGCHLD:
                chld = 1;
                break;
            default:
                master_sig_death(buf[i]);
            }
        }
    }
    if (chld) {
        if (msg_verbose)
            msg_info("got sigchld");
        master_reap_child();
    }
    if (hup)
        master_refresh();
}

/* master_sig_init - install the handlers */
void master_sig_init(void)
{
    static const int sigs[] = {SIGHUP, SIGCHLD, SIGTERM, SIGINT, SIGQUIT};
    struct sigaction sa;
    size_t i;

    if (pipe(master_sig_pipe) < 0)
        msg_fatal("master_sig_init: pipe: %m");
    non_blocking(master_sig_pipe[0], NON_BLOCKING);
    non_blocking(master_sig_pipe[1], NON_BLOCKING);
    close_on_exec(master_sig_pipe[0], CLOSE_ON_EXEC);
    close_on_exec(master_sig_pipe[1], CLOSE_ON_EXEC);
    event_enable_read(master_sig_pipe[0], master_sig_event, (void *)0);

    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sa.sa_handler = master_sig_catch;
    for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        if (sigaction(sigs[i], &sa, (struct sigaction *)0) < 0)
            msg_fatal("master_sig_init: sigaction(%d): %m", sigs[i]);
    sa.sa_handler = SIG_IGN;
    if (sigaction(SIGPIPE, &sa, (struct sigaction *)0) < 0)
        msg_fatal("master_sig_init: sigaction(%d): %m", SIGPIPE);
}
