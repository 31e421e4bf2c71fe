/*
 * testdaemons - small daemons for the end-to-end tests of the master and
 * the skeletons. Never installed (conf/postfix-files does not list them).
 *
 * One program, several personalities by program name:
 *   test-echo     single_server: greets, echoes lines, answers "id" with
 *                 the process's uid/gid, "pid" with its pid, "param" with
 *                 service_name and syslog_name, stops at "quit" or EOF
 *   test-multi    multi_server: one request line per wakeup, same commands
 *   test-event    event_server: greets and hangs up
 *   test-trigger  trigger_server: logs every trigger it receives
 *   test-dgram    dgram_server: logs every datagram it receives
 *   test-crash    single_server whose pre-init fails, for throttling tests
 *
 * Failure: nothing beyond what the skeletons do.
 */

#include <string.h>
#include <unistd.h>

#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define TEST_LINE_LIMIT 1000

/* test_answer - answer one request line; 0 when the client said quit */
static int test_answer(VSTREAM *stream, const char *line, const char *service)
{
    if (strcmp(line, "quit") == 0) {
        vstream_fprintf(stream, "bye\n");
        return (0);
    }
    if (strcmp(line, "id") == 0)
        vstream_fprintf(stream, "uid=%ld euid=%ld gid=%ld egid=%ld\n", (long)getuid(),
                        (long)geteuid(), (long)getgid(), (long)getegid());
    else if (strcmp(line, "pid") == 0)
        vstream_fprintf(stream, "pid=%ld\n", (long)getpid());
    else if (strcmp(line, "param") == 0)
        vstream_fprintf(stream, "service_name=%s syslog_name=%s\n", var_service_name,
                        var_syslog_name);
    else
        vstream_fprintf(stream, "%s: %s\n", service, line);
    return (1);
}

/* test_echo_service - single_server: a whole session */
static void test_echo_service(VSTREAM *stream, char *service, char **argv)
{
    VSTRING *line = vstring_alloc(100);

    vstream_fprintf(stream, "hello %s pid %ld\n", service, (long)getpid());
    vstream_fflush(stream);
    while (vstring_get_nonl_bound(line, stream, TEST_LINE_LIMIT) != VSTREAM_EOF) {
        if (!test_answer(stream, vstring_str(line), service))
            break;
        if (vstream_fflush(stream) != 0)
            break;
    }
    vstream_fflush(stream);
    vstring_free(line);
}

/* test_multi_service - multi_server: one request */
static void test_multi_service(VSTREAM *stream, char *service, char **argv)
{
    VSTRING *line = vstring_alloc(100);

    if (vstring_get_nonl_bound(line, stream, TEST_LINE_LIMIT) == VSTREAM_EOF ||
        !test_answer(stream, vstring_str(line), service)) {
        vstream_fflush(stream);
        multi_server_disconnect(stream);
    } else if (vstream_fflush(stream) != 0) {
        multi_server_disconnect(stream);
    }
    vstring_free(line);
}

/* test_event_service - event_server: greet and hang up */
static void test_event_service(VSTREAM *stream, char *service, char **argv)
{
    vstream_fprintf(stream, "hello %s pid %ld\n", service, (long)getpid());
    vstream_fflush(stream);
    event_server_disconnect(stream);
}

/* test_trigger_service - log the trigger */
static void test_trigger_service(char *buf, ssize_t len, char *service, char **argv)
{
    msg_info("%s: trigger received: %.*s", service, (int)len, buf);
}

/* test_crash_init - fail at start-up, like a daemon with a broken setup */
static void test_crash_init(char *service, char **argv)
{
    msg_fatal("%s: cannot start, as configured for this test", service);
}

/* test_post_init - say who we are after the privilege drop */
static void test_post_init(char *service, char **argv)
{
    msg_info("%s: started as uid %ld", service, (long)getuid());
}

int main(int argc, char **argv)
{
    const char *name = basename_of(argv[0]);

    if (strcmp(name, "test-multi") == 0)
        multi_server_main(argc, argv, test_multi_service, CA_MAIL_SERVER_POST_INIT(test_post_init),
                          0);
    if (strcmp(name, "test-event") == 0)
        event_server_main(argc, argv, test_event_service, 0);
    if (strcmp(name, "test-trigger") == 0)
        trigger_server_main(argc, argv, test_trigger_service,
                            CA_MAIL_SERVER_POST_INIT(test_post_init), 0);
    if (strcmp(name, "test-dgram") == 0)
        dgram_server_main(argc, argv, test_trigger_service, 0);
    if (strcmp(name, "test-crash") == 0)
        single_server_main(argc, argv, test_echo_service, CA_MAIL_SERVER_PRE_INIT(test_crash_init),
                           0);
    single_server_main(argc, argv, test_echo_service, CA_MAIL_SERVER_POST_INIT(test_post_init), 0);
}
