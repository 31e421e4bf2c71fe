#ifndef LOCK_TYPE_H
#define LOCK_TYPE_H

/* lock_type - the names of the mailbox locking methods */

#include "argv.h"
#include "vstring.h"

#define LOCK_TYPE_FLOCK (1 << 0)
#define LOCK_TYPE_FCNTL (1 << 1)
#define LOCK_TYPE_DOTLOCK (1 << 2)

extern ARGV *lock_type_names(void);
extern int lock_type_mask(const char *list, VSTRING *why);

#endif
