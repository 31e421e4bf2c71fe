/* rewrite_clnt_test - rewrite and resolve clients against a scripted trivial-rewrite */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "listen.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "resolve_clnt.h"
#include "rewrite_clnt.h"
#include "sane_accept.h"
#include "testing.h"

static char dir[] = "/tmp/rewrite_clnt_test.XXXXXX";
static pid_t server_pid;
static int warnings;

/* capture - count warnings instead of printing them */
static void capture(int level, const char *text)
{
    (void)text;
    if (level == MSG_WARN)
        warnings++;
}

/*
 * serve_one - answer requests on one connection. Each answer carries the
 * server's request count so that the tests can tell a cached answer from a
 * fresh one: rewrite returns "<count>:<rule>:<length>:<address>", resolve returns
 * transport "t<count>", nexthop "<request>:<sender>", the address as
 * recipient, flags = count. Connection 1 announces the wrong protocol.
 */
static void serve_one(VSTREAM *fp, int conn, int *count)
{
    VSTRING *req = vstring_alloc(10), *a = vstring_alloc(10), *b = vstring_alloc(10);
    VSTRING *buf = vstring_alloc(10), *hop = vstring_alloc(10);

    attr_print(fp, ATTR_FLAG_NONE,
               SEND_ATTR_STR(MAIL_ATTR_PROTO, conn == 1 ? "bogus" : MAIL_ATTR_PROTO_TRIVIAL),
               ATTR_TYPE_END);
    vstream_fflush(fp);
    while (attr_scan(fp, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, req),
                     ATTR_TYPE_END) == 1) {
        *count += 1;
        if (strcmp(vstring_str(req), REWRITE_ADDR) == 0) {
            if (attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_RULE, a),
                          RECV_ATTR_STR(MAIL_ATTR_ADDR, b), ATTR_TYPE_END) != 2)
                break;
            vstring_sprintf(buf, "%d:%s:%d:%s", *count, vstring_str(a), (int)VSTRING_LEN(b),
                            vstring_str(b));
            attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, 0),
                       SEND_ATTR_STR(MAIL_ATTR_ADDR, vstring_str(buf)), ATTR_TYPE_END);
        } else {
            if (attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_SENDER, a),
                          RECV_ATTR_STR(MAIL_ATTR_ADDR, b), ATTR_TYPE_END) != 2)
                break;
            vstring_sprintf(buf, "t%d", *count);
            vstring_sprintf(hop, "%s:%s", vstring_str(req), vstring_str(a));
            attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, 0),
                       SEND_ATTR_STR(MAIL_ATTR_TRANSPORT, vstring_str(buf)),
                       SEND_ATTR_STR(MAIL_ATTR_NEXTHOP, vstring_str(hop)),
                       SEND_ATTR_STR(MAIL_ATTR_RECIP, vstring_str(b)),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, *count), ATTR_TYPE_END);
        }
        if (vstream_fflush(fp) != 0)
            break;
    }
    vstring_free(req);
    vstring_free(a);
    vstring_free(b);
    vstring_free(buf);
    vstring_free(hop);
}

/* server_start - fork a fake rewrite service under dir/private */
static void server_start(void)
{
    char path[300];
    int lsock, fd, conn = 0, count = 0;
    VSTREAM *fp;

    snprintf(path, sizeof(path), "%s/private", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/private/rewrite", dir);
    lsock = unix_listen(path, 10, BLOCKING);
    if ((server_pid = fork()) == 0) {
        for (;;) {
            if ((fd = sane_accept(lsock, 0, 0)) < 0)
                continue;
            fp = vstream_fdopen(fd, O_RDWR);
            serve_one(fp, ++conn, &count);
            vstream_fclose(fp);
        }
    }
    close(lsock);
}

TEST(bad_announcement_is_retried_then_rewrite_works)
{
    VSTRING *result = vstring_alloc(10);

    warnings = 0;
    rewrite_clnt(REWRITE_LOCAL, "user", result);
    CHECK(warnings >= 1);
    CHECK_STR(vstring_str(result), "1:local:4:user");
    vstring_free(result);
}

TEST(repeated_rewrite_comes_from_the_cache)
{
    VSTRING *result = vstring_alloc(10);

    rewrite_clnt(REWRITE_REMOTE, "a@b", result);
    CHECK_STR(vstring_str(result), "2:remote:3:a@b");
    rewrite_clnt(REWRITE_REMOTE, "a@b", result);
    CHECK_STR(vstring_str(result), "2:remote:3:a@b");
    rewrite_clnt(REWRITE_LOCAL, "a@b", result);
    CHECK_STR(vstring_str(result), "3:local:3:a@b");
    vstring_free(result);
}

TEST(internal_form_is_quoted_on_the_wire_and_unquoted_back)
{
    VSTRING *result = vstring_alloc(10);

    rewrite_clnt_internal(REWRITE_LOCAL, "first last@example.com", result);
    /* 24 = strlen("\"first last\"@example.com"): the quotes went on the wire. */
    CHECK_STR(vstring_str(result), "4:local:24:first last@example.com");
    rewrite_clnt_internal(REWRITE_LOCAL, "", result);
    CHECK_STR(vstring_str(result), "5:local:0:");
    vstring_free(result);
}

TEST(resolve_sends_request_sender_and_address)
{
    RESOLVE_REPLY reply;

    resolve_clnt_init(&reply);
    resolve_clnt_query("user@example.com", &reply);
    CHECK_STR(vstring_str(reply.transport), "t6");
    CHECK_STR(vstring_str(reply.nexthop), "resolve:");
    CHECK_STR(vstring_str(reply.recipient), "user@example.com");
    CHECK_INT(reply.flags, 6);
    resolve_clnt_query("user@example.com", &reply);
    CHECK_INT(reply.flags, 6);
    resolve_clnt_verify_from("s@x", "user@example.com", &reply);
    CHECK_STR(vstring_str(reply.nexthop), "verify:s@x");
    CHECK_INT(reply.flags, 7);
    resolve_clnt_query_from("s@x", "user@example.com", &reply);
    CHECK_STR(vstring_str(reply.nexthop), "resolve:s@x");
    CHECK_INT(reply.flags, 8);
    resolve_clnt_free(&reply);
}

TEST(alternating_questions_come_from_the_cache)
{
    VSTRING *result = vstring_alloc(10);

    /* cleanup's pattern: envelope sender, recipient, then the same in headers. */
    rewrite_clnt(REWRITE_LOCAL, "s@x", result);
    CHECK_STR(vstring_str(result), "9:local:3:s@x");
    rewrite_clnt(REWRITE_LOCAL, "r@y", result);
    CHECK_STR(vstring_str(result), "10:local:3:r@y");
    rewrite_clnt(REWRITE_LOCAL, "s@x", result);
    CHECK_STR(vstring_str(result), "9:local:3:s@x");
    rewrite_clnt(REWRITE_LOCAL, "r@y", result);
    CHECK_STR(vstring_str(result), "10:local:3:r@y");
    vstring_free(result);
}

int main(int argc, char **argv)
{
    (void)argc;
    msg_stderr_init(argv[0]);
    msg_output(capture);
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    var_queue_directory = dir;
    var_rewrite_service_name = "rewrite";
    var_ipc_idle = 5;
    var_ipc_ttl = 1000;
    var_ipc_timeout = 10;
    server_start();
    RUN(bad_announcement_is_retried_then_rewrite_works);
    RUN(repeated_rewrite_comes_from_the_cache);
    RUN(internal_form_is_quoted_on_the_wire_and_unquoted_back);
    RUN(resolve_sends_request_sender_and_address);
    RUN(alternating_questions_come_from_the_cache);
    kill(server_pid, SIGTERM);
    waitpid(server_pid, (int *)0, 0);
    {
        char cmd[400];
        snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
        if (system(cmd) != 0)
            msg_warn("could not remove %s", dir);
    }
    return (TESTS_DONE());
}
