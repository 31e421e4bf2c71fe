/*
 * qmgr_notify - qmgr's clients of the status services (bounce, defer,
 * trace, sent), installed in the qmgr_notify table by qmgr_notify_init().
 *
 * The per-recipient requests (defer_append, bounce_append, sent) are short
 * and synchronous, as with Postfix. The requests that turn a log into a
 * notice (bounce flush, defer flush on expiry, delay warning, trace report)
 * make the bounce daemon compose and post a message through cleanup, which
 * can take a while; they are asynchronous so that the scheduler keeps
 * running meanwhile: the request is written, and the reply is read on the
 * event loop. Each one ends with exactly one call of its QMGR_NOTIFY_DONE
 * callback: 0 when the service did the work, -1 when the service could not
 * be reached, gave no valid reply, or did not reply within ipc_timeout (the
 * caller then keeps the message for another attempt).
 */

#include <string.h>

#include "attr.h"
#include "bounce.h"
#include "defer.h"
#include "deliver_request.h"
#include "events.h"
#include "iostuff.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "sent.h"
#include "vstream.h"

#include "qmgr.h"

/* One request in progress. */
typedef struct QMGR_NOTIFY_REQ {
    VSTREAM *stream;
    const char *service;
    QMGR_MESSAGE *message;
    QMGR_NOTIFY_DONE done;
    int announced; /* the service's protocol announcement was read */
} QMGR_NOTIFY_REQ;

/* qmgr_msg_stats - the time stamps of a message as qmgr knows them */
static MSG_STATS *qmgr_msg_stats(MSG_STATS *stats, QMGR_MESSAGE *message)
{
    msg_stats_init(stats);
    stats->incoming_arrival = message->arrival_time;
    stats->active_arrival = message->active_time;
    return (stats);
}

/* notify_defer_append - defer service: one deferred recipient */
static int notify_defer_append(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay,
                               const DSN *dsn)
{
    MSG_STATS stats;
    DSN copy = *dsn;

    return (defer_append(message->tflags, message->queue_id, qmgr_msg_stats(&stats, message), rcpt,
                         relay, &copy));
}

/* notify_bounce_append - bounce service: one failed recipient */
static int notify_bounce_append(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay,
                                const DSN *dsn)
{
    MSG_STATS stats;
    DSN copy = *dsn;

    return (bounce_append(message->tflags, message->queue_id, qmgr_msg_stats(&stats, message), rcpt,
                          relay, &copy));
}

/* notify_sent - log one recipient as delivered */
static int notify_sent(QMGR_MESSAGE *message, RECIPIENT *rcpt, const char *relay, const DSN *dsn)
{
    MSG_STATS stats;
    DSN copy = *dsn;

    return (sent(message->tflags, message->queue_id, qmgr_msg_stats(&stats, message), rcpt, relay,
                 &copy));
}

/* notify_finish - the request is over: report its status once */
static void notify_finish(QMGR_NOTIFY_REQ *req, int status)
{
    QMGR_MESSAGE *message = req->message;
    QMGR_NOTIFY_DONE done = req->done;

    if (status != 0)
        msg_warn("%s: %s service failure", message->queue_id, req->service);
    if (req->stream)
        (void)vstream_fclose(req->stream);
    myfree(req);
    done(status, message);
}

/* notify_event - the service answered, hung up, or timed out */
static void notify_event(int event, void *context)
{
    QMGR_NOTIFY_REQ *req = (QMGR_NOTIFY_REQ *)context;
    int status = -1;

    event_disable_readwrite(vstream_fileno(req->stream));
    event_cancel_timer(notify_event, context);
    if (event == EVENT_TIME) {
        msg_warn("%s: timeout waiting for the %s service", req->message->queue_id, req->service);
        notify_finish(req, -1);
        return;
    }

    /* The announcement comes first; the status may follow much later. */
    if (!req->announced) {
        if (attr_scan(req->stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_BOUNCE),
                      ATTR_TYPE_END) != 1) {
            msg_warn("private/%s service: no \"%s\" protocol announcement", req->service,
                     MAIL_ATTR_PROTO_BOUNCE);
            notify_finish(req, -1);
            return;
        }
        req->announced = 1;
        if (vstream_peek(req->stream) <= 0) {
            event_enable_read(vstream_fileno(req->stream), notify_event, context);
            event_request_timer(notify_event, context, var_ipc_timeout);
            return;
        }
    }
    if (attr_scan(req->stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                  ATTR_TYPE_END) != 1) {
        msg_warn("private/%s service: no status in reply", req->service);
        status = -1;
    }
    notify_finish(req, status);
}

/*
 * notify_request - send one FLUSH/WARN/VERP/TRACE request; the reply comes
 * to notify_event().
 */
static void notify_request(const char *service, int command, int flags, QMGR_MESSAGE *message,
                           const char *verp_delims, QMGR_NOTIFY_DONE done)
{
    QMGR_NOTIFY_REQ *req = (QMGR_NOTIFY_REQ *)mymalloc(sizeof(*req));
    int err;

    req->service = service;
    req->message = message;
    req->done = done;
    req->announced = 0;
    if ((req->stream = mail_connect(MAIL_CLASS_PRIVATE, service, BLOCKING)) == 0) {
        msg_warn("connect to %s/%s service: %m", MAIL_CLASS_PRIVATE, service);
        notify_finish(req, -1);
        return;
    }
    vstream_set_timeout(req->stream, var_ipc_timeout);

    /* The service reads the request after its announcement; it waits in the socket. */
    err = attr_print(
        req->stream, ATTR_FLAG_MORE, SEND_ATTR_INT(MAIL_ATTR_NREQ, command),
        SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags), SEND_ATTR_STR(MAIL_ATTR_QUEUE, message->queue_name),
        SEND_ATTR_STR(MAIL_ATTR_QUEUEID, message->queue_id),
        SEND_ATTR_STR(MAIL_ATTR_ENCODING, message->encoding ? message->encoding : ""),
        SEND_ATTR_INT(MAIL_ATTR_SMTPUTF8, message->smtputf8),
        SEND_ATTR_STR(MAIL_ATTR_SENDER, message->sender),
        SEND_ATTR_STR(MAIL_ATTR_DSN_ENVID, message->dsn_envid ? message->dsn_envid : ""),
        SEND_ATTR_INT(MAIL_ATTR_DSN_RET, message->dsn_ret), ATTR_TYPE_END);
    if (err == 0 && verp_delims)
        err = attr_print(req->stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_VERPDL, verp_delims),
                         ATTR_TYPE_END);
    else if (err == 0)
        err = attr_print(req->stream, ATTR_FLAG_NONE, ATTR_TYPE_END);
    if (err != 0 || vstream_fflush(req->stream) != 0) {
        msg_warn("write to %s/%s service: %m", MAIL_CLASS_PRIVATE, service);
        notify_finish(req, -1);
        return;
    }
    event_enable_read(vstream_fileno(req->stream), notify_event, (void *)req);
    event_request_timer(notify_event, (void *)req, var_ipc_timeout);
}

/* notify_bounce_flush - send the non-delivery notice for the bounce log */
static void notify_bounce_flush(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done)
{
    /* With soft_bounce nothing was bounced. */
    if (var_soft_bounce) {
        done(-1, message);
        return;
    }
    if (message->verp_delims)
        notify_request(var_bounce_service_name, BOUNCE_CMD_VERP, BOUNCE_FLAG_NONE, message,
                       message->verp_delims, done);
    else
        notify_request(var_bounce_service_name, BOUNCE_CMD_FLUSH, BOUNCE_FLAG_NONE, message,
                       (char *)0, done);
}

/*
 * notify_defer_flush - the message expired: bounce what the defer log
 * holds. The bounce service marks the returned recipients done.
 */
static void notify_defer_flush(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done)
{
    if (message->verp_delims)
        notify_request(var_defer_service_name, BOUNCE_CMD_VERP, BOUNCE_FLAG_DELRCPT, message,
                       message->verp_delims, done);
    else
        notify_request(var_defer_service_name, BOUNCE_CMD_FLUSH, BOUNCE_FLAG_DELRCPT, message,
                       (char *)0, done);
}

/* notify_defer_warn - send a delay warning */
static void notify_defer_warn(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done)
{
    notify_request(var_defer_service_name, BOUNCE_CMD_WARN, BOUNCE_FLAG_NONE, message, (char *)0,
                   done);
}

/* notify_trace_flush - send the delivery status report of sendmail -v/-bv */
static void notify_trace_flush(QMGR_MESSAGE *message, QMGR_NOTIFY_DONE done)
{
    notify_request(var_trace_service_name, BOUNCE_CMD_TRACE, message->tflags, message, (char *)0,
                   done);
}

/* qmgr_notify_init - use the real status services */
void qmgr_notify_init(void)
{
    qmgr_notify.defer_append = notify_defer_append;
    qmgr_notify.bounce_append = notify_bounce_append;
    qmgr_notify.sent = notify_sent;
    qmgr_notify.bounce_flush = notify_bounce_flush;
    qmgr_notify.defer_flush = notify_defer_flush;
    qmgr_notify.defer_warn = notify_defer_warn;
    qmgr_notify.trace_flush = notify_trace_flush;
}
