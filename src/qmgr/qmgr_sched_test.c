/* qmgr_sched_test - module tests for the scheduler: backoff, feedback, grouping, preemption */

#include <utime.h>

#include "events.h"
#include "testing.h"

#include "qmgr_test_util.h"

TEST(backoff_doubles_with_age_within_bounds)
{
    time_t now = 1000000;

    CHECK_INT(qmgr_backoff_delay(now, now - 10, 300, 4000), 300);
    CHECK_INT(qmgr_backoff_delay(now, now - 300, 300, 4000), 300);
    CHECK_INT(qmgr_backoff_delay(now, now - 600, 300, 4000), 600);
    CHECK_INT(qmgr_backoff_delay(now, now - 1200, 300, 4000), 1200);
    CHECK_INT(qmgr_backoff_delay(now, now - 100000, 300, 4000), 4000);
    CHECK_INT(qmgr_backoff_delay(now, 0, 300, 4000), 300);
    CHECK_INT(qmgr_backoff_delay(now, now + 50, 10, 40), 10);
}

TEST(feedback_values)
{
    double num = -1;
    int per = -1;

    CHECK_INT(qmgr_feedback_parse("1", &num, &per), 0);
    CHECK(num == 1 && per == 0);
    CHECK_INT(qmgr_feedback_parse(" 1 / concurrency ", &num, &per), 0);
    CHECK(num == 1 && per == 1);
    CHECK_INT(qmgr_feedback_parse("1/4", &num, &per), 0);
    CHECK(num == 0.25 && per == 0);
    CHECK_INT(qmgr_feedback_parse("0", &num, &per), 0);
    CHECK(num == 0);
    CHECK_INT(qmgr_feedback_parse("2", &num, &per), -1);
    CHECK_INT(qmgr_feedback_parse("x", &num, &per), -1);
    CHECK_INT(qmgr_feedback_parse("1/0", &num, &per), -1);
    CHECK_INT(qmgr_feedback_parse("", &num, &per), -1);
    CHECK(qmgr_feedback_amount(1, 1, 4) == 0.25);
    CHECK(qmgr_feedback_amount(0.5, 0, 4) == 0.5);
}

TEST(window_grows_shrinks_and_dies)
{
    QMGR_TRANSPORT *transport = qmgr_transport_create("window");
    QMGR_QUEUE *queue = qmgr_queue_create(transport, "w.test", "w.test");
    DSN dsn;

    CHECK_INT(transport->init_dest_concurrency, 5);
    CHECK_INT(transport->dest_concurrency_limit, 20);
    CHECK_INT(queue->window, 5);
    /* An idle destination earns no credit. */
    qmgr_queue_success(queue);
    CHECK_INT(queue->window, 5);
    queue->busy_refcount = 3;
    qmgr_queue_success(queue);
    CHECK_INT(queue->window, 6);
    qmgr_queue_success(queue);
    CHECK_INT(queue->window, 7);

    /* Negative feedback 1, failed cohort limit 1: dead after a cohort's worth. */
    (void)DSN_SIMPLE(&dsn, "4.4.1", "connect to w.test: Connection refused");
    qmgr_queue_throttle(queue, &dsn);
    CHECK_INT(queue->window, 6);
    qmgr_queue_throttle(queue, &dsn);
    qmgr_queue_throttle(queue, &dsn);
    qmgr_queue_throttle(queue, &dsn);
    CHECK_INT(queue->window, 3);
    CHECK(!QMGR_QUEUE_THROTTLED(queue));
    /* 1/7 + 1/6 + 1/5 + 1/4 + 1/3 >= 1 */
    qmgr_queue_throttle(queue, &dsn);
    CHECK(QMGR_QUEUE_THROTTLED(queue));
    CHECK_STR(queue->dsn->reason,
              "delivery temporarily suspended: connect to w.test: Connection refused");
    CHECK_STR(queue->dsn->status, "4.4.1");

    /* A flush revives it at the initial concurrency. */
    queue->busy_refcount = 0;
    qmgr_transport_flush_dead();
    CHECK(qmgr_queue_find(transport, "w.test") == 0); /* empty, so gone */
}

TEST(window_limit_and_transport_settings)
{
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;

    mail_conf_update("tiny_destination_concurrency_limit", "2");
    mail_conf_update("tiny_destination_recipient_limit", "7");
    mail_conf_update("tiny_destination_concurrency_positive_feedback", "1/concurrency");
    transport = qmgr_transport_create("tiny");
    CHECK_INT(transport->dest_concurrency_limit, 2);
    CHECK_INT(transport->recipient_limit, 7);
    CHECK_INT(transport->pos_per_window, 1);
    queue = qmgr_queue_create(transport, "t.test", "t.test");
    CHECK_INT(queue->window, 2);
    queue->busy_refcount = 2;
    qmgr_queue_success(queue);
    qmgr_queue_success(queue);
    qmgr_queue_success(queue);
    CHECK_INT(queue->window, 2);
    queue->busy_refcount = 0;
    qmgr_queue_done(queue);
    CHECK(qmgr_queue_find(transport, "t.test") == 0);

    transport = qmgr_transport_create("local");
    CHECK_INT(transport->recipient_limit, 1);
    CHECK_INT(transport->dest_concurrency_limit, 2);
    transport = qmgr_transport_create("slow");
    CHECK_INT(transport->process_limit, 2);
}

/* entry_of - the entry of a queue that holds a recipient, or null */
static QMGR_ENTRY *entry_of(QMGR_QUEUE *queue, const char *address)
{
    QMGR_ENTRY *entry;
    int i;

    for (entry = queue->todo.next; entry; entry = entry->queue_peers.next)
        for (i = 0; i < entry->rcpt_list.len; i++)
            if (strcmp(entry->rcpt_list.info[i].address, address) == 0)
                return (entry);
    return (0);
}

/* finish_all - deliver everything a transport has, as if each delivery succeeded */
static void finish_all(QMGR_TRANSPORT *transport)
{
    QMGR_QUEUE *queue;
    QMGR_ENTRY *entry;

    for (;;) {
        while (qmgr_job_entry_select(transport) != 0)
            /* void */;
        for (queue = transport->queue_list.next; queue; queue = queue->peers.next)
            if (queue->busy.next)
                break;
        if (queue == 0)
            return;
        entry = queue->busy.next;
        qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    }
}

TEST(recipients_grouped_by_transport_and_destination)
{
    const char *rcpts[] = {"b@x.test",
                           "a@x.test",
                           "c@y.test",
                           "d@localhost",
                           "e@localhost",
                           "D:f@x.test",
                           "g@via-hold.h.test",
                           "h@fail.test",
                           "-i@x.test",
                           "double-bounce@localhost",
                           0};
    QMGR_MESSAGE *message;
    QMGR_TRANSPORT *relay;
    QMGR_TRANSPORT *local;
    QMGR_QUEUE *x;
    QMGR_ENTRY *entry;

    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    test_queue_file(MAIL_QUEUE_ACTIVE, "A10000", "sender@example.com", rcpts, time(0), 0);
    message = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "A10000", 0, 0);
    CHECK(message != 0 && message != QMGR_MESSAGE_LOCKED);
    if (message == 0 || message == QMGR_MESSAGE_LOCKED)
        return;
    CHECK_INT(message->rcpt_total, 10);
    CHECK_INT(message->rcpt_count, 5);
    CHECK_STR(message->sender, "sender@example.com");
    CHECK_INT(message->cont_length, 19);
    relay = qmgr_transport_find("relay");
    local = qmgr_transport_find("local");
    CHECK(relay != 0 && local != 0);
    if (relay == 0 || local == 0)
        return;
    x = qmgr_queue_find(relay, "x.test");
    CHECK(x != 0 && x->todo_refcount == 1);
    if (x && (entry = entry_of(x, "a@x.test")) != 0) {
        CHECK_INT(entry->rcpt_list.len, 2);
        CHECK_STR(entry->rcpt_list.info[0].address, "a@x.test");
        CHECK_STR(entry->rcpt_list.info[1].address, "b@x.test");
    } else {
        CHECK(0);
    }
    CHECK(qmgr_queue_find(relay, "y.test") != 0);
    /* One recipient per delivery: one destination queue per recipient. */
    CHECK(qmgr_queue_find(local, "d@localhost") != 0);
    CHECK(qmgr_queue_find(local, "e@localhost") != 0);
    CHECK_STR(vstring_str(notify_log),
              "defer A10000 g@via-hold.h.test 4.3.2\n  (deferred transport)\n"
              "defer A10000 h@fail.test 4.3.0\n  (address resolver failure)\n"
              "bounce A10000 -i@x.test 5.1.3\n  (bad address syntax)\n"
              "sent A10000 double-bounce@localhost 2.0.0\n"
              "  (undeliverable postmaster notification discarded)\n");
    CHECK(message->flags != 0);

    /* Deliver everything: the file is then deferred for the deferred recipients. */
    finish_all(local);
    finish_all(relay);
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "A10000"));
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "A10000"));
    mail_queue_remove(MAIL_QUEUE_DEFERRED, "A10000");
    CHECK_INT(qmgr_message_count, 0);
    CHECK_INT(qmgr_recipient_count, 0);
}

/* select_order - which messages the next n selections of a transport belong to */
static void select_order(QMGR_TRANSPORT *transport, VSTRING *out, int n)
{
    QMGR_ENTRY *entry;

    VSTRING_RESET(out);
    while (n-- > 0 && (entry = qmgr_job_entry_select(transport)) != 0)
        vstring_sprintf_append(out, "%s ", entry->message->queue_id);
    VSTRING_TERMINATE(out);
}

/* big_list - n recipients at n domains of a transport */
static const char **big_list(const char *transport, int n)
{
    static char *store[64];
    static const char *list[65];
    int i;

    for (i = 0; i < n; i++) {
        if (store[i])
            myfree(store[i]);
        store[i] = mymalloc(100);
        snprintf(store[i], 100, "u%d@via-%s.d%d.test", i, transport, i);
        list[i] = store[i];
    }
    list[n] = 0;
    return (list);
}

TEST(small_message_preempts_mailing_list)
{
    const char *one[] = {"solo@via-sched.solo.test", 0};
    QMGR_MESSAGE *big, *small;
    QMGR_TRANSPORT *transport;
    VSTRING *order = vstring_alloc(100);

    test_queue_file(MAIL_QUEUE_ACTIVE, "B20000", "list@example.com", big_list("sched", 20), time(0),
                    0);
    big = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "B20000", 0, 0);
    test_queue_file(MAIL_QUEUE_ACTIVE, "B30000", "s@example.com", one, time(0), 0);
    small = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "B30000", 0, 0);
    CHECK(big != 0 && small != 0);
    transport = qmgr_transport_find("sched");
    CHECK(transport != 0);
    if (transport == 0)
        return;
    select_order(transport, order, 4);
    /* The single message slips in early instead of waiting for 20 deliveries. */
    CHECK_STR(vstring_str(order), "B30000 B20000 B20000 B20000 ");
    select_order(transport, order, 30);
    CHECK_INT(VSTRING_LEN(order), 17 * 7);
    finish_all(transport);
    CHECK_INT(qmgr_message_count, 0);
    vstring_free(order);
}

TEST(no_preemption_with_zero_slot_cost)
{
    const char *one[] = {"solo@via-fifo.solo.test", 0};
    QMGR_TRANSPORT *transport;
    VSTRING *order = vstring_alloc(100);
    VSTRING *want = vstring_alloc(100);
    int i;

    mail_conf_update("fifo_delivery_slot_cost", "0");
    test_queue_file(MAIL_QUEUE_ACTIVE, "C20000", "list@example.com", big_list("fifo", 6), time(0),
                    0);
    CHECK(qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "C20000", 0, 0) != 0);
    test_queue_file(MAIL_QUEUE_ACTIVE, "C30000", "s@example.com", one, time(0), 0);
    CHECK(qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "C30000", 0, 0) != 0);
    transport = qmgr_transport_find("fifo");
    CHECK(transport != 0);
    if (transport == 0)
        return;
    select_order(transport, order, 10);
    for (i = 0; i < 6; i++)
        vstring_strcat(want, "C20000 ");
    vstring_strcat(want, "C30000 ");
    CHECK_STR(vstring_str(order), vstring_str(want));
    finish_all(transport);
    vstring_free(order);
    vstring_free(want);
}

TEST(concurrency_window_and_process_limit)
{
    const char *rcpts[] = {"a@via-win.w.test",
                           "b@via-win.w.test",
                           "c@via-win.w.test",
                           "d@via-win.w.test",
                           "e@via-win.w.test",
                           "f@via-win.w.test",
                           0};
    const char *slow[] = {"a@via-slow.s1.test", "b@via-slow.s2.test", "c@via-slow.s3.test", 0};
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;
    QMGR_ENTRY *first;

    mail_conf_update("win_destination_concurrency_limit", "2");
    mail_conf_update("win_destination_recipient_limit", "2");
    test_queue_file(MAIL_QUEUE_ACTIVE, "D20000", "s@example.com", rcpts, time(0), 0);
    CHECK(qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "D20000", 0, 0) != 0);
    transport = qmgr_transport_find("win");
    queue = transport ? qmgr_queue_find(transport, "w.test") : 0;
    CHECK(queue != 0);
    if (queue == 0)
        return;
    CHECK_INT(queue->todo_refcount, 3);
    CHECK_INT(queue->window, 2);
    CHECK(qmgr_transport_has_work(transport));
    first = qmgr_job_entry_select(transport);
    CHECK(first != 0);
    CHECK(qmgr_job_entry_select(transport) != 0);
    CHECK(qmgr_job_entry_select(transport) == 0);
    CHECK(!qmgr_transport_has_work(transport));
    qmgr_queue_success(queue);
    qmgr_entry_done(first, QMGR_QUEUE_BUSY);
    CHECK(qmgr_transport_has_work(transport));
    CHECK(qmgr_job_entry_select(transport) != 0);
    finish_all(transport);

    /* master.cf maxproc 2 (the fake says so for "slow"): two at a time, whatever the window. */
    test_queue_file(MAIL_QUEUE_ACTIVE, "D30000", "s@example.com", slow, time(0), 0);
    CHECK(qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "D30000", 0, 0) != 0);
    transport = qmgr_transport_find("slow");
    CHECK(transport != 0);
    if (transport == 0)
        return;
    CHECK(qmgr_job_entry_select(transport) != 0);
    CHECK(qmgr_transport_has_work(transport));
    CHECK(qmgr_job_entry_select(transport) != 0);
    CHECK(!qmgr_transport_has_work(transport));
    finish_all(transport);
    CHECK_INT(qmgr_message_count, 0);
}

TEST(big_recipient_lists_are_read_in_batches)
{
    QMGR_TRANSPORT *transport;
    QMGR_MESSAGE *message;
    int selected = 0;
    int save_limit = var_qmgr_message_recipient_limit;
    int save_min = var_qmgr_message_recipient_minimum;

    var_qmgr_message_recipient_limit = 5;
    var_qmgr_message_recipient_minimum = 5;
    test_queue_file(MAIL_QUEUE_ACTIVE, "E20000", "list@example.com", big_list("batch", 12), time(0),
                    0);
    message = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "E20000", 0, 0);
    CHECK(message != 0);
    if (message == 0)
        return;
    CHECK_INT(message->rcpt_count, 5);
    CHECK(message->rcpt_offset > 0);
    CHECK_INT(message->rcpt_unread, 7);
    transport = qmgr_transport_find("batch");
    /* Each time the batch in core is done, the next one is read. */
    while (transport && qmgr_message_count > 0) {
        QMGR_ENTRY *entry = qmgr_job_entry_select(transport);

        if (entry == 0)
            break;
        selected++;
        qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
        transport = qmgr_transport_find("batch");
    }
    CHECK_INT(selected, 12);
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "E20000"));
    var_qmgr_message_recipient_limit = save_limit;
    var_qmgr_message_recipient_minimum = save_min;
}

TEST(queue_scans_feed_and_dispose)
{
    const char *held[] = {"a@via-hold.h.test", 0};
    QMGR_SCAN *scan;
    char *id;
    /* qmgr's clock is the event loop's (last wakeup), which may lag time(0) here. */
    long now = event_time();
    struct utimbuf tbuf;
    VSTRING *path = vstring_alloc(100);
    int fed = 0;

    /* Incomplete (no execute bit) files are left alone. */
    test_queue_file(MAIL_QUEUE_INCOMING, "F10000", "s@example.com", held, now, 0);
    test_queue_file(MAIL_QUEUE_INCOMING, "F20000", "s@example.com", held, now, 0);
    chmod(mail_queue_path(path, MAIL_QUEUE_INCOMING, "F20000"), 0600);
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    scan = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    qmgr_scan_request(scan, QMGR_SCAN_START);
    while ((id = qmgr_scan_next(scan)) != 0)
        fed += qmgr_active_feed(scan, id);
    CHECK_INT(fed, 1);
    CHECK(file_exists(MAIL_QUEUE_INCOMING, "F20000"));
    /* All deferred by qmgr (defer_transports): to deferred, retry in minimal_backoff_time. */
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "F10000"));
    CHECK(file_mtime(MAIL_QUEUE_DEFERRED, "F10000") >= now + var_minimal_backoff_time);
    CHECK(file_mtime(MAIL_QUEUE_DEFERRED, "F10000") <= time(0) + var_minimal_backoff_time);
    CHECK_STR(vstring_str(notify_log), "defer F10000 a@via-hold.h.test 4.3.2\n"
                                       "  (deferred transport)\n");
    qmgr_scan_free(scan);

    /* Not due yet: skipped, unless the scan ignores time stamps. */
    scan = qmgr_scan_create(MAIL_QUEUE_DEFERRED);
    qmgr_scan_request(scan, QMGR_SCAN_START);
    fed = 0;
    while ((id = qmgr_scan_next(scan)) != 0)
        fed += qmgr_active_feed(scan, id);
    CHECK_INT(fed, 0);

    /* Expired: the defer log becomes a bounce, and the file goes. */
    var_maximal_queue_lifetime = 0;
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    qmgr_scan_request(scan, QMGR_SCAN_START | QMGR_SCAN_ALL);
    while ((id = qmgr_scan_next(scan)) != 0)
        fed += qmgr_active_feed(scan, id);
    CHECK_INT(fed, 1);
    CHECK(!file_exists(MAIL_QUEUE_DEFERRED, "F10000"));
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "F10000"));
    CHECK_STR(vstring_str(notify_log), "defer F10000 a@via-hold.h.test 4.3.2\n"
                                       "  (deferred transport)\n"
                                       "defer_flush F10000\n");
    var_maximal_queue_lifetime = 5 * 86400;
    qmgr_scan_free(scan);

    /* Leftovers in active go back to incoming, due now. */
    test_queue_file(MAIL_QUEUE_ACTIVE, "F30000", "s@example.com", held, now, 0);
    tbuf.actime = tbuf.modtime = now + 5000;
    utime(mail_queue_path(path, MAIL_QUEUE_ACTIVE, "F30000"), &tbuf);
    qmgr_active_recover();
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "F30000"));
    CHECK(file_exists(MAIL_QUEUE_INCOMING, "F30000"));
    CHECK(file_mtime(MAIL_QUEUE_INCOMING, "F30000") <= time(0));
    mail_queue_remove(MAIL_QUEUE_INCOMING, "F30000");
    vstring_free(path);
}

TEST(bounce_log_is_flushed)
{
    const char *held[] = {"a@via-hold.h.test", 0};
    QMGR_SCAN *scan;
    char *id;
    long now = time(0);
    VSTREAM *fp;

    test_queue_file(MAIL_QUEUE_INCOMING, "CC1000", "s@example.com", held, now, 0);
    /* A non-empty bounce log: the bounce daemon is asked to send the notice. */
    fp = mail_queue_open(MAIL_QUEUE_BOUNCE, "CC1000", O_CREAT | O_WRONLY, 0600);
    vstream_fputs("recipient=x@example.com\n\n", fp);
    vstream_fclose(fp);
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    scan = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    qmgr_scan_request(scan, QMGR_SCAN_START);
    while ((id = qmgr_scan_next(scan)) != 0)
        qmgr_active_feed(scan, id);
    CHECK_STR(vstring_str(notify_log), "defer CC1000 a@via-hold.h.test 4.3.2\n"
                                       "  (deferred transport)\n"
                                       "bounce_flush CC1000\n");
    qmgr_scan_free(scan);
}

TEST(force_expired_recipients_go_to_the_retry_service)
{
    const char *rcpts[] = {"a@x.test", "d@localhost", 0};
    VSTRING *path = vstring_alloc(100);
    QMGR_TRANSPORT *retry;
    QMGR_QUEUE *queue;
    QMGR_ENTRY *entry;
    QMGR_SCAN *scan;
    char *id;

    test_queue_file(MAIL_QUEUE_INCOMING, "E30000", "s@example.com", rcpts, time(0), 0);
    CHECK(chmod(mail_queue_path(path, MAIL_QUEUE_INCOMING, "E30000"), 0710) == 0);
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    scan = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    qmgr_scan_request(scan, QMGR_SCAN_START | QMGR_SCAN_ALL);
    while ((id = qmgr_scan_next(scan)) != 0)
        qmgr_active_feed(scan, id);
    qmgr_scan_free(scan);
    retry = qmgr_transport_find("retry");
    CHECK(retry != 0);
    if (retry == 0) {
        vstring_free(path);
        return;
    }
    /* Nobody else sees the recipients: one request to retry, with the reason. */
    queue = qmgr_queue_find(retry, "4.7.0 message is administratively expired");
    CHECK(queue != 0 && queue->todo_refcount == 1);
    CHECK(qmgr_transport_find("relay") == 0 ||
          qmgr_queue_find(qmgr_transport_find("relay"), "x.test") == 0);
    if (queue == 0 || (entry = qmgr_job_entry_select(retry)) == 0) {
        CHECK(0);
        vstring_free(path);
        return;
    }
    CHECK_INT(entry->rcpt_list.len, 2);
    CHECK_STR(entry->queue->nexthop, "4.7.0 message is administratively expired");
    /* The retry service defers them; the message then goes back to the sender. */
    entry->message->flags |= QMGR_DELIVER_STAT_DEFER;
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    CHECK_STR(vstring_str(notify_log), "defer_flush E30000\n");
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "E30000"));
    CHECK(!file_exists(MAIL_QUEUE_DEFERRED, "E30000"));
    CHECK(!file_exists(MAIL_QUEUE_INCOMING, "E30000"));
    vstring_free(path);
}

TEST(rate_delay_suspends_the_destination_between_deliveries)
{
    const char *one[] = {"a@via-rated.r.test", 0};
    QMGR_MESSAGE *m1;
    QMGR_MESSAGE *m2;
    QMGR_TRANSPORT *rated;
    QMGR_QUEUE *queue;
    QMGR_ENTRY *entry;
    time_t start;

    test_queue_file(MAIL_QUEUE_ACTIVE, "E40000", "s@example.com", one, time(0), 0);
    test_queue_file(MAIL_QUEUE_ACTIVE, "E50000", "s@example.com", one, time(0), 0);
    m1 = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "E40000", 0, 0);
    m2 = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, "E50000", 0, 0);
    CHECK(m1 != 0 && m2 != 0);
    if ((rated = qmgr_transport_find("rated")) == 0 ||
        (queue = qmgr_queue_find(rated, "r.test")) == 0) {
        CHECK(0);
        return;
    }
    /* A rate delay means one delivery at a time, whatever the limit says. */
    CHECK_INT(rated->rate_delay, 1);
    CHECK_INT(rated->dest_concurrency_limit, 1);
    CHECK_INT(queue->window, 1);
    entry = qmgr_job_entry_select(rated);
    CHECK(entry != 0 && qmgr_job_entry_select(rated) == 0);
    if (entry == 0)
        return;
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    CHECK(QMGR_QUEUE_SUSPENDED(queue));
    CHECK(qmgr_job_entry_select(rated) == 0);
    CHECK(!qmgr_transport_has_work(rated));
    /* After the delay the next delivery may start. */
    start = time(0);
    while (QMGR_QUEUE_SUSPENDED(queue) && time(0) < start + 5)
        event_loop(1);
    CHECK_INT(queue->window, 1);
    entry = qmgr_job_entry_select(rated);
    CHECK(entry != 0);
    if (entry == 0)
        return;
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    /* The empty queue stays suspended, for the next message; then it goes. */
    CHECK(qmgr_queue_find(rated, "r.test") == queue && QMGR_QUEUE_SUSPENDED(queue));
    while (qmgr_queue_find(rated, "r.test") != 0 && time(0) < start + 8)
        event_loop(1);
    CHECK(qmgr_queue_find(rated, "r.test") == 0);
}

/* Bounce flush requests that the test answers later. */
static QMGR_MESSAGE *pending_msg[2];
static QMGR_NOTIFY_DONE pending_done[2];
static int pending_count;

static void slow_bounce_flush(QMGR_MESSAGE *m, QMGR_NOTIFY_DONE done)
{
    (void)notify_record("bounce_flush", m, 0, 0, 0);
    pending_msg[pending_count] = m;
    pending_done[pending_count++] = done;
}

TEST(notice_requests_do_not_block_the_scheduler)
{
    const char *held[] = {"a@via-hold.h.test", 0};
    const char *ids[] = {"CD1000", "CD2000"};
    QMGR_SCAN *scan;
    VSTREAM *fp;
    char *id;
    long now = time(0);
    int before = qmgr_message_count;
    int i;

    for (i = 0; i < 2; i++) {
        test_queue_file(MAIL_QUEUE_INCOMING, ids[i], "s@example.com", held, now, 0);
        fp = mail_queue_open(MAIL_QUEUE_BOUNCE, ids[i], O_CREAT | O_WRONLY, 0600);
        vstream_fputs("recipient=x@example.com\n\n", fp);
        vstream_fclose(fp);
    }
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    qmgr_notify.bounce_flush = slow_bounce_flush;
    pending_count = 0;
    scan = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    qmgr_scan_request(scan, QMGR_SCAN_START);
    while ((id = qmgr_scan_next(scan)) != 0)
        qmgr_active_feed(scan, id);
    qmgr_scan_free(scan);

    /* The first notice is still on its way while the second message is read in. */
    CHECK_INT(pending_count, 2);
    CHECK_STR(vstring_str(notify_log), "defer CD1000 a@via-hold.h.test 4.3.2\n"
                                       "  (deferred transport)\n"
                                       "bounce_flush CD1000\n"
                                       "defer CD2000 a@via-hold.h.test 4.3.2\n"
                                       "  (deferred transport)\n"
                                       "bounce_flush CD2000\n");
    CHECK_INT(qmgr_message_count, before + 2);
    CHECK(file_exists(MAIL_QUEUE_ACTIVE, "CD1000"));

    /* The answers arrive: the files go to deferred (a recipient is left). */
    pending_done[1](0, pending_msg[1]);
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "CD2000"));
    CHECK(file_exists(MAIL_QUEUE_ACTIVE, "CD1000"));
    pending_done[0](-1, pending_msg[0]);
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "CD1000"));
    CHECK_INT(qmgr_message_count, before);
    qmgr_notify.bounce_flush = fake_bounce_flush;
    for (i = 0; i < 2; i++) {
        mail_queue_remove(MAIL_QUEUE_DEFERRED, ids[i]);
        mail_queue_remove(MAIL_QUEUE_BOUNCE, ids[i]);
        mail_queue_remove(MAIL_QUEUE_DEFER, ids[i]);
    }
}

int main(int argc, char **argv)
{
    msg_stderr_init("qmgr_sched_test");
    test_setup("defer_transports = hold\nrated_destination_rate_delay = 1s\n"
               "rated_destination_concurrency_limit = 5\n");
    test_fakes();
    RUN(backoff_doubles_with_age_within_bounds);
    RUN(feedback_values);
    RUN(window_grows_shrinks_and_dies);
    RUN(window_limit_and_transport_settings);
    RUN(recipients_grouped_by_transport_and_destination);
    RUN(small_message_preempts_mailing_list);
    RUN(no_preemption_with_zero_slot_cost);
    RUN(concurrency_window_and_process_limit);
    RUN(big_recipient_lists_are_read_in_batches);
    RUN(queue_scans_feed_and_dispose);
    RUN(bounce_log_is_flushed);
    RUN(notice_requests_do_not_block_the_scheduler);
    RUN(force_expired_recipients_go_to_the_retry_service);
    RUN(rate_delay_suspends_the_destination_between_deliveries);
    test_cleanup();
    return (TESTS_DONE());
}
