/* log_adhoc_test - module tests for the delivery log line */

#include <string.h>

#include "log_adhoc.h"
#include "mail_params.h"
#include "testing.h"

/* tv - a time value from seconds and microseconds */
static struct timeval tv(long sec, long usec)
{
    struct timeval t;

    t.tv_sec = sec;
    t.tv_usec = usec;
    return (t);
}

/* delay - format one delay value */
static const char *delay(long sec, long usec)
{
    static VSTRING *buf;
    struct timeval t = tv(sec, usec);

    if (buf == 0)
        buf = vstring_alloc(10);
    return (log_adhoc_delay(buf, &t));
}

TEST(delay_values_as_postfix_prints_them)
{
    var_delay_logging_resolution_limit = 2;
    CHECK_STR(delay(0, 0), "0");
    CHECK_STR(delay(0, 4000), "0");    /* below the resolution */
    CHECK_STR(delay(0, 5000), "0.01"); /* rounds up */
    CHECK_STR(delay(0, 50000), "0.05");
    CHECK_STR(delay(0, 100000), "0.1"); /* trailing zero dropped */
    CHECK_STR(delay(0, 123456), "0.12");
    CHECK_STR(delay(0, 996000), "1");
    CHECK_STR(delay(1, 100000), "1.1");
    CHECK_STR(delay(1, 0), "1");
    CHECK_STR(delay(9, 960000), "10");
    CHECK_STR(delay(12, 600000), "13");
    CHECK_STR(delay(3600, 0), "3600");
    var_delay_logging_resolution_limit = 3;
    CHECK_STR(delay(0, 12345), "0.012");
    CHECK_STR(delay(0, 1234), "0.001");
    var_delay_logging_resolution_limit = 0;
    CHECK_STR(delay(0, 400000), "0");
    CHECK_STR(delay(0, 600000), "1");
    var_delay_logging_resolution_limit = 2;
}

TEST(full_line_with_all_stages)
{
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;
    RECIPIENT rcpt;
    DSN dsn;

    var_delay_logging_resolution_limit = 2;
    msg_stats_init(&stats);
    stats.incoming_arrival = tv(1000, 0);
    stats.active_arrival = tv(1000, 50000);
    stats.agent_handoff = tv(1000, 60000);
    stats.conn_setup_done = tv(1000, 60000);
    stats.deliver_done = tv(1000, 120000);
    RECIPIENT_ASSIGN(&rcpt, 100, "", 0, "Alias@Example.com", "user@example.com");
    DSN_SIMPLE(&dsn, "2.0.0", "delivered to mailbox");
    CHECK_STR(log_adhoc_format(buf, "3F2A81C0D2", &stats, &rcpt, "local", &dsn, "sent"),
              "3F2A81C0D2: to=<user@example.com>, orig_to=<Alias@Example.com>, relay=local, "
              "delay=0.12, delays=0.05/0.01/0/0.06, dsn=2.0.0, status=sent (delivered to "
              "mailbox)");
    vstring_free(buf);
}

TEST(orig_to_only_when_different_and_conn_use)
{
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;
    RECIPIENT rcpt;
    DSN dsn;

    msg_stats_init(&stats);
    stats.incoming_arrival = tv(1000, 0);
    stats.active_arrival = tv(1001, 0);
    stats.agent_handoff = tv(1001, 10000);
    stats.conn_setup_done = tv(1001, 250000);
    stats.deliver_done = tv(1031, 0);
    stats.reuse_count = 2;
    RECIPIENT_ASSIGN(&rcpt, 100, "", 0, "USER@example.com", "user@example.com");
    DSN_SIMPLE(&dsn, "4.4.1", "connect to mx[1.2.3.4]:25: Connection refused");
    CHECK_STR(log_adhoc_format(buf, "ABC", &stats, &rcpt, "mx[1.2.3.4]:25", &dsn, "deferred"),
              "ABC: to=<user@example.com>, relay=mx[1.2.3.4]:25, conn_use=3, delay=31, "
              "delays=1/0.01/0.24/30, dsn=4.4.1, status=deferred (connect to mx[1.2.3.4]:25: "
              "Connection refused)");
    vstring_free(buf);
}

TEST(missing_stages_run_to_the_end)
{
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;
    RECIPIENT rcpt;
    DSN dsn;

    /* qmgr bounced it itself: no hand-off, b runs to deliver_done. */
    msg_stats_init(&stats);
    stats.incoming_arrival = tv(1000, 0);
    stats.active_arrival = tv(1000, 20000);
    stats.deliver_done = tv(1002, 0);
    RECIPIENT_ASSIGN(&rcpt, 0, "", 0, "", "x@y");
    DSN_SIMPLE(&dsn, "5.1.2", "bad address syntax");
    CHECK_STR(log_adhoc_format(buf, "Q", &stats, &rcpt, "none", &dsn, "bounced"),
              "Q: to=<x@y>, relay=none, delay=2, delays=0.02/2/0/0, dsn=5.1.2, status=bounced "
              "(bad address syntax)");
    /* Never reached qmgr. */
    stats.active_arrival = tv(0, 0);
    CHECK_STR(log_adhoc_format(buf, "Q", &stats, &rcpt, "none", &dsn, "bounced"),
              "Q: to=<x@y>, relay=none, delay=2, delays=2/0/0/0, dsn=5.1.2, status=bounced "
              "(bad address syntax)");
    /* A clock that went back shows 0, not a negative number. */
    stats.deliver_done = tv(999, 0);
    CHECK_STR(log_adhoc_format(buf, "Q", &stats, &rcpt, "none", &dsn, "bounced"),
              "Q: to=<x@y>, relay=none, delay=0, delays=0/0/0/0, dsn=5.1.2, status=bounced "
              "(bad address syntax)");
    vstring_free(buf);
}

int main(void)
{
    RUN(delay_values_as_postfix_prints_them);
    RUN(full_line_with_all_stages);
    RUN(orig_to_only_when_different_and_conn_use);
    RUN(missing_stages_run_to_the_end);
    return (TESTS_DONE());
}
