/*
 * qmgr_entry - delivery requests: a batch of recipients of one message for
 * one destination queue.
 *
 * qmgr_entry_create() appends a new, empty entry to a peer (and so to its
 * queue's todo list); the caller adds recipients. qmgr_entry_select_mark()
 * moves an entry from todo to busy when the scheduler hands it to a
 * delivery agent (and warns, as Postfix does, when one destination clogs
 * the active queue: qmgr_clog_warn_time). qmgr_entry_done() forgets an
 * entry that was delivered or deferred, and cascades: recipient slots that
 * the message's jobs no longer need go back to their transports (see
 * qmgr_job.c), an empty peer goes (and with its last peer, the job), an
 * empty live queue goes, and a message without entries goes to
 * qmgr_active_done(), which may free the message or read more recipients.
 * Callers must not touch the entry, its peer or queue afterwards.
 * qmgr_entry_refill() asks for more recipients of a message when it has
 * room for them (both when an entry is handed out and when one is done).
 */

#include "events.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"

#include "qmgr.h"

/* qmgr_entry_create - new todo entry for a peer */
QMGR_ENTRY *qmgr_entry_create(QMGR_PEER *peer, QMGR_MESSAGE *message)
{
    QMGR_ENTRY *entry;
    QMGR_QUEUE *queue = peer->queue;

    if (QMGR_QUEUE_THROTTLED(queue))
        msg_panic("qmgr_entry_create: destination %s is suspended", queue->name);
    entry = (QMGR_ENTRY *)mymalloc(sizeof(*entry));
    entry->stream = 0;
    entry->message = message;
    recipient_list_init(&entry->rcpt_list, RCPT_LIST_INIT_QUEUE);
    entry->queue = queue;
    entry->peer = peer;
    QMGR_LIST_APPEND(queue->todo, entry, queue_peers);
    QMGR_LIST_APPEND(peer->entry_list, entry, peer_peers);
    queue->todo_refcount++;
    peer->refcount++;
    peer->job->entries_todo++;
    message->refcount++;
    queue->transport->blocker_tag++;
    return (entry);
}

/*
 * qmgr_entry_clog_warn - a destination holds a big share of the active
 * queue: say so, with the likely remedy, at most once per
 * qmgr_clog_warn_time per destination (with helpful_warnings).
 */
static void qmgr_entry_clog_warn(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;
    int length = queue->todo_refcount + queue->busy_refcount;
    double share;
    time_t now;

    if (!var_helpful_warnings || var_qmgr_clog_warn_time <= 0 ||
        length <= var_qmgr_message_active_limit / 5 || qmgr_message_count <= 0 ||
        (now = event_time()) < queue->clog_time_to_warn)
        return;
    share = length / (double)qmgr_message_count;
    msg_warn("mail for %s is using up %d of %d active queue entries", queue->nexthop, length,
             qmgr_message_count);
    if (share < 0.9)
        msg_warn("this may slow down other mail deliveries");
    if (transport->dest_concurrency_limit > 0 &&
        transport->dest_concurrency_limit <= queue->busy_refcount + 1)
        msg_warn("you may need to increase the main.cf %s%s from %d", transport->name,
                 "_destination_concurrency_limit", transport->dest_concurrency_limit);
    else if (queue->window > var_qmgr_message_active_limit * share)
        msg_warn("you may need to increase the main.cf %s from %d", "qmgr_message_active_limit",
                 var_qmgr_message_active_limit);
    else if (queue->peers.next != queue->peers.prev)
        msg_warn("you may need a separate master.cf transport for %s", queue->nexthop);
    else {
        msg_warn("you may need to reduce %s connect and helo timeouts", transport->name);
        msg_warn("so that Postfix quickly skips unavailable hosts");
        msg_warn("you may need to increase the main.cf %s and %s", "minimal_backoff_time",
                 "maximal_backoff_time");
        msg_warn("so that Postfix wastes less time on undeliverable mail");
        msg_warn("you may need to increase the master.cf %s process limit", transport->name);
    }
    msg_warn("please avoid flushing the whole queue when you have");
    msg_warn("lots of deferred mail, that is bad for performance");
    msg_warn("to turn off these warnings specify: %s = 0", "qmgr_clog_warn_time");
    queue->clog_time_to_warn = now + var_qmgr_clog_warn_time;
}

/* qmgr_entry_select_mark - the entry goes to a delivery agent */
void qmgr_entry_select_mark(QMGR_ENTRY *entry)
{
    QMGR_QUEUE *queue = entry->queue;
    QMGR_PEER *peer = entry->peer;

    qmgr_entry_clog_warn(queue);

    QMGR_LIST_UNLINK(queue->todo, entry, queue_peers);
    QMGR_LIST_UNLINK(peer->entry_list, entry, peer_peers);
    QMGR_LIST_APPEND(queue->busy, entry, queue_peers);
    queue->todo_refcount--;
    queue->busy_refcount++;
    peer->job->entries_todo--;
    peer->job->entries_busy++;
    queue->transport->busy++;
    /* A job that is being served reads more recipients when it may. */
    if (entry->message->rcpt_offset != 0)
        qmgr_entry_refill(entry->message, queue->transport);
}

/*
 * qmgr_entry_refill - note that a message whose deliveries are under way
 * may read more recipients, once it has room for this transport's refill
 * limit of recipients (its in-memory allowance, see qmgr_job.c, less what
 * it holds), or has any room and its last read is the refill delay old.
 * The read itself happens in qmgr_message_refill_pending(), after new mail
 * had its chance at the active queue: a big mailing list keeps its
 * deliveries going without a stall at the end of each batch, and single
 * messages still find room beside it.
 */
void qmgr_entry_refill(QMGR_MESSAGE *message, QMGR_TRANSPORT *transport)
{
    int room = message->rcpt_limit - message->rcpt_count;

    if (message->rcpt_offset == 0 || room <= 0)
        return;
    if (room < transport->refill_limit &&
        event_time() - message->refill_time < transport->refill_delay)
        return;
    qmgr_message_refill_request(message);
}

/*
 * entry_done_limits - recipients are gone: slots that the message's jobs
 * no longer need go back to the transports (only once the message is fully
 * read; until then they are for its next recipients)
 */
static void entry_done_limits(QMGR_JOB *job)
{
    QMGR_MESSAGE *message = job->message;
    QMGR_JOB *sponsor;

    if (message->rcpt_offset != 0)
        return;
    for (sponsor = message->job_list.next; sponsor; sponsor = sponsor->message_peers.next)
        if (sponsor != job && sponsor->rcpt_count < sponsor->rcpt_limit)
            qmgr_job_move_limits(sponsor);
    qmgr_job_move_limits(job);
}

/* qmgr_entry_done - forget a delivered or deferred entry */
void qmgr_entry_done(QMGR_ENTRY *entry, int which)
{
    QMGR_QUEUE *queue = entry->queue;
    QMGR_PEER *peer = entry->peer;
    QMGR_MESSAGE *message = entry->message;
    QMGR_TRANSPORT *transport = queue->transport;

    if (which == QMGR_QUEUE_TODO) {
        QMGR_LIST_UNLINK(queue->todo, entry, queue_peers);
        QMGR_LIST_UNLINK(peer->entry_list, entry, peer_peers);
        queue->todo_refcount--;
        peer->job->entries_todo--;
    } else if (which == QMGR_QUEUE_BUSY) {
        QMGR_LIST_UNLINK(queue->busy, entry, queue_peers);
        queue->busy_refcount--;
        peer->job->entries_busy--;
        transport->busy--;
    } else {
        msg_panic("qmgr_entry_done: bad list %d", which);
    }
    if (entry->stream)
        vstream_fclose(entry->stream);
    message->rcpt_count -= entry->rcpt_list.len;
    peer->job->rcpt_count -= entry->rcpt_list.len;
    qmgr_recipient_count -= entry->rcpt_list.len;
    recipient_list_free(&entry->rcpt_list);
    myfree(entry);
    entry_done_limits(peer->job);

    /* A freed window slot may unblock jobs. */
    transport->blocker_tag++;

    /* A rate-limited destination waits before its next delivery. */
    if (which == QMGR_QUEUE_BUSY && transport->rate_delay > 0) {
        if (queue->window > 1)
            msg_panic("qmgr_entry_done: queue %s/%s: window %d > 1 on rate-limited service",
                      transport->name, queue->name, queue->window);
        qmgr_queue_suspend(queue, transport->rate_delay);
    }
    if (--peer->refcount == 0)
        qmgr_peer_free(peer);
    qmgr_queue_done(queue);
    if (--message->refcount == 0)
        qmgr_active_done(message);
    else if (message->rcpt_offset > 0)
        qmgr_entry_refill(message, transport);
}
