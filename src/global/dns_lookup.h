#ifndef DNS_LOOKUP_H
#define DNS_LOOKUP_H

/*
 * dns_lookup - DNS queries for the mail system, on the resolver library
 * (res_nquery, /etc/resolv.conf), with "the name has no such record" kept
 * apart from "the DNS could not answer".
 *
 * Status of a lookup:
 *   DNS_OK        records found; *list holds them (caller frees)
 *   DNS_NOTFOUND  the name does not exist, or has no record of the type
 *                 (NXDOMAIN, NODATA): a permanent answer
 *   DNS_RETRY     no answer now (SERVFAIL, timeout, no server): try later
 *   DNS_FAIL      the server refused the query for good (FORMERR, REFUSED,
 *                 NOTIMP)
 *   DNS_INVAL     the reply could not be parsed
 *   DNS_NULLMX    an MX lookup found only the "null MX" (RFC 7505:
 *                 preference 0, exchanger "."): the domain takes no mail
 *
 * When why is not null it receives a message on failure, in the words the
 * mail system logs ("Host or domain name not found. Name service error for
 * name=example.com type=MX: Host not found, try again"). When fqdn is not
 * null it receives the name the answer was for (after CNAMEs).
 *
 * Record data: MX, NS, PTR and CNAME hold the target host name (no
 * trailing dot) as a string; A and AAAA hold the binary address (4 or 16
 * bytes); TXT holds the character-strings of one record concatenated.
 */

#include <stddef.h>

#include "vstring.h"

#define DNS_OK 0
#define DNS_NOTFOUND 1
#define DNS_RETRY 2
#define DNS_FAIL 3
#define DNS_INVAL 4
#define DNS_NULLMX 5

/* Record types we ask for (the numbers the protocol uses). */
#define DNS_T_A 1
#define DNS_T_NS 2
#define DNS_T_CNAME 5
#define DNS_T_PTR 12
#define DNS_T_MX 15
#define DNS_T_TXT 16
#define DNS_T_AAAA 28

typedef struct DNS_RR {
    char *qname;          /* the name that was asked for */
    char *rname;          /* the owner name of this record */
    unsigned type;        /* DNS_T_* */
    unsigned ttl;         /* seconds */
    unsigned pref;        /* MX preference; 0 otherwise */
    size_t data_len;      /* bytes in data, not counting the added null */
    char *data;           /* see above; always null-terminated */
    struct DNS_RR *next;
} DNS_RR;

/* flags for dns_lookup_types */
#define DNS_REQ_FLAG_NONE 0
#define DNS_REQ_FLAG_STOP_OK (1 << 0)  /* stop at the first type that has records */

extern int dns_lookup(const char *name, unsigned type, DNS_RR **list, VSTRING *fqdn,
                      VSTRING *why);

/*
 * Several types in turn (types ends with 0); the records of all types that
 * answered are returned together. The result is DNS_OK when any type had
 * records, else the "worst" failure: DNS_RETRY over DNS_NOTFOUND.
 */
extern int dns_lookup_types(const char *name, const unsigned *types, int flags, DNS_RR **list,
                            VSTRING *fqdn, VSTRING *why);

/* Parse a reply message (exported for the module test). */
extern int dns_reply_parse(const unsigned char *msg, size_t len, const char *qname, unsigned type,
                           DNS_RR **list, VSTRING *fqdn);

extern void dns_rr_free(DNS_RR *list);
extern DNS_RR *dns_rr_append(DNS_RR *list, DNS_RR *rr);
extern DNS_RR *dns_rr_create(const char *qname, const char *rname, unsigned type, unsigned ttl,
                             unsigned pref, const char *data, size_t data_len);
extern DNS_RR *dns_rr_sort_pref(DNS_RR *list);  /* by MX preference, stable */
extern const char *dns_strtype(unsigned type);
extern const char *dns_strstatus(int status);

/* A or AAAA record as printable address text; null for other types. */
extern const char *dns_rr_to_addr(const DNS_RR *rr, VSTRING *buf);

/*
 * The query name for a DNS list (RBL/DNSWL) of an IP address: 4.3.2.1 for
 * IPv4 1.2.3.4, the 32 reversed nibbles for IPv6, followed by "." and
 * domain. Returns 0 when addr is not an address.
 */
extern int dns_rbl_query_name(VSTRING *result, const char *addr, const char *domain);

#endif
