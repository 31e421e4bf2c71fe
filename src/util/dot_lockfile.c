/*
 * dot_lockfile - lock a file by creating "path.lock" next to it, the old
 * convention that works even over NFS and that mail readers without kernel
 * locks understand.
 *
 * The lock file is created with O_CREAT|O_EXCL and no permissions; it
 * exists exactly while the lock is held. When it already exists we try
 * again after a delay, a limited number of times (deliver_lock_attempts,
 * deliver_lock_delay). A lock file whose inode change time is older than
 * the stale limit (stale_lock_time) belongs to a process that died, and is
 * removed. The change time is used because nobody can set it: an attacker
 * who can create files in the spool cannot fake an everlasting lock.
 * dot_lockfile_limits() sets the three numbers; the defaults are Postfix's
 * 20 attempts, 1 second, 500 seconds.
 *
 * dot_lockfile() returns 0, or -1 with errno set and a reason in why.
 * dot_unlockfile() removes the lock and never fails visibly: a lock that is
 * already gone needs no removal.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dot_lockfile.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

static int dot_lock_attempts = 20;
static int dot_lock_delay_ms = 1000;
static int dot_lock_stale = 500;

/* dot_lockfile_limits - set attempts, delay between them, stale age */
void dot_lockfile_limits(int attempts, int delay_ms, int stale_seconds)
{
    if (attempts < 1 || delay_ms < 0 || stale_seconds < 1)
        msg_panic("dot_lockfile_limits: bad limits %d %d %d", attempts, delay_ms, stale_seconds);
    dot_lock_attempts = attempts;
    dot_lock_delay_ms = delay_ms;
    dot_lock_stale = stale_seconds;
}

/* dot_lockfile_pause - wait between attempts, with jitter so waiters do not march in step */
static void dot_lockfile_pause(void)
{
    struct timespec ts;
    long ms = dot_lock_delay_ms;

    if (ms <= 0)
        return;
    ms = ms / 2 + (long)(((unsigned long)getpid() * 2654435761UL + (unsigned long)clock()) %
                         (unsigned long)ms);
    ts.tv_sec = ms / 1000;
    ts.tv_nsec = (ms % 1000) * 1000000L;
    while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
        /* void */;
}

/* dot_lockfile - create path.lock; 0 or -1 with why */
int dot_lockfile(const char *path, VSTRING *why)
{
    char *lock_file = concatenate(path, ".lock", (char *)0);
    struct stat st;
    int status = -1;
    int count;
    int fd;
    int saved;

    for (count = 1;; count++) {
        if ((fd = open(lock_file, O_WRONLY | O_EXCL | O_CREAT | O_CLOEXEC, 0)) >= 0) {
            (void)close(fd);
            status = 0;
            break;
        }
        if (errno != EEXIST || count >= dot_lock_attempts)
            break;
        /* A lock older than the stale limit outlived its owner. */
        if (stat(lock_file, &st) == 0 && time((time_t *)0) > st.st_ctime + dot_lock_stale &&
            unlink(lock_file) < 0 && errno != ENOENT)
            break;
        dot_lockfile_pause();
    }
    if (status < 0 && why) {
        saved = errno;
        vstring_sprintf(why, "unable to create lock file %s: %s", lock_file, strerror(saved));
        errno = saved;
    }
    myfree(lock_file);
    return (status);
}

/* dot_unlockfile - remove path.lock */
void dot_unlockfile(const char *path)
{
    char *lock_file = concatenate(path, ".lock", (char *)0);
    int saved = errno;

    (void)unlink(lock_file);
    myfree(lock_file);
    errno = saved;
}
