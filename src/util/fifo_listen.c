/*
 * fifo_listen - a named pipe that a server reads trigger bytes from.
 *
 * Whatever is at the path is removed and a new FIFO is created with the
 * given permissions (not subject to the umask). It is opened read-write, so
 * that the server never sees end-of-file when the last writer goes away,
 * and it must still be a FIFO once open: anything else at that moment means
 * the path was replaced under us.
 *
 * Failures are fatal: a daemon that cannot open its endpoint cannot work.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "listen.h"
#include "msg.h"

/* fifo_listen - create and open a FIFO at path */
int fifo_listen(const char *path, int permissions, int block_mode)
{
    struct stat st;
    int fd;

    if (unlink(path) < 0 && errno != ENOENT)
        msg_fatal("remove %s: %m", path);
    if (mkfifo(path, permissions) < 0)
        msg_fatal("create fifo %s: %m", path);
    if ((fd = open(path, O_RDWR | O_NONBLOCK | O_NOFOLLOW, 0)) < 0)
        msg_fatal("open fifo %s: %m", path);
    if (fstat(fd, &st) < 0)
        msg_fatal("fstat fifo %s: %m", path);
    if (!S_ISFIFO(st.st_mode))
        msg_fatal("%s is not a fifo", path);
    if (fchmod(fd, permissions) < 0)
        msg_fatal("fchmod fifo %s: %m", path);
    non_blocking(fd, block_mode);
    return (fd);
}
