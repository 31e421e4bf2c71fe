/* verify_clnt_test - verify_clnt against a scripted verify server; verify_sender_addr */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "listen.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "sane_accept.h"
#include "testing.h"
#include "verify_clnt.h"
#include "verify_sender_addr.h"

static char dir[] = "/tmp/verify_clnt_test.XXXXXX";
static pid_t server_pid;
static int warnings;
static char last_warning[1000];

/* capture - count warnings instead of printing them */
static void capture(int level, const char *text)
{
    if (level == MSG_WARN) {
        warnings++;
        snprintf(last_warning, sizeof(last_warning), "%s", text);
    }
}

/*
 * serve_query - scripted answers: "todo@x" is in progress, "bad@x" is
 * refused, "odd@x" has an invalid status, "drop@x" makes the server hang
 * up without an answer; anything else is deliverable with a reason that
 * echoes the address.
 */
static int serve_query(VSTREAM *fp, VSTRING *addr)
{
    VSTRING *why = vstring_alloc(10);
    int request_status = VRFY_STAT_OK;
    int addr_status = DEL_RCPT_STAT_OK;

    if (attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_ADDR, addr), ATTR_TYPE_END) != 1 ||
        strcmp(vstring_str(addr), "drop@x") == 0) {
        vstring_free(why);
        return (-1);
    }
    vstring_sprintf(why, "ok for %s", vstring_str(addr));
    if (strcmp(vstring_str(addr), "todo@x") == 0) {
        addr_status = DEL_RCPT_STAT_TODO;
        vstring_strcpy(why, "Address verification in progress");
    } else if (strcmp(vstring_str(addr), "bad@x") == 0) {
        request_status = VRFY_STAT_BAD;
    } else if (strcmp(vstring_str(addr), "odd@x") == 0) {
        addr_status = 42;
    }
    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, request_status),
               SEND_ATTR_INT(MAIL_ATTR_ADDR_STATUS, addr_status),
               SEND_ATTR_STR(MAIL_ATTR_WHY, vstring_str(why)), ATTR_TYPE_END);
    vstring_free(why);
    return (0);
}

/* serve_update - the reply status is the received address status times 10 */
static int serve_update(VSTREAM *fp, VSTRING *addr)
{
    VSTRING *why = vstring_alloc(10);
    int addr_status;
    int ok;

    ok = attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_ADDR, addr),
                   RECV_ATTR_INT(MAIL_ATTR_ADDR_STATUS, &addr_status),
                   RECV_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END) == 3 &&
         strcmp(vstring_str(why), "reason text") == 0;
    if (ok)
        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, addr_status * 10),
                   ATTR_TYPE_END);
    vstring_free(why);
    return (ok ? 0 : -1);
}

/* serve_one - one client connection */
static void serve_one(VSTREAM *fp)
{
    VSTRING *req = vstring_alloc(10), *addr = vstring_alloc(10);
    int status;

    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY),
               ATTR_TYPE_END);
    vstream_fflush(fp);
    while (attr_scan(fp, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, req),
                     ATTR_TYPE_END) == 1) {
        if (strcmp(vstring_str(req), VRFY_REQ_QUERY) == 0)
            status = serve_query(fp, addr);
        else if (strcmp(vstring_str(req), VRFY_REQ_UPDATE) == 0)
            status = serve_update(fp, addr);
        else
            status = -1;
        if (status < 0 || vstream_fflush(fp) != 0)
            break;
    }
    vstring_free(req);
    vstring_free(addr);
}

/* server_start - fork the scripted server under dir/private/verify */
static void server_start(void)
{
    char path[300];
    int lsock, fd;
    VSTREAM *fp;

    snprintf(path, sizeof(path), "%s/private", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/private/verify", dir);
    lsock = unix_listen(path, 10, BLOCKING);
    if ((server_pid = fork()) == 0) {
        for (;;) {
            if ((fd = sane_accept(lsock, 0, 0)) < 0)
                continue;
            fp = vstream_fdopen(fd, O_RDWR);
            serve_one(fp);
            vstream_fclose(fp);
        }
    }
    close(lsock);
}

TEST(query_returns_status_and_reason)
{
    VSTRING *why = vstring_alloc(10);
    int addr_status = -1;

    CHECK_INT(verify_clnt_query("user@example.com", &addr_status, why), VRFY_STAT_OK);
    CHECK_INT(addr_status, DEL_RCPT_STAT_OK);
    CHECK_STR(vstring_str(why), "ok for user@example.com");
    CHECK_INT(verify_clnt_query("todo@x", &addr_status, why), VRFY_STAT_OK);
    CHECK_INT(addr_status, DEL_RCPT_STAT_TODO);
    CHECK_STR(vstring_str(why), "Address verification in progress");
    vstring_free(why);
}

TEST(refused_and_invalid_answers_are_not_ok)
{
    VSTRING *why = vstring_alloc(10);
    int addr_status;

    CHECK_INT(verify_clnt_query("bad@x", &addr_status, why), VRFY_STAT_BAD);
    warnings = 0;
    CHECK_INT(verify_clnt_query("odd@x", &addr_status, why), VRFY_STAT_BAD);
    CHECK_INT(warnings, 1);
    CHECK_STR(last_warning, "bad address verification status 42 for odd@x from verify");
    /* The connection is still usable afterwards. */
    CHECK_INT(verify_clnt_query("next@x", &addr_status, why), VRFY_STAT_OK);
    vstring_free(why);
}

TEST(a_server_that_hangs_up_twice_is_a_failure_not_a_hang)
{
    VSTRING *why = vstring_alloc(10);
    int addr_status;

    warnings = 0;
    CHECK_INT(verify_clnt_query("drop@x", &addr_status, why), VRFY_STAT_FAIL);
    CHECK(warnings >= 1);
    CHECK(strstr(last_warning, "problem talking to service verify") != 0);
    CHECK_INT(verify_clnt_query("again@x", &addr_status, why), VRFY_STAT_OK);
    CHECK_STR(vstring_str(why), "ok for again@x");
    vstring_free(why);
}

TEST(a_missing_service_fails_at_once)
{
    VSTRING *why = vstring_alloc(10);
    int addr_status;
    time_t start = time((time_t *)0);

    var_address_verify_service_name = "noverify";
    warnings = 0;
    CHECK_INT(verify_clnt_query("a@x", &addr_status, why), VRFY_STAT_FAIL);
    CHECK_INT(verify_clnt_update("a@x", DEL_RCPT_STAT_OK, "x"), VRFY_STAT_FAIL);
    CHECK_INT(warnings, 2);
    CHECK_STR(last_warning, "problem talking to service noverify: No such file or directory");
    CHECK(time((time_t *)0) - start < 2);
    var_address_verify_service_name = "verify";
    vstring_free(why);
}

TEST(update_sends_address_status_and_reason)
{
    CHECK_INT(verify_clnt_update("u@x", DEL_RCPT_STAT_OK, "reason text"), 0);
    CHECK_INT(verify_clnt_update("u@x", DEL_RCPT_STAT_BOUNCE, "reason text"), 20);
    CHECK_INT(verify_clnt_update("u@x", DEL_RCPT_STAT_DEFER, "reason text"), 10);
}

TEST(status_names)
{
    CHECK_STR(verify_clnt_stat2name(DEL_RCPT_STAT_OK), "deliverable");
    CHECK_STR(verify_clnt_stat2name(DEL_RCPT_STAT_BOUNCE), "undeliverable");
    CHECK(verify_clnt_stat2name(DEL_RCPT_STAT_TODO) != 0);
    CHECK(verify_clnt_stat2name(4) == 0);
    CHECK(verify_clnt_stat2name(-1) == 0);
}

TEST(probe_sender_is_qualified_or_null)
{
    var_address_verify_sender_ttl = 0;
    var_address_verify_sender = "double-bounce";
    CHECK_STR(make_verify_sender_addr(), "double-bounce@origin.example");
    CHECK_STR(valid_verify_sender_addr("Double-Bounce@origin.example"),
              "Double-Bounce@origin.example");
    CHECK(valid_verify_sender_addr("double-bounce@elsewhere") == 0);
    var_address_verify_sender = "probe@probes.example";
    CHECK_STR(make_verify_sender_addr(), "probe@probes.example");
    var_address_verify_sender = "<>";
    CHECK_STR(make_verify_sender_addr(), "");
    var_address_verify_sender = "";
    CHECK_STR(make_verify_sender_addr(), "");
}

TEST(probe_sender_with_ttl_changes_per_period)
{
    char want[100];
    char prev[100];
    unsigned long period;

    var_address_verify_sender = "probe@probes.example";
    var_address_verify_sender_ttl = 3600;
    period = (unsigned long)time((time_t *)0) / 3600;
    /* Base 31: digits, then a..u. */
    {
        const char *digits = "0123456789abcdefghijklmnopqrstu";
        char tmp[64], num[64];
        unsigned long p;
        int i, n;

        for (i = 0; i < 2; i++) {
            p = period - i;
            n = 0;
            do {
                tmp[n++] = digits[p % 31];
                p /= 31;
            } while (p);
            for (int j = 0; j < n; j++)
                num[j] = tmp[n - 1 - j];
            num[n] = 0;
            snprintf(i == 0 ? want : prev, 100, "probe%s@probes.example", num);
        }
    }
    CHECK_STR(make_verify_sender_addr(), want);
    CHECK_STR(valid_verify_sender_addr(want), want);
    CHECK_STR(valid_verify_sender_addr(prev), prev);
    CHECK(valid_verify_sender_addr("probe@probes.example") == 0);
    var_address_verify_sender_ttl = 0;
}

int main(int argc, char **argv)
{
    char cmd[400];

    (void)argc;
    msg_stderr_init(argv[0]);
    msg_output_reset();
    msg_output(capture);
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    var_queue_directory = dir;
    var_address_verify_service_name = "verify";
    var_myorigin = "origin.example";
    var_ipc_idle = 5;
    var_ipc_ttl = 1000;
    var_ipc_timeout = 10;
    server_start();
    RUN(query_returns_status_and_reason);
    RUN(refused_and_invalid_answers_are_not_ok);
    RUN(a_server_that_hangs_up_twice_is_a_failure_not_a_hang);
    RUN(a_missing_service_fails_at_once);
    RUN(update_sends_address_status_and_reason);
    RUN(status_names);
    RUN(probe_sender_is_qualified_or_null);
    RUN(probe_sender_with_ttl_changes_per_period);
    kill(server_pid, SIGTERM);
    waitpid(server_pid, (int *)0, 0);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        msg_warn("could not remove %s", dir);
    return (TESTS_DONE());
}
