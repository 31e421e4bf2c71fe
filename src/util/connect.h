#ifndef CONNECT_H
#define CONNECT_H

/* connect - client endpoints: unix-domain and TCP, with connect timeouts */

#include <sys/socket.h>
#include <sys/un.h>

#include "iostuff.h"

extern int unix_connect(const char *path, int block_mode, int timeout);
extern int unix_dgram_connect(const char *path, int block_mode);
extern int inet_connect(const char *addr, int block_mode, int timeout);
extern int timed_connect(int sock, const struct sockaddr *sa, socklen_t len, int timeout);
extern int unix_sockaddr(struct sockaddr_un *sun, const char *path);

#endif
