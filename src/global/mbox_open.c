/*
 * mbox_open - open a mailbox for exclusive appending.
 *
 * Exports mbox_open(), mbox_release() and mbox_dsn(). The order of the
 * locks follows what mail readers expect: the "file.lock" dotlock comes
 * first (it needs no open file), then the file is opened or created with
 * safe_open() (no symbolic links, no hard links, no swapped files), then
 * the kernel locks (fcntl and/or flock, as mailbox_delivery_lock says) are
 * taken on the open descriptor with a few retries (deliver_flock).
 * mbox_release() drops the kernel locks by closing the file and removes
 * the dotlock.
 *
 * A dotlock may be impossible when the user cannot write the directory
 * (files named in aliases and .forward files); with MBOX_DOT_LOCK_MAY_FAIL
 * that is tolerated, as Postfix does.
 *
 * Failure: null and a DSN in why. Nothing is left locked or open.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "deliver_flock.h"
#include "dot_lockfile.h"
#include "mbox_open.h"
#include "msg.h"
#include "mymalloc.h"
#include "myflock.h"
#include "safe_open.h"
#include "vstring.h"

/* mbox_dsn - map an errno to a delivery status */
const char *mbox_dsn(int err, const char *def_dsn)
{
    switch (err) {
    case EAGAIN:
#if defined(EWOULDBLOCK) && EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
#endif
    case ESTALE:
        return ("4.2.0");
    case ENOSPC:
    case ENOENT:
    case ENOTDIR:
        return ("4.3.0");
    case EDQUOT:
    case EFBIG:
        return ("5.2.2");
    default:
        return (def_dsn);
    }
}

/* mbox_open_device - open a character device such as /dev/null */
static VSTREAM *mbox_open_device(const char *path, int flags, struct stat *st)
{
    struct stat lst;
    int fd;

    if (lstat(path, &lst) < 0 || !S_ISCHR(lst.st_mode))
        return (0);
    if ((fd = open(path, (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NOFOLLOW | O_CLOEXEC)) < 0)
        return (0);
    if (fstat(fd, st) < 0 || !S_ISCHR(st->st_mode) || st->st_rdev != lst.st_rdev) {
        (void)close(fd);
        return (0);
    }
    return (vstream_fdopen(fd, flags));
}

/* mbox_open - dotlock, open, lock; null with why on failure */
MBOX *mbox_open(const char *path, int flags, mode_t mode, struct stat *st, uid_t chown_uid,
                gid_t chown_gid, int lock_style, const char *def_dsn, DSN_BUF *why)
{
    struct stat local_st;
    VSTRING *reason = vstring_alloc(100);
    VSTREAM *fp;
    MBOX *mp;
    int locked = 0;
    int err;

    if (st == 0)
        st = &local_st;
    if (lock_style & MBOX_DOT_LOCK) {
        if (dot_lockfile(path, reason) == 0) {
            locked |= MBOX_DOT_LOCK;
        } else if (errno == EEXIST) {
            dsb_simple(why, "4.2.0", "%s", vstring_str(reason));
            vstring_free(reason);
            return (0);
        } else if ((lock_style & MBOX_DOT_LOCK_MAY_FAIL) == 0) {
            err = errno;
            dsb_simple(why, mbox_dsn(err, def_dsn), "%s", vstring_str(reason));
            vstring_free(reason);
            return (0);
        }
    }
    if ((fp = mbox_open_device(path, flags, st)) == 0 &&
        (fp = safe_open(path, flags | O_NONBLOCK, mode, st, chown_uid, chown_gid, reason)) == 0) {
        err = errno;
        dsb_simple(why, mbox_dsn(err, def_dsn), "%s", vstring_str(reason));
        if (locked & MBOX_DOT_LOCK)
            dot_unlockfile(path);
        vstring_free(reason);
        return (0);
    }
    vstream_set_path(fp, path);
    if (S_ISREG(st->st_mode)) {
        if ((lock_style & MBOX_FCNTL_LOCK) &&
            deliver_flock(vstream_fileno(fp), MYFLOCK_STYLE_FCNTL, reason) == 0)
            locked |= MBOX_FCNTL_LOCK;
        else if (lock_style & MBOX_FCNTL_LOCK)
            goto lock_failed;
        if ((lock_style & MBOX_FLOCK_LOCK) &&
            deliver_flock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK, reason) == 0)
            locked |= MBOX_FLOCK_LOCK;
        else if (lock_style & MBOX_FLOCK_LOCK)
            goto lock_failed;
    }
    mp = (MBOX *)mymalloc(sizeof(*mp));
    mp->path = mystrdup(path);
    mp->fp = fp;
    mp->locked = locked;
    vstring_free(reason);
    return (mp);

lock_failed:
    err = errno;
    dsb_simple(why, mbox_dsn(err, "4.2.0"), "%s", vstring_str(reason));
    (void)vstream_fclose(fp);
    if (locked & MBOX_DOT_LOCK)
        dot_unlockfile(path);
    vstring_free(reason);
    return (0);
}

/* mbox_release - close the file (dropping kernel locks), remove the dotlock */
void mbox_release(MBOX *mp)
{
    if (mp->fp != 0 && vstream_fclose(mp->fp) != 0)
        msg_warn("close %s: %m", mp->path);
    if (mp->locked & MBOX_DOT_LOCK)
        dot_unlockfile(mp->path);
    myfree(mp->path);
    myfree(mp);
}
