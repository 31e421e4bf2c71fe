/*
 * forward - resubmit the message for forwarded addresses.
 *
 * Exports forward_append() and forward_finish(). Forwarded addresses are
 * grouped by envelope sender (an owner- alias may have replaced it) and
 * Delivered-To: address; each group becomes one new message, written to
 * the cleanup service while the expansion runs: arrival time, sender, DSN
 * and client attributes, then per address the original recipient, DSN
 * ORCPT/NOTIFY and the recipient. forward_finish() adds the content (a
 * Delivered-To: header when prepend_delivered_header says "forward", then
 * the original N/L records) and collects cleanup's verdict. On success the
 * recipient that was expanded is logged as "forwarded as QUEUEID"; when
 * anything failed (or cancel is set) every new message is abandoned, and
 * the caller defers the recipient, so that nothing is lost.
 */

#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "attr.h"
#include "cleanup_user.h"
#include "defer.h"
#include "htable.h"
#include "local.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_stream.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "sent.h"
#include "stringops.h"

typedef struct FORWARD_INFO {
    MAIL_STREAM *cleanup; /* new message being written */
    char *delivered;      /* Delivered-To: address */
    int count;            /* recipients so far */
} FORWARD_INFO;

static HTABLE *forward_table; /* "delivered\nsender" -> FORWARD_INFO */

/* forward_attr - one named attribute record, when the value is known */
static void forward_attr(VSTREAM *fp, const char *name, const char *value)
{
    if (value != 0 && *value != 0)
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%s", name, value);
}

/* forward_open - a new message to cleanup, envelope started */
static FORWARD_INFO *forward_open(DELIVER_ATTR *attr)
{
    DELIVER_REQUEST *rq = attr->request;
    MAIL_STREAM *cleanup;
    FORWARD_INFO *info;
    struct timeval now;
    VSTREAM *fp;

    if ((cleanup = mail_stream_service(MAIL_CLASS_PUBLIC, var_cleanup_service_name)) == 0)
        return (0);
    fp = cleanup->stream;
    gettimeofday(&now, (struct timezone *)0);
    attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, CLEANUP_FLAG_MASK_INTERNAL),
               ATTR_TYPE_END);
    rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", (long)now.tv_sec, (long)now.tv_usec);
    forward_attr(fp, MAIL_ATTR_ENCODING, attr->encoding);
    forward_attr(fp, MAIL_ATTR_DSN_ENVID, attr->dsn_envid);
    if (attr->dsn_ret)
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_RET, attr->dsn_ret);
    forward_attr(fp, MAIL_ATTR_LOG_CLIENT_NAME, rq->client_name);
    forward_attr(fp, MAIL_ATTR_LOG_CLIENT_ADDR, rq->client_addr);
    forward_attr(fp, MAIL_ATTR_LOG_CLIENT_PORT, rq->client_port);
    forward_attr(fp, MAIL_ATTR_LOG_ORIGIN, rq->client_origin);
    forward_attr(fp, MAIL_ATTR_LOG_HELO_NAME, rq->client_helo);
    forward_attr(fp, MAIL_ATTR_LOG_PROTO_NAME, rq->client_proto);
    forward_attr(fp, MAIL_ATTR_RWR_CONTEXT, rq->rewrite_context);
    rec_fputs(fp, REC_TYPE_FROM, attr->sender);
    info = (FORWARD_INFO *)mymalloc(sizeof(*info));
    info->cleanup = cleanup;
    info->delivered = mystrdup(attr->delivered);
    info->count = 0;
    return (info);
}

/* forward_append - add the current address to the right new message */
int forward_append(DELIVER_ATTR attr)
{
    VSTRING *key = vstring_alloc(100);
    FORWARD_INFO *info;
    VSTREAM *fp;

    if (forward_table == 0)
        forward_table = htable_create(1);
    vstring_sprintf(key, "%s\n%s", attr.delivered, attr.sender);
    if ((info = (FORWARD_INFO *)htable_find(forward_table, vstring_str(key))) == 0) {
        if ((info = forward_open(&attr)) == 0) {
            vstring_free(key);
            return (-1);
        }
        htable_enter(forward_table, vstring_str(key), (void *)info);
    }
    vstring_free(key);
    fp = info->cleanup->stream;
    if (attr.rcpt.orig_addr && *attr.rcpt.orig_addr)
        rec_fputs(fp, REC_TYPE_ORCP, attr.rcpt.orig_addr);
    forward_attr(fp, MAIL_ATTR_DSN_ORCPT, attr.rcpt.dsn_orcpt);
    if (attr.rcpt.dsn_notify)
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_NOTIFY, attr.rcpt.dsn_notify);
    rec_fputs(fp, REC_TYPE_RCPT, attr.rcpt.address);
    info->count++;
    return (vstream_ferror(fp) ? -1 : 0);
}

/* forward_send - content, end marker, and cleanup's verdict; 0 = queued */
static int forward_send(FORWARD_INFO *info, DELIVER_ATTR *attr)
{
    VSTREAM *fp = info->cleanup->stream;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    int type;
    int status;

    rec_fputs(fp, REC_TYPE_MESG, "");
    if (local_deliver_hdr_mask & DELIVER_HDR_FWD) {
        quote_822_local(buf, info->delivered);
        rec_fprintf(fp, REC_TYPE_NORM, "Delivered-To: %s", lowercase(vstring_str(buf)));
    }
    if (vstream_fseek(attr->fp, attr->offset, SEEK_SET) < 0)
        msg_fatal("seek queue file %s: %m", vstream_path(attr->fp));
    while ((type = rec_get(attr->fp, buf, 0)) == REC_TYPE_NORM || type == REC_TYPE_CONT)
        if (rec_put(fp, type, vstring_str(buf), VSTRING_LEN(buf)) != type)
            break;
    if (type != REC_TYPE_XTRA) {
        msg_warn("%s: cannot copy message content for forwarding", attr->queue_id);
        mail_stream_cleanup(info->cleanup);
        status = -1;
    } else {
        rec_fputs(fp, REC_TYPE_XTRA, "");
        rec_fputs(fp, REC_TYPE_END, "");
        if ((status = mail_stream_finish(info->cleanup, why)) != 0)
            msg_warn("%s: forwarding failed: %s", attr->queue_id,
                     *vstring_str(why) ? vstring_str(why) : "cleanup service error");
    }
    vstring_free(buf);
    vstring_free(why);
    return (status);
}

/* forward_finish - send or abandon the new messages; non-zero on failure */
int forward_finish(DELIVER_REQUEST *request, DELIVER_ATTR attr, int cancel)
{
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    FORWARD_INFO *info;
    VSTRING *ids = vstring_alloc(50);
    int status = cancel;

    if (forward_table == 0 || forward_table->used == 0) {
        vstring_free(ids);
        return (cancel);
    }
    list = htable_list_sorted(forward_table);
    for (ht = list; *ht; ht++) {
        info = (FORWARD_INFO *)ht[0]->value;
        if (status == 0) {
            char *id = mystrdup(info->cleanup->id);

            /* forward_send() releases the stream, id and all. */
            if ((status = forward_send(info, &attr)) == 0)
                vstring_sprintf_append(ids, "%s%s", VSTRING_LEN(ids) ? ", " : "", id);
            myfree(id);
        } else {
            mail_stream_cleanup(info->cleanup);
        }
        myfree(info->delivered);
        myfree(info);
    }
    myfree(list);
    htable_free(forward_table, (void (*)(void *))0);
    forward_table = 0;
    if (status == 0) {
        dsb_update(attr.why, "2.0.0", "relayed", "", "", "", "", "forwarded as %s",
                   vstring_str(ids));
        status = sent(DEL_REQ_TRACE_FLAGS(request->flags), attr.queue_id, &request->msg_stats,
                      &attr.rcpt, attr.relay, DSN_FROM_DSN_BUF(attr.why));
    } else if (cancel == 0) {
        dsb_simple(attr.why, "4.3.0", "unable to forward message");
        status =
            defer_append(DEL_REQ_TRACE_FLAGS(request->flags), attr.queue_id, &request->msg_stats,
                         &attr.rcpt, attr.relay, DSN_FROM_DSN_BUF(attr.why));
    }
    vstring_free(ids);
    return (status);
}
