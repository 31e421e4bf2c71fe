/*
 * file - /file/name destinations of aliases, .forward and :include: files.
 *
 * Exports deliver_file(). Allowed only for the expansion classes in
 * allow_mail_to_files; each file is written once per delivery and user. A
 * name ending in / is a maildir. Otherwise the message is appended in
 * mailbox format, with the file locked as mailbox_delivery_lock says (a
 * dotlock the user cannot make is skipped), never to an executable file,
 * always with the rights of the context: the user of a .forward, the
 * owner of the alias table or :include: file, or default_privs instead of
 * root. Character devices (/dev/null) are written without file semantics.
 */

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

#include "local.h"
#include "mail_copy.h"
#include "mail_params.h"
#include "mbox_open.h"
#include "msg.h"
#include "set_eugid.h"

#define LAST_CHAR(s) ((s)[strlen(s) - 1])

/* deliver_file - append the message to path */
int deliver_file(LOCAL_STATE state, USER_ATTR usr_attr, const char *path)
{
    DSN_BUF *why = state.msg_attr.why;
    int copy_flags = MAIL_COPY_MBOX;
    int copy_status = MAIL_COPY_STAT_WRITE;
    VSTRING *prefix;
    struct stat st;
    MBOX *mp;

    if (local_been_here(state.dup_filter, "file %ld %s", (long)usr_attr.uid, path))
        return (0);
    if ((local_file_deliver_mask & state.msg_attr.exp_type) == 0) {
        dsb_simple(why, "5.7.1", "mail to file is restricted");
        return (local_bounce(state));
    }
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(why, "2.0.0", "delivers to file: %s", path);
        return (local_sent(state));
    }
    if (usr_attr.uid == 0) {
        usr_attr.uid = var_default_uid;
        usr_attr.gid = var_default_gid;
    }
    if (LAST_CHAR(path) == '/')
        return (deliver_maildir(state, usr_attr, path));
    if ((local_deliver_hdr_mask & DELIVER_HDR_FILE) == 0)
        copy_flags &= ~MAIL_COPY_DELIVERED;

    set_eugid(usr_attr.uid, usr_attr.gid);
    mp = mbox_open(path, O_APPEND | O_CREAT | O_WRONLY, S_IRUSR | S_IWUSR, &st, (uid_t)-1,
                   (gid_t)-1, local_mbox_lock_mask | MBOX_DOT_LOCK_MAY_FAIL, "5.2.0", why);
    if (mp != 0) {
        if (S_ISREG(st.st_mode) && (st.st_mode & (S_IXUSR | S_IXGRP | S_IXOTH))) {
            dsb_simple(why, "5.7.1", "file is executable");
        } else {
            if (S_ISREG(st.st_mode))
                (void)vstream_fseek(mp->fp, (off_t)0, SEEK_END);
            else
                copy_flags &= ~MAIL_COPY_TOFILE;
            copy_status = mail_copy(state.msg_attr.sender, state.msg_attr.rcpt.orig_addr,
                                    state.msg_attr.delivered, state.msg_attr.fp,
                                    state.msg_attr.offset, mp->fp, copy_flags, "\n", why);
        }
        mbox_release(mp);
    }
    set_eugid(var_owner_uid, var_owner_gid);

    if (copy_status == MAIL_COPY_STAT_OK) {
        dsb_simple(why, "2.0.0", "delivered to file: %s", path);
        return (local_sent(state));
    }
    prefix = vstring_alloc(100);
    vstring_sprintf(prefix, "cannot append message to file %s: ", path);
    vstring_insert(why->reason, 0, vstring_str(prefix), VSTRING_LEN(prefix));
    vstring_free(prefix);
    return (local_fail(state));
}
