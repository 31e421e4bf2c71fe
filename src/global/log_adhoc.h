#ifndef LOG_ADHOC_H
#define LOG_ADHOC_H

/*
 * log_adhoc - the one-line delivery log record of one recipient:
 *
 *   QUEUEID: to=<rcpt>, orig_to=<orig>, relay=RELAY, conn_use=N, delay=D,
 *       delays=a/b/c/d, dsn=X.Y.Z, status=STATUS (reason)
 *
 * orig_to appears when the original address differs (case-insensitively)
 * from the recipient; conn_use when the connection was reused. Delays use
 * delay_logging_resolution_limit digits after the point at most.
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"
#include "vstring.h"

extern void log_adhoc(const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay,
                      DSN *dsn, const char *status);

/* log_adhoc_format - the same text, without logging it (for tests and traces). */
extern const char *log_adhoc_format(VSTRING *buf, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                                    const char *relay, DSN *dsn, const char *status);

/* log_adhoc_delay - one delay value formatted as in the log ("0.12", "3", "0"). */
extern const char *log_adhoc_delay(VSTRING *buf, const struct timeval *delay);

#endif
