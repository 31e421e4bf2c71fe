#ifndef VERIFY_CLNT_H
#define VERIFY_CLNT_H

/*
 * verify_clnt - client of the address verification service.
 *
 * Wire protocol (server announces protocol=address_verification_prrotocol):
 *   request=query  address=A                           -> status recipient_status reason
 *   request=update address=A recipient_status=S reason=T -> status
 * where recipient_status is a DEL_RCPT_STAT_* value (bounce.h): OK (0),
 * DEFER (1), BOUNCE (2) or TODO (3, "probe in progress").
 */

#include "bounce.h"
#include "vstring.h"

#define VRFY_REQ_QUERY "query"
#define VRFY_REQ_UPDATE "update"

/* Request completion status. */
#define VRFY_STAT_OK 0      /* the request was served */
#define VRFY_STAT_FAIL (-1) /* the service could not be reached */
#define VRFY_STAT_BAD (-2)  /* the server rejected the request */

/* Status and reason of addr; VRFY_STAT_OK when *addr_status is valid. */
extern int verify_clnt_query(const char *addr, int *addr_status, VSTRING *why);

/* Record the outcome of a probe for addr. */
extern int verify_clnt_update(const char *addr, int addr_status, const char *why);

/* Name of a DEL_RCPT_STAT_* value ("deliverable", ...), or null if invalid. */
extern const char *verify_clnt_stat2name(int addr_status);

#endif
