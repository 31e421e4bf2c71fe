/*
 * inet_listen - listening TCP sockets for IPv4 and IPv6.
 *
 * The address is "host:port", "[address]:port", ":port" or "port". An empty
 * host means the IPv4 wildcard 0.0.0.0; the IPv6 wildcard is "[::]:port".
 * A caller that wants both creates two listeners, which is what the master
 * does for each protocol in inet_protocols. IPv6 sockets are IPV6_V6ONLY so
 * that the two never fight over a port, and SO_REUSEADDR lets a restarted
 * daemon bind while old connections linger in TIME_WAIT. A host name that
 * resolves to several addresses binds the first one.
 *
 * Failures are fatal, with the address and the reason.
 */

#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "host_port.h"
#include "listen.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"

/* inet_listen_socket - bound and listening socket for one resolved address */
static int inet_listen_socket(const char *addr, struct addrinfo *res, int backlog)
{
    int sock;
    int on = 1;

    if ((sock = socket(res->ai_family, res->ai_socktype, res->ai_protocol)) < 0)
        msg_fatal("socket: %m");
    if (setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &on, sizeof(on)) < 0)
        msg_fatal("setsockopt SO_REUSEADDR: %m");
    if (res->ai_family == AF_INET6 &&
        setsockopt(sock, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on)) < 0)
        msg_fatal("setsockopt IPV6_V6ONLY: %m");
    if (bind(sock, res->ai_addr, res->ai_addrlen) < 0)
        msg_fatal("bind %s: %m", addr);
    if (listen(sock, backlog) < 0)
        msg_fatal("listen %s: %m", addr);
    return (sock);
}

/* inet_listen - listening TCP socket for addr */
int inet_listen(const char *addr, int backlog, int block_mode)
{
    char *buf = mystrdup(addr);
    char *host;
    char *port;
    const char *err;
    struct addrinfo *res;
    int aierr;
    int sock;

    if ((err = host_port(buf, &host, "", &port, (char *)0)) != 0)
        msg_fatal("%s: %s", addr, err);
    if (*host == 0)
        host = "0.0.0.0";
    if ((aierr = hostname_to_sockaddr(host, port, SOCK_STREAM, &res)) != 0)
        msg_fatal("%s: host or service not found: %s", addr, myaddrinfo_strerror(aierr));
    sock = inet_listen_socket(addr, res, backlog);
    freeaddrinfo(res);
    myfree(buf);
    non_blocking(sock, block_mode);
    return (sock);
}
