/*
 * safe_open - open a file that a privileged process will write into (a
 * mailbox, a dead-letter file) so that a user who controls the directory
 * cannot redirect the write elsewhere.
 *
 * An existing file is inspected with lstat() before it is opened, and the
 * open descriptor is inspected again with fstat(). It is refused when it is
 * a symbolic link, is not a regular file, has more than one hard link, or
 * is not the same file (device, inode, owner) that was inspected: each of
 * these would let someone point the write at a file of their choice. The
 * open itself does not follow symbolic links and does not block (a FIFO
 * swapped in at the last moment must not hang the process); O_TRUNC is
 * applied only after every check passed. As in Postfix, one exception is
 * made: a symbolic link owned by root in a directory owned by root and
 * writable by nobody else may be followed, because only root could have
 * made it.
 *
 * A new file is created with O_CREAT|O_EXCL, which never follows a link and
 * fails if anything at all exists at the path, and is then given to user
 * and group (each may be -1 to leave it alone). With O_CREAT but without
 * O_EXCL, an existing file is opened and a missing one created; losing a
 * race between the two is retried a few times.
 *
 * The result is a stream on the file with its status in *st, or null with
 * errno set and the reason in why ("file is a symbolic link", "file has 2
 * hard links", "file status changed unexpectedly", "cannot open file: ...").
 * The descriptor is close-on-exec.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"
#include "safe_open.h"

#define SAFE_OPEN_TRIES 10 /* create/open races before giving up */

void (*safe_open_race_hook)(const char *path);

/* safe_open_root_link_ok - may this root-owned symlink be followed? */
static int safe_open_root_link_ok(const char *path, const struct stat *lst)
{
    char *parent;
    char *slash;
    struct stat pst;
    int ok;

    if (lst->st_uid != 0)
        return (0);
    parent = mystrdup(path);
    if ((slash = strrchr(parent, '/')) == 0)
        strcpy(parent, ".");
    else if (slash == parent)
        parent[1] = 0;
    else
        *slash = 0;
    /* stat, not lstat: what matters is the directory that holds the link. */
    ok = stat(parent, &pst) == 0 && S_ISDIR(pst.st_mode) && pst.st_uid == 0 &&
         (pst.st_mode & (S_IWGRP | S_IWOTH)) == 0;
    myfree(parent);
    return (ok);
}

/* safe_open_why_errno - "text: system error", keeping errno */
static void safe_open_why_errno(VSTRING *why, const char *text)
{
    int err = errno;

    vstring_sprintf(why, "%s: %s", text, strerror(err));
    errno = err;
}

/* safe_open_fail - close fd if open, set errno; returns null */
static VSTREAM *safe_open_fail(int fd, int err)
{
    if (fd >= 0)
        (void)close(fd);
    errno = err;
    return (0);
}

/* safe_open_verify - the checks shared by lstat and fstat results; 0 or -1 */
static int safe_open_verify(const struct stat *st, VSTRING *why)
{
    if (!S_ISREG(st->st_mode)) {
        vstring_strcpy(why, "file is not a regular file");
        return (-1);
    }
    if (st->st_nlink != 1) {
        vstring_sprintf(why, "file has %lu hard links", (unsigned long)st->st_nlink);
        return (-1);
    }
    return (0);
}

/* safe_open_stream - wrap a checked descriptor */
static VSTREAM *safe_open_stream(int fd, const char *path, int flags)
{
    VSTREAM *fp;

    non_blocking(fd, BLOCKING);
    fp = vstream_fdopen(fd, flags);
    vstream_set_path(fp, path);
    return (fp);
}

/* safe_open_exist - open an existing file after checking it */
static VSTREAM *safe_open_exist(const char *path, int flags, struct stat *st, VSTRING *why)
{
    struct stat lst;
    int follow = 0;
    int fd;

    if (lstat(path, &lst) < 0) {
        safe_open_why_errno(why, "cannot open file");
        return (0);
    }
    if (S_ISLNK(lst.st_mode)) {
        if (!safe_open_root_link_ok(path, &lst)) {
            vstring_strcpy(why, "file is a symbolic link");
            return (safe_open_fail(-1, EPERM));
        }
        follow = 1;
    } else if (safe_open_verify(&lst, why) < 0) {
        return (safe_open_fail(-1, EPERM));
    }
    if (safe_open_race_hook)
        safe_open_race_hook(path);
    fd = open(path,
              (flags & ~(O_CREAT | O_EXCL | O_TRUNC)) | O_NONBLOCK | O_CLOEXEC |
                  (follow ? 0 : O_NOFOLLOW),
              0);
    if (fd < 0) {
        /* A link, a FIFO without reader, or nothing at all appeared after the check. */
        if (errno == ELOOP || errno == ENXIO || errno == ENOENT) {
            vstring_strcpy(why, "file status changed unexpectedly");
            return (safe_open_fail(-1, EPERM));
        }
        safe_open_why_errno(why, "cannot open file");
        return (0);
    }
    if (fstat(fd, st) < 0) {
        safe_open_why_errno(why, "cannot get file status");
        return (safe_open_fail(fd, errno));
    }
    if (safe_open_verify(st, why) < 0)
        return (safe_open_fail(fd, EPERM));
    if (!follow && (st->st_dev != lst.st_dev || st->st_ino != lst.st_ino ||
                    st->st_uid != lst.st_uid || st->st_gid != lst.st_gid)) {
        vstring_strcpy(why, "file status changed unexpectedly");
        return (safe_open_fail(fd, EPERM));
    }
    if ((flags & O_TRUNC) && (flags & O_ACCMODE) != O_RDONLY) {
        if (ftruncate(fd, 0) < 0) {
            safe_open_why_errno(why, "cannot truncate file");
            return (safe_open_fail(fd, errno));
        }
        st->st_size = 0;
    }
    return (safe_open_stream(fd, path, flags));
}

/* safe_open_create - create a new file that did not exist in any form */
static VSTREAM *safe_open_create(const char *path, int flags, mode_t mode, struct stat *st,
                                 uid_t user, gid_t group, VSTRING *why)
{
    int fd;

    fd = open(path, flags | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
    if (fd < 0) {
        safe_open_why_errno(why, "cannot create file exclusively");
        return (0);
    }
    /* A failed ownership change leaves the file more private, not less. */
    if ((user != (uid_t)-1 || group != (gid_t)-1) && fchown(fd, user, group) < 0)
        msg_warn("%s: cannot change file ownership: %m", path);
    if (fstat(fd, st) < 0) {
        safe_open_why_errno(why, "cannot get file status");
        return (safe_open_fail(fd, errno));
    }
    return (safe_open_stream(fd, path, flags));
}

/* safe_open - open or create path safely; null with why and errno on failure */
VSTREAM *safe_open(const char *path, int flags, mode_t mode, struct stat *st, uid_t user,
                   gid_t group, VSTRING *why)
{
    struct stat local_st;
    VSTRING *local_why = why ? 0 : vstring_alloc(100);
    VSTREAM *fp = 0;
    int saved;
    int tries;

    if (st == 0)
        st = &local_st;
    if (why == 0)
        why = local_why;
    VSTRING_RESET(why);
    switch (flags & (O_CREAT | O_EXCL)) {
    case O_CREAT | O_EXCL:
        fp = safe_open_create(path, flags, mode, st, user, group, why);
        break;
    case O_CREAT:
        for (tries = 0; fp == 0 && tries < SAFE_OPEN_TRIES; tries++) {
            if ((fp = safe_open_exist(path, flags, st, why)) != 0 || errno != ENOENT)
                break;
            if ((fp = safe_open_create(path, flags, mode, st, user, group, why)) != 0 ||
                errno != EEXIST)
                break;
        }
        if (fp == 0 && tries >= SAFE_OPEN_TRIES) {
            vstring_strcpy(why, "file keeps appearing and disappearing");
            errno = EAGAIN;
        }
        break;
    default:
        fp = safe_open_exist(path, flags, st, why);
        break;
    }
    if (local_why) {
        saved = errno;
        vstring_free(local_why);
        errno = saved;
    }
    return (fp);
}
