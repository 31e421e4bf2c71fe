#ifndef SANE_ACCEPT_H
#define SANE_ACCEPT_H

/* sane_accept - accept(2) that turns transient network errors into EAGAIN */

#include <sys/socket.h>

extern int sane_accept(int sock, struct sockaddr *sa, socklen_t *len);

#endif
