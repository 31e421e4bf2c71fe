#ifndef CIDR_MATCH_H
#define CIDR_MATCH_H

/* cidr_match - parse net/mask patterns and match addresses against them */

#include <sys/socket.h>

#include "vstring.h"

typedef struct CIDR_MATCH {
    int family;            /* AF_INET or AF_INET6 */
    int mask_len;          /* significant bits: 0..32 or 0..128 */
    unsigned char net[16]; /* network in network byte order, host bits zero */
} CIDR_MATCH;

extern int cidr_match_parse(CIDR_MATCH *cm, const char *pattern, VSTRING *why);
extern int cidr_match_execute(const CIDR_MATCH *cm, const char *addr);
extern int cidr_match_bytes(const CIDR_MATCH *cm, int family, const unsigned char *addr);
extern const char *cidr_match_format(const CIDR_MATCH *cm, VSTRING *buf);

#endif
