#ifndef DSN_H
#define DSN_H

/*
 * dsn - one delivery status notification: what happened to one recipient,
 * in the terms of RFC 3463 (status) and RFC 3464 (action, diagnostic,
 * remote MTA), plus the human-readable reason that goes into the log.
 *
 * A DSN only points at strings; dsn_create() makes a copy that owns them,
 * DSN_ASSIGN()/DSN_SIMPLE() fill one on the stack without copying.
 */

#include "attr.h"
#include "vstream.h"

typedef struct DSN {
    const char *status; /* RFC 3463 "x.y.z" */
    const char *action; /* RFC 3464 action, or "" for the default */
    const char *reason; /* human-readable text, for logs and notices */
    const char *dtype;  /* diagnostic type: "smtp", "x-unix", or "" */
    const char *dtext;  /* diagnostic text, e.g. a remote server reply */
    const char *mtype;  /* remote MTA name type: "dns", or "" */
    const char *mname;  /* remote MTA name */
} DSN;

/* Fill a caller-owned DSN without copying; every argument must be non-null. */
static inline DSN *dsn_assign(DSN *dsn, const char *status, const char *action, const char *reason,
                              const char *dtype, const char *dtext, const char *mtype,
                              const char *mname)
{
    dsn->status = status;
    dsn->action = action;
    dsn->reason = reason;
    dsn->dtype = dtype;
    dsn->dtext = dtext;
    dsn->mtype = mtype;
    dsn->mname = mname;
    return (dsn);
}

#define DSN_ASSIGN dsn_assign
#define DSN_SIMPLE(dsn, _status, _reason)                                                          \
    DSN_ASSIGN((dsn), (_status), "", (_reason), "", "", "", "")

#define DSN_NO_DTYPE ""
#define DSN_NO_MTYPE ""
#define DSN_DTYPE_SMTP "smtp"
#define DSN_DTYPE_UNIX "x-unix"
#define DSN_MTYPE_DNS "dns"

/* RFC 3464 actions. */
#define DSN_ACTION_FAILED "failed"
#define DSN_ACTION_DELAYED "delayed"
#define DSN_ACTION_DELIVERED "delivered"
#define DSN_ACTION_RELAYED "relayed"
#define DSN_ACTION_EXPANDED "expanded"
#define DSN_ACTION_DELIVERABLE "deliverable"     /* address probes */
#define DSN_ACTION_UNDELIVERABLE "undeliverable" /* address probes */

/*
 * dsn_create - copy the fields (null becomes ""); the status must be a
 * valid "x.y.z" (panic otherwise: a caller bug).
 */
extern DSN *dsn_create(const char *status, const char *action, const char *reason,
                       const char *dtype, const char *dtext, const char *mtype, const char *mname);
extern DSN *dsn_copy(const DSN *dsn);
extern void dsn_free(DSN *dsn);

/*
 * dsn_print - ATTR_TYPE_FUNC callback that sends the fields as status,
 * diag_type, diag_text, mta_type, mta_mname, action, reason (that order).
 * The receiving side is dsb_scan() in dsn_buf.h.
 */
extern int dsn_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr);

#endif
