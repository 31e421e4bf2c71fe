/*
 * inet_trigger - wake up a server on a TCP socket.
 *
 * Connect to "host:port", write the trigger bytes, hang up; all within
 * timeout seconds (<= 0: no limit) for the connect and again for the write.
 *
 * Returns 0, or -1 with errno set; reporting is up to the caller.
 */

#include <errno.h>
#include <unistd.h>

#include "connect.h"
#include "trigger.h"

/* inet_trigger - send len bytes to the server at addr */
int inet_trigger(const char *addr, const char *buf, ssize_t len, int timeout)
{
    int fd;
    int ret;
    int saved;

    if ((fd = inet_connect(addr, NON_BLOCKING, timeout)) < 0)
        return (-1);
    ret = write_buf(fd, buf, len, timeout);
    saved = errno;
    if (close(fd) < 0 && ret == 0)
        return (-1);
    errno = saved;
    return (ret < 0 ? -1 : 0);
}
