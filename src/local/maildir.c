/*
 * maildir - deliver into a qmail-style maildir.
 *
 * Exports deliver_maildir() and the name helpers maildir_tmp_name(),
 * maildir_new_name() and maildir_hostname(). The message is written to
 * tmp/ under a name made of the time, our process id and the host name,
 * fsynced, and then hard-linked into new/ under a name that no other
 * delivery can produce ("sec.VdevIinoMusec.host": the device and inode of
 * the file in tmp/ are unique while it exists), and removed from tmp/.
 * Missing tmp/, new/ and cur/ directories are created. All of this happens
 * with the rights of the recipient (file destinations from aliases have
 * already been given default_privs instead of root by deliver_file()).
 *
 * Failure: reported as "maildir delivery failed: ...", deferred or bounced
 * by the status (full file system: defer; quota: bounce).
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "local.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "make_dirs.h"
#include "mbox_open.h"
#include "msg.h"
#include "mymalloc.h"
#include "set_eugid.h"
#include "stringops.h"

/* maildir_hostname - this host's name, with / and : made harmless */
const char *maildir_hostname(void)
{
    static VSTRING *name;
    struct utsname u;
    const char *cp;

    if (name == 0) {
        name = vstring_alloc(64);
        if (uname(&u) < 0 || u.nodename[0] == 0)
            strcpy(u.nodename, "localhost");
        for (cp = u.nodename; *cp; cp++) {
            if (*cp == '/')
                vstring_strcat(name, "\\057");
            else if (*cp == ':')
                vstring_strcat(name, "\\072");
            else
                VSTRING_ADDCH(name, *cp);
        }
        VSTRING_TERMINATE(name);
    }
    return (vstring_str(name));
}

/* maildir_tmp_name - "sec.Ppid.host" */
const char *maildir_tmp_name(VSTRING *buf, time_t sec, long pid, const char *host)
{
    vstring_sprintf(buf, "%lu.P%ld.%s", (unsigned long)sec, pid, host);
    return (vstring_str(buf));
}

/* maildir_new_name - "sec.VdevIinoMusec.host" */
const char *maildir_new_name(VSTRING *buf, time_t sec, long usec, unsigned long dev,
                             unsigned long ino, const char *host)
{
    vstring_sprintf(buf, "%lu.V%lxI%lxM%lu.%s", (unsigned long)sec, dev, ino, (unsigned long)usec,
                    host);
    return (vstring_str(buf));
}

/* maildir_write - write tmp, link into new; MAIL_COPY_STAT_* */
static int maildir_write(LOCAL_STATE *state, const char *path, int copy_flags)
{
    DSN_BUF *why = state->msg_attr.why;
    char *tmpdir = concatenate(path, "tmp/", (char *)0);
    char *newdir = concatenate(path, "new/", (char *)0);
    char *curdir = concatenate(path, "cur/", (char *)0);
    VSTRING *buf = vstring_alloc(100);
    char *tmpfile;
    char *newfile = 0;
    struct timeval now;
    struct stat st;
    VSTREAM *dst;
    int status = MAIL_COPY_STAT_WRITE;

    gettimeofday(&now, (struct timezone *)0);
    tmpfile = concatenate(
        tmpdir, maildir_tmp_name(buf, now.tv_sec, (long)getpid(), maildir_hostname()), (char *)0);
    if ((dst = vstream_fopen(tmpfile, O_WRONLY | O_CREAT | O_EXCL, 0600)) == 0 &&
        (errno != ENOENT || make_dirs(tmpdir, 0700) < 0 ||
         (dst = vstream_fopen(tmpfile, O_WRONLY | O_CREAT | O_EXCL, 0600)) == 0)) {
        dsb_simple(why, mbox_dsn(errno, "5.2.0"), "create maildir file %s: %s", tmpfile,
                   strerror(errno));
    } else if (fstat(vstream_fileno(dst), &st) < 0) {
        dsb_simple(why, "4.3.0", "create maildir file %s: %s", tmpfile, strerror(errno));
        (void)vstream_fclose(dst);
        (void)unlink(tmpfile);
    } else {
        newfile = concatenate(newdir,
                              maildir_new_name(buf, now.tv_sec, (long)now.tv_usec,
                                               (unsigned long)st.st_dev, (unsigned long)st.st_ino,
                                               maildir_hostname()),
                              (char *)0);
        status = mail_copy(state->msg_attr.sender, state->msg_attr.rcpt.orig_addr,
                           state->msg_attr.delivered, state->msg_attr.fp, state->msg_attr.offset,
                           dst, copy_flags, "\n", why);
        if (vstream_fclose(dst) != 0 && status == MAIL_COPY_STAT_OK) {
            dsb_simple(why, mbox_dsn(errno, "4.3.0"), "write maildir file %s: %s", tmpfile,
                       strerror(errno));
            status = MAIL_COPY_STAT_WRITE;
        }
        if (status == MAIL_COPY_STAT_OK && link(tmpfile, newfile) < 0 &&
            (errno != ENOENT || make_dirs(curdir, 0700) < 0 || make_dirs(newdir, 0700) < 0 ||
             link(tmpfile, newfile) < 0)) {
            dsb_simple(why, mbox_dsn(errno, "5.2.0"), "create maildir file %s: %s", newfile,
                       strerror(errno));
            status = MAIL_COPY_STAT_WRITE;
        }
        if (unlink(tmpfile) < 0)
            msg_warn("remove %s: %m", tmpfile);
    }
    if (status == MAIL_COPY_STAT_OK)
        (void)make_dirs(curdir, 0700);
    myfree(tmpdir);
    myfree(newdir);
    myfree(curdir);
    myfree(tmpfile);
    if (newfile)
        myfree(newfile);
    vstring_free(buf);
    return (status);
}

/* deliver_maildir - deliver to the maildir at path (ends in /) */
int deliver_maildir(LOCAL_STATE state, USER_ATTR usr_attr, const char *path)
{
    DSN_BUF *why = state.msg_attr.why;
    int copy_flags =
        MAIL_COPY_TOFILE | MAIL_COPY_RETURN_PATH | MAIL_COPY_DELIVERED | MAIL_COPY_ORIG_RCPT;
    int status;

    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(why, "2.0.0", "delivers to maildir");
        return (local_sent(state));
    }
    if ((local_deliver_hdr_mask & DELIVER_HDR_FILE) == 0)
        copy_flags &= ~MAIL_COPY_DELIVERED;
    set_eugid(usr_attr.uid, usr_attr.gid);
    status = maildir_write(&state, path, copy_flags);
    set_eugid(var_owner_uid, var_owner_gid);
    if (status == MAIL_COPY_STAT_OK) {
        dsb_simple(why, "2.0.0", "delivered to maildir");
        return (local_sent(state));
    }
    vstring_insert(why->reason, 0, "maildir delivery failed: ", 25);
    return (local_fail(state));
}
