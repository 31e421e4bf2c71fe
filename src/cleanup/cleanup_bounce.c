/*
 * cleanup_bounce - turn a refused message into a non-delivery notice, for
 * clients that cannot bounce for themselves (CLEANUP_FLAG_BOUNCE: pickup
 * for local submissions, the local delivery agent when it forwards).
 *
 * A local user who runs sendmail cannot be told "550 no" the way an SMTP
 * client can: so when such a message is refused for a reason that a
 * bounce can explain (content rejected, too many hops, too big), every
 * recipient that reached the queue file is appended to the bounce log
 * with the refusal's status and text (logged "status=bounced" with
 * relay=none), and the bounce service sends the notice to the sender,
 * taking the message from the queue file while it still exists. After
 * that the client hears "accepted" and the queue file is removed by the
 * caller.
 *
 * cleanup_bounce() returns the new error status: 0 when the notice was
 * sent; the unchanged status when no recipient reached the file (nothing
 * to report on: the client hears the error); CLEANUP_STAT_WRITE when the
 * queue file could not be read back or the bounce service failed (the
 * client then keeps the message and tries again later); the unchanged
 * status with soft_bounce = yes, when nothing is bounced.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "bounce.h"
#include "cleanup.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "dsn.h"
#include "dsn_util.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "msg_stats.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "recipient_list.h"
#include "stringops.h"

/* Per-recipient data collected while reading the queue file back. */
typedef struct CLEANUP_BOUNCE_RCPT {
    VSTRING *orig;      /* O record */
    VSTRING *dsn_orcpt; /* A dsn_orig_rcpt= */
    int dsn_notify;     /* A dsn_notify= */
} CLEANUP_BOUNCE_RCPT;

/* cleanup_bounce_reset - forget the per-recipient data */
static void cleanup_bounce_reset(CLEANUP_BOUNCE_RCPT *rp)
{
    VSTRING_RESET(rp->orig);
    VSTRING_TERMINATE(rp->orig);
    VSTRING_RESET(rp->dsn_orcpt);
    VSTRING_TERMINATE(rp->dsn_orcpt);
    rp->dsn_notify = 0;
}

/* cleanup_bounce_attr - the DSN attributes that precede a recipient */
static void cleanup_bounce_attr(CLEANUP_BOUNCE_RCPT *rp, char *buf)
{
    char *name;
    char *value;

    if (split_nameval(buf, &name, &value) != 0)
        return;
    if (strcmp(name, MAIL_ATTR_DSN_ORCPT) == 0)
        vstring_strcpy(rp->dsn_orcpt, value);
    else if (strcmp(name, MAIL_ATTR_DSN_NOTIFY) == 0 && alldig(value))
        rp->dsn_notify = atoi(value);
}

/*
 * cleanup_bounce_append - one bounce log entry per recipient in the file;
 * returns the number of recipients or -1 when one could not be recorded.
 */
static int cleanup_bounce_append(CLEANUP_STATE *state, VSTREAM *fp, DSN *dsn)
{
    CLEANUP_BOUNCE_RCPT info;
    VSTRING *buf = vstring_alloc(100);
    MSG_STATS stats;
    RECIPIENT rcpt;
    off_t offset;
    int type;
    int count = 0;

    MSG_STATS_INIT(&stats);
    stats.incoming_arrival = state->arrival_time;
    info.orig = vstring_alloc(100);
    info.dsn_orcpt = vstring_alloc(100);
    cleanup_bounce_reset(&info);
    for (;;) {
        offset = vstream_ftell(fp);
        if ((type = rec_get(fp, buf, 0)) <= 0 || type == REC_TYPE_END)
            break;
        if (type == REC_TYPE_MESG) {
            /* Skip the content; without an X record the rest is unknown. */
            if (state->xtra_offset <= 0 || vstream_fseek(fp, state->xtra_offset, SEEK_SET) < 0)
                break;
        } else if (type == REC_TYPE_ORCP) {
            vstring_strcpy(info.orig, vstring_str(buf));
        } else if (type == REC_TYPE_ATTR) {
            cleanup_bounce_attr(&info, vstring_str(buf));
        } else if (type == REC_TYPE_RCPT) {
            RECIPIENT_ASSIGN(&rcpt, (long)offset, vstring_str(info.dsn_orcpt), info.dsn_notify,
                             vstring_str(info.orig), vstring_str(buf));
            if (bounce_append(BOUNCE_FLAG_CLEAN, state->queue_id, &stats, &rcpt, NO_RELAY_AGENT,
                              dsn) != 0) {
                count = -1;
                break;
            }
            count++;
            cleanup_bounce_reset(&info);
        }
    }
    vstring_free(info.orig);
    vstring_free(info.dsn_orcpt);
    vstring_free(buf);
    return (count);
}

/* cleanup_bounce - see above */
int cleanup_bounce(CLEANUP_STATE *state)
{
    const CLEANUP_STAT_DETAIL *detail;
    DSN_SPLIT dp;
    DSN dsn;
    VSTREAM *fp;
    const char *encoding;
    int count;

    /* The refusal's own text when there is one, otherwise the generic one. */
    if (state->reason) {
        dsn_split(&dp, "5.0.0", state->reason);
    } else {
        detail = cleanup_stat_detail(state->errs);
        dsn_split(&dp, detail->dsn, detail->text);
    }
    DSN_SIMPLE(&dsn, dp.dsn.data, dp.text);

    /* The bounce service reads what was written; make all of it visible. */
    if (state->dst == 0 || vstream_fflush(state->dst) != 0 ||
        (fp = mail_queue_open(state->queue_name, state->queue_id, O_RDONLY, 0)) == 0) {
        msg_warn("%s: cannot read back the queue file for a bounce: %m", state->queue_id);
        return (CLEANUP_STAT_WRITE);
    }
    count = cleanup_bounce_append(state, fp, &dsn);
    (void)vstream_fclose(fp);
    /* Without a recipient there is nobody to report on: the client hears the error. */
    if (count == 0)
        return (state->errs);
    if (count < 0)
        return (var_soft_bounce ? state->errs : CLEANUP_STAT_WRITE);
    if (var_soft_bounce)
        return (state->errs);
    encoding = cleanup_attr_find(state, MAIL_ATTR_ENCODING);
    if (bounce_flush(BOUNCE_FLAG_CLEAN, state->queue_name, state->queue_id, encoding,
                     state->smtputf8, state->sender ? state->sender : "", state->dsn_envid,
                     state->dsn_ret) != 0) {
        msg_warn("%s: bounce message failure", state->queue_id);
        return (CLEANUP_STAT_WRITE);
    }
    return (0);
}
