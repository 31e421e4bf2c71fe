/*
 * mail_queue - queue directories and queue files.
 *
 * Paths are relative to queue_directory: every program that touches the
 * queue first changes to that directory (and a chrooted daemon has it as its
 * root), so "incoming/4F2A1B3C" names the same file everywhere.
 *
 * Queues listed in hash_queue_names are split into hash_queue_depth levels
 * of one-character subdirectories (see queue_id.c); missing ones are made on
 * demand, so changing the depth needs only "postsuper" to move files.
 *
 * mail_queue_enter() creates a new queue file under a unique temporary name,
 * learns its inode number, and links it to the name derived from the time
 * and the inode. link() refuses to replace an existing file, so a stale file
 * that happens to carry the same name is never overwritten; the name is
 * retried with a fresh time stamp instead.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "queue_id.h"
#include "stringops.h"

#define MAIL_QUEUE_ENTER_TRIES 1000

/* queue_is_hashed - is this queue named in hash_queue_names */
static int queue_is_hashed(const char *queue_name)
{
    const char *list = var_hash_queue_names;
    size_t len = strlen(queue_name);
    const char *cp;

    for (cp = list; *cp; /* void */ ) {
        cp += strspn(cp, ", \t\r\n");
        if (strncmp(cp, queue_name, len) == 0 && strchr(", \t\r\n", cp[len]) != 0)
            return (1);
        cp += strcspn(cp, ", \t\r\n");
    }
    return (0);
}

/* mail_queue_name_ok - is this a safe queue name */
int mail_queue_name_ok(const char *queue_name)
{
    const char *cp;

    if (*queue_name == 0 || strlen(queue_name) > 100)
        return (0);
    for (cp = queue_name; *cp; cp++)
        if (!((*cp >= 'a' && *cp <= 'z') || (*cp >= '0' && *cp <= '9')))
            return (0);
    return (1);
}

/* mail_queue_id_ok - is this a safe queue id */
int mail_queue_id_ok(const char *queue_id)
{
    return (queue_id_ok(queue_id));
}

/* mail_queue_dir - the directory of a queue file, with its hash levels */
const char *mail_queue_dir(VSTRING *buf, const char *queue_name, const char *queue_id)
{
    static VSTRING *hash;

    if (!mail_queue_name_ok(queue_name))
        msg_panic("mail_queue_dir: bad queue name: %s", queue_name);
    if (hash == 0)
        hash = vstring_alloc(10);
    vstring_strcpy(buf, queue_name);
    if (queue_id && queue_is_hashed(queue_name) && var_hash_queue_depth > 0) {
        vstring_strcat(buf, "/");
        queue_id_hash_dir(hash, queue_id, var_hash_queue_depth);
        vstring_strcat(buf, vstring_str(hash));
        vstring_truncate(buf, VSTRING_LEN(buf) - 1);    /* no trailing slash */
    }
    return (vstring_str(buf));
}

/* mail_queue_path - the pathname of a queue file */
const char *mail_queue_path(VSTRING *buf, const char *queue_name, const char *queue_id)
{
    if (!mail_queue_id_ok(queue_id))
        msg_panic("mail_queue_path: bad queue id: %s", queue_id);
    mail_queue_dir(buf, queue_name, queue_id);
    vstring_sprintf_append(buf, "/%s", queue_id);
    return (vstring_str(buf));
}

/* mail_queue_mkdirs - create the missing directories of a pathname */
int mail_queue_mkdirs(const char *path)
{
    char *copy = mystrdup(path);
    char *slash;
    int ret = 0;

    for (slash = strchr(copy + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
        *slash = 0;
        if (mkdir(copy, 0700) < 0 && errno != EEXIST) {
            ret = -1;
            break;
        }
        *slash = '/';
    }
    myfree(copy);
    return (ret);
}

/* mail_queue_rename - move a queue file to another queue */
int mail_queue_rename(const char *queue_id, const char *old_queue, const char *new_queue)
{
    VSTRING *old_path = vstring_alloc(100);
    VSTRING *new_path = vstring_alloc(100);
    int ret;

    mail_queue_path(old_path, old_queue, queue_id);
    mail_queue_path(new_path, new_queue, queue_id);
    ret = rename(vstring_str(old_path), vstring_str(new_path));
    if (ret < 0 && errno == ENOENT && mail_queue_mkdirs(vstring_str(new_path)) == 0)
        ret = rename(vstring_str(old_path), vstring_str(new_path));
    vstring_free(old_path);
    vstring_free(new_path);
    return (ret);
}

/* mail_queue_remove - remove a queue file */
int mail_queue_remove(const char *queue_name, const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    int ret;

    ret = unlink(mail_queue_path(path, queue_name, queue_id));
    vstring_free(path);
    return (ret);
}

/* mail_queue_open - open an existing queue file */
VSTREAM *mail_queue_open(const char *queue_name, const char *queue_id, int flags, mode_t mode)
{
    VSTRING *path = vstring_alloc(100);
    VSTREAM *fp;

    fp = vstream_fopen(mail_queue_path(path, queue_name, queue_id), flags, mode);
    vstring_free(path);
    return (fp);
}

/* mail_queue_id_of - the queue id of a stream opened by this module */
const char *mail_queue_id_of(VSTREAM *stream)
{
    return (basename_of(vstream_path(stream)));
}

/* mail_queue_enter - create a new queue file with a unique queue id */
VSTREAM *mail_queue_enter(const char *queue_name, mode_t mode, struct timeval *tp)
{
    static VSTRING *temp_path, *path, *id;
    struct timeval tv;
    struct stat st;
    VSTREAM *fp;
    int fd;
    int tries;

    if (temp_path == 0) {
        temp_path = vstring_alloc(100);
        path = vstring_alloc(100);
        id = vstring_alloc(20);
    }
    for (tries = 0; /* void */ ; tries++) {
        gettimeofday(&tv, (struct timezone *) 0);
        vstring_sprintf(temp_path, "%s/%ld.%ld.%d", mail_queue_dir(path, queue_name, 0),
                        (long) tv.tv_usec, (long) getpid(), tries);
        if ((fd = open(vstring_str(temp_path), O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, mode)) >= 0)
            break;
        if (errno != EEXIST || tries >= MAIL_QUEUE_ENTER_TRIES)
            msg_fatal("create file %s: %m", vstring_str(temp_path));
    }
    if (fstat(fd, &st) < 0)
        msg_fatal("fstat %s: %m", vstring_str(temp_path));
    for (tries = 0; /* void */ ; tries++) {
        gettimeofday(&tv, (struct timezone *) 0);
        if (var_enable_long_queue_ids)
            queue_id_long(id, &tv, st.st_ino);
        else
            queue_id_short(id, &tv, st.st_ino);
        mail_queue_path(path, queue_name, vstring_str(id));
        if (link(vstring_str(temp_path), vstring_str(path)) == 0)
            break;
        if (errno == ENOENT && mail_queue_mkdirs(vstring_str(path)) == 0
            && link(vstring_str(temp_path), vstring_str(path)) == 0)
            break;
        if (errno != EEXIST || tries >= MAIL_QUEUE_ENTER_TRIES)
            msg_fatal("link file %s to %s: %m", vstring_str(temp_path), vstring_str(path));
        /* The name belongs to a stale file: try again one microsecond later. */
        do {
            struct timeval now;

            gettimeofday(&now, (struct timezone *) 0);
            if (now.tv_usec != tv.tv_usec || now.tv_sec != tv.tv_sec)
                break;
        } while (1);
    }
    if (unlink(vstring_str(temp_path)) < 0)
        msg_warn("remove temporary file %s: %m", vstring_str(temp_path));
    fp = vstream_fdopen(fd, O_RDWR);
    vstream_set_path(fp, vstring_str(path));
    if (tp)
        *tp = tv;
    return (fp);
}
