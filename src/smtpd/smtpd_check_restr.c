/*
 * smtpd_check_restr - the restriction evaluator: walks one restriction
 * list (smtpd_client_restrictions and friends, a restriction class, or an
 * access table's list) and runs each restriction by name, until one
 * permits or rejects.
 *
 * Exports smtpd_generic_checks(). Every restriction of Postfix 3.7 is in
 * the name table below; a restriction that takes an argument (a table, a
 * policy service, a DNS list domain, a number) consumes the next word.
 * A bare "type:table" means the stage's own check_*_access.
 *
 * Failure: an unknown restriction name, a missing table argument or an
 * access table that returns OK where that is not allowed is a
 * configuration error: "451 4.3.5 Server configuration error" (logged,
 * and the whole stage answers with it).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "dict.h"
#include "dns_lookup.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "vstream.h"
#include "vstring.h"

typedef struct CHECK_CTX {
    SMTPD_STATE *state;
    char **cpp;              /* the current restriction word */
    const char *name;        /* its name */
    const char *reply_name;  /* what is rejected, for the reply */
    const char *reply_class; /* SMTPD_NAME_* */
    const char *def_acl;     /* check_*_access for bare tables */
    const char *bare_table;  /* a bare "type:table" word, standing for def_acl */
} CHECK_CTX;

typedef int (*CHECK_FN)(CHECK_CTX *ctx);

#define STATE (ctx->state)

/* table_arg - the "type:name" argument of a check_*_access restriction */
static const char *table_arg(CHECK_CTX *ctx)
{
    const char *bare = ctx->bare_table;

    if (bare != 0) {
        ctx->bare_table = 0;
        return bare;
    }
    if (ctx->cpp[1] == 0 || strchr(ctx->cpp[1], ':') == 0) {
        msg_warn("restriction %s: bad argument \"%s\": need maptype:mapname", ctx->name,
                 ctx->cpp[1] ? ctx->cpp[1] : "");
        smtpd_check_config_error(STATE);
    }
    return *++ctx->cpp;
}

/* domain_arg - the DNS list domain of an rbl restriction, or null */
static const char *domain_arg(CHECK_CTX *ctx)
{
    if (ctx->cpp[1] == 0) {
        msg_warn("restriction %s requires domain name argument", ctx->name);
        return 0;
    }
    return *++ctx->cpp;
}

/* ignored_after - warn about restrictions that can never run */
static void ignored_after(CHECK_CTX *ctx)
{
    if (ctx->cpp[1] != 0 && STATE->warn_if_reject == 0)
        msg_warn("restriction `%s' after `%s' is ignored", ctx->cpp[1], ctx->name);
}

/* permit_if - log-aware permit */
static int permit_if(CHECK_CTX *ctx, int status, const char *class, const char *name)
{
    if (status == SMTPD_CHECK_OK)
        return smtpd_check_permit(STATE, ctx->name, class, name, 0);
    return status;
}

/* forbid_allowlist - MX/NS/A access tables may not say OK */
static int forbid_allowlist(CHECK_CTX *ctx, int status, const char *target)
{
    if (STATE->discard == 0 && status == SMTPD_CHECK_OK) {
        msg_warn("restriction %s returns OK for %s", ctx->name, target);
        msg_warn("this is not allowed for security reasons");
        msg_warn("use DUNNO instead of OK if you want to make an exception");
        smtpd_check_config_error(STATE);
    }
    return status;
}

/* Generic restrictions. */

static int do_permit(CHECK_CTX *ctx)
{
    int status = smtpd_check_permit(STATE, ctx->name, ctx->reply_class, ctx->reply_name, 0);

    ignored_after(ctx);
    return status;
}

static int do_reject(CHECK_CTX *ctx)
{
    int status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_reject_code, "5.7.1",
                                    "<%s>: %s rejected: Access denied", ctx->reply_name,
                                    ctx->reply_class);

    ignored_after(ctx);
    return status;
}

static int do_defer(CHECK_CTX *ctx)
{
    int status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_defer_code, "4.3.2",
                                    "<%s>: %s rejected: Try again later", ctx->reply_name,
                                    ctx->reply_class);

    ignored_after(ctx);
    return status;
}

static int do_defer_if_permit(CHECK_CTX *ctx)
{
    return smtpd_check_defer_if_permit(STATE, SMTPD_TF_DEFER_IF_PERMIT, ctx->reply_class, 450,
                                       "4.7.0", "<%s>: %s rejected: defer_if_permit requested",
                                       ctx->reply_name, ctx->reply_class);
}

static int do_defer_if_reject(CHECK_CTX *ctx)
{
    smtpd_check_defer_if(&STATE->defer_if_reject, ctx->reply_class, 450, "4.7.0",
                         "<%s>: %s rejected: defer_if_reject requested", ctx->reply_name,
                         ctx->reply_class);
    return SMTPD_CHECK_DUNNO;
}

/* The engine flags a client that sent ahead where RFC 2920 does not allow it. */
static int do_unauth_pipelining(CHECK_CTX *ctx)
{
    if (STATE->flags & SMTPD_FLAG_ILL_PIPELINING)
        return smtpd_check_reject(STATE, MAIL_ERROR_PROTOCOL, 503, "5.5.0",
                                  "<%s>: %s rejected: Improper use of SMTP command pipelining",
                                  ctx->reply_name, ctx->reply_class);
    return SMTPD_CHECK_DUNNO;
}

static int do_policy(CHECK_CTX *ctx)
{
    if (ctx->cpp[1] == 0 || strchr(ctx->cpp[1], ':') == 0) {
        msg_warn("restriction %s must be followed by transport:server", ctx->name);
        smtpd_check_config_error(STATE);
    }
    return smtpd_policy_check(STATE, *++ctx->cpp, ctx->reply_name, ctx->reply_class,
                              ctx->def_acl);
}

static int do_sleep(CHECK_CTX *ctx)
{
    if (ctx->cpp[1] == 0 || !alldig(ctx->cpp[1])) {
        msg_warn("restriction %s must be followed by number", ctx->name);
        smtpd_check_config_error(STATE);
    }
    if (STATE->client)
        (void)vstream_fflush(STATE->client);
    sleep((unsigned)atoi(*++ctx->cpp));
    return SMTPD_CHECK_DUNNO;
}

static int do_plaintext(CHECK_CTX *ctx)
{
    if (STATE->tls_context == 0)
        return smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_plaintext_reject_code, "4.7.1",
                                  "Session encryption is required");
    return SMTPD_CHECK_DUNNO;
}

static int do_no_tls(CHECK_CTX *ctx)
{
    /* No TLS in this server yet: no client certificate can match. */
    if (strncasecmp(ctx->name, "check_ccert_access", 18) == 0)
        (void)table_arg(ctx);
    if (!var_smtpd_tls_ask_ccert)
        msg_warn("%s is requested, but \"%s = no\"", ctx->name, "smtpd_tls_ask_ccert");
    return SMTPD_CHECK_DUNNO;
}

static int do_no_sasl(CHECK_CTX *ctx)
{
    /* No SASL in this server yet: nobody is authenticated. */
    if (strcasecmp(ctx->name, "check_sasl_access") == 0) {
        (void)table_arg(ctx);
        msg_warn("restriction `%s' ignored: no SASL support", ctx->name);
    }
    return SMTPD_CHECK_DUNNO;
}

/* Client restrictions. */

static int do_unknown_client(CHECK_CTX *ctx)
{
    return smtpd_reject_unknown_client(STATE);
}

static int do_unknown_reverse(CHECK_CTX *ctx)
{
    return smtpd_reject_unknown_reverse(STATE);
}

static int do_inet_interfaces(CHECK_CTX *ctx)
{
    return permit_if(ctx, smtpd_is_own_addr(STATE->addr) ? SMTPD_CHECK_OK : SMTPD_CHECK_DUNNO,
                     SMTPD_NAME_CLIENT, STATE->namaddr);
}

static int do_mynetworks(CHECK_CTX *ctx)
{
    if (namadr_list_match(smtpd_mynetworks, STATE->name, STATE->addr))
        return smtpd_check_permit(STATE, ctx->name, SMTPD_NAME_CLIENT, STATE->namaddr, 0);
    if (smtpd_mynetworks->error == DICT_ERR_RETRY)
        smtpd_check_retry(STATE, ctx->reply_name);
    if (smtpd_mynetworks->error)
        smtpd_check_config_error(STATE);
    return SMTPD_CHECK_DUNNO;
}

static int do_client_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);

    return smtpd_check_namadr_access(STATE, table, STATE->name, STATE->addr, STATE->namaddr,
                                     SMTPD_NAME_CLIENT, ctx->def_acl);
}

static int do_rev_client_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);

    return forbid_allowlist(ctx,
                            smtpd_check_namadr_access(STATE, table, STATE->reverse_name,
                                                      STATE->addr, STATE->reverse_name,
                                                      SMTPD_NAME_REV_CLIENT, ctx->def_acl),
                            STATE->reverse_name);
}

static int do_maps_rbl(CHECK_CTX *ctx)
{
    static int warned;
    char *saved = mystrdup(var_maps_rbl_domains);
    char *bp = saved;
    char *domain;
    int status = SMTPD_CHECK_DUNNO;

    if (warned++ == 0)
        msg_warn("support for restriction \"%s\" will be removed from %s; use \"%s domain-name\" "
                 "instead",
                 "reject_maps_rbl", var_mail_name, "reject_rbl_client");
    while (status == SMTPD_CHECK_DUNNO && (domain = mystrtok(&bp, ", \t\r\n")) != 0)
        status = smtpd_reject_rbl_addr(STATE, domain, STATE->addr, SMTPD_NAME_CLIENT);
    myfree(saved);
    return status;
}

static int do_rbl_client(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    return domain ? smtpd_reject_rbl_addr(STATE, domain, STATE->addr, SMTPD_NAME_CLIENT)
                  : SMTPD_CHECK_DUNNO;
}

static int do_dnswl_client(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0)
        return SMTPD_CHECK_DUNNO;
    return permit_if(ctx, smtpd_permit_dnswl_addr(STATE, domain, STATE->addr, SMTPD_NAME_CLIENT),
                     SMTPD_NAME_CLIENT, STATE->namaddr);
}

static int do_rhsbl_client(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || strcasecmp(STATE->name, CLIENT_NAME_UNKNOWN) == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_rbl_domain(STATE, domain, STATE->name, SMTPD_NAME_CLIENT);
}

static int do_rhswl_client(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || strcasecmp(STATE->name, CLIENT_NAME_UNKNOWN) == 0)
        return SMTPD_CHECK_DUNNO;
    return permit_if(ctx,
                     smtpd_permit_dnswl_domain(STATE, domain, STATE->name, SMTPD_NAME_CLIENT),
                     SMTPD_NAME_CLIENT, STATE->namaddr);
}

static int do_rhsbl_rev_client(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || strcasecmp(STATE->reverse_name, CLIENT_NAME_UNKNOWN) == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_rbl_domain(STATE, domain, STATE->reverse_name, SMTPD_NAME_REV_CLIENT);
}

/* server_check - check_*_{ns,mx,a}_access for one name */
static int server_check(CHECK_CTX *ctx, const char *name, unsigned type, const char *reply_name,
                        const char *reply_class)
{
    const char *table = table_arg(ctx);

    if (name == 0 || *name == 0)
        return SMTPD_CHECK_DUNNO;
    return forbid_allowlist(ctx,
                            smtpd_check_server_access(STATE, table, name, type, reply_name,
                                                      reply_class, ctx->def_acl),
                            name);
}

/* server_type - NS, MX or A from the restriction name */
static unsigned server_type(const char *name)
{
    size_t len = strlen(name);

    if (len > 10 && strcasecmp(name + len - 10, "_ns_access") == 0)
        return DNS_T_NS;
    if (len > 10 && strcasecmp(name + len - 10, "_mx_access") == 0)
        return DNS_T_MX;
    return DNS_T_A;
}

static int do_client_server(CHECK_CTX *ctx)
{
    if (strcasecmp(STATE->name, CLIENT_NAME_UNKNOWN) == 0) {
        (void)table_arg(ctx);
        return SMTPD_CHECK_DUNNO;
    }
    return server_check(ctx, STATE->name, server_type(ctx->name), STATE->namaddr,
                        SMTPD_NAME_CLIENT);
}

static int do_rev_client_server(CHECK_CTX *ctx)
{
    if (strcasecmp(STATE->reverse_name, CLIENT_NAME_UNKNOWN) == 0) {
        (void)table_arg(ctx);
        return SMTPD_CHECK_DUNNO;
    }
    return server_check(ctx, STATE->reverse_name, server_type(ctx->name), STATE->reverse_name,
                        SMTPD_NAME_REV_CLIENT);
}

/* HELO restrictions. */

/* helo_copy - the HELO name without one trailing dot */
static char *helo_copy(const char *name)
{
    size_t len = strlen(name);

    if (len > 1 && name[len - 1] == '.' && name[len - 2] != '.')
        return mystrndup(name, len - 1);
    return mystrdup(name);
}

/* invalid_hostaddr - [address] HELO argument check */
static int invalid_hostaddr(CHECK_CTX *ctx, const char *addr)
{
    size_t len = strlen(addr);
    char *bare;
    const char *test;
    int ok;

    bare = (addr[0] == '[' && len > 2 && addr[len - 1] == ']') ? mystrndup(addr + 1, len - 2)
                                                                 : mystrdup(addr);
    test = strncasecmp(bare, "IPv6:", 5) == 0 ? bare + 5 : bare;
    ok = (test == bare) ? valid_ipv4_hostaddr(test, DONT_GRIPE)
                        : valid_ipv6_hostaddr(test, DONT_GRIPE);
    myfree(bare);
    if (!ok)
        return smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_invalid_hostname_reject_code,
                                  "5.5.2", "<%s>: %s rejected: invalid ip address", addr,
                                  SMTPD_NAME_HELO);
    return SMTPD_CHECK_DUNNO;
}

static int do_helo_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);
    int found;

    if (STATE->helo_name == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_check_domain_access(STATE, table, STATE->helo_name, 0, &found,
                                     STATE->helo_name, SMTPD_NAME_HELO, ctx->def_acl);
}

static int do_invalid_helo(CHECK_CTX *ctx)
{
    char *name;
    int status = SMTPD_CHECK_DUNNO;

    if (STATE->helo_name == 0)
        return SMTPD_CHECK_DUNNO;
    if (*STATE->helo_name == '[')
        return invalid_hostaddr(ctx, STATE->helo_name);
    name = helo_copy(STATE->helo_name);
    if (!valid_hostname(name, DONT_GRIPE) && !valid_hostaddr(name, DONT_GRIPE))
        status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_invalid_hostname_reject_code,
                                    "5.5.2", "<%s>: %s rejected: Invalid name", STATE->helo_name,
                                    SMTPD_NAME_HELO);
    myfree(name);
    return status;
}

static int do_unknown_helo(CHECK_CTX *ctx)
{
    if (STATE->helo_name == 0)
        return SMTPD_CHECK_DUNNO;
    if (*STATE->helo_name == '[')
        return invalid_hostaddr(ctx, STATE->helo_name);
    return smtpd_reject_unknown_hostname(STATE, STATE->helo_name, STATE->helo_name,
                                         SMTPD_NAME_HELO);
}

static int do_non_fqdn_helo(CHECK_CTX *ctx)
{
    char *name;
    int status = SMTPD_CHECK_DUNNO;

    if (STATE->helo_name == 0)
        return SMTPD_CHECK_DUNNO;
    if (*STATE->helo_name == '[')
        return invalid_hostaddr(ctx, STATE->helo_name);
    name = helo_copy(STATE->helo_name);
    if (!valid_hostname(name, DONT_GRIPE) || strchr(name, '.') == 0)
        status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_non_fqdn_reject_code, "5.5.2",
                                    "<%s>: %s rejected: need fully-qualified hostname",
                                    STATE->helo_name, SMTPD_NAME_HELO);
    myfree(name);
    return status;
}

static int do_naked_ip(CHECK_CTX *ctx)
{
    int status;

    msg_warn("restriction %s is deprecated. Use %s or %s instead", ctx->name,
             "permit_mynetworks", "permit_sasl_authenticated");
    if (STATE->helo_name == 0
        || STATE->helo_name[strspn(STATE->helo_name, "0123456789.:")] != 0)
        return SMTPD_CHECK_DUNNO;
    if ((status = invalid_hostaddr(ctx, STATE->helo_name)) != SMTPD_CHECK_DUNNO)
        return status;
    return smtpd_check_permit(STATE, ctx->name, SMTPD_NAME_HELO, STATE->helo_name, 0);
}

static int do_helo_server(CHECK_CTX *ctx)
{
    if (STATE->helo_name == 0) {
        (void)table_arg(ctx);
        return SMTPD_CHECK_DUNNO;
    }
    return server_check(ctx, STATE->helo_name, server_type(ctx->name), STATE->helo_name,
                        SMTPD_NAME_HELO);
}

static int do_rhsbl_helo(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || STATE->helo_name == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_rbl_domain(STATE, domain, STATE->helo_name, SMTPD_NAME_HELO);
}

/* Sender and recipient restrictions. */

#define HAVE_SENDER(s) ((s)->sender != 0 && *(s)->sender != 0)
#define HAVE_RCPT(s) ((s)->recipient != 0 && *(s)->recipient != 0)

static int do_sender_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);
    int found;

    if (HAVE_SENDER(STATE))
        return smtpd_check_mail_access(STATE, table, STATE->sender, STATE->sender,
                                       SMTPD_NAME_SENDER, ctx->def_acl);
    if (STATE->sender != 0)
        return smtpd_check_access(STATE, table, var_smtpd_null_access_lookup_key, &found,
                                  STATE->sender, SMTPD_NAME_SENDER, ctx->def_acl);
    return SMTPD_CHECK_DUNNO;
}

static int do_unknown_sender(CHECK_CTX *ctx)
{
    if (!HAVE_SENDER(STATE))
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_unknown_address(STATE, STATE->sender, STATE->sender, SMTPD_NAME_SENDER);
}

static int do_unverified_sender(CHECK_CTX *ctx)
{
    return HAVE_SENDER(STATE) ? smtpd_reject_unverified(STATE, STATE->sender, SMTPD_NAME_SENDER)
                              : SMTPD_CHECK_DUNNO;
}

/* non_fqdn_address - the domain of an address is not a full host name */
static int non_fqdn_address(CHECK_CTX *ctx, const char *addr, const char *reply_class)
{
    const char *at = strrchr(addr, '@');
    const char *domain = at ? at + 1 : "";
    char *name;
    int status = SMTPD_CHECK_DUNNO;
    size_t len = strlen(domain);

    if (domain[0] == '[' && len > 0 && domain[len - 1] == ']')
        return SMTPD_CHECK_DUNNO;
    name = helo_copy(domain);
    if (*name == 0 || !valid_hostname(name, DONT_GRIPE) || strchr(name, '.') == 0)
        status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_non_fqdn_reject_code, "4.5.2",
                                    "<%s>: %s rejected: need fully-qualified address", addr,
                                    reply_class);
    myfree(name);
    return status;
}

static int do_non_fqdn_sender(CHECK_CTX *ctx)
{
    return HAVE_SENDER(STATE) ? non_fqdn_address(ctx, STATE->sender, SMTPD_NAME_SENDER)
                              : SMTPD_CHECK_DUNNO;
}

static int do_login_mismatch(CHECK_CTX *ctx)
{
    if (!var_smtpd_sasl_auth_enable) {
        msg_warn("restriction `%s' ignored: no SASL support", ctx->name);
        return SMTPD_CHECK_DUNNO;
    }
    return smtpd_reject_sender_login_mismatch(STATE, ctx->name);
}

static int do_sender_server(CHECK_CTX *ctx)
{
    if (!HAVE_SENDER(STATE)) {
        (void)table_arg(ctx);
        return SMTPD_CHECK_DUNNO;
    }
    return server_check(ctx, STATE->sender, server_type(ctx->name), STATE->sender,
                        SMTPD_NAME_SENDER);
}

static int do_rhsbl_sender(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || !HAVE_SENDER(STATE))
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_rbl_domain(STATE, domain, STATE->sender, SMTPD_NAME_SENDER);
}

static int do_unlisted_sender(CHECK_CTX *ctx)
{
    return HAVE_SENDER(STATE) ? smtpd_check_unlisted_sender(STATE) : SMTPD_CHECK_DUNNO;
}

static int do_rcpt_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);

    if (STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_check_mail_access(STATE, table, STATE->recipient, STATE->recipient,
                                   SMTPD_NAME_RECIPIENT, ctx->def_acl);
}

static int do_mx_backup(CHECK_CTX *ctx)
{
    if (STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    return permit_if(ctx,
                     smtpd_permit_mx_backup(STATE, STATE->recipient, STATE->recipient,
                                            SMTPD_NAME_RECIPIENT),
                     SMTPD_NAME_RECIPIENT, STATE->recipient);
}

static int do_auth_destination(CHECK_CTX *ctx)
{
    if (STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    return permit_if(ctx, smtpd_permit_auth_destination(STATE, STATE->recipient),
                     SMTPD_NAME_RECIPIENT, STATE->recipient);
}

static int do_unauth_destination(CHECK_CTX *ctx)
{
    int defer = tolower((unsigned char)ctx->name[0]) == 'd';

    if (STATE->recipient == 0
        || smtpd_permit_auth_destination(STATE, STATE->recipient) == SMTPD_CHECK_OK)
        return SMTPD_CHECK_DUNNO;
    return smtpd_check_reject(STATE, MAIL_ERROR_POLICY,
                              defer ? var_relay_domains_reject_code - 100
                                    : var_relay_domains_reject_code,
                              defer ? "4.7.1" : "5.7.1", "<%s>: Relay access denied",
                              STATE->recipient);
}

static int do_check_relay_domains(CHECK_CTX *ctx)
{
    static int warned;
    int status;

    if (warned++ == 0)
        msg_warn("support for restriction \"%s\" will be removed from %s; use \"%s\" instead",
                 "check_relay_domains", var_mail_name, "reject_unauth_destination");
    if (STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    /* The old rule: a client whose name is in relay_domains may relay. */
    if (domain_list_match(smtpd_relay_domains, STATE->name)
        || smtpd_permit_auth_destination(STATE, STATE->recipient) == SMTPD_CHECK_OK)
        status = smtpd_check_permit(STATE, ctx->name, SMTPD_NAME_RECIPIENT, STATE->recipient, 0);
    else if (smtpd_relay_domains->error)
        smtpd_check_retry(STATE, STATE->recipient);
    else
        status = smtpd_check_reject(STATE, MAIL_ERROR_POLICY, var_relay_domains_reject_code,
                                    "5.7.1", "<%s>: %s rejected: Relay access denied",
                                    STATE->recipient, SMTPD_NAME_RECIPIENT);
    ignored_after(ctx);
    return status;
}

static int do_unknown_rcpt(CHECK_CTX *ctx)
{
    if (STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_unknown_address(STATE, STATE->recipient, STATE->recipient,
                                        SMTPD_NAME_RECIPIENT);
}

static int do_non_fqdn_rcpt(CHECK_CTX *ctx)
{
    return STATE->recipient ? non_fqdn_address(ctx, STATE->recipient, SMTPD_NAME_RECIPIENT)
                            : SMTPD_CHECK_DUNNO;
}

static int do_rcpt_server(CHECK_CTX *ctx)
{
    if (!HAVE_RCPT(STATE)) {
        (void)table_arg(ctx);
        return SMTPD_CHECK_DUNNO;
    }
    return server_check(ctx, STATE->recipient, server_type(ctx->name), STATE->recipient,
                        SMTPD_NAME_RECIPIENT);
}

static int do_rhsbl_rcpt(CHECK_CTX *ctx)
{
    const char *domain = domain_arg(ctx);

    if (domain == 0 || STATE->recipient == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_reject_rbl_domain(STATE, domain, STATE->recipient, SMTPD_NAME_RECIPIENT);
}

static int do_unlisted_rcpt(CHECK_CTX *ctx)
{
    return HAVE_RCPT(STATE) ? smtpd_check_unlisted_rcpt(STATE) : SMTPD_CHECK_DUNNO;
}

static int do_multi_rcpt_bounce(CHECK_CTX *ctx)
{
    if (STATE->sender && *STATE->sender == 0
        && STATE->rcpt_count > (strcmp(STATE->where, SMTPD_CMD_RCPT) != 0))
        return smtpd_check_reject(STATE, MAIL_ERROR_POLICY,
                                  var_multi_recipient_bounce_reject_code, "5.5.3",
                                  "<%s>: %s rejected: Multi-recipient bounce", ctx->reply_name,
                                  ctx->reply_class);
    return SMTPD_CHECK_DUNNO;
}

static int do_unverified_rcpt(CHECK_CTX *ctx)
{
    return HAVE_RCPT(STATE)
               ? smtpd_reject_unverified(STATE, STATE->recipient, SMTPD_NAME_RECIPIENT)
               : SMTPD_CHECK_DUNNO;
}

static int do_etrn_access(CHECK_CTX *ctx)
{
    const char *table = table_arg(ctx);
    int found;

    if (STATE->etrn_name == 0)
        return SMTPD_CHECK_DUNNO;
    return smtpd_check_domain_access(STATE, table, STATE->etrn_name, 0, &found,
                                     STATE->etrn_name, SMTPD_NAME_ETRN, ctx->def_acl);
}

static const struct {
    const char *name;
    CHECK_FN fn;
} check_table[] = {
    {"permit", do_permit},
    {"reject", do_reject},
    {"defer", do_defer},
    {"defer_if_permit", do_defer_if_permit},
    {"defer_if_reject", do_defer_if_reject},
    {"reject_unauth_pipelining", do_unauth_pipelining},
    {"check_policy_service", do_policy},
    {"sleep", do_sleep},
    {"reject_plaintext_session", do_plaintext},
    {"check_ccert_access", do_no_tls},
    {"permit_tls_clientcerts", do_no_tls},
    {"permit_tls_all_clientcerts", do_no_tls},
    {"check_sasl_access", do_no_sasl},
    {"permit_sasl_authenticated", do_no_sasl},
    {"reject_unknown_client_hostname", do_unknown_client},
    {"reject_unknown_client", do_unknown_client},
    {"reject_unknown_reverse_client_hostname", do_unknown_reverse},
    {"permit_inet_interfaces", do_inet_interfaces},
    {"permit_mynetworks", do_mynetworks},
    {"check_client_access", do_client_access},
    {"check_reverse_client_hostname_access", do_rev_client_access},
    {"reject_maps_rbl", do_maps_rbl},
    {"reject_rbl_client", do_rbl_client},
    {"reject_rbl", do_rbl_client},
    {"permit_dnswl_client", do_dnswl_client},
    {"reject_rhsbl_client", do_rhsbl_client},
    {"permit_rhswl_client", do_rhswl_client},
    {"reject_rhsbl_reverse_client", do_rhsbl_rev_client},
    {"check_client_ns_access", do_client_server},
    {"check_client_mx_access", do_client_server},
    {"check_client_a_access", do_client_server},
    {"check_reverse_client_hostname_ns_access", do_rev_client_server},
    {"check_reverse_client_hostname_mx_access", do_rev_client_server},
    {"check_reverse_client_hostname_a_access", do_rev_client_server},
    {"check_helo_access", do_helo_access},
    {"reject_invalid_helo_hostname", do_invalid_helo},
    {"reject_invalid_hostname", do_invalid_helo},
    {"reject_unknown_helo_hostname", do_unknown_helo},
    {"reject_unknown_hostname", do_unknown_helo},
    {"reject_non_fqdn_helo_hostname", do_non_fqdn_helo},
    {"reject_non_fqdn_hostname", do_non_fqdn_helo},
    {"permit_naked_ip_address", do_naked_ip},
    {"check_helo_ns_access", do_helo_server},
    {"check_helo_mx_access", do_helo_server},
    {"check_helo_a_access", do_helo_server},
    {"reject_rhsbl_helo", do_rhsbl_helo},
    {"check_sender_access", do_sender_access},
    {"reject_unknown_sender_domain", do_unknown_sender},
    {"reject_unknown_address", do_unknown_sender},
    {"reject_unverified_sender", do_unverified_sender},
    {"reject_non_fqdn_sender", do_non_fqdn_sender},
    {"reject_authenticated_sender_login_mismatch", do_login_mismatch},
    {"reject_known_sender_login_mismatch", do_login_mismatch},
    {"reject_unauthenticated_sender_login_mismatch", do_login_mismatch},
    {"reject_sender_login_mismatch", do_login_mismatch},
    {"check_sender_ns_access", do_sender_server},
    {"check_sender_mx_access", do_sender_server},
    {"check_sender_a_access", do_sender_server},
    {"reject_rhsbl_sender", do_rhsbl_sender},
    {"reject_unlisted_sender", do_unlisted_sender},
    {"check_recipient_access", do_rcpt_access},
    {"permit_mx_backup", do_mx_backup},
    {"permit_auth_destination", do_auth_destination},
    {"reject_unauth_destination", do_unauth_destination},
    {"defer_unauth_destination", do_unauth_destination},
    {"check_relay_domains", do_check_relay_domains},
    {"reject_unknown_recipient_domain", do_unknown_rcpt},
    {"reject_non_fqdn_recipient", do_non_fqdn_rcpt},
    {"check_recipient_ns_access", do_rcpt_server},
    {"check_recipient_mx_access", do_rcpt_server},
    {"check_recipient_a_access", do_rcpt_server},
    {"reject_rhsbl_recipient", do_rhsbl_rcpt},
    {"check_recipient_maps", do_unlisted_rcpt},
    {"reject_unlisted_recipient", do_unlisted_rcpt},
    {"reject_multi_recipient_bounce", do_multi_rcpt_bounce},
    {"reject_unverified_recipient", do_unverified_rcpt},
    {"check_etrn_access", do_etrn_access},
};

/* find_check - the function of a restriction name, or null */
static CHECK_FN find_check(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(check_table) / sizeof(check_table[0]); i++)
        if (strcasecmp(check_table[i].name, name) == 0)
            return check_table[i].fn;
    return 0;
}

/* run_one - one restriction word (and its arguments) */
static int run_one(CHECK_CTX *ctx)
{
    CHECK_FN fn;
    ARGV *list;

    if ((fn = find_check(ctx->name)) != 0)
        return fn(ctx);
    if ((list = (ARGV *)htable_find(smtpd_rest_classes, ctx->name)) != 0)
        return smtpd_generic_checks(STATE, list, ctx->reply_name, ctx->reply_class,
                                    ctx->def_acl);
    msg_warn("unknown smtpd restriction: \"%s\"", ctx->name);
    smtpd_check_config_error(STATE);
}

/* smtpd_generic_checks - evaluate one restriction list */
int smtpd_generic_checks(SMTPD_STATE *state, ARGV *restrictions, const char *reply_name,
                         const char *reply_class, const char *def_acl)
{
    CHECK_CTX ctx;
    int status = SMTPD_CHECK_DUNNO;
    int saved_recursion = state->recursion++;

    ctx.state = state;
    ctx.reply_name = reply_name;
    ctx.reply_class = reply_class;
    ctx.def_acl = def_acl;
    ctx.bare_table = 0;
    for (ctx.cpp = restrictions->argv; *ctx.cpp != 0; ctx.cpp++) {
        if (state->discard != 0)
            break;
        ctx.name = *ctx.cpp;
        ctx.bare_table = 0;
        if (strcasecmp(ctx.name, "warn_if_reject") == 0) {
            if (state->warn_if_reject == 0)
                state->warn_if_reject = state->recursion;
            continue;
        }
        /* A bare table is the stage's own access check. */
        if (strchr(ctx.name, ':') != 0) {
            if (def_acl == 0) {
                msg_warn("specify one of (%s, %s, %s, %s, %s, %s) before %s restriction \"%s\"",
                         "check_client_access", "check_reverse_client_hostname_access",
                         "check_helo_access", "check_sender_access", "check_recipient_access",
                         "check_etrn_access", reply_class, ctx.name);
                smtpd_check_config_error(state);
            }
            ctx.bare_table = ctx.name;
            ctx.name = def_acl;
        }
        if (msg_verbose)
            msg_info("generic_checks: name=%s", ctx.name);
        status = run_one(&ctx);
        if (state->warn_if_reject >= state->recursion)
            state->warn_if_reject = 0;
        if (status != SMTPD_CHECK_DUNNO)
            break;
        if (state->defer_if_permit.active && state->defer_if_reject.active)
            break;
    }
    state->recursion = saved_recursion;
    if (state->warn_if_reject >= state->recursion)
        state->warn_if_reject = 0;
    return status;
}
