/*
 * qmgr_job - jobs, peers and the preemptive choice of the next delivery.
 *
 * A job is one message within one transport; a peer is that job's share of
 * one destination queue. Each transport keeps its jobs in two lists: by
 * arrival (job_bytime) and in scheduler order (job_list), which starts out
 * the same and changes only by preemption.
 *
 * qmgr_job_entry_select() picks the next delivery of a transport: the first
 * job in scheduler order that has a destination with room in its window
 * (jobs without one are "blockers", skipped until the transport's blocker
 * tag changes), round robin over that job's destinations. Before it does,
 * a smaller job may preempt the current one. Each delivery of a job earns
 * it one slot; slot_cost slots make one delivery that another job may take.
 * A candidate qualifies when it needs no more deliveries than the current
 * job can ever offer (what it has saved plus what its remaining deliveries
 * will earn, at least minimum_delivery_slots); among those the one with
 * the best age per delivery wins, and it moves in front of the current job
 * once the current job has saved enough, counting slot_loan slots and a
 * slot_discount percent as an advance. Preemption never changes which
 * recipients are delivered, only when: a mailing list keeps its delivery
 * rate while single messages slip past it.
 *
 * In-memory recipients. Each transport has a pool of <transport>_
 * recipient_limit recipient slots that it lends to its jobs; a job's slots
 * (plus qmgr_message_recipient_minimum) bound how many recipients of its
 * message qmgr_message_realloc() may hold in memory. A new job takes
 * whatever the pool has. A job keeps its slots while its message has
 * unread recipients; once the message is fully read, every slot the job
 * does not need for its in-memory recipients goes back, and whenever the
 * pool has slots they go to the oldest job (by arrival) whose message is
 * not fully read, which is where better recipient counts help the
 * scheduler most. A new unread job that arrives in front of that job
 * takes its unused slots away. An unread job that preempts gets half of
 * what is left of the pool plus the extra pool (<transport>_extra_
 * recipient_limit), so that it reads more than minimal batches; the pool
 * goes negative meanwhile and is repaid first. qmgr_job_move_limits()
 * returns what a job no longer needs.
 */

#include <string.h>

#include "events.h"
#include "htable.h"
#include "msg.h"
#include "mymalloc.h"

#include "qmgr.h"

/* job_unread - does the job's message still have recipients in the queue file */
static int job_unread(QMGR_JOB *job)
{
    return (job->message->rcpt_offset != 0);
}

/* job_lend - move recipient slots from the transport's pool to a job */
static void job_lend(QMGR_JOB *job, int slots)
{
    job->rcpt_limit += slots;
    job->message->rcpt_limit += slots;
    job->transport->rcpt_unused -= slots;
}

/* job_return_unused - give the slots the job does not need back to the pool */
static void job_return_unused(QMGR_JOB *job)
{
    QMGR_MESSAGE *message = job->message;
    int unused = job->rcpt_limit - job->rcpt_count;

    /* Recipients that other jobs of the message sponsored are not unused. */
    if (unused > message->rcpt_limit - message->rcpt_count)
        unused = message->rcpt_limit - message->rcpt_count;
    if (unused > 0)
        job_lend(job, -unused);
}

/* pool_pass_on - the pool's slots go to the first job that is not fully read */
static void pool_pass_on(QMGR_TRANSPORT *transport)
{
    QMGR_JOB *next = transport->job_next_unread;

    if (next != 0 && transport->rcpt_unused > 0) {
        job_lend(next, transport->rcpt_unused);
        if (msg_verbose)
            msg_info("%s: %s: recipient slots %d", transport->name, next->message->queue_id,
                     next->rcpt_limit);
        /* The slots are useful only if the message reads more recipients. */
        if (next->message->refcount > 0)
            qmgr_entry_refill(next->message, transport);
    }
}

/* next_unread_advance - the job after this one (by arrival) that is not fully read */
static void next_unread_advance(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;
    QMGR_JOB *next;

    if (transport->job_next_unread != job)
        return;
    for (next = job->time_peers.next; next; next = next->time_peers.next)
        if (job_unread(next))
            break;
    transport->job_next_unread = next;
}

/* qmgr_job_move_limits - return a job's unused recipient slots and pass them on */
void qmgr_job_move_limits(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;

    /* A fully read job stops being the one that collects the slots. */
    if (!job_unread(job))
        next_unread_advance(job);
    job_return_unused(job);
    pool_pass_on(transport);
}

/* job_link_limits - a new job borrows from its transport's pool */
static void job_link_limits(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;
    QMGR_JOB *next = transport->job_next_unread;

    /*
     * An unread job in front of the collecting one: a later batch of an
     * older message brought its first recipient for this transport. It
     * takes over, and the job that collected so far keeps what it uses.
     */
    if (job_unread(job) && (next == 0 || job->message->queued_time < next->message->queued_time)) {
        transport->job_next_unread = job;
        if (next != 0)
            job_return_unused(next);
    }
    if (transport->rcpt_unused > 0)
        job_lend(job, transport->rcpt_unused);
}

/* qmgr_job_obtain - find or create the job of a message within a transport */
QMGR_JOB *qmgr_job_obtain(QMGR_MESSAGE *message, QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job;
    QMGR_JOB *after;

    for (job = message->job_list.next; job; job = job->message_peers.next)
        if (job->transport == transport)
            return (job);
    job = (QMGR_JOB *)mycalloc(1, sizeof(*job));
    job->message = message;
    job->transport = transport;
    job->peer_byname = htable_create(0);
    QMGR_LIST_INIT(job->peer_list);
    QMGR_LIST_APPEND(message->job_list, job, message_peers);

    /*
     * Keep both lists in arrival order for new jobs: a job created for a
     * later recipient batch of an old message goes where the message's age
     * puts it.
     */
    for (after = transport->job_bytime.prev; after; after = after->time_peers.prev)
        if (after->message->queued_time <= message->queued_time)
            break;
    if (after == 0)
        QMGR_LIST_PREPEND(transport->job_bytime, job, time_peers);
    else if (after->time_peers.next == 0)
        QMGR_LIST_APPEND(transport->job_bytime, job, time_peers);
    else
        QMGR_LIST_INSERT_BEFORE(transport->job_bytime, after->time_peers.next, job, time_peers);
    for (after = transport->job_list.prev; after; after = after->transport_peers.prev)
        if (after->message->queued_time <= message->queued_time)
            break;
    if (after == 0)
        QMGR_LIST_PREPEND(transport->job_list, job, transport_peers);
    else if (after->transport_peers.next == 0)
        QMGR_LIST_APPEND(transport->job_list, job, transport_peers);
    else
        QMGR_LIST_INSERT_BEFORE(transport->job_list, after->transport_peers.next, job,
                                transport_peers);
    job_link_limits(job);
    transport->blocker_tag++;
    return (job);
}

/* qmgr_job_free - forget a job that has no destinations left */
void qmgr_job_free(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;

    if (job->peer_list.next != 0 || job->rcpt_count != 0)
        msg_panic("qmgr_job_free: job of %s still has recipients", job->message->queue_id);

    /* All its slots go back; a later batch of the message borrows anew. */
    next_unread_advance(job);
    job_lend(job, -job->rcpt_limit);
    QMGR_LIST_UNLINK(job->message->job_list, job, message_peers);
    QMGR_LIST_UNLINK(transport->job_list, job, transport_peers);
    QMGR_LIST_UNLINK(transport->job_bytime, job, time_peers);
    htable_free(job->peer_byname, (void (*)(void *))0);
    myfree(job);
    pool_pass_on(transport);
}

/* qmgr_peer_obtain - find or create a job's share of a destination */
QMGR_PEER *qmgr_peer_obtain(QMGR_JOB *job, QMGR_QUEUE *queue)
{
    QMGR_PEER *peer;

    if ((peer = (QMGR_PEER *)htable_find(job->peer_byname, queue->name)) != 0)
        return (peer);
    peer = (QMGR_PEER *)mycalloc(1, sizeof(*peer));
    peer->job = job;
    peer->queue = queue;
    QMGR_LIST_INIT(peer->entry_list);
    QMGR_LIST_APPEND(job->peer_list, peer, peers);
    htable_enter(job->peer_byname, queue->name, (void *)peer);
    return (peer);
}

/* qmgr_peer_free - forget a peer without entries; the job goes with its last peer */
void qmgr_peer_free(QMGR_PEER *peer)
{
    QMGR_JOB *job = peer->job;

    if (peer->refcount != 0)
        msg_panic("qmgr_peer_free: peer %s still has %d entries", peer->queue->name,
                  peer->refcount);
    if (job->peer_next == peer)
        job->peer_next = peer->peers.next;
    QMGR_LIST_UNLINK(job->peer_list, peer, peers);
    htable_delete(job->peer_byname, peer->queue->name, (void (*)(void *))0);
    myfree(peer);
    if (job->peer_list.next == 0)
        qmgr_job_free(job);
}

/* peer_selectable - does this peer have a delivery that may start now */
static int peer_selectable(QMGR_PEER *peer)
{
    return (peer->entry_list.next != 0 && !QMGR_QUEUE_THROTTLED(peer->queue) &&
            QMGR_QUEUE_READY(peer->queue));
}

/* qmgr_job_peer_select - round robin over the job's destinations */
static QMGR_PEER *qmgr_job_peer_select(QMGR_JOB *job)
{
    QMGR_PEER *start = job->peer_next ? job->peer_next : job->peer_list.next;
    QMGR_PEER *peer = start;

    if (peer == 0)
        return (0);
    do {
        if (peer_selectable(peer))
            return (peer);
        peer = peer->peers.next ? peer->peers.next : job->peer_list.next;
    } while (peer != start);
    return (0);
}

/* job_blocked - has this job nothing to offer now (cached per blocker tag) */
static int job_blocked(QMGR_JOB *job)
{
    if (job->blocker_tag == job->transport->blocker_tag)
        return (1);
    if (qmgr_job_peer_select(job) == 0) {
        job->blocker_tag = job->transport->blocker_tag;
        return (1);
    }
    return (0);
}

/*
 * qmgr_job_entries_left - deliveries this job still needs, at most: as with
 * Postfix, each unread recipient of the message may need a delivery of its
 * own.
 */
long qmgr_job_entries_left(QMGR_JOB *job)
{
    QMGR_MESSAGE *message = job->message;
    long unread = 0;

    if (message->rcpt_offset != 0 && message->rcpt_unread > 0)
        unread = message->rcpt_unread;
    return (job->entries_todo + unread);
}

/* effective_slot_cost - the slot cost the algorithm can use (0: no preemption) */
static int effective_slot_cost(QMGR_TRANSPORT *transport)
{
    if (transport->slot_cost <= 0)
        return (0);
    return (transport->slot_cost < 2 ? 2 : transport->slot_cost);
}

/* qmgr_job_candidate - a job that may preempt the current one, if it may now */
static QMGR_JOB *qmgr_job_candidate(QMGR_JOB *current)
{
    QMGR_TRANSPORT *transport = current->transport;
    int cost = effective_slot_cost(transport);
    long max_slots;
    long need = 0;
    double best_score = -1;
    QMGR_JOB *best = 0;
    QMGR_JOB *job;
    time_t now = event_time();

    if (cost == 0)
        return (0);
    max_slots = (current->slots_available + qmgr_job_entries_left(current)) / cost;
    if (max_slots < transport->min_slots)
        return (0);
    for (job = current->transport_peers.next; job; job = job->transport_peers.next) {
        long left;
        double score;

        if (job_blocked(job))
            continue;
        if ((left = qmgr_job_entries_left(job)) <= 0 || left > max_slots)
            continue;
        score = (double)(now - job->message->queued_time + 1) / left;
        if (score > best_score) {
            best_score = score;
            best = job;
            need = left;
        }
    }
    if (best == 0)
        return (0);
    /* Saved slots plus the loan must cover the discounted need. */
    if ((current->slots_available / cost + transport->slot_loan) * 100 <
        need * transport->slot_loan_factor)
        return (0);
    current->slots_available -= need * cost;
    return (best);
}

/*
 * job_preempt_limits - an unread job that preempts borrows half of what is
 * left of the pool and the extra pool together
 */
static void job_preempt_limits(QMGR_JOB *job)
{
    QMGR_TRANSPORT *transport = job->transport;
    int slots = (transport->rcpt_per_stack + transport->rcpt_unused + 1) / 2;

    if (!job_unread(job) || slots <= 0)
        return;
    job_lend(job, slots);
    if (msg_verbose)
        msg_info("%s: %s: recipient slots %d", transport->name, job->message->queue_id,
                 job->rcpt_limit);
}

/* qmgr_job_entry_select - the next delivery of this transport, or none */
QMGR_ENTRY *qmgr_job_entry_select(QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job;
    QMGR_JOB *candidate;
    QMGR_PEER *peer;
    QMGR_ENTRY *entry;

    for (job = transport->job_list.next; job; job = job->transport_peers.next)
        if (!job_blocked(job))
            break;
    if (job == 0)
        return (0);
    if ((candidate = qmgr_job_candidate(job)) != 0) {
        if (msg_verbose)
            msg_info("%s: %s preempts %s", transport->name, candidate->message->queue_id,
                     job->message->queue_id);
        QMGR_LIST_UNLINK(transport->job_list, candidate, transport_peers);
        QMGR_LIST_INSERT_BEFORE(transport->job_list, job, candidate, transport_peers);
        job = candidate;
        job_preempt_limits(job);
    }
    if ((peer = qmgr_job_peer_select(job)) == 0)
        msg_panic("qmgr_job_entry_select: selectable job without destination");
    job->peer_next = peer->peers.next;
    entry = peer->entry_list.next;
    job->selected_entries++;
    job->slots_available++;
    qmgr_entry_select_mark(entry);
    return (entry);
}
