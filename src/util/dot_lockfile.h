#ifndef DOT_LOCKFILE_H
#define DOT_LOCKFILE_H

/* dot_lockfile - "file.lock" locks, the kind mail readers agree on via the spool */

#include "vstring.h"

extern int dot_lockfile(const char *path, VSTRING *why);
extern void dot_unlockfile(const char *path);
extern void dot_lockfile_limits(int attempts, int delay_ms, int stale_seconds);

#endif
