/*
 * bounce - client of the bounce service (see bounce.h for the protocol).
 *
 * Exports bounce_append(), bounce_flush(), bounce_flush_verp(),
 * bounce_one(), and the low-level requests bounce_command_append() and
 * bounce_command_flush() that defer.c and trace.c share. Failures of the
 * service are logged; a recipient whose bounce could not be recorded is
 * deferred instead of being lost, and the caller learns it from a non-zero
 * result.
 */

#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "deliver_request.h"
#include "dsn_util.h"
#include "log_adhoc.h"
#include "mail_command_client.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "trace.h"
#include "verify.h"
#include "vstring.h"

/* bounce_command_append - one APPEND request */
int bounce_command_append(const char *service, int flags, const char *id, const RECIPIENT *rcpt,
                          const DSN *dsn)
{
    return (mail_command_client(
        MAIL_CLASS_PRIVATE, service, MAIL_ATTR_PROTO_BOUNCE,
        SEND_ATTR_INT(MAIL_ATTR_NREQ, BOUNCE_CMD_APPEND), SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags),
        SEND_ATTR_STR(MAIL_ATTR_QUEUEID, id), SEND_ATTR_FUNC(rcpt_print, (const void *)rcpt),
        SEND_ATTR_FUNC(dsn_print, (const void *)dsn), ATTR_TYPE_END));
}

/* bounce_command_flush - one FLUSH, WARN or TRACE request */
int bounce_command_flush(const char *service, int command, int flags, const char *queue,
                         const char *id, const char *encoding, int smtputf8, const char *sender,
                         const char *dsn_envid, int dsn_ret)
{
    return (mail_command_client(
        MAIL_CLASS_PRIVATE, service, MAIL_ATTR_PROTO_BOUNCE, SEND_ATTR_INT(MAIL_ATTR_NREQ, command),
        SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags), SEND_ATTR_STR(MAIL_ATTR_QUEUE, queue),
        SEND_ATTR_STR(MAIL_ATTR_QUEUEID, id),
        SEND_ATTR_STR(MAIL_ATTR_ENCODING, encoding ? encoding : ""),
        SEND_ATTR_INT(MAIL_ATTR_SMTPUTF8, smtputf8), SEND_ATTR_STR(MAIL_ATTR_SENDER, sender),
        SEND_ATTR_STR(MAIL_ATTR_DSN_ENVID, dsn_envid ? dsn_envid : ""),
        SEND_ATTR_INT(MAIL_ATTR_DSN_RET, dsn_ret), ATTR_TYPE_END));
}

/* bounce_checked_status - a 5.x.x status, or 5.0.0 with a warning */
static const char *bounce_checked_status(const char *who, const char *status)
{
    if (status[0] != '5' || dsn_valid(status) == 0 || dsn_valid(status) != strlen(status)) {
        msg_warn("%s: ignoring dsn code \"%s\"", who, status);
        return ("5.0.0");
    }
    return (status);
}

/* bounce_soft - the same failure as a deferral (soft_bounce = yes) */
static int bounce_soft(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                       const char *relay, DSN *dsn)
{
    DSN soft = *dsn;
    char status[DSN_BUFSIZE];

    memcpy(status, dsn->status, strlen(dsn->status) + 1);
    status[0] = '4';
    soft.status = status;
    soft.action = DSN_ACTION_DELAYED;
    return (defer_append(flags, id, stats, rcpt, relay, &soft));
}

/* bounce_probe - an address probe's failure goes to verify or trace */
static int bounce_probe(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                        const char *relay, DSN *dsn)
{
    DSN probe = *dsn;

    probe.action = DSN_ACTION_UNDELIVERABLE;
    if (flags & DEL_REQ_FLAG_MTA_VRFY)
        return (verify_append(id, stats, rcpt, relay, &probe, DEL_RCPT_STAT_BOUNCE));
    log_adhoc(id, stats, rcpt, relay, &probe, "undeliverable");
    return (trace_append(flags, id, stats, rcpt, relay, &probe));
}

/* bounce_service_failed - defer a recipient whose bounce was not recorded */
static int bounce_service_failed(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                                 const char *relay, const DSN *dsn)
{
    DSN failed = *dsn;
    VSTRING *why = vstring_alloc(100);
    int status;

    vstring_sprintf(why, "%s or %s service failure", var_bounce_service_name,
                    var_trace_service_name);
    failed.status = "4.3.0";
    failed.action = DSN_ACTION_DELAYED;
    failed.reason = vstring_str(why);
    status = defer_append(flags, id, stats, rcpt, relay, &failed);
    vstring_free(why);
    return (status);
}

/* bounce_append - record a failed recipient */
int bounce_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                  DSN *dsn)
{
    DSN my_dsn = *dsn;

    my_dsn.status = bounce_checked_status("bounce_append", dsn->status);
    if (*my_dsn.action == 0)
        my_dsn.action = DSN_ACTION_FAILED;
    if (DEL_REQ_TRACE_ONLY(flags))
        return (bounce_probe(flags, id, stats, rcpt, relay, &my_dsn));
    if (var_soft_bounce)
        return (bounce_soft(flags, id, stats, rcpt, relay, &my_dsn));
    if (((flags & DEL_REQ_FLAG_RECORD) == 0 ||
         trace_append(flags, id, stats, rcpt, relay, &my_dsn) == 0) &&
        bounce_command_append(var_bounce_service_name, flags, id, rcpt, &my_dsn) == 0) {
        log_adhoc(id, stats, rcpt, relay, &my_dsn, "bounced");
        return (0);
    }
    return (bounce_service_failed(flags, id, stats, rcpt, relay, &my_dsn));
}

/* bounce_flush - the bounce log becomes a non-delivery notice */
int bounce_flush(int flags, const char *queue, const char *id, const char *encoding, int smtputf8,
                 const char *sender, const char *dsn_envid, int dsn_ret)
{
    /* With soft_bounce nothing was bounced; probes never send notices. */
    if (var_soft_bounce || DEL_REQ_TRACE_ONLY(flags))
        return (-1);
    if (bounce_command_flush(var_bounce_service_name, BOUNCE_CMD_FLUSH, flags, queue, id, encoding,
                             smtputf8, sender, dsn_envid, dsn_ret) == 0)
        return (0);
    msg_warn("%s: %s service failure", id, var_bounce_service_name);
    return (-1);
}

/* bounce_flush_verp - as bounce_flush, one notice per recipient */
int bounce_flush_verp(int flags, const char *queue, const char *id, const char *encoding,
                      int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret,
                      const char *verp_delims)
{
    if (var_soft_bounce || DEL_REQ_TRACE_ONLY(flags))
        return (-1);
    if (mail_command_client(
            MAIL_CLASS_PRIVATE, var_bounce_service_name, MAIL_ATTR_PROTO_BOUNCE,
            SEND_ATTR_INT(MAIL_ATTR_NREQ, BOUNCE_CMD_VERP), SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags),
            SEND_ATTR_STR(MAIL_ATTR_QUEUE, queue), SEND_ATTR_STR(MAIL_ATTR_QUEUEID, id),
            SEND_ATTR_STR(MAIL_ATTR_ENCODING, encoding ? encoding : ""),
            SEND_ATTR_INT(MAIL_ATTR_SMTPUTF8, smtputf8), SEND_ATTR_STR(MAIL_ATTR_SENDER, sender),
            SEND_ATTR_STR(MAIL_ATTR_DSN_ENVID, dsn_envid ? dsn_envid : ""),
            SEND_ATTR_INT(MAIL_ATTR_DSN_RET, dsn_ret), SEND_ATTR_STR(MAIL_ATTR_VERPDL, verp_delims),
            ATTR_TYPE_END) == 0)
        return (0);
    msg_warn("%s: %s service failure", id, var_bounce_service_name);
    return (-1);
}

/* bounce_one - a notice for one recipient, without a log */
int bounce_one(int flags, const char *queue, const char *id, const char *encoding, int smtputf8,
               const char *sender, const char *dsn_envid, int dsn_ret, MSG_STATS *stats,
               RECIPIENT *rcpt, const char *relay, DSN *dsn)
{
    DSN my_dsn = *dsn;

    my_dsn.status = bounce_checked_status("bounce_one", dsn->status);
    if (*my_dsn.action == 0)
        my_dsn.action = DSN_ACTION_FAILED;
    if (DEL_REQ_TRACE_ONLY(flags))
        return (bounce_probe(flags, id, stats, rcpt, relay, &my_dsn));
    if (var_soft_bounce)
        return (bounce_soft(flags, id, stats, rcpt, relay, &my_dsn));
    if (((flags & DEL_REQ_FLAG_RECORD) == 0 ||
         trace_append(flags, id, stats, rcpt, relay, &my_dsn) == 0) &&
        mail_command_client(
            MAIL_CLASS_PRIVATE, var_bounce_service_name, MAIL_ATTR_PROTO_BOUNCE,
            SEND_ATTR_INT(MAIL_ATTR_NREQ, BOUNCE_CMD_ONE), SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags),
            SEND_ATTR_STR(MAIL_ATTR_QUEUE, queue), SEND_ATTR_STR(MAIL_ATTR_QUEUEID, id),
            SEND_ATTR_STR(MAIL_ATTR_ENCODING, encoding ? encoding : ""),
            SEND_ATTR_INT(MAIL_ATTR_SMTPUTF8, smtputf8), SEND_ATTR_STR(MAIL_ATTR_SENDER, sender),
            SEND_ATTR_STR(MAIL_ATTR_DSN_ENVID, dsn_envid ? dsn_envid : ""),
            SEND_ATTR_INT(MAIL_ATTR_DSN_RET, dsn_ret),
            SEND_ATTR_FUNC(rcpt_print, (const void *)rcpt),
            SEND_ATTR_FUNC(dsn_print, (const void *)&my_dsn), ATTR_TYPE_END) == 0) {
        log_adhoc(id, stats, rcpt, relay, &my_dsn, "bounced");
        return (0);
    }
    return (bounce_service_failed(flags, id, stats, rcpt, relay, &my_dsn));
}
