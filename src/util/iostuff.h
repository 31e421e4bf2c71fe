#ifndef IOSTUFF_H
#define IOSTUFF_H

/* iostuff - small descriptor utilities: blocking mode, waiting, timed I/O */

#include <sys/types.h>

#define BLOCKING 0
#define NON_BLOCKING 1

#define CLOSE_ON_EXEC 1
#define PASS_ON_EXEC 0

extern int non_blocking(int fd, int on);
extern int close_on_exec(int fd, int on);
extern int read_wait(int fd, int timeout);
extern int write_wait(int fd, int timeout);
extern int readable(int fd);
extern int writable(int fd);
extern ssize_t timed_read(int fd, void *buf, size_t len, int timeout, void *context);
extern ssize_t timed_write(int fd, const void *buf, size_t len, int timeout, void *context);
extern ssize_t peekfd(int fd);
extern ssize_t write_buf(int fd, const char *buf, ssize_t len, int timeout);

#endif
