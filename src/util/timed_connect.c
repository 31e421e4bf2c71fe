/*
 * timed_connect - connect(2) with a time limit.
 *
 * The socket is made non-blocking and the connection started; if it does
 * not complete at once, we wait up to timeout seconds (<= 0: no limit) for
 * the socket to become writable and then fetch the connection's outcome.
 * The socket is left non-blocking; callers set the mode they want.
 *
 * Returns 0, or -1 with errno set (ETIMEDOUT, ECONNREFUSED, ...).
 */

#include <errno.h>
#include <sys/socket.h>

#include "connect.h"

/* timed_connect - connect sock to sa within timeout seconds */
int timed_connect(int sock, const struct sockaddr *sa, socklen_t len, int timeout)
{
    int err;
    socklen_t err_len = sizeof(err);

    non_blocking(sock, NON_BLOCKING);
    if (connect(sock, sa, len) == 0)
        return (0);
    /* An interrupted connect goes on in the background, like EINPROGRESS. */
    if (errno != EINPROGRESS && errno != EINTR)
        return (-1);
    if (write_wait(sock, timeout > 0 ? timeout : -1) < 0)
        return (-1);
    if (getsockopt(sock, SOL_SOCKET, SO_ERROR, &err, &err_len) < 0)
        return (-1);
    if (err != 0) {
        errno = err;
        return (-1);
    }
    return (0);
}
