/*
 * qmgr_message - in-core messages: read a queue file's envelope and a batch
 * of its recipients, resolve them, and hang them on transports, jobs, peers
 * and entries.
 *
 * qmgr_message_alloc() opens a queue file in the active queue, takes an
 * exclusive lock (a file that a delivery agent of an earlier qmgr still
 * holds yields QMGR_MESSAGE_LOCKED), reads the envelope and the first batch
 * of recipients that are not yet done, logs "from=<...>, size=N, nrcpt=N
 * (queue active)", removes the defer log of the previous attempt, resolves
 * the batch and assigns it to delivery entries. A null result means the
 * file is unreadable or malformed (the caller moves it to corrupt).
 * qmgr_message_realloc() reads the next batch of a message whose in-core
 * recipients were all dealt with, or tops up (refills) a message whose
 * deliveries are under way. The first batch is what the global recipient
 * pool (qmgr_message_recipient_limit) has left, but at least
 * qmgr_message_recipient_minimum; later batches fill the message up to that
 * minimum plus the recipient slots that its jobs borrowed from their
 * transports' pools (<transport>_recipient_limit, see qmgr_job.c).
 *
 * Recipients that cannot be tried now are disposed of right here: deferred
 * (defer_transports, dead transport or destination, resolver failure),
 * bounced (addresses that start with '-'), or logged and dropped (mail to
 * the local double-bounce address).
 *
 * qmgr_message_mark_done(), _update_warn() and _kill_record() change one
 * record of the closed file in place.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "deliver_request.h"
#include "dsn_mask.h"
#include "events.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"

#include "qmgr.h"

int qmgr_message_count;
int qmgr_recipient_count;

/* At most this many recipients per read, to keep the event loop responsive. */
#define QMGR_MESSAGE_READ_MAX 5000

/* qmgr_message_create - empty in-core message */
static QMGR_MESSAGE *qmgr_message_create(const char *queue_name, const char *queue_id, int qflags)
{
    QMGR_MESSAGE *message = (QMGR_MESSAGE *)mycalloc(1, sizeof(*message));

    qmgr_message_count++;
    message->qflags = qflags;
    message->queue_name = mystrdup(queue_name);
    message->queue_id = mystrdup(queue_id);
    gettimeofday(&message->active_time, (struct timezone *)0);
    message->queued_time = message->active_time.tv_sec;
    message->rcpt_limit =
        var_qmgr_message_recipient_minimum > 0 ? var_qmgr_message_recipient_minimum : 1;
    /* The first read counts for the refill delay too. */
    message->refill_time = event_time();
    recipient_list_init(&message->rcpt_list, RCPT_LIST_INIT_QUEUE);
    QMGR_LIST_INIT(message->job_list);
    return (message);
}

/* qmgr_message_open - open the queue file read-write */
static VSTREAM *qmgr_message_open(QMGR_MESSAGE *message)
{
    VSTREAM *fp;

    if ((fp = mail_queue_open(message->queue_name, message->queue_id, O_RDWR, 0)) == 0) {
        if (errno != ENOENT)
            msg_fatal("open %s %s: %m", message->queue_name, message->queue_id);
        msg_warn("open %s %s: %m", message->queue_name, message->queue_id);
    }
    return (fp);
}

/* attr_record_type - named attributes that stand for record types */
static int attr_record_type(const char *name)
{
    static const struct {
        const char *name;
        int type;
    } map[] = {
        {MAIL_ATTR_DSN_ORCPT, REC_TYPE_DSN_ORCPT}, {MAIL_ATTR_DSN_NOTIFY, REC_TYPE_DSN_NOTIFY},
        {MAIL_ATTR_DSN_ENVID, REC_TYPE_DSN_ENVID}, {MAIL_ATTR_DSN_RET, REC_TYPE_DSN_RET},
        {MAIL_ATTR_CREATE_TIME, REC_TYPE_CTIME},   {0, 0},
    };
    int i;

    for (i = 0; map[i].name; i++)
        if (strcmp(map[i].name, name) == 0)
            return (map[i].type);
    return (0);
}

/* set_once - remember the first value of a field */
static void set_once(char **field, const char *value)
{
    if (*field == 0)
        *field = mystrdup(value);
}

/* set_last - remember the last value of a field */
static void set_last(char **field, const char *value)
{
    if (*field)
        myfree(*field);
    *field = mystrdup(value);
}

/* Per-recipient attributes that precede an R record. */
typedef struct RCPT_PENDING {
    char *orig_rcpt;
    char *dsn_orcpt;
    int dsn_notify;
} RCPT_PENDING;

/* pending_reset - forget the attributes of the previous recipient */
static void pending_reset(RCPT_PENDING *pending)
{
    if (pending->orig_rcpt)
        myfree(pending->orig_rcpt);
    if (pending->dsn_orcpt)
        myfree(pending->dsn_orcpt);
    pending->orig_rcpt = pending->dsn_orcpt = 0;
    pending->dsn_notify = 0;
}

/* read_size_record - the C record: sizes, offsets, counts, hints */
static int read_size_record(QMGR_MESSAGE *message, const char *start)
{
    long data_size = 0, data_offset = 0, cont_length = 0;
    int rcpt_total = 0, rflags = 0, smtputf8 = 0;
    int count;

    if (message->data_offset != 0)
        return (0);
    count = sscanf(start, "%ld %ld %d %d %ld %d", &data_size, &data_offset, &rcpt_total, &rflags,
                   &cont_length, &smtputf8);
    if (count < 3 || data_offset <= 0 || data_size <= 0 || rcpt_total < 0 || cont_length < 0 ||
        (rflags & ~QMGR_READ_FLAG_USER) != 0) {
        msg_warn("%s: invalid size record: %.100s", message->queue_id, start);
        return (-1);
    }
    message->data_size = data_size;
    message->data_offset = data_offset;
    message->rcpt_total = message->rcpt_unread = rcpt_total;
    message->rflags |= rflags;
    message->cont_length = cont_length ? cont_length : data_size;
    message->smtputf8 = smtputf8;
    return (0);
}

/* read_attribute - an A record of the envelope or extracted segment */
static void read_attribute(QMGR_MESSAGE *message, const char *name, const char *value,
                           int *have_log_attr, long offset)
{
    /* Logging attributes win over the actual client attributes of old files. */
    static const struct {
        const char *log_name;
        const char *act_name;
        size_t field;
    } clients[] = {
        {MAIL_ATTR_LOG_CLIENT_NAME, MAIL_ATTR_ACT_CLIENT_NAME, offsetof(QMGR_MESSAGE, client_name)},
        {MAIL_ATTR_LOG_CLIENT_ADDR, MAIL_ATTR_ACT_CLIENT_ADDR, offsetof(QMGR_MESSAGE, client_addr)},
        {MAIL_ATTR_LOG_CLIENT_PORT, MAIL_ATTR_ACT_CLIENT_PORT, offsetof(QMGR_MESSAGE, client_port)},
        {MAIL_ATTR_LOG_PROTO_NAME, MAIL_ATTR_ACT_PROTO_NAME, offsetof(QMGR_MESSAGE, client_proto)},
        {MAIL_ATTR_LOG_HELO_NAME, MAIL_ATTR_ACT_HELO_NAME, offsetof(QMGR_MESSAGE, client_helo)},
        {0, 0, 0},
    };
    int i;

    for (i = 0; clients[i].log_name; i++) {
        char **field = (char **)((char *)message + clients[i].field);

        if (strcmp(name, clients[i].log_name) == 0) {
            set_last(field, value);
            *have_log_attr = 1;
            return;
        }
        if (strcmp(name, clients[i].act_name) == 0) {
            if (*have_log_attr == 0)
                set_once(field, value);
            return;
        }
    }
    if (strcmp(name, MAIL_ATTR_ENCODING) == 0)
        set_last(&message->encoding, value);
    else if (strcmp(name, MAIL_ATTR_SASL_METHOD) == 0)
        set_once(&message->sasl_method, value);
    else if (strcmp(name, MAIL_ATTR_SASL_USERNAME) == 0)
        set_once(&message->sasl_username, value);
    else if (strcmp(name, MAIL_ATTR_SASL_SENDER) == 0)
        set_once(&message->sasl_sender, value);
    else if (strcmp(name, MAIL_ATTR_LOG_IDENT) == 0)
        set_once(&message->log_ident, value);
    else if (strcmp(name, MAIL_ATTR_RWR_CONTEXT) == 0)
        set_once(&message->rewrite_context, value);
    else if (strcmp(name, MAIL_ATTR_TRACE_FLAGS) == 0) {
        message->tflags = DEL_REQ_TRACE_FLAGS(atoi(value));
        message->tflags_offset = (message->tflags == DEL_REQ_FLAG_RECORD) ? offset : 0;
    }
}

/* read_envelope_record - one non-recipient record; -1 means a bad file */
static int read_envelope_record(QMGR_MESSAGE *message, int rec_type, const char *start,
                                const char *name, long curr_offset, int *have_log_attr)
{
    int n;

    switch (rec_type) {
    case REC_TYPE_SIZE:
        return (read_size_record(message, start));
    case REC_TYPE_TIME:
        if (message->arrival_time.tv_sec == 0) {
            long sec = 0, usec = 0;

            if (sscanf(start, "%ld %ld", &sec, &usec) < 1 || sec <= 0) {
                msg_warn("%s: invalid arrival time record: %.100s", message->queue_id, start);
                return (-1);
            }
            message->arrival_time.tv_sec = sec;
            message->arrival_time.tv_usec = usec;
        }
        return (0);
    case REC_TYPE_CTIME:
        if (message->create_time == 0)
            message->create_time = atol(start);
        return (0);
    case REC_TYPE_FILT:
        set_last(&message->filter_xport, start);
        return (0);
    case REC_TYPE_INSP:
        set_last(&message->inspect_xport, start);
        return (0);
    case REC_TYPE_RDR:
        set_last(&message->redirect_addr, start);
        return (0);
    case REC_TYPE_FROM:
        if (message->sender == 0) {
            message->sender = mystrdup(start);
            msg_info("%s: from=<%s>, size=%ld, nrcpt=%d (queue %s)", message->queue_id,
                     message->sender, message->cont_length, message->rcpt_total,
                     message->queue_name);
        }
        return (0);
    case REC_TYPE_DSN_ENVID:
        set_once(&message->dsn_envid, start);
        return (0);
    case REC_TYPE_DSN_RET:
        if (message->dsn_ret == 0) {
            if (!alldig(start) || (n = atoi(start)) == 0 || !DSN_RET_OK(n))
                msg_warn("%s: ignoring malformed DSN RET flags: %.100s", message->queue_id, start);
            else
                message->dsn_ret = n;
        }
        return (0);
    case REC_TYPE_ATTR:
        read_attribute(message, name, start, have_log_attr, curr_offset);
        return (0);
    case REC_TYPE_WARN:
        if (message->warn_offset == 0) {
            message->warn_offset = curr_offset;
            message->warn_time = atol(start);
        }
        return (0);
    case REC_TYPE_VERP:
        if (message->verp_delims == 0) {
            if (message->sender == 0 || *message->sender == 0)
                msg_warn("%s: ignoring VERP request for null sender", message->queue_id);
            else if (strlen(start) != 2)
                msg_warn("%s: ignoring bad VERP request: \"%.100s\"", message->queue_id, start);
            else {
                message->verp_delims = mystrdup(start);
                message->single_rcpt = 1;
            }
        }
        return (0);
    default:
        return (0);
    }
}

/*
 * read_limit - how many recipients this read may take. The first read
 * takes what the global pool (qmgr_message_recipient_limit) has left, but
 * at least qmgr_message_recipient_minimum; later reads fill the message up
 * to its in-memory allowance, which is that minimum plus the recipient
 * slots its jobs borrowed from their transports (see qmgr_job.c).
 */
static int read_limit(QMGR_MESSAGE *message)
{
    int limit;

    if (message->rcpt_offset != 0) {
        limit = message->rcpt_limit - message->rcpt_count;
    } else {
        limit = var_qmgr_message_recipient_limit - qmgr_recipient_count;
        if (limit < message->rcpt_limit)
            limit = message->rcpt_limit;
    }
    if (limit > QMGR_MESSAGE_READ_MAX)
        limit = QMGR_MESSAGE_READ_MAX;
    if (limit < 1)
        limit = 1;
    if (msg_verbose)
        msg_info("%s: recipient limit %d", message->queue_id, limit);
    return (limit);
}

/*
 * qmgr_message_read - read envelope records and the next recipient batch.
 *
 * The first read looks at every non-recipient record, wherever it is; a
 * later read only collects recipients, starting where the last one
 * stopped. Recipients sit in the envelope, in the extracted segment after
 * the content, or both; with cleanup's hint that they are not mixed with
 * other records, a full batch of envelope recipients lets the reader jump
 * to the extracted segment, and a full batch there ends the read.
 */
static int qmgr_message_read(QMGR_MESSAGE *message, VSTREAM *fp)
{
    VSTRING *buf = vstring_alloc(100);
    RCPT_PENDING pending = {0, 0, 0};
    int limit = read_limit(message);
    int collecting = 1;
    int have_log_attr = 0;
    int hops = 0;
    int rec_type;
    long curr_offset;
    char *start;
    char *name = 0;
    char *value;
    int n;
    int ret = -1;

    if (message->rcpt_offset) {
        if (vstream_fseek(fp, message->rcpt_offset, SEEK_SET) < 0)
            msg_fatal("seek file %s: %m", vstream_path(fp));
        message->rcpt_offset = 0;
    }
    for (;;) {
        if ((curr_offset = vstream_ftell(fp)) < 0)
            msg_fatal("vstream_ftell %s: %m", vstream_path(fp));
        if (curr_offset == message->data_offset && curr_offset > 0) {
            if (vstream_fseek(fp, message->data_size, SEEK_CUR) < 0)
                msg_fatal("seek file %s: %m", vstream_path(fp));
            curr_offset += message->data_size;
        }
        rec_type = rec_get_raw(fp, buf, 0, REC_FLAG_NONE);
        start = vstring_str(buf);
        if (rec_type == REC_TYPE_PTR) {
            if (atol(start) == 0)
                continue;
            if (++hops > REC_PTR_HOPS_MAX || rec_goto(fp, start) < 0) {
                rec_type = REC_TYPE_ERROR;
                break;
            }
            continue;
        }
        if (rec_type <= 0) {
            msg_warn("%s: message rejected: missing end record", message->queue_id);
            break;
        }
        if (rec_type == REC_TYPE_END) {
            message->rflags |= QMGR_READ_FLAG_SEEN_ALL_NON_RCPT;
            break;
        }
        if (rec_type == REC_TYPE_DTXT || rec_type == REC_TYPE_KILL)
            continue;
        if (rec_type == REC_TYPE_ATTR) {
            const char *err;

            if ((err = split_nameval(start, &name, &value)) != 0) {
                msg_warn("%s: ignoring bad attribute: %s: %.200s", message->queue_id, err, start);
                rec_type = REC_TYPE_ERROR;
                break;
            }
            if ((n = attr_record_type(name)) != 0)
                rec_type = n;
            start = value;
        }

        /* Recipient records. */
        if (rec_type == REC_TYPE_RCPT) {
            if (!collecting)
                continue;
            message->rcpt_unread--;
            recipient_list_add(&message->rcpt_list, curr_offset,
                               pending.dsn_orcpt ? pending.dsn_orcpt : "", pending.dsn_notify,
                               pending.orig_rcpt ? pending.orig_rcpt : "", start);
            if (pending.dsn_notify & DSN_NOTIFY_SUCCESS)
                message->rflags |= QMGR_READ_FLAG_NOTIFY_SUCCESS;
            pending_reset(&pending);
            if (message->rcpt_list.len < limit)
                continue;
            if ((message->rcpt_offset = vstream_ftell(fp)) < 0)
                msg_fatal("vstream_ftell %s: %m", vstream_path(fp));
            collecting = 0;
            if (message->rflags & QMGR_READ_FLAG_SEEN_ALL_NON_RCPT)
                break;
            if (message->rflags & QMGR_READ_FLAG_MIXED_RCPT_OTHER)
                continue;
            if (curr_offset > message->data_offset) {
                /* A pure recipient tail: nothing else follows. */
                message->rflags |= QMGR_READ_FLAG_SEEN_ALL_NON_RCPT;
                break;
            }
            /* Skip the other envelope recipients; look at the extracted segment. */
            if (vstream_fseek(fp, message->data_offset + message->data_size, SEEK_SET) < 0)
                msg_fatal("seek file %s: %m", vstream_path(fp));
            continue;
        }
        if (rec_type == REC_TYPE_DONE || rec_type == REC_TYPE_DRCP) {
            if (collecting)
                message->rcpt_unread--;
            pending_reset(&pending);
            continue;
        }
        if (rec_type == REC_TYPE_ORCP || rec_type == REC_TYPE_DSN_ORCPT) {
            char **field = rec_type == REC_TYPE_ORCP ? &pending.orig_rcpt : &pending.dsn_orcpt;

            if (*field) {
                msg_warn("%s: ignoring out-of-order original recipient <%.200s>", message->queue_id,
                         *field);
                myfree(*field);
            }
            *field = mystrdup(start);
            continue;
        }
        if (rec_type == REC_TYPE_DSN_NOTIFY) {
            if (!alldig(start) || (n = atoi(start)) == 0 || !DSN_NOTIFY_OK(n))
                msg_warn("%s: ignoring malformed DSN notify flags <%.200s>", message->queue_id,
                         start);
            else
                pending.dsn_notify = n;
            continue;
        }

        /* Everything else, once. */
        if (message->rflags & QMGR_READ_FLAG_SEEN_ALL_NON_RCPT)
            continue;
        if (read_envelope_record(message, rec_type, start, name, curr_offset, &have_log_attr) < 0) {
            rec_type = REC_TYPE_ERROR;
            break;
        }
    }
    pending_reset(&pending);
    vstring_free(buf);

    /* Empty strings are easier to send than null pointers. */
    if (message->dsn_envid == 0)
        message->dsn_envid = mystrdup("");
    if (message->encoding == 0)
        message->encoding = mystrdup(MAIL_ATTR_ENC_NONE);
    set_once(&message->client_name, "");
    set_once(&message->client_addr, "");
    set_once(&message->client_port, "");
    set_once(&message->client_proto, "");
    set_once(&message->client_helo, "");
    set_once(&message->sasl_method, "");
    set_once(&message->sasl_username, "");
    set_once(&message->sasl_sender, "");
    set_once(&message->log_ident, "");
    set_once(&message->rewrite_context, MAIL_ATTR_RWR_LOCAL);
    if (message->create_time == 0)
        message->create_time = message->arrival_time.tv_sec;
    if (message->rcpt_unread < 0 || (message->rcpt_offset == 0 && message->rcpt_unread != 0))
        message->rcpt_unread = 0;

    if (rec_type <= 0) {
        /* Already logged. */
    } else if (message->arrival_time.tv_sec == 0) {
        msg_warn("%s: message rejected: missing arrival time record", message->queue_id);
    } else if (message->sender == 0) {
        msg_warn("%s: message rejected: missing sender record", message->queue_id);
    } else if (message->data_offset == 0) {
        msg_warn("%s: message rejected: missing size record", message->queue_id);
    } else {
        ret = 0;
    }
    return (ret);
}

QMGR_RESOLVE_FN qmgr_resolve_fn;

/* Cached resolver answers for one batch (the sender is the same for all). */
typedef struct RESOLVED_CACHE {
    char *transport;
    char *nexthop;
    char *recipient;
    int flags;
} RESOLVED_CACHE;

/* resolved_cache_free - htable destructor */
static void resolved_cache_free(void *ptr)
{
    RESOLVED_CACHE *cached = (RESOLVED_CACHE *)ptr;

    myfree(cached->transport);
    myfree(cached->nexthop);
    myfree(cached->recipient);
    myfree(cached);
}

/* resolve_cached - resolve an address once per batch */
static RESOLVED_CACHE *resolve_cached(HTABLE *cache, const char *sender, const char *address)
{
    static QMGR_RESOLVED reply;
    RESOLVED_CACHE *cached;

    if ((cached = (RESOLVED_CACHE *)htable_find(cache, address)) != 0)
        return (cached);
    if (reply.transport == 0) {
        reply.transport = vstring_alloc(20);
        reply.nexthop = vstring_alloc(100);
        reply.recipient = vstring_alloc(100);
    }
    VSTRING_RESET(reply.transport);
    VSTRING_RESET(reply.nexthop);
    VSTRING_RESET(reply.recipient);
    VSTRING_TERMINATE(reply.transport);
    VSTRING_TERMINATE(reply.nexthop);
    VSTRING_TERMINATE(reply.recipient);
    reply.flags = 0;
    qmgr_resolve_fn(sender, address, &reply);
    cached = (RESOLVED_CACHE *)mymalloc(sizeof(*cached));
    cached->transport = mystrdup(vstring_str(reply.transport));
    cached->nexthop = mystrdup(vstring_str(reply.nexthop));
    cached->recipient = mystrdup(vstring_str(reply.recipient));
    cached->flags = reply.flags;
    htable_enter(cache, address, (void *)cached);
    return (cached);
}

/* is_double_bounce - mail to the local double-bounce address */
static int is_double_bounce(const RESOLVED_CACHE *resolved)
{
    size_t len = strlen(var_double_bounce_sender);

    return ((resolved->flags & QMGR_RESOLVE_CLASS_LOCAL) &&
            strncasecmp(resolved->recipient, var_double_bounce_sender, len) == 0 &&
            (resolved->recipient[len] == '@' || resolved->recipient[len] == 0));
}

/* queue_name_of - the destination queue name for a resolved recipient */
static void queue_name_of(VSTRING *name, QMGR_TRANSPORT *transport, const RESOLVED_CACHE *resolved)
{
    /* One recipient per delivery: concurrency is per recipient, not per domain. */
    if (transport->recipient_limit == 1) {
        const char *at = strrchr(resolved->recipient, '@');

        vstring_strncpy(name, resolved->recipient,
                        at ? (size_t)(at - resolved->recipient) : strlen(resolved->recipient));
        vstring_sprintf_append(name, "@%s", resolved->nexthop);
    } else {
        vstring_strcpy(name, resolved->nexthop);
    }
    lowercase(vstring_str(name));
}

/* Where recipients of a force-expired message go, and why. */
#define QMGR_EXPIRE_TRANSPORT "retry"
#define QMGR_EXPIRE_REASON "4.7.0 message is administratively expired"

/* qmgr_message_resolve - find each recipient's destination queue */
static void qmgr_message_resolve(QMGR_MESSAGE *message)
{
    HTABLE *cache = htable_create(0);
    VSTRING *queue_name = vstring_alloc(100);
    RECIPIENT *rcpt;
    RESOLVED_CACHE *resolved;
    RESOLVED_CACHE expired;
    QMGR_TRANSPORT *transport;
    QMGR_QUEUE *queue;
    DSN dsn;

    expired.transport = (char *)QMGR_EXPIRE_TRANSPORT;
    expired.nexthop = (char *)QMGR_EXPIRE_REASON;
    expired.flags = 0;
    for (rcpt = message->rcpt_list.info; rcpt < message->rcpt_list.info + message->rcpt_list.len;
         rcpt++) {
        rcpt->u.queue = 0;

        /* External commands might take such addresses for options. */
        if (!var_allow_min_user && rcpt->address[0] == '-') {
            qmgr_bounce_recipient(message, rcpt, DSN_SIMPLE(&dsn, "5.1.3", "bad address syntax"));
            continue;
        }
        /*
         * An administratively expired message (postsuper -e/-f) is tried
         * by nobody: the retry service defers each recipient, and
         * qmgr_active_done() then returns the message to the sender.
         */
        if (message->qflags & QMGR_FORCE_EXPIRE) {
            expired.recipient = (char *)rcpt->address;
            resolved = &expired;
        } else {
            resolved = resolve_cached(cache, message->sender, rcpt->address);
            if (resolved->flags & QMGR_RESOLVE_FLAG_FAIL) {
                qmgr_defer_recipient(message, rcpt,
                                     DSN_SIMPLE(&dsn, "4.3.0", "address resolver failure"));
                continue;
            }
        }

        /* Bounces of bounces end here, so that this system needs no local agent for them. */
        if (is_double_bounce(resolved)) {
            (void)DSN_SIMPLE(&dsn, "2.0.0", "undeliverable postmaster notification discarded");
            if (qmgr_notify.sent(message, rcpt, "none", &dsn) == 0 &&
                qmgr_message_mark_done(message, rcpt->offset) == 0)
                continue;
            message->flags |= QMGR_DELIVER_STAT_DEFER;
            continue;
        }
        if ((message->qflags & QMGR_FLUSH_DFXP) == 0 &&
            qmgr_defer_xport_match(resolved->transport)) {
            qmgr_defer_recipient(message, rcpt, DSN_SIMPLE(&dsn, "4.3.2", "deferred transport"));
            continue;
        }
        if ((transport = qmgr_transport_find(resolved->transport)) == 0)
            transport = qmgr_transport_create(resolved->transport);
        if ((message->qflags & QMGR_FLUSH_EACH) && QMGR_TRANSPORT_THROTTLED(transport))
            qmgr_transport_unthrottle(transport);
        if (QMGR_TRANSPORT_THROTTLED(transport)) {
            qmgr_defer_recipient(message, rcpt, transport->dsn);
            continue;
        }
        queue_name_of(queue_name, transport, resolved);
        queue = qmgr_queue_find(transport, vstring_str(queue_name));
        if (queue && (message->qflags & QMGR_FLUSH_EACH) && QMGR_QUEUE_THROTTLED(queue)) {
            /* An empty revived queue goes away; look again. */
            qmgr_queue_unthrottle(queue);
            queue = qmgr_queue_find(transport, vstring_str(queue_name));
        }
        if (queue == 0)
            queue = qmgr_queue_create(transport, vstring_str(queue_name), resolved->nexthop);
        if (QMGR_QUEUE_THROTTLED(queue)) {
            qmgr_defer_recipient(message, rcpt, queue->dsn);
            continue;
        }
        rcpt->u.queue = queue;
    }
    htable_free(cache, resolved_cache_free);
    vstring_free(queue_name);
}

/* rcpt_compare - order by transport, destination, domain, address */
static int rcpt_compare(const void *p1, const void *p2)
{
    const RECIPIENT *r1 = (const RECIPIENT *)p1;
    const RECIPIENT *r2 = (const RECIPIENT *)p2;
    const char *at1;
    const char *at2;
    int result;

    if (r1->u.queue != 0 && r2->u.queue == 0)
        return (-1);
    if (r1->u.queue == 0 && r2->u.queue != 0)
        return (1);
    if (r1->u.queue != 0) {
        if ((result = strcmp(r1->u.queue->transport->name, r2->u.queue->transport->name)) != 0)
            return (result);
        if ((result = strcmp(r1->u.queue->name, r2->u.queue->name)) != 0)
            return (result);
    }
    at1 = strrchr(r1->address, '@');
    at2 = strrchr(r2->address, '@');
    if (at1 == 0 && at2 != 0)
        return (1);
    if (at1 != 0 && at2 == 0)
        return (-1);
    if (at1 != 0 && (result = strcasecmp(at1, at2)) != 0)
        return (result);
    if ((result = strcmp(r1->address, r2->address)) != 0)
        return (result);
    return (r1->offset < r2->offset ? -1 : r1->offset > r2->offset);
}

/* qmgr_message_assign - hang resolved recipients on entries */
static void qmgr_message_assign(QMGR_MESSAGE *message)
{
    RECIPIENT_LIST *list = &message->rcpt_list;
    RECIPIENT *rcpt;
    QMGR_ENTRY *entry = 0;
    QMGR_PEER *peer = 0;
    QMGR_QUEUE *queue;
    int limit;

    qsort(list->info, list->len, sizeof(list->info[0]), rcpt_compare);
    for (rcpt = list->info; rcpt < list->info + list->len; rcpt++) {
        if ((queue = rcpt->u.queue) == 0)
            continue;
        limit = message->single_rcpt ? 1 : queue->transport->recipient_limit;
        if (peer == 0 || peer->queue != queue) {
            peer = qmgr_peer_obtain(qmgr_job_obtain(message, queue->transport), queue);
            entry = peer->entry_list.prev;
        }
        if (entry == 0 || (limit > 0 && entry->rcpt_list.len >= limit))
            entry = qmgr_entry_create(peer, message);
        recipient_list_add(&entry->rcpt_list, rcpt->offset, rcpt->dsn_orcpt, rcpt->dsn_notify,
                           rcpt->orig_addr, rcpt->address);
        peer->job->rcpt_count++;
        message->rcpt_count++;
        qmgr_recipient_count++;
    }
    recipient_list_free(list);
    recipient_list_init(list, RCPT_LIST_INIT_QUEUE);
}

/* qmgr_message_move_limits - fully read: its jobs keep only the slots they use */
static void qmgr_message_move_limits(QMGR_MESSAGE *message)
{
    QMGR_JOB *job;

    for (job = message->job_list.next; job; job = job->message_peers.next)
        qmgr_job_move_limits(job);
}

/* qmgr_message_batch - resolve and assign the batch just read */
static void qmgr_message_batch(QMGR_MESSAGE *message)
{
    qmgr_message_resolve(message);
    qmgr_message_assign(message);
    if (message->rcpt_offset == 0)
        qmgr_message_move_limits(message);
}

/* qmgr_message_alloc - bring a queue file into core */
QMGR_MESSAGE *qmgr_message_alloc(const char *queue_name, const char *queue_id, int qflags,
                                 mode_t mode)
{
    QMGR_MESSAGE *message = qmgr_message_create(queue_name, queue_id, qflags);
    VSTREAM *fp;

    if ((fp = qmgr_message_open(message)) == 0) {
        qmgr_message_free(message);
        return (0);
    }
    if (myflock(vstream_fileno(fp), MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) <
        0) {
        if (errno != EAGAIN && errno != EWOULDBLOCK)
            msg_fatal("%s: lock queue file: %m", vstream_path(fp));
        vstream_fclose(fp);
        qmgr_message_free(message);
        return (QMGR_MESSAGE_LOCKED);
    }
    if (mode != 0 && fchmod(vstream_fileno(fp), mode) < 0)
        msg_fatal("%s: fchmod: %m", vstream_path(fp));
    if (qmgr_message_read(message, fp) < 0) {
        vstream_fclose(fp);
        qmgr_message_free(message);
        return (0);
    }

    /*
     * The defer log of the previous attempt goes; this attempt writes its
     * own. Safe after the lock, and before any recipient is deferred.
     */
    if (mail_queue_remove(MAIL_QUEUE_DEFER, queue_id) < 0 && errno != ENOENT)
        msg_fatal("%s: remove %s %s: %m", queue_id, MAIL_QUEUE_DEFER, queue_id);
    vstream_fclose(fp);
    qmgr_message_batch(message);
    return (message);
}

/*
 * qmgr_message_realloc - read the next recipient batch: when all in-core
 * recipients are done, or as a refill while deliveries are under way.
 */
QMGR_MESSAGE *qmgr_message_realloc(QMGR_MESSAGE *message)
{
    VSTREAM *fp;

    if (message->rcpt_offset == 0 || message->rcpt_list.len != 0)
        msg_panic("qmgr_message_realloc: %s: nothing to read", message->queue_id);
    message->refill_time = event_time();
    if ((fp = qmgr_message_open(message)) == 0)
        return (0);
    if (qmgr_message_read(message, fp) < 0) {
        vstream_fclose(fp);
        return (0);
    }
    vstream_fclose(fp);
    qmgr_message_batch(message);
    return (message);
}

/* Messages that may read more recipients (see qmgr_entry_refill). */
static QMGR_LIST_HEAD(QMGR_MESSAGE) refill_list;

/* qmgr_message_refill_request - read more recipients at the next chance */
void qmgr_message_refill_request(QMGR_MESSAGE *message)
{
    if (!message->refill_wanted) {
        message->refill_wanted = 1;
        QMGR_LIST_APPEND(refill_list, message, refill_peers);
    }
}

/* refill_forget - take a message off the refill list */
static void refill_forget(QMGR_MESSAGE *message)
{
    if (message->refill_wanted) {
        message->refill_wanted = 0;
        QMGR_LIST_UNLINK(refill_list, message, refill_peers);
    }
}

/*
 * qmgr_message_refill_pending - refill what asked for it, within each
 * message's in-memory allowance; a message without room now asks again
 * when its next delivery ends or its jobs get more recipient slots.
 */
void qmgr_message_refill_pending(void)
{
    QMGR_MESSAGE *message;

    while ((message = refill_list.next) != 0) {
        refill_forget(message);
        /* Without entries, qmgr_active_done() reads the next batch itself. */
        if (message->refcount == 0 || message->rcpt_offset == 0)
            continue;
        /* The transports' pools bound refills, not the global pool. */
        if (message->rcpt_count >= message->rcpt_limit)
            continue;
        if (qmgr_message_realloc(message) == 0) {
            /* Unreadable now: the rest waits for the next attempt. */
            msg_warn("%s: cannot read more recipients", message->queue_id);
            message->rcpt_offset = 0;
            message->flags |= QMGR_DELIVER_STAT_DEFER;
            qmgr_message_move_limits(message);
        }
    }
}

/* qmgr_message_free - forget a message that has no entries left */
void qmgr_message_free(QMGR_MESSAGE *message)
{
    char **fields[] = {
        &message->queue_name,      &message->queue_id,
        &message->encoding,        &message->sender,
        &message->dsn_envid,       &message->verp_delims,
        &message->filter_xport,    &message->inspect_xport,
        &message->redirect_addr,   &message->client_name,
        &message->client_addr,     &message->client_port,
        &message->client_proto,    &message->client_helo,
        &message->sasl_method,     &message->sasl_username,
        &message->sasl_sender,     &message->log_ident,
        &message->rewrite_context, 0,
    };
    char ***fp;

    if (message->refcount != 0)
        msg_panic("qmgr_message_free: %s has %d entries", message->queue_id, message->refcount);
    if (message->job_list.next != 0)
        msg_panic("qmgr_message_free: %s still has jobs", message->queue_id);
    refill_forget(message);
    for (fp = fields; *fp; fp++)
        if (**fp)
            myfree(**fp);
    recipient_list_free(&message->rcpt_list);
    qmgr_message_count--;
    myfree(message);
}

/* qmgr_message_update - change one record of the closed queue file */
static int qmgr_message_update(QMGR_MESSAGE *message, long offset, int type, const char *text)
{
    VSTREAM *fp;
    int ret = 0;

    if ((fp = qmgr_message_open(message)) == 0)
        return (-1);
    if (text == 0) {
        if (rec_put_type(fp, type, offset) < 0)
            ret = -1;
    } else if (vstream_fseek(fp, offset, SEEK_SET) < 0 || rec_fputs(fp, type, text) < 0 ||
               vstream_fflush(fp) != 0) {
        ret = -1;
    }
    if (ret < 0)
        msg_warn("update queue file %s: %m", vstream_path(fp));
    if (vstream_fclose(fp) != 0)
        ret = -1;
    return (ret);
}

/* qmgr_message_mark_done - turn an R record into D */
int qmgr_message_mark_done(QMGR_MESSAGE *message, long offset)
{
    return (qmgr_message_update(message, offset, REC_TYPE_DONE, (char *)0));
}

/* qmgr_message_rcpt_todo - is the recipient at this offset still to be delivered */
int qmgr_message_rcpt_todo(QMGR_MESSAGE *message, long offset)
{
    VSTREAM *fp;
    int type = REC_TYPE_RCPT;

    /* When in doubt, the recipient is not done: never lose one. */
    if (offset > 0 && (fp = qmgr_message_open(message)) != 0) {
        if (vstream_fseek(fp, offset, SEEK_SET) >= 0)
            type = vstream_getc(fp);
        vstream_fclose(fp);
    }
    return (type != REC_TYPE_DONE);
}

/* qmgr_message_update_warn - no more delay warnings (the W time becomes 0) */
void qmgr_message_update_warn(QMGR_MESSAGE *message)
{
    char text[REC_PTR_SIZE + 1];

    snprintf(text, sizeof(text), REC_WARN_FORMAT, 0L);
    if (message->warn_offset <= 0 ||
        qmgr_message_update(message, message->warn_offset, REC_TYPE_WARN, text) < 0)
        msg_fatal("%s: cannot update the delay warning time", message->queue_id);
    message->warn_time = 0;
}

/* qmgr_message_kill_record - neutralize one envelope record */
void qmgr_message_kill_record(QMGR_MESSAGE *message, long offset)
{
    if (offset <= 0)
        msg_panic("qmgr_message_kill_record: bad offset %ld", offset);
    if (qmgr_message_update(message, offset, REC_TYPE_KILL, (char *)0) < 0)
        msg_fatal("%s: cannot update queue file", message->queue_id);
}
