#ifndef DEFER_H
#define DEFER_H

/*
 * defer - the client of the defer service: record that a recipient must be
 * tried again (logged "status=deferred"), send delay warnings, and turn the
 * defer log into a non-delivery notice when the message expires.
 * Protocol: see bounce.h (same daemon, service var_defer_service_name).
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"

/*
 * defer_append - record a deferred recipient. The status must be 4.x.x
 * (a 5.x.x or 2.x.x status is logged as a warning and changed to 4.x.x).
 * Always returns -1: the recipient is not done. For a trace-only request
 * the outcome goes to the trace log instead.
 */
extern int defer_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                        const char *relay, DSN *dsn);

/*
 * defer_flush - the message expired: send a non-delivery notice for every
 * recipient in the defer log, then remove the log. Returns 0 or -1.
 */
extern int defer_flush(int flags, const char *queue, const char *id, const char *encoding,
                       int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret);

/* defer_warn - send a delay warning for the defer log (kept). Returns 0 or -1. */
extern int defer_warn(int flags, const char *queue, const char *id, const char *encoding,
                      int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret);

#endif
