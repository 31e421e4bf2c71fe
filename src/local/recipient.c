/*
 * recipient - deliver to one address: the recipient from the queue
 * manager, or an address that an expansion produced and that resolved to
 * this delivery agent.
 *
 * Exports deliver_recipient() and local_split_recipient(). The address is
 * split into local part (folded to lower case), user (the local part
 * without its extension, per recipient_delimiter) and domain; then the
 * loop checks (nesting depth, Delivered-To: already in the message) run,
 * and the delivery methods are tried in Postfix's order of precedence:
 * "\user" goes straight to the mailbox; otherwise aliases (the whole local
 * part, then the user), the user's .forward, mailbox delivery in all its
 * forms, and last the handling of unknown users.
 *
 * An address that a user's .forward lists and that is another local user
 * is not delivered here but forwarded as a new message, so that it gets
 * its own queue file record (Postfix does the same).
 */

#include <string.h>
#include <strings.h>

#include "local.h"
#include "mail_addr.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

/* local_split_recipient - fill local, user, domain, extension, delim */
void local_split_recipient(DELIVER_ATTR *attr, VSTRING *local, VSTRING *user)
{
    static char delim_buf[2];
    const char *at = strrchr(attr->rcpt.address, '@');
    char *ext;
    int delim = 0;

    if (at != 0) {
        vstring_strncpy(local, attr->rcpt.address, at - attr->rcpt.address);
        attr->domain = at + 1;
    } else {
        vstring_strcpy(local, attr->rcpt.address);
        attr->domain = "";
    }
    lowercase(vstring_str(local));
    vstring_strcpy(user, vstring_str(local));
    attr->extension = 0;
    attr->delim = 0;
    if (*var_recipient_delimiter && (ext = split_addr(vstring_str(user), var_recipient_delimiter,
                                                      var_double_bounce_sender, &delim)) != 0) {
        if (strchr(ext, '/') != 0) {
            msg_warn("%s: address with illegal extension: %s", attr->queue_id, vstring_str(local));
            vstring_strcpy(user, vstring_str(local));
        } else {
            /* The extension lives on in the local part copy. */
            attr->extension = vstring_str(local) + (ext - vstring_str(user));
            delim_buf[0] = (char)delim;
            delim_buf[1] = 0;
            attr->delim = delim_buf;
        }
    }
    VSTRING_TERMINATE(user);
    attr->local = vstring_str(local);
    attr->user = vstring_str(user);
    attr->unmatched = attr->extension;
}

/* deliver_switch - try the delivery methods in order */
static int deliver_switch(LOCAL_STATE state, USER_ATTR usr_attr)
{
    int status = 0;

    /* "\user" in an expansion: the mailbox, no aliases or .forward. */
    if (state.msg_attr.user[0] == '\\') {
        state.msg_attr.rcpt.address++;
        state.msg_attr.local++;
        state.msg_attr.user++;
        if (deliver_mailbox(state, usr_attr, &status) == NO)
            status = deliver_unknown(state, usr_attr);
        return (status);
    }
    state.msg_attr.unmatched = 0;
    if (deliver_alias(state, usr_attr, state.msg_attr.local, &status))
        return (status);
    if (state.msg_attr.extension != 0) {
        state.msg_attr.unmatched = state.msg_attr.extension;
        if (deliver_alias(state, usr_attr, state.msg_attr.user, &status))
            return (status);
    }
    state.msg_attr.unmatched = state.msg_attr.extension;

    /* Another local user named in a .forward: a new message of its own. */
    if (state.msg_attr.exp_type == EXPAND_TYPE_FWD && state.msg_attr.exp_from != 0 &&
        strcasecmp(state.msg_attr.exp_from, state.msg_attr.user) != 0)
        return (deliver_indirect(state));

    if (deliver_dotforward(state, usr_attr, &status) == NO &&
        deliver_mailbox(state, usr_attr, &status) == NO)
        status = deliver_unknown(state, usr_attr);
    return (status);
}

/* deliver_recipient - deliver to state.msg_attr.rcpt.address */
int deliver_recipient(LOCAL_STATE state, USER_ATTR usr_attr)
{
    VSTRING *local = vstring_alloc(100);
    VSTRING *user = vstring_alloc(100);
    int status;

    state.level++;
    state.msg_attr.level = state.level;
    if (msg_verbose)
        msg_info("deliver_recipient[%d]: %s", state.level, state.msg_attr.rcpt.address);
    if (state.msg_attr.delivered == 0 || !var_frozen_delivered_to)
        state.msg_attr.delivered = state.msg_attr.rcpt.address;
    local_split_recipient(&state.msg_attr, local, user);

    if (state.msg_attr.user[0] == 0) {
        dsb_simple(state.msg_attr.why, "5.1.3", "null username in \"%s\"",
                   state.msg_attr.rcpt.address);
        status = local_bounce(state);
    } else if (state.level > LOCAL_NESTING_LIMIT ||
               delivered_hdr_find(state.loop_info, state.msg_attr.delivered)) {
        dsb_simple(state.msg_attr.why, "5.4.6", "mail forwarding loop for %s",
                   state.msg_attr.rcpt.address);
        status = local_bounce(state);
    } else {
        status = deliver_switch(state, usr_attr);
    }
    vstring_free(local);
    vstring_free(user);
    return (status);
}
