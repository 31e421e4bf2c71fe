/* attr_clnt_test - the attribute client against a scripted server in a child process */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "attr_clnt.h"
#include "events.h"
#include "iostuff.h"
#include "listen.h"
#include "msg.h"
#include "sane_accept.h"
#include "testing.h"

static char dir[] = "/tmp/attr_clnt_test.XXXXXX";
static char service[256];
static pid_t server_pid;
static int status_rd; /* the server writes one byte per closed connection */
static char last_warning[1024];
static int warnings;

/* capture - keep the last warning instead of printing it */
static void capture(int level, const char *text)
{
    warnings++;
    snprintf(last_warning, sizeof(last_warning), "%s", text);
}

/*
 * serve - a one-connection-at-a-time server. Requests carry "request" and
 * "value"; the reply is the connection number and the value. "close-once"
 * hangs up without replying the first time, "silent" never replies, "bye"
 * replies and hangs up. The server only accepts the next connection after
 * the current one is closed, so a client that leaks a connection hangs.
 */
static void serve(int lsock, int status_wr, ATTR_PRINT_COMMON_FN print, ATTR_SCAN_COMMON_FN scan)
{
    VSTRING *req = vstring_alloc(10);
    VSTRING *val = vstring_alloc(10);
    VSTREAM *fp;
    int conn = 0;
    int closed_once = 0;
    int fd;

    for (;;) {
        if ((fd = sane_accept(lsock, 0, 0)) < 0)
            continue;
        fp = vstream_fdopen(fd, O_RDWR);
        conn++;
        while (scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR("request", req),
                    RECV_ATTR_STR("value", val), ATTR_TYPE_END) == 2) {
            if (strcmp(vstring_str(req), "close-once") == 0 && !closed_once++)
                break;
            if (strcmp(vstring_str(req), "silent") == 0)
                continue;
            print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT("conn", conn),
                  SEND_ATTR_STR("value", vstring_str(val)), ATTR_TYPE_END);
            if (vstream_fflush(fp) != 0 || strcmp(vstring_str(req), "bye") == 0)
                break;
        }
        vstream_fclose(fp);
        if (write(status_wr, "E", 1) != 1)
            _exit(1);
    }
}

/* server_start - fork a server on a fresh unix socket */
static void server_start(ATTR_PRINT_COMMON_FN print, ATTR_SCAN_COMMON_FN scan)
{
    int lsock;
    int fds[2];

    snprintf(service, sizeof(service), "unix:%s/policy", dir);
    lsock = unix_listen(service + 5, 10, BLOCKING);
    if (pipe(fds) < 0)
        exit(1);
    if ((server_pid = fork()) == 0) {
        close(fds[0]);
        serve(lsock, fds[1], print, scan);
        _exit(0);
    }
    close(lsock);
    close(fds[1]);
    status_rd = fds[0];
}

/* server_stop - stop the server we started */
static void server_stop(void)
{
    kill(server_pid, SIGTERM);
    waitpid(server_pid, (int *)0, 0);
    close(status_rd);
}

/* server_saw_close - did the server see a connection end within 3 seconds? */
static int server_saw_close(void)
{
    char ch;

    return (timed_read(status_rd, &ch, 1, 3, 0) == 1);
}

/* ask - one request; returns the scan result, the connection number and the echo */
static int ask(ATTR_CLNT *client, const char *request, const char *value, int *conn, VSTRING *echo)
{
    return (attr_clnt_request(client, ATTR_FLAG_NONE, SEND_ATTR_STR("request", request),
                              SEND_ATTR_STR("value", value), ATTR_TYPE_END, ATTR_FLAG_MISSING,
                              RECV_ATTR_INT("conn", conn), RECV_ATTR_STR("value", echo),
                              ATTR_TYPE_END));
}

TEST(requests_share_one_connection)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 5, 0, 0);
    CHECK_INT(ask(client, "echo", "first", &conn, echo), 2);
    CHECK_INT(conn, 1);
    CHECK_STR(vstring_str(echo), "first");
    CHECK_INT(ask(client, "echo", "second", &conn, echo), 2);
    CHECK_INT(conn, 1);
    CHECK_STR(vstring_str(echo), "second");
    attr_clnt_free(client);
    CHECK(server_saw_close());
    server_stop();
    vstring_free(echo);
}

TEST(server_hangup_between_requests_is_invisible)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 5, 0, 0);
    CHECK_INT(ask(client, "bye", "a", &conn, echo), 2);
    CHECK(server_saw_close());
    warnings = 0;
    CHECK_INT(ask(client, "echo", "b", &conn, echo), 2);
    CHECK_INT(conn, 2);
    CHECK_INT(warnings, 0);
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(broken_request_is_retried_once_on_a_new_connection)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 5, 0, 0);
    CHECK_INT(ask(client, "echo", "warm-up", &conn, echo), 2);
    CHECK_INT(ask(client, "close-once", "x", &conn, echo), 2);
    CHECK_INT(conn, 2);
    CHECK_STR(vstring_str(echo), "x");
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(silent_server_times_out)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;
    time_t start;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 1, 0, 0);
    attr_clnt_control(client, ATTR_CLNT_CTL_TRY_LIMIT, 1, ATTR_CLNT_CTL_END);
    start = time((time_t *)0);
    warnings = 0;
    CHECK_INT(ask(client, "silent", "x", &conn, echo), -1);
    CHECK(time((time_t *)0) - start <= 3);
    CHECK_INT(warnings, 2);
    CHECK(strstr(last_warning, "problem talking to server ") != 0);
    CHECK(strstr(last_warning, "unix:") == 0);
    /* The client hung up, so the server is free for the next connection. */
    CHECK(server_saw_close());
    CHECK_INT(ask(client, "echo", "y", &conn, echo), 2);
    CHECK_INT(conn, 2);
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(idle_connection_is_dropped_by_the_event_loop)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;
    time_t start;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 5, 1, 0);
    CHECK_INT(ask(client, "echo", "x", &conn, echo), 2);
    start = time((time_t *)0);
    event_loop(3);
    CHECK(time((time_t *)0) - start <= 2);
    CHECK(server_saw_close());
    CHECK_INT(ask(client, "echo", "y", &conn, echo), 2);
    CHECK_INT(conn, 2);
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(old_connection_is_dropped_after_its_ttl)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;

    server_start(attr_print_plain, attr_scan_plain);
    client = attr_clnt_create(service, 5, 0, 1);
    CHECK_INT(ask(client, "echo", "x", &conn, echo), 2);
    event_loop(3);
    CHECK(server_saw_close());
    CHECK_INT(ask(client, "echo", "y", &conn, echo), 2);
    CHECK_INT(conn, 2);
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(request_limit_and_null_encoding)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn = 0;

    server_start(attr_print0, attr_scan0);
    client = attr_clnt_create(service, 5, 0, 0);
    attr_clnt_control(client, ATTR_CLNT_CTL_PROTO, attr_vprint0, attr_vscan0,
                      ATTR_CLNT_CTL_REQ_LIMIT, 2, ATTR_CLNT_CTL_END);
    CHECK_INT(ask(client, "echo", "1", &conn, echo), 2);
    CHECK_INT(conn, 1);
    CHECK_INT(ask(client, "echo", "2", &conn, echo), 2);
    CHECK_INT(conn, 1);
    CHECK(server_saw_close());
    CHECK_INT(ask(client, "echo", "3", &conn, echo), 2);
    CHECK_INT(conn, 2);
    attr_clnt_free(client);
    server_stop();
    vstring_free(echo);
}

TEST(no_server_fails_after_retries)
{
    ATTR_CLNT *client;
    VSTRING *echo = vstring_alloc(10);
    int conn;
    char nowhere[300];

    snprintf(nowhere, sizeof(nowhere), "local:%s/nobody", dir);
    client = attr_clnt_create(nowhere, 1, 0, 0);
    attr_clnt_control(client, ATTR_CLNT_CTL_TRY_DELAY, 0, ATTR_CLNT_CTL_END);
    warnings = 0;
    CHECK_INT(ask(client, "echo", "x", &conn, echo), -1);
    /* Two connect attempts, then the final verdict. */
    CHECK_INT(warnings, 3);
    CHECK(strstr(last_warning, "No such file or directory") != 0);
    attr_clnt_free(client);
    vstring_free(echo);
}

TEST(bad_service_name_is_fatal)
{
    pid_t pid;
    int status;

    if ((pid = fork()) == 0) {
        (void)attr_clnt_create("tcp:localhost:25", 1, 0, 0);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

int main(void)
{
    int rc;
    char cmd[300];

    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    msg_output(capture);
    RUN(requests_share_one_connection);
    RUN(server_hangup_between_requests_is_invisible);
    RUN(broken_request_is_retried_once_on_a_new_connection);
    RUN(silent_server_times_out);
    RUN(idle_connection_is_dropped_by_the_event_loop);
    RUN(old_connection_is_dropped_after_its_ttl);
    RUN(request_limit_and_null_encoding);
    RUN(no_server_fails_after_retries);
    RUN(bad_service_name_is_fatal);
    rc = TESTS_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return (rc);
}
