#ifndef BOUNCE_H
#define BOUNCE_H

/*
 * bounce - the client of the bounce service: record that recipients could
 * not be delivered, and have the bounce daemon send the non-delivery notice.
 *
 * Wire protocol (attr_print0; the server announces
 * protocol=delivery_status_protocol; every request is one list and the
 * reply is status=<int>, 0 = done):
 *   APPEND  nrequest=0 flags queue_id <recipient> <dsn>
 *   FLUSH   nrequest=1 flags queue_name queue_id encoding smtputf8 sender
 *           envelope_id ret_flags
 *   WARN    nrequest=2 as FLUSH (defer service: delay warning)
 *   VERP    nrequest=3 as FLUSH, then verp_delimiters
 *   ONE     nrequest=4 as FLUSH, then <recipient> <dsn>
 *   TRACE   nrequest=5 as FLUSH (trace service: delivery status report)
 * <recipient> = original_recipient recipient offset dsn_orig_rcpt
 * notify_flags; <dsn> = status diag_type diag_text mta_type mta_mname
 * action reason.
 *
 * The same requests go to the services "bounce", "defer" and "trace"
 * (var_bounce_service_name etc.), which share one daemon.
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"

/* Requests (nrequest). */
#define BOUNCE_CMD_APPEND 0 /* append a record to the per-message log */
#define BOUNCE_CMD_FLUSH 1  /* send the notice for the bounce log, remove it */
#define BOUNCE_CMD_WARN 2   /* send a delay warning for the defer log */
#define BOUNCE_CMD_VERP 3   /* FLUSH with one notice per recipient (VERP) */
#define BOUNCE_CMD_ONE 4    /* send a notice for one recipient, no log */
#define BOUNCE_CMD_TRACE 5  /* send a delivery status report for the trace log */

/*
 * Flags. The DEL_REQ_FLAG_* trace bits (deliver_request.h) may be or-ed in:
 * they never overlap these.
 */
#define BOUNCE_FLAG_NONE 0
#define BOUNCE_FLAG_CLEAN (1 << 0)   /* remove the log when the request fails */
#define BOUNCE_FLAG_DELRCPT (1 << 1) /* the service marks reported recipients done */

/* Per-recipient outcome kinds in address probes (verify). */
#define DEL_RCPT_STAT_OK 0
#define DEL_RCPT_STAT_DEFER 1
#define DEL_RCPT_STAT_BOUNCE 2
#define DEL_RCPT_STAT_TODO 3

/*
 * bounce_append - record a failed recipient (logged "status=bounced") in
 * the bounce log. The status must be 5.x.x (anything else is logged and
 * becomes 5.0.0). With soft_bounce = yes this is a deferral instead
 * (defer_append, 5.x.x becomes 4.x.x). For an address probe the outcome
 * goes to the verify or trace service instead; with DEL_REQ_FLAG_RECORD it
 * also goes to the trace log. When the bounce service fails the recipient
 * is deferred ("4.3.0 bounce or trace service failure"). Returns 0 when the
 * recipient may be marked done, non-zero when it must be retried.
 */
extern int bounce_append(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                         const char *relay, DSN *dsn);

/*
 * bounce_flush - ask the bounce daemon to send the non-delivery notice for
 * the message's bounce log and remove the log. Returns 0 or -1.
 */
extern int bounce_flush(int flags, const char *queue, const char *id, const char *encoding,
                        int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret);

/* bounce_flush_verp - as bounce_flush, one notice per recipient (VERP sender). */
extern int bounce_flush_verp(int flags, const char *queue, const char *id, const char *encoding,
                             int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret,
                             const char *verp_delims);

/*
 * bounce_one - send a notice for one recipient right away, without a log
 * (falls back to bounce_append semantics when the daemon fails). Returns 0
 * when the recipient may be marked done.
 */
extern int bounce_one(int flags, const char *queue, const char *id, const char *encoding,
                      int smtputf8, const char *sender, const char *dsn_envid, int dsn_ret,
                      MSG_STATS *stats, RECIPIENT *rcpt, const char *relay, DSN *dsn);

/*
 * Low level, shared by bounce, defer and trace: one APPEND request to the
 * named service, and one FLUSH/WARN/TRACE-style request. Both return the
 * service's status (0 = done) or -1 (logged).
 */
extern int bounce_command_append(const char *service, int flags, const char *id,
                                 const RECIPIENT *rcpt, const DSN *dsn);
extern int bounce_command_flush(const char *service, int command, int flags, const char *queue,
                                const char *id, const char *encoding, int smtputf8,
                                const char *sender, const char *dsn_envid, int dsn_ret);

/* The relay name when nothing was contacted. */
#define NO_RELAY_AGENT "none"

#endif
