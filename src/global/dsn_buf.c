/*
 * dsn_buf - a reusable DSN built from growable strings (see dsn_buf.h).
 *
 * Exports dsb_create()/dsb_free()/dsb_reset(), the setters dsb_update(),
 * dsb_simple(), dsb_unix(), dsb_formal(), dsb_status(), dsb_dsn() to view
 * the buffer as a DSN, and dsb_scan(), the attribute-protocol receiver
 * that pairs with dsn_print(). Setters panic on an invalid status (a
 * caller bug); dsb_scan() returns -1 on input that is incomplete or has a
 * malformed status, because that input comes from another process.
 */

#include <string.h>

#include "dsn_buf.h"
#include "dsn_util.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"

/* dsb_create - an empty DSN buffer */
DSN_BUF *dsb_create(void)
{
    DSN_BUF *dsb = (DSN_BUF *)mymalloc(sizeof(*dsb));

    dsb->status = vstring_alloc(10);
    dsb->action = vstring_alloc(10);
    dsb->mtype = vstring_alloc(10);
    dsb->mname = vstring_alloc(100);
    dsb->dtype = vstring_alloc(10);
    dsb->dtext = vstring_alloc(100);
    dsb->reason = vstring_alloc(100);
    dsb_dsn(dsb);
    return (dsb);
}

/* dsb_free - release a DSN buffer */
void dsb_free(DSN_BUF *dsb)
{
    vstring_free(dsb->status);
    vstring_free(dsb->action);
    vstring_free(dsb->mtype);
    vstring_free(dsb->mname);
    vstring_free(dsb->dtype);
    vstring_free(dsb->dtext);
    vstring_free(dsb->reason);
    myfree((void *)dsb);
}

/* dsb_reset - empty every field */
void dsb_reset(DSN_BUF *dsb)
{
    VSTRING_RESET(dsb->status);
    VSTRING_RESET(dsb->action);
    VSTRING_RESET(dsb->mtype);
    VSTRING_RESET(dsb->mname);
    VSTRING_RESET(dsb->dtype);
    VSTRING_RESET(dsb->dtext);
    VSTRING_RESET(dsb->reason);
}

/* dsb_check_status - panic on a status that is not x.y.z */
static void dsb_check_status(const char *who, const char *status)
{
    if (status == 0 || dsn_valid(status) == 0 || dsn_valid(status) != strlen(status))
        msg_panic("%s: bad status \"%s\"", who, status ? status : "(null)");
}

#define DSB_SET(vp, s) vstring_strcpy((vp), (s) ? (s) : "")

/* dsb_formal - set everything but the reason */
DSN_BUF *dsb_formal(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                    const char *mname, const char *dtype, const char *dtext)
{
    dsb_check_status("dsb_formal", status);
    DSB_SET(dsb->status, status);
    DSB_SET(dsb->action, action);
    DSB_SET(dsb->mtype, mtype);
    DSB_SET(dsb->mname, mname);
    DSB_SET(dsb->dtype, dtype);
    DSB_SET(dsb->dtext, dtext);
    return (dsb);
}

/* dsb_vupdate - set every field, reason printf-style */
DSN_BUF *dsb_vupdate(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                     const char *mname, const char *dtype, const char *dtext, const char *fmt,
                     va_list ap)
{
    dsb_formal(dsb, status, action, mtype, mname, dtype, dtext);
    vstring_vsprintf(dsb->reason, fmt, ap);
    return (dsb);
}

/* dsb_update - set every field, reason printf-style */
DSN_BUF *dsb_update(DSN_BUF *dsb, const char *status, const char *action, const char *mtype,
                    const char *mname, const char *dtype, const char *dtext, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dsb_vupdate(dsb, status, action, mtype, mname, dtype, dtext, fmt, ap);
    va_end(ap);
    return (dsb);
}

/* dsb_simple - status and reason only */
DSN_BUF *dsb_simple(DSN_BUF *dsb, const char *status, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dsb_vupdate(dsb, status, "", "", "", "", "", fmt, ap);
    va_end(ap);
    return (dsb);
}

/* dsb_unix - status, reason, and an x-unix diagnostic */
DSN_BUF *dsb_unix(DSN_BUF *dsb, const char *status, const char *dtext, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    dsb_vupdate(dsb, status, "", "", "", DSN_DTYPE_UNIX, dtext, fmt, ap);
    va_end(ap);
    return (dsb);
}

/* dsb_status - replace the status only */
DSN_BUF *dsb_status(DSN_BUF *dsb, const char *status)
{
    dsb_check_status("dsb_status", status);
    vstring_strcpy(dsb->status, status);
    return (dsb);
}

/* dsb_dsn - view the buffer as a DSN */
DSN *dsb_dsn(DSN_BUF *dsb)
{
    DSN_ASSIGN(&dsb->dsn, vstring_str(dsb->status), vstring_str(dsb->action),
               vstring_str(dsb->reason), vstring_str(dsb->dtype), vstring_str(dsb->dtext),
               vstring_str(dsb->mtype), vstring_str(dsb->mname));
    return (&dsb->dsn);
}

/* dsb_scan - receive the attributes that dsn_print() sent */
int dsb_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr)
{
    DSN_BUF *dsb = (DSN_BUF *)ptr;
    int ret;
    const char *status;

    ret = scan_fn(fp, flags | ATTR_FLAG_MORE, RECV_ATTR_STR(MAIL_ATTR_DSN_STATUS, dsb->status),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_DTYPE, dsb->dtype),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_DTEXT, dsb->dtext),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_MTYPE, dsb->mtype),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_MNAME, dsb->mname),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_ACTION, dsb->action),
                  RECV_ATTR_STR(MAIL_ATTR_WHY, dsb->reason), ATTR_TYPE_END);
    if (ret != 7)
        return (-1);
    /* An empty status is allowed: it means "no status" (hop status). */
    status = vstring_str(dsb->status);
    if (*status && (dsn_valid(status) == 0 || dsn_valid(status) != strlen(status))) {
        msg_warn("malformed status \"%.20s\" from %s", status, vstream_path(fp));
        return (-1);
    }
    dsb_dsn(dsb);
    return (ret);
}
