/*
 * deliver_pass - pass one recipient on to another delivery agent.
 *
 * Exports deliver_pass(). The other agent gets the same queue file, sender,
 * client attributes and time stamps as this one, but only one recipient
 * and possibly another next hop; it does the logging, bouncing or
 * deferring and marks the recipient done itself. Only when it cannot be
 * reached, or breaks off the conversation, does this module defer the
 * recipient on its behalf.
 */

#include <string.h>

#include "defer.h"
#include "deliver_pass.h"
#include "dsn.h"
#include "dsn_buf.h"
#include "iostuff.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"

/* deliver_pass_fail - defer the recipient because the agent is unusable */
static int deliver_pass_fail(DELIVER_REQUEST *request, RECIPIENT *rcpt)
{
    DSN dsn;

    return (defer_append(DEL_REQ_TRACE_FLAGS(request->flags), request->queue_id,
                         &request->msg_stats, rcpt, "none",
                         DSN_SIMPLE(&dsn, "4.3.0", "mail transport unavailable")));
}

/* deliver_pass - one recipient to class/transport[:nexthop] */
int deliver_pass(const char *class, const char *transport, DELIVER_REQUEST *request,
                 RECIPIENT *rcpt)
{
    char *name = mystrdup(transport);
    char *nexthop = strchr(name, ':');
    DELIVER_REQUEST copy = *request;
    VSTREAM *stream;
    int status;

    if (nexthop != 0)
        *nexthop++ = 0;
    if (nexthop == 0 || *nexthop == 0)
        nexthop = request->nexthop;
    if (*name == 0) {
        msg_warn("missing transport name in \"%s\"", transport);
        myfree(name);
        return (deliver_pass_fail(request, rcpt));
    }
    if ((stream = mail_connect(class, name, BLOCKING)) == 0) {
        msg_warn("connect to transport %s/%s: %m", class, name);
        myfree(name);
        return (deliver_pass_fail(request, rcpt));
    }
    vstream_set_timeout(stream, var_ipc_timeout);
    copy.nexthop = nexthop;
    copy.rcpt_list.info = rcpt;
    copy.rcpt_list.len = 1;
    copy.rcpt_list.avail = 1;
    if (deliver_request_send(stream, &copy) != 0 ||
        deliver_request_reply(stream, (struct DSN_BUF *)0, &status) != 0) {
        msg_warn("%s: transport %s failed the delivery request", request->queue_id, name);
        status = deliver_pass_fail(request, rcpt);
    }
    (void)vstream_fclose(stream);
    myfree(name);
    return (status);
}
