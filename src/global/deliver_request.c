/*
 * deliver_request - both ends of the delivery request protocol between the
 * queue manager and a delivery agent (see deliver_request.h for the wire
 * layout).
 *
 * Agent side: deliver_request_read() announces the protocol, receives one
 * request, checks its queue name and id, and opens the queue file
 * read-write with a shared lock (read-write because deliver_completed()
 * flips R records to D in place; shared because several agents may work on
 * one message while the exclusive lock is kept for tools that must know
 * that nobody is delivering). deliver_request_done() replies and frees.
 * Queue manager side: deliver_request_send() and deliver_request_reply().
 *
 * A malformed request, or a queue file that is gone or cannot be locked,
 * is logged and makes deliver_request_read() return 0: the agent then
 * hangs up without a reply, and the queue manager defers the batch. This
 * is the only way to fail here, because nothing sent by qmgr is trusted
 * blindly.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "deliver_flock.h"
#include "deliver_request.h"
#include "dsn_buf.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "rcpt_buf.h"
#include "vstring.h"

#define DELIVER_RCPT_MAX 1000000 /* recipients in one request, sanity limit */

/* deliver_request_alloc - an empty request */
static DELIVER_REQUEST *deliver_request_alloc(void)
{
    DELIVER_REQUEST *request = (DELIVER_REQUEST *)mymalloc(sizeof(*request));

    memset(request, 0, sizeof(*request));
    msg_stats_init(&request->msg_stats);
    recipient_list_init(&request->rcpt_list, RCPT_LIST_INIT_STATUS);
    return (request);
}

/* deliver_request_free - release a request and close its queue file */
void deliver_request_free(DELIVER_REQUEST *request)
{
    if (request->fp)
        (void)vstream_fclose(request->fp);
    myfree(request->queue_name);
    myfree(request->queue_id);
    myfree(request->nexthop);
    myfree(request->encoding);
    myfree(request->sender);
    myfree(request->dsn_envid);
    myfree(request->client_name);
    myfree(request->client_addr);
    myfree(request->client_port);
    myfree(request->client_origin);
    myfree(request->client_helo);
    myfree(request->client_proto);
    myfree(request->rewrite_context);
    myfree(request->sasl_method);
    myfree(request->sasl_username);
    myfree(request->sasl_sender);
    myfree(request->log_ident);
    recipient_list_free(&request->rcpt_list);
    if (request->hop_status)
        dsn_free(request->hop_status);
    myfree((void *)request);
}

#define DR_NSTR 17 /* string attributes in the request header */

/* deliver_request_get - receive the request proper */
static int deliver_request_get(VSTREAM *stream, DELIVER_REQUEST *request)
{
    VSTRING *s[DR_NSTR];
    RCPT_BUF *rcpb;
    int rcpt_count;
    int n;
    int ret = -1;

    for (n = 0; n < DR_NSTR; n++)
        s[n] = vstring_alloc(30);
    n = attr_scan(
        stream, ATTR_FLAG_STRICT | ATTR_FLAG_MORE, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request->flags),
        RECV_ATTR_STR(MAIL_ATTR_QUEUE, s[0]), RECV_ATTR_STR(MAIL_ATTR_QUEUEID, s[1]),
        RECV_ATTR_LONG(MAIL_ATTR_OFFSET, &request->data_offset),
        RECV_ATTR_LONG(MAIL_ATTR_SIZE, &request->data_size), RECV_ATTR_STR(MAIL_ATTR_NEXTHOP, s[2]),
        RECV_ATTR_STR(MAIL_ATTR_ENCODING, s[3]),
        RECV_ATTR_INT(MAIL_ATTR_SMTPUTF8, &request->sendopts),
        RECV_ATTR_STR(MAIL_ATTR_SENDER, s[4]), RECV_ATTR_STR(MAIL_ATTR_DSN_ENVID, s[5]),
        RECV_ATTR_INT(MAIL_ATTR_DSN_RET, &request->dsn_ret),
        RECV_ATTR_FUNC(msg_stats_scan, &request->msg_stats),
        RECV_ATTR_STR(MAIL_ATTR_LOG_CLIENT_NAME, s[6]),
        RECV_ATTR_STR(MAIL_ATTR_LOG_CLIENT_ADDR, s[7]),
        RECV_ATTR_STR(MAIL_ATTR_LOG_CLIENT_PORT, s[8]), RECV_ATTR_STR(MAIL_ATTR_LOG_ORIGIN, s[9]),
        RECV_ATTR_STR(MAIL_ATTR_LOG_HELO_NAME, s[10]),
        RECV_ATTR_STR(MAIL_ATTR_LOG_PROTO_NAME, s[11]), RECV_ATTR_STR(MAIL_ATTR_RWR_CONTEXT, s[12]),
        RECV_ATTR_STR(MAIL_ATTR_SASL_METHOD, s[13]), RECV_ATTR_STR(MAIL_ATTR_SASL_USERNAME, s[14]),
        RECV_ATTR_STR(MAIL_ATTR_SASL_SENDER, s[15]), RECV_ATTR_STR(MAIL_ATTR_LOG_IDENT, s[16]),
        RECV_ATTR_INT(MAIL_ATTR_RCPT_COUNT, &rcpt_count), ATTR_TYPE_END);
    if (n != 24) {
        msg_warn("%s: error receiving the request header", vstream_path(stream));
        goto done;
    }
#define DR_SAVE(i) mystrdup(vstring_str(s[i]))
    request->queue_name = DR_SAVE(0);
    request->queue_id = DR_SAVE(1);
    request->nexthop = DR_SAVE(2);
    request->encoding = DR_SAVE(3);
    request->sender = DR_SAVE(4);
    request->dsn_envid = DR_SAVE(5);
    request->client_name = DR_SAVE(6);
    request->client_addr = DR_SAVE(7);
    request->client_port = DR_SAVE(8);
    request->client_origin = DR_SAVE(9);
    request->client_helo = DR_SAVE(10);
    request->client_proto = DR_SAVE(11);
    request->rewrite_context = DR_SAVE(12);
    request->sasl_method = DR_SAVE(13);
    request->sasl_username = DR_SAVE(14);
    request->sasl_sender = DR_SAVE(15);
    request->log_ident = DR_SAVE(16);
    if (!mail_queue_name_ok(request->queue_name) || !mail_queue_id_ok(request->queue_id)) {
        msg_warn("%s: bad queue name or id: \"%.100s\" \"%.100s\"", vstream_path(stream),
                 request->queue_name, request->queue_id);
        goto done;
    }
    if (rcpt_count < 0 || rcpt_count > DELIVER_RCPT_MAX || request->data_offset < 0) {
        msg_warn("%s: bad recipient count %d or offset %ld", vstream_path(stream), rcpt_count,
                 request->data_offset);
        goto done;
    }
    rcpb = rcpb_create();
    for (n = 0; n < rcpt_count; n++) {
        if (attr_scan(stream, ATTR_FLAG_STRICT | ATTR_FLAG_MORE, RECV_ATTR_FUNC(rcpb_scan, rcpb),
                      ATTR_TYPE_END) != 1) {
            msg_warn("%s: error receiving recipient %d", vstream_path(stream), n + 1);
            break;
        }
        recipient_list_add(&request->rcpt_list, rcpb->offset, vstring_str(rcpb->dsn_orcpt),
                           rcpb->dsn_notify, vstring_str(rcpb->orig_addr),
                           vstring_str(rcpb->address));
    }
    rcpb_free(rcpb);
    if (n < rcpt_count)
        goto done;
    if (attr_scan_more(stream) != 0) {
        msg_warn("%s: no end after the last recipient", vstream_path(stream));
        goto done;
    }
    ret = 0;

done:
    for (n = 0; n < DR_NSTR; n++)
        vstring_free(s[n]);
    return (ret);
}

/* deliver_request_open - open and share-lock the queue file */
static int deliver_request_open(DELIVER_REQUEST *request)
{
    request->fp = mail_queue_open(request->queue_name, request->queue_id, O_RDWR, 0);
    if (request->fp == 0) {
        if (errno != ENOENT)
            msg_warn("open %s %s: %m", request->queue_name, request->queue_id);
        else
            msg_warn("%s: queue file %s/%s is gone", request->queue_id, request->queue_name,
                     request->queue_id);
        return (-1);
    }
    if (myflock(vstream_fileno(request->fp), INTERNAL_LOCK, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT) <
        0) {
        msg_warn("shared lock %s: %m", vstream_path(request->fp));
        return (-1);
    }
    if (request->data_offset > 0 &&
        vstream_fseek(request->fp, request->data_offset, SEEK_SET) < 0) {
        msg_warn("seek %s: %m", vstream_path(request->fp));
        return (-1);
    }
    return (0);
}

/* deliver_request_read - announce, receive one request, open the queue file */
DELIVER_REQUEST *deliver_request_read(VSTREAM *stream)
{
    DELIVER_REQUEST *request;

    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_DELIVER),
               ATTR_TYPE_END);
    if (vstream_fflush(stream) != 0) {
        msg_warn("write protocol announcement to %s: %m", vstream_path(stream));
        return (0);
    }
    request = deliver_request_alloc();
    if (deliver_request_get(stream, request) < 0 || deliver_request_open(request) < 0) {
        deliver_request_free(request);
        return (0);
    }
    return (request);
}

/* deliver_request_done - reply, then release the request */
int deliver_request_done(VSTREAM *stream, DELIVER_REQUEST *request, int status)
{
    DSN empty;
    const DSN *hop = request->hop_status;
    int err;

    if (hop == 0)
        hop = DSN_ASSIGN(&empty, "", "", "", "", "", "", "");
    err = attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_FUNC(dsn_print, (const void *)hop),
                     SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
    if (err == 0)
        err = vstream_fflush(stream);
    if (err != 0)
        msg_warn("send delivery status to %s: %m", vstream_path(stream));
    deliver_request_free(request);
    return (err ? -1 : 0);
}

/* deliver_request_send - qmgr side: check the announcement, send a request */
int deliver_request_send(VSTREAM *stream, const DELIVER_REQUEST *rq)
{
    int n;
    const RECIPIENT *rcpt;

#define DR_STR(s) ((s) ? (s) : "")

    if (attr_scan(stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_DELIVER), ATTR_TYPE_END) != 1) {
        msg_warn("%s: no delivery request protocol announcement", vstream_path(stream));
        return (-1);
    }
    attr_print(stream, ATTR_FLAG_MORE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, rq->flags),
               SEND_ATTR_STR(MAIL_ATTR_QUEUE, rq->queue_name),
               SEND_ATTR_STR(MAIL_ATTR_QUEUEID, rq->queue_id),
               SEND_ATTR_LONG(MAIL_ATTR_OFFSET, rq->data_offset),
               SEND_ATTR_LONG(MAIL_ATTR_SIZE, rq->data_size),
               SEND_ATTR_STR(MAIL_ATTR_NEXTHOP, DR_STR(rq->nexthop)),
               SEND_ATTR_STR(MAIL_ATTR_ENCODING, DR_STR(rq->encoding)),
               SEND_ATTR_INT(MAIL_ATTR_SMTPUTF8, rq->sendopts),
               SEND_ATTR_STR(MAIL_ATTR_SENDER, DR_STR(rq->sender)),
               SEND_ATTR_STR(MAIL_ATTR_DSN_ENVID, DR_STR(rq->dsn_envid)),
               SEND_ATTR_INT(MAIL_ATTR_DSN_RET, rq->dsn_ret),
               SEND_ATTR_FUNC(msg_stats_print, (const void *)&rq->msg_stats),
               SEND_ATTR_STR(MAIL_ATTR_LOG_CLIENT_NAME, DR_STR(rq->client_name)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_CLIENT_ADDR, DR_STR(rq->client_addr)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_CLIENT_PORT, DR_STR(rq->client_port)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_ORIGIN, DR_STR(rq->client_origin)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_HELO_NAME, DR_STR(rq->client_helo)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_PROTO_NAME, DR_STR(rq->client_proto)),
               SEND_ATTR_STR(MAIL_ATTR_RWR_CONTEXT, DR_STR(rq->rewrite_context)),
               SEND_ATTR_STR(MAIL_ATTR_SASL_METHOD, DR_STR(rq->sasl_method)),
               SEND_ATTR_STR(MAIL_ATTR_SASL_USERNAME, DR_STR(rq->sasl_username)),
               SEND_ATTR_STR(MAIL_ATTR_SASL_SENDER, DR_STR(rq->sasl_sender)),
               SEND_ATTR_STR(MAIL_ATTR_LOG_IDENT, DR_STR(rq->log_ident)),
               SEND_ATTR_INT(MAIL_ATTR_RCPT_COUNT, rq->rcpt_list.len), ATTR_TYPE_END);
    for (n = 0; n < rq->rcpt_list.len; n++) {
        rcpt = rq->rcpt_list.info + n;
        attr_print(stream, ATTR_FLAG_MORE, SEND_ATTR_FUNC(rcpt_print, (const void *)rcpt),
                   ATTR_TYPE_END);
    }
    if (attr_print(stream, ATTR_FLAG_NONE, ATTR_TYPE_END) != 0 || vstream_fflush(stream) != 0) {
        msg_warn("send delivery request to %s: %m", vstream_path(stream));
        return (-1);
    }
    return (0);
}

/* deliver_request_reply - qmgr side: receive the hop status and status */
int deliver_request_reply(VSTREAM *stream, DSN_BUF *hop_status, int *status)
{
    DSN_BUF *dsb = hop_status ? hop_status : dsb_create();
    int n;

    n = attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_FUNC(dsb_scan, dsb),
                  RECV_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
    if (hop_status == 0)
        dsb_free(dsb);
    if (n != 2) {
        /* As Postfix words it, for the socket of the agent. */
        msg_warn("%s socket: malformed response", vstream_path(stream));
        return (-1);
    }
    return (0);
}
