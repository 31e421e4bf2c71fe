/* defer_test - the defer client against scripted defer, trace and verify services */

#include "bounce.h"
#include "defer.h"
#include "deliver_request.h"
#include "mail_params.h"
#include "test_service.h"
#include "testing.h"

static MSG_STATS stats;
static RECIPIENT rcpt;
static DSN dsn;

/* setup - one recipient with one failure, default services */
static void setup(const char *status)
{
    msg_stats_init(&stats);
    RECIPIENT_ASSIGN(&rcpt, 7, "", 0, "", "user@example.com");
    DSN_SIMPLE(&dsn, status, "mailbox busy");
    var_defer_service_name = "defer";
    var_trace_service_name = "trace";
    var_address_verify_service_name = "verify";
    var_address_verify_negative_cache = 1;
    (void)test_service_requests();
    (void)test_service_log();
}

/* The APPEND request as the daemon sees it. */
#define APPEND_LINE(s, flags, st, action, reason)                                                  \
    s ": action=" action " diag_text= diag_type= dsn_orig_rcpt= flags=" flags " mta_mname= "        \
      "mta_type= notify_flags=0 nrequest=0 offset=7 original_recipient= queue_id=Q2 reason=" reason \
      " recipient=user@example.com status=" st "\n"

TEST(append_records_and_logs_deferred)
{
    const char *log;

    setup("4.2.1");
    /* Even a recorded deferral asks for a retry. */
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.2.1", "delayed", "mailbox busy"));
    log = test_service_log();
    CHECK(strstr(log, "Q2: to=<user@example.com>, relay=none, ") == log);
    CHECK(strstr(log, ", dsn=4.2.1, status=deferred (mailbox busy)\n") != 0);
}

TEST(append_fixes_bad_status_codes)
{
    setup("5.2.1");
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.0.0", "delayed", "mailbox busy"));
    CHECK(strstr(test_service_log(), "W: defer_append: ignoring dsn code \"5.2.1\"\n") != 0);
    setup("busy");
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.0.0", "delayed", "mailbox busy"));
    CHECK(strstr(test_service_log(), "W: defer_append: ignoring dsn code \"busy\"\n") != 0);
    setup("4.2.1 ");
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK(strstr(test_service_requests(), " status=4.0.0\n") != 0);
}

TEST(append_keeps_an_explicit_action)
{
    setup("4.2.1");
    dsn.action = "relayed";
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("defer", "0", "4.2.1", "relayed", "mailbox busy"));
}

TEST(append_with_record_flag_also_traces)
{
    setup("4.2.1");
    CHECK_INT(defer_append(DEL_REQ_FLAG_RECORD, "Q2", &stats, &rcpt, "relay.example", &dsn), -1);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "1024", "4.2.1", "delayed",
                          "delivery via relay.example: mailbox busy")
                  APPEND_LINE("defer", "1024", "4.2.1", "delayed", "mailbox busy"));
}

TEST(service_failure_is_logged_but_still_a_deferral)
{
    const char *log;

    setup("4.2.1");
    var_defer_service_name = "absent";
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    log = test_service_log();
    CHECK(strstr(log, "W: connect to private/absent service: ") != 0);
    CHECK(strstr(log, "W: Q2: absent service failure\n") != 0);
    CHECK(strstr(log, "status=deferred (mailbox busy)") != 0);
    var_defer_service_name = "defer-fail";
    CHECK_INT(defer_append(0, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK(strstr(test_service_log(), "W: Q2: defer-fail service failure\n") != 0);
}

TEST(probes_go_to_verify_or_trace_only)
{
    setup("4.2.1");
    CHECK_INT(defer_append(DEL_REQ_FLAG_MTA_VRFY, "Q2", &stats, &rcpt, "none", &dsn), 0);
    /* No original address: only the final one is updated. */
    CHECK_STR(test_service_requests(), "verify: address=user@example.com reason=mailbox busy "
                                       "recipient_status=1 request=update\n");
    CHECK(strstr(test_service_log(), "status=undeliverable (mailbox busy)") != 0);
    setup("4.2.1");
    CHECK_INT(defer_append(DEL_REQ_FLAG_USR_VRFY, "Q2", &stats, &rcpt, "none", &dsn), 0);
    CHECK_STR(test_service_requests(),
              APPEND_LINE("trace", "512", "4.2.1", "undeliverable", "mailbox busy"));
    CHECK(strstr(test_service_log(), "status=undeliverable (mailbox busy)") != 0);
}

TEST(probe_is_retried_when_its_outcome_was_not_recorded)
{
    setup("4.2.1");
    var_address_verify_service_name = "absent";
    CHECK_INT(defer_append(DEL_REQ_FLAG_MTA_VRFY, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK(strstr(test_service_log(), "W: Q2: absent service failure\n") != 0);
    var_trace_service_name = "defer-fail";
    CHECK_INT(defer_append(DEL_REQ_FLAG_USR_VRFY, "Q2", &stats, &rcpt, "none", &dsn), -1);
    CHECK(strstr(test_service_log(), "W: Q2: defer-fail service failure\n") != 0);
}

TEST(flush_and_warn_send_their_request_numbers)
{
    setup("4.2.1");
    CHECK_INT(defer_flush(0, "deferred", "Q2", "7bit", 0, "s@example.com", "id", 3), 0);
    CHECK_INT(defer_warn(0, "deferred", "Q2", 0, 1, "", 0, 0), 0);
    CHECK_STR(test_service_requests(),
              "defer: encoding=7bit envelope_id=id flags=2 nrequest=1 queue_id=Q2 "
              "queue_name=deferred ret_flags=3 sender=s@example.com smtputf8=0\n"
              "defer: encoding= envelope_id= flags=0 nrequest=2 queue_id=Q2 "
              "queue_name=deferred ret_flags=0 sender= smtputf8=1\n");
}

TEST(flush_and_warn_failures_return_minus_one)
{
    setup("4.2.1");
    var_defer_service_name = "defer-fail";
    CHECK_INT(defer_flush(0, "deferred", "Q2", "", 0, "s", "", 0), -1);
    CHECK_INT(defer_warn(0, "deferred", "Q2", "", 0, "s", "", 0), -1);
    CHECK_STR(test_service_log(),
              "W: Q2: defer-fail service failure\nW: Q2: defer-fail service failure\n");
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
    test_service_start("defer", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("trace", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_OK);
    test_service_start("verify", MAIL_ATTR_PROTO_VERIFY, TEST_SERVICE_OK);
    test_service_start("defer-fail", MAIL_ATTR_PROTO_BOUNCE, TEST_SERVICE_FAIL);
    RUN(append_records_and_logs_deferred);
    RUN(append_fixes_bad_status_codes);
    RUN(append_keeps_an_explicit_action);
    RUN(append_with_record_flag_also_traces);
    RUN(service_failure_is_logged_but_still_a_deferral);
    RUN(probes_go_to_verify_or_trace_only);
    RUN(probe_is_retried_when_its_outcome_was_not_recorded);
    RUN(flush_and_warn_send_their_request_numbers);
    RUN(flush_and_warn_failures_return_minus_one);
    test_service_stop_all();
    return (TESTS_DONE());
}
