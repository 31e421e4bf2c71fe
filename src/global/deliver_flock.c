/*
 * deliver_flock - take an exclusive lock, retrying for a while.
 *
 * Exports deliver_flock(). Another process may hold the lock briefly (a
 * mail reader, another delivery), so a busy lock is tried again once a
 * second, DELIVER_FLOCK_TRIES times in all. When it stays busy, or locking
 * fails for another reason, the reason goes into why and the result is -1
 * with errno set, for the caller to defer the delivery.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "deliver_flock.h"
#include "msg.h"
#include "myflock.h"

/* deliver_flock - exclusive lock with retries */
int deliver_flock(int fd, int lock_style, VSTRING *why)
{
    int tries;
    int saved;

    for (tries = 1;; tries++) {
        if (myflock(fd, lock_style, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) == 0)
            return (0);
        saved = errno;
        if ((saved != EAGAIN && saved != EWOULDBLOCK && saved != EACCES) ||
            tries >= DELIVER_FLOCK_TRIES)
            break;
        sleep(1);
    }
    if (why)
        vstring_sprintf(why, "unable to lock for exclusive access: %s", strerror(saved));
    errno = saved;
    return (-1);
}
