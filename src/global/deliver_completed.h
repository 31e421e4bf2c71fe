#ifndef DELIVER_COMPLETED_H
#define DELIVER_COMPLETED_H

/*
 * deliver_completed - mark one recipient done in its queue file: the type
 * byte of its R record at the given offset becomes D, and the change is
 * flushed and fsynced before the caller reports success, so that the
 * queue manager never delivers it again after a crash.
 */

#include "vstream.h"

/* Returns 0, or -1 with a warning (the recipient will be retried). */
extern int deliver_completed(VSTREAM *fp, long offset);

#endif
