/* unix_listen_test - unix-domain listen, connect, trigger, accept, descriptor passing */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "connect.h"
#include "listen.h"
#include "msg.h"
#include "sane_accept.h"
#include "testing.h"
#include "trigger.h"
#include "unix_pass_fd.h"

static char dir[] = "/tmp/unix_listen_test.XXXXXX";
static char path[200];

TEST(stream_listen_connect_accept)
{
    int lsock;
    int csock;
    int ssock;
    char buf[10];
    struct stat st;

    snprintf(path, sizeof(path), "%s/stream", dir);
    /* A stale file at the path is replaced. */
    close(open(path, O_CREAT | O_WRONLY, 0600));
    lsock = unix_listen(path, 10, NON_BLOCKING);
    CHECK(lstat(path, &st) == 0 && S_ISSOCK(st.st_mode));
    CHECK_INT(st.st_mode & 0777, 0666);
    CHECK((fcntl(lsock, F_GETFL) & O_NONBLOCK) != 0);
    /* Nobody is waiting: accept tells the caller to go back to sleep. */
    errno = 0;
    CHECK_INT(sane_accept(lsock, 0, 0), -1);
    CHECK_INT(errno, EAGAIN);
    csock = unix_connect(path, BLOCKING, 2);
    CHECK(csock >= 0);
    CHECK((fcntl(csock, F_GETFL) & O_NONBLOCK) == 0);
    CHECK((fcntl(csock, F_GETFD) & FD_CLOEXEC) != 0);
    ssock = sane_accept(lsock, 0, 0);
    CHECK(ssock >= 0);
    CHECK(write(csock, "ping", 4) == 4);
    CHECK_INT(timed_read(ssock, buf, sizeof(buf), 1, 0), 4);
    CHECK(memcmp(buf, "ping", 4) == 0);
    close(csock);
    close(ssock);
    close(lsock);
}

TEST(connect_to_nothing_fails)
{
    char far[200];
    char longpath[200];

    snprintf(far, sizeof(far), "%s/nobody", dir);
    errno = 0;
    CHECK_INT(unix_connect(far, BLOCKING, 1), -1);
    CHECK_INT(errno, ENOENT);
    memset(longpath, 'x', sizeof(longpath) - 1);
    longpath[sizeof(longpath) - 1] = 0;
    CHECK_INT(unix_connect(longpath, BLOCKING, 1), -1);
    CHECK_INT(errno, ENAMETOOLONG);
    CHECK_INT(unix_trigger(far, "W", 1, 1), -1);
}

TEST(listen_on_impossible_path_is_fatal)
{
    pid_t pid;
    int status;

    if ((pid = fork()) == 0) {
        close(2);
        (void)unix_listen("/nonexistent-directory/socket", 10, BLOCKING);
        _exit(0);
    }
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) != 0);
}

TEST(trigger_bytes_arrive_after_client_hangs_up)
{
    int lsock;
    int ssock;
    char buf[10];

    snprintf(path, sizeof(path), "%s/qmgr", dir);
    lsock = unix_listen(path, 10, BLOCKING);
    CHECK_INT(unix_trigger(path, "FADI", 4, 2), 0);
    ssock = sane_accept(lsock, 0, 0);
    CHECK(ssock >= 0);
    CHECK_INT(timed_read(ssock, buf, sizeof(buf), 1, 0), 4);
    CHECK(memcmp(buf, "FADI", 4) == 0);
    CHECK_INT(timed_read(ssock, buf, sizeof(buf), 1, 0), 0);
    close(ssock);
    close(lsock);
}

TEST(datagrams)
{
    int lsock;
    int csock;
    char buf[10];

    snprintf(path, sizeof(path), "%s/dgram", dir);
    lsock = unix_dgram_listen(path, NON_BLOCKING);
    csock = unix_dgram_connect(path, BLOCKING);
    CHECK(csock >= 0);
    CHECK(send(csock, "one", 3, 0) == 3);
    CHECK(send(csock, "two", 3, 0) == 3);
    CHECK_INT(timed_read(lsock, buf, sizeof(buf), 1, 0), 3);
    CHECK(memcmp(buf, "one", 3) == 0);
    CHECK_INT(timed_read(lsock, buf, sizeof(buf), 1, 0), 3);
    CHECK(memcmp(buf, "two", 3) == 0);
    close(csock);
    close(lsock);
    CHECK_INT(unix_dgram_connect(path, BLOCKING), -1);
}

TEST(descriptor_passing)
{
    int sv[2];
    int pfd[2];
    int got;
    char buf[10];

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(pipe(pfd) == 0);
    CHECK_INT(unix_send_fd(sv[0], pfd[1]), 0);
    close(pfd[1]);
    got = unix_recv_fd(sv[1]);
    CHECK(got >= 0);
    CHECK(write(got, "via", 3) == 3);
    close(got);
    CHECK_INT(timed_read(pfd[0], buf, sizeof(buf), 1, 0), 3);
    /* All writers are gone, so the passed descriptor was the only other one. */
    CHECK_INT(timed_read(pfd[0], buf, sizeof(buf), 1, 0), 0);
    close(pfd[0]);
    /* A byte without a descriptor is a protocol error, a hang-up is not a descriptor. */
    CHECK(write(sv[0], "x", 1) == 1);
    errno = 0;
    CHECK_INT(unix_recv_fd(sv[1]), -1);
    CHECK_INT(errno, EBADMSG);
    close(sv[0]);
    errno = 0;
    CHECK_INT(unix_recv_fd(sv[1]), -1);
    CHECK_INT(errno, ECONNRESET);
    close(sv[1]);
}

int main(void)
{
    int rc;
    char cmd[300];

    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    RUN(stream_listen_connect_accept);
    RUN(connect_to_nothing_fails);
    RUN(listen_on_impossible_path_is_fatal);
    RUN(trigger_bytes_arrive_after_client_hangs_up);
    RUN(datagrams);
    RUN(descriptor_passing);
    rc = TESTS_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return (rc);
}
