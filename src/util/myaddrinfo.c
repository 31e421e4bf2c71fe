/*
 * myaddrinfo - thin wrappers around getaddrinfo(3) and getnameinfo(3), so
 * that the rest of the code converts between names, printable addresses and
 * socket addresses in one way.
 *
 * hostname_to_sockaddr() resolves a host name or address (null: the wildcard
 * address, for listening) and a service name or port; hostaddr_to_sockaddr()
 * accepts only numeric addresses and never touches DNS. sockaddr_to_hostaddr()
 * formats an address and port as text; sockaddr_to_hostname() does a reverse
 * lookup and insists on a name. IPv4 and IPv6 are both handled; other families
 * are refused with EAI_FAMILY.
 *
 * Every function returns 0 on success or a getaddrinfo error code;
 * myaddrinfo_strerror() turns that code into text. EAI_AGAIN is a temporary
 * failure, which callers must not confuse with EAI_NONAME ("not found").
 */

#include <errno.h>
#include <string.h>

#include "myaddrinfo.h"

/* myaddrinfo_lookup - common getaddrinfo front end */
static int myaddrinfo_lookup(const char *host, const char *service, int socktype, int flags,
                             struct addrinfo **res)
{
    struct addrinfo hints;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = socktype;
    hints.ai_flags = flags;
    if (host == 0)
        hints.ai_flags |= AI_PASSIVE;
    return (getaddrinfo(host, service, &hints, res));
}

/* hostname_to_sockaddr - resolve a host name or address and a service */
int hostname_to_sockaddr(const char *host, const char *service, int socktype, struct addrinfo **res)
{
    return (myaddrinfo_lookup(host, service, socktype, 0, res));
}

/* hostaddr_to_sockaddr - convert a numeric address and service, no DNS */
int hostaddr_to_sockaddr(const char *addr, const char *service, int socktype, struct addrinfo **res)
{
    return (myaddrinfo_lookup(addr, service, socktype, AI_NUMERICHOST, res));
}

/* myaddrinfo_format - getnameinfo into two VSTRINGs */
static int myaddrinfo_format(const struct sockaddr *sa, socklen_t salen, VSTRING *host,
                             VSTRING *serv, int flags)
{
    char hbuf[NI_MAXHOST];
    char sbuf[NI_MAXSERV];
    int err;

    if (sa->sa_family != AF_INET && sa->sa_family != AF_INET6)
        return (EAI_FAMILY);
    err = getnameinfo(sa, salen, host ? hbuf : 0, host ? sizeof(hbuf) : 0, serv ? sbuf : 0,
                      serv ? sizeof(sbuf) : 0, flags);
    if (err != 0)
        return (err);
    if (host)
        vstring_strcpy(host, hbuf);
    if (serv)
        vstring_strcpy(serv, sbuf);
    return (0);
}

/* sockaddr_to_hostaddr - printable address and port number */
int sockaddr_to_hostaddr(const struct sockaddr *sa, socklen_t salen, VSTRING *addr, VSTRING *port)
{
    return (myaddrinfo_format(sa, salen, addr, port, NI_NUMERICHOST | NI_NUMERICSERV));
}

/* sockaddr_to_hostname - reverse lookup; fails when there is no name */
int sockaddr_to_hostname(const struct sockaddr *sa, socklen_t salen, VSTRING *host,
                         VSTRING *service)
{
    return (myaddrinfo_format(sa, salen, host, service, NI_NAMEREQD | NI_NUMERICSERV));
}

/* myaddrinfo_strerror - text for a getaddrinfo error code */
const char *myaddrinfo_strerror(int err)
{
    if (err == EAI_SYSTEM)
        return (strerror(errno));
    return (gai_strerror(err));
}
