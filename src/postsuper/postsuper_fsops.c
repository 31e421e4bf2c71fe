/*
 * postsuper_fsops - file system operations for postsuper that either work,
 * find nothing to do (the file is already gone: -1, errno ENOENT), or end
 * the program: postsuper is run by hand, and stopping at the first
 * unexpected error is safer than carrying on in a queue that is not as
 * expected.
 *
 * Exports postsuper_remove(), postsuper_rename() (making missing hash
 * directories on the way) and postsuper_rmdir().
 */

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

#include "mail_queue.h"
#include "msg.h"
#include "postsuper.h"
#include "sane_fsops.h"

/* postsuper_remove - remove a file; 0, or -1 when it was already gone */
int postsuper_remove(const char *path)
{
    if (remove(path) < 0) {
        if (errno != ENOENT)
            msg_fatal("remove file %s: %m", path);
        return (-1);
    }
    if (msg_verbose)
        msg_info("removed file %s", path);
    return (0);
}

/* postsuper_rename - rename a file; 0, or -1 when it was already gone */
int postsuper_rename(const char *old_path, const char *new_path)
{
    if (sane_rename(old_path, new_path) < 0) {
        if (errno != ENOENT)
            msg_fatal("rename file %s as %s: %m", old_path, new_path);
        if (mail_queue_mkdirs(new_path) < 0 || sane_rename(old_path, new_path) < 0) {
            if (errno != ENOENT)
                msg_fatal("rename file %s as %s: %m", old_path, new_path);
            return (-1);
        }
    }
    if (msg_verbose)
        msg_info("renamed file %s as %s", old_path, new_path);
    return (0);
}

/* postsuper_rmdir - remove a directory; 0, or -1 when it was already gone */
int postsuper_rmdir(const char *path)
{
    if (rmdir(path) < 0) {
        if (errno != ENOENT)
            msg_fatal("remove directory %s: %m", path);
        return (-1);
    }
    if (msg_verbose)
        msg_info("remove directory %s", path);
    return (0);
}
