#ifndef BOUNCE_SERVICE_H
#define BOUNCE_SERVICE_H

/*
 * bounce_service - the bounce daemon's internal interfaces: the request
 * handlers, and the notice composer they share.
 */

#include <time.h>

#include "bounce_log.h"
#include "bounce_template.h"
#include "dsn_buf.h"
#include "rcpt_buf.h"
#include "vstream.h"
#include "vstring.h"

/* What a notice is made of: the original message and the log to report. */
typedef struct BOUNCE_INFO {
    const char *queue_name; /* queue of the original message */
    const char *queue_id;   /* its id */
    const char *encoding;   /* its MIME encoding: "7bit", "8bit", "" */
    int smtputf8;           /* SMTPUTF8 was requested */
    const char *dsn_envid;  /* DSN ENVID, or "" */
    const BOUNCE_TEMPLATE *template;
    BOUNCE_LOG *log; /* records to report; 0 when unavailable */
    RCPT_BUF *rcpb;  /* current record */
    DSN_BUF *dsb;
    VSTREAM *orig_fp;    /* the original queue file, or 0 */
    long orig_offs;      /* offset of its first content record, 0 = none */
    long message_size;   /* its content size, 0 = unknown */
    time_t arrival_time; /* its arrival, 0 = unknown */
    VSTRING *sender;     /* its envelope sender */
    VSTRING *orig_msgid; /* its Message-Id:, or empty */
    char *mime_boundary; /* of the notice */
    VSTRING *buf;        /* scratch */
} BOUNCE_INFO;

/*
 * bounce_info_create - read the original message's envelope and open the
 * log (log_queue = "bounce", "defer" or "trace"; or use a forged log).
 * A missing original or log is not an error: the notice says so.
 */
extern BOUNCE_INFO *bounce_info_create(const char *log_queue, BOUNCE_LOG *forged,
                                       const char *queue_name, const char *queue_id,
                                       const char *encoding, int smtputf8, const char *sender,
                                       const char *dsn_envid, const BOUNCE_TEMPLATE *template);
extern void bounce_info_free(BOUNCE_INFO *info);

/* Notice parts; each returns 0 or -1 (write error). */
extern int bounce_header(VSTREAM *fp, BOUNCE_INFO *info, const char *dest, int postmaster_copy);
extern int bounce_boilerplate(VSTREAM *fp, BOUNCE_INFO *info);
extern int bounce_header_dsn(VSTREAM *fp, BOUNCE_INFO *info);
extern int bounce_original(VSTREAM *fp, BOUNCE_INFO *info, int dsn_ret);

/*
 * The recipients, human-readable and as delivery-status fields. They
 * report the records whose NOTIFY is 0 or includes notify_filter, and
 * return how many, or -1 on a write error.
 */
extern int bounce_diagnostic_log(VSTREAM *fp, BOUNCE_INFO *info, int notify_filter);
extern int bounce_diagnostic_dsn(VSTREAM *fp, BOUNCE_INFO *info, int notify_filter);

/* bounce_count - how many records a notice would report */
extern int bounce_count(BOUNCE_INFO *info, int notify_filter);

/* Report every record, whatever its NOTIFY (postmaster copies). */
#define BOUNCE_NOTIFY_ALL 0xffff

/*
 * bounce_compose - a whole notice: header, template text (not for
 * postmaster copies), recipients, delivery-status part, the original.
 * Returns the number of recipients reported (0: nothing to send, the
 * notice must be abandoned), or -1 on a write error.
 */
extern int bounce_compose(VSTREAM *fp, BOUNCE_INFO *info, const char *dest, int postmaster_copy,
                          int notify_filter, int dsn_ret);

/*
 * bounce_post - compose a notice and post it through cleanup from
 * env_sender to dest; logs "ID: what: NEWID". Returns 0 when posted or
 * when there was nothing to report, -1 otherwise.
 */
extern int bounce_post(BOUNCE_INFO *info, const char *env_sender, const char *dest,
                       int postmaster_copy, int notify_filter, int dsn_ret, const char *what);

/* bounce_delrcpt - mark every reported recipient done in the original */
extern void bounce_delrcpt(BOUNCE_INFO *info);

/* The line-wrapping rule of the human-readable parts (width 79, indent 4). */
extern void bounce_wrap(VSTREAM *fp, const char *text, int (*out)(VSTREAM *, const char *));

/* Request handlers; each returns the status for the client (0 = done). */
extern int bounce_append_service(int flags, const char *log_queue, const char *queue_id,
                                 RECIPIENT *rcpt, DSN *dsn);
extern int bounce_notify_service(int flags, const char *log_queue, const char *queue_name,
                                 const char *queue_id, const char *encoding, int smtputf8,
                                 const char *sender, const char *dsn_envid, int dsn_ret,
                                 BOUNCE_TEMPLATES *ts);
extern int bounce_notify_verp(int flags, const char *log_queue, const char *queue_name,
                              const char *queue_id, const char *encoding, int smtputf8,
                              const char *sender, const char *dsn_envid, int dsn_ret,
                              const char *verp_delims, BOUNCE_TEMPLATES *ts);
extern int bounce_one_service(int flags, const char *queue_name, const char *queue_id,
                              const char *encoding, int smtputf8, const char *sender,
                              const char *dsn_envid, int dsn_ret, RECIPIENT *rcpt, DSN *dsn,
                              BOUNCE_TEMPLATES *ts);
extern int bounce_warn_service(int flags, const char *queue_name, const char *queue_id,
                               const char *encoding, int smtputf8, const char *sender,
                               const char *dsn_envid, int dsn_ret, BOUNCE_TEMPLATES *ts);
extern int bounce_trace_service(int flags, const char *queue_name, const char *queue_id,
                                const char *encoding, int smtputf8, const char *sender,
                                const char *dsn_envid, int dsn_ret, BOUNCE_TEMPLATES *ts);

/* The cleanup flags of notices (internal_mail_filter_classes "bounce"). */
extern int bounce_cleanup_flags(int smtputf8);

#endif
