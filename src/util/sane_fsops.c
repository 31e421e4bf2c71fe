/*
 * sane_fsops - rename(2), link(2), readlink(2) and time(2) with the
 * surprises taken out.
 *
 * Over NFS a request can be retried after the server carried it out, so
 * that a rename that worked reports ENOENT and a link that worked reports
 * EEXIST. sane_rename() and sane_link() recognize those cases from the file
 * system state and report success, with an informational log entry; any
 * other failure returns -1 with errno unchanged.
 *
 * sane_readlink() always null-terminates and refuses (ENAMETOOLONG) a link
 * target that does not fit, instead of silently truncating it.
 *
 * sane_time() never goes backwards: when the system clock is set back it
 * logs a warning and keeps returning the latest time seen until the clock
 * catches up, so that timers and queue delays do not go negative.
 */

#include <errno.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "sane_fsops.h"

/* sane_rename - rename(2) that accepts a retried success */
int sane_rename(const char *from, const char *to)
{
    struct stat st;
    int saved_errno;

    if (rename(from, to) == 0)
        return (0);
    saved_errno = errno;
    if (saved_errno == ENOENT && stat(from, &st) < 0 && stat(to, &st) == 0) {
        msg_info("sane_rename(%s,%s): worked around spurious NFS error", from, to);
        return (0);
    }
    errno = saved_errno;
    return (-1);
}

/* sane_link - link(2) that accepts a retried success */
int sane_link(const char *from, const char *to)
{
    struct stat from_st, to_st;
    int saved_errno;

    if (link(from, to) == 0)
        return (0);
    saved_errno = errno;
    if (saved_errno == EEXIST && lstat(from, &from_st) == 0 && lstat(to, &to_st) == 0 &&
        from_st.st_dev == to_st.st_dev && from_st.st_ino == to_st.st_ino && from_st.st_nlink > 1) {
        msg_info("sane_link(%s,%s): worked around spurious NFS error", from, to);
        return (0);
    }
    errno = saved_errno;
    return (-1);
}

/* sane_readlink - readlink(2) with a terminator and no silent truncation */
ssize_t sane_readlink(const char *path, char *buf, size_t bufsize)
{
    ssize_t len;

    if (bufsize == 0) {
        errno = ENAMETOOLONG;
        return (-1);
    }
    if ((len = readlink(path, buf, bufsize)) < 0)
        return (-1);
    if ((size_t)len >= bufsize) {
        buf[bufsize - 1] = 0;
        errno = ENAMETOOLONG;
        return (-1);
    }
    buf[len] = 0;
    return (len);
}

/* sane_time - time(2) that does not run backwards */
time_t sane_time(void)
{
    static time_t latest;
    static int behind; /* warned about the current step back */
    time_t now = time((time_t *)0);

    if (now < latest) {
        if (!behind)
            msg_warn("sane_time: time has moved backwards by %ld seconds", (long)(latest - now));
        behind = 1;
        return (latest);
    }
    behind = 0;
    latest = now;
    return (now);
}
