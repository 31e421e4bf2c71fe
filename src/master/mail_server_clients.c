/*
 * mail_server_clients - the client bookkeeping of the multi-client skeletons.
 *
 * event_server and multi_server serve many clients in one process and
 * differ only in how a client, once accepted, is served (the event server
 * hands it to the service at once; the multi server calls the service each
 * time the client sends something). Everything else lives here, once: the
 * client count, the idle timer, accepting with the master told "taken" and
 * "available", max_use, the -r retirement time, draining (a copy of the
 * process finishes the current clients while the original exits so that
 * the master starts a fresh one), and -S (standard input as the only
 * client).
 *
 * Exports mail_server_clients_run(), mail_server_clients_disconnect() and
 * mail_server_clients_drain(). A process runs one skeleton, so the state is
 * per process.
 *
 * Failure: accept errors other than a lost race are fatal.
 */

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

static MAIL_SERVER *clients_ms;
static MAIL_SERVER_WAKEUP_FN clients_wakeup;
static int clients_count;
static int clients_draining;

/* clients_exit_now - exit, through the slow-exit hook when draining */
static void clients_exit_now(void)
{
    MAIL_SERVER *ms = clients_ms;

    if (clients_draining && ms->slow_exit)
        ms->slow_exit(ms->service_name, ms->argv);
    mail_server_exit(ms);
}

/* clients_abort - the master went away */
static void clients_abort(int event, void *context)
{
    if (msg_verbose)
        msg_info("master disconnect -- exiting");
    clients_exit_now();
}

/* clients_timeout - idle for too long */
static void clients_timeout(int event, void *context)
{
    if (msg_verbose)
        msg_info("idle timeout -- exiting");
    clients_exit_now();
}

/* mail_server_clients_disconnect - the service is done with a client */
void mail_server_clients_disconnect(VSTREAM *stream)
{
    MAIL_SERVER *ms = clients_ms;

    if (msg_verbose)
        msg_info("connection closed fd %d", vstream_fileno(stream));
    if (ms->pre_disconn)
        ms->pre_disconn(stream, ms->service_name, ms->argv);
    event_disable_readwrite(vstream_fileno(stream));
    (void)vstream_fclose(stream);
    clients_count--;
    if (clients_count == 0) {
        if (clients_draining)
            clients_exit_now();
        mail_server_idle_timer(ms, clients_timeout, 1);
    }
}

/* clients_accept - a listener is ready */
static void clients_accept(int event, void *context)
{
    MAIL_SERVER *ms = clients_ms;
    int listen_fd = (int)(long)context;
    int fd;

    if (mail_server_notify(ms, MASTER_STAT_TAKEN) < 0)
        clients_abort(0, 0);
    fd = mail_server_accept(ms, listen_fd);
    if (mail_server_notify(ms, MASTER_STAT_AVAIL) < 0)
        clients_abort(0, 0);
    if (fd < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_fatal("accept connection: %m");
        return;
    }
    if (msg_verbose)
        msg_info("connection established fd %d", fd);
    close_on_exec(fd, CLOSE_ON_EXEC);
    clients_count++;
    mail_server_idle_timer(ms, clients_timeout, 0);
    clients_wakeup(fd);
    ms->use_count++;
    if (var_max_use > 0 && ms->use_count >= var_max_use)
        (void)mail_server_clients_drain();
}

/* mail_server_clients_drain - stop accepting; finish current clients in a copy */
int mail_server_clients_drain(void)
{
    MAIL_SERVER *ms = clients_ms;

    if (clients_draining)
        return (0);
    switch (fork()) {
    case -1:
        return (-1);
    case 0:
        /* The copy: no listeners, no master; exit when the clients are gone. */
        clients_draining = 1;
        event_fork();
        mail_server_unlisten_all(ms);
        event_disable_readwrite(MASTER_STATUS_FD);
        mail_server_close_inherited(ms);
        if (clients_count == 0)
            clients_exit_now();
        return (0);
    default:
        /* The original leaves, so that the master starts a fresh process. */
        exit(0);
    }
}

/* clients_retire - the -r time is up */
static void clients_retire(int event, void *context)
{
    if (msg_verbose)
        msg_info("time to retire -- exiting");
    if (mail_server_clients_drain() < 0)
        clients_exit_now();
}

/*
 * mail_server_clients_run - serve clients until it is time to exit
 *
 * With -S, standard input is the one client, handed to stand_alone(); the
 * process exits when the service disconnects it.
 */
void mail_server_clients_run(MAIL_SERVER *ms, MAIL_SERVER_WAKEUP_FN wakeup,
                             MAIL_SERVER_WAKEUP_FN stand_alone)
{
    clients_ms = ms;
    clients_wakeup = wakeup;
    if (ms->stand_alone) {
        clients_draining = 1;
        clients_count = 1;
        stand_alone(STDIN_FILENO);
    } else {
        mail_server_watch_master(ms, clients_abort);
        mail_server_listen_all(ms, clients_accept);
        mail_server_idle_timer(ms, clients_timeout, 1);
        if (ms->retire_time > 0)
            event_request_timer(clients_retire, ms, ms->retire_time);
    }
    mail_server_run(ms);
}
