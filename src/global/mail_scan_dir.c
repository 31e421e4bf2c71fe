/*
 * mail_scan_dir - walking the queue directories.
 *
 * Exports mail_scan_dir_next() and mail_open_ok(). Queues listed in
 * hash_queue_names keep their files in one-character subdirectories; a
 * walker that steps into every one-character name finds files at any depth,
 * also after hash_queue_depth or hash_queue_names was changed (postsuper -s
 * puts such files back in place).
 *
 * Failure: none of its own; a subdirectory that cannot be entered is
 * returned as a name, which is never a valid queue id.
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "mail_queue.h"
#include "mail_scan_dir.h"
#include "msg.h"
#include "scan_dir.h"
#include "vstring.h"

/* mail_scan_dir_next - next name in the queue, hash levels included */
char *mail_scan_dir_next(SCAN_DIR *scan)
{
    char *name;

    for (;;) {
        if ((name = scan_dir_next(scan)) == 0) {
            if (scan_dir_pop(scan) == 0)
                continue;
            return (0);
        }
        if (strlen(name) == 1 && scan_dir_push(scan, name) == 0)
            continue;
        return (name);
    }
}

/* mail_open_ok - is this a complete queue file */
int mail_open_ok(const char *queue, const char *id, struct stat *st, const char **path)
{
    static VSTRING *buf;

    if (!mail_queue_name_ok(queue) || !mail_queue_id_ok(id))
        return (MAIL_OPEN_NO);
    if (buf == 0)
        buf = vstring_alloc(100);
    *path = mail_queue_path(buf, queue, id);
    if (lstat(*path, st) < 0) {
        if (errno != ENOENT)
            msg_warn("%s: %m", *path);
        return (MAIL_OPEN_NO);
    }
    if (!S_ISREG(st->st_mode)) {
        msg_warn("%s: uid %ld: not a regular file", *path, (long)st->st_uid);
        return (MAIL_OPEN_NO);
    }
    if ((st->st_mode & S_IRWXU) != MAIL_QUEUE_STAT_READY)
        return (MAIL_OPEN_NO);
    if (st->st_nlink > 1) {
        msg_warn("%s: uid %ld: file has %d links", *path, (long)st->st_uid, (int)st->st_nlink);
        return (MAIL_OPEN_NO);
    }
    return (MAIL_OPEN_YES);
}
