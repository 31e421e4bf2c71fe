/*
 * unix_connect - client connections to unix-domain sockets.
 *
 * unix_connect() connects a stream socket, waiting at most timeout seconds
 * (<= 0: no limit), and returns it in the requested blocking mode.
 * unix_dgram_connect() returns a datagram socket whose sends go to path.
 * unix_sockaddr() fills in an address and is shared with unix_listen.
 * Client sockets are close-on-exec: no child program should inherit them.
 *
 * Failures return -1 with errno set (ENAMETOOLONG for a path that does not
 * fit, ETIMEDOUT for a timeout); the caller decides whether to retry.
 */

#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "connect.h"

/* unix_sockaddr - fill in a unix-domain address; -1 if the path does not fit */
int unix_sockaddr(struct sockaddr_un *sun, const char *path)
{
    size_t len = strlen(path);

    memset(sun, 0, sizeof(*sun));
    if (len >= sizeof(sun->sun_path)) {
        errno = ENAMETOOLONG;
        return (-1);
    }
    sun->sun_family = AF_UNIX;
    memcpy(sun->sun_path, path, len + 1);
    return (0);
}

/* unix_connect - connected stream socket, or -1 */
int unix_connect(const char *path, int block_mode, int timeout)
{
    struct sockaddr_un sun;
    int sock;
    int saved;

    if (unix_sockaddr(&sun, path) < 0)
        return (-1);
    if ((sock = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return (-1);
    if (timed_connect(sock, (struct sockaddr *)&sun, sizeof(sun), timeout) < 0) {
        saved = errno;
        close(sock);
        errno = saved;
        return (-1);
    }
    non_blocking(sock, block_mode);
    return (sock);
}

/* unix_dgram_connect - datagram socket aimed at path, or -1 */
int unix_dgram_connect(const char *path, int block_mode)
{
    struct sockaddr_un sun;
    int sock;
    int saved;

    if (unix_sockaddr(&sun, path) < 0)
        return (-1);
    if ((sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
        return (-1);
    if (connect(sock, (struct sockaddr *)&sun, sizeof(sun)) < 0) {
        saved = errno;
        close(sock);
        errno = saved;
        return (-1);
    }
    non_blocking(sock, block_mode);
    return (sock);
}
