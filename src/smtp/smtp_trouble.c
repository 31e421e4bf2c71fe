/*
 * smtp_trouble - what happens to recipients when something goes wrong, and
 * when it goes right.
 *
 * A soft (4.x.x) failure on a server that is not the last one we may try
 * only marks the affected recipients KEEP: they go to the next server, and
 * the reason is logged as "QUEUEID: reason" for the record. Otherwise the
 * recipients are deferred (4.x.x) or bounced (5.x.x) with the reason, and
 * marked DROP. Site failures (greeting, HELO, lost connections) also make
 * the session unusable for reuse; message failures (MAIL FROM, DATA) do not.
 *
 * The reason text names the server and quotes its reply, as Postfix does:
 * "host mx.example.com[192.0.2.1] said: 550 5.1.1 <u@example.com>: ...
 * (in reply to RCPT TO command)". A reply whose code is neither 4xx nor
 * 5xx becomes a "Protocol error: " with status 5.5.0.
 *
 * A failure that quotes a server reply with a code outside 4xx/5xx, or
 * with 500-509 or 555 (syntax errors and unknown commands: a sign that
 * one of the two programs does not speak the protocol right), marks the
 * session with the "protocol" error class; a local data error marks it
 * "data". smtp_chat_notify() tells the postmaster when notify_classes has
 * the class. Ordinary rejections (550 and the like) are the other side's
 * policy, of no concern to our postmaster, and mark nothing.
 *
 * smtp_rcpt_done() reports a delivered recipient (sent(), action relayed
 * or delivered). Every function returns -1 when something failed, so that
 * the protocol code can "return smtp_xxx_fail(...)".
 */

#include <stdarg.h>
#include <string.h>
#include <sys/time.h>

#include "bounce.h"
#include "defer.h"
#include "deliver_completed.h"
#include "dsn_mask.h"
#include "mail_error.h"
#include "msg.h"
#include "sent.h"
#include "smtp.h"
#include "smtp_stream.h"

#define SMTP_THROTTLE 1
#define SMTP_NOTHROTTLE 0

/* smtp_relay_name - the relay= of log records */
static const char *smtp_relay_name(SMTP_STATE *state)
{
    return (state->session ? state->session->namaddrport : "none");
}

/* smtp_rcpt_drop - the recipient is final for this request */
void smtp_rcpt_drop(SMTP_STATE *state, RECIPIENT *rcpt)
{
    if (rcpt->u.status == SMTP_RCPT_DROP)
        msg_panic("smtp_rcpt_drop: recipient <%s> dropped twice", rcpt->address);
    rcpt->u.status = SMTP_RCPT_DROP;
    state->rcpt_left--;
}

/* smtp_rcpt_final - report one recipient's final failure */
static void smtp_rcpt_final(SMTP_STATE *state, RECIPIENT *rcpt, int soft)
{
    DELIVER_REQUEST *request = state->request;
    int status;

    status = (soft ? defer_append : bounce_append)(
        DEL_REQ_TRACE_FLAGS(request->flags), request->queue_id, &request->msg_stats, rcpt,
        smtp_relay_name(state), DSN_FROM_DSN_BUF(state->why));
    if (status == 0 && !DEL_REQ_TRACE_ONLY(request->flags))
        deliver_completed(state->src, rcpt->offset);
    smtp_rcpt_drop(state, rcpt);
    state->status |= status;
}

/* smtp_bulk_fail - keep, defer or bounce every unmarked recipient */
static int smtp_bulk_fail(SMTP_STATE *state, int throttle)
{
    DELIVER_REQUEST *request = state->request;
    int soft = (vstring_str(state->why->status)[0] == '4');
    RECIPIENT *rcpt;
    int n;

    if (soft && !state->final_server) {
        msg_info("%s: %s", request->queue_id, vstring_str(state->why->reason));
        for (n = 0; n < request->rcpt_list.len; n++) {
            rcpt = request->rcpt_list.info + n;
            if (rcpt->u.status == SMTP_RCPT_TODO)
                rcpt->u.status = SMTP_RCPT_KEEP;
        }
    } else {
        /* Failures before any conversation count as connection set-up time. */
        if (request->msg_stats.conn_setup_done.tv_sec == 0) {
            gettimeofday(&request->msg_stats.conn_setup_done, 0);
            request->msg_stats.deliver_done = request->msg_stats.conn_setup_done;
        } else {
            gettimeofday(&request->msg_stats.deliver_done, 0);
        }
        for (n = 0; n < request->rcpt_list.len; n++) {
            rcpt = request->rcpt_list.info + n;
            if (rcpt->u.status == SMTP_RCPT_TODO)
                smtp_rcpt_final(state, rcpt, soft);
        }
        if (throttle && soft && request->hop_status == 0)
            request->hop_status = dsn_copy(DSN_FROM_DSN_BUF(state->why));
    }
    if (throttle && state->session)
        state->session->bad = 1;
    return (-1);
}

/* smtp_check_code - a reply code that says someone broke the protocol */
static void smtp_check_code(SMTP_STATE *state, const char *mta, SMTP_RESP *resp)
{
    int code = resp->code;

    if (state->session == 0 || mta == 0)
        return;
    if (code < 400 || code > 599 || code == 555 || (code >= 500 && code < 510))
        state->session->error_mask |= MAIL_ERROR_PROTOCOL;
}

/* smtp_fill_dsn - the failure details, from a server reply or made up */
static void smtp_fill_dsn(SMTP_STATE *state, const char *mta, SMTP_RESP *resp, const char *fmt,
                          va_list ap)
{
    DSN_BUF *why = state->why;
    const char *status = resp->dsn;

    VSTRING_RESET(why->reason);
    if (mta && status[0] != '4' && status[0] != '5') {
        vstring_strcpy(why->reason, "Protocol error: ");
        status = "5.5.0";
    }
    vstring_vsprintf_append(why->reason, fmt, ap);
    dsb_formal(why, status, "", mta ? DSN_MTYPE_DNS : DSN_NO_MTYPE, mta ? mta : "",
               resp->str ? DSN_DTYPE_SMTP : DSN_NO_DTYPE, resp->str ? resp->str : "");
    smtp_check_code(state, mta, resp);
}

/* smtp_site_fail - the server cannot be used: all recipients, no reuse */
int smtp_site_fail(SMTP_STATE *state, const char *mta, SMTP_RESP *resp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    smtp_fill_dsn(state, mta, resp, fmt, ap);
    va_end(ap);
    return (smtp_bulk_fail(state, SMTP_THROTTLE));
}

/* smtp_mesg_fail - this message failed: all remaining recipients */
int smtp_mesg_fail(SMTP_STATE *state, const char *mta, SMTP_RESP *resp, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    smtp_fill_dsn(state, mta, resp, fmt, ap);
    va_end(ap);
    return (smtp_bulk_fail(state, SMTP_NOTHROTTLE));
}

/* smtp_rcpt_fail - one recipient failed */
void smtp_rcpt_fail(SMTP_STATE *state, RECIPIENT *rcpt, const char *mta, SMTP_RESP *resp,
                    const char *fmt, ...)
{
    va_list ap;
    int soft;

    if (rcpt->u.status != SMTP_RCPT_TODO)
        msg_panic("smtp_rcpt_fail: recipient <%s> is marked", rcpt->address);
    va_start(ap, fmt);
    smtp_fill_dsn(state, mta, resp, fmt, ap);
    va_end(ap);
    soft = (vstring_str(state->why->status)[0] == '4');
    if (soft && !state->final_server) {
        msg_info("%s: %s", state->request->queue_id, vstring_str(state->why->reason));
        rcpt->u.status = SMTP_RCPT_KEEP;
    } else {
        gettimeofday(&state->request->msg_stats.deliver_done, 0);
        smtp_rcpt_final(state, rcpt, soft);
    }
}

/* smtp_sess_fail - the failure in state->why applies to every recipient */
int smtp_sess_fail(SMTP_STATE *state)
{
    return (smtp_bulk_fail(state, SMTP_THROTTLE));
}

/* smtp_stream_except - lost connection or timeout */
int smtp_stream_except(SMTP_STATE *state, int code, const char *where)
{
    SMTP_SESSION *session = state->session;

    if (session == 0)
        msg_panic("smtp_stream_except: no session");
    switch (code) {
    case SMTP_ERR_EOF:
        dsb_simple(state->why, "4.4.2", "lost connection with %s while %s", session->namaddr,
                   where);
        break;
    case SMTP_ERR_TIME:
        dsb_simple(state->why, "4.4.2", "conversation with %s timed out while %s", session->namaddr,
                   where);
        break;
    default:
        session->error_mask |= MAIL_ERROR_DATA;
        dsb_simple(state->why, "4.3.0", "local data error while talking to %s", session->namaddr);
        break;
    }
    return (smtp_bulk_fail(state, SMTP_THROTTLE));
}

/* smtp_rcpt_done - the server took responsibility for the recipient */
void smtp_rcpt_done(SMTP_STATE *state, SMTP_RESP *resp, RECIPIENT *rcpt)
{
    DELIVER_REQUEST *request = state->request;
    SMTP_SESSION *session = state->session;
    const char *action;
    int status;

    /*
     * LMTP with lmtp_assume_final delivers for good. A server that speaks
     * DSN got the NOTIFY request and will send the success notice itself,
     * so we do not; one that does not speak DSN gets "relayed".
     */
    if (smtp_cfg.lmtp && smtp_cfg.assume_final) {
        action = DSN_ACTION_DELIVERED;
    } else {
        action = DSN_ACTION_RELAYED;
        if (session->features & SMTP_FEATURE_DSN)
            rcpt->dsn_notify &= ~DSN_NOTIFY_SUCCESS;
    }
    gettimeofday(&request->msg_stats.deliver_done, 0);
    dsb_update(state->why, resp->dsn, action, DSN_MTYPE_DNS, session->host, DSN_DTYPE_SMTP,
               resp->str, "%s", resp->str);
    status = sent(DEL_REQ_TRACE_FLAGS(request->flags), request->queue_id, &request->msg_stats, rcpt,
                  session->namaddrport, DSN_FROM_DSN_BUF(state->why));
    if (status == 0 && !DEL_REQ_TRACE_ONLY(request->flags))
        deliver_completed(state->src, rcpt->offset);
    smtp_rcpt_drop(state, rcpt);
    state->status |= status;
}
