/*
 * dict_lock - whole-file advisory locks for table files.
 *
 * Exports dict_lock_fd(fd, op) with op DICT_LOCK_SHARED, DICT_LOCK_EXCLUSIVE
 * (both wait for the lock) or DICT_LOCK_NONE (release). It uses fcntl()
 * record locks over the whole file, the style the reference uses on Linux
 * for table files, so that our builders and the reference's readers (or the
 * other way around) keep out of each other's way. Returns 0, or -1 with
 * errno set; an interrupted wait is retried.
 *
 * This is a small private helper because the general myflock module is
 * being written elsewhere; it can become a thin call to it later.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "dict_lock.h"
#include "msg.h"

/* dict_lock_fd - lock, or unlock, an entire file */
int dict_lock_fd(int fd, int op)
{
    struct flock lock;

    memset(&lock, 0, sizeof(lock));
    lock.l_whence = SEEK_SET;
    lock.l_start = 0;
    lock.l_len = 0;
    switch (op) {
    case DICT_LOCK_NONE:
        lock.l_type = F_UNLCK;
        break;
    case DICT_LOCK_SHARED:
        lock.l_type = F_RDLCK;
        break;
    case DICT_LOCK_EXCLUSIVE:
        lock.l_type = F_WRLCK;
        break;
    default:
        msg_panic("dict_lock_fd: bad operation %d", op);
    }
    while (fcntl(fd, F_SETLKW, &lock) < 0) {
        if (errno != EINTR)
            return (-1);
    }
    return (0);
}
