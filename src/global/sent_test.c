/* sent_test - the delivery-success client against scripted trace and verify services */

#include <sys/time.h>

#include "bounce.h"
#include "deliver_request.h"
#include "dsn_mask.h"
#include "mail_params.h"
#include "sent.h"
#include "test_service.h"
#include "testing.h"

static MSG_STATS stats;
static RECIPIENT rcpt;
static DSN dsn;

/* setup - one delivered recipient, default services */
static void setup(const char *status, int notify)
{
    msg_stats_init(&stats);
    gettimeofday(&stats.incoming_arrival, (struct timezone *)0);
    stats.deliver_done = stats.incoming_arrival;
    RECIPIENT_ASSIGN(&rcpt, 9, "", notify, "alias@example.com", "user@example.com");
    DSN_SIMPLE(&dsn, status, "delivered to mailbox");
    var_bounce_service_name = "bounce";
    var_defer_service_name = "defer";
    var_trace_service_name = "trace";
    var_address_verify_service_name = "verify";
    (void)test_service_requests();
    (void)test_service_log();
}

/* The APPEND request as the daemon sees it. */
#define APPEND_LINE(s, flags, notify, st, action, reason)                                          \
    s ": action=" action " diag_text= diag_type= dsn_orig_rcpt= flags=" flags " mta_mname= "        \
      "mta_type= notify_flags=" notify " nrequest=0 offset=9 original_recipient=alias@example.com " \
      "queue_id=Q3 reason=" reason " recipient=user@example.com status=" st "\n"

TEST(plain_delivery_is_only_logged)
{
    const char *log;

    setup("2.0.0", 0);
    CHECK_INT(sent(0, "Q3", &stats, &rcpt, "local", &dsn), 0);
    CHECK_STR(test_service_requests(), "");
    log = test_service_log();
    CHECK(strstr(log, "Q3: to=<user@example.com>, orig_to=<alias@example.com>, relay=local, ")
          == log);
    CHECK(strstr(log, ", dsn=2.0.0, status=sent (delivered to mailbox)\n") != 0);
}

TEST(bad_status_becomes_2_0_0)
{
    setup("4.0.0", 0);
    CHECK_INT(sent(0, "Q3", &stats, &rcpt, "local", &dsn), 0);
    CHECK_STR(test_service_log(), "W: sent: ignoring dsn code \"4.0.0\"\n"
                                  "Q3: to=<user@example.com>, orig_to=<alias@example.com>, "
                                  "relay=local, delay=0, delays=0/0/0/0, dsn=2.0.0, "
                                  "status=sent (delivered to mailbox)\n");
    setup("2.0", 0);
    CHECK_INT(sent(0, "Q3", &stats, &rcpt, "local", &dsn), 0);
    CHECK(strstr(test_service_log(), "W: sent: ignoring dsn code \"2.0\"\n") != 0);
}

TEST(notify_success_and_record_go_to_trace)
{
    setup("2.0.0", DSN_NOTIFY_SUCCESS);
    CHECK_INT(sent(0, "Q3", &stats, &rcpt, "local", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "0", "2", "2.0.0", "delivered",
                          "delivery via local: delivered to mailbox"));
    CHECK(strstr(test_service_log(), "status=sent (delivered to mailbox)\n") != 0);
    setup("2.0.0", 0);
    CHECK_INT(sent(DEL_REQ_FLAG_RECORD, "Q3", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(), APPEND_LINE("trace", "1024", "0", "2.0.0", "delivered",
                                                   "delivered to mailbox"));
}

TEST(explicit_action_is_kept)
{
    setup("2.0.0", DSN_NOTIFY_SUCCESS);
    dsn.action = "relayed";
    CHECK_INT(sent(0, "Q3", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "0", "2", "2.0.0", "relayed", "delivered to mailbox"));
}

TEST(trace_failure_defers_the_recipient)
{
    const char *log;

    setup("2.0.0", DSN_NOTIFY_SUCCESS);
    var_trace_service_name = "absent";
    CHECK(sent(0, "Q3", &stats, &rcpt, "none", &dsn) != 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "2", "4.3.0", "delayed",
                          "bounce or absent service failure"));
    log = test_service_log();
    CHECK(strstr(log, "W: Q3: absent service failure\n") != 0);
    CHECK(strstr(log, "status=deferred (bounce or absent service failure)\n") != 0);
    CHECK(strstr(log, "status=sent") == 0);
}

TEST(mta_probe_updates_verify)
{
    setup("2.0.0", 0);
    CHECK_INT(sent(DEL_REQ_FLAG_MTA_VRFY, "Q3", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              "verify: address=alias@example.com reason=delivered to mailbox "
              "recipient_status=0 request=update\n"
              "verify: address=user@example.com reason=delivered to mailbox "
              "recipient_status=0 request=update\n");
    CHECK(strstr(test_service_log(), "status=deliverable (delivered to mailbox)\n") != 0);
    setup("2.0.0", 0);
    var_address_verify_service_name = "absent";
    CHECK(sent(DEL_REQ_FLAG_MTA_VRFY, "Q3", &stats, &rcpt, "none", &dsn) != 0);
    CHECK(strstr(test_service_log(), "W: Q3: absent service failure\n") != 0);
}

TEST(user_probe_goes_to_trace)
{
    setup("2.0.0", 0);
    CHECK_INT(sent(DEL_REQ_FLAG_USR_VRFY, "Q3", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(), APPEND_LINE("trace", "512", "0", "2.0.0", "deliverable",
                                                   "delivered to mailbox"));
    CHECK(strstr(test_service_log(), "status=deliverable (delivered to mailbox)\n") != 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    test_service_log_init(argv[0]);
    var_queue_directory = (char *)test_service_init();
    var_ipc_timeout = 10;
    var_delay_logging_resolution_limit = 2;
    var_fast_flush_domains = "";
    var_flush_service_name = "flush";
    var_address_verify_negative_cache = 1;
    test_service_start("defer", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("trace", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("verify", MAIL_ATTR_PROTO_VERIFY, TEST_SERVICE_OK);
    RUN(plain_delivery_is_only_logged);
    RUN(bad_status_becomes_2_0_0);
    RUN(notify_success_and_record_go_to_trace);
    RUN(explicit_action_is_kept);
    RUN(trace_failure_defers_the_recipient);
    RUN(mta_probe_updates_verify);
    RUN(user_probe_goes_to_trace);
    test_service_stop_all();
    return (TESTS_DONE());
}
