#ifndef SCACHE_PROTO_H
#define SCACHE_PROTO_H

/*
 * scache_proto - the connection_cache_protocol between the SMTP/LMTP client
 * and the scache(8) daemon (attr_print0 lists; the server announces
 * protocol=connection_cache_protocol on connect).
 *
 *   save_endp  request, ttl, label, property; reply status (0 = send the
 *              descriptor); then the descriptor; reply status (0 = kept)
 *   find_endp  request, label; reply status (0 = found), property; when
 *              found, the client sends status=0 and receives the descriptor
 *   save_dest  request, ttl, label, property, endpoint_label; reply status
 *   find_dest  request, label; reply status, property (of the destination),
 *              endpoint_property; when found, descriptor as for find_endp
 *
 * The extra status round trip before each descriptor makes sure the
 * receiver has read everything before the descriptor arrives, so that a
 * buffered read can never swallow it.
 */

#define SCACHE_REQ_FIND_DEST "find_dest"
#define SCACHE_REQ_SAVE_DEST "save_dest"
#define SCACHE_REQ_FIND_ENDP "find_endp"
#define SCACHE_REQ_SAVE_ENDP "save_endp"

#define SCACHE_ATTR_ENDP_LABEL "endpoint_label"
#define SCACHE_ATTR_ENDP_PROP "endpoint_property"

#define SCACHE_STAT_OK 0
#define SCACHE_STAT_FAIL (-1)

#endif
