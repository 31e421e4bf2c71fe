#ifndef SANE_FSOPS_H
#define SANE_FSOPS_H

/* sane_fsops - file system calls that survive retried NFS requests */

#include <sys/types.h>
#include <time.h>

extern int sane_rename(const char *from, const char *to);
extern int sane_link(const char *from, const char *to);
extern ssize_t sane_readlink(const char *path, char *buf, size_t bufsize);
extern time_t sane_time(void);

#endif
