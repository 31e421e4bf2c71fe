/*
 * bounce_append_service - APPEND: add one recipient's record to the
 * per-message log of the bounce, defer or trace service.
 *
 * Exports bounce_append_service(). The write is durable before the reply
 * (bounce_log_append fsyncs), so an agent that hears "done" may mark the
 * recipient done in the queue file. Failure is reported to the client
 * (-1), which then keeps the recipient in the queue.
 */

#include "bounce_service.h"
#include "msg.h"

/* bounce_append_service - one record into log_queue/queue_id */
int bounce_append_service(int flags, const char *log_queue, const char *queue_id, RECIPIENT *rcpt,
                          DSN *dsn)
{
    if (msg_verbose)
        msg_info("%s: append %s record for <%s> (flags 0x%x)", queue_id, log_queue, rcpt->address,
                 (unsigned)flags);
    return (bounce_log_append(log_queue, queue_id, rcpt, dsn) == 0 ? 0 : -1);
}
