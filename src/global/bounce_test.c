/* bounce_test - the bounce client against scripted bounce, trace and verify services */

#include "bounce.h"
#include "deliver_request.h"
#include "mail_params.h"
#include "test_service.h"
#include "testing.h"

static MSG_STATS stats;
static RECIPIENT rcpt;
static DSN dsn;

/* setup - one recipient, one 5.1.1 failure, default services */
static void setup(const char *status)
{
    msg_stats_init(&stats);
    RECIPIENT_ASSIGN(&rcpt, 42, "rfc822;orig@example.com", 0, "orig@example.com",
                     "user@example.com");
    DSN_ASSIGN(&dsn, status, "", "unknown user", "smtp", "550 no such user", "dns",
               "mx.example.com");
    var_bounce_service_name = "bounce";
    var_defer_service_name = "defer";
    var_trace_service_name = "trace";
    var_address_verify_service_name = "verify";
    var_soft_bounce = 0;
    var_address_verify_negative_cache = 1;
    (void)test_service_requests();
    (void)test_service_log();
}

/* The APPEND request as the bounce daemon sees it, for service s and status st. */
#define APPEND_LINE(s, flags, st, action, reason)                                                  \
    s ": action=" action " diag_text=550 no such user diag_type=smtp dsn_orig_rcpt="               \
      "rfc822;orig@example.com flags=" flags " mta_mname=mx.example.com mta_type=dns notify_flags=0 "   \
      "nrequest=0 offset=42 original_recipient=orig@example.com queue_id=Q1 reason=" reason    \
      " recipient=user@example.com status=" st "\n"

TEST(append_sends_the_recipient_and_logs_bounced)
{
    const char *log;

    setup("5.1.1");
    CHECK_INT(bounce_append(0, "Q1", &stats, &rcpt, "mx.example.com", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("bounce", "0", "5.1.1", "failed", "unknown user"));
    log = test_service_log();
    CHECK(strstr(log, "Q1: to=<user@example.com>, orig_to=<orig@example.com>, "
                      "relay=mx.example.com, ") == log);
    CHECK(strstr(log, ", dsn=5.1.1, status=bounced (unknown user)\n") != 0);
}

TEST(append_replaces_a_non_5xx_status)
{
    setup("4.2.0");
    CHECK_INT(bounce_append(0, "Q1", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("bounce", "0", "5.0.0", "failed", "unknown user"));
    CHECK(strstr(test_service_log(), "W: bounce_append: ignoring dsn code \"4.2.0\"\n") != 0);
    setup("5.1.1x");
    CHECK_INT(bounce_append(0, "Q1", &stats, &rcpt, "none", &dsn), 0);
    CHECK(strstr(test_service_requests(), " status=5.0.0\n") != 0);
}

TEST(append_with_record_flag_also_goes_to_trace)
{
    setup("5.1.1");
    CHECK_INT(bounce_append(DEL_REQ_FLAG_RECORD, "Q1", &stats, &rcpt, "mx.example.com", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "1024", "5.1.1", "failed",
                          "delivery via mx.example.com: unknown user")
                  APPEND_LINE("bounce", "1024", "5.1.1", "failed", "unknown user"));
}

TEST(append_defers_when_the_bounce_service_fails)
{
    const char *log;

    setup("5.1.1");
    var_bounce_service_name = "bounce-fail";
    CHECK(bounce_append(0, "Q1", &stats, &rcpt, "none", &dsn) != 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("bounce-fail", "0", "5.1.1", "failed", "unknown user")
                  APPEND_LINE("defer", "0", "4.3.0", "delayed",
                              "bounce-fail or trace service failure"));
    log = test_service_log();
    CHECK(strstr(log, ", dsn=4.3.0, status=deferred (bounce-fail or trace service failure)\n")
          != 0);
    CHECK(strstr(log, "status=bounced") == 0);
}

TEST(append_defers_when_the_bounce_service_is_absent)
{
    setup("5.1.1");
    var_bounce_service_name = "absent";
    CHECK(bounce_append(0, "Q1", &stats, &rcpt, "none", &dsn) != 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.3.0", "delayed", "absent or trace service failure"));
    CHECK(strstr(test_service_log(), "W: connect to private/absent service: ") != 0);
}

TEST(append_defers_when_the_trace_service_fails)
{
    setup("5.1.1");
    var_trace_service_name = "trace-fail";
    CHECK(bounce_append(DEL_REQ_FLAG_RECORD, "Q1", &stats, &rcpt, "none", &dsn) != 0);
    /* No bounce request: the recipient is deferred once tracing failed. */
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace-fail", "1024", "5.1.1", "failed", "unknown user")
                  APPEND_LINE("trace-fail", "1024", "4.3.0", "delayed",
                              "bounce or trace-fail service failure")
                      APPEND_LINE("defer", "1024", "4.3.0", "delayed",
                                  "bounce or trace-fail service failure"));
}

TEST(soft_bounce_turns_the_failure_into_a_deferral)
{
    setup("5.1.1");
    var_soft_bounce = 1;
    CHECK(bounce_append(0, "Q1", &stats, &rcpt, "none", &dsn) != 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.1.1", "delayed", "unknown user"));
    CHECK(strstr(test_service_log(), ", dsn=4.1.1, status=deferred (unknown user)\n") != 0);
    CHECK_INT(bounce_flush(0, "active", "Q1", "7bit", 0, "s@example.com", "", 0), -1);
    CHECK_STR(test_service_requests(), "");
}

TEST(mta_probe_goes_to_verify_for_both_addresses)
{
    setup("5.1.1");
    CHECK_INT(bounce_append(DEL_REQ_FLAG_MTA_VRFY, "Q1", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              "verify: address=orig@example.com reason=unknown user recipient_status=2 "
              "request=update\n"
              "verify: address=user@example.com reason=unknown user recipient_status=2 "
              "request=update\n");
    CHECK(strstr(test_service_log(), "status=undeliverable (unknown user)\n") != 0);
}

TEST(user_probe_goes_to_trace)
{
    setup("5.1.1");
    CHECK_INT(bounce_append(DEL_REQ_FLAG_USR_VRFY, "Q1", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "512", "5.1.1", "undeliverable", "unknown user"));
    CHECK(strstr(test_service_log(), "status=undeliverable (unknown user)\n") != 0);
    CHECK_INT(bounce_flush(DEL_REQ_FLAG_USR_VRFY, "active", "Q1", "", 0, "s", "", 0), -1);
    CHECK_INT(bounce_flush_verp(DEL_REQ_FLAG_USR_VRFY, "active", "Q1", "", 0, "s", "", 0, "+="),
              -1);
    CHECK_STR(test_service_requests(), "");
}

TEST(flush_sends_the_message_attributes)
{
    setup("5.1.1");
    CHECK_INT(bounce_flush(0, "active", "Q1", 0, 1, "s@example.com", 0, 2), 0);
    CHECK_STR(test_service_requests(),
              "bounce: encoding= envelope_id= flags=0 nrequest=1 queue_id=Q1 queue_name=active "
              "ret_flags=2 sender=s@example.com smtputf8=1\n");
    CHECK_INT(bounce_flush_verp(0, "active", "Q1", "8bit", 0, "s@example.com", "env", 1, "+="), 0);
    CHECK_STR(test_service_requests(),
              "bounce: encoding=8bit envelope_id=env flags=0 nrequest=3 queue_id=Q1 "
              "queue_name=active ret_flags=1 sender=s@example.com smtputf8=0 "
              "verp_delimiters=+=\n");
}

TEST(flush_failures_are_logged_and_returned)
{
    setup("5.1.1");
    var_bounce_service_name = "bounce-fail";
    CHECK_INT(bounce_flush(0, "active", "Q1", "", 0, "s", "", 0), -1);
    CHECK_INT(bounce_flush_verp(0, "active", "Q1", "", 0, "s", "", 0, "+="), -1);
    CHECK_STR(test_service_log(), "W: Q1: bounce-fail service failure\nW: Q1: bounce-fail service failure\n");
    var_bounce_service_name = "garbage";
    CHECK_INT(bounce_flush(0, "active", "Q1", "", 0, "s", "", 0), -1);
    CHECK(strstr(test_service_log(), "W: private/garbage service: no \"delivery_status_protocol\" "
                             "protocol announcement\nW: Q1: garbage service failure\n")
          != 0);
}

TEST(one_sends_a_single_notice)
{
    setup("5.1.1");
    CHECK_INT(bounce_one(0, "active", "Q1", "7bit", 0, "s@example.com", "", 0, &stats, &rcpt,
                         "none", &dsn),
              0);
    CHECK_STR(test_service_requests(),
              "bounce: action=failed diag_text=550 no such user diag_type=smtp "
              "dsn_orig_rcpt=rfc822;orig@example.com encoding=7bit envelope_id= flags=0 "
              "mta_mname=mx.example.com mta_type=dns notify_flags=0 nrequest=4 offset=42 "
              "original_recipient=orig@example.com queue_id=Q1 queue_name=active "
              "reason=unknown user recipient=user@example.com ret_flags=0 sender=s@example.com "
              "smtputf8=0 status=5.1.1\n");
    CHECK(strstr(test_service_log(), "status=bounced (unknown user)\n") != 0);
}

TEST(one_falls_back_like_append)
{
    setup("2.0.0");
    var_bounce_service_name = "nostatus";
    CHECK(bounce_one(0, "active", "Q1", "", 0, "s", "", 0, &stats, &rcpt, "none", &dsn) != 0);
    CHECK(strstr(test_service_requests(),
                 APPEND_LINE("defer", "0", "4.3.0", "delayed",
                             "nostatus or trace service failure"))
          != 0);
    CHECK(strstr(test_service_log(), "W: bounce_one: ignoring dsn code \"2.0.0\"\n") != 0);
    setup("5.1.1");
    var_soft_bounce = 1;
    CHECK(bounce_one(0, "active", "Q1", "", 0, "s", "", 0, &stats, &rcpt, "none", &dsn) != 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.1.1", "delayed", "unknown user"));
    setup("5.1.1");
    CHECK_INT(bounce_one(DEL_REQ_FLAG_USR_VRFY, "active", "Q1", "", 0, "s", "", 0, &stats, &rcpt,
                         "none", &dsn),
              0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "512", "5.1.1", "undeliverable", "unknown user"));
}

TEST(silent_service_times_out)
{
    setup("5.1.1");
    var_bounce_service_name = "silent";
    var_ipc_timeout = 1;
    CHECK_INT(bounce_flush(0, "active", "Q1", "", 0, "s", "", 0), -1);
    CHECK(strstr(test_service_log(), "W: private/silent service: no status in reply\n") != 0);
    var_ipc_timeout = 10;
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
    test_service_start("bounce", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("defer", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("trace", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("verify", MAIL_ATTR_PROTO_VERIFY, TEST_SERVICE_OK);
    test_service_start("bounce-fail", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_FAIL);
    test_service_start("trace-fail", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_FAIL);
    test_service_start("garbage", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_BADPROTO);
    test_service_start("nostatus", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_NOSTATUS);
    test_service_start("silent", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_SILENT);
    RUN(append_sends_the_recipient_and_logs_bounced);
    RUN(append_replaces_a_non_5xx_status);
    RUN(append_with_record_flag_also_goes_to_trace);
    RUN(append_defers_when_the_bounce_service_fails);
    RUN(append_defers_when_the_bounce_service_is_absent);
    RUN(append_defers_when_the_trace_service_fails);
    RUN(soft_bounce_turns_the_failure_into_a_deferral);
    RUN(mta_probe_goes_to_verify_for_both_addresses);
    RUN(user_probe_goes_to_trace);
    RUN(flush_sends_the_message_attributes);
    RUN(flush_failures_are_logged_and_returned);
    RUN(one_sends_a_single_notice);
    RUN(one_falls_back_like_append);
    RUN(silent_service_times_out);
    test_service_stop_all();
    return (TESTS_DONE());
}
