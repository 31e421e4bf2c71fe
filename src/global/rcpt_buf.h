#ifndef RCPT_BUF_H
#define RCPT_BUF_H

/*
 * rcpt_buf - a reusable recipient whose strings are growable, for the
 * receiving side of rcpt_print() and for reading per-message logs.
 */

#include "attr.h"
#include "recipient_list.h"
#include "vstream.h"
#include "vstring.h"

typedef struct RCPT_BUF {
    RECIPIENT rcpt;     /* valid after RECIPIENT_FROM_RCPT_BUF() */
    VSTRING *address;   /* recipient */
    VSTRING *orig_addr; /* original_recipient */
    VSTRING *dsn_orcpt; /* dsn_orig_rcpt */
    int dsn_notify;     /* notify_flags */
    long offset;        /* offset */
} RCPT_BUF;

extern RCPT_BUF *rcpb_create(void);
extern void rcpb_reset(RCPT_BUF *rcpb);
extern void rcpb_free(RCPT_BUF *rcpb);

/* Make rcpb->rcpt point at the current strings, and return &rcpb->rcpt. */
extern RECIPIENT *rcpb_recipient(RCPT_BUF *rcpb);
#define RECIPIENT_FROM_RCPT_BUF(rcpb) rcpb_recipient(rcpb)

/* rcpb_scan - ATTR_TYPE_FUNC callback; -1 unless all five arrived. */
extern int rcpb_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr);

#endif
