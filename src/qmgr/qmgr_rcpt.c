/*
 * qmgr_rcpt - recipient lists and delivery status texts, the two small
 * value types that every other qmgr module passes around.
 *
 * A QMGR_RCPT_LIST owns copies of its strings; qmgr_rcpt_list_free()
 * releases them all. A QMGR_DSN owns copies of its status and reason. No
 * function here fails (memory exhaustion is fatal in mymalloc).
 */

#include <string.h>

#include "msg.h"
#include "mymalloc.h"

#include "qmgr.h"

/* qmgr_dsn_create - status code and reason */
QMGR_DSN *qmgr_dsn_create(const char *status, const char *reason)
{
    QMGR_DSN *dsn = (QMGR_DSN *) mymalloc(sizeof(*dsn));

    dsn->status = mystrdup(status);
    dsn->reason = mystrdup(reason);
    return (dsn);
}

/* qmgr_dsn_copy - duplicate a status */
QMGR_DSN *qmgr_dsn_copy(const QMGR_DSN *dsn)
{
    return (qmgr_dsn_create(dsn->status, dsn->reason));
}

/* qmgr_dsn_free - release a status */
void qmgr_dsn_free(QMGR_DSN *dsn)
{
    myfree(dsn->status);
    myfree(dsn->reason);
    myfree(dsn);
}

/* qmgr_rcpt_list_init - empty list */
void qmgr_rcpt_list_init(QMGR_RCPT_LIST *list)
{
    list->info = 0;
    list->len = 0;
    list->avail = 0;
}

/* qmgr_rcpt_list_add - append a copy of one recipient */
void qmgr_rcpt_list_add(QMGR_RCPT_LIST *list, long offset, const char *dsn_orcpt, int dsn_notify,
                        const char *orig_addr, const char *address)
{
    QMGR_RCPT *rcpt;

    if (list->len >= list->avail) {
        list->avail = list->avail ? 2 * list->avail : 1;
        list->info = (QMGR_RCPT *) myrealloc(list->info, list->avail * sizeof(*list->info));
    }
    rcpt = list->info + list->len++;
    rcpt->offset = offset;
    rcpt->dsn_orcpt = mystrdup(dsn_orcpt);
    rcpt->dsn_notify = dsn_notify;
    rcpt->orig_addr = mystrdup(orig_addr);
    rcpt->address = mystrdup(address);
    rcpt->queue = 0;
}

/* qmgr_rcpt_list_free - release the recipients and the array */
void qmgr_rcpt_list_free(QMGR_RCPT_LIST *list)
{
    QMGR_RCPT *rcpt;

    for (rcpt = list->info; rcpt < list->info + list->len; rcpt++) {
        myfree(rcpt->dsn_orcpt);
        myfree(rcpt->orig_addr);
        myfree(rcpt->address);
    }
    if (list->info)
        myfree(list->info);
    qmgr_rcpt_list_init(list);
}
