#ifndef OWN_INET_ADDR_H
#define OWN_INET_ADDR_H

/*
 * own_inet_addr - is an address one of this mail system's own: an
 * inet_interfaces address (own_inet_addr) or a proxy_interfaces address
 * (proxy_inet_addr)?
 */

#include <sys/socket.h>

extern int own_inet_addr(const struct sockaddr *sa);
extern int proxy_inet_addr(const struct sockaddr *sa);

#endif
