/* qmgr_deliver_test - module tests: deliveries through a fake agent on a unix socket */

#include <signal.h>
#include <sys/wait.h>

#include "deliver_completed.h"
#include "deliver_request.h"
#include "events.h"
#include "iostuff.h"
#include "listen.h"
#include "sane_accept.h"
#include "testing.h"

#include "qmgr_test_util.h"

static pid_t agent_pid;

/*
 * fake_agent_serve - one delivery request. The next hop says what happens:
 * ok.test delivered, defer.test deferred, crash.test no reply at all,
 * dead.test the destination fails ("hop status").
 */
static void fake_agent_serve(VSTREAM *stream)
{
    DELIVER_REQUEST *request;
    DSN dsn;
    int i;

    if ((request = deliver_request_read(stream)) == 0)
        return;
    if (strcmp(request->nexthop, "crash.test") == 0) {
        deliver_request_free(request);
        return;
    }
    if (strcmp(request->nexthop, "ok.test") == 0) {
        for (i = 0; i < request->rcpt_list.len; i++)
            deliver_completed(request->fp, request->rcpt_list.info[i].offset);
        deliver_request_done(stream, request, DEL_STAT_FINAL);
        return;
    }
    if (strcmp(request->nexthop, "dead.test") == 0)
        request->hop_status = dsn_copy(
            DSN_SIMPLE(&dsn, "4.4.1", "connect to dead.test[192.0.2.1]:25: Connection refused"));
    deliver_request_done(stream, request, DEL_STAT_DEFER);
}

/* fake_agent_start - a child process that serves private/fake */
static void fake_agent_start(void)
{
    int sock = unix_listen("private/fake", 10, BLOCKING);
    int fd;
    VSTREAM *stream;

    if (sock < 0) {
        perror("private/fake");
        exit(1);
    }
    if ((agent_pid = fork()) < 0) {
        perror("fork");
        exit(1);
    }
    if (agent_pid == 0) {
        for (;;) {
            if ((fd = sane_accept(sock, (struct sockaddr *)0, (socklen_t *)0)) < 0)
                continue;
            stream = vstream_fdopen(fd, O_RDWR);
            fake_agent_serve(stream);
            vstream_fclose(stream);
        }
    }
    close(sock);
}

/* fake_agent_stop - end the child */
static void fake_agent_stop(void)
{
    kill(agent_pid, SIGKILL);
    waitpid(agent_pid, (int *)0, 0);
}

/* run_until_idle - feed incoming and run the event loop until the active queue is empty */
static void run_until_idle(void)
{
    QMGR_SCAN *scan = qmgr_scan_create(MAIL_QUEUE_INCOMING);
    time_t deadline = time(0) + 20;
    char *id;

    qmgr_scan_request(scan, QMGR_SCAN_START);
    while ((id = qmgr_scan_next(scan)) != 0)
        qmgr_active_feed(scan, id);
    while (qmgr_message_count > 0 && time(0) < deadline) {
        qmgr_active_drain();
        event_loop(1);
    }
    qmgr_scan_free(scan);
}

/* reset - forget logged requests and dead transports and destinations */
static void reset(void)
{
    VSTRING_RESET(notify_log);
    VSTRING_TERMINATE(notify_log);
    qmgr_transport_flush_dead();
}

TEST(delivered_recipients_remove_the_file)
{
    const char *rcpts[] = {"a@via-fake.ok.test", "b@via-fake.ok.test", 0};

    reset();
    test_queue_file(MAIL_QUEUE_INCOMING, "A10000", "s@example.com", rcpts, time(0), 0);
    run_until_idle();
    CHECK_INT(qmgr_message_count, 0);
    CHECK(!file_exists(MAIL_QUEUE_ACTIVE, "A10000"));
    CHECK(!file_exists(MAIL_QUEUE_DEFERRED, "A10000"));
    CHECK_STR(vstring_str(notify_log), "");
}

TEST(agent_deferral_moves_the_file_to_deferred)
{
    const char *rcpts[] = {"a@via-fake.ok.test", "b@via-fake.defer.test", 0};
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(100);
    int type;
    int done = 0, todo = 0;

    reset();
    test_queue_file(MAIL_QUEUE_INCOMING, "B10000", "s@example.com", rcpts, time(0), 0);
    run_until_idle();
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "B10000"));
    CHECK(file_mtime(MAIL_QUEUE_DEFERRED, "B10000") > time(0) + 100);
    /* The delivered recipient is marked done, the deferred one is not. */
    if ((fp = mail_queue_open(MAIL_QUEUE_DEFERRED, "B10000", O_RDONLY, 0)) != 0) {
        while ((type = rec_get(fp, buf, 0)) > 0 && type != REC_TYPE_END) {
            done += (type == REC_TYPE_DONE);
            todo += (type == REC_TYPE_RCPT);
        }
        vstream_fclose(fp);
    }
    CHECK_INT(done, 1);
    CHECK_INT(todo, 1);
    CHECK_STR(vstring_str(notify_log), "");
    mail_queue_remove(MAIL_QUEUE_DEFERRED, "B10000");
    vstring_free(buf);
}

TEST(crashed_agent_loses_no_recipient)
{
    const char *rcpts[] = {"a@via-fake.crash.test", "b@via-fake.crash.test", 0};
    QMGR_TRANSPORT *transport;

    reset();
    test_queue_file(MAIL_QUEUE_INCOMING, "C10000", "s@example.com", rcpts, time(0), 0);
    run_until_idle();
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "C10000"));
    CHECK_STR(vstring_str(notify_log),
              "defer C10000 a@via-fake.crash.test 4.3.0\n"
              "  (delivery temporarily suspended: unknown mail transport error)\n"
              "defer C10000 b@via-fake.crash.test 4.3.0\n"
              "  (delivery temporarily suspended: unknown mail transport error)\n");
    transport = qmgr_transport_find("fake");
    CHECK(transport != 0 && QMGR_TRANSPORT_THROTTLED(transport));
    mail_queue_remove(MAIL_QUEUE_DEFERRED, "C10000");
}

TEST(dead_destination_suspends_delivery)
{
    const char *one[] = {"a@via-fake.dead.test", 0};
    const char *two[] = {"b@via-fake.dead.test", 0};

    reset();
    test_queue_file(MAIL_QUEUE_INCOMING, "D10000", "s@example.com", one, time(0), 0);
    run_until_idle();
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "D10000"));
    /* The destination is now known dead: the next message is not even tried. */
    test_queue_file(MAIL_QUEUE_INCOMING, "D20000", "s@example.com", two, time(0), 0);
    run_until_idle();
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "D20000"));
    CHECK_STR(vstring_str(notify_log),
              "defer D20000 b@via-fake.dead.test 4.4.1\n"
              "  (delivery temporarily suspended: connect to dead.test[192.0.2.1]:25: "
              "Connection refused)\n");
}

TEST(missing_agent_is_unavailable)
{
    const char *rcpts[] = {"a@via-nosuch.x.test", 0};

    reset();
    test_queue_file(MAIL_QUEUE_INCOMING, "E10000", "s@example.com", rcpts, time(0), 0);
    run_until_idle();
    CHECK(file_exists(MAIL_QUEUE_DEFERRED, "E10000"));
    CHECK_STR(vstring_str(notify_log), "defer E10000 a@via-nosuch.x.test 4.3.0\n"
                                       "  (mail transport unavailable)\n");
}

int main(int argc, char **argv)
{
    msg_stderr_init("qmgr_deliver_test");
    test_setup("transport_retry_time = 1s\nfake_initial_destination_concurrency = 1\n");
    test_fakes();
    signal(SIGPIPE, SIG_IGN);
    fake_agent_start();
    RUN(delivered_recipients_remove_the_file);
    RUN(agent_deferral_moves_the_file_to_deferred);
    RUN(crashed_agent_loses_no_recipient);
    RUN(dead_destination_suspends_delivery);
    RUN(missing_agent_is_unavailable);
    fake_agent_stop();
    test_cleanup();
    return (TESTS_DONE());
}
