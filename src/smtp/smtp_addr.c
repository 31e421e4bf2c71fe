/*
 * smtp_addr - from a destination name to the list of server addresses that
 * the SMTP/LMTP client will try, in order.
 *
 * smtp_domain_addr() looks up the mail exchangers of a domain, sorts them
 * by preference (equal preferences in random order when
 * smtp_randomize_addresses is set), finds each one's addresses, and cuts
 * the list where this host itself appears (mail to port 25 only): a best MX
 * that is this host means the mail loops. Without MX records it falls back
 * to the domain's own addresses (RFC 5321 implicit MX).
 *
 * smtp_host_addr() looks up one host: a numeric address as is, a name in
 * the DNS and/or with the system resolver (smtp_host_lookup), or with the
 * system resolver alone when DNS lookups are disabled.
 *
 * The result is a DNS_RR list of A/AAAA records whose pref is the MX
 * preference (0 for a host). Address families follow inet_protocols and
 * are ordered per smtp_address_preference. On failure the list is empty and
 * why holds a 4.x.x (try later) or 5.x.x (give up) status with the text
 * Postfix logs.
 */

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "argv.h"
#include "mail_params.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"
#include "valid_hostname.h"

#define IMPOSSIBLE_PREF (~0U)

/* smtp_family_enabled - whether inet_protocols enables this address family */
int smtp_family_enabled(int family)
{
    const char *p = var_inet_protocols;

    if (strstr(p, "all"))
        return (1);
    if (family == AF_INET)
        return (strstr(p, "ipv4") != 0);
    return (strstr(p, "ipv6") != 0);
}

/* smtp_rr_family - address family of an A/AAAA record */
static int smtp_rr_family(const DNS_RR *rr)
{
    return (rr->type == DNS_T_AAAA ? AF_INET6 : AF_INET);
}

/* smtp_rr_from_sockaddr - make an A/AAAA record of a socket address */
static DNS_RR *smtp_rr_from_sockaddr(const char *name, const struct sockaddr *sa, unsigned pref)
{
    if (sa->sa_family == AF_INET)
        return (dns_rr_create(name, name, DNS_T_A, 0, pref,
                              (const char *)&((const struct sockaddr_in *)sa)->sin_addr, 4));
    if (sa->sa_family == AF_INET6)
        return (dns_rr_create(name, name, DNS_T_AAAA, 0, pref,
                              (const char *)&((const struct sockaddr_in6 *)sa)->sin6_addr, 16));
    return (0);
}

/* smtp_rr_array - a list as an array, for sorting */
static DNS_RR **smtp_rr_array(DNS_RR *list, int *count)
{
    DNS_RR **array;
    DNS_RR *rr;
    int n = 0;

    for (rr = list; rr; rr = rr->next)
        n++;
    array = (DNS_RR **)mymalloc(sizeof(*array) * (n + 1));
    for (n = 0, rr = list; rr; rr = rr->next)
        array[n++] = rr;
    *count = n;
    return (array);
}

/* smtp_rr_relink - the array back into a list */
static DNS_RR *smtp_rr_relink(DNS_RR **array, int count)
{
    DNS_RR *list = 0;
    int i;

    for (i = count - 1; i >= 0; i--) {
        array[i]->next = list;
        list = array[i];
    }
    myfree(array);
    return (list);
}

static int smtp_pref_family; /* family that comes first among equals, or 0 */

/* smtp_rr_rank - sort key: preference, then the preferred family */
static int smtp_rr_rank_cmp(const void *a, const void *b)
{
    const DNS_RR *ra = *(DNS_RR *const *)a;
    const DNS_RR *rb = *(DNS_RR *const *)b;
    int fa, fb;

    if (ra->pref != rb->pref)
        return (ra->pref < rb->pref ? -1 : 1);
    if (smtp_pref_family) {
        fa = smtp_rr_family(ra) == smtp_pref_family ? 0 : 1;
        fb = smtp_rr_family(rb) == smtp_pref_family ? 0 : 1;
        if (fa != fb)
            return (fa - fb);
    }
    /* Keep the incoming order otherwise (the array holds list positions). */
    return (ra->ttl < rb->ttl ? -1 : ra->ttl > rb->ttl);
}

/*
 * smtp_rr_sort - stable sort by preference and family; with shuffle, equal
 * keys come out in random order instead of the incoming one.
 */
static DNS_RR *smtp_rr_sort(DNS_RR *list, int shuffle)
{
    DNS_RR **array;
    unsigned *saved_ttl;
    DNS_RR *tmp;
    int count, i, j;

    if (list == 0 || list->next == 0)
        return (list);
    array = smtp_rr_array(list, &count);
    if (shuffle) {
        for (i = count - 1; i > 0; i--) {
            j = random() % (i + 1);
            tmp = array[i];
            array[i] = array[j];
            array[j] = tmp;
        }
    }
    /* Borrow the ttl field as the position, for a stable qsort. */
    saved_ttl = (unsigned *)mymalloc(sizeof(*saved_ttl) * count);
    for (i = 0; i < count; i++) {
        saved_ttl[i] = array[i]->ttl;
        array[i]->ttl = i;
    }
    smtp_pref_family = strcasecmp(smtp_cfg.address_preference, "ipv4") == 0   ? AF_INET
                       : strcasecmp(smtp_cfg.address_preference, "ipv6") == 0 ? AF_INET6
                                                                              : 0;
    qsort(array, count, sizeof(*array), smtp_rr_rank_cmp);
    for (i = 0; i < count; i++) {
        unsigned pos = array[i]->ttl;

        array[i]->ttl = saved_ttl[pos];
    }
    myfree(saved_ttl);
    return (smtp_rr_relink(array, count));
}

/*
 * smtp_balance_families - when the list has IPv4 and IPv6 addresses but
 * the first smtp_mx_address_limit of them are all of one family, move the
 * best address of the other family up into the last place within the
 * limit, so that both families get tried (smtp_balance_inet_protocols).
 */
static DNS_RR *smtp_balance_families(DNS_RR *list)
{
    int limit = smtp_cfg.mx_address_limit;
    DNS_RR *rr, *prev, *last_in, *other, *other_prev;
    int n;

    if (!smtp_cfg.balance_inet_protocols || limit < 2 || list == 0)
        return (list);
    for (n = 1, last_in = list; n < limit && last_in->next; n++, last_in = last_in->next)
        if (smtp_rr_family(last_in->next) != smtp_rr_family(list))
            return (list);
    if (last_in->next == 0)
        return (list);
    for (other_prev = last_in, other = last_in->next; other;
         other_prev = other, other = other->next)
        if (smtp_rr_family(other) != smtp_rr_family(list))
            break;
    if (other == 0)
        return (list);
    /* Unlink the other-family record and put it in place of the last one within the limit. */
    other_prev->next = other->next;
    prev = 0;
    for (rr = list; rr != last_in; rr = rr->next)
        prev = rr;
    other->next = last_in;
    if (prev)
        prev->next = other;
    else
        list = other;
    return (list);
}

/* smtp_dns_enabled - whether names may be looked up in the DNS at all */
static int smtp_dns_enabled(void)
{
    return (!var_disable_dns_lookups && strcasecmp(smtp_cfg.dns_support_level, "disabled") != 0);
}

/* smtp_addr_native - host lookup with the system resolver */
static DNS_RR *smtp_addr_native(DNS_RR *list, const char *host, unsigned pref, DSN_BUF *why)
{
    struct addrinfo *res0, *res;
    DNS_RR *rr;
    int err;
    int found = 0;

    if ((err = hostname_to_sockaddr(host, 0, SOCK_STREAM, &res0)) != 0) {
        dsb_simple(why, (err == EAI_AGAIN || err == EAI_MEMORY) ? "4.4.3" : "5.4.4",
                   "unable to look up host %s: %s", host, myaddrinfo_strerror(err));
        return (list);
    }
    for (res = res0; res; res = res->ai_next) {
        if (!smtp_family_enabled(res->ai_family))
            continue;
        if ((rr = smtp_rr_from_sockaddr(host, res->ai_addr, pref)) != 0) {
            list = dns_rr_append(list, rr);
            found = 1;
        }
    }
    freeaddrinfo(res0);
    if (!found)
        dsb_simple(why, "5.4.4", "%s: host not found", host);
    return (list);
}

/* smtp_addr_one - the addresses of one host, appended to list */
static DNS_RR *smtp_addr_one(DNS_RR *list, const char *host, unsigned pref, DSN_BUF *why)
{
    struct addrinfo *res0;
    unsigned types[3];
    DNS_RR *found = 0;
    DNS_RR *rr;
    int n = 0;
    int use_dns = smtp_dns_enabled() && strstr(smtp_cfg.host_lookup, "dns") != 0;
    int use_native = !smtp_dns_enabled() || strstr(smtp_cfg.host_lookup, "native") != 0;

    /* A numeric address needs no lookup. */
    if (valid_hostaddr(host, 0)) {
        if (hostaddr_to_sockaddr(host, 0, SOCK_STREAM, &res0) != 0) {
            dsb_simple(why, "5.4.4", "bad address: %s", host);
            return (list);
        }
        if (!smtp_family_enabled(res0->ai_family))
            dsb_simple(why, "5.4.4", "%s: address family is disabled by inet_protocols", host);
        else if ((rr = smtp_rr_from_sockaddr(host, res0->ai_addr, pref)) != 0)
            list = dns_rr_append(list, rr);
        freeaddrinfo(res0);
        return (list);
    }
    if (use_dns) {
        if (smtp_family_enabled(AF_INET))
            types[n++] = DNS_T_A;
        if (smtp_family_enabled(AF_INET6))
            types[n++] = DNS_T_AAAA;
        types[n] = 0;
        switch (dns_lookup_types(host, types, DNS_REQ_FLAG_NONE, &found, 0, why->reason)) {
        case DNS_OK:
            for (rr = found; rr; rr = rr->next)
                rr->pref = pref;
            return (dns_rr_append(list, found));
        case DNS_NOTFOUND:
        case DNS_INVAL:
            dsb_status(why, "5.4.4");
            if (!use_native)
                return (list);
            break;
        case DNS_FAIL:
            dsb_status(why, "5.4.3");
            return (list);
        default:
            dsb_status(why, "4.4.3");
            return (list);
        }
    }
    return (smtp_addr_native(list, host, pref, why));
}

/* smtp_self_list - the addresses this mail system receives mail on */
static DNS_RR *smtp_self_list(void)
{
    static DNS_RR *self;
    static int done;
    struct ifaddrs *ifa_list, *ifa;
    struct addrinfo *res0, *res;
    ARGV *names;
    DNS_RR *rr;
    int i;

    if (done)
        return (self);
    done = 1;
    names = argv_split(var_proxy_interfaces, ", \t\r\n");
    if (strcasecmp(var_inet_interfaces, "all") == 0) {
        if (getifaddrs(&ifa_list) < 0) {
            msg_warn("getifaddrs: %m");
        } else {
            for (ifa = ifa_list; ifa; ifa = ifa->ifa_next)
                if (ifa->ifa_addr && (rr = smtp_rr_from_sockaddr("self", ifa->ifa_addr, 0)))
                    self = dns_rr_append(self, rr);
            freeifaddrs(ifa_list);
        }
    } else if (strcasecmp(var_inet_interfaces, "loopback-only") == 0) {
        argv_add(names, "127.0.0.1", "::1", (char *)0);
    } else {
        argv_split_append(names, var_inet_interfaces, ", \t\r\n");
    }
    for (i = 0; i < names->argc; i++) {
        char *name = names->argv[i];
        size_t len = strlen(name);

        if (name[0] == '[' && len > 2 && name[len - 1] == ']') {
            name[len - 1] = 0;
            name++;
        }
        if (hostname_to_sockaddr(name, 0, SOCK_STREAM, &res0) != 0) {
            msg_warn("unable to look up interface or proxy address %s", name);
            continue;
        }
        for (res = res0; res; res = res->ai_next)
            if ((rr = smtp_rr_from_sockaddr("self", res->ai_addr, 0)) != 0)
                self = dns_rr_append(self, rr);
        freeaddrinfo(res0);
    }
    argv_free(names);
    return (self);
}

/* smtp_find_self - the first record in the list that is this host */
static DNS_RR *smtp_find_self(DNS_RR *list)
{
    DNS_RR *self = smtp_self_list();
    DNS_RR *rr, *me;

    for (rr = list; rr; rr = rr->next)
        for (me = self; me; me = me->next)
            if (rr->type == me->type && rr->data_len == me->data_len &&
                memcmp(rr->data, me->data, rr->data_len) == 0)
                return (rr);
    return (0);
}

/* smtp_truncate_self - drop everything from the self preference on */
static DNS_RR *smtp_truncate_self(DNS_RR *list, unsigned pref)
{
    DNS_RR *rr, *prev = 0;

    for (rr = list; rr; prev = rr, rr = rr->next) {
        if (rr->pref == pref) {
            if (prev)
                prev->next = 0;
            else
                list = 0;
            dns_rr_free(rr);
            break;
        }
    }
    return (list);
}

/* smtp_addr_list - the addresses of every mail exchanger, in MX order */
static DNS_RR *smtp_addr_list(DNS_RR *mx_names, DSN_BUF *why)
{
    DNS_RR *list = 0;
    DNS_RR *mx, *added;
    DSN_BUF *tmp = dsb_create();
    int have_error = 0;

    for (mx = mx_names; mx; mx = mx->next) {
        dsb_reset(tmp);
        added = smtp_addr_one(0, mx->data, mx->pref, tmp);
        if (added) {
            list = dns_rr_append(list, added);
        } else if (!have_error || vstring_str(tmp->status)[0] == '4') {
            /* Remember the failure; a temporary one matters most. */
            dsb_update(why, vstring_str(tmp->status), "", "", "", "", "", "%s",
                       vstring_str(tmp->reason));
            have_error = 1;
        }
    }
    dsb_free(tmp);
    return (list);
}

/* smtp_domain_addr - mail exchanger addresses of a domain */
DNS_RR *smtp_domain_addr(const char *name, int loop_detect, DSN_BUF *why, int *found_myself)
{
    DNS_RR *mx_names = 0;
    DNS_RR *addr_list = 0;
    DNS_RR *self = 0;
    unsigned best_pref, best_found;

    dsb_reset(why);
    switch (dns_lookup(name, DNS_T_MX, &mx_names, 0, why->reason)) {
    case DNS_OK:
        mx_names = smtp_rr_sort(mx_names, 0);
        best_pref = mx_names ? mx_names->pref : IMPOSSIBLE_PREF;
        addr_list = smtp_addr_list(mx_names, why);
        dns_rr_free(mx_names);
        if (addr_list == 0) {
            if (smtp_cfg.defer_if_no_mx_address && vstring_str(why->status)[0] == '5')
                vstring_str(why->status)[0] = '4';
            if (VSTRING_LEN(why->status) == 0)
                dsb_simple(why, "5.4.4", "no MX host for %s has a valid address record", name);
            msg_warn("no MX host for %s has a valid address record", name);
            break;
        }
        best_found = addr_list->pref;
        if (loop_detect && (self = smtp_find_self(addr_list)) != 0) {
            addr_list = smtp_truncate_self(addr_list, self->pref);
            if (addr_list == 0) {
                if (best_pref != best_found)
                    dsb_simple(why, "4.4.4", "unable to find primary relay for %s", name);
                else
                    dsb_simple(why, "5.4.6", "mail for %s loops back to myself", name);
            }
        }
        addr_list = smtp_balance_families(smtp_rr_sort(addr_list, smtp_cfg.randomize_addresses));
        break;
    case DNS_NOTFOUND:
        addr_list = smtp_host_addr(name, loop_detect, why);
        break;
    case DNS_NULLMX:
        dsb_simple(why, "5.1.0", "Domain %s does not accept mail (nullMX)", name);
        break;
    case DNS_INVAL:
        dsb_status(why, "5.4.4");
        if (var_ignore_mx_lookup_error)
            addr_list = smtp_host_addr(name, loop_detect, why);
        break;
    case DNS_FAIL:
        dsb_status(why, "5.4.3");
        if (var_ignore_mx_lookup_error)
            addr_list = smtp_host_addr(name, loop_detect, why);
        break;
    default:
        dsb_status(why, "4.4.3");
        if (var_ignore_mx_lookup_error)
            addr_list = smtp_host_addr(name, loop_detect, why);
        break;
    }
    *found_myself |= (self != 0);
    return (addr_list);
}

/* smtp_host_addr - addresses of one host, no MX lookup */
DNS_RR *smtp_host_addr(const char *name, int loop_detect, DSN_BUF *why)
{
    DNS_RR *addr_list;

    dsb_reset(why);
    addr_list = smtp_addr_one(0, name, 0, why);
    if (addr_list && loop_detect && smtp_find_self(addr_list) != 0) {
        dns_rr_free(addr_list);
        dsb_simple(why, "5.4.6", "mail for %s loops back to myself", name);
        return (0);
    }
    /* Multiple addresses of one host: random order when asked, then family. */
    return (smtp_balance_families(smtp_rr_sort(addr_list, smtp_cfg.randomize_addresses)));
}
