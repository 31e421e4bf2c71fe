/* iostuff_test - module tests for descriptor utilities */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iostuff.h"
#include "testing.h"

TEST(flags_report_their_previous_state)
{
    int fds[2];

    CHECK(pipe(fds) == 0);
    CHECK_INT(non_blocking(fds[0], NON_BLOCKING), 0);
    CHECK_INT(non_blocking(fds[0], NON_BLOCKING), 1);
    CHECK((fcntl(fds[0], F_GETFL) & O_NONBLOCK) != 0);
    CHECK_INT(non_blocking(fds[0], BLOCKING), 1);
    CHECK((fcntl(fds[0], F_GETFL) & O_NONBLOCK) == 0);
    CHECK_INT(close_on_exec(fds[1], CLOSE_ON_EXEC), 0);
    CHECK((fcntl(fds[1], F_GETFD) & FD_CLOEXEC) != 0);
    CHECK_INT(close_on_exec(fds[1], PASS_ON_EXEC), 1);
    close(fds[0]);
    close(fds[1]);
}

TEST(readiness_without_waiting)
{
    int fds[2];

    CHECK(pipe(fds) == 0);
    CHECK_INT(readable(fds[0]), 0);
    CHECK_INT(writable(fds[1]), 1);
    CHECK_INT(peekfd(fds[0]), 0);
    CHECK(write(fds[1], "abc", 3) == 3);
    CHECK_INT(readable(fds[0]), 1);
    CHECK_INT(peekfd(fds[0]), 3);
    CHECK_INT(read_wait(fds[0], 1), 0);
    close(fds[0]);
    close(fds[1]);
}

TEST(read_times_out_when_nothing_arrives)
{
    int fds[2];
    char buf[4];
    time_t start = time((time_t *)0);

    CHECK(pipe(fds) == 0);
    errno = 0;
    CHECK_INT(timed_read(fds[0], buf, sizeof(buf), 1, 0), -1);
    CHECK_INT(errno, ETIMEDOUT);
    CHECK(time((time_t *)0) - start <= 3);
    CHECK_INT(read_wait(fds[0], 0), -1);
    CHECK_INT(errno, ETIMEDOUT);
    close(fds[0]);
    close(fds[1]);
}

TEST(read_sees_peer_close_as_end_of_file)
{
    int fds[2];
    char buf[4];

    CHECK(pipe(fds) == 0);
    CHECK(write(fds[1], "ab", 2) == 2);
    close(fds[1]);
    CHECK_INT(timed_read(fds[0], buf, sizeof(buf), 1, 0), 2);
    CHECK_INT(timed_read(fds[0], buf, sizeof(buf), 1, 0), 0);
    close(fds[0]);
}

TEST(write_buf_writes_everything_through_a_slow_reader)
{
    int sv[2];
    static char big[300000];
    static char got[300000];
    size_t have = 0;
    ssize_t n;
    pid_t pid;
    int status;

    memset(big, 'q', sizeof(big));
    big[sizeof(big) - 1] = 'z';
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    non_blocking(sv[0], NON_BLOCKING);
    if ((pid = fork()) == 0) {
        close(sv[1]);
        _exit(write_buf(sv[0], big, sizeof(big), 10) == 0 ? 0 : 1);
    }
    close(sv[0]);
    while ((n = timed_read(sv[1], got + have, sizeof(got) - have, 5, 0)) > 0)
        have += n;
    CHECK_INT(have, sizeof(big));
    CHECK(got[sizeof(got) - 1] == 'z');
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    close(sv[1]);
}

TEST(write_buf_times_out_when_nobody_reads)
{
    int sv[2];
    static char big[4 << 20];
    time_t start = time((time_t *)0);

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    non_blocking(sv[0], NON_BLOCKING);
    errno = 0;
    CHECK_INT(write_buf(sv[0], big, sizeof(big), 1), -1);
    CHECK_INT(errno, ETIMEDOUT);
    CHECK(time((time_t *)0) - start <= 3);
    close(sv[0]);
    close(sv[1]);
}

TEST(write_to_a_closed_peer_fails)
{
    int sv[2];

    signal(SIGPIPE, SIG_IGN);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    close(sv[1]);
    errno = 0;
    CHECK_INT(write_buf(sv[0], "hello", 5, 1), -1);
    CHECK_INT(errno, EPIPE);
    close(sv[0]);
}

int main(void)
{
    RUN(flags_report_their_previous_state);
    RUN(readiness_without_waiting);
    RUN(read_times_out_when_nothing_arrives);
    RUN(read_sees_peer_close_as_end_of_file);
    RUN(write_buf_writes_everything_through_a_slow_reader);
    RUN(write_buf_times_out_when_nobody_reads);
    RUN(write_to_a_closed_peer_fails);
    return (TESTS_DONE());
}
