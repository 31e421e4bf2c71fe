/* deliver_flock_test - exclusive locks with retries, both lock styles */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "deliver_flock.h"
#include "msg.h"
#include "myflock.h"
#include "testing.h"

static char path[] = "/tmp/deliver_flock_test.XXXXXX";

/* open_file - another descriptor (and open file) for the test file */
static int open_file(void)
{
    int fd = open(path, O_RDWR);

    if (fd < 0)
        msg_fatal("open %s: %m", path);
    return (fd);
}

TEST(free_file_is_locked_at_once)
{
    VSTRING *why = vstring_alloc(10);
    int fd = open_file();

    CHECK_INT(deliver_flock(fd, MYFLOCK_STYLE_FLOCK, why), 0);
    CHECK_INT(myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_NONE), 0);
    CHECK_INT(deliver_flock(fd, MYFLOCK_STYLE_FCNTL, why), 0);
    CHECK_INT(myflock(fd, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_NONE), 0);
    close(fd);
    vstring_free(why);
}

TEST(bad_descriptor_fails_without_retry)
{
    VSTRING *why = vstring_alloc(10);
    time_t start = time((time_t *)0);

    CHECK_INT(deliver_flock(-1, MYFLOCK_STYLE_FLOCK, why), -1);
    CHECK_INT(errno, EBADF);
    CHECK_STR(vstring_str(why), "unable to lock for exclusive access: Bad file descriptor");
    CHECK_INT(deliver_flock(-1, MYFLOCK_STYLE_FCNTL, (VSTRING *)0), -1);
    CHECK_INT(errno, EBADF);
    CHECK(time((time_t *)0) - start <= 1);
    vstring_free(why);
}

/*
 * busy_lock_is_retried - another process holds the lock for a moment; the
 * first attempt fails, the retry a second later succeeds.
 */
TEST(busy_lock_is_retried)
{
    VSTRING *why = vstring_alloc(10);
    int sync[2];
    pid_t pid;
    char ch;
    int fd;

    fflush(stdout);
    if (pipe(sync) < 0 || (pid = fork()) < 0)
        msg_fatal("pipe/fork: %m");
    if (pid == 0) {
        fd = open_file();
        if (myflock(fd, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_EXCLUSIVE) < 0)
            _exit(1);
        (void)write(sync[1], "L", 1);
        usleep(300000);
        _exit(0);
    }
    close(sync[1]);
    CHECK_INT(read(sync[0], &ch, 1), 1);
    fd = open_file();
    CHECK_INT(myflock(fd, MYFLOCK_STYLE_FCNTL, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT), -1);
    CHECK_INT(deliver_flock(fd, MYFLOCK_STYLE_FCNTL, why), 0);
    waitpid(pid, (int *)0, 0);
    close(fd);
    close(sync[0]);
    vstring_free(why);
}

int main(int argc, char **argv)
{
    int fd;

    (void)argc;
    msg_stderr_init(argv[0]);
    if ((fd = mkstemp(path)) < 0)
        msg_fatal("mkstemp: %m");
    close(fd);
    RUN(free_file_is_locked_at_once);
    RUN(bad_descriptor_fails_without_retry);
    RUN(busy_lock_is_retried);
    unlink(path);
    return (TESTS_DONE());
}
