/*
 * user_acl - access lists of UNIX login names (authorized_submit_users,
 * authorized_flush_users, authorized_mailq_users).
 *
 * Exports check_user_acl_byuid(): the login name of a user ID is matched
 * against a string list (names, !names, /file/name, type:table). A UID
 * with no password file entry is called "unknown", as in the reference, so
 * that a list can still allow or deny it. The result is null when the user
 * may proceed, otherwise the name that was refused (valid until the next
 * call), which callers put into their refusal message.
 *
 * Errors: a table that cannot be searched is fatal: a list that cannot be
 * evaluated must not let anyone through, nor silently refuse everyone.
 */

#include <pwd.h>
#include <sys/types.h>

#include "dict.h"
#include "match_list.h"
#include "msg.h"
#include "user_acl.h"
#include "vstring.h"

/* check_user_acl_byuid - null if uid's login name is on the list */
const char *check_user_acl_byuid(const char *title, const char *pattern, uid_t uid)
{
    static VSTRING *who;
    struct passwd *pwd;
    MATCH_LIST *list;
    int matched;
    int error;

    if (who == 0)
        who = vstring_alloc(20);
    pwd = getpwuid(uid);
    vstring_strcpy(who, pwd ? pwd->pw_name : "unknown");
    list = string_list_init(title, MATCH_FLAG_RETURN, pattern);
    matched = string_list_match(list, vstring_str(who));
    error = list->error;
    match_list_free(list);
    if (error != DICT_ERR_NONE)
        msg_fatal("%s: table lookup error for user %s", title, vstring_str(who));
    return (matched ? 0 : vstring_str(who));
}
