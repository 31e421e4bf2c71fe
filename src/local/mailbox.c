/*
 * mailbox - deliver to a local user's mailbox, in whatever form main.cf
 * asks for.
 *
 * Exports deliver_mailbox(). In Postfix's order: mailbox_transport_maps and
 * mailbox_transport (hand the recipient to another agent, user known or
 * not), then for users in the passwd database mailbox_command_maps,
 * mailbox_command, home_mailbox (a maildir when it ends in /), a maildir
 * per user when mail_spool_directory ends in /, and otherwise the Unix
 * mailbox $mail_spool_directory/user. Returns NO for unknown users, so
 * that the caller can try fallback_transport and luser_relay.
 *
 * Rights (mbox in the spool): when the spool is writable by everybody the
 * user's own ids are used; when it is group-writable, the user's uid with
 * the spool's group; otherwise root creates and locks the file (owned by
 * the user) and the user's ids write it. In the home directory everything
 * happens as the user. A mailbox that is not a regular file, or (with
 * strict_mailbox_ownership) not owned by the user, is refused. Root's mail
 * goes to root's mailbox, but commands for root run as default_privs.
 */

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "local.h"
#include "mail_copy.h"
#include "dict.h"
#include "mail_params.h"
#include "maps.h"
#include "mbox_open.h"
#include "msg.h"
#include "mymalloc.h"
#include "deliver_pass.h"
#include "mail_proto.h"
#include "set_eugid.h"
#include "stringops.h"

#define LAST_CHAR(s) ((s)[strlen(s) - 1])

/* deliver_mailbox_biff - tell comsat about the new message */
static void deliver_mailbox_biff(const char *user, off_t end)
{
    VSTRING *biff = vstring_alloc(100);

    vstring_sprintf(biff, "%s@%ld", user, (long)end);
    biff_notify(vstring_str(biff), VSTRING_LEN(biff) + 1);
    vstring_free(biff);
}

/* deliver_mailbox_file - append to a Unix mailbox */
static int deliver_mailbox_file(LOCAL_STATE state, USER_ATTR usr_attr)
{
    DSN_BUF *why = state.msg_attr.why;
    char *mailbox;
    const char *spool_dir;
    uid_t spool_uid;
    gid_t spool_gid;
    uid_t chown_uid;
    gid_t chown_gid;
    struct stat st;
    MBOX *mp;
    int copy_flags = MAIL_COPY_MBOX;
    int copy_status = MAIL_COPY_STAT_WRITE;
    off_t end = 0;
    int status;

    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(why, "2.0.0", "delivers to mailbox");
        return (local_sent(state));
    }
    if (*var_home_mailbox) {
        spool_dir = 0;
        mailbox = concatenate(usr_attr.home, "/", var_home_mailbox, (char *)0);
    } else {
        spool_dir = var_mail_spool_directory;
        mailbox = concatenate(spool_dir, "/", state.msg_attr.user, (char *)0);
    }
    if (spool_dir == 0 || stat(spool_dir, &st) < 0 || (st.st_mode & S_IWOTH) != 0) {
        spool_uid = usr_attr.uid;
        spool_gid = usr_attr.gid;
    } else if ((st.st_mode & S_IWGRP) != 0) {
        spool_uid = usr_attr.uid;
        spool_gid = st.st_gid;
    } else {
        spool_uid = 0;
        spool_gid = 0;
    }
    chown_uid = (spool_uid == usr_attr.uid) ? (uid_t)-1 : usr_attr.uid;
    chown_gid = (spool_uid == usr_attr.uid) ? (gid_t)-1 : usr_attr.gid;
    if ((local_deliver_hdr_mask & DELIVER_HDR_FILE) == 0)
        copy_flags &= ~MAIL_COPY_DELIVERED;

    set_eugid(spool_uid, spool_gid);
    mp = mbox_open(mailbox, O_APPEND | O_WRONLY | O_CREAT, S_IRUSR | S_IWUSR, &st, chown_uid,
                   chown_gid, local_mbox_lock_mask, "5.2.0", why);
    if (mp != 0) {
        if (spool_uid != usr_attr.uid || spool_gid != usr_attr.gid)
            set_eugid(usr_attr.uid, usr_attr.gid);
        if (!S_ISREG(st.st_mode)) {
            dsb_simple(why, "5.2.0", "destination %s is not a regular file", mailbox);
        } else if (var_strict_mailbox_ownership && st.st_uid != usr_attr.uid) {
            dsb_simple(why, "4.2.0", "destination %s is not owned by recipient", mailbox);
            msg_warn("specify \"strict_mailbox_ownership = no\" to ignore mailbox ownership "
                     "mismatch");
        } else if ((end = vstream_fseek(mp->fp, (off_t)0, SEEK_END)) < 0) {
            dsb_simple(why, "4.3.0", "seek mailbox %s: %s", mailbox, strerror(errno));
        } else {
            copy_status = mail_copy(state.msg_attr.sender, state.msg_attr.rcpt.orig_addr,
                                    state.msg_attr.delivered, state.msg_attr.fp,
                                    state.msg_attr.offset, mp->fp, copy_flags, "\n", why);
        }
        if (spool_uid != usr_attr.uid || spool_gid != usr_attr.gid)
            set_eugid(spool_uid, spool_gid);
        mbox_release(mp);
    }
    set_eugid(var_owner_uid, var_owner_gid);

    if (copy_status == MAIL_COPY_STAT_OK) {
        dsb_simple(why, "2.0.0", "delivered to mailbox");
        status = local_sent(state);
        if (var_biff)
            deliver_mailbox_biff(state.msg_attr.user, end);
    } else {
        VSTRING *prefix = vstring_alloc(100);

        vstring_sprintf(prefix, "cannot update mailbox %s for user %s. ", mailbox,
                        state.msg_attr.user);
        vstring_insert(why->reason, 0, vstring_str(prefix), VSTRING_LEN(prefix));
        vstring_free(prefix);
        status = local_fail(state);
    }
    myfree(mailbox);
    return (status);
}

/* deliver_mailbox_pass - hand the recipient to another transport */
static int deliver_mailbox_pass(LOCAL_STATE state, const char *transport)
{
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(state.msg_attr.why, "2.0.0", "delivers to transport %s", transport);
        return (local_sent(state));
    }
    return (deliver_pass(MAIL_CLASS_PRIVATE, transport, state.request, &state.msg_attr.rcpt));
}

/* deliver_mailbox_transport - mailbox_transport(_maps); YES when it applies */
static int deliver_mailbox_transport(LOCAL_STATE state, int *statusp)
{
    static MAPS *transport_maps;
    const char *transport;

    if (*var_mailbox_transport_maps && transport_maps == 0)
        transport_maps = maps_create("mailbox_transport_maps", var_mailbox_transport_maps,
                                     DICT_FLAG_LOCK | DICT_FLAG_NO_REGSUB);
    if (transport_maps && (transport = maps_find(transport_maps, state.msg_attr.user, 0)) != 0) {
        *statusp = deliver_mailbox_pass(state, transport);
        return (YES);
    }
    if (transport_maps && transport_maps->error) {
        dsb_simple(state.msg_attr.why, "4.3.0", "mail system configuration error");
        *statusp = local_defer(state);
        return (YES);
    }
    if (*var_mailbox_transport) {
        *statusp = deliver_mailbox_pass(state, var_mailbox_transport);
        return (YES);
    }
    return (NO);
}

/* deliver_mailbox_user - the user exists: pick the delivery form */
static int deliver_mailbox_user(LOCAL_STATE state, USER_ATTR usr_attr)
{
    static MAPS *cmd_maps;
    const char *command;
    char *path;
    int status;

    if (*var_mailbox_command_maps && cmd_maps == 0)
        cmd_maps = maps_create("mailbox_command_maps", var_mailbox_command_maps,
                               DICT_FLAG_LOCK | DICT_FLAG_NO_REGSUB);
    if (cmd_maps && (command = maps_find(cmd_maps, state.msg_attr.user, 0)) != 0) {
        char *copy = mystrdup(command);

        status = deliver_command(state, usr_attr, copy);
        myfree(copy);
        return (status);
    }
    if (cmd_maps && cmd_maps->error) {
        dsb_simple(state.msg_attr.why, "4.3.0", "table lookup failure");
        return (local_defer(state));
    }
    if (*var_mailbox_command)
        return (deliver_command(state, usr_attr, var_mailbox_command));
    if (*var_home_mailbox && LAST_CHAR(var_home_mailbox) == '/') {
        path = concatenate(usr_attr.home, "/", var_home_mailbox, (char *)0);
        status = deliver_maildir(state, usr_attr, path);
        myfree(path);
        return (status);
    }
    if (*var_mail_spool_directory && LAST_CHAR(var_mail_spool_directory) == '/') {
        path = concatenate(var_mail_spool_directory, state.msg_attr.user, "/", (char *)0);
        status = deliver_maildir(state, usr_attr, path);
        myfree(path);
        return (status);
    }
    return (deliver_mailbox_file(state, usr_attr));
}

/* deliver_mailbox - YES when handled (status in *statusp), NO for unknown users */
int deliver_mailbox(LOCAL_STATE state, USER_ATTR usr_attr, int *statusp)
{
    struct passwd *pwd;

    if (deliver_mailbox_transport(state, statusp))
        return (YES);
    errno = 0;
    if ((pwd = getpwnam(state.msg_attr.user)) == 0) {
        if (errno != 0 && errno != ENOENT && errno != ESRCH && errno != EBADF && errno != EPERM) {
            dsb_simple(state.msg_attr.why, "4.0.0", "user lookup error");
            *statusp = local_defer(state);
            return (YES);
        }
        return (NO);
    }
    if (local_been_here(state.dup_filter, "mailbox %s", state.msg_attr.user)) {
        *statusp = 0;
        return (YES);
    }
    if (!var_frozen_delivered_to)
        state.msg_attr.delivered = state.msg_attr.rcpt.address;
    local_user_attr_set(&usr_attr, pwd);
    /* mailbox_command is the administrator's, not part of an expansion. */
    state.msg_attr.exp_type = 0;
    *statusp = deliver_mailbox_user(state, usr_attr);
    local_user_attr_free(&usr_attr);
    return (YES);
}
