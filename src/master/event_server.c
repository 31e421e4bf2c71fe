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
 * so that the master starts a fresh one at once. That bookkeeping is shared
 * with multi_server (mail_server_clients.c); this file says how a client is
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

static MAIL_SERVER event_server;
static EVENT_SERVER_FN event_server_service;

/* event_server_disconnect - the service is done with a client */
void event_server_disconnect(VSTREAM *stream)
{
    mail_server_clients_disconnect(stream);
}

/* event_server_drain - stop accepting; finish current clients in a copy */
int event_server_drain(void)
{
    return (mail_server_clients_drain());
}

/* event_server_wakeup - hand a new client to the service, non-blocking */
static void event_server_wakeup(int fd)
{
    MAIL_SERVER *ms = &event_server;
    VSTREAM *stream;

    non_blocking(fd, NON_BLOCKING);
    stream = vstream_fdopen(fd, O_RDWR);
    mail_server_flow_delay(ms);
    if (ms->post_accept)
        ms->post_accept(stream, ms->service_name, ms->argv);
    event_server_service(stream, ms->service_name, ms->argv);
}

/* event_server_stand_alone - -S: standard input is the only client */
static void event_server_stand_alone(int fd)
{
    MAIL_SERVER *ms = &event_server;

    event_server_service(vstream_fdopen(fd, O_RDWR), ms->service_name, ms->argv);
}

/* event_server_main - the daemon's main program */
void event_server_main(int argc, char **argv, EVENT_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &event_server;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "event_server", MAIL_SERVER_OPTS_STREAM, argc, argv, ap);
    va_end(ap);
    event_server_service = service;
    mail_server_need_transport(ms, MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX,
                               MASTER_XPORT_NAME_PASS, (char *)0);
    mail_server_drop_privileges(ms);
    mail_server_clients_run(ms, event_server_wakeup, event_server_stand_alone);
}
