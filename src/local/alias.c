/*
 * alias - system-wide aliases (alias_maps) for the local delivery agent.
 *
 * Exports deliver_alias(). The name (a local part, lower case) is looked
 * up in each table of alias_maps in turn; the first hit is delivered to by
 * expanding its value like the right-hand side of aliases(5). A name is
 * expanded at most once per delivery, so an alias that lists itself ends
 * up in the mailbox of that name instead of looping.
 *
 * Rights: |command and /file destinations of an alias run with the rights
 * of the owner of the alias table's file, or with default_privs when root
 * owns it (or when the owner is not known, as for inline: tables).
 *
 * Errors: when "owner-name" is an alias too, problems with the expansion
 * are reported to it, and it becomes the envelope sender of forwarded
 * copies (expand_owner_alias: its expansion instead). A table that cannot
 * be read defers the recipient; "not found" is only said when every table
 * answered.
 */

#include <pwd.h>
#include <string.h>

#include "dict.h"
#include "local.h"
#include "mail_params.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "rewrite_clnt.h"
#include "sent.h"
#include "stringops.h"

/* deliver_alias_owner - the owner- alias address, or null; -1 on a table error */
static int deliver_alias_owner(const char *name, VSTRING *owner)
{
    char *key;
    const char *value;

    if (!var_owner_request_special || strncmp(name, "owner-", 6) == 0)
        return (0);
    key = concatenate("owner-", name, (char *)0);
    value = maps_find(local_alias_maps, key, 0);
    if (value == 0) {
        myfree(key);
        return (local_alias_maps->error ? -1 : 0);
    }
    rewrite_clnt_internal(REWRITE_LOCAL, var_expand_owner_alias ? value : key, owner);
    myfree(key);
    return (VSTRING_LEN(owner) > 0);
}

/* deliver_alias_rights - the rights for commands and files of this table */
static int deliver_alias_rights(LOCAL_STATE *state, DICT *dict, USER_ATTR *usr_attr)
{
    struct passwd *pwd;

    if (dict->owner.status != DICT_OWNER_UNTRUSTED || dict->owner.uid == 0) {
        local_user_attr_reset(usr_attr);
        return (0);
    }
    if ((pwd = getpwuid(dict->owner.uid)) == 0) {
        dsb_simple(state->msg_attr.why, "4.3.0", "cannot find alias database owner uid %ld",
                   (long)dict->owner.uid);
        return (-1);
    }
    local_user_attr_set(usr_attr, pwd);
    return (0);
}

/* deliver_alias_members - deliver to each destination of the expansion */
static int deliver_alias_members(LOCAL_STATE state, USER_ATTR usr_attr, const char *name,
                                 const char *expansion, const char *owner)
{
    int count = 0;
    int status;

    state.msg_attr.exp_type = EXPAND_TYPE_ALIAS;
    state.msg_attr.exp_from = 0;
    if (owner) {
        state.msg_attr.owner = owner;
        state.msg_attr.sender = owner;
    } else if (var_reset_owner_alias) {
        state.msg_attr.owner = 0;
    }
    status = deliver_token_string(state, usr_attr, expansion, &count);
    if (count == 0 && status == 0) {
        dsb_simple(state.msg_attr.why, "5.3.0", "alias expansion for %s is empty", name);
        status = local_bounce(state);
    }
    return (status);
}

/* deliver_alias_expand - deliver to the value of the alias */
static int deliver_alias_expand(LOCAL_STATE state, USER_ATTR usr_attr, const char *name, DICT *dict,
                                const char *value)
{
    VSTRING *owner = vstring_alloc(100);
    char *expansion = mystrdup(value);
    int status;
    int found_owner;
    int own_attr = 0;

    if (state.request->flags & DEL_REQ_FLAG_MTA_VRFY) {
        dsb_simple(state.msg_attr.why, "2.0.0", "aliased to %s", expansion);
        status = local_sent(state);
    } else if (deliver_alias_rights(&state, dict, &usr_attr) < 0) {
        status = local_defer(state);
    } else {
        own_attr = 1;
        if ((found_owner = deliver_alias_owner(name, owner)) < 0) {
            dsb_simple(state.msg_attr.why, "4.3.0", "alias database unavailable");
            status = local_defer(state);
        } else {
            status = deliver_alias_members(state, usr_attr, name, expansion,
                                           found_owner ? vstring_str(owner) : 0);
        }
    }
    if (own_attr)
        local_user_attr_free(&usr_attr);
    myfree(expansion);
    vstring_free(owner);
    return (status);
}

/* deliver_alias - YES when name is an alias (status in *statusp) */
int deliver_alias(LOCAL_STATE state, USER_ATTR usr_attr, const char *name, int *statusp)
{
    char **cpp;
    DICT *dict;
    const char *value;

    state.level++;
    if (local_been_here(state.dup_filter, "alias %s", name))
        return (NO);
    for (cpp = local_alias_maps->argv->argv; *cpp; cpp++) {
        if ((dict = dict_handle(*cpp)) == 0)
            msg_panic("deliver_alias: table %s is not open", *cpp);
        if ((value = dict_get(dict, name)) != 0) {
            *statusp = deliver_alias_expand(state, usr_attr, name, dict, value);
            return (YES);
        }
        if (dict->error != 0) {
            msg_warn("%s:%s: alias table lookup failure", dict->type, dict->name);
            dsb_simple(state.msg_attr.why, "4.3.0", "alias database unavailable");
            *statusp = local_defer(state);
            return (YES);
        }
    }
    return (NO);
}
