/* mail_command_client_test - one request against well- and badly-behaved services */

#include "mail_command_client.h"
#include "mail_params.h"
#include "test_service.h"
#include "testing.h"

#define PROTO "test_protocol"

/* request - one request with two attributes to the named service */
static int request(const char *name)
{
    return (mail_command_client(MAIL_CLASS_PRIVATE, name, PROTO, SEND_ATTR_STR("key", "value"),
                                SEND_ATTR_INT("number", 42), ATTR_TYPE_END));
}

TEST(reply_status_is_returned)
{
    (void)test_service_log();
    CHECK_INT(request("ok"), 0);
    CHECK_INT(request("fail"), 1);
    CHECK_STR(test_service_requests(), "ok: key=value number=42\nfail: key=value number=42\n");
    CHECK_STR(test_service_log(), "");
}

TEST(absent_service_is_minus_one)
{
    (void)test_service_log();
    CHECK_INT(request("absent"), -1);
    CHECK_STR(test_service_log(),
              "W: connect to private/absent service: No such file or directory\n");
}

TEST(wrong_announcement_is_minus_one)
{
    const char *log;

    (void)test_service_log();
    CHECK_INT(request("garbage"), -1);
    log = test_service_log();
    CHECK(strstr(log, "W: private/garbage service: no \"test_protocol\" protocol announcement\n")
          != 0);
    /* The request was never sent. */
    CHECK_STR(test_service_requests(), "");
}

TEST(hangup_without_status_is_minus_one)
{
    (void)test_service_log();
    CHECK_INT(request("nostatus"), -1);
    CHECK_STR(test_service_requests(), "nostatus: key=value number=42\n");
    CHECK(strstr(test_service_log(), "W: private/nostatus service: no status in reply\n") != 0);
}

TEST(silent_service_times_out)
{
    (void)test_service_log();
    var_ipc_timeout = 1;
    CHECK_INT(request("silent"), -1);
    var_ipc_timeout = 10;
    CHECK_STR(test_service_requests(), "silent: key=value number=42\n");
    CHECK(strstr(test_service_log(), "W: private/silent service: no status in reply\n") != 0);
}

TEST(service_that_is_not_a_socket_is_minus_one)
{
    char path[300];
    int fd;

    snprintf(path, sizeof(path), "%s/private/plainfile", var_queue_directory);
    if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) >= 0)
        close(fd);
    (void)test_service_log();
    CHECK_INT(request("plainfile"), -1);
    CHECK(strstr(test_service_log(), "W: connect to private/plainfile service: ") != 0);
}

int main(int argc, char **argv)
{
    (void)argc;
    test_service_log_init(argv[0]);
    var_queue_directory = (char *)test_service_init();
    var_ipc_timeout = 10;
    test_service_start("ok", PROTO, TEST_SERVICE_OK);
    test_service_start("fail", PROTO, TEST_SERVICE_FAIL);
    test_service_start("garbage", PROTO, TEST_SERVICE_BADPROTO);
    test_service_start("nostatus", PROTO, TEST_SERVICE_NOSTATUS);
    test_service_start("silent", PROTO, TEST_SERVICE_SILENT);
    RUN(reply_status_is_returned);
    RUN(absent_service_is_minus_one);
    RUN(wrong_announcement_is_minus_one);
    RUN(hangup_without_status_is_minus_one);
    RUN(silent_service_times_out);
    RUN(service_that_is_not_a_socket_is_minus_one);
    test_service_stop_all();
    return (TESTS_DONE());
}
