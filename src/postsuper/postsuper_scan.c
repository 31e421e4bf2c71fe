/*
 * postsuper_scan - one pass over whole queue directories: structure check
 * and repair (-s, -S), purging temporary files (-p) and the "ALL"
 * operations (-d/-r/-h/-H/-e/-f ALL).
 *
 * Exports postsuper_scan(queues, action). For each file found, at any
 * hash depth:
 *   - directories that are not hash levels, and anything that is not a
 *     regular file, are removed; with -p so are files in message queues
 *     that never became complete (owner rwx not set) and were neither
 *     modified nor changed for a day;
 *   - -d ALL removes everything (only complete queue files are counted);
 *   - -s renames a message file whose name does not match its inode
 *     number (after restoring a queue from backup, or when going back from
 *     long to short ids) to "<newid>#FIX", its defer/bounce/trace logs
 *     first; the next pass strips the suffix. -S also fixes long names
 *     whose inode part does not match;
 *   - the ALL moves (requeue, hold, release, expire) act on complete files;
 *   - -s finally moves files that are not in the hash directory their
 *     name calls for (after a change of hash_queue_depth or
 *     hash_queue_names) and removes hash levels that are too deep.
 * Names that are not queue ids are reported ("bogus file name") and left.
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "argv.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "postsuper.h"
#include "queue_id.h"
#include "scan_dir.h"
#include "vstring.h"

#define STR(x) vstring_str(x)
#define STREQ(x, y) (strcmp((x), (y)) == 0)

/* The file at hand during a pass. */
typedef struct SCAN_FILE {
    const POSTSUPER_QUEUE *qp; /* its directory */
    char name[QUEUE_ID_MAXLEN + sizeof(POSTSUPER_FIX_SUFFIX) + 1];
    VSTRING *path;   /* where it is */
    VSTRING *wanted; /* scratch: where it should be */
    struct stat st;
} SCAN_FILE;

/* scan_wanted_depth - hash levels this queue should have */
static int scan_wanted_depth(const char *queue)
{
    ARGV *names = argv_split(var_hash_queue_names, ", \t\r\n");
    int depth = 0;
    int i;

    for (i = 0; i < names->argc; i++)
        if (STREQ(names->argv[i], queue))
            depth = var_hash_queue_depth;
    argv_free(names);
    return (depth);
}

/* scan_fix_inode - rename message and logs to the inode's name plus #FIX */
static void scan_fix_inode(SCAN_FILE *fp)
{
    VSTRING *new_id = vstring_alloc(40);
    VSTRING *old_path = vstring_alloc(100);
    VSTRING *new_path = vstring_alloc(100);
    const char **lp;

    queue_id_reinode(new_id, fp->name, fp->st.st_ino, var_enable_long_queue_ids);
    /* Logs before the message: an interrupted run can then be repeated. */
    for (lp = postsuper_log_queues; *lp; lp++) {
        mail_queue_path(old_path, *lp, fp->name);
        mail_queue_path(new_path, *lp, STR(new_id));
        vstring_strcat(new_path, POSTSUPER_FIX_SUFFIX);
        postsuper_rename(STR(old_path), STR(new_path));
    }
    mail_queue_path(new_path, fp->qp->name, STR(new_id));
    vstring_strcat(new_path, POSTSUPER_FIX_SUFFIX);
    postsuper_rename(STR(fp->path), STR(new_path));
    vstring_free(new_id);
    vstring_free(old_path);
    vstring_free(new_path);
}

/* scan_strip_fix - finish a #FIX rename; 0 to go on with the file, -1 to leave it */
static int scan_strip_fix(SCAN_FILE *fp)
{
    size_t len = strlen(fp->name);
    size_t slen = strlen(POSTSUPER_FIX_SUFFIX);
    unsigned long inode;

    if (len <= slen || !STREQ(fp->name + len - slen, POSTSUPER_FIX_SUFFIX))
        return (0);
    fp->name[len - slen] = 0;
    if (!mail_queue_id_ok(fp->name) || (fp->qp->message && queue_id_inode(fp->name, &inode) < 0)) {
        msg_warn("bogus file name: %s", STR(fp->path));
        return (-1);
    }
    if (fp->qp->message && inode != (unsigned long)fp->st.st_ino) {
        msg_warn("name/inode mismatch: %s", STR(fp->path));
        return (-1);
    }
    mail_queue_path(fp->wanted, fp->qp->name, fp->name);
    if (postsuper_rename(STR(fp->path), STR(fp->wanted)) < 0)
        return (-1);
    if (fp->qp->message)
        postsuper_counts.inode_fixed++;
    vstring_strcpy(fp->path, STR(fp->wanted));
    return (0);
}

/* scan_move - move a complete file to another queue; 1 when moved */
static int scan_move(SCAN_FILE *fp, const char *to_queue)
{
    mail_queue_path(fp->wanted, to_queue, fp->name);
    return (postsuper_rename(STR(fp->path), STR(fp->wanted)) == 0);
}

/* scan_mass_ops - the ALL operations; 1 when the file moved away */
static int scan_mass_ops(SCAN_FILE *fp, int action)
{
    const char *queue = fp->qp->name;
    int sanitized = fp->qp->message && !STREQ(queue, MAIL_QUEUE_MAILDROP);

    if ((action & (ACT_EXPIRE_ALL | ACT_EXP_REL_ALL)) && sanitized && POSTSUPER_READY(&fp->st)) {
        postsuper_counts.expired += postsuper_expire_file(STR(fp->path), &fp->st, fp->name, 0);
        if ((action & ACT_EXP_REL_ALL) && STREQ(queue, MAIL_QUEUE_HOLD) &&
            scan_move(fp, MAIL_QUEUE_DEFERRED)) {
            postsuper_counts.released++;
            return (1);
        }
    }
    if ((action & ACT_REQUEUE_ALL) && sanitized) {
        postsuper_counts.requeued += scan_move(fp, MAIL_QUEUE_MAILDROP);
        return (1);
    }
    if ((action & ACT_HOLD_ALL) && sanitized && !STREQ(queue, MAIL_QUEUE_HOLD)) {
        postsuper_counts.held += scan_move(fp, MAIL_QUEUE_HOLD);
        return (1);
    }
    if ((action & ACT_RELEASE_ALL) && STREQ(queue, MAIL_QUEUE_HOLD)) {
        postsuper_counts.released += scan_move(fp, MAIL_QUEUE_DEFERRED);
        return (1);
    }
    return (0);
}

/* scan_is_old - left over from long ago: neither written nor changed for a day */
static int scan_is_old(const struct stat *st)
{
    time_t now = time((time_t *)0);

    /* The change time too: a file restored from backup keeps an old mtime. */
    return (now > st->st_mtime + POSTSUPER_TEMP_AGE && now > st->st_ctime + POSTSUPER_TEMP_AGE);
}

/* scan_file - everything that may happen to one file; returns the new action */
static int scan_file(SCAN_FILE *fp, int action)
{
    unsigned long inode;
    int is_long;

    if (S_ISDIR(fp->st.st_mode)) {
        if (rmdir(STR(fp->path)) < 0 && errno != ENOENT)
            msg_warn("remove subdirectory %s: %m", STR(fp->path));
        return (action);
    }
    if (action & ACT_DELETE_ALL) {
        if (postsuper_remove(STR(fp->path)) == 0 && fp->qp->message && POSTSUPER_READY(&fp->st))
            postsuper_counts.deleted++;
        return (action);
    }
    if (!S_ISREG(fp->st.st_mode) || ((action & ACT_PURGE) && fp->qp->message &&
                                     !POSTSUPER_READY(&fp->st) && scan_is_old(&fp->st))) {
        postsuper_remove(STR(fp->path));
        return (action);
    }
    if ((action & ACT_STRUCT) && scan_strip_fix(fp) < 0)
        return (action);
    if (!mail_queue_id_ok(fp->name)) {
        msg_warn("bogus file name: %s", STR(fp->path));
        return (action);
    }
    if ((action & ACT_STRUCT) && fp->qp->message) {
        if (queue_id_inode(fp->name, &inode) < 0) {
            msg_warn("bogus file name: %s", STR(fp->path));
            return (action);
        }
        is_long = queue_id_is_long(fp->name);
        if ((is_long && !var_enable_long_queue_ids) ||
            (inode != (unsigned long)fp->st.st_ino && (!is_long || (action & ACT_STRUCT_RED)))) {
            postsuper_counts.inode_mismatch++;
            scan_fix_inode(fp);
            /* Moves wait for the second pass, when names are final. */
            return (action & ~ACTS_AFTER_INUM_FIX);
        }
    }
    if (scan_mass_ops(fp, action))
        return (action);
    if (action & ACT_STRUCT) {
        mail_queue_path(fp->wanted, fp->qp->name, fp->name);
        if (!STREQ(STR(fp->path), STR(fp->wanted))) {
            postsuper_counts.position_fixed++;
            postsuper_rename(STR(fp->path), STR(fp->wanted));
        }
    }
    return (action);
}

/* scan_queue - one queue directory, all levels */
static int scan_queue(const char *queue, int action)
{
    SCAN_FILE file;
    SCAN_DIR *scan;
    char *name;
    int depth = 0;
    int wanted_depth = scan_wanted_depth(queue);

    if (msg_verbose)
        msg_info("queue: %s", queue);
    file.qp = postsuper_queue(queue);
    if (wanted_depth > 0 && !file.qp->recurse)
        msg_fatal("%s queue must not be hashed", queue);
    if ((scan = scan_dir_open(queue)) == 0)
        msg_fatal("open directory %s: %m", queue);
    file.path = vstring_alloc(100);
    file.wanted = vstring_alloc(100);
    for (;;) {
        if ((name = scan_dir_next(scan)) == 0) {
            if (depth == 0)
                break;
            /* Levels deeper than wanted are empty by now. */
            if (depth > wanted_depth)
                postsuper_rmdir(scan_dir_path(scan));
            scan_dir_pop(scan);
            depth--;
            continue;
        }
        if (strlen(name) == 1 && file.qp->recurse && scan_dir_push(scan, name) == 0) {
            depth++;
            continue;
        }
        vstring_sprintf(file.path, "%s/%s", scan_dir_path(scan), name);
        if (strlen(name) >= sizeof(file.name)) {
            msg_warn("bogus file name: %s", STR(file.path));
            continue;
        }
        strcpy(file.name, name);
        /* lstat: a symbolic link is not a queue file, whatever it points to. */
        if (lstat(STR(file.path), &file.st) < 0)
            continue;
        action = scan_file(&file, action);
    }
    scan_dir_close(scan);
    vstring_free(file.path);
    vstring_free(file.wanted);
    return (action);
}

/* postsuper_scan - one pass over the queues */
void postsuper_scan(const char **queues, int action)
{
    for (; *queues; queues++)
        action = scan_queue(*queues, action);
}
