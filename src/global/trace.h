#ifndef TRACE_H
#define TRACE_H

/*
 * trace - the client of the trace service: record what happened to a
 * recipient of a traced message (sendmail -v, sendmail -bv, DSN
 * NOTIFY=SUCCESS), and have the daemon send the delivery status report.
 * Protocol: see bounce.h (same daemon, service var_trace_service_name).
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"

/* trace_append - append one record to the trace log. Returns 0 or -1. */
extern int trace_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                        const char *relay, DSN *dsn);

/*
 * trace_flush - send the delivery status report for the trace log to the
 * sender, and remove the log. Returns 0 or -1.
 */
extern int trace_flush(int flags, const char *queue, const char *id, const char *encoding,
                       int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret);

#endif
