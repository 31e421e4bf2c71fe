/*
 * cleanup_api - one message from start to finish, independent of where
 * the records come from (the service loop in cleanup.c, or a test).
 *
 *   state = cleanup_open()          create the queue file in "incoming"
 *   cleanup_control(state, flags)   the client's CLEANUP_FLAG_* request
 *   cleanup_record(state, type, buf, len)   each record, through E
 *   status = cleanup_flush(state)   commit or remove; CLEANUP_STAT_* bits
 *   cleanup_free(state)
 *
 * cleanup_flush() commits only a message without errors: the file is
 * flushed, fsync'd and then marked complete (mail_stream_finish), moved to
 * "hold" first when a HOLD action fired, and the queue manager is told
 * about a new file in "incoming" (a failed trigger is ignored: qmgr scans
 * the queue anyway). Any error, and a DISCARD action, removes the file:
 * a refused message is never half queued. For a client that asked for
 * CLEANUP_FLAG_BOUNCE, a refusal that a bounce can explain becomes a
 * non-delivery notice to the sender (cleanup_bounce) and the client hears
 * success; a DISCARD action is always a success. state->reason has the text for
 * the client when there is a specific one.
 */

#include <errno.h>
#include <string.h>
#include <sys/statvfs.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"

/* cleanup_check_space - queue_minfree: is there room for a message? */
static int cleanup_check_space(CLEANUP_STATE *state)
{
    struct statvfs fs;
    unsigned long long avail;

    if (var_queue_minfree <= 0 || statvfs(MAIL_QUEUE_INCOMING, &fs) < 0)
        return (0);
    avail = (unsigned long long) fs.f_bavail * fs.f_frsize;
    if (avail >= (unsigned long long) var_queue_minfree)
        return (0);
    msg_warn("%s: not enough free space in the queue file system: %llu bytes < queue_minfree %ld",
             state->queue_id, avail, var_queue_minfree);
    state->errs |= CLEANUP_STAT_DEFER;
    state->reason = mystrdup("4.3.1 Insufficient system storage");
    return (-1);
}

/* cleanup_open - a new message with its queue file */
CLEANUP_STATE *cleanup_open(void)
{
    CLEANUP_STATE *state = cleanup_state_alloc();

    state->handle = mail_stream_file(MAIL_QUEUE_INCOMING, (char *) 0, (char *) 0, 0);
    state->dst = state->handle->stream;
    state->queue_id = mystrdup(state->handle->id);
    state->queue_name = mystrdup(MAIL_QUEUE_INCOMING);
    if (*var_content_filter)
        state->filter = mystrdup(var_content_filter);
    state->action = cleanup_envelope;
    (void) cleanup_check_space(state);
    return (state);
}

/* cleanup_control - the client's request flags */
void cleanup_control(CLEANUP_STATE *state, int flags)
{
    state->flags = flags & ~CLEANUP_FLAG_INRCPT;
    /* A client that bounces for itself wants the whole message written. */
    state->err_mask = (flags & CLEANUP_FLAG_BOUNCE) ? CLEANUP_STAT_MASK_INCOMPLETE : ~0;
    if (flags & CLEANUP_FLAG_SMTPUTF8)
        state->smtputf8 |= CLEANUP_SMTPUTF8_REQUESTED;
}

/* cleanup_record - one record from the client */
void cleanup_record(CLEANUP_STATE *state, int type, const char *buf, ssize_t len)
{
    if (state->end_seen) {
        msg_warn("%s: message rejected: record after the end of the message", state->queue_id);
        state->errs |= CLEANUP_STAT_BAD;
        return;
    }
    if (!CLEANUP_OUT_OK(state)) {
        if (type == REC_TYPE_END)
            state->end_seen = 1;
        return;
    }
    state->action(state, type, buf, len);
}

/* cleanup_commit - make the file durable and complete, wake the queue manager */
static void cleanup_commit(CLEANUP_STATE *state)
{
    static const char scan_incoming[] = {QMGR_REQ_SCAN_INCOMING};
    int hold = (state->flags & CLEANUP_FLAG_HOLD) != 0;

    if (hold) {
        if (mail_queue_rename(state->queue_id, MAIL_QUEUE_INCOMING, MAIL_QUEUE_HOLD) < 0) {
            msg_warn("%s: move to %s queue: %m", state->queue_id, MAIL_QUEUE_HOLD);
            state->errs |= CLEANUP_STAT_WRITE;
            mail_stream_cleanup(state->handle);
            return;
        }
        myfree(state->handle->queue);
        state->handle->queue = mystrdup(MAIL_QUEUE_HOLD);
        myfree(state->queue_name);
        state->queue_name = mystrdup(MAIL_QUEUE_HOLD);
    }
    state->errs |= mail_stream_finish(state->handle, (VSTRING *) 0);
    if (state->errs == 0 && !hold)
        (void) mail_trigger(MAIL_CLASS_PUBLIC, var_queue_service_name, scan_incoming,
                            sizeof(scan_incoming));
}

/* cleanup_flush - commit, bounce or discard; the status for the client */
int cleanup_flush(CLEANUP_STATE *state)
{
    if (CLEANUP_OUT_OK(state)) {
        if (state->recip == 0)
            state->errs |= CLEANUP_STAT_RCPT;
        if (!state->end_seen)
            state->errs |= CLEANUP_STAT_BAD;
    }
    /* A DISCARD action is a success for the client. */
    if (state->flags & CLEANUP_FLAG_DISCARD)
        state->errs = 0;
    /* A client that cannot bounce for itself gets the bounce done here. */
    if (state->errs != 0 && (state->flags & CLEANUP_FLAG_BOUNCE)
        && (state->errs & CLEANUP_STAT_MASK_CANT_BOUNCE) == 0) {
        state->errs = cleanup_bounce(state);
        if (state->errs == 0)
            state->flags |= CLEANUP_FLAG_DISCARD;
    }
    if (state->errs == 0 && (state->flags & CLEANUP_FLAG_DISCARD) == 0)
        cleanup_commit(state);
    else
        mail_stream_cleanup(state->handle);
    state->handle = 0;
    state->dst = 0;
    return (state->errs);
}

/* cleanup_free - the end of the message */
void cleanup_free(CLEANUP_STATE *state)
{
    cleanup_state_free(state);
}
