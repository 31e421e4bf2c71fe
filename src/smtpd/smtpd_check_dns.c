/*
 * smtpd_check_dns - restrictions that ask the DNS (or the address
 * resolver) about names: reject_unknown_client_hostname,
 * reject_unknown_reverse_client_hostname, reject_unknown_helo_hostname,
 * reject_unknown_sender/recipient_domain, permit_auth_destination and
 * permit_mx_backup (with this host's own addresses, inet_interfaces and
 * proxy_interfaces, to recognize itself in an MX list).
 *
 * Exports the smtpd_reject_unknown_*() and smtpd_permit_*() functions of
 * smtpd_check_int.h.
 *
 * Failure: a DNS lookup that could not be completed never rejects: it
 * defers (at once or "if permitted", per the *_tempfail_action
 * parameters), or for permit_mx_backup it turns a later reject into a
 * deferral (defer_if_reject). A resolver (trivial-rewrite) failure gives
 * "451 4.3.0 <addr>: Temporary lookup failure".
 */

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>

#include "argv.h"
#include "dns_lookup.h"
#include "mail_params.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "smtpd_check_int.h"
#include "stringops.h"
#include "vstring.h"

static ARGV *own_addrs;   /* printable addresses of inet_interfaces and proxy_interfaces */

/* own_addrs_add_name - the addresses of an interface name or address */
static void own_addrs_add_name(const char *name)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    VSTRING *buf = vstring_alloc(50);

    if (strcasecmp(name, "loopback-only") == 0) {
        argv_add(own_addrs, "127.0.0.1", "::1", (char *)0);
    } else if (hostname_to_sockaddr(name, (char *)0, 0, &res0) == 0) {
        for (res = res0; res; res = res->ai_next)
            if (sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, buf, 0) == 0)
                argv_add(own_addrs, vstring_str(buf), (char *)0);
        freeaddrinfo(res0);
    } else {
        msg_warn("unable to look up own interface %s", name);
    }
    vstring_free(buf);
}

/* own_addrs_init - this host's addresses, once */
static void own_addrs_init(void)
{
    struct ifaddrs *ifa0;
    struct ifaddrs *ifa;
    VSTRING *buf;
    ARGV *names;
    int i;

    own_addrs = argv_alloc(10);
    if (strcasecmp(var_inet_interfaces, "all") == 0) {
        if (getifaddrs(&ifa0) == 0) {
            buf = vstring_alloc(50);
            for (ifa = ifa0; ifa; ifa = ifa->ifa_next) {
                if (ifa->ifa_addr == 0)
                    continue;
                if (ifa->ifa_addr->sa_family != AF_INET && ifa->ifa_addr->sa_family != AF_INET6)
                    continue;
                if (sockaddr_to_hostaddr(ifa->ifa_addr,
                                         ifa->ifa_addr->sa_family == AF_INET
                                             ? sizeof(struct sockaddr_in)
                                             : sizeof(struct sockaddr_in6),
                                         buf, 0)
                    == 0)
                    argv_add(own_addrs, vstring_str(buf), (char *)0);
            }
            freeifaddrs(ifa0);
            vstring_free(buf);
        } else {
            msg_warn("getifaddrs: %m");
        }
    } else {
        names = argv_split(var_inet_interfaces, ", \t\r\n");
        for (i = 0; i < names->argc; i++)
            own_addrs_add_name(names->argv[i]);
        argv_free(names);
    }
    names = argv_split(var_proxy_interfaces, ", \t\r\n");
    for (i = 0; i < names->argc; i++)
        own_addrs_add_name(names->argv[i]);
    argv_free(names);
}

/* smtpd_is_own_addr - is this printable address one of ours */
int smtpd_is_own_addr(const char *addr)
{
    int i;

    if (own_addrs == 0)
        own_addrs_init();
    for (i = 0; i < own_addrs->argc; i++)
        if (strcasecmp(own_addrs->argv[i], addr) == 0)
            return 1;
    return 0;
}

/* smtpd_reject_unknown_client - no verified client host name */
int smtpd_reject_unknown_client(SMTPD_STATE *state)
{
    if (state->name_status != SMTPD_PEER_CODE_OK)
        return smtpd_check_reject(
            state, MAIL_ERROR_POLICY,
            state->name_status >= SMTPD_PEER_CODE_PERM ? var_unknown_client_reject_code : 450,
            "4.7.25", "Client host rejected: cannot find your hostname, [%s]", state->addr);
    return SMTPD_CHECK_DUNNO;
}

/* smtpd_reject_unknown_reverse - no reverse (PTR) host name */
int smtpd_reject_unknown_reverse(SMTPD_STATE *state)
{
    if (state->reverse_name_status != SMTPD_PEER_CODE_OK)
        return smtpd_check_reject(state, MAIL_ERROR_POLICY,
                                  state->reverse_name_status == SMTPD_PEER_CODE_PERM
                                      ? var_unknown_client_reject_code
                                      : 450,
                                  "4.7.1",
                                  "Client host rejected: cannot find your reverse hostname, [%s]",
                                  state->addr);
    return SMTPD_CHECK_DUNNO;
}

/* strip_dot - a name without its one trailing dot (copy), or null */
static char *strip_dot(const char *name)
{
    size_t len = strlen(name);

    if (len > 1 && name[len - 1] == '.' && name[len - 2] != '.')
        return mystrndup(name, len - 1);
    return 0;
}

/* smtpd_reject_unknown_hostname - HELO name with no A, AAAA or MX record */
int smtpd_reject_unknown_hostname(SMTPD_STATE *state, const char *name, const char *reply_name,
                                  const char *reply_class)
{
    static const unsigned types[] = {DNS_T_A, DNS_T_AAAA, DNS_T_MX, 0};
    char *copy = strip_dot(name);
    int status;

    status = dns_lookup_types(copy ? copy : name, types, DNS_REQ_FLAG_STOP_OK, 0, 0, 0);
    if (copy)
        myfree(copy);
    if (status == DNS_OK || status == DNS_NULLMX)
        return SMTPD_CHECK_DUNNO;
    if (status == DNS_RETRY)
        return smtpd_check_defer_if_permit(
            state,
            smtpd_tempfail_action("unknown_helo_hostname_tempfail_action",
                                  var_unknown_helo_hostname_tempfail_action),
            reply_class, 450, "4.7.1", "<%s>: %s rejected: Host not found", reply_name,
            reply_class);
    return smtpd_check_reject(state, MAIL_ERROR_POLICY, var_unknown_hostname_reject_code, "4.7.1",
                              "<%s>: %s rejected: %s", reply_name, reply_class,
                              status == DNS_INVAL ? "Malformed DNS server reply"
                                                  : "Host not found");
}

/* reject_unknown_mailhost - a mail domain with no MX, A or AAAA record */
static int reject_unknown_mailhost(SMTPD_STATE *state, const char *name, const char *reply_name,
                                   const char *reply_class)
{
    static const unsigned types[] = {DNS_T_MX, DNS_T_A, DNS_T_AAAA, 0};
    int is_sender = strcmp(reply_class, SMTPD_NAME_SENDER) == 0;
    int status;

    status = dns_lookup_types(name, types, DNS_REQ_FLAG_STOP_OK, 0, 0, 0);
    if (status == DNS_OK)
        return SMTPD_CHECK_DUNNO;
    if (status == DNS_NULLMX)
        return smtpd_check_reject(state, MAIL_ERROR_POLICY, is_sender ? 550 : 556,
                                  is_sender ? "4.7.27" : "4.1.10",
                                  "<%s>: %s rejected: Domain %s does not accept mail (nullMX)",
                                  reply_name, reply_class, name);
    if (status == DNS_RETRY)
        return smtpd_check_defer_if_permit(
            state,
            smtpd_tempfail_action("unknown_address_tempfail_action",
                                  var_unknown_address_tempfail_action),
            reply_class, 450, is_sender ? "4.1.8" : "4.1.2",
            "<%s>: %s rejected: Domain not found", reply_name, reply_class);
    return smtpd_check_reject(state, MAIL_ERROR_POLICY, var_unknown_address_reject_code,
                              is_sender ? "4.1.8" : "4.1.2", "<%s>: %s rejected: %s", reply_name,
                              reply_class,
                              status == DNS_INVAL ? "Malformed DNS server reply"
                                                  : "Domain not found");
}

/* smtpd_reject_unknown_address - the domain of a non-local address is unknown */
int smtpd_reject_unknown_address(SMTPD_STATE *state, const char *addr, const char *reply_name,
                                 const char *reply_class)
{
    const RESOLVE_REPLY *reply;
    const char *domain;

    reply = smtpd_resolve_addr(strcmp(reply_class, SMTPD_NAME_SENDER) == 0 ? state->recipient
                                                                             : state->sender,
                               addr);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, addr);
    if ((domain = strrchr(vstring_str(reply->recipient), '@')) == 0)
        return SMTPD_CHECK_DUNNO;
    domain += 1;
    if ((reply->flags & RESOLVE_CLASS_FINAL) || domain[0] == '['
        || (domain[0] && domain[strlen(domain) - 1] == ']'))
        return SMTPD_CHECK_DUNNO;
    return reject_unknown_mailhost(state, domain, reply_name, reply_class);
}

/* smtpd_permit_auth_destination - a destination we deliver or relay for */
int smtpd_permit_auth_destination(SMTPD_STATE *state, const char *recipient)
{
    const RESOLVE_REPLY *reply;

    reply = smtpd_resolve_addr(state->sender, recipient);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, recipient);
    if (strrchr(vstring_str(reply->recipient), '@') == 0)
        return SMTPD_CHECK_OK;
    /* Source-routed mail (user@a@b, a!b@c, "u%v"@w): destination uncertain. */
    if (var_allow_untrusted_routing == 0 && (reply->flags & RESOLVE_FLAG_ROUTED))
        return SMTPD_CHECK_DUNNO;
    if (reply->flags & (RESOLVE_CLASS_FINAL | RESOLVE_CLASS_RELAY))
        return SMTPD_CHECK_OK;
    return SMTPD_CHECK_DUNNO;
}

/* has_my_addr - does this host name resolve to one of our addresses */
static int has_my_addr(SMTPD_STATE *state, const char *host, const char *reply_name,
                       const char *reply_class)
{
    struct addrinfo *res0;
    struct addrinfo *res;
    VSTRING *buf;
    int aierr;
    int found = 0;

    if ((aierr = hostname_to_sockaddr(host, (char *)0, 0, &res0)) != 0) {
        smtpd_check_defer_if(&state->defer_if_reject, reply_class, 450, "4.4.4",
                             "<%s>: %s rejected: Unable to look up mail exchanger host %s: %s",
                             reply_name, reply_class, host, myaddrinfo_strerror(aierr));
        return 0;
    }
    buf = vstring_alloc(50);
    for (res = res0; res && !found; res = res->ai_next)
        if (sockaddr_to_hostaddr(res->ai_addr, res->ai_addrlen, buf, 0) == 0
            && smtpd_is_own_addr(vstring_str(buf)))
            found = 1;
    vstring_free(buf);
    freeaddrinfo(res0);
    return found;
}

/* i_am_mx - is this host among the listed MX hosts */
static int i_am_mx(SMTPD_STATE *state, DNS_RR *mx_list, const char *reply_name,
                   const char *reply_class)
{
    DNS_RR *mx;

    for (mx = mx_list; mx; mx = mx->next)
        if (strcasecmp(mx->data, var_myhostname) == 0)
            return 1;
    for (mx = mx_list; mx; mx = mx->next)
        if (has_my_addr(state, mx->data, reply_name, reply_class))
            return 1;
    return 0;
}

/* all_auth_mx_addr - every address of an MX host is in permit_mx_backup_networks */
static int all_auth_mx_addr(SMTPD_STATE *state, const char *host, const char *reply_name,
                            const char *reply_class)
{
    static const unsigned types[] = {DNS_T_A, DNS_T_AAAA, 0};
    VSTRING *why = vstring_alloc(100);
    VSTRING *buf = vstring_alloc(50);
    DNS_RR *list;
    DNS_RR *rr;
    int ok = 1;

    if (dns_lookup_types(host, types, DNS_REQ_FLAG_NONE, &list, 0, why) != DNS_OK) {
        smtpd_check_defer_if(&state->defer_if_reject, reply_class, 450, "4.4.4",
                             "<%s>: %s rejected: Unable to look up host %s as mail exchanger: %s",
                             reply_name, reply_class, host, vstring_str(why));
        vstring_free(why);
        vstring_free(buf);
        return 0;
    }
    for (rr = list; rr && ok; rr = rr->next) {
        if (dns_rr_to_addr(rr, buf) == 0)
            continue;
        if (!namadr_list_match(smtpd_perm_mx_networks, host, vstring_str(buf))) {
            if (smtpd_perm_mx_networks->error) {
                msg_warn("all_auth_mx_addr: %s lookup error for address %s for %s",
                         "permit_mx_backup_networks", vstring_str(buf), host);
                smtpd_check_defer_if(&state->defer_if_reject, reply_class, 450, "4.4.4",
                                     "<%s>: %s rejected: Unable to verify host %s as mail "
                                     "exchanger",
                                     reply_name, reply_class, host);
            }
            ok = 0;
        }
    }
    dns_rr_free(list);
    vstring_free(why);
    vstring_free(buf);
    return ok;
}

/* smtpd_permit_mx_backup - we are a backup MX for the recipient domain */
int smtpd_permit_mx_backup(SMTPD_STATE *state, const char *recipient, const char *reply_name,
                           const char *reply_class)
{
    const RESOLVE_REPLY *reply;
    const char *domain;
    DNS_RR *mx_list;
    DNS_RR *best_end;
    DNS_RR *rest;
    DNS_RR *mx;
    VSTRING *why;
    int status;
    int result = SMTPD_CHECK_DUNNO;

    reply = smtpd_resolve_addr(state->sender, recipient);
    if (reply->flags & RESOLVE_FLAG_FAIL)
        smtpd_check_retry(state, recipient);
    if ((domain = strrchr(vstring_str(reply->recipient), '@')) == 0)
        return SMTPD_CHECK_OK;
    domain += 1;
    if (var_allow_untrusted_routing == 0 && (reply->flags & RESOLVE_FLAG_ROUTED))
        return SMTPD_CHECK_DUNNO;
    if (reply->flags & (RESOLVE_CLASS_FINAL | RESOLVE_CLASS_RELAY))
        return SMTPD_CHECK_OK;
    if (domain[0] == '[' && domain[strlen(domain) - 1] == ']')
        return SMTPD_CHECK_DUNNO;

    why = vstring_alloc(100);
    status = dns_lookup(domain, DNS_T_MX, &mx_list, 0, why);
    if (status != DNS_OK) {
        if (status == DNS_RETRY)
            smtpd_check_defer_if(&state->defer_if_reject, reply_class, 450, "4.4.4",
                                 "<%s>: %s rejected: Unable to look up mail exchanger "
                                 "information: %s",
                                 reply_name, reply_class, vstring_str(why));
        dns_rr_free(mx_list);
        vstring_free(why);
        return SMTPD_CHECK_DUNNO;
    }
    vstring_free(why);

    /* Split into the best MX hosts and the others. */
    mx_list = dns_rr_sort_pref(mx_list);
    for (best_end = mx_list; best_end->next && best_end->next->pref == mx_list->pref;
         best_end = best_end->next)
        ;
    rest = best_end->next;
    best_end->next = 0;

    if (!i_am_mx(state, mx_list, reply_name, reply_class) && rest != 0
        && i_am_mx(state, rest, reply_name, reply_class)) {
        result = SMTPD_CHECK_OK;
        if (*var_permit_mx_backup_networks)
            for (mx = mx_list; mx && result == SMTPD_CHECK_OK; mx = mx->next)
                if (!all_auth_mx_addr(state, mx->data, reply_name, reply_class))
                    result = SMTPD_CHECK_DUNNO;
    }
    best_end->next = rest;
    dns_rr_free(mx_list);
    return result;
}
