#ifndef SENT_H
#define SENT_H

/*
 * sent - record a successful delivery: log "status=sent" (log_adhoc), and
 * when the sender asked for it (DSN NOTIFY=SUCCESS, or a traced message)
 * append a record to the trace log for the success notice. For an address
 * probe (DEL_REQ_FLAG_USR_VRFY) only the trace record is written, with
 * action "deliverable", and nothing is delivered or logged as sent.
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"

/*
 * Returns 0 when the recipient may be marked done; non-zero when the trace
 * record could not be written (the recipient is then deferred).
 */
extern int sent(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                DSN *dsn);

#endif
