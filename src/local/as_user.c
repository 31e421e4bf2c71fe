/*
 * as_user - look at and open files with a user's rights.
 *
 * Exports lstat_as() and open_as(). The effective ids are switched to the
 * user for the one system call and back to the mail system owner after
 * it, so that a user's .forward or :include: file is read only when that
 * user could read it (and its directory could be searched by that user).
 * errno is kept from the system call.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "local.h"
#include "mail_params.h"
#include "set_eugid.h"

/* lstat_as - lstat() as uid/gid */
int lstat_as(const char *path, struct stat *st, uid_t uid, gid_t gid)
{
    int ret;
    int saved;

    set_eugid(uid, gid);
    ret = lstat(path, st);
    saved = errno;
    set_eugid(var_owner_uid, var_owner_gid);
    errno = saved;
    return (ret);
}

/* open_as - open() as uid/gid, close-on-exec */
int open_as(const char *path, int flags, mode_t mode, uid_t uid, gid_t gid)
{
    int fd;
    int saved;

    set_eugid(uid, gid);
    fd = open(path, flags | O_CLOEXEC, mode);
    saved = errno;
    set_eugid(var_owner_uid, var_owner_gid);
    errno = saved;
    return (fd);
}
