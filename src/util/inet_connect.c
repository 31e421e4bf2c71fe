/*
 * inet_connect - client TCP connections.
 *
 * The address is "host:port" or "[address]:port"; a missing host means
 * localhost. Every address that the host resolves to is tried in turn until
 * one accepts, each within timeout seconds (<= 0: no limit). The connected
 * socket is close-on-exec and in the requested blocking mode.
 *
 * Failures return -1 with errno set. A malformed address or an unknown host
 * also gets a warning (errno EINVAL or EADDRNOTAVAIL), because the caller
 * only sees the errno and would otherwise report something misleading.
 */

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connect.h"
#include "host_port.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"

/* inet_connect_one - try one resolved address; socket or -1 */
static int inet_connect_one(struct addrinfo *res, int timeout)
{
    int sock;
    int saved;

    if ((sock = socket(res->ai_family, res->ai_socktype | SOCK_CLOEXEC, res->ai_protocol)) < 0)
        return (-1);
    if (timed_connect(sock, res->ai_addr, res->ai_addrlen, timeout) < 0) {
        saved = errno;
        close(sock);
        errno = saved;
        return (-1);
    }
    return (sock);
}

/* inet_connect - connected TCP socket for addr, or -1 */
int inet_connect(const char *addr, int block_mode, int timeout)
{
    char *buf = mystrdup(addr);
    char *host;
    char *port;
    const char *err;
    struct addrinfo *res0;
    struct addrinfo *res;
    int aierr;
    int sock = -1;
    int saved = ECONNREFUSED;

    if ((err = host_port(buf, &host, "localhost", &port, (char *)0)) != 0) {
        msg_warn("%s: %s", addr, err);
        myfree(buf);
        errno = EINVAL;
        return (-1);
    }
    if ((aierr = hostname_to_sockaddr(host, port, SOCK_STREAM, &res0)) != 0) {
        msg_warn("host or service %s not found: %s", addr, myaddrinfo_strerror(aierr));
        myfree(buf);
        errno = EADDRNOTAVAIL;
        return (-1);
    }
    myfree(buf);
    for (res = res0; res != 0 && sock < 0; res = res->ai_next)
        if ((sock = inet_connect_one(res, timeout)) < 0)
            saved = errno;
    freeaddrinfo(res0);
    if (sock < 0) {
        errno = saved;
        return (-1);
    }
    non_blocking(sock, block_mode);
    return (sock);
}
