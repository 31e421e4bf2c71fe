/*
 * sent - record a successful delivery (see sent.h).
 *
 * Exports sent(). The status must be 2.x.x (anything else is logged and
 * becomes 2.0.0). When a requested trace record cannot be written, the
 * recipient is deferred rather than reported as sent, so that the sender
 * still gets the success notice that was asked for.
 */

#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "deliver_request.h"
#include "dsn_mask.h"
#include "dsn_util.h"
#include "log_adhoc.h"
#include "mail_params.h"
#include "msg.h"
#include "sent.h"
#include "trace.h"
#include "verify.h"
#include "vstring.h"

/* sent - log a delivery, and trace it when asked to */
int sent(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay, DSN *dsn)
{
    DSN my_dsn = *dsn;
    DSN failed;
    VSTRING *why;
    int status;

    if (dsn->status[0] != '2' || dsn_valid(dsn->status) != strlen(dsn->status)) {
        msg_warn("sent: ignoring dsn code \"%s\"", dsn->status);
        my_dsn.status = "2.0.0";
    }
    if (*my_dsn.action == 0)
        my_dsn.action = DSN_ACTION_DELIVERED;

    if (flags & DEL_REQ_FLAG_MTA_VRFY) {
        my_dsn.action = DSN_ACTION_DELIVERABLE;
        return (verify_append(id, stats, rcpt, relay, &my_dsn, DEL_RCPT_STAT_OK));
    }
    if (flags & DEL_REQ_FLAG_USR_VRFY) {
        my_dsn.action = DSN_ACTION_DELIVERABLE;
        log_adhoc(id, stats, rcpt, relay, &my_dsn, "deliverable");
        return (trace_append(flags, id, stats, rcpt, relay, &my_dsn));
    }
    if (((flags & DEL_REQ_FLAG_RECORD) == 0 && (rcpt->dsn_notify & DSN_NOTIFY_SUCCESS) == 0) ||
        trace_append(flags, id, stats, rcpt, relay, &my_dsn) == 0) {
        log_adhoc(id, stats, rcpt, relay, &my_dsn, "sent");
        return (0);
    }
    why = vstring_alloc(100);
    vstring_sprintf(why, "%s or %s service failure", var_bounce_service_name,
                    var_trace_service_name);
    failed = my_dsn;
    failed.status = "4.3.0";
    failed.action = DSN_ACTION_DELAYED;
    failed.reason = vstring_str(why);
    status = defer_append(flags, id, stats, rcpt, relay, &failed);
    vstring_free(why);
    return (status);
}
