/*
 * smtpd_check_rcptmap - does the address exist: recipient validation
 * against local_recipient_maps, virtual_mailbox_maps and
 * relay_recipient_maps (reject_unlisted_recipient/_sender and the
 * implicit smtpd_reject_unlisted_* checks), address verification
 * (reject_unverified_sender/_recipient, through the verify service) and
 * reject_sender_login_mismatch (smtpd_sender_login_maps).
 *
 * Exports smtpd_rcptmap_init(), smtpd_check_rcpt_maps(),
 * smtpd_reject_unverified(), smtpd_reject_sender_login_mismatch() and
 * smtpd_tempfail_action().
 *
 * Failure: a table that cannot answer gives "451 4.3.0 <addr>: Temporary
 * lookup failure"; a verify service that cannot be reached gives the 450
 * "address verification problem" deferral (never a silent accept).
 */

#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dict.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "verify_clnt.h"
#include "vstring.h"

static MAPS *local_rcpt_maps;
static MAPS *send_canon_maps;
static MAPS *rcpt_canon_maps;
static MAPS *canonical_maps;
static MAPS *virt_alias_maps;
static MAPS *virt_mailbox_maps;
static MAPS *relay_rcpt_maps;
static MAPS *sender_login_maps;

#define RCPT_MAPS_FLAGS (DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX)

/*
 * rcpt_maps_create - open a table list; "proxy:type:name" opens type:name
 * itself. proxy: only routes the lookup through the proxymap service (for
 * a chrooted server); this mail system has no proxymap yet, and its smtpd
 * is not chrooted, so the direct lookup gives the same answers.
 */
static MAPS *rcpt_maps_create(const char *title, const char *value, int flags)
{
    ARGV *names = argv_splitq(value, ", \t\r\n", "{}");
    VSTRING *direct = vstring_alloc(100);
    MAPS *maps;
    int i;

    for (i = 0; i < names->argc; i++) {
        const char *name = names->argv[i];

        while (strncmp(name, "proxy:", 6) == 0)
            name += 6;
        vstring_sprintf_append(direct, "%s%s", i ? " " : "", name);
    }
    maps = maps_create(title, vstring_str(direct), flags);
    argv_free(names);
    vstring_free(direct);
    return maps;
}

/* smtpd_rcptmap_init - open the tables, once per process (before chroot) */
void smtpd_rcptmap_init(void)
{
    local_rcpt_maps = rcpt_maps_create("local_recipient_maps", var_local_recipient_maps,
                                       RCPT_MAPS_FLAGS);
    send_canon_maps = rcpt_maps_create("sender_canonical_maps", var_sender_canonical_maps,
                                  RCPT_MAPS_FLAGS);
    rcpt_canon_maps = rcpt_maps_create("recipient_canonical_maps", var_recipient_canonical_maps,
                                  RCPT_MAPS_FLAGS);
    canonical_maps = rcpt_maps_create("canonical_maps", var_canonical_maps, RCPT_MAPS_FLAGS);
    virt_alias_maps = rcpt_maps_create("virtual_alias_maps", var_virtual_alias_maps, RCPT_MAPS_FLAGS);
    virt_mailbox_maps = rcpt_maps_create("virtual_mailbox_maps", var_virtual_mailbox_maps,
                                    RCPT_MAPS_FLAGS);
    relay_rcpt_maps = rcpt_maps_create("relay_recipient_maps", var_relay_recipient_maps,
                                  RCPT_MAPS_FLAGS);
    sender_login_maps = rcpt_maps_create("smtpd_sender_login_maps", var_smtpd_sender_login_maps,
                                    RCPT_MAPS_FLAGS);
}

/* smtpd_tempfail_action - "defer" or "defer_if_permit" */
int smtpd_tempfail_action(const char *param_name, const char *value)
{
    if (strcasecmp(value, "defer") == 0)
        return SMTPD_TF_DEFER_ALL;
    if (strcasecmp(value, "defer_if_permit") == 0)
        return SMTPD_TF_DEFER_IF_PERMIT;
    msg_fatal("bad configuration: %s = %s", param_name, value);
}

/* is_local_special - names that qmgr or bounce absorb in local domains */
static int is_local_special(const char *rcpt, const char *name)
{
    size_t len = strlen(name);

    return strncasecmp(rcpt, name, len) == 0 && rcpt[len] == '@';
}

/* unknown_user - the "User unknown in ... table" reply */
static int unknown_user(SMTPD_STATE *state, int code, const char *recipient,
                        const char *reply_class, const char *table)
{
    return smtpd_check_reject(state, MAIL_ERROR_BOUNCE, code,
                              strcmp(reply_class, SMTPD_NAME_SENDER) == 0 ? "5.1.0" : "5.1.1",
                              "<%s>: %s rejected: User unknown%s", recipient, reply_class,
                              var_show_user_unknown_table_name ? table : "");
}

/* error_transport - the resolver says error: or retry: */
static int error_transport(SMTPD_STATE *state, const RESOLVE_REPLY *reply,
                           const char *recipient, const char *reply_class)
{
    int is_sender = strcmp(reply_class, SMTPD_NAME_SENDER) == 0;
    int is_error = strcmp(vstring_str(reply->transport), MAIL_SERVICE_ERROR) == 0;
    char dsn[16];
    const char *text;

    smtpd_dsn_split(vstring_str(reply->nexthop),
                    is_error ? (is_sender ? "5.1.0" : "5.1.1") : (is_sender ? "4.1.0" : "4.1.1"),
                    dsn, &text);
    return smtpd_check_reject(state, MAIL_ERROR_BOUNCE,
                              is_error ? ((reply->flags & RESOLVE_CLASS_ALIAS)
                                              ? var_unknown_virtual_alias_reject_code
                                              : 550)
                                       : 450,
                              smtpd_dsn_fix(dsn, reply_class), "<%s>: %s rejected: %s",
                              recipient, reply_class, text);
}

/* smtpd_check_rcpt_maps - is the address listed for its address class */
int smtpd_check_rcpt_maps(SMTPD_STATE *state, const char *sender, const char *recipient,
                          const char *reply_class)
{
    const RESOLVE_REPLY *reply;
    const char *rcpt;

    reply = smtpd_resolve_addr(sender, recipient);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, recipient);
    rcpt = vstring_str(reply->recipient);

    /* Addresses that are rewritten elsewhere are taken as valid. */
    if (smtpd_check_addr_find(state, recipient, rcpt_canon_maps, rcpt)
        || (strcmp(reply_class, SMTPD_NAME_SENDER) == 0
            && smtpd_check_addr_find(state, recipient, send_canon_maps, rcpt))
        || smtpd_check_addr_find(state, recipient, canonical_maps, rcpt)
        || smtpd_check_addr_find(state, recipient, virt_alias_maps, rcpt))
        return SMTPD_CHECK_DUNNO;

    if (strcmp(vstring_str(reply->transport), MAIL_SERVICE_ERROR) == 0
        || strcmp(vstring_str(reply->transport), MAIL_SERVICE_RETRY) == 0)
        return error_transport(state, reply, recipient, reply_class);

    switch (reply->flags & RESOLVE_CLASS_MASK) {
    case RESOLVE_CLASS_LOCAL:
        if (*var_local_recipient_maps && !is_local_special(rcpt, var_double_bounce_sender)
            && !is_local_special(rcpt, "postmaster") && !is_local_special(rcpt, "MAILER-DAEMON")
            && smtpd_check_addr_find(state, recipient, local_rcpt_maps, rcpt) == 0)
            return unknown_user(state, var_unknown_local_recipient_reject_code, recipient,
                                reply_class, " in local recipient table");
        break;
    case RESOLVE_CLASS_VIRTUAL:
        if (*var_virtual_mailbox_maps
            && smtpd_check_addr_find(state, recipient, virt_mailbox_maps, rcpt) == 0)
            return unknown_user(state, var_unknown_virtual_mailbox_reject_code, recipient,
                                reply_class, " in virtual mailbox table");
        break;
    case RESOLVE_CLASS_RELAY:
        if (*var_relay_recipient_maps
            && smtpd_check_addr_find(state, recipient, relay_rcpt_maps, rcpt) == 0)
            return unknown_user(state, var_unknown_relay_recipient_reject_code, recipient,
                                reply_class, " in relay recipient table");
        break;
    }
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_reject_unverified - reject_unverified_sender/_recipient */
int smtpd_reject_unverified(SMTPD_STATE *state, const char *addr, const char *reply_class)
{
    int is_sender = strcmp(reply_class, SMTPD_NAME_SENDER) == 0;
    const char *dsn = is_sender ? "4.1.7" : "4.1.1";
    int tf_action = is_sender ? smtpd_tempfail_action("unverified_sender_tempfail_action",
                                                      var_unverified_sender_tempfail_action)
                              : smtpd_tempfail_action("unverified_recipient_tempfail_action",
                                                      var_unverified_recipient_tempfail_action);
    const char *alt_reply = is_sender ? var_unverified_sender_reject_reason
                                      : var_unverified_recipient_reject_reason;
    VSTRING *why = vstring_alloc(100);
    int addr_status = DEL_RCPT_STAT_TODO;
    int vstatus;
    int count;
    int code = 0;
    int status = SMTPD_CHECK_DUNNO;

    for (count = 0;; count++) {
        vstatus = verify_clnt_query(addr, &addr_status, why);
        if (vstatus != VRFY_STAT_OK || addr_status != DEL_RCPT_STAT_TODO)
            break;
        if (count + 1 >= var_address_verify_poll_count)
            break;
        sleep(var_address_verify_poll_delay);
    }
    if (vstatus != VRFY_STAT_OK) {
        msg_warn("%s service failure", var_address_verify_service_name);
        status = smtpd_check_defer_if_permit(state, tf_action, reply_class, 450, dsn,
                                             "<%s>: %s rejected: address verification problem",
                                             addr, reply_class);
        vstring_free(why);
        return status;
    }
    switch (addr_status) {
    case DEL_RCPT_STAT_OK:
        break;
    case DEL_RCPT_STAT_TODO:
    case DEL_RCPT_STAT_DEFER:
        code = is_sender ? var_unverified_sender_defer_code : var_unverified_recipient_defer_code;
        break;
    case DEL_RCPT_STAT_BOUNCE:
        code = is_sender ? var_unverified_sender_reject_code
                         : var_unverified_recipient_reject_code;
        break;
    default:
        msg_warn("unknown address verification status %d", addr_status);
        break;
    }
    if (code >= 400 && *alt_reply)
        vstring_strcpy(why, alt_reply);
    if (code / 100 == 4)
        status = smtpd_check_defer_if_permit(state, tf_action, reply_class, code, dsn,
                                             "<%s>: %s rejected: unverified address: %.250s",
                                             addr, reply_class, vstring_str(why));
    else if (code != 0)
        status = smtpd_check_reject(state, MAIL_ERROR_POLICY, code, dsn,
                                    "<%s>: %s rejected: undeliverable address: %s", addr,
                                    reply_class, vstring_str(why));
    vstring_free(why);
    return status;
}

/*
 * smtpd_reject_sender_login_mismatch - the sender address belongs to a
 * login (smtpd_sender_login_maps) and the client is not logged in as its
 * owner. Without SASL no client is ever logged in, so an owned sender is
 * always refused and an unowned one passes.
 */
int smtpd_reject_sender_login_mismatch(SMTPD_STATE *state, const char *name)
{
    const RESOLVE_REPLY *reply;
    const char *owners;
    char *saved;
    char *cp;
    char *owner;
    int found = 0;

    if (state->sender == 0 || *state->sender == 0 || *var_smtpd_sender_login_maps == 0)
        return SMTPD_CHECK_DUNNO;
    reply = smtpd_resolve_addr(state->recipient, state->sender);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, state->sender);
    owners = smtpd_check_addr_find(state, state->sender, sender_login_maps,
                                   vstring_str(reply->recipient));
    if (state->sasl_username == 0) {
        if (owners != 0 && strcasecmp(name, "reject_authenticated_sender_login_mismatch") != 0)
            return smtpd_check_reject(state, MAIL_ERROR_POLICY, 553, "5.7.1",
                                      "<%s>: Sender address rejected: not logged in",
                                      state->sender);
        return SMTPD_CHECK_DUNNO;
    }
    if (owners == 0)
        return strcasecmp(name, "reject_known_sender_login_mismatch") == 0
                       || strcasecmp(name, "reject_unauthenticated_sender_login_mismatch") == 0
                   ? SMTPD_CHECK_DUNNO
                   : smtpd_check_reject(state, MAIL_ERROR_POLICY, 553, "5.7.1",
                                        "<%s>: Sender address rejected: not owned by user %s",
                                        state->sender, state->sasl_username);
    if (strcasecmp(name, "reject_unauthenticated_sender_login_mismatch") == 0)
        return SMTPD_CHECK_DUNNO;
    cp = saved = mystrdup(owners);
    while (!found && (owner = mystrtok(&cp, ", \t\r\n")) != 0)
        if (strcasecmp(owner, state->sasl_username) == 0)
            found = 1;
    myfree(saved);
    if (!found)
        return smtpd_check_reject(state, MAIL_ERROR_POLICY, 553, "5.7.1",
                                  "<%s>: Sender address rejected: not owned by user %s",
                                  state->sender, state->sasl_username);
    return SMTPD_CHECK_DUNNO;
}
