/*
 * local_expand - expand forward_path, luser_relay, command_execution_directory
 * and mailbox_command_maps-style values against the current recipient.
 *
 * Exports local_expand(). The names are Postfix's: $user (user name, or
 * the bare local part), $home and $shell (from the passwd entry, when
 * there is one), $recipient (the whole address), $extension (the part of
 * the extension that no alias matched), $domain, $local (the whole local
 * part) and $recipient_delimiter (the delimiter found in this address).
 * An empty value counts as undefined, so "${extension?...}" and the
 * MAC_PARSE_UNDEF result work as the documentation describes. Characters
 * outside filter (when given) are replaced with '_' in the values, never
 * in the pattern.
 */

#include <string.h>

#include "local.h"
#include "mac_expand.h"
#include "mail_params.h"

typedef struct LOCAL_EXP {
    LOCAL_STATE *state;
    USER_ATTR *usr_attr;
} LOCAL_EXP;

/* local_expand_lookup - the value of one name, null when undefined */
static const char *local_expand_lookup(const char *name, int mode, void *context)
{
    LOCAL_EXP *le = (LOCAL_EXP *)context;
    DELIVER_ATTR *attr = &le->state->msg_attr;
    const char *value = 0;

    if (strcmp(name, "user") == 0)
        value = attr->user;
    else if (strcmp(name, "home") == 0)
        value = le->usr_attr->home;
    else if (strcmp(name, "shell") == 0)
        value = le->usr_attr->shell;
    else if (strcmp(name, "recipient") == 0)
        value = attr->rcpt.address;
    else if (strcmp(name, "extension") == 0)
        value = attr->unmatched;
    else if (strcmp(name, "domain") == 0)
        value = attr->domain;
    else if (strcmp(name, "local") == 0)
        value = attr->local;
    else if (strcmp(name, "recipient_delimiter") == 0)
        value =
            attr->delim ? attr->delim : (*var_recipient_delimiter ? var_recipient_delimiter : 0);
    return (value && *value ? value : 0);
}

/* local_expand - MAC_PARSE_* result, expansion in result */
int local_expand(VSTRING *result, const char *pattern, LOCAL_STATE *state, USER_ATTR *usr_attr,
                 const char *filter)
{
    LOCAL_EXP le;

    le.state = state;
    le.usr_attr = usr_attr;
    return (mac_expand(result, pattern, MAC_EXP_FLAG_NONE, filter, local_expand_lookup, &le));
}
