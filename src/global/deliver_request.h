#ifndef DELIVER_REQUEST_H
#define DELIVER_REQUEST_H

/*
 * deliver_request - the delivery agent's side of the queue manager's
 * delivery request protocol (attribute protocol, attr_print0 encoding).
 *
 *   agent -> qmgr:  protocol=delivery_request_protocol
 *   qmgr -> agent:  one list: flags, queue_name, queue_id, offset, size,
 *                   nexthop, encoding, smtputf8, sender, envelope_id,
 *                   ret_flags, time (binary MSG_STATS), log_client_name,
 *                   log_client_address, log_client_port,
 *                   log_message_origin, log_helo_name, log_protocol_name,
 *                   rewrite_context, sasl_method, sasl_username,
 *                   sasl_sender, log_ident, recipient_count, then per
 *                   recipient original_recipient, recipient, offset,
 *                   dsn_orig_rcpt, notify_flags; list terminator.
 *   agent -> qmgr:  one list: the hop status DSN (status, diag_type,
 *                   diag_text, mta_type, mta_mname, action, reason), then
 *                   status (int). The two "status" names are told apart
 *                   by position, as in Postfix.
 */

#include "dsn.h"
#include "msg_stats.h"
#include "recipient_list.h"
#include "vstream.h"

typedef struct DELIVER_REQUEST {
    VSTREAM *fp;              /* queue file, open read-write, shared lock */
    int flags;                /* DEL_REQ_FLAG_* */
    char *queue_name;         /* "active" normally */
    char *queue_id;           /* queue file name */
    long data_offset;         /* offset of the message content in the file */
    long data_size;           /* content size (for size limits) */
    char *nexthop;            /* next hop from the resolver/transport */
    char *encoding;           /* MIME: "7bit", "8bit" or "" */
    int sendopts;             /* SMTPUTF8 request (wire name "smtputf8") */
    char *sender;             /* envelope sender ("" = null sender) */
    char *dsn_envid;          /* DSN ENVID, or "" */
    int dsn_ret;              /* DSN RET (DSN_RET_*), 0 = not given */
    MSG_STATS msg_stats;      /* time stamps so far */
    RECIPIENT_LIST rcpt_list; /* recipients of this request */
    DSN *hop_status;          /* set by the agent: the next hop is unusable */
    char *client_name;        /* log_client_name */
    char *client_addr;        /* log_client_address */
    char *client_port;        /* log_client_port */
    char *client_origin;      /* log_message_origin */
    char *client_helo;        /* log_helo_name */
    char *client_proto;       /* log_protocol_name */
    char *rewrite_context;    /* "local" or "remote" */
    char *sasl_method;
    char *sasl_username;
    char *sasl_sender;
    char *log_ident; /* queue id for logging (the original's for a copy) */
} DELIVER_REQUEST;

/* Request flags; the values are Postfix's. */
#define DEL_REQ_FLAG_SUCCESS (1 << 0)     /* mark delivered recipients done */
#define DEL_REQ_FLAG_BOUNCE (1 << 1)      /* mark bounced recipients done */
#define DEL_REQ_FLAG_MTA_VRFY (1 << 8)    /* address probe from the MTA (verify) */
#define DEL_REQ_FLAG_USR_VRFY (1 << 9)    /* address probe from a user (sendmail -bv) */
#define DEL_REQ_FLAG_RECORD (1 << 10)     /* deliver and record (sendmail -v) */
#define DEL_REQ_FLAG_CONN_LOAD (1 << 11)  /* may use a cached connection */
#define DEL_REQ_FLAG_CONN_STORE (1 << 12) /* may cache the connection */

#define DEL_REQ_FLAG_DEFLT (DEL_REQ_FLAG_SUCCESS | DEL_REQ_FLAG_BOUNCE)
#define DEL_REQ_TRACE_FLAGS_MASK                                                                   \
    (DEL_REQ_FLAG_MTA_VRFY | DEL_REQ_FLAG_USR_VRFY | DEL_REQ_FLAG_RECORD)
#define DEL_REQ_TRACE_FLAGS(f) ((f)&DEL_REQ_TRACE_FLAGS_MASK)
#define DEL_REQ_TRACE_ONLY_MASK (DEL_REQ_FLAG_MTA_VRFY | DEL_REQ_FLAG_USR_VRFY)
#define DEL_REQ_TRACE_ONLY(f) ((f)&DEL_REQ_TRACE_ONLY_MASK)

/* Reply status: 0 = every recipient done (delivered or bounced). */
#define DEL_STAT_FINAL 0
#define DEL_STAT_DEFER (-1) /* something must be tried again */

/*
 * deliver_request_read - announce the protocol, read one request, open
 * and share-lock the queue file (positioned at data_offset). Returns 0 (no
 * reply sent; qmgr sees the hang-up and defers the batch) when the request
 * is malformed or the queue file cannot be opened or locked.
 */
extern DELIVER_REQUEST *deliver_request_read(VSTREAM *stream);

/*
 * deliver_request_done - send the reply (request->hop_status or an empty
 * DSN, then status), close the queue file and free the request. Returns
 * 0, or -1 when the reply could not be sent.
 */
extern int deliver_request_done(VSTREAM *stream, DELIVER_REQUEST *request, int status);

/* deliver_request_free - free without replying (tests, error paths). */
extern void deliver_request_free(DELIVER_REQUEST *request);

/*
 * deliver_request_send - the queue manager's side, for qmgr and tests:
 * read the announcement, send the request. Returns 0 or -1 (logged).
 */
extern int deliver_request_send(VSTREAM *stream, const DELIVER_REQUEST *request);

/*
 * deliver_request_reply - the queue manager's side: read the reply into
 * hop_status (may be 0 to discard) and *status. Returns 0 or -1 (the agent
 * crashed or spoke garbage: qmgr defers the whole batch).
 */
struct DSN_BUF;
extern int deliver_request_reply(VSTREAM *stream, struct DSN_BUF *hop_status, int *status);

#endif
