/*
 * sane_accept - accept(2) for servers that share a listening socket.
 *
 * Several processes may wait on one listener; all wake up, one wins, the
 * others find nothing. A client may also give up between the kernel's
 * readiness report and our accept. Such failures say nothing about the
 * listener, so they are reported as EAGAIN and the caller simply goes back
 * to waiting. Other errors (EBADF, EMFILE, ...) pass through unchanged.
 * Accepted TCP connections get SO_KEEPALIVE so that dead peers are noticed
 * eventually even by a server that forgot its own timeout.
 */

#include <errno.h>
#include <sys/socket.h>

#include "sane_accept.h"

static const int sane_accept_transient[] = {
    EAGAIN,      ECONNREFUSED, ECONNRESET,  ECONNABORTED, EHOSTDOWN, EHOSTUNREACH,
    EINTR,       ENETDOWN,     ENETUNREACH, ENOTCONN,     ENOBUFS,   ENONET,
    ENOPROTOOPT, EOPNOTSUPP,   EPROTO,      ETIMEDOUT,    EPERM,     0,
};

/* sane_accept - accept a connection; transient failures become EAGAIN */
int sane_accept(int sock, struct sockaddr *sa, socklen_t *len)
{
    const int *ep;
    int fd;
    int on = 1;
    int domain;
    socklen_t dlen = sizeof(domain);

    if ((fd = accept(sock, sa, len)) < 0) {
        for (ep = sane_accept_transient; *ep; ep++) {
            if (errno == *ep) {
                errno = EAGAIN;
                break;
            }
        }
        return (-1);
    }
    if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &domain, &dlen) == 0 &&
        (domain == AF_INET || domain == AF_INET6))
        (void)setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof(on));
    return (fd);
}
