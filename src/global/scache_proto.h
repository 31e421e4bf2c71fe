#ifndef SCACHE_PROTO_H
#define SCACHE_PROTO_H

/*
 * scache_proto - the connection_cache_protocol between the SMTP/LMTP client
 * and the scache(8) daemon, as Postfix speaks it (attr_print0 lists; the
 * server announces protocol=connection_cache_protocol on connect).
 *
 *   save_endp  client: request, ttl, label, property
 *              server: dummy; client: the descriptor; server: status
 *   find_endp  client: request, label
 *              server: status, property; when status is 0:
 *              client: dummy; server: the descriptor; client: dummy
 *   save_dest  client: request, ttl, label (destination), property,
 *              label (endpoint); server: status
 *   find_dest  client: request, label
 *              server: status, property (destination), property
 *              (endpoint); when status is 0, the descriptor as for
 *              find_endp
 *
 * The dummy lists around a descriptor keep the two sides in step: neither
 * writes stream data that the other could read together with (and so lose)
 * the descriptor's message, and the sender of a descriptor does not close
 * its copy before the receiver has it. Requests may be pipelined.
 */

#define SCACHE_REQ_FIND_DEST "find_dest"
#define SCACHE_REQ_SAVE_DEST "save_dest"
#define SCACHE_REQ_FIND_ENDP "find_endp"
#define SCACHE_REQ_SAVE_ENDP "save_endp"

/* The placeholder list around descriptor passing (Postfix: MAIL_ATTR_DUMMY). */
#define SCACHE_ATTR_DUMMY "dummy"

#define SCACHE_STAT_OK 0   /* request done / found */
#define SCACHE_STAT_BAD 1  /* malformed request */
#define SCACHE_STAT_FAIL 2 /* not found, or the descriptor did not arrive */

#endif
