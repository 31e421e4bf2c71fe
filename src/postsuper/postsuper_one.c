/*
 * postsuper_one - operations on one message named by its queue id:
 * delete (-d), requeue (-r), hold (-h), release (-H), expire (-e) and
 * expire-and-release (-f).
 *
 * Exports postsuper_*_one(queues, id), which return 1 when the message was
 * found and acted on, 0 otherwise, and postsuper_expire_file(). Only
 * complete queue files (mail_open_ok) are touched. Each success is logged
 * as "<id>: removed" (requeued, placed on hold, released from hold,
 * expired), as scripts expect.
 *
 * A message is looked for in the given queues in order; the search is
 * repeated once when it was not found, because the queue manager may have
 * been moving it from one queue to another at that very moment. Maildrop
 * mail has not been sanitized yet and is never mixed with other mail: it
 * cannot be held, requeued or expired.
 */

#include <ctype.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <utime.h>

#include "mail_queue.h"
#include "mail_scan_dir.h"
#include "msg.h"
#include "postsuper.h"
#include "vstring.h"

#define STR(x) vstring_str(x)
#define ISALNUM(c) isalnum((unsigned char)(c))
#define STREQ(x, y) (strcmp((x), (y)) == 0)

/* postsuper_find - the first queue that has id as a complete queue file */
static const char *postsuper_find(const char **queues, const char *id, int skip_maildrop,
                                  const char *only_queue, struct stat *st, const char **path)
{
    const char **qp;

    for (qp = queues; *qp; qp++) {
        if (!postsuper_queue(*qp)->message)
            continue;
        if (skip_maildrop && STREQ(*qp, MAIL_QUEUE_MAILDROP))
            continue;
        if (only_queue && !STREQ(*qp, only_queue))
            continue;
        if (mail_open_ok(*qp, id, st, path) == MAIL_OPEN_YES)
            return (*qp);
    }
    return (0);
}

/* postsuper_id_ok - complain about names that cannot even look like queue ids */
static int postsuper_id_ok(const char *id)
{
    const char *cp;

    /* Ids that merely do not exist are not worth a warning: letters and digits pass. */
    for (cp = id; *cp && (ISALNUM(*cp) || *cp == '_'); cp++)
        /* void */;
    if (*id == 0 || *cp != 0 || cp - id > 100) {
        msg_warn("invalid mail queue id: %s", id);
        return (0);
    }
    return (1);
}

/* postsuper_delete_one - remove a message and its logs */
int postsuper_delete_one(const char **queues, const char *id)
{
    VSTRING *log_path = vstring_alloc(100);
    const char **lp;
    const char *path;
    struct stat st;
    int tries;
    int found = 0;

    if (!postsuper_id_ok(id))
        return (0);
    for (tries = 0; found == 0 && tries < 2; tries++) {
        if (postsuper_find(queues, id, 0, 0, &st, &path) == 0)
            continue;
        /* Logs first: a log without its message would be picked up by a new one. */
        for (lp = postsuper_log_queues; *lp; lp++)
            postsuper_remove(mail_queue_path(log_path, *lp, id));
        if (postsuper_remove(path) == 0) {
            msg_info("%s: removed", id);
            found = 1;
        }
    }
    vstring_free(log_path);
    return (found);
}

/* postsuper_move_one - move a message to another queue; 1 when done */
static int postsuper_move_one(const char **queues, const char *id, const char *only_queue,
                              const char *to_queue, const char *what)
{
    VSTRING *new_path = vstring_alloc(100);
    const char *path;
    const char *queue;
    struct stat st;
    struct utimbuf tbuf;
    int tries;
    int found = 0;

    for (tries = 0; found == 0 && tries < 2; tries++) {
        if ((queue = postsuper_find(queues, id, 1, only_queue, &st, &path)) == 0)
            continue;
        if (STREQ(queue, to_queue))
            break;
        mail_queue_path(new_path, to_queue, id);
        if (postsuper_rename(path, STR(new_path)) == 0) {
            if (STREQ(to_queue, MAIL_QUEUE_MAILDROP)) {
                /* pickup takes the file's time as the time of submission. */
                tbuf.actime = tbuf.modtime = time((time_t *)0);
                if (utime(STR(new_path), &tbuf) < 0)
                    msg_warn("%s: reset time stamps: %m", STR(new_path));
            }
            msg_info("%s: %s", id, what);
            found = 1;
        }
    }
    vstring_free(new_path);
    return (found);
}

/* postsuper_requeue_one - back to maildrop, for pickup and cleanup */
int postsuper_requeue_one(const char **queues, const char *id)
{
    if (!postsuper_id_ok(id))
        return (0);
    return (postsuper_move_one(queues, id, 0, MAIL_QUEUE_MAILDROP, "requeued"));
}

/* postsuper_hold_one - into the hold queue (a held message is not found again) */
int postsuper_hold_one(const char **queues, const char *id)
{
    if (!postsuper_id_ok(id))
        return (0);
    return (postsuper_move_one(queues, id, 0, MAIL_QUEUE_HOLD, "placed on hold"));
}

/* postsuper_release_one - from hold to deferred */
int postsuper_release_one(const char **queues, const char *id)
{
    if (!postsuper_id_ok(id))
        return (0);
    return (
        postsuper_move_one(queues, id, MAIL_QUEUE_HOLD, MAIL_QUEUE_DEFERRED, "released from hold"));
}

/* postsuper_expire_file - set the forced-expiration bit; 1 when done */
int postsuper_expire_file(const char *path, struct stat *st, const char *id, int verbose)
{
    if (chmod(path, (st->st_mode & 07777) | MAIL_QUEUE_STAT_EXPIRE) < 0) {
        msg_warn("expire file %s: cannot set permission: %m", path);
        return (0);
    }
    if (verbose)
        msg_info("%s: expired", id);
    return (1);
}

/* postsuper_expire_common - -e and -f */
static int postsuper_expire_common(const char **queues, const char *id, int release)
{
    const char *queue;
    const char *path;
    struct stat st;
    const char *hold_only[2] = {MAIL_QUEUE_HOLD, 0};

    if (!postsuper_id_ok(id))
        return (0);
    if ((queue = postsuper_find(queues, id, 1, 0, &st, &path)) == 0 ||
        postsuper_expire_file(path, &st, id, 1) == 0)
        return (0);
    if (release && STREQ(queue, MAIL_QUEUE_HOLD))
        postsuper_counts.released += postsuper_move_one(hold_only, id, MAIL_QUEUE_HOLD,
                                                        MAIL_QUEUE_DEFERRED, "released from hold");
    return (1);
}

/* postsuper_expire_one - -e: return to sender at the next delivery attempt */
int postsuper_expire_one(const char **queues, const char *id)
{
    return (postsuper_expire_common(queues, id, 0));
}

/* postsuper_expire_release_one - -f: expire, and release if on hold */
int postsuper_expire_release_one(const char **queues, const char *id)
{
    return (postsuper_expire_common(queues, id, 1));
}
