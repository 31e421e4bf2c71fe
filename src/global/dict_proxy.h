#ifndef DICT_PROXY_H
#define DICT_PROXY_H

/*
 * dict_proxy - the "proxy:" table type: lookups and updates that go
 * through the proxymap (read-only) or proxywrite (read-write) service.
 *
 * Wire protocol (attribute lists, server announces protocol=proxymap_protocol):
 *   request=open     table=type:name flags=N            -> status flags
 *   request=lookup   table flags key                    -> status value
 *   request=update   table flags key value              -> status
 *   request=delete   table flags key                    -> status
 *   request=sequence table flags function=FIRST|NEXT    -> status key value
 */

#include "dict.h"

#define DICT_TYPE_PROXY "proxy"

#define PROXY_REQ_OPEN "open"
#define PROXY_REQ_LOOKUP "lookup"
#define PROXY_REQ_UPDATE "update"
#define PROXY_REQ_DELETE "delete"
#define PROXY_REQ_SEQUENCE "sequence"

/* Request completion status, as on the wire. */
#define PROXY_STAT_OK 0     /* found / done */
#define PROXY_STAT_NOKEY 1  /* not found, duplicate not stored, end of sequence */
#define PROXY_STAT_RETRY 2  /* temporary table failure */
#define PROXY_STAT_BAD 3    /* malformed request */
#define PROXY_STAT_DENY 4   /* table not listed in proxy_read_maps/proxy_write_maps */
#define PROXY_STAT_CONFIG 5 /* table configuration error */

/* Flags a client may ask for, and flags that describe the server's table. */
#define DICT_FLAG_RQST_MASK                                                                        \
    (DICT_FLAG_FOLD_ANY | DICT_FLAG_LOCK | DICT_FLAG_DUP_MASK | DICT_FLAG_SYNC_UPDATE |            \
     DICT_FLAG_PARANOID | DICT_FLAG_UTF8_MASK)
#define DICT_FLAG_IMPL_MASK (DICT_FLAG_FIXED | DICT_FLAG_PATTERN | DICT_FLAG_MULTI_WRITER)

/* map is "type:name"; O_RDONLY goes to proxymap, O_RDWR to proxywrite. */
extern DICT *dict_proxy_open(const char *map, int open_flags, int dict_flags);

#endif
