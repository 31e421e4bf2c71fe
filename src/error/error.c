/*
 * error - the error and retry delivery agents: fail every recipient of a
 * delivery request with the reason that the queue manager passes as the
 * next hop ("5.1.1 no such user", or plain text).
 *
 * One program, two services, told apart by the master.cf service name:
 * "error" bounces (default status 5.0.0), "retry" defers (default status
 * 4.0.0). A status code at the start of the next-hop text is used instead
 * of the default. Recipients that are final (bounced) are marked done in
 * the queue file; the reply tells the queue manager whether anything must
 * be tried again.
 *
 * Failure: an unknown service name, an empty reason or an empty recipient
 * list are configuration or protocol bugs and are fatal; the queue manager
 * then defers the request.
 */

#include <signal.h>
#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "deliver_nexthop.h"
#include "deliver_request.h"
#include "mail_server.h"
#include "msg.h"

/* error_service - one delivery request per connection */
static void error_service(VSTREAM *client, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if (argv[0] != 0)
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if ((rq = deliver_request_read(client)) == 0)
        return;
    if (strcmp(service, "error") == 0)
        status = deliver_nexthop_all(rq, "5.0.0", bounce_append, DEL_REQ_FLAG_BOUNCE);
    else if (strcmp(service, "retry") == 0)
        status = deliver_nexthop_all(rq, "4.0.0", defer_append, DEL_REQ_FLAG_BOUNCE);
    else
        msg_fatal("bad error service name: %s", service);
    deliver_request_done(client, rq, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, error_service, 0);
}
