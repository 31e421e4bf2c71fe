#ifndef RESOLVE_CLNT_H
#define RESOLVE_CLNT_H

/*
 * resolve_clnt - ask trivial-rewrite where an address goes: the delivery
 * transport, the next-hop destination, the recipient as it should be
 * delivered, and what kind of address it is.
 *
 * Addresses (the query, the sender and the reply's recipient) are in
 * internal (unquoted) form. resolve_clnt_query() is the ordinary request,
 * resolve_clnt_verify() the one used for address verification probes
 * (it uses the address_verify_* transports and relay host). The _from
 * variants add the envelope sender, for sender_dependent_relayhost_maps
 * and sender_dependent_default_transport_maps.
 *
 * A reply with RESOLVE_FLAG_FAIL means the server could not decide (a table
 * failed): the caller must defer ("4.3.0 address resolver failure").
 * RESOLVE_FLAG_ERROR means bad address syntax (the caller bounces with
 * "5.1.3 bad address syntax"; transport and next hop are then placeholder
 * text) or a recipient starting with '-' while allow_min_user is off.
 * Unknown users in virtual alias domains come back as transport "error"
 * with next hop "5.1.1 User unknown in virtual alias table".
 */

#include "vstring.h"

typedef struct RESOLVE_REPLY {
    VSTRING *transport;
    VSTRING *nexthop;
    VSTRING *recipient;
    int flags;
} RESOLVE_REPLY;

#define RESOLVE_FLAG_FINAL (1 << 0)  /* final delivery */
#define RESOLVE_FLAG_ROUTED (1 << 1) /* the address had routing operators */
#define RESOLVE_FLAG_ERROR (1 << 2)  /* bad address syntax or unknown user */
#define RESOLVE_FLAG_FAIL (1 << 3)   /* could not resolve (table error): defer */

#define RESOLVE_CLASS_LOCAL (1 << 8)    /* mydestination, inet_interfaces, proxy_interfaces */
#define RESOLVE_CLASS_ALIAS (1 << 9)    /* virtual_alias_domains */
#define RESOLVE_CLASS_VIRTUAL (1 << 10) /* virtual_mailbox_domains */
#define RESOLVE_CLASS_RELAY (1 << 11)   /* relay_domains */
#define RESOLVE_CLASS_DEFAULT (1 << 12) /* everything else */

#define RESOLVE_CLASS_FINAL (RESOLVE_CLASS_LOCAL | RESOLVE_CLASS_ALIAS | RESOLVE_CLASS_VIRTUAL)
#define RESOLVE_CLASS_MASK                                                                         \
    (RESOLVE_CLASS_LOCAL | RESOLVE_CLASS_ALIAS | RESOLVE_CLASS_VIRTUAL | RESOLVE_CLASS_RELAY |     \
     RESOLVE_CLASS_DEFAULT)

/* The sender of a query that has none. */
#define RESOLVE_NULL_FROM ""

extern void resolve_clnt_init(RESOLVE_REPLY *reply);
extern void resolve_clnt_free(RESOLVE_REPLY *reply);

/* request is RESOLVE_REGULAR ("resolve") or RESOLVE_VERIFY ("verify"). */
extern void resolve_clnt(const char *request, const char *sender, const char *addr,
                         RESOLVE_REPLY *reply);

#define resolve_clnt_query(addr, reply) resolve_clnt("resolve", RESOLVE_NULL_FROM, (addr), (reply))
#define resolve_clnt_verify(addr, reply) resolve_clnt("verify", RESOLVE_NULL_FROM, (addr), (reply))
#define resolve_clnt_query_from(sender, addr, reply)                                               \
    resolve_clnt("resolve", (sender), (addr), (reply))
#define resolve_clnt_verify_from(sender, addr, reply)                                              \
    resolve_clnt("verify", (sender), (addr), (reply))

#endif
