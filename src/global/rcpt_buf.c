/*
 * rcpt_buf - a reusable recipient with growable strings (see rcpt_buf.h).
 *
 * Exports rcpb_create/reset/free, rcpb_recipient() to view the buffer as
 * a RECIPIENT, and rcpb_scan(), the receiver that pairs with rcpt_print().
 * rcpb_scan() returns -1 when any of the five attributes is missing, since
 * the input comes from another process.
 */

#include "mail_proto.h"
#include "mymalloc.h"
#include "rcpt_buf.h"

/* rcpb_create - an empty recipient buffer */
RCPT_BUF *rcpb_create(void)
{
    RCPT_BUF *rcpb = (RCPT_BUF *)mymalloc(sizeof(*rcpb));

    rcpb->address = vstring_alloc(30);
    rcpb->orig_addr = vstring_alloc(30);
    rcpb->dsn_orcpt = vstring_alloc(30);
    rcpb->dsn_notify = 0;
    rcpb->offset = 0;
    rcpb_recipient(rcpb);
    return (rcpb);
}

/* rcpb_reset - empty every field */
void rcpb_reset(RCPT_BUF *rcpb)
{
    VSTRING_RESET(rcpb->address);
    VSTRING_RESET(rcpb->orig_addr);
    VSTRING_RESET(rcpb->dsn_orcpt);
    rcpb->dsn_notify = 0;
    rcpb->offset = 0;
}

/* rcpb_free - release a recipient buffer */
void rcpb_free(RCPT_BUF *rcpb)
{
    vstring_free(rcpb->address);
    vstring_free(rcpb->orig_addr);
    vstring_free(rcpb->dsn_orcpt);
    myfree((void *)rcpb);
}

/* rcpb_recipient - view the buffer as a RECIPIENT */
RECIPIENT *rcpb_recipient(RCPT_BUF *rcpb)
{
    RECIPIENT_ASSIGN(&rcpb->rcpt, rcpb->offset, vstring_str(rcpb->dsn_orcpt), rcpb->dsn_notify,
                     vstring_str(rcpb->orig_addr), vstring_str(rcpb->address));
    return (&rcpb->rcpt);
}

/* rcpb_scan - receive the attributes that rcpt_print() sent */
int rcpb_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr)
{
    RCPT_BUF *rcpb = (RCPT_BUF *)ptr;
    int ret;

    ret = scan_fn(fp, flags | ATTR_FLAG_MORE, RECV_ATTR_STR(MAIL_ATTR_ORCPT, rcpb->orig_addr),
                  RECV_ATTR_STR(MAIL_ATTR_RECIP, rcpb->address),
                  RECV_ATTR_LONG(MAIL_ATTR_OFFSET, &rcpb->offset),
                  RECV_ATTR_STR(MAIL_ATTR_DSN_ORCPT, rcpb->dsn_orcpt),
                  RECV_ATTR_INT(MAIL_ATTR_DSN_NOTIFY, &rcpb->dsn_notify), ATTR_TYPE_END);
    if (ret != 5)
        return (-1);
    rcpb_recipient(rcpb);
    return (ret);
}
