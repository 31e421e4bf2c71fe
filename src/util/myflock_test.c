/* myflock_test - both lock styles, with contention between processes */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iostuff.h"
#include "myflock.h"
#include "testing.h"

static char path[] = "/tmp/myflock_test.XXXXXX";

static const struct style {
    const char *name;
    int style;
} styles[] = {
    {"flock", MYFLOCK_STYLE_FLOCK},
    {"fcntl", MYFLOCK_STYLE_FCNTL},
};

/* try_in_child - can another process take this lock right now? exit status 0 = yes */
static int try_in_child(int style, int operation)
{
    pid_t pid;
    int status;
    int fd;

    if ((pid = fork()) == 0) {
        /* A new open file, so that flock does not share our description. */
        if ((fd = open(path, O_RDWR)) < 0)
            _exit(2);
        if (myflock(fd, style, operation | MYFLOCK_OP_NOWAIT) == 0)
            _exit(0);
        _exit(errno == EAGAIN ? 1 : 3);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
        return (-1);
    return (WEXITSTATUS(status));
}

TEST(exclusive_lock_keeps_others_out)
{
    int i;
    int fd;

    for (i = 0; i < 2; i++) {
        fd = open(path, O_RDWR);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_EXCLUSIVE), 0);
        CHECK_INT(try_in_child(styles[i].style, MYFLOCK_OP_EXCLUSIVE), 1);
        CHECK_INT(try_in_child(styles[i].style, MYFLOCK_OP_SHARED), 1);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_NONE), 0);
        CHECK_INT(try_in_child(styles[i].style, MYFLOCK_OP_EXCLUSIVE), 0);
        close(fd);
    }
}

TEST(shared_locks_coexist)
{
    int i;
    int fd;

    for (i = 0; i < 2; i++) {
        fd = open(path, O_RDWR);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_SHARED), 0);
        CHECK_INT(try_in_child(styles[i].style, MYFLOCK_OP_SHARED), 0);
        CHECK_INT(try_in_child(styles[i].style, MYFLOCK_OP_EXCLUSIVE), 1);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_NONE), 0);
        close(fd);
    }
}

TEST(styles_are_independent)
{
    int fd = open(path, O_RDWR);

    CHECK_INT(myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE), 0);
    CHECK_INT(try_in_child(MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_EXCLUSIVE), 0);
    CHECK_INT(myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_NONE), 0);
    close(fd);
}

TEST(waiting_lock_is_granted_on_release)
{
    int i;
    int fd;
    int to_parent[2];
    pid_t pid;
    int status;
    char ch;
    struct pollfd pfd;

    for (i = 0; i < 2; i++) {
        fd = open(path, O_RDWR);
        CHECK(pipe(to_parent) == 0);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_EXCLUSIVE), 0);
        if ((pid = fork()) == 0) {
            int cfd = open(path, O_RDWR);

            if (write(to_parent[1], "W", 1) != 1)
                _exit(2);
            if (myflock(cfd, styles[i].style, MYFLOCK_OP_EXCLUSIVE) < 0)
                _exit(3);
            _exit(write(to_parent[1], "G", 1) == 1 ? 0 : 4);
        }
        close(to_parent[1]);
        CHECK_INT(timed_read(to_parent[0], &ch, 1, 2, 0), 1);
        CHECK(ch == 'W');
        /* The child must still be waiting while we hold the lock. */
        pfd.fd = to_parent[0];
        pfd.events = POLLIN;
        CHECK_INT(poll(&pfd, 1, 200), 0);
        CHECK_INT(myflock(fd, styles[i].style, MYFLOCK_OP_NONE), 0);
        CHECK_INT(timed_read(to_parent[0], &ch, 1, 2, 0), 1);
        CHECK(ch == 'G');
        CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
        close(to_parent[0]);
        close(fd);
    }
}

TEST(bad_descriptor_is_an_error)
{
    CHECK_INT(myflock(-1, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE), -1);
    CHECK_INT(errno, EBADF);
    CHECK_INT(myflock(-1, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_EXCLUSIVE), -1);
    CHECK_INT(errno, EBADF);
}

int main(void)
{
    int fd;
    int rc;

    if ((fd = mkstemp(path)) < 0) {
        perror("mkstemp");
        return (1);
    }
    close(fd);
    RUN(exclusive_lock_keeps_others_out);
    RUN(shared_locks_coexist);
    RUN(styles_are_independent);
    RUN(waiting_lock_is_granted_on_release);
    RUN(bad_descriptor_is_an_error);
    rc = TESTS_DONE();
    unlink(path);
    return (rc);
}
