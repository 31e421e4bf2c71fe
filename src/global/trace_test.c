/* trace_test - the trace client against a scripted trace service */

#include "bounce.h"
#include "mail_params.h"
#include "test_service.h"
#include "testing.h"
#include "trace.h"

static MSG_STATS stats;
static RECIPIENT rcpt;
static DSN dsn;

/* setup - one recipient, default service */
static void setup(void)
{
    msg_stats_init(&stats);
    RECIPIENT_ASSIGN(&rcpt, 0, "rfc822;u@example.com", 14, "", "u@example.com");
    DSN_ASSIGN(&dsn, "2.0.0", "delivered", "250 ok", "smtp", "250 2.0.0 ok", "dns", "mx.test");
    var_trace_service_name = "trace";
    (void)test_service_requests();
    (void)test_service_log();
}

TEST(append_prefixes_the_relay_to_the_reason)
{
    setup();
    CHECK_INT(trace_append(1024, "Q4", &stats, &rcpt, "mx.test[192.0.2.1]:25", &dsn), 0);
    CHECK_STR(test_service_requests(),
              "trace: action=delivered diag_text=250 2.0.0 ok diag_type=smtp "
              "dsn_orig_rcpt=rfc822;u@example.com flags=1024 mta_mname=mx.test mta_type=dns "
              "notify_flags=14 nrequest=0 offset=0 original_recipient= queue_id=Q4 "
              "reason=delivery via mx.test[192.0.2.1]:25: 250 ok recipient=u@example.com "
              "status=2.0.0\n");
    /* Nothing is logged: the callers log the delivery. */
    CHECK_STR(test_service_log(), "");
}

TEST(append_without_relay_keeps_the_reason)
{
    setup();
    CHECK_INT(trace_append(0, "Q4", &stats, &rcpt, "none", &dsn), 0);
    CHECK(strstr(test_service_requests(), " reason=250 ok ") != 0);
}

TEST(append_failures_are_logged_and_returned)
{
    setup();
    var_trace_service_name = "trace-fail";
    CHECK_INT(trace_append(0, "Q4", &stats, &rcpt, "relay", &dsn), -1);
    CHECK_STR(test_service_log(), "W: Q4: trace-fail service failure\n");
    var_trace_service_name = "absent";
    CHECK_INT(trace_append(0, "Q4", &stats, &rcpt, "none", &dsn), -1);
    CHECK(strstr(test_service_log(), "W: Q4: absent service failure\n") != 0);
}

TEST(flush_sends_a_trace_request)
{
    setup();
    CHECK_INT(trace_flush(0, "active", "Q4", "7bit", 1, "s@example.com", "E1", 2), 0);
    CHECK_STR(test_service_requests(),
              "trace: encoding=7bit envelope_id=E1 flags=0 nrequest=5 queue_id=Q4 "
              "queue_name=active ret_flags=2 sender=s@example.com smtputf8=1\n");
    var_trace_service_name = "trace-fail";
    CHECK_INT(trace_flush(0, "active", "Q4", "", 0, "", "", 0), -1);
    CHECK_STR(test_service_log(), "W: Q4: trace-fail service failure\n");
}

int main(int argc, char **argv)
{
    (void)argc;
    test_service_log_init(argv[0]);
    var_queue_directory = (char *)test_service_init();
    var_ipc_timeout = 10;
    test_service_start("trace", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("trace-fail", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_FAIL);
    RUN(append_prefixes_the_relay_to_the_reason);
    RUN(append_without_relay_keeps_the_reason);
    RUN(append_failures_are_logged_and_returned);
    RUN(flush_sends_a_trace_request);
    test_service_stop_all();
    return (TESTS_DONE());
}
