/*
 * qmgr_transport - delivery transports: their limits, the choice of the
 * next transport to serve, and the (non-blocking) connection to one of its
 * delivery agents.
 *
 * A transport is created on first use with the settings of its master.cf
 * name: <name>_destination_concurrency_limit, _initial_destination_
 * concurrency, _destination_recipient_limit, _delivery_slot_cost/_loan/
 * _discount, _minimum_delivery_slots, the concurrency feedback settings,
 * _destination_rate_delay (which implies a concurrency limit of 1),
 * _recipient_refill_limit and _delay, the in-memory recipient pool
 * (_recipient_limit, _extra_recipient_limit: see qmgr_job.c), and the
 * master.cf process limit. Each falls back to its default_ or
 * global parameter.
 *
 * qmgr_transport_select() walks the transports round robin and returns one
 * that has a delivery it may start now: not suspended, below its process
 * limit and its limit of pending connections, and with a selectable entry.
 * qmgr_transport_alloc() connects to private/<name> without blocking and
 * calls back once the agent has announced its protocol. A failed connection
 * suspends the transport for transport_retry_time, deferring what is queued
 * for it ("mail transport unavailable").
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "events.h"
#include "htable.h"
#include "iostuff.h"
#include "mail_conf.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"

#include "qmgr.h"

static HTABLE *transport_byname;
static QMGR_LIST_HEAD(QMGR_TRANSPORT) transport_list;
static QMGR_TRANSPORT *transport_next; /* round robin position */
static int transport_total;

QMGR_MAXPROC_FN qmgr_maxproc_fn;

/* A connection that is waiting for the agent's protocol announcement. */
typedef struct QMGR_TRANSPORT_ALLOC {
    QMGR_TRANSPORT *transport;
    QMGR_TRANSPORT_ALLOC_NOTIFY notify;
    VSTREAM *stream;
} QMGR_TRANSPORT_ALLOC;

/* transport_feedback - one feedback parameter, transport-specific or default */
static void transport_feedback(const char *name, const char *suffix, double *numerator,
                               int *per_window)
{
    char *param = concatenate(name, suffix, (char *)0);
    char *dflt = concatenate("default", suffix, (char *)0);
    const char *value;

    if ((value = mail_conf_lookup_eval(param)) == 0 && (value = mail_conf_lookup_eval(dflt)) == 0)
        value = "1";
    if (qmgr_feedback_parse(value, numerator, per_window) < 0)
        msg_fatal("%s: bad feedback value: %s (specify a number in 0..1, optionally "
                  "divided by a number or by \"concurrency\")",
                  mail_conf_lookup(param) ? param : dflt, value);
    myfree(param);
    myfree(dflt);
}

/* transport_settings - read the transport-specific parameters */
static void transport_settings(QMGR_TRANSPORT *transport)
{
    const char *name = transport->name;
    char dflt[30];
    int discount;

    transport->dest_concurrency_limit = get_mail_conf_int2(
        name, "_destination_concurrency_limit", var_default_destination_concurrency_limit, 0, 0);
    transport->init_dest_concurrency = get_mail_conf_int2(
        name, "_initial_destination_concurrency", var_initial_destination_concurrency, 1, 0);
    transport->recipient_limit = get_mail_conf_int2(name, "_destination_recipient_limit",
                                                    var_default_destination_recipient_limit, 0, 0);
    transport->slot_cost =
        get_mail_conf_int2(name, "_delivery_slot_cost", var_default_delivery_slot_cost, 0, 0);
    transport->slot_loan =
        get_mail_conf_int2(name, "_delivery_slot_loan", var_default_delivery_slot_loan, 0, 0);
    discount = get_mail_conf_int2(name, "_delivery_slot_discount",
                                  var_default_delivery_slot_discount, 0, 100);
    transport->slot_loan_factor = 100 - discount;
    transport->min_slots = get_mail_conf_int2(name, "_minimum_delivery_slots",
                                              var_default_minimum_delivery_slots, 0, 0);
    transport->fail_cohort_limit =
        get_mail_conf_int2(name, "_destination_concurrency_failed_cohort_limit",
                           var_default_destination_concurrency_failed_cohort_limit, 0, 0);
    transport_feedback(name, "_destination_concurrency_positive_feedback", &transport->pos_feedback,
                       &transport->pos_per_window);
    transport_feedback(name, "_destination_concurrency_negative_feedback", &transport->neg_feedback,
                       &transport->neg_per_window);
    transport->process_limit = qmgr_maxproc_fn(name);

    transport->refill_limit = get_mail_conf_int2(name, "_recipient_refill_limit",
                                                 var_default_recipient_refill_limit, 1, 0);
    transport->rcpt_unused =
        get_mail_conf_int2(name, "_recipient_limit", var_default_recipient_limit, 0, 0);
    transport->rcpt_per_stack =
        get_mail_conf_int2(name, "_extra_recipient_limit", var_default_extra_recipient_limit, 0, 0);
    snprintf(dflt, sizeof(dflt), "%ds", var_default_recipient_refill_delay);
    transport->refill_delay = get_mail_conf_time2(name, "_recipient_refill_delay", dflt, 1, 0);

    /* A rate delay means one delivery at a time per destination. */
    snprintf(dflt, sizeof(dflt), "%ds", var_default_destination_rate_delay);
    transport->rate_delay = get_mail_conf_time2(name, "_destination_rate_delay", dflt, 0, 0);
    if (transport->rate_delay > 0)
        transport->dest_concurrency_limit = 1;
    if (transport->dest_concurrency_limit > 0 &&
        transport->init_dest_concurrency > transport->dest_concurrency_limit)
        transport->init_dest_concurrency = transport->dest_concurrency_limit;
}

/* qmgr_transport_create - instantiate a transport */
QMGR_TRANSPORT *qmgr_transport_create(const char *name)
{
    QMGR_TRANSPORT *transport;

    if (transport_byname == 0) {
        transport_byname = htable_create(10);
        QMGR_LIST_INIT(transport_list);
    }
    if (htable_find(transport_byname, name) != 0)
        msg_panic("qmgr_transport_create: transport exists: %s", name);
    transport = (QMGR_TRANSPORT *)mycalloc(1, sizeof(*transport));
    transport->name = mystrdup(name);
    transport_settings(transport);
    transport->queue_byname = htable_create(0);
    QMGR_LIST_INIT(transport->queue_list);
    QMGR_LIST_INIT(transport->job_list);
    QMGR_LIST_INIT(transport->job_bytime);
    transport->blocker_tag = 1;
    htable_enter(transport_byname, name, (void *)transport);
    QMGR_LIST_APPEND(transport_list, transport, peers);
    transport_total++;
    if (msg_verbose)
        msg_info("transport %s: concurrency %d/%d, recipients %d, process limit %d, "
                 "recipient slots %d+%d",
                 name, transport->init_dest_concurrency, transport->dest_concurrency_limit,
                 transport->recipient_limit, transport->process_limit, transport->rcpt_unused,
                 transport->rcpt_per_stack);
    return (transport);
}

/* qmgr_transport_find - look up a transport */
QMGR_TRANSPORT *qmgr_transport_find(const char *name)
{
    return (transport_byname ? (QMGR_TRANSPORT *)htable_find(transport_byname, name) : 0);
}

/* qmgr_transport_count - how many transports exist (tests) */
int qmgr_transport_count(void)
{
    return (transport_total);
}

/* qmgr_transport_unthrottle_event - timer: try a suspended transport again */
static void qmgr_transport_unthrottle_event(int unused_event, void *context)
{
    qmgr_transport_unthrottle((QMGR_TRANSPORT *)context);
}

/* qmgr_transport_throttle - suspend a transport for transport_retry_time */
void qmgr_transport_throttle(QMGR_TRANSPORT *transport, const DSN *dsn)
{
    if (QMGR_TRANSPORT_THROTTLED(transport))
        return;
    transport->flags |= QMGR_TRANSPORT_STAT_DEAD;
    transport->dsn = dsn_copy(dsn);
    event_request_timer(qmgr_transport_unthrottle_event, (void *)transport,
                        var_transport_retry_time);
}

/* qmgr_transport_unthrottle - resume a suspended transport */
void qmgr_transport_unthrottle(QMGR_TRANSPORT *transport)
{
    if (!QMGR_TRANSPORT_THROTTLED(transport))
        return;
    transport->flags &= ~QMGR_TRANSPORT_STAT_DEAD;
    dsn_free(transport->dsn);
    transport->dsn = 0;
    event_cancel_timer(qmgr_transport_unthrottle_event, (void *)transport);
    transport->blocker_tag++;
}

/* qmgr_transport_flush_dead - forget every dead transport and destination */
void qmgr_transport_flush_dead(void)
{
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;
    QMGR_QUEUE *next;

    if (transport_byname == 0)
        return;
    for (transport = transport_list.next; transport; transport = transport->peers.next) {
        qmgr_transport_unthrottle(transport);
        for (queue = transport->queue_list.next; queue; queue = next) {
            next = queue->peers.next;
            qmgr_queue_unthrottle(queue);
        }
    }
}

/* qmgr_transport_has_work - may this transport start a delivery now */
int qmgr_transport_has_work(QMGR_TRANSPORT *transport)
{
    QMGR_QUEUE *queue;

    if (QMGR_TRANSPORT_THROTTLED(transport))
        return (0);
    if (transport->pending >= QMGR_TRANSPORT_MAX_PEND)
        return (0);
    if (transport->process_limit > 0 &&
        transport->pending + transport->busy >= transport->process_limit)
        return (0);
    /* Cheap test first: some destination must have room and work. */
    for (queue = transport->queue_list.next; queue; queue = queue->peers.next)
        if (QMGR_QUEUE_READY(queue))
            break;
    if (queue == 0)
        return (0);

    /*
     * Each pending connection will take one entry; make sure that there is
     * one for it beyond those already spoken for.
     */
    {
        int ready = 0;

        for (queue = transport->queue_list.next; queue; queue = queue->peers.next) {
            if (QMGR_QUEUE_READY(queue)) {
                int room = queue->window - queue->busy_refcount;

                ready += room < queue->todo_refcount ? room : queue->todo_refcount;
                if (ready > transport->pending)
                    return (1);
            }
        }
    }
    return (0);
}

/* qmgr_transport_select - the next transport that can start a delivery */
QMGR_TRANSPORT *qmgr_transport_select(void)
{
    QMGR_TRANSPORT *transport;
    QMGR_TRANSPORT *start;

    if (transport_byname == 0 || transport_list.next == 0)
        return (0);
    start = transport_next ? transport_next : transport_list.next;
    transport = start;
    do {
        QMGR_TRANSPORT *following =
            transport->peers.next ? transport->peers.next : transport_list.next;

        if (qmgr_transport_has_work(transport)) {
            transport_next = following;
            return (transport);
        }
        transport = following;
    } while (transport != start);
    return (0);
}

/* qmgr_transport_abort - the agent did not answer: suspend the transport */
static void qmgr_transport_abort(QMGR_TRANSPORT *transport)
{
    DSN dsn;

    (void)DSN_SIMPLE(&dsn, "4.3.0", "mail transport unavailable");
    qmgr_transport_throttle(transport, &dsn);
    qmgr_defer_transport(transport, &dsn);
}

/* qmgr_transport_timeout - timer: an agent that never announces itself (a broken system) */
static void qmgr_transport_timeout(int unused_event, void *context)
{
    QMGR_TRANSPORT_ALLOC *alloc = (QMGR_TRANSPORT_ALLOC *)context;

    msg_fatal("timeout connecting to transport: %s", alloc->transport->name);
}

/* qmgr_transport_event - the agent has something to say (its announcement, or EOF) */
static void qmgr_transport_event(int event, void *context)
{
    QMGR_TRANSPORT_ALLOC *alloc = (QMGR_TRANSPORT_ALLOC *)context;
    QMGR_TRANSPORT *transport = alloc->transport;
    VSTREAM *stream = alloc->stream;

    event_cancel_timer(qmgr_transport_timeout, context);

    /*
     * The announcement itself is read by deliver_request_send(), which
     * also notices an agent that hung up instead of announcing itself.
     */
    event_disable_readwrite(vstream_fileno(stream));
    transport->pending--;
    non_blocking(vstream_fileno(stream), BLOCKING);
    vstream_set_timeout(stream, var_qmgr_ipc_timeout);
    alloc->notify(transport, stream);
    myfree(alloc);
}

/* qmgr_transport_unavailable - the agent did not answer: suspend the transport */
void qmgr_transport_unavailable(QMGR_TRANSPORT *transport)
{
    qmgr_transport_abort(transport);
}

/* qmgr_transport_alloc - start connecting to one of the transport's agents */
void qmgr_transport_alloc(QMGR_TRANSPORT *transport, QMGR_TRANSPORT_ALLOC_NOTIFY notify)
{
    QMGR_TRANSPORT_ALLOC *alloc;
    VSTREAM *stream;

    if (QMGR_TRANSPORT_THROTTLED(transport))
        msg_panic("qmgr_transport_alloc: transport %s is suspended", transport->name);
    if ((stream = mail_connect(MAIL_CLASS_PRIVATE, transport->name, NON_BLOCKING)) == 0) {
        msg_warn("connect to transport %s/%s: %m", MAIL_CLASS_PRIVATE, transport->name);
        qmgr_transport_abort(transport);
        return;
    }
    alloc = (QMGR_TRANSPORT_ALLOC *)mymalloc(sizeof(*alloc));
    alloc->transport = transport;
    alloc->notify = notify;
    alloc->stream = stream;
    transport->pending++;
    event_enable_read(vstream_fileno(stream), qmgr_transport_event, (void *)alloc);
    event_request_timer(qmgr_transport_timeout, (void *)alloc, var_daemon_timeout);
}
