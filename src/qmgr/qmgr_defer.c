/*
 * qmgr_defer - recipients that qmgr itself defers or bounces, without
 * asking a delivery agent: deferred transports, dead destinations and
 * transports, resolver failures, crashed agents; and the status services
 * behind them.
 *
 * qmgr_defer_recipient() logs one recipient through the defer service
 * (relay=none, status=deferred) and marks the message for another try.
 * qmgr_defer_todo() does that for every waiting entry of a destination,
 * qmgr_defer_transport() for every destination of a transport; both have
 * the side effects of qmgr_entry_done(). qmgr_bounce_recipient() logs one
 * recipient through the bounce service and marks it done in the queue
 * file, or leaves it for another try when the bounce service fails.
 *
 * The clients are reached through the qmgr_notify table, which
 * qmgr_notify_init() (qmgr_notify.c) points at the real bounce/defer/
 * trace/sent clients (module tests install their own).
 */

#include <sys/time.h>

#include "argv.h"
#include "bounce.h"
#include "mail_params.h"
#include <string.h>
#include "defer.h"
#include "deliver_request.h"
#include "msg.h"
#include "sent.h"
#include "trace.h"

#include "qmgr.h"

QMGR_NOTIFY qmgr_notify;
static ARGV *defer_xports;

/* qmgr_defer_xport_match - is this transport in defer_transports */
int qmgr_defer_xport_match(const char *transport)
{
    int i;

    if (defer_xports == 0)
        defer_xports = argv_split(var_defer_transports, ", \t\r\n");
    for (i = 0; i < defer_xports->argc; i++)
        if (strcmp(defer_xports->argv[i], transport) == 0)
            return (1);
    return (0);
}

/* qmgr_defer_recipient - defer one recipient without trying it */
void qmgr_defer_recipient(QMGR_MESSAGE *message, RECIPIENT *rcpt, const DSN *dsn)
{
    (void)qmgr_notify.defer_append(message, rcpt, "none", dsn);
    message->flags |= QMGR_DELIVER_STAT_DEFER;
}

/* qmgr_bounce_recipient - bounce one recipient without trying it */
void qmgr_bounce_recipient(QMGR_MESSAGE *message, RECIPIENT *rcpt, const DSN *dsn)
{
    if (qmgr_notify.bounce_append(message, rcpt, "none", dsn) == 0 &&
        qmgr_message_mark_done(message, rcpt->offset) == 0)
        return;
    message->flags |= QMGR_DELIVER_STAT_DEFER;
}

/* qmgr_defer_todo - defer everything waiting for a destination */
void qmgr_defer_todo(QMGR_QUEUE *queue, const DSN *dsn)
{
    QMGR_ENTRY *entry;
    QMGR_ENTRY *next;
    RECIPIENT *rcpt;

    /* The last qmgr_entry_done() may free the queue: never look back. */
    for (entry = queue->todo.next; entry; entry = next) {
        next = entry->queue_peers.next;
        for (rcpt = entry->rcpt_list.info; rcpt < entry->rcpt_list.info + entry->rcpt_list.len;
             rcpt++)
            qmgr_defer_recipient(entry->message, rcpt, dsn);
        qmgr_entry_done(entry, QMGR_QUEUE_TODO);
    }
}

/* qmgr_defer_transport - defer everything waiting for a transport */
void qmgr_defer_transport(QMGR_TRANSPORT *transport, const DSN *dsn)
{
    QMGR_QUEUE *queue;
    QMGR_QUEUE *next;

    for (queue = transport->queue_list.next; queue; queue = next) {
        next = queue->peers.next;
        qmgr_defer_todo(queue, dsn);
    }
}
