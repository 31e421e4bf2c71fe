#ifndef DSN_BUF_H
#define DSN_BUF_H

/*
 * dsn_buf - a reusable DSN whose fields are growable strings: delivery
 * agents fill it while they work, the protocol layer receives into it.
 */

#include <stdarg.h>

#include "attr.h"
#include "dsn.h"
#include "vstream.h"
#include "vstring.h"

typedef struct DSN_BUF {
    DSN dsn;         /* the fields as a DSN; valid after DSN_FROM_DSN_BUF() */
    VSTRING *status; /* "x.y.z" */
    VSTRING *action; /* "" = default for the service */
    VSTRING *mtype;  /* "dns" or "" */
    VSTRING *mname;  /* remote MTA */
    VSTRING *dtype;  /* "smtp", "x-unix" or "" */
    VSTRING *dtext;  /* diagnostic text */
    VSTRING *reason; /* free text */
} DSN_BUF;

extern DSN_BUF *dsb_create(void);
extern void dsb_free(DSN_BUF *dsb);
extern void dsb_reset(DSN_BUF *dsb);

/*
 * dsb_update - set every field; reason is printf-style. Arguments are in
 * the order status, action, mtype, mname, dtype, dtext, reason.
 */
extern DSN_BUF *dsb_update(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                           const char *mname, const char *dtype, const char *dtext, const char *fmt,
                           ...) __attribute__((format(printf, 8, 9)));
extern DSN_BUF *dsb_vupdate(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                            const char *mname, const char *dtype, const char *dtext,
                            const char *fmt, va_list ap);

/* dsb_simple - status and reason; every other field empty. */
extern DSN_BUF *dsb_simple(DSN_BUF *dsb, const char *status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* dsb_unix - status, reason, and diagnostic type x-unix with text dtext. */
extern DSN_BUF *dsb_unix(DSN_BUF *dsb, const char *status, const char *dtext, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* dsb_formal - every field but the reason, which is left as it is. */
extern DSN_BUF *dsb_formal(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                           const char *mname, const char *dtype, const char *dtext);

/* dsb_status - replace only the status. */
extern DSN_BUF *dsb_status(DSN_BUF *dsb, const char *status);

/* Make dsb->dsn point at the current strings, and return &dsb->dsn. */
extern DSN *dsb_dsn(DSN_BUF *dsb);
#define DSN_FROM_DSN_BUF(dsb) dsb_dsn(dsb)

/*
 * dsb_scan - ATTR_TYPE_FUNC callback that receives what dsn_print() sent;
 * fails (-1) when an attribute is missing or the status is not "x.y.z".
 */
extern int dsb_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr);

#endif
