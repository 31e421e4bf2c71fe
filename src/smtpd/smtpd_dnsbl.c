/*
 * smtpd_dnsbl - DNS-based lists: reject_rbl_client, reject_rhsbl_client,
 * _reverse_client, _helo, _sender, _recipient, permit_dnswl_client and
 * permit_rhswl_client, with the "domain=127.0.0.[2..4]" reply filter,
 * rbl_reply_maps/default_rbl_reply templates and a per-process cache.
 *
 * Exports smtpd_dnsbl_init(), smtpd_reject_rbl_addr/domain() and
 * smtpd_permit_dnswl_addr/domain().
 *
 * Failure: a list server that cannot be reached never blocks mail: the
 * lookup is logged ("RBL lookup error") and counts as "not listed"; for an
 * allow-list it turns a later reject into a deferral. A malformed reply
 * pattern is a fatal configuration error, a failing rbl_reply_maps a 451.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "argv.h"
#include "dict.h"
#include "dns_lookup.h"
#include "htable.h"
#include "mac_expand.h"
#include "mail_params.h"
#include "maps.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "vstring.h"

#define RBL_CACHE_SIZE 100
#define RBL_TXT_LIMIT 500

typedef struct RBL_RESULT {
    int soft;      /* the lookup could not be done */
    int listed;    /* there were A records */
    ARGV *addrs;   /* the A records, printable */
    char *txt;     /* TXT records joined with " / ", or null */
} RBL_RESULT;

static HTABLE *rbl_cache;
static MAPS *rbl_reply_maps;
static VSTRING *expand_filter;

/* rbl_result_free - htable destructor */
static void rbl_result_free(void *ptr)
{
    RBL_RESULT *rbl = (RBL_RESULT *)ptr;

    if (rbl->addrs)
        argv_free(rbl->addrs);
    if (rbl->txt)
        myfree(rbl->txt);
    myfree(rbl);
}

/* unescape_filter - the expansion filter with its \t, \\ and \ooo escapes done */
static void unescape_filter(VSTRING *out, const char *in)
{
    int c;
    int n;

    vstring_strcpy(out, "");
    while ((c = (unsigned char)*in++) != 0) {
        if (c == '\\' && *in) {
            c = (unsigned char)*in++;
            if (c == 't')
                c = '\t';
            else if (c == 'n')
                c = '\n';
            else if (c >= '0' && c <= '7') {
                for (n = c - '0'; *in >= '0' && *in <= '7'; in++)
                    n = n * 8 + (*in - '0');
                c = n & 0xff;
            }
        }
        VSTRING_ADDCH(out, c);
    }
    VSTRING_TERMINATE(out);
}

/* smtpd_dnsbl_init - once per process */
void smtpd_dnsbl_init(void)
{
    rbl_cache = htable_create(RBL_CACHE_SIZE);
    rbl_reply_maps = maps_create("rbl_reply_maps", var_rbl_reply_maps,
                                 DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    expand_filter = vstring_alloc(100);
    unescape_filter(expand_filter, var_smtpd_expansion_filter);
}

/* rbl_lookup - A (and TXT) records of one query name, cached */
static RBL_RESULT *rbl_lookup(const char *query)
{
    RBL_RESULT *rbl;
    DNS_RR *list;
    DNS_RR *rr;
    VSTRING *why;
    VSTRING *buf;
    int status;

    if ((rbl = (RBL_RESULT *)htable_find(rbl_cache, query)) != 0)
        return rbl;
    rbl = (RBL_RESULT *)mymalloc(sizeof(*rbl));
    memset(rbl, 0, sizeof(*rbl));
    why = vstring_alloc(100);
    status = dns_lookup(query, DNS_T_A, &list, 0, why);
    if (status == DNS_OK) {
        rbl->listed = 1;
        rbl->addrs = argv_alloc(2);
        buf = vstring_alloc(50);
        for (rr = list; rr; rr = rr->next)
            if (dns_rr_to_addr(rr, buf))
                argv_add(rbl->addrs, vstring_str(buf), (char *)0);
        dns_rr_free(list);
        if (dns_lookup(query, DNS_T_TXT, &list, 0, 0) == DNS_OK) {
            vstring_strcpy(buf, "");
            for (rr = list; rr && VSTRING_LEN(buf) < RBL_TXT_LIMIT; rr = rr->next) {
                vstring_strncat(buf, rr->data, RBL_TXT_LIMIT - VSTRING_LEN(buf));
                if (rr->next && VSTRING_LEN(buf) + 3 < RBL_TXT_LIMIT)
                    vstring_strcat(buf, " / ");
            }
            rbl->txt = mystrdup(vstring_str(buf));
        }
        dns_rr_free(list);
        vstring_free(buf);
    } else if (status != DNS_NOTFOUND) {
        msg_warn("%s: RBL lookup error: %s", query, vstring_str(why));
        rbl->soft = 1;
        dns_rr_free(list);
    }
    vstring_free(why);
    /* Soft failures are not cached: the next client deserves a new try. */
    if (rbl->soft == 0) {
        if (rbl_cache->used >= RBL_CACHE_SIZE) {
            htable_free(rbl_cache, rbl_result_free);
            rbl_cache = htable_create(RBL_CACHE_SIZE);
        }
        htable_enter(rbl_cache, query, rbl);
    }
    return rbl;
}

/* octet_match - one octet pattern: "n", or "[n;m..k;...]" */
static int octet_match(const char *pat, int value)
{
    char *copy;
    char *cp;
    char *elem;
    char *hi;
    int ok = 0;
    size_t len = strlen(pat);

    if (pat[0] != '[') {
        if (!alldig(pat) || len > 3)
            msg_fatal("RBL reply error: bad octet value: %s", pat);
        return atoi(pat) == value;
    }
    if (len < 3 || pat[len - 1] != ']')
        msg_fatal("RBL reply error: missing \"]\" in: %s", pat);
    cp = copy = mystrndup(pat + 1, len - 2);
    while ((elem = mystrtok(&cp, ";")) != 0) {
        if ((hi = strstr(elem, "..")) != 0) {
            *hi = 0;
            hi += 2;
            if (!alldig(elem) || !alldig(hi) || *elem == 0 || *hi == 0)
                msg_fatal("RBL reply error: bad octet range: %s", pat);
            if (value >= atoi(elem) && value <= atoi(hi))
                ok = 1;
        } else {
            if (!alldig(elem) || *elem == 0)
                msg_fatal("RBL reply error: bad octet value: %s", pat);
            if (value == atoi(elem))
                ok = 1;
        }
    }
    myfree(copy);
    return ok;
}

/* reply_addr_match - does an A record match "a.b.c.d" with [..] octets */
static int reply_addr_match(const char *pattern, const char *addr)
{
    ARGV *pats = argv_splitq(pattern, ".", "[]");
    ARGV *vals = argv_split(addr, ".");
    int ok = 0;
    int i;

    if (pats->argc != 4)
        msg_fatal("RBL reply error: need four octets in address pattern: %s", pattern);
    if (vals->argc == 4) {
        for (ok = 1, i = 0; i < 4 && ok; i++)
            ok = octet_match(pats->argv[i], atoi(vals->argv[i]));
    }
    argv_free(pats);
    argv_free(vals);
    return ok;
}

/*
 * find_dnsxl - look up query (already "name.domain[=pattern]"): 0 not
 * listed, 1 listed, -1 could not tell.
 */
static int find_dnsxl(const char *query_spec, const RBL_RESULT **result)
{
    char *query = mystrdup(query_spec);
    char *pattern = split_at(query, '=');
    RBL_RESULT *rbl;
    int i;
    int status;

    rbl = rbl_lookup(query);
    *result = rbl;
    if (rbl->soft)
        status = -1;
    else if (!rbl->listed)
        status = 0;
    else if (pattern == 0)
        status = 1;
    else {
        for (status = 0, i = 0; i < rbl->addrs->argc && !status; i++)
            status = reply_addr_match(pattern, rbl->addrs->argv[i]);
    }
    if (rbl->soft)
        rbl_result_free(rbl);
    myfree(query);
    return status;
}

typedef struct {
    SMTPD_STATE *state;
    const char *domain;
    const char *what;
    const char *class;
    const char *txt;
    char code[16];
} RBL_EXPAND;

/* addr_part - local part or domain of an address for $sender_name etc. */
static const char *addr_part(SMTPD_STATE *state, const char *addr, int want_domain)
{
    const char *at;

    if (addr == 0)
        return 0;
    at = strrchr(addr, '@');
    if (want_domain)
        return at ? at + 1 : "";
    vstring_strncpy(state->expand_buf, addr, at ? (size_t)(at - addr) : strlen(addr));
    return vstring_str(state->expand_buf);
}

/* rbl_expand_lookup - the $names of an RBL reply template */
static const char *rbl_expand_lookup(const char *name, int mode, void *context)
{
    RBL_EXPAND *ctx = (RBL_EXPAND *)context;
    SMTPD_STATE *state = ctx->state;

    (void)mode;
    if (state->expand_buf == 0)
        state->expand_buf = vstring_alloc(100);
    if (strcmp(name, "rbl_code") == 0)
        return ctx->code;
    if (strcmp(name, "rbl_domain") == 0)
        return ctx->domain;
    if (strcmp(name, "rbl_reason") == 0 || strcmp(name, "rbl_txt") == 0)
        return ctx->txt;
    if (strcmp(name, "rbl_what") == 0)
        return ctx->what;
    if (strcmp(name, "rbl_class") == 0)
        return ctx->class;
    if (strcmp(name, "client_address") == 0)
        return state->addr;
    if (strcmp(name, "client_name") == 0)
        return state->name;
    if (strcmp(name, "reverse_client_name") == 0)
        return state->reverse_name;
    if (strcmp(name, "client_port") == 0)
        return state->port;
    if (strcmp(name, "helo_name") == 0)
        return state->helo_name;
    if (strcmp(name, "sender") == 0)
        return state->sender;
    if (strcmp(name, "sender_name") == 0)
        return addr_part(state, state->sender, 0);
    if (strcmp(name, "sender_domain") == 0)
        return addr_part(state, state->sender, 1);
    if (strcmp(name, "recipient") == 0)
        return state->recipient;
    if (strcmp(name, "recipient_name") == 0)
        return addr_part(state, state->recipient, 0);
    if (strcmp(name, "recipient_domain") == 0)
        return addr_part(state, state->recipient, 1);
    if (strcmp(name, "protocol") == 0)
        return state->protocol;
    return 0;
}

/* rbl_reject_reply - the reply for a listed client or domain */
static int rbl_reject_reply(SMTPD_STATE *state, const RBL_RESULT *rbl, const char *rbl_domain,
                            const char *what, const char *reply_class)
{
    const char *template = 0;
    VSTRING *why = vstring_alloc(100);
    RBL_EXPAND ctx;
    char *domain = mystrdup(rbl_domain);
    char dsn[16];
    const char *text;
    const char *reply;
    int result;

    if (*var_rbl_reply_maps) {
        template = maps_find(rbl_reply_maps, rbl_domain, 0);
        if (rbl_reply_maps->error) {
            myfree(domain);
            vstring_free(why);
            smtpd_check_config_error(state);
        }
    }
    (void)split_at(domain, '=');
    ctx.state = state;
    ctx.domain = domain;
    ctx.what = what;
    ctx.class = reply_class;
    ctx.txt = rbl->txt ? rbl->txt : "";
    snprintf(ctx.code, sizeof(ctx.code), "%d", var_maps_rbl_reject_code);
    for (;;) {
        if (template == 0)
            template = var_default_rbl_reply;
        if ((mac_expand(why, template, MAC_EXP_FLAG_NONE, vstring_str(expand_filter),
                        rbl_expand_lookup, &ctx)
             & MAC_PARSE_ERROR)
            == 0)
            break;
        if (template == var_default_rbl_reply)
            msg_fatal("rbl_reject_reply: bad default rbl reply template: %s",
                      var_default_rbl_reply);
        msg_warn("rbl_reject_reply: bad rbl reply template for domain %s: %s", rbl_domain,
                 template);
        template = 0;
    }
    reply = vstring_str(why);
    if ((reply[0] != '4' && reply[0] != '5') || !isdigit((unsigned char)reply[1])
        || !isdigit((unsigned char)reply[2]) || reply[3] != ' ') {
        msg_warn("rbl response code configuration error: %s", reply);
        result = smtpd_check_reject(state, MAIL_ERROR_POLICY, 450, "4.7.1",
                                    "Service unavailable");
    } else {
        smtpd_dsn_split(reply + 4, "4.7.1", dsn, &text);
        result = smtpd_check_reject(state, MAIL_ERROR_POLICY, atoi(reply),
                                    smtpd_dsn_fix(dsn, reply_class), "%s",
                                    *text ? text : "Service unavailable");
    }
    myfree(domain);
    vstring_free(why);
    return result;
}

/* rhsbl_query - "domain.rbl" for a name or the domain of an address; 0 = skip */
static int rhsbl_query(VSTRING *query, const char *what, const char *rbl_domain)
{
    const char *domain;
    const char *suffix;

    if ((domain = strrchr(what, '@')) != 0) {
        domain += 1;
        if (domain[0] == '[')
            return 0;
    } else {
        domain = what;
    }
    if (domain[0] == 0)
        return 0;
    /* Names that end in a number look like addresses to some lists: skip them. */
    suffix = strrchr(domain, '.');
    if (alldig(suffix ? suffix + 1 : domain))
        return 0;
    if (!valid_hostname(domain, DONT_GRIPE))
        return 0;
    vstring_sprintf(query, "%s.%s", domain, rbl_domain);
    return 1;
}

/* How a name is looked up in a DNS list: reversed address, or domain. */
#define DNSXL_BY_ADDR 1
#define DNSXL_BY_DOMAIN 2

/* dnsxl_listed - is a client address or a domain listed: 1, 0, -1 could not tell */
static int dnsxl_listed(int how, const char *name, const char *xl_domain,
                        const RBL_RESULT **rbl)
{
    VSTRING *query = vstring_alloc(100);
    int listed = 0;
    int ok;

    ok = (how == DNSXL_BY_ADDR ? dns_rbl_query_name(query, name, xl_domain)
                               : rhsbl_query(query, name, xl_domain));
    if (ok)
        listed = find_dnsxl(vstring_str(query), rbl);
    vstring_free(query);
    return listed;
}

/* smtpd_reject_rbl_addr - reject_rbl_client */
int smtpd_reject_rbl_addr(SMTPD_STATE *state, const char *rbl_domain, const char *addr,
                          const char *reply_class)
{
    const RBL_RESULT *rbl;

    if (dnsxl_listed(DNSXL_BY_ADDR, addr, rbl_domain, &rbl) > 0)
        return rbl_reject_reply(state, rbl, rbl_domain, addr, reply_class);
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_reject_rbl_domain - reject_rhsbl_* */
int smtpd_reject_rbl_domain(SMTPD_STATE *state, const char *rbl_domain, const char *what,
                            const char *reply_class)
{
    const RBL_RESULT *rbl;

    if (dnsxl_listed(DNSXL_BY_DOMAIN, what, rbl_domain, &rbl) > 0)
        return rbl_reject_reply(state, rbl, rbl_domain, what, reply_class);
    return SMTPD_CHECK_DUNNO;
}

/* dnswl_result - what an allow-list answer means */
static int dnswl_result(SMTPD_STATE *state, int listed, const char *what,
                        const char *reply_class)
{
    if (listed > 0)
        return SMTPD_CHECK_OK;
    if (listed < 0)
        smtpd_check_defer_if(&state->defer_if_reject, reply_class, 450, "4.7.1",
                             "<%s>: %s rejected: %s", what, reply_class, "Service unavailable");
    return SMTPD_CHECK_DUNNO;
}

/* unauthorized_rcpt - never allow-list a recipient we would not relay for */
static int unauthorized_rcpt(SMTPD_STATE *state)
{
    return strcmp(state->where, SMTPD_CMD_RCPT) == 0 && state->recipient != 0
           && smtpd_permit_auth_destination(state, state->recipient) != SMTPD_CHECK_OK;
}

/* smtpd_permit_dnswl_addr - permit_dnswl_client */
int smtpd_permit_dnswl_addr(SMTPD_STATE *state, const char *dnswl_domain, const char *addr,
                            const char *reply_class)
{
    const RBL_RESULT *rbl;

    if (unauthorized_rcpt(state))
        return SMTPD_CHECK_DUNNO;
    return dnswl_result(state, dnsxl_listed(DNSXL_BY_ADDR, addr, dnswl_domain, &rbl), addr,
                        reply_class);
}

/* smtpd_permit_dnswl_domain - permit_rhswl_client */
int smtpd_permit_dnswl_domain(SMTPD_STATE *state, const char *dnswl_domain, const char *what,
                              const char *reply_class)
{
    const RBL_RESULT *rbl;

    if (unauthorized_rcpt(state))
        return SMTPD_CHECK_DUNNO;
    return dnswl_result(state, dnsxl_listed(DNSXL_BY_DOMAIN, what, dnswl_domain, &rbl), what,
                        reply_class);
}
