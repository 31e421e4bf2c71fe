/*
 * bounce_notify_service - non-delivery notices: FLUSH (from the bounce
 * log, or from the defer log when a message expires), VERP (one notice per
 * recipient, to a VERP sender address) and ONE (one recipient, no log).
 *
 * Exports bounce_notify_service(), bounce_notify_verp(),
 * bounce_one_service() and bounce_cleanup_flags().
 *
 * Who gets what: a notice goes to the sender with the null sender, subject
 * to DSN NOTIFY; when the sender is the null sender (a bounce bounced),
 * the failure goes instead to 2bounce_notice_recipient as a double bounce
 * from double_bounce_sender (when notify_classes has bounce or 2bounce);
 * when the sender is the double-bounce address itself the notice is
 * dropped (no triple bounces). With notify_classes "bounce" a postmaster
 * copy with the headers only goes to bounce_notice_recipient.
 *
 * Failure: when the notice cannot be posted through cleanup the status is
 * -1 and the log is kept, so that the queue manager tries again; with
 * BOUNCE_FLAG_CLEAN the log is removed even then. The log is removed after
 * a successful notice.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>

#include "bounce.h"
#include "bounce_service.h"
#include "cleanup_user.h"
#include "dsn_mask.h"
#include "mail_addr.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "stringops.h"

/* bounce_cleanup_flags - cleanup flags for notices */
int bounce_cleanup_flags(int smtputf8)
{
    int flags = CLEANUP_FLAG_MASK_INTERNAL;
    char *save = mystrdup(var_internal_mail_filter_classes);
    char *bp = save;
    char *word;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0)
        if (strcasecmp(word, "bounce") == 0)
            flags |= CLEANUP_FLAG_FILTER_ALL;
    myfree(save);
    if (smtputf8)
        flags |= CLEANUP_FLAG_SMTPUTF8;
    return (flags);
}

/* bounce_notify_info - the notices for one BOUNCE_INFO; 0 when all went out */
static int bounce_notify_info(BOUNCE_INFO *info, const char *sender, int dsn_ret)
{
    int notify_mask = mail_error_mask(var_notify_classes);
    int status;

    if (strcasecmp(sender, mail_addr_double_bounce()) == 0) {
        msg_warn("%s: undeliverable postmaster notification discarded", info->queue_id);
        return (0);
    }
    if (*sender == 0) {
        if ((notify_mask & (MAIL_ERROR_BOUNCE | MAIL_ERROR_2BOUNCE)) == 0)
            return (0);
        return (bounce_post(info, mail_addr_double_bounce(), var_2bounce_notice_recipient, 1,
                            BOUNCE_NOTIFY_ALL, DSN_RET_FULL,
                            "postmaster non-delivery notification"));
    }
    status = bounce_post(info, "", sender, 0, DSN_NOTIFY_FAILURE, dsn_ret ? dsn_ret : DSN_RET_FULL,
                         "sender non-delivery notification");
    if (status == 0 && (notify_mask & MAIL_ERROR_BOUNCE) &&
        bounce_post(info, mail_addr_double_bounce(), var_bounce_notice_recipient, 1,
                    BOUNCE_NOTIFY_ALL, DSN_RET_HDRS, "postmaster non-delivery notification") != 0)
        msg_warn("%s: postmaster notice failed while bouncing to %s", info->queue_id, sender);
    return (status);
}

/* bounce_notify_service - FLUSH: the log becomes a non-delivery notice */
int bounce_notify_service(int flags, const char *log_queue, const char *queue_name,
                          const char *queue_id, const char *encoding, int smtputf8,
                          const char *sender, const char *dsn_envid, int dsn_ret,
                          BOUNCE_TEMPLATES *ts)
{
    BOUNCE_INFO *info;
    int status;

    info = bounce_info_create(log_queue, (BOUNCE_LOG *)0, queue_name, queue_id, encoding, smtputf8,
                              sender, dsn_envid, ts->failure);
    status = bounce_notify_info(info, sender, dsn_ret);
    if (status == 0 && (flags & BOUNCE_FLAG_DELRCPT))
        bounce_delrcpt(info);
    bounce_info_free(info);
    if ((status == 0 || (flags & BOUNCE_FLAG_CLEAN)) &&
        mail_queue_remove(log_queue, queue_id) < 0 && errno != ENOENT)
        msg_fatal("remove %s %s: %m", log_queue, queue_id);
    return (status);
}

/* verp_sender - sender with the recipient encoded: owner+user=host@domain */
static const char *verp_sender(VSTRING *buf, const char *sender, const char *rcpt,
                               const char *delims)
{
    const char *at = strrchr(sender, '@');
    const char *rat = strrchr(rcpt, '@');

    vstring_strncpy(buf, sender, at ? (size_t)(at - sender) : strlen(sender));
    VSTRING_ADDCH(buf, delims[0]);
    vstring_strncat(buf, rcpt, rat ? (size_t)(rat - rcpt) : strlen(rcpt));
    if (rat) {
        VSTRING_ADDCH(buf, delims[1]);
        vstring_strcat(buf, rat + 1);
    }
    if (at)
        vstring_strcat(buf, at);
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

/* bounce_notify_verp - VERP: one notice per logged recipient */
int bounce_notify_verp(int flags, const char *log_queue, const char *queue_name,
                       const char *queue_id, const char *encoding, int smtputf8, const char *sender,
                       const char *dsn_envid, int dsn_ret, const char *verp_delims,
                       BOUNCE_TEMPLATES *ts)
{
    BOUNCE_LOG *log;
    RCPT_BUF *rcpb = rcpb_create();
    DSN_BUF *dsb = dsb_create();
    VSTRING *verp = vstring_alloc(100);
    BOUNCE_INFO *info;
    int status = 0;

    if (strlen(verp_delims) != 2 || *sender == 0) {
        /* No usable VERP: an ordinary notice. */
        status = bounce_notify_service(flags, log_queue, queue_name, queue_id, encoding, smtputf8,
                                       sender, dsn_envid, dsn_ret, ts);
    } else if ((log = bounce_log_open(log_queue, queue_id, O_RDONLY, 0)) != 0) {
        while (status == 0 && bounce_log_read(log, rcpb, dsb) != 0) {
            info =
                bounce_info_create((char *)0, bounce_log_forge(&rcpb->rcpt, &dsb->dsn), queue_name,
                                   queue_id, encoding, smtputf8, sender, dsn_envid, ts->failure);
            status = bounce_notify_info(
                info, verp_sender(verp, sender, rcpb->rcpt.address, verp_delims), dsn_ret);
            if (status == 0 && (flags & BOUNCE_FLAG_DELRCPT))
                bounce_delrcpt(info);
            bounce_info_free(info);
        }
        (void)bounce_log_close(log);
        if ((status == 0 || (flags & BOUNCE_FLAG_CLEAN)) &&
            mail_queue_remove(log_queue, queue_id) < 0 && errno != ENOENT)
            msg_fatal("remove %s %s: %m", log_queue, queue_id);
    } else if (errno != ENOENT) {
        msg_warn("%s: open %s log: %m", queue_id, log_queue);
        status = -1;
    }
    rcpb_free(rcpb);
    dsb_free(dsb);
    vstring_free(verp);
    return (status);
}

/* bounce_one_service - ONE: a notice for one recipient, no log */
int bounce_one_service(int flags, const char *queue_name, const char *queue_id,
                       const char *encoding, int smtputf8, const char *sender,
                       const char *dsn_envid, int dsn_ret, RECIPIENT *rcpt, DSN *dsn,
                       BOUNCE_TEMPLATES *ts)
{
    BOUNCE_INFO *info;
    int status;

    info = bounce_info_create((char *)0, bounce_log_forge(rcpt, dsn), queue_name, queue_id,
                              encoding, smtputf8, sender, dsn_envid, ts->failure);
    status = bounce_notify_info(info, sender, dsn_ret);
    if (status == 0 && (flags & BOUNCE_FLAG_DELRCPT))
        bounce_delrcpt(info);
    bounce_info_free(info);
    return (status);
}
