#ifndef RECIPIENT_LIST_H
#define RECIPIENT_LIST_H

/*
 * recipient_list - the recipients of one delivery request or one queue
 * file: address, original address, DSN ORCPT and NOTIFY, and the offset of
 * the recipient's R record in the queue file (for marking it done).
 */

#include "attr.h"
#include "vstream.h"

struct QMGR_QUEUE; /* the queue manager's per-destination queue */

typedef struct RECIPIENT {
    long offset;                  /* R record offset in the queue file; 0 = none */
    const char *dsn_orcpt;        /* DSN ORCPT ("rfc822;addr"), or "" */
    int dsn_notify;               /* DSN NOTIFY mask (dsn_mask.h), 0 = default */
    const char *orig_addr;        /* address before aliasing/rewriting, or "" */
    const char *address;          /* the address delivered to */
    union {                       /* one word for the list's user */
        int status;               /* delivery agents: per-recipient status */
        struct QMGR_QUEUE *queue; /* qmgr: the destination queue */
        const char *addr_type;    /* notices: the address type */
    } u;
} RECIPIENT;

/* Fill a caller-owned RECIPIENT without copying. */
static inline RECIPIENT *recipient_assign(RECIPIENT *rcpt, long offset, const char *dsn_orcpt,
                                          int dsn_notify, const char *orig_addr,
                                          const char *address)
{
    rcpt->offset = offset;
    rcpt->dsn_orcpt = dsn_orcpt;
    rcpt->dsn_notify = dsn_notify;
    rcpt->orig_addr = orig_addr;
    rcpt->address = address;
    rcpt->u.status = 0;
    return (rcpt);
}

#define RECIPIENT_ASSIGN recipient_assign

typedef struct RECIPIENT_LIST {
    RECIPIENT *info; /* the recipients; the list owns their strings */
    int len;         /* in use */
    int avail;       /* allocated */
    int variant;     /* RCPT_LIST_INIT_* */
} RECIPIENT_LIST;

#define RCPT_LIST_INIT_STATUS 1 /* u.status */
#define RCPT_LIST_INIT_QUEUE 2  /* u.queue */
#define RCPT_LIST_INIT_ADDR 3   /* u.addr_type */

extern void recipient_list_init(RECIPIENT_LIST *list, int variant);
extern void recipient_list_add(RECIPIENT_LIST *list, long offset, const char *dsn_orcpt,
                               int dsn_notify, const char *orig_rcpt, const char *recipient);
extern void recipient_list_swap(RECIPIENT_LIST *a, RECIPIENT_LIST *b);
extern void recipient_list_free(RECIPIENT_LIST *list);

/*
 * rcpt_print - ATTR_TYPE_FUNC callback that sends one recipient as
 * original_recipient, recipient, offset, dsn_orig_rcpt, notify_flags.
 * The receiving side is rcpb_scan() in rcpt_buf.h.
 */
extern int rcpt_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr);

#endif
