/*
 * showq - the daemon behind "postqueue -p", "postqueue -j" and mailq: it
 * lists the mail queue over the attribute protocol.
 *
 * A single server (master.cf: "showq unix n - n - - showq"), also run in
 * stand-alone mode ("showq -S") by postqueue when the mail system is down.
 * It takes no input from the client; the public socket only lets
 * unprivileged users see what is queued.
 *
 * The conversation, after "protocol=mail_queue_list_protocol":
 *   for each message: queue_name, queue_id, time, size, forced_expire,
 *     sender (no terminator), then one (recipient, reason) pair per
 *     recipient still to be delivered (no terminator), then a terminator;
 *   finally a lone terminator.
 * Queues are listed in the order maildrop, active, incoming, deferred,
 * hold. Recipients with a reason in the defer log come first (so the
 * client can group them by reason); recipients from the queue file that
 * the log already named are not repeated. Addresses are quoted as in
 * headers and made printable.
 *
 * Failure: files that vanish or are incomplete are skipped; a file that
 * exists but cannot be opened is logged and skipped; a malformed file ends
 * its own listing early.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attr.h"
#include "bounce_log.h"
#include "dsn_buf.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_scan_dir.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "rcpt_buf.h"
#include "rec_type.h"
#include "record.h"
#include "scan_dir.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define STR(x) vstring_str(x)

/* What is known about the message being listed. */
typedef struct SHOWQ_MSG {
    const char *queue; /* queue name */
    const char *id;    /* queue id */
    long file_size;    /* fallback when the size record is bad */
    long mtime;        /* fallback arrival time */
    int forced_expire; /* the file's expire bit */
    long arrival;      /* from the T record */
    long size;         /* from the C record */
    int size_ok;       /* the C record made sense */
    int sender_seen;   /* the sender (and header) was sent */
    HTABLE *listed;    /* recipients named by the defer log */
} SHOWQ_MSG;

/* showq_quote - an address as the listing shows it */
static const char *showq_quote(VSTRING *buf, const char *addr)
{
    if (*addr == 0)
        addr = var_empty_address_recipient;
    quote_822_local(buf, addr);
    return (printable(STR(buf), '?'));
}

/* showq_size - the C record: content size, or the file size when it is bad */
static void showq_size(SHOWQ_MSG *msg, const char *text)
{
    if (msg->size_ok)
        return;
    msg->size_ok = (text[strspn(text, "0123456789 ")] == 0 && (msg->size = atol(text)) >= 0);
    if (!msg->size_ok) {
        msg_warn("%s: malformed size record: %.100s -- using file size instead", msg->id, text);
        msg->size = msg->file_size;
    }
}

/* showq_reasons - the recipients of the defer log, with their reasons */
static void showq_reasons(VSTREAM *client, SHOWQ_MSG *msg)
{
    BOUNCE_LOG *log;
    RCPT_BUF *rcpb;
    DSN_BUF *dsb;

    if ((log = bounce_log_open(MAIL_QUEUE_DEFER, msg->id, O_RDONLY, 0)) == 0)
        return;
    rcpb = rcpb_create();
    dsb = dsb_create();
    msg->listed = htable_create(10);
    while (bounce_log_read(log, rcpb, dsb) != 0) {
        if ((var_duplicate_filter_limit == 0 ||
             msg->listed->used < (size_t)var_duplicate_filter_limit) &&
            htable_locate(msg->listed, STR(rcpb->address)) == 0)
            htable_enter(msg->listed, STR(rcpb->address), (void *)0);
        attr_print(client, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_RECIP, STR(rcpb->address)),
                   SEND_ATTR_STR(MAIL_ATTR_WHY, STR(dsb->reason)), ATTR_TYPE_END);
    }
    if (bounce_log_close(log) != 0)
        msg_warn("close %s %s: %m", MAIL_QUEUE_DEFER, msg->id);
    rcpb_free(rcpb);
    dsb_free(dsb);
}

/* showq_sender - the message header: properties and sender */
static int showq_sender(VSTREAM *client, SHOWQ_MSG *msg, const char *sender, VSTRING *quoted)
{
    showq_quote(quoted, sender);
    if (msg->sender_seen++ > 0) {
        msg_warn("%s: duplicate sender address: %s -- skipping remainder of this file", msg->id,
                 STR(quoted));
        return (-1);
    }
    attr_print(client, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_QUEUE, msg->queue),
               SEND_ATTR_STR(MAIL_ATTR_QUEUEID, msg->id),
               SEND_ATTR_LONG(MAIL_ATTR_TIME, msg->arrival > 0 ? msg->arrival : msg->mtime),
               SEND_ATTR_LONG(MAIL_ATTR_SIZE, msg->size),
               SEND_ATTR_INT(MAIL_ATTR_FORCED_EXPIRE, msg->forced_expire),
               SEND_ATTR_STR(MAIL_ATTR_SENDER, STR(quoted)), ATTR_TYPE_END);
    showq_reasons(client, msg);
    return (0);
}

/* showq_recipient - one recipient from the queue file */
static int showq_recipient(VSTREAM *client, SHOWQ_MSG *msg, const char *rcpt, VSTRING *quoted)
{
    if (msg->sender_seen == 0) {
        msg_warn("%s: missing sender address -- skipping remainder of this file", msg->id);
        return (-1);
    }
    showq_quote(quoted, rcpt);
    if (msg->listed == 0 || htable_locate(msg->listed, STR(quoted)) == 0)
        attr_print(client, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_RECIP, STR(quoted)),
                   SEND_ATTR_STR(MAIL_ATTR_WHY, ""), ATTR_TYPE_END);
    return (0);
}

/* showq_report - list one queue file */
static void showq_report(VSTREAM *client, SHOWQ_MSG *msg, VSTREAM *qfile)
{
    VSTRING *buf = vstring_alloc(100);
    VSTRING *quoted = vstring_alloc(100);
    int type;
    int ok = 0;

    while (ok == 0 && !vstream_ferror(client) && (type = rec_get(qfile, buf, 0)) > 0) {
        switch (type) {
        case REC_TYPE_TIME:
            if (msg->arrival == 0)
                msg->arrival = atol(STR(buf));
            break;
        case REC_TYPE_SIZE:
            showq_size(msg, STR(buf));
            break;
        case REC_TYPE_FROM:
            ok = showq_sender(client, msg, STR(buf), quoted);
            break;
        case REC_TYPE_RCPT:
            ok = showq_recipient(client, msg, STR(buf), quoted);
            break;
        case REC_TYPE_MESG:
            /* The content is of no interest: jump to the extracted segment. */
            if (msg->size_ok && vstream_fseek(qfile, msg->size, SEEK_CUR) < 0)
                msg_fatal("seek file %s: %m", vstream_path(qfile));
            break;
        default:
            break;
        }
    }
    if (msg->sender_seen > 0)
        attr_print(client, ATTR_FLAG_NONE, ATTR_TYPE_END);
    if (msg->listed)
        htable_free(msg->listed, (void (*)(void *))0);
    vstring_free(buf);
    vstring_free(quoted);
}

/* showq_queue - list every complete file of one queue */
static void showq_queue(VSTREAM *client, const char *queue)
{
    SCAN_DIR *scan;
    VSTREAM *qfile;
    SHOWQ_MSG msg;
    struct stat st;
    const char *path;
    char *id;

    if ((scan = scan_dir_open(queue)) == 0) {
        if (errno != ENOENT)
            msg_fatal("open directory %s: %m", queue);
        return;
    }
    while ((id = (strcmp(queue, MAIL_QUEUE_MAILDROP) == 0 ? scan_dir_next(scan)
                                                          : mail_scan_dir_next(scan))) != 0) {
        if (mail_open_ok(queue, id, &st, &path) != MAIL_OPEN_YES)
            continue;
        if ((qfile = mail_queue_open(queue, id, O_RDONLY, 0)) == 0) {
            if (errno != ENOENT)
                msg_warn("open %s %s: %m", queue, id);
            continue;
        }
        memset(&msg, 0, sizeof(msg));
        msg.queue = queue;
        msg.id = id;
        msg.file_size = (long)st.st_size;
        msg.size = msg.file_size;
        msg.mtime = (long)st.st_mtime;
        msg.forced_expire = (st.st_mode & MAIL_QUEUE_STAT_EXPIRE) != 0;
        showq_report(client, &msg, qfile);
        if (vstream_fclose(qfile) != 0)
            msg_warn("close file %s %s: %m", queue, id);
        vstream_fflush(client);
    }
    scan_dir_close(scan);
}

/* showq_service - list the whole queue to one client */
static void showq_service(VSTREAM *client, char *unused_service, char **argv)
{
    static const char *queues[] = {MAIL_QUEUE_MAILDROP, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_INCOMING,
                                   MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD,   0};
    const char **qp;

    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_SHOWQ),
               ATTR_TYPE_END);
    for (qp = queues; *qp != 0 && !vstream_ferror(client); qp++)
        showq_queue(client, *qp);
    attr_print(client, ATTR_FLAG_NONE, ATTR_TYPE_END);
    vstream_fflush(client);
}

int main(int argc, char **argv)
{
    single_server_main(argc, argv, showq_service, 0);
}
