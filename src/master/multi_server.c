/*
 * multi_server - skeleton for daemons that serve many clients at once.
 *
 * Exports multi_server_main(), multi_server_disconnect() and
 * multi_server_drain(). Each accepted client becomes a stream that the
 * skeleton watches; whenever the client has sent something, the service
 * function is called to read one request and answer it. The service ends a
 * client with multi_server_disconnect(). The process reports itself taken
 * only for the moment of an accept, so one process usually serves a whole
 * service (trivial-rewrite, proxymap, anvil).
 *
 * It exits after max_use clients or max_idle seconds without clients, or
 * when the master goes away. multi_server_drain() (and -r seconds) lets a
 * copy of the process finish the current clients while the original exits,
 * so that the master starts a fresh one at once. That bookkeeping is shared
 * with event_server (mail_server_clients.c); this file says how a client is
 * served.
 *
 * Transports: inet, unix, pass; -S serves standard input.
 *
 * Failure: accept errors other than a lost race are fatal.
 */

#include <fcntl.h>

#include "events.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

static MAIL_SERVER multi_server;
static MULTI_SERVER_FN multi_server_service;

/* multi_server_disconnect - the service is done with a client */
void multi_server_disconnect(VSTREAM *stream)
{
    mail_server_clients_disconnect(stream);
}

/* multi_server_drain - stop accepting; finish current clients in a copy */
int multi_server_drain(void)
{
    return (mail_server_clients_drain());
}

/* multi_server_execute - a client has sent something */
static void multi_server_execute(int event, void *context)
{
    MAIL_SERVER *ms = &multi_server;
    VSTREAM *stream = context;

    /* The service reads one request; anything left waits for the next turn. */
    multi_server_service(stream, ms->service_name, ms->argv);
}

/* multi_server_stream - a stream with the IPC timeout */
static VSTREAM *multi_server_stream(int fd)
{
    VSTREAM *stream = vstream_fdopen(fd, O_RDWR);

    vstream_set_timeout(stream, var_ipc_timeout);
    return (stream);
}

/* multi_server_wakeup - serve a new client whenever it sends a request */
static void multi_server_wakeup(int fd)
{
    MAIL_SERVER *ms = &multi_server;
    VSTREAM *stream;

    non_blocking(fd, BLOCKING);
    stream = multi_server_stream(fd);
    mail_server_flow_delay(ms);
    if (ms->post_accept)
        ms->post_accept(stream, ms->service_name, ms->argv);
    event_enable_read(fd, multi_server_execute, stream);
}

/* multi_server_stand_alone - -S: standard input is the only client */
static void multi_server_stand_alone(int fd)
{
    event_enable_read(fd, multi_server_execute, multi_server_stream(fd));
}

/* multi_server_main - the daemon's main program */
void multi_server_main(int argc, char **argv, MULTI_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &multi_server;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "multi_server", MAIL_SERVER_OPTS_STREAM, argc, argv, ap);
    va_end(ap);
    multi_server_service = service;
    mail_server_need_transport(ms, MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX,
                               MASTER_XPORT_NAME_PASS, (char *)0);
    mail_server_drop_privileges(ms);
    mail_server_clients_run(ms, multi_server_wakeup, multi_server_stand_alone);
}
