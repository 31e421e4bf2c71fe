/*
 * myflock - one interface to the two kinds of advisory whole-file lock.
 *
 * flock() locks belong to the open file description, fcntl() locks to the
 * process; mailbox readers differ in which they honour, which is why the
 * mailbox_delivery_lock setting can ask for either or both. Waiting for a
 * lock is retried across signals. A lock that is busy under
 * MYFLOCK_OP_NOWAIT fails with errno EAGAIN in both styles (fcntl may say
 * EACCES; callers need not know).
 *
 * Returns 0 or -1 with errno set. A bad style or operation is a caller bug
 * and panics.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/file.h>

#include "msg.h"
#include "myflock.h"

/* myflock_flock - the flock(2) flavour */
static int myflock_flock(int fd, int operation)
{
    static const int ops[] = {LOCK_UN, LOCK_SH, LOCK_EX};
    int how = ops[operation & ~MYFLOCK_OP_NOWAIT];
    int ret;

    if (operation & MYFLOCK_OP_NOWAIT)
        how |= LOCK_NB;
    while ((ret = flock(fd, how)) < 0 && errno == EINTR)
        /* void */;
    return (ret);
}

/* myflock_fcntl - the fcntl(2) flavour, on the whole file */
static int myflock_fcntl(int fd, int operation)
{
    static const short types[] = {F_UNLCK, F_RDLCK, F_WRLCK};
    struct flock lock;
    int cmd = (operation & MYFLOCK_OP_NOWAIT) ? F_SETLK : F_SETLKW;
    int ret;

    memset(&lock, 0, sizeof(lock));
    lock.l_type = types[operation & ~MYFLOCK_OP_NOWAIT];
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;
    while ((ret = fcntl(fd, cmd, &lock)) < 0 && errno == EINTR)
        /* void */;
    if (ret < 0 && errno == EACCES)
        errno = EAGAIN;
    return (ret);
}

/* myflock - lock, share or release the whole file */
int myflock(int fd, int style, int operation)
{
    int op = operation & ~MYFLOCK_OP_NOWAIT;

    if ((operation & ~MYFLOCK_OP_BITS) != 0 || op == (MYFLOCK_OP_SHARED | MYFLOCK_OP_EXCLUSIVE))
        msg_panic("myflock: improper operation type: 0x%x", (unsigned)operation);
    switch (style) {
    case MYFLOCK_STYLE_FLOCK:
        return (myflock_flock(fd, operation));
    case MYFLOCK_STYLE_FCNTL:
        return (myflock_fcntl(fd, operation));
    default:
        msg_panic("myflock: unsupported lock style: 0x%x", (unsigned)style);
    }
}
