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

#include "bounce.h"
#include "deliver_completed.h"
#include "deliver_request.h"
#include "dsn.h"
#include "dsn_util.h"
#include "mail_server.h"
#include "msg.h"
#include "sent.h"

/* discard_deliver - log every recipient as sent */
static int discard_deliver(DELIVER_REQUEST *rq)
{
    DSN_SPLIT dp;
    DSN dsn;
    RECIPIENT *rcpt;
    int result = 0;
    int status;
    int n;

    if (rq->nexthop[0] == 0)
        msg_fatal("empty nexthop hostname");
    if (rq->rcpt_list.len <= 0)
        msg_fatal("recipient count: %d", rq->rcpt_list.len);
    dsn_split(&dp, "2.0.0", rq->nexthop);
    DSN_SIMPLE(&dsn, dp.dsn.data, dp.text);
    for (n = 0; n < rq->rcpt_list.len; n++) {
        rcpt = rq->rcpt_list.info + n;
        status = sent(DEL_REQ_TRACE_FLAGS(rq->flags), rq->queue_id, &rq->msg_stats, rcpt,
                      NO_RELAY_AGENT, &dsn);
        if (status == 0 && !DEL_REQ_TRACE_ONLY(rq->flags) && (rq->flags & DEL_REQ_FLAG_SUCCESS))
            deliver_completed(rq->fp, rcpt->offset);
        result |= status;
    }
    return (result);
}

/* discard_service - one delivery request per connection */
static void discard_service(VSTREAM *client, char *service, char **argv)
{
    DELIVER_REQUEST *rq;
    int status;

    if (argv[0] != 0)
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if ((rq = deliver_request_read(client)) == 0)
        return;
    status = discard_deliver(rq);
    deliver_request_done(client, rq, status ? DEL_STAT_DEFER : DEL_STAT_FINAL);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    single_server_main(argc, argv, discard_service, 0);
}
