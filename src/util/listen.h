#ifndef LISTEN_H
#define LISTEN_H

/* listen - create listening endpoints: unix-domain, TCP, FIFO */

#include <sys/types.h>

#include "iostuff.h"

extern int unix_listen(const char *path, int backlog, int block_mode);
extern int unix_dgram_listen(const char *path, int block_mode);
extern int inet_listen(const char *addr, int backlog, int block_mode);
extern int fifo_listen(const char *path, int permissions, int block_mode);

#endif
