/*
 * dotforward - a user's own forwarding instructions (~/.forward).
 *
 * Exports deliver_dotforward(). forward_path lists candidate files; each
 * is expanded ($home, $user, ${extension} ... with forward_expansion_filter)
 * and the first one that exists, as far as the user can see, is used. A
 * candidate whose expansion needs an undefined name (no extension, say) is
 * skipped. The file must be a regular file owned by the user (or root) and
 * not writable by everybody; otherwise it is ignored with a warning, as
 * Postfix does. It is read with the user's rights, and its |command and
 * /file destinations run with them. An empty file, or one listing only
 * the user, means ordinary mailbox delivery.
 */

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "local.h"
#include "mac_expand.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

/* deliver_dotforward_find - the first existing candidate; 0 or -1 */
static int deliver_dotforward_find(LOCAL_STATE *state, USER_ATTR *usr_attr, VSTRING *path,
                                   struct stat *st)
{
    char *saved = mystrdup(var_forward_path);
    char *bp = saved;
    char *lhs;
    int found = -1;

    while (found < 0 && (lhs = mystrtok(&bp, ", \t\r\n")) != 0) {
        if (local_expand(path, lhs, state, usr_attr, var_forward_expansion_filter) &
            (MAC_PARSE_ERROR | MAC_PARSE_UNDEF))
            continue;
        if (lstat_as(vstring_str(path), st, usr_attr->uid, usr_attr->gid) == 0)
            found = 0;
    }
    myfree(saved);
    return (found);
}

/* deliver_dotforward - YES when a .forward file was used (status in *statusp) */
int deliver_dotforward(LOCAL_STATE state, USER_ATTR usr_attr, int *statusp)
{
    VSTRING *path = vstring_alloc(100);
    struct passwd *pwd;
    struct stat st;
    VSTREAM *fp;
    int count = 0;
    int status = 0;
    int fd;

    if (*var_forward_path == 0)
        return (vstring_free(path), NO);
    errno = 0;
    if ((pwd = getpwnam(state.msg_attr.user)) == 0) {
        vstring_free(path);
        if (errno != 0 && errno != ENOENT && errno != ESRCH) {
            dsb_simple(state.msg_attr.why, "4.0.0", "user lookup error");
            *statusp = local_defer(state);
            return (YES);
        }
        return (NO);
    }
    local_user_attr_set(&usr_attr, pwd);
    state.msg_attr.exp_type = EXPAND_TYPE_FWD;
    state.msg_attr.exp_from = state.msg_attr.user;
    if (!var_frozen_delivered_to)
        state.msg_attr.delivered = state.msg_attr.rcpt.address;

    if (deliver_dotforward_find(&state, &usr_attr, path, &st) == 0 &&
        !local_been_here(state.dup_filter, "forward %s", vstring_str(path))) {
        if (!S_ISREG(st.st_mode)) {
            msg_warn("file %s is not a regular file", vstring_str(path));
        } else if (st.st_uid != 0 && st.st_uid != usr_attr.uid) {
            msg_warn("file %s has bad owner uid %ld", vstring_str(path), (long)st.st_uid);
        } else if (st.st_mode & S_IWOTH) {
            msg_warn("file %s is world writable", vstring_str(path));
        } else if ((fd = open_as(vstring_str(path), O_RDONLY | O_NOFOLLOW, 0, usr_attr.uid,
                                 usr_attr.gid)) < 0) {
            msg_warn("cannot open file %s: %m", vstring_str(path));
        } else {
            fp = vstream_fdopen(fd, O_RDONLY);
            vstream_set_path(fp, vstring_str(path));
            status = deliver_token_stream(state, usr_attr, fp, &count);
            if (vstream_fclose(fp) != 0)
                msg_warn("close file %s: %m", vstring_str(path));
        }
    }
    local_user_attr_free(&usr_attr);
    vstring_free(path);
    if (count == 0)
        return (NO);
    *statusp = status;
    return (YES);
}
