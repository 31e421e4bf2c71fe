#ifndef SAFE_OPEN_H
#define SAFE_OPEN_H

/* safe_open - open or create a file without being fooled by links or races */

#include <sys/stat.h>
#include <sys/types.h>

#include "vstream.h"
#include "vstring.h"

extern VSTREAM *safe_open(const char *path, int flags, mode_t mode, struct stat *st, uid_t user,
                          gid_t group, VSTRING *why);

/* Tests only: called between the check of an existing file and its open. */
extern void (*safe_open_race_hook)(const char *path);

#endif
