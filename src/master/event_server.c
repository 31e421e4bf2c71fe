/*
 * event_server - skeleton for fully event-driven daemons.
 *
 * Exports event_server_main(), event_server_disconnect() and
 * event_server_drain(). The service function is called once per accepted
 * client, with a non-blocking stream, and from then on drives the client
 * with its own event callbacks (tlsmgr- or postscreen-style daemons); it
 * ends a client with event_server_disconnect(). The process reports itself
 * taken only for the moment of an accept.
 *
 * It exits after max_use clients or max_idle seconds without clients, or
 * when the master goes away. event_server_drain() (and -r seconds) lets a
 * copy of the process finish the current clients while the original exits,
 * so that the master starts a fresh one at once.
 *
 * Transports: inet, unix, pass; -S serves standard input.
 *
 * Failure: accept errors other than a lost race are fatal.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

static MAIL_SERVER event_server;
static EVENT_SERVER_FN event_server_service;
static int event_server_clients;
static int event_server_draining;

/* event_server_exit_now - exit, through the slow-exit hook when draining */
static void event_server_exit_now(void)
{
    MAIL_SERVER *ms = &event_server;

    if (event_server_draining && ms->slow_exit)
        ms->slow_exit(ms->service_name, ms->argv);
    mail_server_exit(ms);
}

/* event_server_abort - the master went away */
static void event_server_abort(int event, void *context)
{
    if (msg_verbose)
        msg_info("master disconnect -- exiting");
    event_server_exit_now();
}

/* event_server_timeout - idle for too long */
static void event_server_timeout(int event, void *context)
{
    if (msg_verbose)
        msg_info("idle timeout -- exiting");
    event_server_exit_now();
}

/* event_server_disconnect - the service is done with a client */
void event_server_disconnect(VSTREAM *stream)
{
    MAIL_SERVER *ms = &event_server;

    if (msg_verbose)
        msg_info("connection closed fd %d", vstream_fileno(stream));
    if (ms->pre_disconn)
        ms->pre_disconn(stream, ms->service_name, ms->argv);
    event_disable_readwrite(vstream_fileno(stream));
    (void)vstream_fclose(stream);
    event_server_clients--;
    if (event_server_clients == 0) {
        if (event_server_draining)
            event_server_exit_now();
        mail_server_idle_timer(ms, event_server_timeout, 1);
    }
}

/* event_server_wakeup - start watching a new client */
static void event_server_wakeup(int fd)
{
    MAIL_SERVER *ms = &event_server;
    VSTREAM *stream;

    if (msg_verbose)
        msg_info("connection established fd %d", fd);
    non_blocking(fd, NON_BLOCKING);
    close_on_exec(fd, CLOSE_ON_EXEC);
    event_server_clients++;
    mail_server_idle_timer(ms, event_server_timeout, 0);
    stream = vstream_fdopen(fd, O_RDWR);
    mail_server_flow_delay(ms);
    if (ms->post_accept)
        ms->post_accept(stream, ms->service_name, ms->argv);
    event_server_service(stream, ms->service_name, ms->argv);
}

/* event_server_accept - a listener is ready */
static void event_server_accept(int event, void *context)
{
    MAIL_SERVER *ms = &event_server;
    int listen_fd = (int)(long)context;
    int fd;

    if (mail_server_notify(ms, MASTER_STAT_TAKEN) < 0)
        event_server_abort(0, 0);
    fd = mail_server_accept(ms, listen_fd);
    if (mail_server_notify(ms, MASTER_STAT_AVAIL) < 0)
        event_server_abort(0, 0);
    if (fd < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_fatal("accept connection: %m");
        return;
    }
    event_server_wakeup(fd);
    ms->use_count++;
    if (var_max_use > 0 && ms->use_count >= var_max_use)
        (void)event_server_drain();
}

/* event_server_drain - stop accepting; finish current clients in a copy */
int event_server_drain(void)
{
    MAIL_SERVER *ms = &event_server;

    if (event_server_draining)
        return (0);
    switch (fork()) {
    case -1:
        return (-1);
    case 0:
        /* The copy: no listeners, no master; exit when the clients are gone. */
        event_server_draining = 1;
        event_fork();
        mail_server_unlisten_all(ms);
        event_disable_readwrite(MASTER_STATUS_FD);
        mail_server_close_inherited(ms);
        if (event_server_clients == 0)
            event_server_exit_now();
        return (0);
    default:
        /* The original leaves, so that the master starts a fresh process. */
        exit(0);
    }
}

/* event_server_retire - the -r time is up */
static void event_server_retire(int event, void *context)
{
    if (msg_verbose)
        msg_info("time to retire -- exiting");
    if (event_server_drain() < 0)
        event_server_exit_now();
}

/* event_server_main - the daemon's main program */
void event_server_main(int argc, char **argv, EVENT_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &event_server;
    VSTREAM *stream;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "event_server", MAIL_SERVER_OPTS_STREAM, argc, argv, ap);
    va_end(ap);
    event_server_service = service;
    if (!ms->stand_alone && strcasecmp(ms->transport, MASTER_XPORT_NAME_INET) != 0 &&
        strcasecmp(ms->transport, MASTER_XPORT_NAME_UNIX) != 0 &&
        strcasecmp(ms->transport, MASTER_XPORT_NAME_PASS) != 0)
        msg_fatal("unsupported transport type: %s", ms->transport);
    mail_server_drop_privileges(ms);

    if (ms->stand_alone) {
        event_server_draining = 1;
        event_server_clients = 1;
        stream = vstream_fdopen(STDIN_FILENO, O_RDWR);
        event_server_service(stream, ms->service_name, ms->argv);
    } else {
        mail_server_watch_master(ms, event_server_abort);
        mail_server_listen_all(ms, event_server_accept);
        mail_server_idle_timer(ms, event_server_timeout, 1);
        if (ms->retire_time > 0)
            event_request_timer(event_server_retire, ms, ms->retire_time);
    }
    mail_server_run(ms);
}
