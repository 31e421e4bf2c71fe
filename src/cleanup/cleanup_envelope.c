/*
 * cleanup_envelope - the first segment: arrival time, sender, recipients
 * and the attributes the client sends about itself.
 *
 * The first record of the output is the C (size) record with zero fields,
 * rewritten in place when the message is complete. T is passed on (the
 * first one wins) followed by our own "create_time" attribute; S is
 * rewritten (cleanup_addr); O, DSN attributes and R are collected into one
 * recipient each; A attributes are remembered (rewrite_context chooses how
 * headers are rewritten) and passed on. Records the client may not send
 * here make the message unacceptable (CLEANUP_STAT_BAD) with Postfix's
 * warning texts. The M record hands over to the content segment.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "stringops.h"

static void cleanup_envelope_process(CLEANUP_STATE *, int, const char *, ssize_t);

/* Recipient-related records of the envelope. */
#define CLEANUP_ENV_RECIPIENT "MDRO/Kon"

/* cleanup_dsn_notify_ok - a valid NOTIFY mask */
int cleanup_dsn_notify_ok(int mask)
{
    if (mask == CLEANUP_DSN_NOTIFY_NEVER)
        return (1);
    return (mask != 0 && (mask & ~CLEANUP_DSN_NOTIFY_ANY) == 0);
}

/* cleanup_attr_pseudo_type - A records that stand for other record types */
static int cleanup_attr_pseudo_type(const char *name)
{
    if (strcmp(name, MAIL_ATTR_DSN_ORCPT) == 0)
        return (REC_TYPE_DSN_ORCPT);
    if (strcmp(name, MAIL_ATTR_DSN_NOTIFY) == 0)
        return (REC_TYPE_DSN_NOTIFY);
    if (strcmp(name, MAIL_ATTR_DSN_ENVID) == 0)
        return (REC_TYPE_DSN_ENVID);
    if (strcmp(name, MAIL_ATTR_DSN_RET) == 0)
        return (REC_TYPE_DSN_RET);
    if (strcmp(name, MAIL_ATTR_CREATE_TIME) == 0)
        return (REC_TYPE_CTIME);
    return (0);
}

/* cleanup_envelope - write the size record, then process records */
void cleanup_envelope(CLEANUP_STATE *state, int type, const char *buf, ssize_t len)
{
    cleanup_out_size(state);
    state->action = cleanup_envelope_process;
    cleanup_envelope_process(state, type, buf, len);
}

/* cleanup_envelope_reject - the client broke the protocol */
static void cleanup_envelope_reject(CLEANUP_STATE *state)
{
    state->errs |= CLEANUP_STAT_BAD;
}

/* cleanup_envelope_rcpt_start - checks on the first recipient record */
static int cleanup_envelope_rcpt_start(CLEANUP_STATE *state)
{
    if (state->sender == 0) {
        msg_warn("%s: message rejected: missing sender envelope record", state->queue_id);
        cleanup_envelope_reject(state);
        return (-1);
    }
    if (state->arrival_time.tv_sec == 0) {
        msg_warn("%s: message rejected: missing time envelope record", state->queue_id);
        cleanup_envelope_reject(state);
        return (-1);
    }
    if (!state->warn_seen && *state->sender && var_delay_warning_time > 0)
        cleanup_out_format(state, REC_TYPE_WARN, REC_WARN_FORMAT,
                           (long) state->arrival_time.tv_sec + var_delay_warning_time);
    state->flags |= CLEANUP_FLAG_INRCPT;
    return (0);
}

/* cleanup_envelope_recipient - R, O and the DSN pseudo records */
static void cleanup_envelope_recipient(CLEANUP_STATE *state, int type, const char *buf)
{
    int mask;

    switch (type) {
    case REC_TYPE_RCPT:
        if (state->orig_rcpt == 0)
            state->orig_rcpt = mystrdup(buf);
        cleanup_addr_recipient(state, buf);
        __attribute__((fallthrough));   /* then forget the per-recipient data */
    case REC_TYPE_DONE:
    case REC_TYPE_DRCP:
        if (state->orig_rcpt)
            myfree(state->orig_rcpt);
        state->orig_rcpt = 0;
        if (state->dsn_orcpt)
            myfree(state->dsn_orcpt);
        state->dsn_orcpt = 0;
        state->dsn_notify = 0;
        return;
    case REC_TYPE_DSN_ORCPT:
        if (state->dsn_orcpt) {
            msg_warn("%s: ignoring out-of-order DSN original recipient record <%.200s>",
                     state->queue_id, state->dsn_orcpt);
            myfree(state->dsn_orcpt);
        }
        state->dsn_orcpt = mystrdup(buf);
        return;
    case REC_TYPE_DSN_NOTIFY:
        if (state->dsn_notify) {
            msg_warn("%s: ignoring out-of-order DSN notify record <%d>", state->queue_id,
                     state->dsn_notify);
            state->dsn_notify = 0;
        }
        if (!alldig(buf) || (mask = atoi(buf)) == 0 || !cleanup_dsn_notify_ok(mask)) {
            msg_warn("%s: ignoring malformed DSN notify record <%.200s>", state->queue_id, buf);
        } else {
            /* The queue manager learns NOTIFY= from the recipient records. */
            state->dsn_notify = mask;
        }
        return;
    case REC_TYPE_ORCP:
        if (state->orig_rcpt) {
            msg_warn("%s: ignoring out-of-order original recipient record <%.200s>",
                     state->queue_id, state->orig_rcpt);
            myfree(state->orig_rcpt);
        }
        state->orig_rcpt = mystrdup(buf);
        return;
    }
}

/* cleanup_envelope_attr - an A record: remember, check, pass on */
static void cleanup_envelope_attr(CLEANUP_STATE *state, const char *name, const char *value,
                                  const char *buf, ssize_t len)
{
    if (state->attr_count >= var_queue_file_attribute_count_limit) {
        msg_warn("%s: message rejected: attribute count exceeds limit %d", state->queue_id,
                 var_queue_file_attribute_count_limit);
        cleanup_envelope_reject(state);
        return;
    }
    if (strcmp(name, MAIL_ATTR_RWR_CONTEXT) == 0) {
        if (strcmp(value, MAIL_ATTR_RWR_LOCAL) == 0) {
            state->hdr_rewrite_context = MAIL_ATTR_RWR_LOCAL;
        } else if (strcmp(value, MAIL_ATTR_RWR_REMOTE) == 0) {
            state->hdr_rewrite_context = *var_remote_header_rewrite_domain ? MAIL_ATTR_RWR_REMOTE : 0;
        } else {
            msg_warn("%s: message rejected: bad rewriting context: %.100s", state->queue_id,
                     value);
            cleanup_envelope_reject(state);
            return;
        }
    }
    if (*value) {
        cleanup_attr_update(state, name, value);
        state->attr_count++;
    }
    cleanup_out(state, REC_TYPE_ATTR, buf, len);
}

/* cleanup_envelope_other - non-recipient records */
static void cleanup_envelope_other(CLEANUP_STATE *state, int type, int pseudo, const char *value,
                                   const char *buf, ssize_t len)
{
    int mask;

    switch (pseudo) {
    case REC_TYPE_SIZE:
    case REC_TYPE_CTIME:
        return;                                 /* we write our own */
    case REC_TYPE_TIME:
        if (state->arrival_time.tv_sec == 0) {
            long sec = 0, usec = 0;

            if (sscanf(buf, "%ld %ld", &sec, &usec) < 1 || sec <= 0) {
                msg_warn("%s: message rejected: bad time record <%.100s>", state->queue_id, buf);
                cleanup_envelope_reject(state);
                return;
            }
            state->arrival_time.tv_sec = sec;
            state->arrival_time.tv_usec = usec;
            cleanup_out(state, type, buf, len);
        }
        cleanup_out_format(state, REC_TYPE_ATTR, "%s=%ld", MAIL_ATTR_CREATE_TIME,
                           (long) time((time_t *) 0));
        return;
    case REC_TYPE_FULL:
        if (state->fullname == 0) {
            state->fullname = mystrdup(buf);
            cleanup_out(state, type, buf, len);
        }
        return;
    case REC_TYPE_FROM:
        if (state->sender != 0) {
            msg_warn("%s: message rejected: multiple envelope sender records", state->queue_id);
            cleanup_envelope_reject(state);
            return;
        }
        cleanup_addr_sender(state, buf);
        return;
    case REC_TYPE_DSN_ENVID:
        if (state->dsn_envid != 0 || !allprint(value)) {
            msg_warn("%s: message rejected: %s", state->queue_id,
                     state->dsn_envid ? "multiple DSN envelope ID records"
                                      : "bad DSN envelope ID record");
            cleanup_envelope_reject(state);
            return;
        }
        state->dsn_envid = mystrdup(value);
        cleanup_out(state, type, buf, len);
        return;
    case REC_TYPE_DSN_RET:
        if (state->dsn_ret != 0 || !alldig(value) || (mask = atoi(value)) == 0
            || (mask != CLEANUP_DSN_RET_FULL && mask != CLEANUP_DSN_RET_HDRS)) {
            msg_warn("%s: message rejected: bad DSN RET record <%.200s>", state->queue_id, buf);
            cleanup_envelope_reject(state);
            return;
        }
        state->dsn_ret = mask;
        cleanup_out(state, type, buf, len);
        return;
    case REC_TYPE_WARN:
        if (!state->warn_seen) {
            state->warn_seen = 1;
            cleanup_out(state, type, buf, len);
        }
        return;
    case REC_TYPE_VERP:
        if (state->verp_delims == 0) {
            if (state->sender == 0 || *state->sender == 0)
                msg_warn("%s: ignoring VERP request for null sender", state->queue_id);
            else if (strlen(buf) != 2)
                msg_warn("%s: ignoring bad VERP request: \"%.100s\"", state->queue_id, buf);
            else {
                state->verp_delims = mystrdup(buf);
                cleanup_out(state, type, buf, len);
            }
        }
        return;
    default:
        cleanup_out(state, type, buf, len);
        return;
    }
}

/* cleanup_envelope_process - one envelope record */
static void cleanup_envelope_process(CLEANUP_STATE *state, int type, const char *buf,
                                     ssize_t len)
{
    char *name = 0;
    char *value = 0;
    const char *err;
    int pseudo = type;
    const char *mapped = buf;

    if (type == REC_TYPE_FLGS) {
        int extra = atoi(buf);

        if (extra & ~CLEANUP_FLAG_MASK_EXTRA)
            msg_warn("%s: ignoring bad extra flags: 0x%x", state->queue_id, extra);
        else
            state->flags |= extra;
        return;
    }
    if (type == REC_TYPE_DELAY || type == REC_TYPE_MILT_COUNT)
        return;                                 /* not part of the queue file format */
    if (type == REC_TYPE_ATTR) {
        vstring_strcpy(state->attr_buf, buf);
        if ((err = split_nameval(vstring_str(state->attr_buf), &name, &value)) != 0) {
            msg_warn("%s: message rejected: malformed attribute: %s: %.100s", state->queue_id,
                     err, buf);
            cleanup_envelope_reject(state);
            return;
        }
        if ((pseudo = cleanup_attr_pseudo_type(name)) != 0)
            mapped = value;
        else
            pseudo = type;
    }
    if (!REC_TYPE_IN_SET(type, REC_TYPE_ENVELOPE)) {
        msg_warn("%s: message rejected: unexpected record type %d in envelope", state->queue_id,
                 type);
        cleanup_envelope_reject(state);
        return;
    }
    if ((state->flags & CLEANUP_FLAG_INRCPT) == 0
        && REC_TYPE_IN_SET(pseudo, CLEANUP_ENV_RECIPIENT) && cleanup_envelope_rcpt_start(state) < 0)
        return;
    if (type == REC_TYPE_RCPT && state->sender == 0) {
        msg_warn("%s: message rejected: envelope recipient precedes sender", state->queue_id);
        cleanup_envelope_reject(state);
        return;
    }
    if (type == REC_TYPE_MESG) {
        cleanup_addr_flush_sender_bcc(state);
        state->flags &= ~CLEANUP_FLAG_INRCPT;
        state->action = cleanup_message;
        return;
    }
    if (pseudo == REC_TYPE_RCPT || pseudo == REC_TYPE_DONE || pseudo == REC_TYPE_DRCP
        || pseudo == REC_TYPE_DSN_ORCPT || pseudo == REC_TYPE_DSN_NOTIFY || pseudo == REC_TYPE_ORCP) {
        cleanup_envelope_recipient(state, pseudo, mapped);
        return;
    }
    if (state->flags & CLEANUP_FLAG_INRCPT)
        state->qmgr_opts |= CLEANUP_QMGR_MIXED_RCPT_OTHER;
    if (type == REC_TYPE_ATTR && pseudo == REC_TYPE_ATTR) {
        cleanup_envelope_attr(state, name, value, buf, len);
        return;
    }
    cleanup_envelope_other(state, type, pseudo, mapped, buf, len);
}
