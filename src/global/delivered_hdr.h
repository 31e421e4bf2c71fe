#ifndef DELIVERED_HDR_H
#define DELIVERED_HDR_H

/*
 * delivered_hdr - the Delivered-To: addresses a queued message already
 * carries, for the local delivery agent's mail forwarding loop check.
 */

#include <sys/types.h>

#include "vstream.h"

typedef struct DELIVERED_HDR_INFO DELIVERED_HDR_INFO;

/*
 * delivered_hdr_init - read the primary message headers from the queue file
 * fp at offset (the content start) and remember every Delivered-To: value,
 * folded to lower case. The file position is left wherever reading ended.
 */
extern DELIVERED_HDR_INFO *delivered_hdr_init(VSTREAM *fp, off_t offset);

/* delivered_hdr_find - 1 when address (internal form) is among them. */
extern int delivered_hdr_find(DELIVERED_HDR_INFO *info, const char *address);

extern void delivered_hdr_free(DELIVERED_HDR_INFO *info);

#endif
