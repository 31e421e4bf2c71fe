/*
 * recipient_list - a growable array of recipients that owns their strings.
 *
 * Exports recipient_list_init/add/swap/free and rcpt_print(), which sends
 * one recipient over the attribute protocol (received by rcpb_scan() in
 * rcpt_buf.c). Allocation failure is fatal (mymalloc); a bad variant is a
 * caller bug (panic).
 */

#include <string.h>

#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "recipient_list.h"

/* recipient_list_init - start an empty list */
void recipient_list_init(RECIPIENT_LIST *list, int variant)
{
    if (variant < RCPT_LIST_INIT_STATUS || variant > RCPT_LIST_INIT_ADDR)
        msg_panic("recipient_list_init: bad variant %d", variant);
    list->avail = 1;
    list->len = 0;
    list->info = (RECIPIENT *)mymalloc(sizeof(RECIPIENT) * list->avail);
    list->variant = variant;
}

/* recipient_list_add - append copies of one recipient's fields */
void recipient_list_add(RECIPIENT_LIST *list, long offset, const char *dsn_orcpt, int dsn_notify,
                        const char *orig_rcpt, const char *recipient)
{
    RECIPIENT *rcpt;

    if (list->len >= list->avail) {
        list->avail *= 2;
        list->info = (RECIPIENT *)myrealloc(list->info, sizeof(RECIPIENT) * list->avail);
    }
    rcpt = list->info + list->len++;
    rcpt->offset = offset;
    rcpt->dsn_orcpt = mystrdup(dsn_orcpt ? dsn_orcpt : "");
    rcpt->dsn_notify = dsn_notify;
    rcpt->orig_addr = mystrdup(orig_rcpt ? orig_rcpt : "");
    rcpt->address = mystrdup(recipient);
    memset(&rcpt->u, 0, sizeof(rcpt->u));
    if (list->variant == RCPT_LIST_INIT_ADDR)
        rcpt->u.addr_type = 0;
}

/* recipient_list_swap - exchange the contents of two lists */
void recipient_list_swap(RECIPIENT_LIST *a, RECIPIENT_LIST *b)
{
    RECIPIENT_LIST tmp;

    if (a->variant != b->variant)
        msg_panic("recipient_list_swap: variant %d != %d", a->variant, b->variant);
    tmp = *a;
    *a = *b;
    *b = tmp;
}

/* recipient_list_free - release the list and its strings */
void recipient_list_free(RECIPIENT_LIST *list)
{
    RECIPIENT *rcpt;

    for (rcpt = list->info; rcpt < list->info + list->len; rcpt++) {
        myfree((void *)rcpt->dsn_orcpt);
        myfree((void *)rcpt->orig_addr);
        myfree((void *)rcpt->address);
    }
    myfree((void *)list->info);
    list->info = 0;
    list->len = list->avail = 0;
}

/* rcpt_print - send one recipient as a run of attributes */
int rcpt_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr)
{
    const RECIPIENT *rcpt = (const RECIPIENT *)ptr;

    return (print_fn(fp, flags | ATTR_FLAG_MORE,
                     SEND_ATTR_STR(MAIL_ATTR_ORCPT, rcpt->orig_addr ? rcpt->orig_addr : ""),
                     SEND_ATTR_STR(MAIL_ATTR_RECIP, rcpt->address),
                     SEND_ATTR_LONG(MAIL_ATTR_OFFSET, rcpt->offset),
                     SEND_ATTR_STR(MAIL_ATTR_DSN_ORCPT, rcpt->dsn_orcpt ? rcpt->dsn_orcpt : ""),
                     SEND_ATTR_INT(MAIL_ATTR_DSN_NOTIFY, rcpt->dsn_notify), ATTR_TYPE_END));
}
