/*
 * smtpd_check_access - access(5) tables for the SMTP server: the lookups
 * (client name and parent domains, client address and its shorter
 * networks, mail addresses as access(5) says, MX/NS/A hosts of a domain)
 * and what the table's answer means (OK, REJECT, DEFER, 4NN/5NN, DUNNO,
 * FILTER, HOLD, DISCARD, REDIRECT, BCC, PREPEND, WARN, INFO,
 * DEFER_IF_REJECT, DEFER_IF_PERMIT, a restriction class or a list of
 * restrictions).
 *
 * Exports smtpd_access_*() and smtpd_check_*_access() of
 * smtpd_check_int.h. Tables are opened when the restriction lists are
 * parsed (smtpd_access_register, before the chroot).
 *
 * Failure: a table that cannot answer gives the reply
 * "451 4.3.5 Server configuration error" (as Postfix: the access map
 * failure is a configuration problem); mail address tables go through
 * smtpd_check_addr_find(), which defers with "451 4.3.0 <addr>: Temporary
 * lookup failure". A lookup error is never taken for "not found".
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cleanup_user.h"
#include "dict.h"
#include "dns_lookup.h"
#include "htable.h"
#include "is_header.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "maps.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "vstring.h"

static HTABLE *access_tables;   /* "type:name" -> MAPS * */

#define ACCESS_CONFIG_ERROR "451 4.3.5 Server configuration error"

/* smtpd_access_init - once per process */
void smtpd_access_init(void)
{
    if (access_tables == 0)
        access_tables = htable_create(13);
}

/* smtpd_access_register - open a table named in a restriction list */
void smtpd_access_register(const char *name)
{
    smtpd_access_init();
    if (htable_find(access_tables, name) == 0)
        htable_enter(access_tables, name,
                     maps_create(name, name, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX));
}

/* smtpd_is_local_domain - mail_addr_find's "is this domain ours" */
int smtpd_is_local_domain(const char *domain, void *context)
{
    (void)context;
    if (domain_list_match(smtpd_local_domains, domain))
        return 1;
    return smtpd_local_domains->error ? -1 : 0;
}

/* smtpd_check_addr_find - mail_addr_find() that defers on failure */
const char *smtpd_check_addr_find(SMTPD_STATE *state, const char *reply_name, MAPS *maps,
                                  const char *key)
{
    MAIL_ADDR_FIND_ENV env = {var_recipient_delimiter, var_double_bounce_sender,
                              smtpd_is_local_domain, 0};
    const char *result;

    if ((result = mail_addr_find(maps, key, (char **)0, MA_FIND_DEFAULT, &env)) != 0
        || maps->error == 0)
        return result;
    if (maps->error == DICT_ERR_RETRY)
        smtpd_check_retry(state, reply_name);
    smtpd_check_config_error(state);
}

/* not_in_client_helo - actions that need a mail transaction */
static int not_in_client_helo(SMTPD_STATE *state, const char *table, const char *action)
{
    if (state->sender == 0) {
        msg_warn("access table %s: with %s=%s, action %s is always skipped in %s or %s "
                 "restrictions",
                 table, "smtpd_delay_reject", "no", action, SMTPD_NAME_CLIENT, SMTPD_NAME_HELO);
        return 0;
    }
    return 1;
}

/* can_delegate_action - actions that cleanup carries out */
static int can_delegate_action(SMTPD_STATE *state, const char *table, const char *action)
{
    if (strcmp(state->where, SMTPD_CMD_ETRN) == 0) {
        msg_warn("access table %s: action %s is unavailable in %s", table, action,
                 "smtpd_etrn_restrictions");
        return 0;
    }
    return not_in_client_helo(state, table, action);
}

/* replace_string - free the old value, keep a copy of the new */
static void replace_string(char **ptr, const char *value)
{
    if (*ptr)
        myfree(*ptr);
    *ptr = mystrdup(value);
}

/* action_is - case-insensitive match of the action word */
static int action_is(const char *value, size_t len, const char *word)
{
    return strlen(word) == len && strncasecmp(value, word, len) == 0;
}

/* table_reject_text - REJECT/DEFER/4NN/5NN with optional "d.d.d text" */
static int table_reject_text(SMTPD_STATE *state, int code, const char *def_dsn, const char *text,
                             const char *def_text, const char *reply_name,
                             const char *reply_class)
{
    char dsn[16];
    const char *rest;

    smtpd_dsn_split(text, def_dsn, dsn, &rest);
    return smtpd_check_reject(state, MAIL_ERROR_POLICY, code, smtpd_dsn_fix(dsn, reply_class),
                              "<%s>: %s rejected: %s", reply_name, reply_class,
                              *rest ? rest : def_text);
}

/* table_delegated - FILTER, HOLD, DISCARD, REDIRECT, BCC; -1 when not one */
static int table_delegated(SMTPD_STATE *state, const char *table, const char *value, size_t len,
                           const char *text, const char *datum, const char *reply_name,
                           const char *reply_class)
{
    VSTRING *buf;

    if (action_is(value, len, "FILTER") || action_is(value, len, "REDIRECT")
        || action_is(value, len, "BCC")) {
        const char *word = action_is(value, len, "FILTER")     ? "FILTER"
                           : action_is(value, len, "REDIRECT") ? "REDIRECT"
                                                               : "BCC";

        if (!can_delegate_action(state, table, word))
            return SMTPD_CHECK_DUNNO;
        if (*word == 'F' && *text == 0) {
            msg_warn("access table %s entry \"%s\" has FILTER entry without value", table, datum);
            return SMTPD_CHECK_DUNNO;
        }
        if (*word == 'F' && strchr(text, ':') == 0) {
            msg_warn("access table %s entry \"%s\" requires transport:destination", table, datum);
            return SMTPD_CHECK_DUNNO;
        }
        if (*word != 'F' && strchr(text, '@') == 0) {
            msg_warn("access table %s entry \"%s\" requires user@domain target", table, datum);
            return SMTPD_CHECK_DUNNO;
        }
        buf = vstring_alloc(100);
        vstring_sprintf(buf, "<%s>: %s triggers %s %s", reply_name, reply_class, word, text);
        smtpd_check_log(state, *word == 'F' ? "filter" : *word == 'R' ? "redirect" : "bcc",
                        vstring_str(buf));
        vstring_free(buf);
        if (*word == 'F')
            replace_string(&state->saved_filter, text);
        else if (*word == 'R')
            replace_string(&state->saved_redirect, text);
        else {
            if (state->saved_bcc == 0)
                state->saved_bcc = argv_alloc(1);
            argv_add(state->saved_bcc, text, (char *)0);
        }
        return SMTPD_CHECK_DUNNO;
    }
    if (action_is(value, len, "HOLD") || action_is(value, len, "DISCARD")) {
        int hold = action_is(value, len, "HOLD");

        if (!can_delegate_action(state, table, hold ? "HOLD" : "DISCARD")
            || (hold && (state->saved_flags & CLEANUP_FLAG_HOLD)))
            return SMTPD_CHECK_DUNNO;
        buf = vstring_alloc(100);
        vstring_sprintf(buf, "<%s>: %s %s", reply_name, reply_class,
                        *text ? text : hold ? "triggers HOLD action" : "triggers DISCARD action");
        smtpd_check_log(state, hold ? "hold" : "discard", vstring_str(buf));
        vstring_free(buf);
        if (hold) {
            state->saved_flags |= CLEANUP_FLAG_HOLD;
            return SMTPD_CHECK_DUNNO;
        }
        state->saved_flags |= CLEANUP_FLAG_DISCARD;
        state->discard = 1;
        return smtpd_check_permit(state, "DISCARD", reply_class, reply_name, table);
    }
    return -1;
}

/* table_recurse - the value names restrictions: evaluate them */
static int table_recurse(SMTPD_STATE *state, const char *table, const char *value,
                         const char *reply_name, const char *reply_class, const char *def_acl)
{
    ARGV *restrictions;
    jmp_buf saved;
    int status;

    if (strchr(value, ':') != 0) {
        msg_warn("access table %s has entry with lookup table: %s", table, value);
        msg_warn("do not specify lookup tables inside SMTPD access maps");
        msg_warn("define a restriction class and specify its name instead.");
        smtpd_check_config_error(state);
    }
    if (state->recursion > 100) {
        msg_warn("access table %s entry %s causes unreasonable recursion", table, value);
        smtpd_check_config_error(state);
    }
    restrictions = argv_splitq(value, ", \t\r\n", "{}");
    memcpy(saved, smtpd_check_jmp, sizeof(saved));
    if ((status = setjmp(smtpd_check_jmp)) != 0) {
        argv_free(restrictions);
        memcpy(smtpd_check_jmp, saved, sizeof(saved));
        longjmp(smtpd_check_jmp, status);
    }
    if (restrictions->argc == 0) {
        msg_warn("access table %s entry %s has empty value", table, value);
        status = SMTPD_CHECK_OK;
    } else {
        status = smtpd_generic_checks(state, restrictions, reply_name, reply_class, def_acl);
    }
    argv_free(restrictions);
    memcpy(smtpd_check_jmp, saved, sizeof(saved));
    return status;
}

/* smtpd_access_table_result - what a table's answer means */
int smtpd_access_table_result(SMTPD_STATE *state, const char *table, const char *value,
                              const char *datum, const char *reply_name, const char *reply_class,
                              const char *def_acl)
{
    size_t len = strcspn(value, " \t");
    const char *text = value + len;
    char *word;
    int status;

    while (*text && isspace((unsigned char)*text))
        text++;
    if (msg_verbose)
        msg_info("smtpd_access_table_result: %s %s %s", table, value, datum);

    if (action_is(value, len, "DUNNO"))
        return SMTPD_CHECK_DUNNO;
    if (action_is(value, len, "REJECT"))
        return table_reject_text(state, var_access_map_reject_code, "5.7.1", text,
                                 "Access denied", reply_name, reply_class);
    if (action_is(value, len, "DEFER"))
        return table_reject_text(state, var_access_map_defer_code, "4.7.1", text,
                                 "Access denied", reply_name, reply_class);
    if (action_is(value, len, "INFO") || action_is(value, len, "WARN")) {
        smtpd_check_log(state, action_is(value, len, "INFO") ? "info" : "warn", text);
        return SMTPD_CHECK_DUNNO;
    }
    if ((status = table_delegated(state, table, value, len, text, datum, reply_name,
                                  reply_class)) >= 0)
        return status;
    if (action_is(value, len, "DEFER_IF_PERMIT") || action_is(value, len, "DEFER_IF_REJECT")) {
        char dsn[16];
        const char *rest;

        smtpd_dsn_split(text, "4.7.1", dsn, &rest);
        if (action_is(value, len, "DEFER_IF_PERMIT"))
            return smtpd_check_defer_if_permit(
                state, SMTPD_TF_DEFER_IF_PERMIT, reply_class, var_access_map_defer_code,
                smtpd_dsn_fix(dsn, reply_class), "<%s>: %s rejected: %s", reply_name,
                reply_class, *rest ? rest : "Service unavailable");
        smtpd_check_defer_if(&state->defer_if_reject, reply_class, var_access_map_defer_code,
                             smtpd_dsn_fix(dsn, reply_class), "<%s>: %s rejected: %s",
                             reply_name, reply_class, *rest ? rest : "Service unavailable");
        return SMTPD_CHECK_DUNNO;
    }
    if (action_is(value, len, "PREPEND")) {
        if (!not_in_client_helo(state, table, "PREPEND"))
            return SMTPD_CHECK_DUNNO;
        if (strcmp(state->where, SMTPD_AFTER_EOM) == 0) {
            msg_warn("access table %s: action PREPEND must be used before %s", table,
                     "smtpd_end_of_data_restrictions");
            return SMTPD_CHECK_DUNNO;
        }
        if (*text == 0 || is_header(text) == 0) {
            msg_warn("access table %s entry \"%s\" requires header: text", table, datum);
            return SMTPD_CHECK_DUNNO;
        }
        if (state->prepend == 0)
            state->prepend = argv_alloc(1);
        argv_add(state->prepend, text, (char *)0);
        return SMTPD_CHECK_DUNNO;
    }
    /* An all-numeric value is OK (some out-of-band authentication stores times). */
    if (alldig(value)) {
        word = mystrndup(value, len);
        status = smtpd_check_permit(state, word, reply_class, reply_name, table);
        myfree(word);
        return status;
    }
    if (len == 3 && *text && (value[0] == '4' || value[0] == '5')
        && isdigit((unsigned char)value[1]) && isdigit((unsigned char)value[2])) {
        char def_dsn[] = "x.7.1";

        def_dsn[0] = value[0];
        return table_reject_text(state, atoi(value), def_dsn, text, "Access denied", reply_name,
                                 reply_class);
    }
    if (action_is(value, len, "OK") || action_is(value, len, "RELAY")) {
        word = mystrndup(value, len);
        status = smtpd_check_permit(state, word, reply_class, reply_name, table);
        myfree(word);
        return status;
    }
    return table_recurse(state, table, value, reply_name, reply_class, def_acl);
}

/* smtpd_access_maps - an opened table, or null */
MAPS *smtpd_access_maps(const char *table)
{
    return access_tables ? (MAPS *)htable_find(access_tables, table) : 0;
}

/* access_maps - the opened table, or null after a warning */
static MAPS *access_maps(const char *table)
{
    MAPS *maps;

    if (access_tables == 0 || (maps = (MAPS *)htable_find(access_tables, table)) == 0) {
        msg_warn("smtpd_check_access: unexpected dictionary: %s", table);
        return 0;
    }
    return maps;
}

/* lookup_result - common tail of one key's lookup; 1 = decided */
static int lookup_result(SMTPD_STATE *state, MAPS *maps, const char *table, const char *key,
                         int flags, const char *datum, int *found, int *status,
                         const char *reply_name, const char *reply_class, const char *def_acl)
{
    const char *value;

    if (maps == 0)
        value = ACCESS_CONFIG_ERROR;
    else if ((value = maps_find(maps, key, flags)) == 0 && maps->error != 0)
        value = ACCESS_CONFIG_ERROR;
    if (value == 0)
        return 0;
    *found = 1;
    *status = smtpd_access_table_result(state, table, value, datum, reply_name, reply_class,
                                        def_acl);
    return 1;
}

/* smtpd_check_access - one key, no derived keys */
int smtpd_check_access(SMTPD_STATE *state, const char *table, const char *key, int *found,
                       const char *reply_name, const char *reply_class, const char *def_acl)
{
    int status = SMTPD_CHECK_DUNNO;

    *found = 0;
    lookup_result(state, access_maps(table), table, key, 0, key, found, &status, reply_name,
                  reply_class, def_acl);
    return status;
}

/* smtpd_check_domain_access - a name, then its parent domains */
int smtpd_check_domain_access(SMTPD_STATE *state, const char *table, const char *domain,
                              int flags, int *found, const char *reply_name,
                              const char *reply_class, const char *def_acl)
{
    MAPS *maps = access_maps(table);
    const char *name;
    const char *next;
    int status = SMTPD_CHECK_DUNNO;

    *found = 0;
    if (maps == 0) {
        lookup_result(state, 0, table, domain, flags, domain, found, &status, reply_name,
                      reply_class, def_acl);
        return status;
    }
    for (name = domain; *name != 0; name = next) {
        if (lookup_result(state, maps, table, name, flags, domain, found, &status, reply_name,
                          reply_class, def_acl))
            return status;
        /* No parent-domain lookups for numerical names. */
        if (valid_hostaddr(domain, DONT_GRIPE))
            break;
        if ((next = strchr(name + 1, '.')) == 0)
            break;
        if (smtpd_access_parent_style == MATCH_FLAG_PARENT)
            next += 1;
        flags = DICT_FLAG_FIXED;
    }
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_check_addr_access - an address, then its shorter networks */
int smtpd_check_addr_access(SMTPD_STATE *state, const char *table, const char *address,
                            int flags, int *found, const char *reply_name,
                            const char *reply_class, const char *def_acl)
{
    MAPS *maps = access_maps(table);
    char *addr = mystrdup(address);
    int delim = strchr(addr, ':') ? ':' : '.';
    int status = SMTPD_CHECK_DUNNO;

    *found = 0;
    do {
        if (lookup_result(state, maps, table, addr, flags, address, found, &status, reply_name,
                          reply_class, def_acl) || maps == 0)
            break;
        flags = DICT_FLAG_FIXED;
    } while (split_at_right(addr, delim));
    myfree(addr);
    return status;
}

/* smtpd_check_namadr_access - host name (and parents), then address (and networks) */
int smtpd_check_namadr_access(SMTPD_STATE *state, const char *table, const char *name,
                              const char *addr, const char *reply_name, const char *reply_class,
                              const char *def_acl)
{
    int found;
    int status;

    status = smtpd_check_domain_access(state, table, name, 0, &found, reply_name, reply_class,
                                       def_acl);
    if (status != SMTPD_CHECK_DUNNO || found)
        return status;
    return smtpd_check_addr_access(state, table, addr, 0, &found, reply_name, reply_class,
                                   def_acl);
}

/* smtpd_check_mail_access - a mail address, as access(5) describes */
int smtpd_check_mail_access(SMTPD_STATE *state, const char *table, const char *addr,
                            const char *reply_name, const char *reply_class, const char *def_acl)
{
    MAIL_ADDR_FIND_ENV env = {var_recipient_delimiter, var_double_bounce_sender,
                              smtpd_is_local_domain, 0};
    const RESOLVE_REPLY *reply;
    const char *value;
    const char *rcpt;
    MAPS *maps;
    int strategy;
    int status;

    reply = smtpd_resolve_addr(strcmp(reply_class, SMTPD_NAME_SENDER) == 0 ? state->recipient
                                                                             : state->sender,
                               addr);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, addr);
    rcpt = vstring_str(reply->recipient);
    if (strrchr(rcpt, '@') == 0) {
        msg_warn("check_mail_access: no @domain in address: %s", rcpt);
        return SMTPD_CHECK_DUNNO;
    }
    strategy = MA_FIND_FULL | MA_FIND_NOEXT | MA_FIND_DOMAIN | MA_FIND_LOCALPART_AT
               | (smtpd_access_parent_style == MATCH_FLAG_PARENT ? MA_FIND_PDMS : MA_FIND_PDDMDS);
    if ((maps = access_maps(table)) == 0)
        return smtpd_access_table_result(state, table, ACCESS_CONFIG_ERROR, rcpt, reply_name,
                                         reply_class, def_acl);
    if ((value = mail_addr_find(maps, rcpt, (char **)0, strategy, &env)) != 0) {
        status = smtpd_access_table_result(state, table, value, rcpt, reply_name, reply_class,
                                           def_acl);
        /* Source-routed recipients are too suspicious for an OK. */
        if (status == SMTPD_CHECK_OK && var_allow_untrusted_routing == 0
            && (reply->flags & RESOLVE_FLAG_ROUTED)
            && strcmp(reply_class, SMTPD_NAME_RECIPIENT) == 0)
            return SMTPD_CHECK_DUNNO;
        return status;
    }
    if (maps->error != 0)
        return smtpd_access_table_result(state, table, ACCESS_CONFIG_ERROR, rcpt, reply_name,
                                         reply_class, def_acl);
    return SMTPD_CHECK_DUNNO;
}

/* server_list - the MX or NS hosts of a domain (null: no restriction applies) */
static DNS_RR *server_list(const char *name, const char *domain, unsigned type)
{
    DNS_RR *list = 0;
    VSTRING *why = vstring_alloc(100);
    int status;

    if (type == DNS_T_A || type == DNS_T_AAAA) {
        vstring_free(why);
        return dns_rr_create(domain, domain, DNS_T_MX, 0, 0, domain, strlen(domain));
    }
    status = dns_lookup(domain, type, &list, 0, why);
    if (status == DNS_NULLMX) {
        dns_rr_free(list);
        vstring_free(why);
        return 0;
    }
    if (status == DNS_NOTFOUND && type == DNS_T_MX) {
        /* A domain without MX is its own mail exchanger. */
        list = dns_rr_create(domain, domain, DNS_T_MX, 0, 0, domain, strlen(domain));
        status = DNS_OK;
    } else if (status == DNS_NOTFOUND && type == DNS_T_NS) {
        /* No NS here: the nearest parent zone's servers. */
        while ((domain = strchr(domain, '.')) != 0 && domain[1]) {
            domain += 1;
            if ((status = dns_lookup(domain, type, &list, 0, why)) != DNS_NOTFOUND)
                break;
        }
    }
    if (status != DNS_OK) {
        msg_warn("Unable to look up %s host for %s: %s", dns_strtype(type),
                 domain && domain[1] ? domain : name, vstring_str(why));
        dns_rr_free(list);
        list = 0;
    }
    vstring_free(why);
    return list;
}

/* server_addr_access - the addresses of one server host */
static int server_addr_access(SMTPD_STATE *state, const char *table, const char *host,
                              unsigned type, int *found, const char *reply_name,
                              const char *reply_class, const char *def_acl)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    VSTRING *addr = vstring_alloc(50);
    int aierr;
    int status = SMTPD_CHECK_DUNNO;

    if ((aierr = hostname_to_sockaddr(host, (char *)0, 0, &res0)) != 0) {
        if (type != DNS_T_A && type != DNS_T_AAAA)
            msg_warn("Unable to look up %s host %s for %s %s: %s", dns_strtype(type), host,
                     reply_class, reply_name, myaddrinfo_strerror(aierr));
        vstring_free(addr);
        return SMTPD_CHECK_DUNNO;
    }
    for (res = res0; res != 0; res = res->ai_next) {
        if (res->ai_family != AF_INET && res->ai_family != AF_INET6)
            continue;
        if (sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, addr, 0) != 0)
            continue;
        status = smtpd_check_addr_access(state, table, vstring_str(addr), 0, found, reply_name,
                                         reply_class, def_acl);
        if (status != SMTPD_CHECK_DUNNO || *found)
            break;
    }
    freeaddrinfo(res0);
    vstring_free(addr);
    return status;
}

/* smtpd_check_server_access - access by the MX, NS or A hosts of a domain */
int smtpd_check_server_access(SMTPD_STATE *state, const char *table, const char *name,
                              unsigned type, const char *reply_name, const char *reply_class,
                              const char *def_acl)
{
    const char *domain;
    DNS_RR *list;
    DNS_RR *rr;
    int found = 0;
    int status = SMTPD_CHECK_DUNNO;

    domain = strrchr(name, '@') ? strrchr(name, '@') + 1 : name;

    /* An address literal is its own mail exchanger; it has no name servers. */
    if (*domain == '[') {
        size_t len = strlen(domain);
        char *bare;

        if ((type != DNS_T_A && type != DNS_T_MX) || domain[len - 1] != ']')
            return SMTPD_CHECK_DUNNO;
        bare = mystrndup(domain + 1, len - 2);
        if (strncasecmp(bare, "IPv6:", 5) == 0)
            memmove(bare, bare + 5, strlen(bare + 5) + 1);
        if (valid_hostaddr(bare, DONT_GRIPE))
            status = smtpd_check_addr_access(state, table, bare, 0, &found, reply_name,
                                             reply_class, def_acl);
        myfree(bare);
        return status;
    }
    if (*domain == 0 || (list = server_list(name, domain, type)) == 0)
        return SMTPD_CHECK_DUNNO;
    for (rr = list; rr != 0; rr = rr->next) {
        if (valid_hostaddr(rr->data, DONT_GRIPE)) {
            status = smtpd_check_addr_access(state, table, rr->data, 0, &found, reply_name,
                                             reply_class, def_acl);
            if (status != SMTPD_CHECK_DUNNO || found)
                break;
            continue;
        }
        if (type != DNS_T_A && type != DNS_T_AAAA) {
            status = smtpd_check_domain_access(state, table, rr->data, 0, &found, reply_name,
                                               reply_class, def_acl);
            if (status != SMTPD_CHECK_DUNNO || found)
                break;
        }
        status = server_addr_access(state, table, rr->data, type, &found, reply_name,
                                    reply_class, def_acl);
        if (status != SMTPD_CHECK_DUNNO || found)
            break;
    }
    dns_rr_free(list);
    return status;
}
