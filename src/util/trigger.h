#ifndef TRIGGER_H
#define TRIGGER_H

/* trigger - send a few wake-up bytes to a server and hang up */

#include <sys/types.h>

extern int unix_trigger(const char *path, const char *buf, ssize_t len, int timeout);
extern int fifo_trigger(const char *path, const char *buf, ssize_t len, int timeout);
extern int inet_trigger(const char *addr, const char *buf, ssize_t len, int timeout);

#endif
