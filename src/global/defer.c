/*
 * defer - client of the defer service (see defer.h; protocol in bounce.h).
 *
 * Exports defer_append(), defer_flush() and defer_warn(). defer_append()
 * reports a recipient as not done (-1); when the defer service cannot
 * record it, the warning is logged and the recipient simply stays in the
 * queue file, to be tried again: nothing is lost. A deferred recipient's
 * domain is also reported to the fast flush service (flush_add). An
 * address probe is the exception: it is done (0) once the verify or trace
 * service recorded the outcome, so that a probe is tried only once.
 */

#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "deliver_request.h"
#include "dsn_util.h"
#include "flush_clnt.h"
#include "log_adhoc.h"
#include "mail_params.h"
#include "msg.h"
#include "trace.h"
#include "verify.h"

/* defer_notify_flush - tell the fast flush service which site this message waits for */
static void defer_notify_flush(const char *id, const char *address)
{
    const char *domain = strrchr(address, '@');

    /* Here rather than in the defer service: it works even when that one is down. */
    if (domain == 0 || *++domain == 0)
        return;
    switch (flush_add(domain, id)) {
    case FLUSH_STAT_OK:
    case FLUSH_STAT_DENY:
        break;
    default:
        msg_warn("%s: %s service failure", id, var_flush_service_name);
        break;
    }
}

/* defer_append - record a deferred recipient */
int defer_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                 DSN *dsn)
{
    DSN my_dsn = *dsn;
    size_t len = dsn_valid(dsn->status);

    /* As Postfix: any status that is not a valid 4.x.x becomes 4.0.0. */
    if (dsn->status[0] != '4' || len == 0 || len != strlen(dsn->status)) {
        msg_warn("defer_append: ignoring dsn code \"%s\"", dsn->status);
        my_dsn.status = "4.0.0";
    }
    if (*my_dsn.action == 0)
        my_dsn.action = DSN_ACTION_DELAYED;

    /* A probe is done once its outcome is recorded, as in Postfix. */
    if (DEL_REQ_TRACE_ONLY(flags)) {
        my_dsn.action = DSN_ACTION_UNDELIVERABLE;
        if (flags & DEL_REQ_FLAG_MTA_VRFY)
            return (verify_append(id, stats, rcpt, relay, &my_dsn, DEL_RCPT_STAT_DEFER));
        log_adhoc(id, stats, rcpt, relay, &my_dsn, "undeliverable");
        return (trace_append(flags, id, stats, rcpt, relay, &my_dsn));
    }
    if (flags & DEL_REQ_FLAG_RECORD)
        (void)trace_append(flags, id, stats, rcpt, relay, &my_dsn);
    if (bounce_command_append(var_defer_service_name, flags, id, rcpt, &my_dsn) != 0)
        msg_warn("%s: %s service failure", id, var_defer_service_name);
    log_adhoc(id, stats, rcpt, relay, &my_dsn, "deferred");
    defer_notify_flush(id, rcpt->address);
    return (-1);
}

/* defer_flush - the message expired: the defer log becomes a bounce */
int defer_flush(int flags, const char *queue, const char *id, const char *encoding, int smtputf8,
                const char *sender, const char *dsn_envid, int dsn_ret)
{
    /*
     * The bounce service marks each returned recipient done in the queue
     * file once the notice is out: if the queue file survives (a crash
     * before qmgr removes it), those recipients are neither tried nor
     * returned a second time.
     */
    flags |= BOUNCE_FLAG_DELRCPT;
    if (bounce_command_flush(var_defer_service_name, BOUNCE_CMD_FLUSH, flags, queue, id, encoding,
                             smtputf8, sender, dsn_envid, dsn_ret) == 0)
        return (0);
    msg_warn("%s: %s service failure", id, var_defer_service_name);
    return (-1);
}

/* defer_warn - a delay warning for the defer log */
int defer_warn(int flags, const char *queue, const char *id, const char *encoding, int smtputf8,
               const char *sender, const char *dsn_envid, int dsn_ret)
{
    if (bounce_command_flush(var_defer_service_name, BOUNCE_CMD_WARN, flags, queue, id, encoding,
                             smtputf8, sender, dsn_envid, dsn_ret) == 0)
        return (0);
    msg_warn("%s: %s service failure", id, var_defer_service_name);
    return (-1);
}
