#ifndef DELIVER_FLOCK_H
#define DELIVER_FLOCK_H

/*
 * deliver_flock - lock a file with a few retries, as delivery agents lock
 * queue files and mailboxes (the lock type from lock_type.h).
 */

#include "myflock.h"
#include "vstring.h"

/* The lock style of queue files (delivery agents take it shared). */
#define INTERNAL_LOCK MYFLOCK_STYLE_FLOCK

/*
 * deliver_flock - exclusive, non-blocking, retried lock of lock_style
 * (MYFLOCK_STYLE_*). Returns 0, or -1 with the reason in why (when not null) and errno set.
 */
extern int deliver_flock(int fd, int lock_style, VSTRING *why);

#define DELIVER_FLOCK_TRIES 10 /* attempts, one second apart */

#endif
