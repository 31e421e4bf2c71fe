/*
 * trace - client of the trace service (see trace.h; protocol in bounce.h).
 *
 * Exports trace_append() and trace_flush(). The reason of a trace record
 * names the delivery agent ("delivery via local: delivered to mailbox"),
 * because the report goes to a person who asked what would happen where.
 * Service failures are logged and returned as -1.
 */

#include <string.h>

#include "bounce.h"
#include "mail_params.h"
#include "msg.h"
#include "trace.h"
#include "vstring.h"

/* trace_append - one record for the trace log */
int trace_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                 DSN *dsn)
{
    DSN my_dsn = *dsn;
    VSTRING *why = 0;
    int status = 0;

    if (strcmp(relay, NO_RELAY_AGENT) != 0) {
        why = vstring_alloc(100);
        vstring_sprintf(why, "delivery via %s: %s", relay, dsn->reason);
        my_dsn.reason = vstring_str(why);
    }
    if (bounce_command_append(var_trace_service_name, flags, id, rcpt, &my_dsn) != 0) {
        msg_warn("%s: %s service failure", id, var_trace_service_name);
        status = -1;
    }
    if (why)
        vstring_free(why);
    return (status);
}

/* trace_flush - the trace log becomes a delivery status report */
int trace_flush(int flags, const char *queue, const char *id, const char *encoding, int smtputf8,
                const char *sender, const char *dsn_envid, int dsn_ret)
{
    if (bounce_command_flush(var_trace_service_name, BOUNCE_CMD_TRACE, flags, queue, id, encoding,
                             smtputf8, sender, dsn_envid, dsn_ret) == 0)
        return (0);
    msg_warn("%s: %s service failure", id, var_trace_service_name);
    return (-1);
}
