#ifndef MYADDRINFO_H
#define MYADDRINFO_H

/* myaddrinfo - address lookup and formatting over getaddrinfo/getnameinfo */

#include <netdb.h>
#include <sys/socket.h>

#include "vstring.h"

extern int hostname_to_sockaddr(const char *host, const char *service, int socktype,
                                struct addrinfo **res);
extern int hostaddr_to_sockaddr(const char *addr, const char *service, int socktype,
                                struct addrinfo **res);
extern int sockaddr_to_hostaddr(const struct sockaddr *sa, socklen_t salen, VSTRING *addr,
                                VSTRING *port);
extern int sockaddr_to_hostname(const struct sockaddr *sa, socklen_t salen, VSTRING *host,
                                VSTRING *service);
extern const char *myaddrinfo_strerror(int err);

#endif
