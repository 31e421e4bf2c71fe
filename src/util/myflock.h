#ifndef MYFLOCK_H
#define MYFLOCK_H

/* myflock - whole-file advisory locks, flock(2) or fcntl(2) style */

#define MYFLOCK_STYLE_FLOCK 1
#define MYFLOCK_STYLE_FCNTL 2

#define MYFLOCK_OP_NONE 0 /* release the lock */
#define MYFLOCK_OP_SHARED 1
#define MYFLOCK_OP_EXCLUSIVE 2
#define MYFLOCK_OP_NOWAIT 4 /* fail with EAGAIN instead of waiting */
#define MYFLOCK_OP_BITS (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT)

extern int myflock(int fd, int style, int operation);

#endif
