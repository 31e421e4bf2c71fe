/*
 * qmgr_pool_test - module tests for the in-memory recipient accounting: the
 * per-transport recipient pools (<transport>_recipient_limit), how their
 * slots move between jobs, and the extra pool (<transport>_extra_recipient_
 * limit) that a preempting job borrows from.
 */

#include "events.h"
#include "testing.h"

#include "qmgr_test_util.h"

/* rcpt_list_of - n recipients of a transport, each at its own destination */
static const char **rcpt_list_of(const char *transport, const char *tag, int n)
{
    static char *store[64];
    static const char *list[65];
    int i;

    for (i = 0; i < n && i < 64; i++) {
        if (store[i])
            myfree(store[i]);
        store[i] = mymalloc(100);
        snprintf(store[i], 100, "%s%d@via-%s.d%d.test", tag, i, transport, i);
        list[i] = store[i];
    }
    list[i] = 0;
    return (list);
}

/* new_message - write a queue file and bring it into core */
static QMGR_MESSAGE *new_message(const char *queue_id, const char **rcpts)
{
    QMGR_MESSAGE *message;

    test_queue_file(MAIL_QUEUE_ACTIVE, queue_id, "s@example.com", rcpts, time(0), 0);
    message = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, queue_id, 0, 0);
    if (message == 0 || message == QMGR_MESSAGE_LOCKED) {
        fprintf(stderr, "cannot read %s\n", queue_id);
        exit(1);
    }
    return (message);
}

/* job_of - a message's job within a transport, or null */
static QMGR_JOB *job_of(QMGR_MESSAGE *message, QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job;

    for (job = message->job_list.next; job; job = job->message_peers.next)
        if (job->transport == transport)
            return (job);
    return (0);
}

/* refill - read more recipients of a message, as the event loop would */
static void refill(QMGR_MESSAGE *message)
{
    qmgr_message_refill_request(message);
    qmgr_message_refill_pending();
}

/* deliver_one - hand out the next delivery of a transport and finish it */
static int deliver_one(QMGR_TRANSPORT *transport)
{
    QMGR_ENTRY *entry = qmgr_job_entry_select(transport);

    if (entry == 0)
        return (0);
    qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    qmgr_message_refill_pending();
    return (1);
}

/* in_core - in-memory recipients of a transport (the sum over its jobs) */
static int in_core(QMGR_TRANSPORT *transport)
{
    QMGR_JOB *job;
    int count = 0;

    for (job = transport->job_bytime.next; job; job = job->time_peers.next)
        count += job->rcpt_count;
    return (count);
}

/* drain - deliver everything, checking that the transport stays within bounds */
static int drain(QMGR_TRANSPORT *transport, int bound, int *max_seen)
{
    int delivered = 0;

    while (deliver_one(transport)) {
        delivered++;
        if (in_core(transport) > *max_seen)
            *max_seen = in_core(transport);
        if (in_core(transport) > bound)
            break;
    }
    return (delivered);
}

TEST(transport_pool_bounds_refills)
{
    QMGR_MESSAGE *m1, *m2, *m3;
    QMGR_TRANSPORT *tiny, *roomy;
    QMGR_JOB *j1, *j2;
    int max_seen = 0;

    var_qmgr_message_recipient_limit = 2;
    var_qmgr_message_recipient_minimum = 2;
    mail_conf_update("tiny_recipient_limit", "3");
    mail_conf_update("tiny_extra_recipient_limit", "0");
    mail_conf_update("tiny_recipient_refill_limit", "1");

    /* The first batch is the minimum; the job borrows the whole pool. */
    m1 = new_message("A1000A", rcpt_list_of("tiny", "a", 6));
    tiny = qmgr_transport_find("tiny");
    CHECK(tiny != 0);
    if (tiny == 0)
        return;
    j1 = job_of(m1, tiny);
    CHECK_INT(m1->rcpt_count, 2);
    CHECK_INT(j1->rcpt_limit, 3);
    CHECK_INT(m1->rcpt_limit, 5);
    CHECK_INT(tiny->rcpt_unused, 0);

    /* A refill fills the message up to the minimum plus its slots, no more. */
    refill(m1);
    CHECK_INT(m1->rcpt_count, 5);
    refill(m1);
    CHECK_INT(m1->rcpt_count, 5);
    CHECK(m1->rcpt_offset != 0);

    /* A later message of the same transport finds the pool empty. */
    m2 = new_message("A1000B", rcpt_list_of("tiny", "b", 10));
    j2 = job_of(m2, tiny);
    CHECK_INT(m2->rcpt_count, 2);
    CHECK_INT(j2->rcpt_limit, 0);
    refill(m2);
    CHECK_INT(m2->rcpt_count, 2);

    /* Another transport has its own pool (default_recipient_limit). */
    m3 = new_message("A1000C", rcpt_list_of("roomy", "c", 30));
    roomy = qmgr_transport_find("roomy");
    CHECK(roomy != 0);
    if (roomy == 0)
        return;
    CHECK_INT(m3->rcpt_count, 2);
    refill(m3);
    CHECK_INT(m3->rcpt_count, 30);
    CHECK_INT(roomy->rcpt_unused, 20000 - 30);

    /*
     * A delivery of the unread message: its slots stay with it. Once it is
     * fully read, each slot it no longer needs goes to the next unread job.
     */
    CHECK(deliver_one(tiny));
    CHECK_INT(m1->rcpt_count, 5);
    CHECK_INT(j2->rcpt_limit, 0);
    CHECK(deliver_one(tiny));
    CHECK(deliver_one(tiny));
    CHECK(deliver_one(tiny));
    CHECK_INT(m1->rcpt_count, 2);
    CHECK_INT(m1->rcpt_offset, 0);
    CHECK(tiny->job_next_unread == j2);
    CHECK_INT(j1->rcpt_limit, 2);
    CHECK_INT(j2->rcpt_limit, 1);
    CHECK_INT(m2->rcpt_limit, 3);
    CHECK_INT(m2->rcpt_count, 3);

    /* To the end: never more than minimum * messages + pool in memory. */
    CHECK_INT(drain(tiny, 2 * 2 + 3, &max_seen), 12);
    CHECK(max_seen <= 7);
    CHECK_INT(qmgr_job_entry_select(tiny) == 0, 1);
    CHECK_INT(tiny->rcpt_unused, 3);
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "A1000A"));
    CHECK_INT(file_mtime(MAIL_QUEUE_DEFERRED, "A1000A"), 0);
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "A1000B"));
    CHECK_INT(drain(roomy, 30, &max_seen), 30);
    CHECK_INT(roomy->rcpt_unused, 20000);
    CHECK_INT(qmgr_message_count, 0);
    CHECK_INT(qmgr_recipient_count, 0);
}

TEST(first_batch_uses_the_global_pool)
{
    QMGR_MESSAGE *m1, *m2;
    QMGR_TRANSPORT *first;
    int max_seen = 0;

    var_qmgr_message_recipient_limit = 8;
    var_qmgr_message_recipient_minimum = 2;
    mail_conf_update("first_recipient_limit", "1");
    mail_conf_update("first_extra_recipient_limit", "0");
    m1 = new_message("B1000A", rcpt_list_of("first", "a", 12));
    CHECK_INT(m1->rcpt_count, 8);
    first = qmgr_transport_find("first");
    CHECK(first != 0);
    if (first == 0)
        return;
    /* More in memory than slots: the global pool sponsored the first batch. */
    CHECK_INT(m1->rcpt_limit, 3);
    refill(m1);
    CHECK_INT(m1->rcpt_count, 8);
    m2 = new_message("B1000B", rcpt_list_of("first", "b", 3));
    CHECK_INT(m2->rcpt_count, 2);
    CHECK_INT(drain(first, 100, &max_seen), 15);
    CHECK_INT(first->rcpt_unused, 1);
    CHECK_INT(qmgr_message_count, 0);
}

TEST(unread_older_job_takes_over_the_slots)
{
    const char *mixed[] = {"a0@via-other.o0.test",
                           "a1@via-other.o1.test",
                           "a2@via-late.d2.test",
                           "a3@via-late.d3.test",
                           "a4@via-late.d4.test",
                           "a5@via-late.d5.test",
                           0};
    QMGR_MESSAGE *old, *young;
    QMGR_TRANSPORT *late, *other;
    QMGR_JOB *jy, *jo;
    int max_seen = 0;

    var_qmgr_message_recipient_limit = 2;
    var_qmgr_message_recipient_minimum = 2;
    mail_conf_update("late_recipient_limit", "4");
    mail_conf_update("other_recipient_limit", "0");
    old = new_message("C1000A", mixed);
    old->queued_time -= 10;
    young = new_message("C1000B", rcpt_list_of("late", "b", 10));
    late = qmgr_transport_find("late");
    other = qmgr_transport_find("other");
    CHECK(late != 0 && other != 0);
    if (late == 0 || other == 0)
        return;
    jy = job_of(young, late);
    CHECK_INT(jy->rcpt_limit, 4);
    refill(young);
    CHECK_INT(young->rcpt_count, 6);
    CHECK(deliver_one(late));
    CHECK(deliver_one(late));
    CHECK(deliver_one(late));
    CHECK_INT(young->rcpt_count, 3);

    /* The old message's next batch brings a job for "late", in front. */
    CHECK(deliver_one(other));
    CHECK(deliver_one(other));
    jo = job_of(old, late);
    CHECK(jo != 0);
    if (jo == 0)
        return;
    CHECK(old->rcpt_offset != 0);
    CHECK(late->job_next_unread == jo);
    /* The young job keeps the slots its in-memory recipients use. */
    CHECK_INT(jy->rcpt_limit, 3);
    CHECK_INT(jo->rcpt_limit, 1);
    CHECK_INT(drain(late, 100, &max_seen), 11);
    CHECK_INT(late->rcpt_unused, 4);
    CHECK_INT(qmgr_message_count, 0);
}

TEST(preempting_job_borrows_from_the_extra_pool)
{
    QMGR_MESSAGE *big, *small;
    QMGR_TRANSPORT *pre;
    QMGR_JOB *js;
    QMGR_ENTRY *entry;
    int max_seen = 0;

    var_qmgr_message_recipient_limit = 2;
    var_qmgr_message_recipient_minimum = 2;
    mail_conf_update("pre_recipient_limit", "0");
    mail_conf_update("pre_extra_recipient_limit", "10");
    mail_conf_update("pre_destination_recipient_limit", "1");
    mail_conf_update("pre_recipient_refill_limit", "1");
    big = new_message("D1000A", rcpt_list_of("pre", "a", 20));
    small = new_message("D1000B", rcpt_list_of("pre", "b", 4));
    pre = qmgr_transport_find("pre");
    CHECK(pre != 0);
    if (pre == 0)
        return;
    js = job_of(small, pre);
    CHECK_INT(js->rcpt_limit, 0);
    CHECK_INT(small->rcpt_count, 2);
    CHECK(small->rcpt_offset != 0);

    /* The small message preempts the list and borrows half the extra pool. */
    entry = qmgr_job_entry_select(pre);
    CHECK(entry != 0 && entry->message == small);
    CHECK_INT(js->rcpt_limit, 5);
    CHECK_INT(pre->rcpt_unused, -5);
    if (entry)
        qmgr_entry_done(entry, QMGR_QUEUE_BUSY);
    qmgr_message_refill_pending();
    /* Fully read now: what it does not use is repaid. */
    CHECK_INT(small->rcpt_offset, 0);
    CHECK_INT(small->rcpt_count, 3);
    CHECK_INT(js->rcpt_limit, 3);
    CHECK_INT(pre->rcpt_unused, -3);
    CHECK_INT(big->rcpt_limit, 2);
    CHECK_INT(drain(pre, 100, &max_seen), 23);
    CHECK_INT(pre->rcpt_unused, 0);
    CHECK_INT(qmgr_message_count, 0);
}

int main(int argc, char **argv)
{
    msg_stderr_init("qmgr_pool_test");
    test_setup("");
    test_fakes();
    RUN(transport_pool_bounds_refills);
    RUN(first_batch_uses_the_global_pool);
    RUN(unread_older_job_takes_over_the_slots);
    RUN(preempting_job_borrows_from_the_extra_pool);
    test_cleanup();
    return (TESTS_DONE());
}
