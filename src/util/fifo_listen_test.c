/* fifo_listen_test - FIFO listener and trigger */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen.h"
#include "testing.h"
#include "trigger.h"

static char dir[] = "/tmp/fifo_listen_test.XXXXXX";

TEST(trigger_reaches_listener)
{
    char path[200];
    char buf[10];
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "%s/pickup", dir);
    fd = fifo_listen(path, 0622, NON_BLOCKING);
    CHECK(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK_INT(st.st_mode & 0777, 0622);
    CHECK_INT(fifo_trigger(path, "W", 1, 1), 0);
    CHECK_INT(fifo_trigger(path, "W", 1, 1), 0);
    CHECK_INT(timed_read(fd, buf, sizeof(buf), 1, 0), 2);
    /* The listener holds a write end itself: no EOF when triggers hang up. */
    errno = 0;
    CHECK_INT(read(fd, buf, sizeof(buf)), -1);
    CHECK_INT(errno, EAGAIN);
    close(fd);
    /* Nobody reading: the trigger fails at once instead of hanging. */
    errno = 0;
    CHECK_INT(fifo_trigger(path, "W", 1, 1), -1);
    CHECK_INT(errno, ENXIO);
}

TEST(trigger_refuses_a_regular_file)
{
    char path[200];
    struct stat st;

    snprintf(path, sizeof(path), "%s/plain", dir);
    close(open(path, O_CREAT | O_WRONLY, 0600));
    errno = 0;
    CHECK_INT(fifo_trigger(path, "W", 1, 1), -1);
    CHECK_INT(errno, EINVAL);
    CHECK(stat(path, &st) == 0 && st.st_size == 0);
    snprintf(path, sizeof(path), "%s/none", dir);
    CHECK_INT(fifo_trigger(path, "W", 1, 1), -1);
    CHECK_INT(errno, ENOENT);
}

int main(void)
{
    int rc;
    char cmd[300];

    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    RUN(trigger_reaches_listener);
    RUN(trigger_refuses_a_regular_file);
    rc = TESTS_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return (rc);
}
