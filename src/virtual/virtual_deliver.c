/*
 * virtual_deliver - write one message into a virtual user's mailbox file
 * or Maildir, with the user's ids.
 *
 * Exports virtual_deliver_mailbox() and virtual_deliver_maildir(). Both
 * switch the effective ids to the recipient's for the file work (so that
 * file ownership and quotas are the user's) and back to the mail owner's.
 *
 * Mailbox files are opened through mbox_open() (safe_open: no symlinks,
 * created 0600) with the virtual_mailbox_lock locks, appended to with the
 * From_ line, Return-Path:, X-Original-To:, Delivered-To:, >From quoting
 * and a trailing empty line, and truncated back on failure. Maildir
 * messages go to tmp/ under a name from the time, the process id and the
 * host name, then are linked into new/ under a name that adds the file's
 * device and inode (unique across processes), and tmp/ is cleaned up;
 * missing tmp/, new/ and cur/ directories are created.
 *
 * Failure: write problems bounce when their status is 5.x.x (mailbox
 * full: virtual_mailbox_limit), everything else defers; a damaged queue
 * file defers without a per-recipient record.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

#include "bounce.h"
#include "defer.h"
#include "make_dirs.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mbox_open.h"
#include "msg.h"
#include "mymalloc.h"
#include "sent.h"
#include "set_eugid.h"
#include "stringops.h"
#include "virtual.h"

/* virtual_reason_prefix - put a, b and c in front of the reason */
static void virtual_reason_prefix(DSN_BUF *why, const char *a, const char *b, const char *c)
{
    char *prefix = concatenate(a, b, c, (char *)0);

    vstring_insert(why->reason, 0, prefix, strlen(prefix));
    myfree(prefix);
}

/* virtual_report - the per-recipient outcome of a copy attempt */
static int virtual_report(VIRTUAL_RCPT *vr, int copy_status, const char *what)
{
    if (copy_status & MAIL_COPY_STAT_CORRUPT)
        return (DEL_STAT_DEFER);
    if (copy_status != 0)
        return (virtual_fail(vr));
    dsb_simple(vr->why, "2.0.0", "delivered to %s", what);
    return (virtual_sent(vr));
}

/* virtual_deliver_mailbox - append to a Unix mailbox file */
int virtual_deliver_mailbox(VIRTUAL_RCPT *vr, const VIRTUAL_USER *user)
{
    DSN_BUF *why = vr->why;
    struct stat st;
    MBOX *mp;
    int copy_status = MAIL_COPY_STAT_WRITE;

    if (DEL_REQ_TRACE_ONLY(vr->rq->flags)) {
        dsb_simple(why, "2.0.0", "delivers to mailbox");
        return (virtual_sent(vr));
    }
    set_eugid(user->uid, user->gid);
    mp = mbox_open(user->mailbox, O_APPEND | O_WRONLY | O_CREAT, S_IRUSR | S_IWUSR, &st, -1, -1,
                   virtual_lock_mask, "4.2.0", why);
    if (mp != 0) {
        if (!S_ISREG(st.st_mode)) {
            msg_warn("recipient %s: destination %s is not a regular file", vr->rcpt->address,
                     user->mailbox);
            dsb_simple(why, "5.3.5", "mail system configuration error");
        } else if (var_strict_mailbox_ownership && st.st_uid != user->uid) {
            dsb_simple(why, "4.2.0", "destination %s is not owned by recipient", user->mailbox);
            msg_warn("specify \"strict_mailbox_ownership = no\" to ignore mailbox ownership "
                     "mismatch");
        } else if (vstream_fseek(mp->fp, (off_t)0, SEEK_END) < 0) {
            msg_fatal("seek mailbox file %s: %m", user->mailbox);
        } else {
            copy_status = mail_copy(vr->sender, vr->rcpt->orig_addr, vr->rcpt->address, vr->rq->fp,
                                    vr->rq->data_offset, mp->fp, MAIL_COPY_MBOX, "\n", why);
        }
        mbox_release(mp);
    }
    set_eugid(var_owner_uid, var_owner_gid);
    if (copy_status != 0 && !(copy_status & MAIL_COPY_STAT_CORRUPT))
        virtual_reason_prefix(why, "delivery failed to mailbox ", user->mailbox, ": ");
    return (virtual_report(vr, copy_status, "mailbox"));
}

/* virtual_maildir_open - create the tmp/ file, making the directories */
static VSTREAM *virtual_maildir_open(const char *tmpdir, const char *tmpfile)
{
    VSTREAM *dst;

    if ((dst = vstream_fopen(tmpfile, O_WRONLY | O_CREAT | O_EXCL, 0600)) != 0)
        return (dst);
    if (errno != ENOENT || make_dirs(tmpdir, 0700) < 0)
        return (0);
    return (vstream_fopen(tmpfile, O_WRONLY | O_CREAT | O_EXCL, 0600));
}

/* virtual_maildir_link - move the finished file into new/ */
static int virtual_maildir_link(const char *tmpfile, const char *newfile, const char *newdir,
                                const char *curdir)
{
    if (link(tmpfile, newfile) == 0)
        return (0);
    if (errno != ENOENT)
        return (-1);
    if (make_dirs(curdir, 0700) < 0 || make_dirs(newdir, 0700) < 0)
        return (-1);
    return (link(tmpfile, newfile));
}

/* virtual_deliver_maildir - one new file in a Maildir */
int virtual_deliver_maildir(VIRTUAL_RCPT *vr, const VIRTUAL_USER *user)
{
    DSN_BUF *why = vr->why;
    VSTRING *buf = vstring_alloc(100);
    struct timeval start;
    struct stat st;
    VSTREAM *dst;
    char *newdir, *tmpdir, *curdir, *tmpfile, *newfile = 0;
    int copy_status = MAIL_COPY_STAT_WRITE;
    int err = 0;

    if (DEL_REQ_TRACE_ONLY(vr->rq->flags)) {
        vstring_free(buf);
        dsb_simple(why, "2.0.0", "delivers to maildir");
        return (virtual_sent(vr));
    }
    gettimeofday(&start, (struct timezone *)0);
    newdir = concatenate(user->mailbox, "new/", (char *)0);
    tmpdir = concatenate(user->mailbox, "tmp/", (char *)0);
    curdir = concatenate(user->mailbox, "cur/", (char *)0);
    vstring_sprintf(buf, "%lu.P%d.%s", (unsigned long)start.tv_sec, (int)getpid(), var_myhostname);
    tmpfile = concatenate(tmpdir, vstring_str(buf), (char *)0);

    set_eugid(user->uid, user->gid);
    if ((dst = virtual_maildir_open(tmpdir, tmpfile)) == 0) {
        err = errno;
        dsb_simple(why, mbox_dsn(err, "4.2.0"), "create maildir file %s: %s", tmpfile,
                   strerror(err));
    } else {
        if (fstat(vstream_fileno(dst), &st) < 0)
            msg_fatal("fstat %s: %m", tmpfile);
        vstring_sprintf(buf, "%lu.V%lxI%lxM%lu.%s", (unsigned long)start.tv_sec,
                        (unsigned long)st.st_dev, (unsigned long)st.st_ino,
                        (unsigned long)start.tv_usec, var_myhostname);
        newfile = concatenate(newdir, vstring_str(buf), (char *)0);
        copy_status = mail_copy(vr->sender, vr->rcpt->orig_addr, vr->rcpt->address, vr->rq->fp,
                                vr->rq->data_offset, dst,
                                MAIL_COPY_TOFILE | MAIL_COPY_RETURN_PATH | MAIL_COPY_DELIVERED |
                                    MAIL_COPY_ORIG_RCPT,
                                "\n", why);
        if (vstream_fclose(dst) != 0 && copy_status == 0) {
            err = errno;
            dsb_simple(why, mbox_dsn(err, "4.2.0"), "write maildir file %s: %s", tmpfile,
                       strerror(err));
            copy_status = MAIL_COPY_STAT_WRITE;
        }
        if (copy_status == 0 && virtual_maildir_link(tmpfile, newfile, newdir, curdir) < 0) {
            err = errno;
            dsb_simple(why, mbox_dsn(err, "4.2.0"), "create maildir file %s: %s", newfile,
                       strerror(err));
            copy_status = MAIL_COPY_STAT_WRITE;
        }
        if (unlink(tmpfile) < 0)
            msg_warn("remove %s: %m", tmpfile);
    }
    set_eugid(var_owner_uid, var_owner_gid);

    if (copy_status != 0 && !(copy_status & MAIL_COPY_STAT_CORRUPT)) {
        if (err == EACCES) {
            msg_warn("maildir access problem for UID/GID=%lu/%lu: %s", (unsigned long)user->uid,
                     (unsigned long)user->gid, vstring_str(why->reason));
            msg_warn("perhaps you need to create the maildirs in advance");
        }
        virtual_reason_prefix(why, "maildir delivery failed: ", "", "");
    }
    myfree(newdir);
    myfree(tmpdir);
    myfree(curdir);
    myfree(tmpfile);
    if (newfile)
        myfree(newfile);
    vstring_free(buf);
    return (virtual_report(vr, copy_status, "maildir"));
}
