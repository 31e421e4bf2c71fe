#ifndef VERIFY_H
#define VERIFY_H

/*
 * verify - report the outcome of an address probe (DEL_REQ_FLAG_MTA_VRFY)
 * to the verify service, instead of delivering or bouncing: logs
 * "status=deliverable" or "status=undeliverable" and sends
 *   request=update address=<rcpt> recipient_status=<DEL_RCPT_STAT_*> reason=...
 * to private/$address_verify_service_name (reply status=<int>).
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"
#include "verify_clnt.h"

/* Returns 0 when the recipient may be marked done, -1 otherwise. */
extern int verify_append(const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                         DSN *dsn, int verify_status);

#endif
