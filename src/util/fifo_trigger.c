/*
 * fifo_trigger - wake up a server that reads a named pipe.
 *
 * The FIFO is opened for writing without blocking, so a server that is not
 * running makes us fail at once (ENXIO) instead of hanging. Anything at the
 * path other than a FIFO is refused (EINVAL): trigger bytes must never be
 * appended to a regular file that took the pipe's place.
 *
 * Returns 0, or -1 with errno set; reporting is up to the caller.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iostuff.h"
#include "trigger.h"

/* fifo_trigger - send len bytes to the server reading path */
int fifo_trigger(const char *path, const char *buf, ssize_t len, int timeout)
{
    struct stat st;
    int fd;
    int ret;
    int saved;

    if ((fd = open(path, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC, 0)) < 0)
        return (-1);
    if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
        close(fd);
        errno = EINVAL;
        return (-1);
    }
    ret = write_buf(fd, buf, len, timeout);
    saved = errno;
    if (close(fd) < 0 && ret == 0)
        return (-1);
    errno = saved;
    return (ret < 0 ? -1 : 0);
}
