/*
 * dns_lookup - DNS queries on the system resolver, for smtpd's access
 * checks (MX, NS, A, AAAA, TXT, PTR lookups and DNS lists).
 *
 * Exports dns_lookup(), dns_lookup_types(), dns_reply_parse() and the
 * DNS_RR list helpers (see dns_lookup.h). The resolver state is made once
 * per process from /etc/resolv.conf (inside a network namespace that is
 * the namespace's own file). Replies are parsed with libresolv's ns_*
 * routines and every name is expanded with dn_expand(), so a malformed
 * reply gives DNS_INVAL and never reads past the message.
 *
 * The status keeps "does not exist" (NXDOMAIN, NODATA: DNS_NOTFOUND) apart
 * from "could not find out" (SERVFAIL, timeout: DNS_RETRY), because the
 * first may reject mail and the second must only defer it.
 */

#include <arpa/inet.h>
#include <arpa/nameser.h>
#include <netdb.h>
#include <netinet/in.h>
#include <resolv.h>
#include <string.h>

#include "dns_lookup.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#define DNS_REPLY_MAX 65535   /* the largest message TCP can carry */
#define DNS_TXT_MAX 4096      /* bytes kept of one TXT record */

static struct __res_state dns_res;
static int dns_res_ready;

/* dns_strtype - record type name for messages */
const char *dns_strtype(unsigned type)
{
    switch (type) {
    case DNS_T_A:
        return "A";
    case DNS_T_NS:
        return "NS";
    case DNS_T_CNAME:
        return "CNAME";
    case DNS_T_PTR:
        return "PTR";
    case DNS_T_MX:
        return "MX";
    case DNS_T_TXT:
        return "TXT";
    case DNS_T_AAAA:
        return "AAAA";
    default:
        return "unknown";
    }
}

/* dns_strstatus - status name for messages */
const char *dns_strstatus(int status)
{
    switch (status) {
    case DNS_OK:
        return "OK";
    case DNS_NOTFOUND:
        return "not found";
    case DNS_RETRY:
        return "temporary failure";
    case DNS_FAIL:
        return "permanent failure";
    case DNS_INVAL:
        return "malformed reply";
    case DNS_NULLMX:
        return "null MX";
    default:
        return "unknown status";
    }
}

/* dns_h_strerror - resolver error text, in the wording mail logs use */
static const char *dns_h_strerror(int err)
{
    switch (err) {
    case HOST_NOT_FOUND:
        return "Host not found";
    case TRY_AGAIN:
        return "Host not found, try again";
    case NO_RECOVERY:
        return "Non-recoverable error";
    case NO_DATA:
        return "Host found but no data record of requested type";
    default:
        return "Unknown error";
    }
}

/* dns_rr_create - make one record */
DNS_RR *dns_rr_create(const char *qname, const char *rname, unsigned type, unsigned ttl,
                      unsigned pref, const char *data, size_t data_len)
{
    DNS_RR *rr = (DNS_RR *)mymalloc(sizeof(*rr));

    rr->qname = mystrdup(qname);
    rr->rname = mystrdup(rname);
    rr->type = type;
    rr->ttl = ttl;
    rr->pref = pref;
    rr->data_len = data_len;
    rr->data = (char *)mymalloc(data_len + 1);
    if (data_len)
        memcpy(rr->data, data, data_len);
    rr->data[data_len] = 0;
    rr->next = 0;
    return rr;
}

/* dns_rr_free - free a list */
void dns_rr_free(DNS_RR *list)
{
    DNS_RR *next;

    for (; list; list = next) {
        next = list->next;
        myfree(list->qname);
        myfree(list->rname);
        myfree(list->data);
        myfree(list);
    }
}

/* dns_rr_append - add rr (a list) at the end of list */
DNS_RR *dns_rr_append(DNS_RR *list, DNS_RR *rr)
{
    DNS_RR *p;

    if (list == 0)
        return rr;
    for (p = list; p->next; p = p->next)
        ;
    p->next = rr;
    return list;
}

/* dns_rr_sort_pref - stable insertion sort by MX preference */
DNS_RR *dns_rr_sort_pref(DNS_RR *list)
{
    DNS_RR *sorted = 0;
    DNS_RR *next;
    DNS_RR **pp;

    for (; list; list = next) {
        next = list->next;
        for (pp = &sorted; *pp && (*pp)->pref <= list->pref; pp = &(*pp)->next)
            ;
        list->next = *pp;
        *pp = list;
    }
    return sorted;
}

/* dns_rr_to_addr - printable form of an address record */
const char *dns_rr_to_addr(const DNS_RR *rr, VSTRING *buf)
{
    char text[INET6_ADDRSTRLEN];

    if (rr->type == DNS_T_A && rr->data_len == 4)
        inet_ntop(AF_INET, rr->data, text, sizeof(text));
    else if (rr->type == DNS_T_AAAA && rr->data_len == 16)
        inet_ntop(AF_INET6, rr->data, text, sizeof(text));
    else
        return 0;
    vstring_strcpy(buf, text);
    return vstring_str(buf);
}

/* dns_rbl_query_name - reversed address under a DNS list domain */
int dns_rbl_query_name(VSTRING *result, const char *addr, const char *domain)
{
    unsigned char a6[16];
    struct in_addr a4;
    int i;

    vstring_strcpy(result, "");
    if (inet_pton(AF_INET, addr, &a4) == 1) {
        const unsigned char *b = (const unsigned char *)&a4;

        vstring_sprintf(result, "%u.%u.%u.%u.%s", b[3], b[2], b[1], b[0], domain);
        return 1;
    }
    if (inet_pton(AF_INET6, addr, a6) == 1) {
        for (i = 15; i >= 0; i--)
            vstring_sprintf_append(result, "%x.%x.", a6[i] & 0xf, a6[i] >> 4);
        vstring_strcat(result, domain);
        return 1;
    }
    return 0;
}

/* dns_txt_data - concatenate the character-strings of a TXT record */
static int dns_txt_data(const unsigned char *rdata, size_t rdlen, VSTRING *out)
{
    size_t pos = 0;
    size_t n;

    vstring_strcpy(out, "");
    while (pos < rdlen) {
        n = rdata[pos++];
        if (n > rdlen - pos)
            return -1;
        if (VSTRING_LEN(out) + n <= DNS_TXT_MAX)
            vstring_strncat(out, (const char *)rdata + pos, n);
        pos += n;
    }
    return 0;
}

/* dns_parse_one - convert one answer record; 1 = kept, 0 = skipped, -1 = bad */
static int dns_parse_one(ns_msg *msg, ns_rr *rr, const char *qname, unsigned type, DNS_RR **list,
                         VSTRING *target)
{
    const unsigned char *rdata = ns_rr_rdata(*rr);
    size_t rdlen = ns_rr_rdlen(*rr);
    unsigned rtype = ns_rr_type(*rr);
    char host[NS_MAXDNAME];
    unsigned pref = 0;
    VSTRING *txt;
    DNS_RR *out;

    if (rtype == DNS_T_CNAME) {
        if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), rdata, host, sizeof(host)) < 0)
            return -1;
        vstring_strcpy(target, host);
        return 0;
    }
    if (rtype != type)
        return 0;
    switch (rtype) {
    case DNS_T_A:
    case DNS_T_AAAA:
        if (rdlen != (rtype == DNS_T_A ? 4U : 16U))
            return -1;
        out = dns_rr_create(qname, ns_rr_name(*rr), rtype, ns_rr_ttl(*rr), 0,
                            (const char *)rdata, rdlen);
        break;
    case DNS_T_MX:
        if (rdlen < 3)
            return -1;
        pref = ns_get16(rdata);
        rdata += 2;
        /* FALLTHROUGH */
    case DNS_T_NS:
    case DNS_T_PTR:
        if (dn_expand(ns_msg_base(*msg), ns_msg_end(*msg), rdata, host, sizeof(host)) < 0)
            return -1;
        out = dns_rr_create(qname, ns_rr_name(*rr), rtype, ns_rr_ttl(*rr), pref, host,
                            strlen(host));
        break;
    case DNS_T_TXT:
        txt = vstring_alloc(100);
        if (dns_txt_data(rdata, rdlen, txt) < 0) {
            vstring_free(txt);
            return -1;
        }
        out = dns_rr_create(qname, ns_rr_name(*rr), rtype, ns_rr_ttl(*rr), 0, vstring_str(txt),
                            VSTRING_LEN(txt));
        vstring_free(txt);
        break;
    default:
        return 0;
    }
    *list = dns_rr_append(*list, out);
    return 1;
}

/* dns_reply_parse - the records of one type from a reply message */
int dns_reply_parse(const unsigned char *reply, size_t len, const char *qname, unsigned type,
                    DNS_RR **list, VSTRING *fqdn)
{
    ns_msg msg;
    ns_rr rr;
    int count;
    int i;
    int status = DNS_OK;
    VSTRING *target = vstring_alloc(100);

    *list = 0;
    vstring_strcpy(target, qname);
    if (ns_initparse(reply, (int)len, &msg) < 0) {
        vstring_free(target);
        return DNS_INVAL;
    }
    count = ns_msg_count(msg, ns_s_an);
    for (i = 0; i < count; i++) {
        if (ns_parserr(&msg, ns_s_an, i, &rr) < 0
            || dns_parse_one(&msg, &rr, qname, type, list, target) < 0) {
            status = DNS_INVAL;
            break;
        }
    }
    if (status == DNS_OK && *list == 0)
        status = DNS_NOTFOUND;
    if (status != DNS_OK) {
        dns_rr_free(*list);
        *list = 0;
    } else if (type == DNS_T_MX && (*list)->next == 0 && (*list)->pref == 0
               && (*list)->data[0] == 0) {
        status = DNS_NULLMX;
    }
    if (fqdn)
        vstring_strcpy(fqdn, vstring_str(target));
    vstring_free(target);
    return status;
}

/* dns_query_status - map a resolver error to a lookup status */
static int dns_query_status(int herr)
{
    switch (herr) {
    case HOST_NOT_FOUND:
    case NO_DATA:
        return DNS_NOTFOUND;
    case NO_RECOVERY:
        return DNS_FAIL;
    default:
        return DNS_RETRY;
    }
}

/* dns_lookup - one name, one type */
int dns_lookup(const char *name, unsigned type, DNS_RR **list, VSTRING *fqdn, VSTRING *why)
{
    unsigned char *reply;
    int len;
    int status;
    DNS_RR *dummy;

    if (list == 0)
        list = &dummy;
    *list = 0;
    if (*name == 0 || strlen(name) >= NS_MAXDNAME) {
        if (why)
            vstring_sprintf(why, "Name service error for name=%s type=%s: %s", name,
                            dns_strtype(type), "Malformed or unexpected name server reply");
        return DNS_INVAL;
    }
    if (dns_res_ready == 0) {
        if (res_ninit(&dns_res) < 0) {
            if (why)
                vstring_strcpy(why, "Resolver initialization failed");
            return DNS_RETRY;
        }
        dns_res_ready = 1;
    }
    reply = (unsigned char *)mymalloc(DNS_REPLY_MAX);
    len = res_nquery(&dns_res, name, ns_c_in, (int)type, reply, DNS_REPLY_MAX);
    if (len < 0) {
        status = dns_query_status(dns_res.res_h_errno);
        if (why)
            vstring_sprintf(why,
                            "Host or domain name not found. Name service error for name=%s "
                            "type=%s: %s",
                            name, dns_strtype(type), dns_h_strerror(dns_res.res_h_errno));
        myfree(reply);
        return status;
    }
    status = dns_reply_parse(reply, (size_t)(len > DNS_REPLY_MAX ? DNS_REPLY_MAX : len), name,
                             type, list, fqdn);
    myfree(reply);
    if (why && status == DNS_NOTFOUND)
        vstring_sprintf(why,
                        "Host or domain name not found. Name service error for name=%s "
                        "type=%s: %s",
                        name, dns_strtype(type), dns_h_strerror(NO_DATA));
    else if (why && status == DNS_INVAL)
        vstring_sprintf(why, "Name service error for name=%s type=%s: %s", name,
                        dns_strtype(type), "Malformed or unexpected name server reply");
    if (list == &dummy)
        dns_rr_free(dummy);
    return status;
}

/* dns_lookup_types - several types for one name */
int dns_lookup_types(const char *name, const unsigned *types, int flags, DNS_RR **list,
                     VSTRING *fqdn, VSTRING *why)
{
    DNS_RR *found = 0;
    DNS_RR *part;
    int result = DNS_NOTFOUND;
    int status;

    for (; *types; types++) {
        status = dns_lookup(name, *types, &part, fqdn, why);
        if (status == DNS_OK) {
            found = dns_rr_append(found, part);
            result = DNS_OK;
            if (flags & DNS_REQ_FLAG_STOP_OK)
                break;
        } else if (status == DNS_NULLMX) {
            dns_rr_free(part);
            if (result != DNS_OK)
                result = DNS_NULLMX;
            break;
        } else if (result != DNS_OK && status != DNS_NOTFOUND
                   && (result == DNS_NOTFOUND || status == DNS_RETRY)) {
            result = status;
        }
    }
    if (list)
        *list = found;
    else
        dns_rr_free(found);
    return result;
}
