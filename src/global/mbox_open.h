#ifndef MBOX_OPEN_H
#define MBOX_OPEN_H

/*
 * mbox_open - open and lock a Unix mailbox file (or a file named in an
 * alias) for appending, as local(8) and virtual(8) do.
 */

#include <sys/stat.h>

#include "dsn_buf.h"
#include "vstream.h"

typedef struct MBOX {
    char *path;  /* mailbox file name */
    VSTREAM *fp; /* open stream, positioned anywhere */
    int locked;  /* MBOX_*_LOCK bits that are held */
} MBOX;

/* Lock styles: the LOCK_TYPE_* bits of lock_type.h, plus: */
#define MBOX_FLOCK_LOCK (1 << 0)        /* = LOCK_TYPE_FLOCK */
#define MBOX_FCNTL_LOCK (1 << 1)        /* = LOCK_TYPE_FCNTL */
#define MBOX_DOT_LOCK (1 << 2)          /* = LOCK_TYPE_DOTLOCK */
#define MBOX_DOT_LOCK_MAY_FAIL (1 << 3) /* a dotlock that cannot be made is no error */

/*
 * mbox_open - take the dotlock (when asked), open or create the file with
 * safe_open() (new files owned by chown_uid/chown_gid, -1 = as created),
 * then take the kernel locks. Character devices such as /dev/null are
 * opened plainly and not locked. Returns null with why set: status
 * def_dsn, except 4.2.0 for a lock that is busy, 4.3.0 for a missing
 * directory or a full file system, 5.2.2 for an exhausted quota.
 */
extern MBOX *mbox_open(const char *path, int flags, mode_t mode, struct stat *st, uid_t chown_uid,
                       gid_t chown_gid, int lock_style, const char *def_dsn, DSN_BUF *why);

/* mbox_release - unlock and close (the stream too, unless already closed: fp = 0). */
extern void mbox_release(MBOX *mbox);

/* mbox_dsn - the status for an errno, def_dsn when nothing more specific fits. */
extern const char *mbox_dsn(int err, const char *def_dsn);

#endif
