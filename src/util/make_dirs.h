#ifndef MAKE_DIRS_H
#define MAKE_DIRS_H

/* make_dirs - create a directory and any missing parents ("mkdir -p") */

#include <sys/types.h>

/* Returns 0 (also when it already existed), or -1 with errno set. */
extern int make_dirs(const char *path, mode_t mode);

#endif
