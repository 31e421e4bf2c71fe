/*
 * set_eugid - temporarily act as another user.
 *
 * Exports set_eugid(euid, egid): regain root as the effective user id (the
 * real user id stays root throughout), set the effective group id and the
 * supplementary group list to egid alone, then set the effective user id.
 * Files created and permission checks made afterwards are those of
 * euid/egid; set_eugid(0, 0) or another call switches again. A process
 * that does not run as root may only "switch" to what it already is (test
 * instances run unprivileged).
 *
 * Failure: every failure is fatal: a delivery agent that could not take on
 * the recipient's identity must not write files with the wrong one.
 */

#include <grp.h>
#include <unistd.h>

#include "msg.h"
#include "set_eugid.h"

/* set_eugid - become euid/egid for now */
void set_eugid(uid_t euid, gid_t egid)
{
    if (getuid() != 0) {
        if (geteuid() != euid)
            msg_fatal("set_eugid: cannot become uid %ld: not running as root", (long)euid);
        return;
    }
    if (geteuid() != 0 && seteuid(0) < 0)
        msg_fatal("seteuid(0): %m");
    if (setegid(egid) < 0)
        msg_fatal("setegid(%ld): %m", (long)egid);
    if (setgroups(1, &egid) < 0)
        msg_fatal("setgroups(1, [%ld]): %m", (long)egid);
    if (euid != 0 && seteuid(euid) < 0)
        msg_fatal("seteuid(%ld): %m", (long)euid);
    if (msg_verbose > 1)
        msg_info("set_eugid: euid %ld egid %ld", (long)euid, (long)egid);
}
