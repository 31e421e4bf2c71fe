/*
 * qmgr - the queue manager daemon: main program, triggers and the loop.
 *
 * Built on trigger_server_main(): the master starts one qmgr (master.cf
 * maxproc 1) and passes it the public/qmgr FIFO. Trigger bytes ask for
 * queue scans: I scans incoming, D scans deferred, A makes the
 * next scans of both queues ignore time stamps, F revives dead destinations
 * and transports (and lets the scans that follow deliver over
 * defer_transports, as "sendmail -q" does), W (the master's wakeup) scans
 * incoming. Requests in one buffer are collapsed; F and A modify the scans
 * that D and I (or the next periodic run) start.
 *
 * At start, files left in active go back to incoming, incoming is scanned,
 * and the deferred queue is scanned every queue_run_delay. Before each
 * wait on the event loop, qmgr_loop() moves at most one file from each
 * running scan into the active queue (incoming and deferred alternate, so
 * a backlog does not delay new mail), within qmgr_message_active_limit
 * messages and qmgr_message_recipient_limit recipients, and starts every
 * delivery the transports allow. qmgr never blocks on a delivery agent.
 */

#include <string.h>

#include "argv.h"
#include "events.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#include "qmgr.h"

static QMGR_SCAN *qmgr_incoming;
static QMGR_SCAN *qmgr_deferred;

/* qmgr_deferred_run_event - timer: periodic deferred queue scan */
static void qmgr_deferred_run_event(int unused_event, void *unused_context)
{
    qmgr_scan_request(qmgr_deferred, QMGR_SCAN_START);
    event_request_timer(qmgr_deferred_run_event, (void *)0, var_queue_run_delay);
}

/* qmgr_trigger_event - act on trigger bytes */
static void qmgr_trigger_event(char *buf, ssize_t len, char *unused_service, char **unused_argv)
{
    int incoming = 0;
    int deferred = 0;
    int scan_all = 0;
    int flush = 0;
    ssize_t i;

    for (i = 0; i < len; i++) {
        switch (buf[i]) {
        case TRIGGER_REQ_WAKEUP:
        case QMGR_REQ_SCAN_INCOMING:
            incoming = QMGR_SCAN_START;
            break;
        case QMGR_REQ_SCAN_DEFERRED:
            deferred = QMGR_SCAN_START;
            break;
        case QMGR_REQ_SCAN_ALL:
            scan_all = QMGR_SCAN_ALL;
            break;
        case QMGR_REQ_FLUSH_DEAD:
            flush = QMGR_FLUSH_DFXP;
            break;
        default:
            if (msg_verbose)
                msg_info("request ignored: 0x%02x", buf[i] & 0xff);
            break;
        }
    }
    /*
     * F and A modify the next scan of both queues: incoming may hold files
     * with future time stamps too (a file that an agent still had locked
     * cools down there), and "postqueue -f" must move them as well.
     */
    if (flush)
        qmgr_transport_flush_dead();
    if (incoming | scan_all | flush)
        qmgr_scan_request(qmgr_incoming, incoming | scan_all | flush);
    if (deferred | scan_all | flush)
        qmgr_scan_request(qmgr_deferred, deferred | scan_all | flush);
}

/* qmgr_room - may another message enter the active queue */
static int qmgr_room(void)
{
    return (qmgr_message_count < var_qmgr_message_active_limit &&
            qmgr_recipient_count < var_qmgr_message_recipient_limit);
}

/* qmgr_loop - before each wait: feed the active queue, start deliveries */
static int qmgr_loop(char *unused_service, char **unused_argv)
{
    char *in_id = 0;
    char *df_id = 0;

    if (qmgr_room() && (in_id = qmgr_scan_next(qmgr_incoming)) != 0)
        qmgr_active_feed(qmgr_incoming, in_id);
    if (qmgr_room() && (df_id = qmgr_scan_next(qmgr_deferred)) != 0)
        qmgr_active_feed(qmgr_deferred, df_id);
    /* New mail had its chance at the free recipient slots; then refills. */
    qmgr_message_refill_pending();
    qmgr_active_drain();

    /* More files to look at: come back right away. */
    return ((in_id || df_id) ? 0 : -1);
}

/* qmgr_pre_init - before dropping privileges */
static void qmgr_pre_init(char *unused_name, char **unused_argv)
{
    if (var_qmgr_message_active_limit <= 0)
        msg_fatal("%s must be positive", "qmgr_message_active_limit");
    if (var_qmgr_message_recipient_limit <= 0)
        msg_fatal("%s must be positive", "qmgr_message_recipient_limit");
}

/* qmgr_post_init - set up the queues and the first scans */
static void qmgr_post_init(char *unused_name, char **unused_argv)
{
    /* qmgr is persistent: no exit after so many triggers or so much idle time. */
    var_max_use = 0;
    var_max_idle = 0;

    qmgr_notify_init();
    qmgr_resolve_fn = qmgr_resolve_default;
    qmgr_maxproc_fn = qmgr_maxproc_default;
    /* Settings that contradict each other: the safe one wins, as with Postfix. */
    if (var_qmgr_message_recipient_limit < var_qmgr_message_active_limit) {
        msg_warn("%s is smaller than %s - adjusting %s", "qmgr_message_recipient_limit",
                 "qmgr_message_active_limit", "qmgr_message_recipient_limit");
        var_qmgr_message_recipient_limit = var_qmgr_message_active_limit;
    }
    if (var_bounce_queue_lifetime > var_maximal_queue_lifetime) {
        msg_warn("%s is larger than %s - adjusting %s", "bounce_queue_lifetime",
                 "maximal_queue_lifetime", "bounce_queue_lifetime");
        var_bounce_queue_lifetime = var_maximal_queue_lifetime;
    }

    qmgr_incoming = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    qmgr_deferred = qmgr_scan_create(MAIL_QUEUE_DEFERRED);
    qmgr_active_recover();
    qmgr_scan_request(qmgr_incoming, QMGR_SCAN_START);
    qmgr_deferred_run_event(0, (void *)0);
}

/* main - the queue manager */
int main(int argc, char **argv)
{
    trigger_server_main(argc, argv, qmgr_trigger_event, CA_MAIL_SERVER_PRE_INIT(qmgr_pre_init),
                        CA_MAIL_SERVER_POST_INIT(qmgr_post_init), CA_MAIL_SERVER_LOOP(qmgr_loop),
                        CA_MAIL_SERVER_WATCHDOG(&var_qmgr_daemon_timeout), CA_MAIL_SERVER_SOLITARY,
                        0);
}
