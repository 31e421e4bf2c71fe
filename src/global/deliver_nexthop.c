/*
 * deliver_nexthop - the delivery of agents that deliver nothing.
 *
 * discard(8), error(8) and retry report every recipient of a request with
 * one status: the text that the queue manager passes as the next hop is the
 * reason, optionally led by a status code ("5.1.1 no such user"); without
 * one, def_dsn applies. deliver_nexthop_all() writes each recipient's
 * record with append (sent, bounce_append or defer_append; relay=none) and
 * marks the recipient done in the queue file when the record was written,
 * the request is not trace-only and it carries done_flag
 * (DEL_REQ_FLAG_SUCCESS or DEL_REQ_FLAG_BOUNCE). It returns non-zero when
 * any record could not be written, so that the request is deferred.
 *
 * Failure: an empty next hop or recipient list is a protocol bug and fatal
 * (the queue manager then defers the request).
 */

#include "bounce.h"
#include "deliver_completed.h"
#include "deliver_nexthop.h"
#include "dsn.h"
#include "dsn_util.h"
#include "msg.h"

/* deliver_nexthop_all - report every recipient with the next-hop text */
int deliver_nexthop_all(DELIVER_REQUEST *rq, const char *def_dsn, DELIVER_NEXTHOP_FN append,
                        int done_flag)
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
    dsn_split(&dp, def_dsn, rq->nexthop);
    DSN_SIMPLE(&dsn, dp.dsn.data, dp.text);
    for (n = 0; n < rq->rcpt_list.len; n++) {
        rcpt = rq->rcpt_list.info + n;
        status = append(DEL_REQ_TRACE_FLAGS(rq->flags), rq->queue_id, &rq->msg_stats, rcpt,
                        NO_RELAY_AGENT, &dsn);
        if (status == 0 && !DEL_REQ_TRACE_ONLY(rq->flags) && (rq->flags & done_flag))
            deliver_completed(rq->fp, rcpt->offset);
        result |= status;
    }
    return (result);
}
