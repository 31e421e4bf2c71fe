/*
 * qmgr_deliver - hand one entry to a delivery agent and act on the reply.
 *
 * qmgr_deliver() is called with a connection to a delivery agent of the
 * transport (see qmgr_transport_alloc()). It picks the transport's next
 * entry (qmgr_job_entry_select), sends the delivery request and returns;
 * the reply arrives on the event loop. The agent logs every recipient
 * itself (sent, bounced or deferred) and marks final ones done in the queue
 * file; its reply says whether anything must be tried again, and carries a
 * "hop status" when the destination itself failed (connection or
 * handshake), which is negative concurrency feedback for the destination
 * and may declare it dead. A reply without hop status is positive feedback.
 *
 * An agent that does not answer within daemon_timeout makes qmgr exit, as
 * Postfix's does ("timeout receiving delivery status from transport").
 * An agent that closes the connection without a reply has crashed: the
 * transport is suspended for transport_retry_time, the recipients of the
 * entry that are still undelivered in the queue file, and all that waits
 * for the transport, are deferred ("unknown mail transport error"). An
 * agent that does not announce its protocol is treated as unavailable.
 */

#include <string.h>
#include <sys/time.h>

#include "deliver_request.h"
#include "dsn_buf.h"
#include "events.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

#include "qmgr.h"

/* verp_sender_of - the sender address that encodes one recipient (VERP) */
static const char *verp_sender_of(VSTRING *buf, const char *delims, const char *sender,
                                  const char *recipient)
{
    const char *s_at = strrchr(sender, '@');
    const char *r_at = strrchr(recipient, '@');

    vstring_strncpy(buf, sender, s_at ? (size_t)(s_at - sender) : strlen(sender));
    VSTRING_ADDCH(buf, delims[0]);
    if (r_at) {
        vstring_strncat(buf, recipient, r_at - recipient);
        VSTRING_ADDCH(buf, delims[1]);
        vstring_strcat(buf, r_at + 1);
    } else {
        vstring_strcat(buf, recipient);
    }
    if (s_at)
        vstring_strcat(buf, s_at);
    return (vstring_str(buf));
}

/* qmgr_deliver_crash - the agent died: defer what it did not finish */
static void qmgr_deliver_crash(QMGR_ENTRY *entry, const char *reason)
{
    QMGR_TRANSPORT *transport = entry->queue->transport;
    QMGR_MESSAGE *message = entry->message;
    RECIPIENT *rcpt;
    DSN dsn;

    (void)DSN_SIMPLE(&dsn, "4.3.0", reason);
    message->flags |= QMGR_DELIVER_STAT_DEFER;
    for (rcpt = entry->rcpt_list.info; rcpt < entry->rcpt_list.info + entry->rcpt_list.len; rcpt++)
        if (qmgr_message_rcpt_todo(message, rcpt->offset))
            qmgr_defer_recipient(message, rcpt, &dsn);
    qmgr_transport_throttle(transport, &dsn);
    qmgr_defer_transport(transport, &dsn);
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
}

/*
 * qmgr_deliver_abort - timer: an agent that never answers.
 *
 * Delivery agents have their own watchdogs and time limits, so this means
 * a broken system. As Postfix does, qmgr gives up and exits: the master
 * starts a new one, which finds the message in the active queue and tries
 * again (after the cool-down for files that a stuck agent still locks).
 */
static void qmgr_deliver_abort(int unused_event, void *context)
{
    QMGR_ENTRY *entry = (QMGR_ENTRY *)context;

    msg_fatal("%s: timeout receiving delivery status from transport: %s", entry->message->queue_id,
              entry->queue->transport->name);
}

/* qmgr_deliver_update - the agent's reply */
static void qmgr_deliver_update(int unused_event, void *context)
{
    QMGR_ENTRY *entry = (QMGR_ENTRY *)context;
    QMGR_QUEUE *queue = entry->queue;
    QMGR_TRANSPORT *transport = queue->transport;
    DSN_BUF *dsb = dsb_create();
    DSN *hop;
    int status = 0;

    event_cancel_timer(qmgr_deliver_abort, context);
    event_disable_readwrite(vstream_fileno(entry->stream));
    if (deliver_request_reply(entry->stream, dsb, &status) < 0) {
        msg_warn("transport %s failure -- see a previous warning/fatal/panic logfile record "
                 "for the problem description",
                 transport->name);
        qmgr_deliver_crash(entry, "delivery temporarily suspended: unknown mail transport error");
        dsb_free(dsb);
        return;
    }
    if (status != 0)
        entry->message->flags |= QMGR_DELIVER_STAT_DEFER;
    hop = DSN_FROM_DSN_BUF(dsb);
    if (hop->status[0] != 0) {
        qmgr_queue_throttle(queue, hop);
        if (QMGR_QUEUE_THROTTLED(queue))
            qmgr_defer_todo(queue, queue->dsn);
    } else {
        qmgr_queue_success(queue);
    }
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    dsb_free(dsb);
}

/* qmgr_deliver - send the transport's next entry to this agent */
void qmgr_deliver(QMGR_TRANSPORT *transport, VSTREAM *stream)
{
    static VSTRING *verp_buf;
    QMGR_ENTRY *entry;
    QMGR_MESSAGE *message;
    DELIVER_REQUEST request;

    if (QMGR_TRANSPORT_THROTTLED(transport) || (entry = qmgr_job_entry_select(transport)) == 0) {
        /* Things changed while the agent was on its way. */
        vstream_fclose(stream);
        return;
    }
    entry->stream = stream;
    message = entry->message;
    memset(&request, 0, sizeof(request));
    request.flags = message->tflags | entry->queue->dflags |
                    (message->inspect_xport ? DEL_REQ_FLAG_BOUNCE : DEL_REQ_FLAG_DEFLT);
    request.queue_name = message->queue_name;
    request.queue_id = message->queue_id;
    request.data_offset = message->data_offset;
    request.data_size = message->cont_length;
    request.nexthop = entry->queue->nexthop;
    request.encoding = message->encoding;
    request.sendopts = message->smtputf8;
    request.sender = message->sender;
    if (message->verp_delims && entry->rcpt_list.len == 1) {
        if (verp_buf == 0)
            verp_buf = vstring_alloc(100);
        request.sender = (char *)verp_sender_of(verp_buf, message->verp_delims, message->sender,
                                                entry->rcpt_list.info[0].address);
    }
    request.dsn_envid = message->dsn_envid;
    request.dsn_ret = message->dsn_ret;
    msg_stats_init(&request.msg_stats);
    request.msg_stats.incoming_arrival = message->arrival_time;
    request.msg_stats.active_arrival = message->active_time;
    gettimeofday(&request.msg_stats.agent_handoff, (struct timezone *)0);
    request.rcpt_list = entry->rcpt_list;
    request.client_name = message->client_name;
    request.client_addr = message->client_addr;
    request.client_port = message->client_port;
    request.client_origin = "";
    request.client_helo = message->client_helo;
    request.client_proto = message->client_proto;
    request.rewrite_context = message->rewrite_context;
    request.sasl_method = message->sasl_method;
    request.sasl_username = message->sasl_username;
    request.sasl_sender = message->sasl_sender;
    request.log_ident = message->log_ident;
    if (deliver_request_send(stream, &request) < 0) {
        msg_warn("connect to transport %s/%s: incomplete protocol handshake", "private",
                 transport->name);
        qmgr_deliver_crash(entry, "mail transport unavailable");
        return;
    }
    event_enable_read(vstream_fileno(stream), qmgr_deliver_update, (void *)entry);
    event_request_timer(qmgr_deliver_abort, (void *)entry, var_daemon_timeout);
}
