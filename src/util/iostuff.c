/*
 * iostuff - small utilities for raw file descriptors, used under the stream
 * layer and by the socket primitives.
 *
 * non_blocking() and close_on_exec() set or clear one descriptor flag and
 * return its previous state. read_wait() and write_wait() wait up to a
 * timeout in seconds for readiness; readable() and writable() look without
 * waiting. timed_read() and timed_write() are read(2) and write(2) with a
 * readiness wait in front; write_buf() writes a whole buffer within one
 * overall time limit. peekfd() reports how many bytes can be read now.
 *
 * Failures are returned as -1 with errno set; a timeout sets ETIMEDOUT.
 * Only a failing fcntl() on a descriptor the caller says is valid is fatal,
 * because it means the caller's bookkeeping is broken beyond repair.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "iostuff.h"
#include "msg.h"

/* non_blocking - set or clear O_NONBLOCK; returns the previous setting */
int non_blocking(int fd, int on)
{
    int flags;
    int want;

    if ((flags = fcntl(fd, F_GETFL, 0)) < 0)
        msg_fatal("fcntl F_GETFL fd %d: %m", fd);
    want = on ? (flags | O_NONBLOCK) : (flags & ~O_NONBLOCK);
    if (want != flags && fcntl(fd, F_SETFL, want) < 0)
        msg_fatal("fcntl F_SETFL fd %d: %m", fd);
    return ((flags & O_NONBLOCK) != 0);
}

/* close_on_exec - set or clear FD_CLOEXEC; returns the previous setting */
int close_on_exec(int fd, int on)
{
    int flags;
    int want;

    if ((flags = fcntl(fd, F_GETFD, 0)) < 0)
        msg_fatal("fcntl F_GETFD fd %d: %m", fd);
    want = on ? (flags | FD_CLOEXEC) : (flags & ~FD_CLOEXEC);
    if (want != flags && fcntl(fd, F_SETFD, want) < 0)
        msg_fatal("fcntl F_SETFD fd %d: %m", fd);
    return ((flags & FD_CLOEXEC) != 0);
}

/* poll_wait - wait for events on one descriptor; timeout < 0 waits forever */
static int poll_wait(int fd, short events, int timeout_ms)
{
    struct pollfd pfd;
    int n;

    pfd.fd = fd;
    pfd.events = events;
    pfd.revents = 0;
    for (;;) {
        n = poll(&pfd, 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return (-1);
        if (n == 0) {
            errno = ETIMEDOUT;
            return (-1);
        }
        if (pfd.revents & POLLNVAL) {
            errno = EBADF;
            return (-1);
        }
        /* Errors and hang-ups count as ready: the next I/O call reports them. */
        return (0);
    }
}

/* read_wait - wait up to timeout seconds until fd is readable; 0 or -1 */
int read_wait(int fd, int timeout)
{
    return (poll_wait(fd, POLLIN, timeout < 0 ? -1 : timeout * 1000));
}

/* write_wait - wait up to timeout seconds until fd is writable; 0 or -1 */
int write_wait(int fd, int timeout)
{
    return (poll_wait(fd, POLLOUT, timeout < 0 ? -1 : timeout * 1000));
}

/* readable - can a read be done without blocking? */
int readable(int fd)
{
    return (poll_wait(fd, POLLIN, 0) == 0);
}

/* writable - can a write be done without blocking? */
int writable(int fd)
{
    return (poll_wait(fd, POLLOUT, 0) == 0);
}

/* timed_read - read(2) after waiting up to timeout seconds (<= 0: no wait) */
ssize_t timed_read(int fd, void *buf, size_t len, int timeout, void *context)
{
    ssize_t n;

    for (;;) {
        if (timeout > 0 && read_wait(fd, timeout) < 0)
            return (-1);
        if ((n = read(fd, buf, len)) < 0 && errno == EINTR)
            continue;
        /* Readable yet nothing to read: another process took the data. */
        if (n < 0 && errno == EAGAIN && timeout > 0)
            continue;
        return (n);
    }
}

/* timed_write - write(2) after waiting up to timeout seconds (<= 0: no wait) */
ssize_t timed_write(int fd, const void *buf, size_t len, int timeout, void *context)
{
    ssize_t n;

    for (;;) {
        if (timeout > 0 && write_wait(fd, timeout) < 0)
            return (-1);
        if ((n = write(fd, buf, len)) < 0 && errno == EINTR)
            continue;
        /* Pipes and sockets may report writable for less than len bytes. */
        if (n < 0 && errno == EAGAIN && timeout > 0)
            continue;
        return (n);
    }
}

/* peekfd - bytes that can be read now, or -1 */
ssize_t peekfd(int fd)
{
    int count;

    if (ioctl(fd, FIONREAD, &count) < 0)
        return (-1);
    return (count);
}

/* write_buf - write all of buf within timeout seconds in total (<= 0: no limit) */
ssize_t write_buf(int fd, const char *buf, ssize_t len, int timeout)
{
    time_t deadline = timeout > 0 ? time((time_t *)0) + timeout : 0;
    time_t left = timeout;
    ssize_t n;

    while (len > 0) {
        if (deadline && (left = deadline - time((time_t *)0)) <= 0) {
            errno = ETIMEDOUT;
            return (-1);
        }
        if ((n = timed_write(fd, buf, len, deadline ? (int)left : 0, (void *)0)) < 0) {
            /* A non-blocking descriptor without a time limit: wait for it. */
            if (errno == EAGAIN && !deadline && write_wait(fd, -1) == 0)
                continue;
            return (-1);
        }
        if (n == 0) {
            errno = EIO;
            return (-1);
        }
        buf += n;
        len -= n;
    }
    return (0);
}
