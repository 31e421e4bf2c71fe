/*
 * qmgr_queue - per-destination queues and their concurrency window.
 *
 * Each transport keeps one queue per destination. A queue holds the
 * entries waiting for delivery (todo) and those being delivered (busy),
 * and a concurrency window: how many deliveries to this destination may
 * run at once. The window starts at the transport's initial concurrency,
 * grows with positive feedback (deliveries that reached the destination)
 * and shrinks with negative feedback (connection or handshake failures),
 * within 1..the destination concurrency limit. Feedback is accumulated
 * with hysteresis: the window grows at the end of a run of 1/feedback
 * successes and shrinks at the start of a run of failures.
 *
 * Separately, a destination is declared dead when failed pseudo-cohorts
 * (a pseudo-cohort is as many deliveries as the window) reach the failed
 * cohort limit: its window drops to 0, everything queued for it is
 * deferred with "delivery temporarily suspended: ...", and so is every
 * recipient for it that arrives before the queue is revived, after
 * minimal_backoff_time or on a flush request. Dead queues stay in memory
 * as the dead-destination cache; live queues disappear when empty.
 *
 * With a transport rate delay, each finished delivery suspends its
 * destination for that delay (qmgr_queue_suspend): mail trickles out one
 * delivery at a time.
 *
 * Exports qmgr_queue_create/find/done/throttle/unthrottle/success/suspend and the
 * feedback helpers qmgr_feedback_parse() (0 on success, -1 for a malformed
 * value) and qmgr_feedback_amount().
 */

#include <stdlib.h>
#include <string.h>

#include "events.h"
#include "htable.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#include "qmgr.h"

int qmgr_queue_count;

#define QMGR_SUSPEND_PREFIX "delivery temporarily suspended: "

/* qmgr_feedback_parse - "number", "number/number" or "number/concurrency" */
int qmgr_feedback_parse(const char *value, double *numerator, int *per_window)
{
    char *copy = mystrdup(value);
    char *den_text = split_at(copy, '/');
    char *num_text = skipblanks(copy);
    char *end;
    double num;
    double den = 1;
    int ret = -1;

    *per_window = 0;
    *trimblanks(num_text, 0) = 0;
    num = strtod(num_text, &end);
    if (end == num_text || *end != 0)
        goto done;
    if (den_text) {
        den_text = skipblanks(den_text);
        *trimblanks(den_text, 0) = 0;
        if (strcmp(den_text, "concurrency") == 0) {
            *per_window = 1;
        } else {
            den = strtod(den_text, &end);
            if (end == den_text || *end != 0 || den <= 0)
                goto done;
        }
    }
    num /= den;
    if (num < 0 || num > 1)
        goto done;
    *numerator = num;
    ret = 0;
done:
    myfree(copy);
    return (ret);
}

/* qmgr_feedback_amount - feedback for one delivery at this window */
double qmgr_feedback_amount(double numerator, int per_window, int window)
{
    if (per_window)
        return (window > 0 ? numerator / window : numerator);
    return (numerator);
}

/* qmgr_queue_unthrottle_event - timer: give a dead destination another chance */
static void qmgr_queue_unthrottle_event(int unused_event, void *context)
{
    QMGR_QUEUE *queue = (QMGR_QUEUE *)context;

    qmgr_queue_unthrottle(queue);
}

/* qmgr_queue_resume_event - timer: a rate-delayed destination may go on */
static void qmgr_queue_resume_event(int unused_event, void *context)
{
    QMGR_QUEUE *queue = (QMGR_QUEUE *)context;
    QMGR_TRANSPORT *transport = queue->transport;

    if (!QMGR_QUEUE_SUSPENDED(queue))
        msg_panic("qmgr_queue_resume_event: queue %s is not suspended", queue->name);
    queue->window = 1;
    transport->blocker_tag++;
    /* Nothing came in meanwhile: the queue may go. */
    qmgr_queue_done(queue);
}

/*
 * qmgr_queue_suspend - pause a destination for the rate delay after a
 * delivery. The queue then starts no delivery, but keeps what arrives. A
 * dead rate-limited destination is revived instead of staying dead, as
 * with Postfix: the rate delay already keeps it from being hammered.
 */
void qmgr_queue_suspend(QMGR_QUEUE *queue, int delay)
{
    if (queue->busy_refcount > 0)
        msg_panic("qmgr_queue_suspend: queue %s has %d deliveries in progress", queue->name,
                  queue->busy_refcount);
    if (QMGR_QUEUE_SUSPENDED(queue))
        return;
    if (QMGR_QUEUE_THROTTLED(queue)) {
        event_cancel_timer(qmgr_queue_unthrottle_event, (void *)queue);
        if (queue->dsn) {
            dsn_free(queue->dsn);
            queue->dsn = 0;
        }
        queue->success = queue->failure = queue->fail_cohorts = 0;
    }
    queue->window = QMGR_QUEUE_STAT_SUSPENDED;
    event_request_timer(qmgr_queue_resume_event, (void *)queue, delay);
}

/* qmgr_queue_create - new queue for a destination of a transport */
QMGR_QUEUE *qmgr_queue_create(QMGR_TRANSPORT *transport, const char *name, const char *nexthop)
{
    QMGR_QUEUE *queue = (QMGR_QUEUE *)mymalloc(sizeof(*queue));

    qmgr_queue_count++;
    queue->dflags = 0;
    queue->name = mystrdup(name);
    queue->nexthop = mystrdup(nexthop);
    queue->todo_refcount = 0;
    queue->busy_refcount = 0;
    queue->window = transport->init_dest_concurrency;
    if (transport->dest_concurrency_limit > 0 && queue->window > transport->dest_concurrency_limit)
        queue->window = transport->dest_concurrency_limit;
    if (queue->window < 1)
        queue->window = 1;
    queue->success = queue->failure = queue->fail_cohorts = 0;
    queue->transport = transport;
    QMGR_LIST_INIT(queue->todo);
    QMGR_LIST_INIT(queue->busy);
    QMGR_LIST_APPEND(transport->queue_list, queue, peers);
    htable_enter(transport->queue_byname, name, (void *)queue);
    queue->dsn = 0;
    queue->clog_time_to_warn = 0;
    queue->blocker_tag = 0;
    return (queue);
}

/* qmgr_queue_find - look up a destination queue */
QMGR_QUEUE *qmgr_queue_find(QMGR_TRANSPORT *transport, const char *name)
{
    return ((QMGR_QUEUE *)htable_find(transport->queue_byname, name));
}

/* qmgr_queue_free - forget a queue */
static void qmgr_queue_free(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (queue->todo_refcount != 0 || queue->busy_refcount != 0)
        msg_panic("qmgr_queue_free: queue %s has %d todo and %d busy entries", queue->name,
                  queue->todo_refcount, queue->busy_refcount);
    event_cancel_timer(qmgr_queue_unthrottle_event, (void *)queue);
    event_cancel_timer(qmgr_queue_resume_event, (void *)queue);
    QMGR_LIST_UNLINK(transport->queue_list, queue, peers);
    htable_delete(transport->queue_byname, queue->name, (void (*)(void *))0);
    if (queue->dsn)
        dsn_free(queue->dsn);
    myfree(queue->name);
    myfree(queue->nexthop);
    myfree(queue);
    qmgr_queue_count--;
}

/* qmgr_queue_done - dispose of a queue that may have become empty */
void qmgr_queue_done(QMGR_QUEUE *queue)
{
    /*
     * A dead queue stays, to remember that the destination is dead; a
     * suspended one, so that the rate delay also holds for the next message.
     */
    if (queue->todo_refcount == 0 && queue->busy_refcount == 0 && !QMGR_QUEUE_THROTTLED(queue) &&
        !QMGR_QUEUE_SUSPENDED(queue))
        qmgr_queue_free(queue);
}

/* qmgr_queue_success - positive feedback after a delivery that reached the destination */
void qmgr_queue_success(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (QMGR_QUEUE_THROTTLED(queue)) {
        qmgr_queue_unthrottle(queue);
        return;
    }
    queue->fail_cohorts = 0;

    /*
     * Grow only while the window is actually in use; otherwise an idle
     * destination would collect credit that hides a later overload.
     */
    if (queue->window < queue->busy_refcount + transport->init_dest_concurrency) {
        queue->success +=
            qmgr_feedback_amount(transport->pos_feedback, transport->pos_per_window, queue->window);
        while (queue->success >= 1) {
            queue->window += 1;
            queue->success -= 1;
            queue->failure = 0;
        }
    }
    if (transport->dest_concurrency_limit > 0 && queue->window > transport->dest_concurrency_limit)
        queue->window = transport->dest_concurrency_limit;
    transport->blocker_tag++;
}

/* qmgr_queue_throttle - negative feedback; may declare the destination dead */
void qmgr_queue_throttle(QMGR_QUEUE *queue, const DSN *dsn)
{
    QMGR_TRANSPORT *transport = queue->transport;
    VSTRING *why;

    if (QMGR_QUEUE_THROTTLED(queue))
        return;
    queue->fail_cohorts += 1.0 / queue->window;
    if (transport->fail_cohort_limit > 0 && queue->fail_cohorts >= transport->fail_cohort_limit) {
        queue->window = QMGR_QUEUE_STAT_THROTTLED;
    } else {
        queue->failure -=
            qmgr_feedback_amount(transport->neg_feedback, transport->neg_per_window, queue->window);
        while (queue->failure < 0) {
            queue->window -= 1;
            queue->failure += 1;
            queue->success = 0;
        }
        if (queue->window < 1)
            queue->window = 1;
    }
    if (QMGR_QUEUE_THROTTLED(queue)) {
        why = vstring_alloc(100);
        if (strncmp(dsn->reason, QMGR_SUSPEND_PREFIX, sizeof(QMGR_SUSPEND_PREFIX) - 1) == 0)
            vstring_strcpy(why, dsn->reason);
        else
            vstring_sprintf(why, "%s%s", QMGR_SUSPEND_PREFIX, dsn->reason);
        queue->dsn = dsn_create(dsn->status, dsn->action, vstring_str(why), dsn->dtype, dsn->dtext,
                                dsn->mtype, dsn->mname);
        vstring_free(why);
        event_request_timer(qmgr_queue_unthrottle_event, (void *)queue, var_minimal_backoff_time);
        if (msg_verbose)
            msg_info("throttle %s:%s: %s", transport->name, queue->name, queue->dsn->reason);
    }
}

/* qmgr_queue_unthrottle - revive a dead destination */
void qmgr_queue_unthrottle(QMGR_QUEUE *queue)
{
    QMGR_TRANSPORT *transport = queue->transport;

    if (QMGR_QUEUE_THROTTLED(queue)) {
        event_cancel_timer(qmgr_queue_unthrottle_event, (void *)queue);
        if (queue->dsn) {
            dsn_free(queue->dsn);
            queue->dsn = 0;
        }
        queue->window = transport->init_dest_concurrency;
        if (transport->dest_concurrency_limit > 0 &&
            queue->window > transport->dest_concurrency_limit)
            queue->window = transport->dest_concurrency_limit;
        if (queue->window < 1)
            queue->window = 1;
        queue->success = queue->failure = queue->fail_cohorts = 0;
        transport->blocker_tag++;
        qmgr_queue_done(queue);
    }
}
