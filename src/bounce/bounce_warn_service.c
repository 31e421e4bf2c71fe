/*
 * bounce_warn_service - WARN (delay warnings from the defer log) and
 * TRACE (delivery status reports from the trace log).
 *
 * Exports bounce_warn_service() and bounce_trace_service(). A delay
 * warning goes to the sender (unless NOTIFY excludes DELAY) and, with
 * notify_classes "delay", a copy to delay_notice_recipient; the defer log
 * is kept, since the message is still queued. A trace report goes to the
 * sender and removes the trace log. Nothing is sent for mail from the
 * null sender or the double-bounce address. Failure to post is -1.
 */

#include <errno.h>
#include <strings.h>

#include "bounce.h"
#include "bounce_service.h"
#include "deliver_request.h"
#include "dsn_mask.h"
#include "mail_addr.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "post_mail.h"

/* bounce_no_notice - senders that never get a notice */
static int bounce_no_notice(const char *sender)
{
    return (*sender == 0 || strcasecmp(sender, mail_addr_double_bounce()) == 0);
}

/* bounce_warn_service - a delay warning for the defer log */
int bounce_warn_service(int flags, const char *queue_name, const char *queue_id,
                        const char *encoding, int smtputf8, const char *sender,
                        const char *dsn_envid, int dsn_ret, BOUNCE_TEMPLATES *ts)
{
    BOUNCE_INFO *info;
    int status = 0;

    if (bounce_no_notice(sender))
        return (0);
    info = bounce_info_create(MAIL_QUEUE_DEFER, (BOUNCE_LOG *)0, queue_name, queue_id, encoding,
                              smtputf8, sender, dsn_envid, ts->delay);
    status = bounce_post(info, "", sender, 0, DSN_NOTIFY_DELAY, DSN_RET_HDRS,
                         "sender delay notification");
    if (status == 0 && (mail_error_mask(var_notify_classes) & MAIL_ERROR_DELAY) &&
        bounce_post(info, mail_addr_double_bounce(), var_delay_notice_recipient, 1,
                    BOUNCE_NOTIFY_ALL, DSN_RET_HDRS, "postmaster delay notification") != 0)
        msg_warn("%s: postmaster delay notification failed", queue_id);
    bounce_info_free(info);
    return (status);
}

/* bounce_trace_service - a delivery status report for the trace log */
int bounce_trace_service(int flags, const char *queue_name, const char *queue_id,
                         const char *encoding, int smtputf8, const char *sender,
                         const char *dsn_envid, int dsn_ret, BOUNCE_TEMPLATES *ts)
{
    BOUNCE_INFO *info;
    int status = 0;
    const BOUNCE_TEMPLATE *t;

    /* sendmail -bv/-v ask for a report; NOTIFY=SUCCESS for a success notice. */
    t = (flags & (DEL_REQ_FLAG_USR_VRFY | DEL_REQ_FLAG_RECORD)) ? ts->verify : ts->success;
    if (!bounce_no_notice(sender)) {
        info = bounce_info_create(MAIL_QUEUE_TRACE, (BOUNCE_LOG *)0, queue_name, queue_id, encoding,
                                  smtputf8, sender, dsn_envid, t);
        status = bounce_post(info, "", sender, 0, BOUNCE_NOTIFY_ALL, DSN_RET_HDRS,
                             "sender delivery status notification");
        bounce_info_free(info);
    }
    if (status == 0 && mail_queue_remove(MAIL_QUEUE_TRACE, queue_id) < 0 && errno != ENOENT)
        msg_fatal("remove %s %s: %m", MAIL_QUEUE_TRACE, queue_id);
    return (status);
}
