/*
 * include - :include:/file destinations: more destinations, one or more per
 * line, read from a file.
 *
 * Exports deliver_include(). The path must be absolute. The file is opened
 * with the rights of the current context (default_privs when that is
 * root), must be a regular file and not writable by everybody. Its
 * |command and /file destinations run with the rights of the file's owner
 * (unless root owns it) and are subject to the "include" class of
 * allow_mail_to_commands and allow_mail_to_files. Each file is read once
 * per delivery and user; a chain of includes ends at LOCAL_NESTING_LIMIT.
 *
 * Failure: a file that cannot be opened bounces (5.3.0), except that a
 * temporary system error defers.
 */

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "local.h"
#include "mail_params.h"
#include "msg.h"

/* deliver_include_read - open the file as the user and deliver to its lines */
static int deliver_include_read(LOCAL_STATE state, USER_ATTR usr_attr, const char *path)
{
    struct passwd *pwd;
    struct stat st;
    VSTREAM *fp;
    int own_attr = 0;
    int status;
    int fd;

    if ((fd = open_as(path, O_RDONLY, 0, usr_attr.uid, usr_attr.gid)) < 0) {
        dsb_simple(state.msg_attr.why,
                   (errno == EAGAIN || errno == ENFILE || errno == EMFILE) ? "4.3.0" : "5.3.0",
                   "cannot open include file %s: %m", path);
        return (local_fail(state));
    }
    if (fstat(fd, &st) < 0) {
        (void)close(fd);
        dsb_simple(state.msg_attr.why, "4.3.0", "cannot fstat include file %s: %m", path);
        return (local_defer(state));
    }
    if (!S_ISREG(st.st_mode)) {
        (void)close(fd);
        dsb_simple(state.msg_attr.why, "5.3.0", "not a regular file: %s", path);
        return (local_bounce(state));
    }
    if (st.st_mode & S_IWOTH) {
        (void)close(fd);
        dsb_simple(state.msg_attr.why, "5.3.0", "file is world writable: %s", path);
        return (local_bounce(state));
    }
    /* The file's owner vouches for the commands and files in it. */
    if (st.st_uid != 0 && st.st_uid != usr_attr.uid) {
        if ((pwd = getpwuid(st.st_uid)) == 0) {
            (void)close(fd);
            dsb_simple(state.msg_attr.why, "4.3.0", "cannot find include file owner uid %ld",
                       (long)st.st_uid);
            return (local_defer(state));
        }
        local_user_attr_set(&usr_attr, pwd);
        own_attr = 1;
    }
    state.msg_attr.exp_type = EXPAND_TYPE_INCL;
    fp = vstream_fdopen(fd, O_RDONLY);
    vstream_set_path(fp, path);
    status = deliver_token_stream(state, usr_attr, fp, (int *)0);
    (void)vstream_fclose(fp);
    if (own_attr)
        local_user_attr_free(&usr_attr);
    return (status);
}

/* deliver_include - deliver to the destinations listed in path */
int deliver_include(LOCAL_STATE state, USER_ATTR usr_attr, const char *path)
{
    struct passwd *pwd;

    state.level++;
    if (state.level > LOCAL_NESTING_LIMIT) {
        dsb_simple(state.msg_attr.why, "5.4.6", "mail forwarding loop for %s",
                   state.msg_attr.rcpt.address);
        return (local_bounce(state));
    }
    if (*path != '/') {
        dsb_simple(state.msg_attr.why, "5.3.5", ":include:%s uses a relative path", path);
        return (local_bounce(state));
    }
    if (local_been_here(state.dup_filter, "include %ld %s", (long)usr_attr.uid, path))
        return (0);
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(state.msg_attr.why, "2.0.0", "delivers to :include:%s", path);
        return (local_sent(state));
    }
    if (usr_attr.uid == 0) {
        if ((pwd = getpwuid(var_default_uid)) == 0) {
            dsb_simple(state.msg_attr.why, "4.3.0", "cannot find user ID %ld",
                       (long)var_default_uid);
            return (local_defer(state));
        }
        usr_attr.uid = pwd->pw_uid;
        usr_attr.gid = pwd->pw_gid;
    }
    return (deliver_include_read(state, usr_attr, path));
}
