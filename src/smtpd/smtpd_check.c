/*
 * smtpd_check - SMTP server access control: the stages (connect, HELO,
 * MAIL, RCPT, DATA, end of data, ETRN), the restriction lists they
 * evaluate, smtpd_delay_reject, the defer_if_permit/defer_if_reject
 * bookkeeping across stages, and the size/queue space checks.
 *
 * Exports the functions of smtpd_check.h (the engine's interface) and
 * smtpd_check_jmp, smtpd_rest_classes and the shared lists of
 * smtpd_check_int.h. The restrictions themselves are in
 * smtpd_check_restr.c; tables in smtpd_check_access.c; DNS in
 * smtpd_check_dns.c and smtpd_dnsbl.c; the policy client in
 * smtpd_policy.c; recipient validation in smtpd_check_rcptmap.c.
 *
 * Failure: configuration errors found at start-up (a restriction class
 * without definition, relay restrictions that permit everything, a bad
 * tempfail action) are fatal, as in Postfix. At run time a table or
 * service failure makes the stage answer 451 (see smtpd_check_int.h).
 */

#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/statvfs.h>

#include "argv.h"
#include "dict.h"
#include "htable.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "valid_utf8_string.h"
#include "vstring.h"

jmp_buf smtpd_check_jmp;
HTABLE *smtpd_rest_classes;
MATCH_LIST *smtpd_mynetworks;
MATCH_LIST *smtpd_perm_mx_networks;
MATCH_LIST *smtpd_local_domains;
MATCH_LIST *smtpd_relay_domains;
int smtpd_access_parent_style;

static ARGV *client_restrictions;
static ARGV *helo_restrictions;
static ARGV *mail_restrictions;
static ARGV *relay_restrictions;
static ARGV *rcpt_restrictions;
static ARGV *etrn_restrictions;
static ARGV *data_restrictions;
static ARGV *eod_restrictions;
static ARGV *local_rewrite_clients;

/* Recipient/sender validation already done for the current command. */
static int rcptmap_checked;
static int sender_rcptmap_checked;
static int rcpt_rejected;

static int check_ready;

#define RESTRICTION_SEPARATORS ", \t\r\n"

/* parent_style - MATCH_FLAG_PARENT when parent_domain_matches_subdomains lists name */
static int parent_style(const char *name)
{
    ARGV *list = argv_split(var_parent_domain_matches_subdomains, RESTRICTION_SEPARATORS);
    int i;
    int style = 0;

    for (i = 0; i < list->argc; i++)
        if (strcasecmp(list->argv[i], name) == 0)
            style = MATCH_FLAG_PARENT;
    argv_free(list);
    return style;
}

/* check_parse - split a restriction list, open its tables and policy clients */
static ARGV *check_parse(const char *value)
{
    char *saved = mystrdup(value);
    char *bp = saved;
    char *name;
    const char *last = 0;
    ARGV *argv = argv_alloc(5);

    while ((name = mystrtokq(&bp, RESTRICTION_SEPARATORS, "{}")) != 0) {
        argv_add(argv, name, (char *)0);
        if (last && strcasecmp(last, "check_policy_service") == 0)
            smtpd_policy_register(name);
        else if (strchr(name, ':') != 0 && *name != '{')
            smtpd_access_register(name);
        last = argv->argv[argv->argc - 1];
    }
    myfree(saved);
    return argv;
}

/* has_required - does a list (or a class it names) contain a restriction that denies */
static int has_required(ARGV *restrictions, const char **required)
{
    char **rest;
    const char **reqd;
    ARGV *expansion;

    for (rest = restrictions->argv; *rest; rest++) {
        if (strcasecmp(*rest, "warn_if_reject") == 0 && rest[1] != 0) {
            rest += 1;
            continue;
        }
        if (strcasecmp(*rest, "permit") == 0) {
            if (rest[1] != 0)
                msg_warn("restriction `%s' after `%s' is ignored", rest[1], rest[0]);
            return 0;
        }
        for (reqd = required; *reqd; reqd++)
            if (strcasecmp(*rest, *reqd) == 0)
                return 1;
        if ((expansion = (ARGV *)htable_find(smtpd_rest_classes, *rest)) != 0
            && has_required(expansion, required))
            return 1;
    }
    return 0;
}

/* init_classes - smtpd_restriction_classes */
static void init_classes(void)
{
    char *saved = mystrdup(var_smtpd_restriction_classes);
    char *cp = saved;
    const char *name;
    const char *value;

    smtpd_rest_classes = htable_create(13);
    while ((name = mystrtok(&cp, RESTRICTION_SEPARATORS)) != 0) {
        if ((value = mail_conf_lookup_eval(name)) == 0 || *value == 0)
            msg_fatal("restriction class `%s' needs a definition", name);
        htable_enter(smtpd_rest_classes, name, check_parse(value));
    }
    myfree(saved);
    htable_enter(smtpd_rest_classes, "reject_sender_login_mismatch",
                 check_parse("reject_authenticated_sender_login_mismatch "
                             "reject_unauthenticated_sender_login_mismatch"));
}

/* smtpd_check_pre_init - open tables while still privileged */
void smtpd_check_pre_init(void)
{
    static const char *rcpt_required[] = {"reject_unauth_destination", "defer_unauth_destination",
                                          "reject", "defer", "defer_if_permit",
                                          "check_relay_domains", 0};

    if (check_ready)
        return;
    check_ready = 1;

    /*
     * As in every Postfix daemon, a table that cannot be opened is not
     * fatal: it fails each lookup instead, which defers the mail that
     * needs it (451 4.3.0) and leaves the rest alone.
     */
    dict_allow_surrogate = 1;
    smtpd_mynetworks = namadr_list_init("mynetworks", MATCH_FLAG_RETURN | parent_style("mynetworks"),
                                        var_mynetworks);
    smtpd_perm_mx_networks = namadr_list_init(
        "permit_mx_backup_networks", MATCH_FLAG_RETURN | parent_style("permit_mx_backup_networks"),
        var_permit_mx_backup_networks);
    smtpd_local_domains = domain_list_init("mydestination", MATCH_FLAG_RETURN, var_mydestination);
    smtpd_relay_domains = domain_list_init(
        "relay_domains", MATCH_FLAG_RETURN | parent_style("relay_domains"), var_relay_domains);
    smtpd_access_parent_style = parent_style("smtpd_access_maps");
    smtpd_check_reply_init();
    smtpd_access_init();
    smtpd_rcptmap_init();
    smtpd_dnsbl_init();
    smtpd_resolve_init(100);

    client_restrictions = check_parse(var_smtpd_client_restrictions);
    helo_restrictions = check_parse(var_smtpd_helo_restrictions);
    mail_restrictions = check_parse(var_smtpd_sender_restrictions);
    relay_restrictions = check_parse(var_smtpd_relay_restrictions);
    rcpt_restrictions = check_parse(var_smtpd_recipient_restrictions);
    etrn_restrictions = check_parse(var_smtpd_etrn_restrictions);
    data_restrictions = check_parse(var_smtpd_data_restrictions);
    eod_restrictions = check_parse(var_smtpd_end_of_data_restrictions);
    local_rewrite_clients = check_parse(var_local_header_rewrite_clients);
    init_classes();

    /* People get the relay restrictions wrong too often: insist on a safety net. */
    if (!has_required(rcpt_restrictions, rcpt_required)
        && !has_required(relay_restrictions, rcpt_required))
        msg_fatal("in parameter %s or %s, specify at least one working instance of: %s",
                  "smtpd_relay_restrictions", "smtpd_recipient_restrictions",
                  "reject_unauth_destination, defer_unauth_destination, reject, defer, "
                  "defer_if_permit or check_relay_domains");
    (void)smtpd_tempfail_action("unknown_helo_hostname_tempfail_action",
                                var_unknown_helo_hostname_tempfail_action);
    (void)smtpd_tempfail_action("unknown_address_tempfail_action",
                                var_unknown_address_tempfail_action);
    (void)smtpd_tempfail_action("unverified_recipient_tempfail_action",
                                var_unverified_recipient_tempfail_action);
    (void)smtpd_tempfail_action("unverified_sender_tempfail_action",
                                var_unverified_sender_tempfail_action);
}

/* smtpd_check_init - after the privilege drop */
void smtpd_check_init(void)
{
    smtpd_check_pre_init();
}

/* smtpd_check_reset - a new transaction forgets deferred decisions */
void smtpd_check_reset(SMTPD_STATE *state)
{
    state->defer_if_permit.active = 0;
    state->defer_if_reject.active = 0;
    state->defer_if_permit_client = 0;
    state->defer_if_permit_helo = 0;
    state->defer_if_permit_sender = 0;
    state->recursion = 0;
    state->warn_if_reject = 0;
}

/* stage_reset - before each stage's evaluation */
static void stage_reset(SMTPD_STATE *state)
{
    state->recursion = 0;
    state->warn_if_reject = 0;
    state->defer_if_reject.active = 0;
}

/* run_list - evaluate one list with the failure escape armed */
static int run_list(SMTPD_STATE *state, ARGV *list, const char *reply_name,
                    const char *reply_class, const char *def_acl)
{
    int status;

    if ((status = setjmp(smtpd_check_jmp)) != 0)
        return status;
    if (list->argc == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_generic_checks(state, list, reply_name, reply_class, def_acl);
}

/* stage_result - the reply of a stage, or null */
static char *stage_result(int status)
{
    return status == SMTPD_CHECK_REJECT ? (char *)smtpd_check_reply_text() : 0;
}

/* force_defer_if_permit - a pending deferral wins over a permit */
static int force_defer_if_permit(SMTPD_STATE *state, int status)
{
    if (status != SMTPD_CHECK_REJECT && state->defer_if_permit.active)
        return smtpd_check_force_defer(state, &state->defer_if_permit);
    return status;
}

/* rewrite_lookup_failed - the 451 reply when a rewrite client lookup failed */
static char *rewrite_lookup_failed(SMTPD_STATE *state, int error)
{
    static char retry[] = "451 4.3.0 Temporary lookup error";
    static char config[] = "451 4.3.5 Server configuration error";
    char *reply = error == DICT_ERR_RETRY ? retry : config;

    state->error_mask |= error == DICT_ERR_RETRY ? MAIL_ERROR_RESOURCE : MAIL_ERROR_SOFTWARE;
    smtpd_check_log(state, "reject", reply);
    return reply;
}

/*
 * smtpd_check_rewrite - local_header_rewrite_clients: sets
 * state->rewrite_context; a lookup that fails gives a 451 reply (and the
 * context stays as it was).
 */
char *smtpd_check_rewrite(SMTPD_STATE *state)
{
    static const char remote[] = MAIL_ATTR_RWR_REMOTE;
    static const char local[] = MAIL_ATTR_RWR_LOCAL;
    const char *context = remote;
    char **cpp;
    const char *name;
    MAPS *maps;

    for (cpp = local_rewrite_clients->argv; *cpp && context == remote; cpp++) {
        name = *cpp;
        if (strcasecmp(name, "check_address_map") == 0 && cpp[1])
            name = *++cpp;
        if (strcasecmp(name, "permit_inet_interfaces") == 0) {
            if (smtpd_is_own_addr(state->addr))
                context = local;
        } else if (strcasecmp(name, "permit_mynetworks") == 0) {
            if (namadr_list_match(smtpd_mynetworks, state->name, state->addr))
                context = local;
            else if (smtpd_mynetworks->error)
                return rewrite_lookup_failed(state, smtpd_mynetworks->error);
        } else if (strchr(name, ':') != 0) {
            if ((maps = smtpd_access_maps(name)) != 0) {
                if (maps_find(maps, state->addr, 0) != 0)
                    context = local;
                else if (maps->error)
                    return rewrite_lookup_failed(state, maps->error);
            }
        } else if (strcasecmp(name, "permit_sasl_authenticated") != 0
                   && strcasecmp(name, "permit_tls_clientcerts") != 0
                   && strcasecmp(name, "permit_tls_all_clientcerts") != 0) {
            msg_warn("parameter %s: invalid request: %s", "local_header_rewrite_clients", name);
        }
    }
    if (state->rewrite_context)
        myfree(state->rewrite_context);
    state->rewrite_context = mystrdup(context);
    return 0;
}

/* smtpd_check_addr - an address that trivial-rewrite finds malformed */
int smtpd_check_addr(const char *sender, const char *addr, int smtputf8)
{
    const RESOLVE_REPLY *reply;
    const char *domain;
    const char *cp;

    if (addr == 0 || *addr == 0)
        return 0;
    reply = smtpd_resolve_addr(sender, addr);
    if (reply->flags & RESOLVE_FLAG_ERROR)
        return -1;
    if (smtputf8 == 0 && (domain = strrchr(vstring_str(reply->recipient), '@')) != 0)
        for (cp = domain + 1; *cp; cp++)
            if (*(const unsigned char *)cp & 0x80)
                return -1;
    return 0;
}

/* push_string - set a state field to a copy, keeping the old pointer */
static char *push_string(char **field, const char *value)
{
    char *saved = *field;

    *field = value ? mystrdup(value) : 0;
    return saved;
}

/* pop_string - undo push_string */
static void pop_string(char **field, char *saved)
{
    if (*field)
        myfree(*field);
    *field = saved;
}

/* smtpd_check_client - smtpd_client_restrictions */
char *smtpd_check_client(SMTPD_STATE *state)
{
    int status;

    if (state->name == 0 || state->addr == 0)
        return 0;
    state->defer_if_permit.active = 0;
    stage_reset(state);
    status = run_list(state, client_restrictions, state->namaddr, SMTPD_NAME_CLIENT,
                      "check_client_access");
    state->defer_if_permit_client = state->defer_if_permit.active;
    return stage_result(status);
}

/* smtpd_check_helo - smtpd_helo_restrictions */
char *smtpd_check_helo(SMTPD_STATE *state, char *helo)
{
    char *saved;
    int status;

    if (helo == 0)
        return 0;
    saved = push_string(&state->helo_name, helo);
    state->defer_if_permit.active = state->defer_if_permit_client;
    stage_reset(state);
    status = run_list(state, helo_restrictions, state->helo_name, SMTPD_NAME_HELO,
                      "check_helo_access");
    state->defer_if_permit_helo = state->defer_if_permit.active;
    pop_string(&state->helo_name, saved);
    return stage_result(status);
}

/* smtpd_check_unlisted_sender - reject_unlisted_sender (once per MAIL) */
int smtpd_check_unlisted_sender(SMTPD_STATE *state)
{
    if (sender_rcptmap_checked)
        return SMTPD_CHECK_DUNNO;
    if (state->warn_if_reject == 0)
        sender_rcptmap_checked = 1;
    return smtpd_check_rcpt_maps(state, state->recipient, state->sender, SMTPD_NAME_SENDER);
}

/* smtpd_check_unlisted_rcpt - reject_unlisted_recipient (once per RCPT) */
int smtpd_check_unlisted_rcpt(SMTPD_STATE *state)
{
    if (rcptmap_checked)
        return SMTPD_CHECK_DUNNO;
    if (state->warn_if_reject == 0)
        rcptmap_checked = 1;
    return smtpd_check_rcpt_maps(state, state->sender, state->recipient, SMTPD_NAME_RECIPIENT);
}

/* smtpd_check_mail - smtpd_sender_restrictions */
char *smtpd_check_mail(SMTPD_STATE *state, char *sender)
{
    char *saved;
    int status;

    if (sender == 0)
        return 0;
    saved = push_string(&state->sender, sender);
    state->defer_if_permit.active = state->defer_if_permit_client | state->defer_if_permit_helo;
    sender_rcptmap_checked = 0;
    stage_reset(state);
    status = run_list(state, mail_restrictions, sender, SMTPD_NAME_SENDER,
                      "check_sender_access");
    state->defer_if_permit_sender = state->defer_if_permit.active;
    if (var_smtpd_reject_unlisted_sender && status != SMTPD_CHECK_REJECT
        && sender_rcptmap_checked == 0 && state->discard == 0 && *sender) {
        if ((status = setjmp(smtpd_check_jmp)) == 0)
            status = smtpd_check_unlisted_sender(state);
    }
    pop_string(&state->sender, saved);
    return stage_result(status);
}

/* delayed_checks - client, helo, sender restrictions at RCPT/ETRN time */
static char *delayed_checks(SMTPD_STATE *state, int with_sender)
{
    char *err;

    if (!var_smtpd_delay_reject)
        return 0;
    if ((err = smtpd_check_client(state)) != 0 || (err = smtpd_check_helo(state, state->helo_name)) != 0)
        return err;
    if (with_sender)
        return smtpd_check_mail(state, state->sender);
    return 0;
}

/* smtpd_check_rcpt - relay and recipient restrictions */
char *smtpd_check_rcpt(SMTPD_STATE *state, char *recipient)
{
    char *saved;
    char *err;
    ARGV *lists[2];
    int status = SMTPD_CHECK_DUNNO;
    int n;

    rcptmap_checked = 0;
    rcpt_rejected = 0;
    if (recipient == 0)
        return 0;
    /* RFC 5321: "postmaster" without domain is always accepted. */
    if (strcasecmp(recipient, "postmaster") == 0) {
        rcptmap_checked = 1;
        return 0;
    }
    saved = push_string(&state->recipient, recipient);
    if ((err = delayed_checks(state, 1)) != 0) {
        pop_string(&state->recipient, saved);
        rcpt_rejected = 1;
        return err;
    }
    rcptmap_checked = 0;
    state->defer_if_permit.active = state->defer_if_permit_sender;
    stage_reset(state);
    lists[var_smtpd_relay_before_recipient_restrictions ? 0 : 1] = relay_restrictions;
    lists[var_smtpd_relay_before_recipient_restrictions ? 1 : 0] = rcpt_restrictions;
    for (n = 0; n < 2 && status != SMTPD_CHECK_REJECT; n++)
        status = run_list(state, lists[n], recipient, SMTPD_NAME_RECIPIENT,
                          "check_recipient_access");
    if ((n = setjmp(smtpd_check_jmp)) != 0)
        status = n;
    else
        status = force_defer_if_permit(state, status);
    pop_string(&state->recipient, saved);
    rcpt_rejected = (status == SMTPD_CHECK_REJECT);
    return stage_result(status);
}

/* smtpd_check_rcptmap - the implicit reject_unlisted_recipient */
char *smtpd_check_rcptmap(SMTPD_STATE *state, char *recipient)
{
    char *saved;
    int status;

    if (recipient == 0 || *recipient == 0 || rcpt_rejected || rcptmap_checked
        || !var_smtpd_reject_unlisted_recipient || state->discard)
        return 0;
    saved = push_string(&state->recipient, recipient);
    stage_reset(state);
    if ((status = setjmp(smtpd_check_jmp)) == 0)
        status = smtpd_check_unlisted_rcpt(state);
    pop_string(&state->recipient, saved);
    return stage_result(status);
}

/* smtpd_check_etrn - smtpd_etrn_restrictions */
char *smtpd_check_etrn(SMTPD_STATE *state, char *domain)
{
    char *saved;
    char *err;
    int status;

    if (domain == 0)
        return 0;
    saved = push_string(&state->etrn_name, domain);
    if ((err = delayed_checks(state, 0)) != 0) {
        pop_string(&state->etrn_name, saved);
        return err;
    }
    state->defer_if_permit.active = state->defer_if_permit_client | state->defer_if_permit_helo;
    stage_reset(state);
    status = run_list(state, etrn_restrictions, domain, SMTPD_NAME_ETRN, "check_etrn_access");
    if (setjmp(smtpd_check_jmp) == 0)
        status = force_defer_if_permit(state, status);
    else
        status = SMTPD_CHECK_REJECT;
    pop_string(&state->etrn_name, saved);
    return stage_result(status);
}

/* message_stage - DATA and end-of-data restrictions */
static char *message_stage(SMTPD_STATE *state, ARGV *list, const char *name, const char *class)
{
    char *saved = state->recipient;
    int status;

    /* With several recipients none of them is logged: the check is about all. */
    if (state->rcpt_count > 1)
        state->recipient = 0;
    state->defer_if_permit.active = 0;
    stage_reset(state);
    status = run_list(state, list, name, class, 0);
    if (setjmp(smtpd_check_jmp) == 0)
        status = force_defer_if_permit(state, status);
    else
        status = SMTPD_CHECK_REJECT;
    if (state->rcpt_count > 1)
        state->recipient = saved;
    return stage_result(status);
}

/* smtpd_check_data - smtpd_data_restrictions */
char *smtpd_check_data(SMTPD_STATE *state)
{
    return message_stage(state, data_restrictions, SMTPD_CMD_DATA, SMTPD_NAME_DATA);
}

/* smtpd_check_eod - smtpd_end_of_data_restrictions */
char *smtpd_check_eod(SMTPD_STATE *state)
{
    return message_stage(state, eod_restrictions, "END-OF-DATA", SMTPD_NAME_EOD);
}

/* smtpd_check_size - message_size_limit */
char *smtpd_check_size(SMTPD_STATE *state, off_t size)
{
    stage_reset(state);
    if (var_message_size_limit > 0 && size > var_message_size_limit) {
        (void)smtpd_check_reject(state, MAIL_ERROR_POLICY, 552, "5.3.4",
                                 "Message size exceeds fixed limit");
        return (char *)smtpd_check_reply_text();
    }
    return 0;
}

/* smtpd_check_queue - queue_minfree and room for 1.5 times the size limit */
char *smtpd_check_queue(SMTPD_STATE *state)
{
    struct statvfs fs;
    unsigned long long avail;
    unsigned long long need_limit;
    const double space_factor = 1.5;

    stage_reset(state);
    if (statvfs(".", &fs) < 0) {
        msg_warn("statvfs queue directory: %m");
        return 0;
    }
    avail = (unsigned long long)fs.f_bavail * fs.f_frsize;
    need_limit = (unsigned long long)(var_message_size_limit * space_factor);
    if ((unsigned long long)var_queue_minfree >= avail || need_limit >= avail) {
        (void)smtpd_check_reject(state, MAIL_ERROR_RESOURCE, 452, "4.3.1",
                                 "Insufficient system storage");
        msg_warn("not enough free space in mail queue: %llu bytes < %g*message size limit",
                 avail, space_factor);
        return (char *)smtpd_check_reply_text();
    }
    return 0;
}
