/* mail_stream_test - module tests for mail_stream and post_mail against a fake cleanup server */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "iostuff.h"
#include "listen.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_stream.h"
#include "post_mail.h"
#include "rec_type.h"
#include "record.h"
#include "testing.h"

static char topdir[] = "/tmp/mail_stream_test.XXXXXX";

/* setup - an empty queue tree, and the settings this module reads */
static void setup(void)
{
    static char names[] = "deferred, defer";
    static char service[] = "cleanup";

    var_hash_queue_names = names;
    var_hash_queue_depth = 1;
    var_enable_long_queue_ids = 0;
    var_ipc_timeout = 10;
    var_queue_directory = topdir;
    var_cleanup_service_name = service;
    if (chdir(topdir) < 0)
        exit(1);
    mkdir("incoming", 0700);
    mkdir("maildrop", 0730);
    mkdir("public", 0755);
}

/*
 * fake_cleanup - serve one connection: greet with the given protocol, read
 * flags and records up to E, reply with the given status. The child's exit
 * code is the number of records it received (0 on any protocol surprise).
 */
static pid_t fake_cleanup(int listen_fd, const char *proto, int status, const char *why)
{
    pid_t pid;

    if ((pid = fork()) != 0)
        return (pid);
    int fd = accept(listen_fd, 0, 0);
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);
    VSTRING *buf = vstring_alloc(100);
    int flags, type, count = 0;

    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, proto), ATTR_TYPE_END);
    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_QUEUEID, "ABC123"), ATTR_TYPE_END);
    vstream_fflush(fp);
    if (attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), ATTR_TYPE_END) != 1)
        _exit(0);
    if (flags != CLEANUP_FLAG_MASK_EXTERNAL)
        _exit(0);
    while ((type = rec_get(fp, buf, 10000)) > 0) {
        count++;
        if (type == REC_TYPE_END)
            break;
    }
    if (type != REC_TYPE_END)
        _exit(0);
    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END);
    vstream_fflush(fp);
    _exit(count);
}

/* child_result - the fake server's exit code */
static int child_result(pid_t pid)
{
    int wstat;

    if (waitpid(pid, &wstat, 0) != pid || !WIFEXITED(wstat))
        return (-1);
    return (WEXITSTATUS(wstat));
}

TEST(service_round_trip)
{
    int lfd;
    pid_t pid;
    MAIL_STREAM *ms;
    VSTRING *why = vstring_alloc(10);

    setup();
    lfd = unix_listen("public/cleanup", 5, BLOCKING);
    CHECK(lfd >= 0);
    pid = fake_cleanup(lfd, MAIL_ATTR_PROTO_CLEANUP, CLEANUP_STAT_SIZE, "message file too big");
    ms = mail_stream_service(MAIL_CLASS_PUBLIC, "cleanup");
    CHECK(ms != 0);
    if (ms) {
        CHECK_STR(ms->id, "ABC123");
        attr_print(ms->stream, ATTR_FLAG_NONE,
                   SEND_ATTR_INT(MAIL_ATTR_FLAGS, CLEANUP_FLAG_MASK_EXTERNAL), ATTR_TYPE_END);
        rec_fputs(ms->stream, REC_TYPE_TIME, "1 2");
        rec_fputs(ms->stream, REC_TYPE_FROM, "a@b");
        rec_fputs(ms->stream, REC_TYPE_RCPT, "c@d");
        rec_fputs(ms->stream, REC_TYPE_MESG, "");
        rec_fputs(ms->stream, REC_TYPE_NORM, "Subject: x");
        rec_fputs(ms->stream, REC_TYPE_XTRA, "");
        rec_fputs(ms->stream, REC_TYPE_END, "");
        CHECK_INT(mail_stream_finish(ms, why), CLEANUP_STAT_SIZE);
        CHECK_STR(vstring_str(why), "message file too big");
    }
    CHECK_INT(child_result(pid), 7);
    close(lfd);
    unlink("public/cleanup");
    vstring_free(why);
}

TEST(service_wrong_protocol_is_refused)
{
    int lfd;
    pid_t pid;
    MAIL_STREAM *ms;

    setup();
    lfd = unix_listen("public/cleanup", 5, BLOCKING);
    pid = fake_cleanup(lfd, "delivery_request_protocol", 0, "");
    ms = mail_stream_service(MAIL_CLASS_PUBLIC, "cleanup");
    CHECK(ms == 0);
    CHECK_INT(child_result(pid), 0);
    close(lfd);
    unlink("public/cleanup");
}

TEST(service_hangup_is_a_write_error)
{
    int lfd, fd;
    pid_t pid;
    MAIL_STREAM *ms;
    VSTRING *why = vstring_alloc(10);

    setup();
    lfd = unix_listen("public/cleanup", 5, BLOCKING);
    if ((pid = fork()) == 0) {
        VSTREAM *fp = vstream_fdopen(accept(lfd, 0, 0), O_RDWR);

        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_CLEANUP),
                   ATTR_TYPE_END);
        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_QUEUEID, "X1"), ATTR_TYPE_END);
        vstream_fflush(fp);
        _exit(0);
    }
    ms = mail_stream_service(MAIL_CLASS_PUBLIC, "cleanup");
    CHECK(ms != 0);
    CHECK_INT(child_result(pid), 0);
    if (ms) {
        fd = vstream_fileno(ms->stream);
        CHECK(fd >= 0);
        rec_fputs(ms->stream, REC_TYPE_END, "");
        CHECK_INT(mail_stream_finish(ms, why), CLEANUP_STAT_WRITE);
        CHECK_STR(vstring_str(why), "queue file write error");
    }
    close(lfd);
    unlink("public/cleanup");
    vstring_free(why);
}

TEST(post_mail_sends_envelope_and_content)
{
    int lfd;
    pid_t pid;
    VSTREAM *fp;
    VSTRING *id = vstring_alloc(10);

    setup();
    lfd = unix_listen("public/cleanup", 5, BLOCKING);
    pid = fake_cleanup(lfd, MAIL_ATTR_PROTO_CLEANUP, 0, "");
    fp = post_mail_fopen("", "postmaster", CLEANUP_FLAG_MASK_EXTERNAL, id);
    CHECK(fp != 0);
    CHECK_STR(vstring_str(id), "ABC123");
    if (fp) {
        post_mail_fputs(fp, "Subject: hello");
        post_mail_fprintf(fp, "%s", "");
        post_mail_buffer(fp, "body", 4);
        CHECK_INT(post_mail_fclose(fp, 0), 0);
    }
    /* T, A origin, S, R, M, 3 lines, X, E */
    CHECK_INT(child_result(pid), 10);
    close(lfd);
    unlink("public/cleanup");
    vstring_free(id);
}

TEST(file_is_complete_only_after_finish)
{
    MAIL_STREAM *ms;
    VSTRING *path = vstring_alloc(10);
    VSTRING *why = vstring_alloc(10);
    struct stat st;
    int lfd, fd;
    char ch = 0;

    setup();
    lfd = unix_listen("public/pickup", 5, BLOCKING);
    ms = mail_stream_file(MAIL_QUEUE_MAILDROP, MAIL_CLASS_PUBLIC, "pickup", 0044);
    mail_queue_path(path, MAIL_QUEUE_MAILDROP, ms->id);
    CHECK(stat(vstring_str(path), &st) == 0);
    CHECK_INT(st.st_mode & 07777, 0644);
    rec_fputs(ms->stream, REC_TYPE_TIME, "1 2");
    rec_fputs(ms->stream, REC_TYPE_END, "");
    CHECK_INT(mail_stream_finish(ms, why), 0);
    CHECK(stat(vstring_str(path), &st) == 0);
    CHECK_INT(st.st_mode & 07777, 0744);
    CHECK_INT(st.st_size, 2 + 3 + 2);
    fd = accept(lfd, 0, 0);
    CHECK(fd >= 0);
    CHECK_INT(read(fd, &ch, 1), 1);
    CHECK_INT(ch, TRIGGER_REQ_WAKEUP);
    close(fd);
    close(lfd);
    unlink("public/pickup");
    unlink(vstring_str(path));
    vstring_free(path);
    vstring_free(why);
}

TEST(file_cleanup_removes_the_partial_file)
{
    MAIL_STREAM *ms;
    VSTRING *path = vstring_alloc(10);

    setup();
    ms = mail_stream_file(MAIL_QUEUE_INCOMING, 0, 0, 0);
    mail_queue_path(path, MAIL_QUEUE_INCOMING, ms->id);
    rec_fputs(ms->stream, REC_TYPE_TIME, "1 2");
    mail_stream_cleanup(ms);
    CHECK(access(vstring_str(path), F_OK) < 0);
    vstring_free(path);
}

TEST(strerror_picks_the_most_important_bit)
{
    const CLEANUP_STAT_DETAIL *dp;

    dp = cleanup_stat_detail(CLEANUP_STAT_SIZE);
    CHECK_INT(dp->smtp, 552);
    CHECK_STR(dp->dsn, "5.3.4");
    CHECK_STR(dp->text, "message file too big");
    CHECK_STR(cleanup_strerror(CLEANUP_STAT_HOPS), "too many hops");
    CHECK_STR(cleanup_stat_detail(CLEANUP_STAT_HOPS)->dsn, "5.4.0");
    CHECK_STR(cleanup_strerror(CLEANUP_STAT_CONT | CLEANUP_STAT_WRITE), "message content rejected");
    CHECK_STR(cleanup_strerror(CLEANUP_STAT_WRITE | CLEANUP_STAT_DEFER), "service unavailable");
    CHECK_STR(cleanup_strerror(0), "Success");
    CHECK_STR(cleanup_stat_detail(CLEANUP_STAT_RCPT)->dsn, "5.1.0");
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);  /* callers of mail_stream ignore it too */
    if (mkdtemp(topdir) == 0)
        return (1);
    RUN(service_round_trip);
    RUN(service_wrong_protocol_is_refused);
    RUN(service_hangup_is_a_write_error);
    RUN(post_mail_sends_envelope_and_content);
    RUN(file_is_complete_only_after_finish);
    RUN(file_cleanup_removes_the_partial_file);
    RUN(strerror_picks_the_most_important_bit);
    if (chdir("/") == 0) {
        rmdir(topdir);  /* best effort: the tree is in /tmp anyway */
    }
    return (TESTS_DONE());
}
