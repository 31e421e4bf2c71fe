/*
 * discard - the discard delivery agent: pretend to deliver every recipient
 * of a delivery request, logging the next-hop text as the reason.
 *
 * Each recipient is reported as sent (status 2.0.0 unless the next-hop
 * text starts with another code; relay=none), which writes the trace
 * record when the sender asked for a success notice, and is then marked
 * done in the queue file. Nothing is written anywhere else.
 *
 * Failure: an empty reason or recipient list is a protocol bug and fatal
 * (the queue manager defers the request); a recipient whose trace record
 * cannot be written is deferred by sent() and not marked done.
 */

#include <signal.h>

#include "deliver_nexthop.h"
#include "deliver_request.h"
#include "mail_server.h"
#include "msg.h"
#include "sent.h"

/* discard_service - one delivery request per connection */
static void discard_service(VSTREAM *client, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if (argv[0] != 0)
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if ((rq = deliver_request_read(client)) == 0)
        return;
    status = deliver_nexthop_all(rq, "2.0.0", sent, DEL_REQ_FLAG_SUCCESS);
    deliver_request_done(client, rq, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, discard_service, 0);
}
