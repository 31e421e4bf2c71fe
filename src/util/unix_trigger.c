/*
 * unix_trigger - wake up a server on a unix-domain stream socket.
 *
 * Connect, write the trigger bytes, hang up; all within timeout seconds
 * (<= 0: no limit) for the connect and again for the write. The kernel keeps
 * the bytes for the server after we close, so there is nothing to wait for.
 *
 * Returns 0, or -1 with errno set; reporting is up to the caller.
 */

#include <errno.h>
#include <unistd.h>

#include "connect.h"
#include "trigger.h"

/* unix_trigger - send len bytes to the server at path */
int unix_trigger(const char *path, const char *buf, ssize_t len, int timeout)
{
    int fd;
    int ret;
    int saved;

    if ((fd = unix_connect(path, NON_BLOCKING, timeout)) < 0)
        return (-1);
    ret = write_buf(fd, buf, len, timeout);
    saved = errno;
    if (close(fd) < 0 && ret == 0)
        return (-1);
    errno = saved;
    return (ret < 0 ? -1 : 0);
}
