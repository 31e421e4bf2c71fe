/* msg_test - module tests for the logging API and its output channels */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include "listen.h"
#include "msg.h"
#include "mymalloc.h"
#include "testing.h"
#include "vstream.h"
#include "vstring.h"

static char tmpdir[] = "/tmp/msg_test.XXXXXX";

/* What the capture channel saw last, and how many messages. */
static int last_level = -1;
static char last_text[5000];
static int captured;

/* capture - an output channel that remembers the last message */
static void capture(int level, const char *text)
{
    last_level = level;
    snprintf(last_text, sizeof(last_text), "%s", text);
    captured++;
}

static jmp_buf exit_jmp;
static int cleanup_calls;

/* test_exit - msg_exit_hook target: return to the test instead of exiting */
static void test_exit(int status)
{
    longjmp(exit_jmp, status + 1000);
}

/* test_cleanup - msg_cleanup target */
static void test_cleanup(void)
{
    cleanup_calls++;
}

/* read_file - the content of a file, in a static buffer */
static const char *read_file(const char *path)
{
    static char buf[10000];
    int fd = open(path, O_RDONLY);
    ssize_t n;

    if (fd < 0)
        return ("");
    n = read(fd, buf, sizeof(buf) - 1);
    close(fd);
    buf[n > 0 ? n : 0] = 0;
    return (buf);
}

TEST(levels_reach_the_channel_with_their_prefix)
{
    CHECK_STR(msg_level_prefix(MSG_INFO), "");
    CHECK_STR(msg_level_prefix(MSG_WARN), "warning: ");
    CHECK_STR(msg_level_prefix(MSG_ERROR), "error: ");
    CHECK_STR(msg_level_prefix(MSG_FATAL), "fatal: ");
    CHECK_STR(msg_level_prefix(MSG_PANIC), "panic: ");
    CHECK_STR(msg_level_prefix(99), "");

    msg_info("info %d", 1);
    CHECK_INT(last_level, MSG_INFO);
    CHECK_STR(last_text, "info 1");
    msg_warn("warn %s", "two");
    CHECK_INT(last_level, MSG_WARN);
    CHECK_STR(last_text, "warn two");
    msg_error("error %c", '3');
    CHECK_INT(last_level, MSG_ERROR);
    CHECK_STR(last_text, "error 3");
}

/* second_channel - another output channel, counting what it sees */
static int second_count;

static void second_channel(int level, const char *text)
{
    (void)level;
    (void)text;
    second_count++;
}

TEST(removed_channel_sees_no_more_messages)
{
    int before = captured;

    msg_output(second_channel);
    msg_info("to both");
    CHECK_INT(second_count, 1);
    msg_output_remove(second_channel);
    msg_info("to the first only");
    CHECK_INT(second_count, 1);
    CHECK_INT(captured, before + 2);
    CHECK_STR(last_text, "to the first only");
    msg_output_remove(second_channel); /* not registered: no effect */
}

TEST(percent_m_is_the_errno_text)
{
    errno = ENOENT;
    msg_warn("open x: %m");
    CHECK_STR(last_text, "open x: No such file or directory");
    CHECK_INT(errno, ENOENT);
}

TEST(control_characters_do_not_make_new_lines)
{
    msg_warn("first\nsecond\r\tthird\x7f");
    CHECK_STR(last_text, "first?second??third?");
}

TEST(long_messages_are_truncated_not_overflowed)
{
    char *big = mymalloc(10000);

    memset(big, 'x', 9999);
    big[9999] = 0;
    msg_info("%s", big);
    CHECK(strlen(last_text) > 1000);
    CHECK(strlen(last_text) < 9999);
    myfree(big);
}

TEST(fatal_runs_cleanup_and_exits_with_status)
{
    volatile int status;
    void (*old)(void);

    cleanup_calls = 0;
    old = msg_cleanup(test_cleanup);
    CHECK(old == 0);
    if ((status = setjmp(exit_jmp)) == 0)
        msg_fatal("cannot go on: %s", "reason");
    CHECK_INT(status, 1000 + 1);
    CHECK_INT(last_level, MSG_FATAL);
    CHECK_STR(last_text, "cannot go on: reason");
    CHECK_INT(cleanup_calls, 1);

    /* The cleanup hook runs at most once. */
    if ((status = setjmp(exit_jmp)) == 0)
        msg_fatal_status(75, "temporary trouble");
    CHECK_INT(status, 1000 + 75);
    CHECK_STR(last_text, "temporary trouble");
    CHECK_INT(cleanup_calls, 1);
}

TEST(panic_skips_cleanup)
{
    volatile int status;

    cleanup_calls = 0;
    msg_cleanup(test_cleanup);
    if ((status = setjmp(exit_jmp)) == 0)
        msg_panic("bug: %d", 7);
    CHECK_INT(status, 1000 + 2);
    CHECK_INT(last_level, MSG_PANIC);
    CHECK_STR(last_text, "bug: 7");
    CHECK_INT(cleanup_calls, 0);
    msg_cleanup(0);
}

TEST(too_many_errors_are_fatal)
{
    volatile int status;
    volatile int i = 0;
    int old;

    /* Earlier tests issued one error; the count persists for the process. */
    old = msg_error_limit(4);
    CHECK_INT(old, 13);
    if ((status = setjmp(exit_jmp)) == 0) {
        for (i = 0; i < 10; i++)
            msg_error("error number %d", i);
    }
    CHECK_INT(status, 1000 + 1);
    CHECK_INT(i, 2);
    CHECK_INT(last_level, MSG_FATAL);
    CHECK_STR(last_text, "too many errors - program terminated");
    msg_error_limit(1000);
}

TEST(stderr_channel_prefixes_the_program_name)
{
    char path[300];
    int fd, saved;

    snprintf(path, sizeof(path), "%s/stderr", tmpdir);
    fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    saved = dup(2);
    dup2(fd, 2);
    close(fd);
    msg_stderr_init("/usr/sbin/postqueue");
    msg_warn("something odd");
    msg_info("plain");
    dup2(saved, 2);
    close(saved);
    CHECK_STR(read_file(path), "postqueue: warning: something odd\npostqueue: plain\n");
    CHECK_STR(msg_tag(), "postqueue");
}

/* next_line - split off the next newline-terminated line */
static const char *next_line(char **bp)
{
    char *line = *bp;
    char *nl = strchr(line, '\n');

    if (nl == 0)
        return ("(missing line)");
    *nl = 0;
    *bp = nl + 1;
    return (line);
}

/* check_log_line - verify "Mon DD HH:MM:SS host tag[pid]: text" */
static void check_log_line(const char *line, const char *host, const char *tag, const char *text)
{
    char want[1000];
    static const char *months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    char mon[4];

    snprintf(mon, sizeof(mon), "%s", line);
    CHECK(strstr(months, mon) != 0 && (strstr(months, mon) - months) % 3 == 0);
    CHECK(line[3] == ' ' && isdigit((unsigned char)line[4]) && isdigit((unsigned char)line[5]));
    CHECK(line[6] == ' ' && line[9] == ':' && line[12] == ':' && line[15] == ' ');
    CHECK(isdigit((unsigned char)line[7]) && isdigit((unsigned char)line[14]));
    snprintf(want, sizeof(want), "%s %s[%ld]: %s", host, tag, (long)getpid(), text);
    CHECK_STR(line + 16, want);
}

TEST(logfile_channel_writes_syslog_format_lines)
{
    char path[300];
    char host[256];
    char *dot;
    char *lines, *next;

    snprintf(path, sizeof(path), "%s/maillog", tmpdir);
    CHECK_INT(msg_logfile_init(path, "postfix/test"), 0);
    msg_info("hello");
    msg_warn("line one\nline two");
    msg_error("bad thing");

    gethostname(host, sizeof(host));
    host[sizeof(host) - 1] = 0;
    if ((dot = strchr(host, '.')) != 0)
        *dot = 0;
    lines = mystrdup(read_file(path));
    next = lines;
    check_log_line(next_line(&next), host, "postfix/test", "hello");
    check_log_line(next_line(&next), host, "postfix/test", "warning: line one?line two");
    check_log_line(next_line(&next), host, "postfix/test", "error: bad thing");
    CHECK(*next == 0);
    myfree(lines);

    snprintf(path, sizeof(path), "%s/no/such/dir/maillog", tmpdir);
    CHECK_INT(msg_logfile_init(path, "postfix/test"), -1);
}

TEST(logger_channel_sends_one_datagram_per_line)
{
    char path[300];
    char got[5000];
    char want[1000];
    ssize_t len;
    int sock;

    snprintf(path, sizeof(path), "%s/postlog", tmpdir);
    CHECK_INT(msg_logger_init(path, "postfix/test"), -1); /* nobody listens yet */
    sock = unix_dgram_listen(path, BLOCKING);
    msg_log_hostname("mail.example.test");
    CHECK_INT(msg_logger_init(path, "postfix/test"), 0);
    msg_warn("to the logger");
    len = recv(sock, got, sizeof(got) - 1, 0);
    CHECK(len > 16);
    if (len > 16) {
        got[len] = 0;
        /* No newline: the server adds it. Host name: $myhostname's first label. */
        snprintf(want, sizeof(want), "mail postfix/test[%ld]: warning: to the logger",
                 (long)getpid());
        CHECK_STR(got + 16, want);
    }
    close(sock);
}

int main(void)
{
    char cmd[300];
    int rc;

    if (mkdtemp(tmpdir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    msg_output(capture);
    msg_exit_hook(test_exit);
    RUN(levels_reach_the_channel_with_their_prefix);
    RUN(percent_m_is_the_errno_text);
    RUN(control_characters_do_not_make_new_lines);
    RUN(long_messages_are_truncated_not_overflowed);
    RUN(fatal_runs_cleanup_and_exits_with_status);
    RUN(panic_skips_cleanup);
    RUN(too_many_errors_are_fatal);
    RUN(stderr_channel_prefixes_the_program_name);
    RUN(logfile_channel_writes_syslog_format_lines);
    RUN(logger_channel_sends_one_datagram_per_line);
    RUN(removed_channel_sees_no_more_messages);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    rc = system(cmd);
    (void)rc;
    return (TESTS_DONE());
}
