/*
 * set_ugid - give up root for good.
 *
 * Exports set_ugid(uid, gid): set the real and effective group id, reduce
 * the supplementary groups to that one group, then set the real and
 * effective user id, and check that the change is permanent (uid 0 cannot
 * be regained). A process that is not root may only "change" to what it
 * already is; that keeps unprivileged test instances working.
 *
 * Failure: every failure is fatal. A daemon that meant to drop privileges
 * and could not must not go on to parse untrusted input.
 */

#include <grp.h>
#include <unistd.h>

#include "msg.h"
#include "set_ugid.h"

/* set_ugid - become uid/gid, permanently */
void set_ugid(uid_t uid, gid_t gid)
{
    int was_root;

    if (geteuid() != 0 && getuid() == 0 && seteuid(0) < 0)
        msg_fatal("seteuid(0): %m");
    if ((was_root = (geteuid() == 0)) != 0) {
        if (setgid(gid) < 0)
            msg_fatal("setgid(%ld): %m", (long)gid);
        if (setgroups(1, &gid) < 0)
            msg_fatal("setgroups(1, [%ld]): %m", (long)gid);
        if (setuid(uid) < 0)
            msg_fatal("setuid(%ld): %m", (long)uid);
    } else if (getuid() != uid || geteuid() != uid) {
        msg_fatal("setuid(%ld): not running as root", (long)uid);
    }
    if (getuid() != uid || geteuid() != uid || (was_root && (getgid() != gid || getegid() != gid)))
        msg_fatal("set_ugid: ids did not change to uid %ld gid %ld", (long)uid, (long)gid);
    if (uid != 0 && setuid(0) == 0)
        msg_fatal("set_ugid: uid 0 can still be regained");
    if (msg_verbose > 1)
        msg_info("set_ugid: uid %ld gid %ld", (long)uid, (long)gid);
}
