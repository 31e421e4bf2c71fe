#ifndef VERIFY_CLNT_H
#define VERIFY_CLNT_H

/*
 * verify_clnt - ask the address verification service (verify(8), the
 * address_verify_service_name service) what it knows about an address.
 *
 * verify_clnt_query() returns VRFY_STAT_OK when the service answered;
 * *addr_status is then one of DEL_RCPT_STAT_* and why holds the reason
 * the service gave. VRFY_STAT_FAIL means the service could not be reached
 * or broke off (a warning is logged); VRFY_STAT_BAD that it refused the
 * request.
 */

#include "vstring.h"

#define VRFY_STAT_OK 0
#define VRFY_STAT_FAIL (-1)
#define VRFY_STAT_BAD (-2)

#define DEL_RCPT_STAT_OK 0      /* deliverable */
#define DEL_RCPT_STAT_DEFER 1   /* delivery was deferred */
#define DEL_RCPT_STAT_BOUNCE 2  /* undeliverable */
#define DEL_RCPT_STAT_TODO 3    /* not known yet: a probe is under way */

extern int verify_clnt_query(const char *addr, int *addr_status, VSTRING *why);

#endif
