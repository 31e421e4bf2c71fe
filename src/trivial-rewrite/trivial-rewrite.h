#ifndef TRIVIAL_REWRITE_H
#define TRIVIAL_REWRITE_H

/*
 * trivial-rewrite - internal interfaces between the daemon's modules:
 * rewrite.c (address to standard form), resolve.c (address to transport,
 * next hop, recipient and class), transport.c (transport_maps) and
 * trivial-rewrite.c (the service loop).
 */

#include "maps.h"
#include "tok822.h"
#include "vstream.h"
#include "vstring.h"

/* Rewriting contexts: where missing domains come from. */
typedef struct RWR_CONTEXT {
    char **origin; /* appended to "user" (append_at_myorigin) */
    char **domain; /* appended to "user@host" (append_dot_mydomain) */
} RWR_CONTEXT;

extern RWR_CONTEXT rewrite_local_context;
extern RWR_CONTEXT rewrite_remote_context;

extern void rewrite_init(void);
extern void rewrite_tree(RWR_CONTEXT *context, TOK822 *tree);
extern void rewrite_addr(RWR_CONTEXT *context, const char *addr, VSTRING *result);
extern int rewrite_proto(VSTREAM *stream);

/* transport_maps. */
typedef struct TRANSPORT_INFO TRANSPORT_INFO;

extern TRANSPORT_INFO *transport_init(const char *param_name, const char *maps);
extern void transport_free(TRANSPORT_INFO *tp);
extern int transport_lookup(TRANSPORT_INFO *tp, const char *addr, const char *rcpt_domain,
                            VSTRING *channel, VSTRING *nexthop);
extern int transport_error(TRANSPORT_INFO *tp);

/* Resolver contexts: regular mail and address verification probes. */
typedef struct RES_CONTEXT RES_CONTEXT;

extern RES_CONTEXT *resolve_regular;
extern RES_CONTEXT *resolve_verify;

extern void resolve_init(void);
extern void resolve_addr(RES_CONTEXT *rp, const char *sender, const char *addr, VSTRING *channel,
                         VSTRING *nexthop, VSTRING *nextrcpt, int *flags);
extern int resolve_class(const char *domain);
extern int resolve_proto(RES_CONTEXT *rp, VSTREAM *stream);

/* Set when a table changed on disk: clients should reconnect, we should exit. */
extern int trivial_rewrite_server_flags;

#endif
