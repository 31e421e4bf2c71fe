/*
 * cleanup_extracted - the third segment: what was learned from the
 * message content (recipients from "sendmail -t", header/body check
 * results), and the end of the queue file.
 *
 * The segment starts with X, followed by the first Return-Receipt-To: (r)
 * and Errors-To: (e) addresses of the message header. Before the first recipient (or the end), the
 * content_filter or FILTER action (L), the REDIRECT action (>) and the
 * content encoding (A encoding=) are written, so that the queue manager
 * has read all non-recipient information before any recipient. At the E
 * record: the BCC recipients of header/body checks and always_bcc are
 * added, E is written, and the C record is rewritten with the final sizes.
 * The SMTP server sends what its end-of-data restrictions decided at the
 * start of this segment: extra flags (HOLD, DISCARD, in a flags record that
 * is not part of the queue file), FILTER and REDIRECT.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_attr_map.h"
#include "rec_type.h"
#include "stringops.h"

static void cleanup_extracted_process(CLEANUP_STATE *, int, const char *, ssize_t);

/* Records that end the non-recipient part of the segment. */
#define CLEANUP_EXT_RECIPIENT "EDRO/Kon"

/* cleanup_extracted - start the segment */
void cleanup_extracted(CLEANUP_STATE *state, int type, const char *buf, ssize_t len)
{
    cleanup_out_string(state, REC_TYPE_XTRA, "");
    /* Ahead of any recipient, so that the queue manager finds them quickly. */
    if (state->return_receipt)
        cleanup_out_string(state, REC_TYPE_RRTO, state->return_receipt);
    if (state->errors_to)
        cleanup_out_string(state, REC_TYPE_ERTO, state->errors_to);
    state->action = cleanup_extracted_process;
    cleanup_extracted_process(state, type, buf, len);
}

/* cleanup_extracted_finish - BCC recipients, E, final size record */
static void cleanup_extracted_finish(CLEANUP_STATE *state)
{
    int i;

    if (state->hbc_rcpt) {
        for (i = 0; i < state->hbc_rcpt->argc; i++)
            cleanup_addr_bcc(state, state->hbc_rcpt->argv[i]);
    }
    if ((state->flags & CLEANUP_FLAG_BCC_OK) && state->recip != 0 && *var_always_bcc)
        cleanup_addr_bcc(state, var_always_bcc);
    cleanup_out_string(state, REC_TYPE_END, "");
    state->end_seen = 1;
    if (!CLEANUP_OUT_OK(state))
        return;
    if (vstream_fflush(state->dst) != 0) {
        if (errno == EFBIG) {
            msg_warn("%s: queue file size limit exceeded", state->queue_id);
            state->errs |= CLEANUP_STAT_SIZE;
        } else {
            msg_warn("%s: write queue file: %m", state->queue_id);
            state->errs |= CLEANUP_STAT_WRITE;
        }
        return;
    }
    if (vstream_fseek(state->dst, (off_t) 0, SEEK_SET) < 0)
        msg_fatal("%s: seek file %s: %m", state->queue_id, vstream_path(state->dst));
    cleanup_out_size(state);
}

/* cleanup_extracted_recipient - R, O and DSN records of this segment */
static void cleanup_extracted_recipient(CLEANUP_STATE *state, int type, const char *buf)
{
    int mask;

    if (type == REC_TYPE_RCPT) {
        if (state->sender == 0) {
            msg_warn("%s: message rejected: envelope recipient precedes sender", state->queue_id);
            state->errs |= CLEANUP_STAT_BAD;
            return;
        }
        if (state->orig_rcpt == 0)
            state->orig_rcpt = mystrdup(buf);
        cleanup_addr_recipient(state, buf);
    }
    if (type == REC_TYPE_RCPT || type == REC_TYPE_DONE || type == REC_TYPE_DRCP) {
        if (state->orig_rcpt)
            myfree(state->orig_rcpt);
        state->orig_rcpt = 0;
        if (state->dsn_orcpt)
            myfree(state->dsn_orcpt);
        state->dsn_orcpt = 0;
        state->dsn_notify = 0;
    } else if (type == REC_TYPE_DSN_ORCPT) {
        if (state->dsn_orcpt) {
            msg_warn("%s: ignoring out-of-order DSN original recipient record <%.200s>",
                     state->queue_id, state->dsn_orcpt);
            myfree(state->dsn_orcpt);
        }
        state->dsn_orcpt = mystrdup(buf);
    } else if (type == REC_TYPE_DSN_NOTIFY) {
        if (!alldig(buf) || (mask = atoi(buf)) == 0 || !cleanup_dsn_notify_ok(mask))
            msg_warn("%s: ignoring malformed dsn notify record <%.200s>", state->queue_id, buf);
        else
            state->dsn_notify = mask;
    } else if (type == REC_TYPE_ORCP) {
        if (state->orig_rcpt) {
            msg_warn("%s: ignoring out-of-order original recipient record <%.200s>",
                     state->queue_id, buf);
            myfree(state->orig_rcpt);
        }
        state->orig_rcpt = mystrdup(buf);
    }
}

/* cleanup_extracted_process - one record of the extracted segment */
static void cleanup_extracted_process(CLEANUP_STATE *state, int type, const char *buf,
                                      ssize_t len)
{
    char *name;
    char *value;
    const char *err;
    const char *encoding;
    int mapped;

    /*
     * Decisions that smtpd's end-of-data restrictions made after the
     * envelope was sent: HOLD/DISCARD as extra flags (not a queue file
     * record), a DELAY request (not supported, ignored as in the envelope).
     */
    if (type == REC_TYPE_FLGS) {
        int extra = atoi(buf);

        if (extra & ~CLEANUP_FLAG_MASK_EXTRA)
            msg_warn("%s: ignoring bad extra flags: 0x%x", state->queue_id, extra);
        else
            state->flags |= extra;
        return;
    }
    if (type == REC_TYPE_DELAY)
        return;
    if (!REC_TYPE_IN_SET(type, REC_TYPE_EXTRACT)) {
        msg_warn("%s: message rejected: unexpected record type %d in extracted envelope",
                 state->queue_id, type);
        state->errs |= CLEANUP_STAT_BAD;
        return;
    }
    if (type == REC_TYPE_ATTR) {
        vstring_strcpy(state->attr_buf, buf);
        if ((err = split_nameval(vstring_str(state->attr_buf), &name, &value)) != 0) {
            msg_warn("%s: message rejected: malformed attribute: %s: %.100s", state->queue_id,
                     err, buf);
            state->errs |= CLEANUP_STAT_BAD;
            return;
        }
        if (*value == 0) {
            msg_warn("%s: spurious null attribute value for \"%s\" -- ignored", state->queue_id,
                     name);
            return;
        }
        if ((mapped = rec_attr_map(name)) != 0) {
            buf = value;
            type = mapped;
        }
    }
    if ((state->flags & CLEANUP_FLAG_INRCPT) == 0 && REC_TYPE_IN_SET(type, CLEANUP_EXT_RECIPIENT)) {
        if (state->filter)
            cleanup_out_string(state, REC_TYPE_FILT, state->filter);
        if (state->redirect)
            cleanup_out_string(state, REC_TYPE_RDR, state->redirect);
        if ((encoding = cleanup_attr_find(state, MAIL_ATTR_ENCODING)) != 0)
            cleanup_out_format(state, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_ENCODING, encoding);
        state->flags |= CLEANUP_FLAG_INRCPT;
    }
    if (type == REC_TYPE_END) {
        state->flags &= ~CLEANUP_FLAG_INRCPT;
        cleanup_extracted_finish(state);
        return;
    }
    /*
     * A FILTER or REDIRECT action of the client's end-of-data checks: it
     * replaces the content_filter default, but header/body checks, which
     * saw the content, win.
     */
    if ((state->flags & CLEANUP_FLAG_INRCPT) == 0 && type == REC_TYPE_FILT) {
        if (state->filter == 0 || strcmp(state->filter, var_content_filter) == 0) {
            if (state->filter)
                myfree(state->filter);
            state->filter = mystrdup(buf);
        }
        return;
    }
    if ((state->flags & CLEANUP_FLAG_INRCPT) == 0 && type == REC_TYPE_RDR) {
        if (state->redirect == 0)
            state->redirect = mystrdup(buf);
        return;
    }
    if (REC_TYPE_IN_SET(type, "RDO/on")) {
        cleanup_extracted_recipient(state, type, buf);
        return;
    }
    if (state->flags & CLEANUP_FLAG_INRCPT)
        state->qmgr_opts |= CLEANUP_QMGR_MIXED_RCPT_OTHER;
    /* What cleanup derives from the content replaces what the client says. */
    if (REC_TYPE_IN_SET(type, "L>Arec<i"))
        return;
    cleanup_out(state, type, buf, len);
}
