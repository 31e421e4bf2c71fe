#ifndef VIRTUAL_H
#define VIRTUAL_H

/*
 * virtual - internal interfaces of the virtual(8) delivery agent.
 */

#include "deliver_request.h"
#include "dsn_buf.h"
#include "recipient_list.h"
#include "virtual_lookup.h"

/* One recipient being delivered. */
typedef struct VIRTUAL_RCPT {
    DELIVER_REQUEST *rq; /* the request (queue file, sender, flags) */
    RECIPIENT *rcpt;     /* the recipient */
    const char *sender;  /* envelope sender */
    DSN_BUF *why;        /* the outcome being built */
} VIRTUAL_RCPT;

/* virtual_lock_mask - virtual_mailbox_lock as LOCK_TYPE_* bits. */
extern int virtual_lock_mask;

/* Report the recipient (relay=virtual); 0 = final, non-zero = retry. */
extern int virtual_sent(VIRTUAL_RCPT *vr);
extern int virtual_fail(VIRTUAL_RCPT *vr); /* 4.x.x defers, else bounces */

/* Deliver to the mailbox file or Maildir that the lookup found. */
extern int virtual_deliver_mailbox(VIRTUAL_RCPT *vr, const VIRTUAL_USER *user);
extern int virtual_deliver_maildir(VIRTUAL_RCPT *vr, const VIRTUAL_USER *user);

#endif
