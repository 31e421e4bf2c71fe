/*
 * qmgr_active - the active queue: what comes in, and how it leaves.
 *
 * qmgr_active_feed() moves one complete, due queue file from the incoming
 * or deferred queue into active and reads it in. Files without the owner
 * execute bit are still being written and stay where they are; deferred
 * files whose time stamp (the next retry time) lies in the future stay too,
 * unless the scan ignores time stamps. A malformed file goes to corrupt; a
 * file that a delivery agent still has locked goes back to incoming for a
 * minute.
 *
 * qmgr_active_done() runs when every in-core recipient of a message has
 * been tried: it has the bounce service send (asynchronously: the
 * scheduler goes on meanwhile) the non-delivery notice for
 * the bounce log, reads the next recipient batch if there is one, sends
 * the trace report (sendmail -v/-bv, NOTIFY=SUCCESS), and then either
 * removes the file ("removed"), or, when recipients remain, bounces them if
 * the message is older than maximal_queue_lifetime (bounce_queue_lifetime
 * for mail from the null sender), sends a delay warning when it is due,
 * and moves the file to deferred with its next retry time as mtime.
 *
 * qmgr_active_recover() moves files left in active by an earlier qmgr back
 * to incoming (delivered recipients are marked D, so nothing is delivered
 * twice). qmgr_active_drain() starts deliveries while transports allow.
 * qmgr_backoff_delay() is the retry interval: the message's age, within the
 * minimal and maximal backoff times, so intervals double as it ages.
 */

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <utime.h>

#include "events.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "vstring.h"

#include "deliver_request.h"

#include "qmgr.h"

/* qmgr_backoff_delay - time until the next attempt */
int qmgr_backoff_delay(time_t now, time_t create_time, int min_backoff, int max_backoff)
{
    long delay;

    if (create_time <= 0)
        return (min_backoff);
    delay = (long)(now - create_time);
    if (delay > max_backoff)
        delay = max_backoff;
    if (delay < min_backoff)
        delay = min_backoff;
    return ((int)delay);
}

/* qmgr_active_corrupt - move a damaged file out of the way */
static void qmgr_active_corrupt(const char *queue_id)
{
    if (mail_queue_rename(queue_id, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_CORRUPT) < 0) {
        if (errno != ENOENT)
            msg_fatal("save corrupt file %s from %s: %m", queue_id, MAIL_QUEUE_ACTIVE);
    } else {
        msg_warn("saving corrupt file \"%s\" from queue \"%s\" to queue \"%s\"", queue_id,
                 MAIL_QUEUE_ACTIVE, MAIL_QUEUE_CORRUPT);
    }
}

/* qmgr_active_defer - set the retry time and move the file */
static void qmgr_active_defer(const char *queue_name, const char *queue_id, const char *dest_queue,
                              int delay)
{
    VSTRING *path = vstring_alloc(100);
    struct utimbuf tbuf;

    tbuf.actime = tbuf.modtime = event_time() + delay;
    mail_queue_path(path, queue_name, queue_id);
    if (utime(vstring_str(path), &tbuf) < 0 && errno != ENOENT)
        msg_fatal("update %s time stamps: %m", vstring_str(path));
    if (mail_queue_rename(queue_id, queue_name, dest_queue) < 0) {
        if (errno != ENOENT)
            msg_fatal("rename %s from %s to %s: %m", queue_id, queue_name, dest_queue);
        msg_warn("rename %s from %s to %s: %m", queue_id, queue_name, dest_queue);
    } else if (msg_verbose) {
        msg_info("%s: deferred for %d seconds", queue_id, delay);
    }
    vstring_free(path);
}

/* qmgr_active_feed - move one queue file into the active queue */
int qmgr_active_feed(QMGR_SCAN *scan, const char *queue_id)
{
    const char *queue = qmgr_scan_queue(scan);
    VSTRING *path = vstring_alloc(100);
    QMGR_MESSAGE *message;
    struct stat st;
    int qflags = qmgr_scan_flags(scan);
    mode_t mode = 0;
    int ret = 0;

    if (strcmp(queue, MAIL_QUEUE_ACTIVE) == 0)
        msg_panic("qmgr_active_feed: bad queue %s", queue);
    if (lstat(mail_queue_path(path, queue, queue_id), &st) < 0 || !S_ISREG(st.st_mode) ||
        (st.st_mode & S_IXUSR) == 0)
        goto done;
    /* Deferred (and delayed) files carry their next retry time as mtime. */
    if ((qflags & QMGR_SCAN_ALL) == 0 && st.st_mtime > time((time_t *)0) + 1)
        goto done;
    if (mail_queue_rename(queue_id, queue, MAIL_QUEUE_ACTIVE) < 0) {
        if (errno != ENOENT)
            msg_fatal("%s: rename from %s to %s: %m", queue_id, queue, MAIL_QUEUE_ACTIVE);
        msg_warn("%s: rename from %s to %s: %m", queue_id, queue, MAIL_QUEUE_ACTIVE);
        goto done;
    }
    /* A flush request for this one file (flush(8), ETRN): revive what it needs. */
    if (st.st_mode & MAIL_QUEUE_STAT_UNTHROTTLE) {
        qflags |= QMGR_FLUSH_EACH | QMGR_FLUSH_DFXP;
        mode = (st.st_mode & 07777) & ~MAIL_QUEUE_STAT_UNTHROTTLE;
    }
    /* postsuper -e/-f: the bit stays, so the message expires on every later pass too. */
    if (st.st_mode & MAIL_QUEUE_STAT_EXPIRE)
        qflags |= QMGR_FORCE_EXPIRE;
    message = qmgr_message_alloc(MAIL_QUEUE_ACTIVE, queue_id, qflags, mode);
    if (message == 0) {
        qmgr_active_corrupt(queue_id);
    } else if (message == QMGR_MESSAGE_LOCKED) {
        qmgr_active_defer(MAIL_QUEUE_ACTIVE, queue_id, MAIL_QUEUE_INCOMING, 60);
    } else {
        ret = 1;
        /* Nothing to deliver (all done, or all disposed of): finish now. */
        if (message->refcount == 0)
            qmgr_active_done(message);
    }
done:
    vstring_free(path);
    return (ret);
}

/* bounce_log_pending - is there a non-empty bounce log (an empty one is removed) */
static int bounce_log_pending(QMGR_MESSAGE *message)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    int pending = 0;

    if (stat(mail_queue_path(path, MAIL_QUEUE_BOUNCE, message->queue_id), &st) == 0) {
        if (st.st_size > 0)
            pending = 1;
        else if (mail_queue_remove(MAIL_QUEUE_BOUNCE, message->queue_id) < 0 && errno != ENOENT)
            msg_fatal("remove %s %s: %m", MAIL_QUEUE_BOUNCE, message->queue_id);
    }
    vstring_free(path);
    return (pending);
}

/* marked_corrupt - did a delivery agent mark the file as corrupt */
static int marked_corrupt(QMGR_MESSAGE *message)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    int corrupt;

    corrupt = (stat(mail_queue_path(path, message->queue_name, message->queue_id), &st) == 0 &&
               (st.st_mode & S_IXUSR) == 0);
    vstring_free(path);
    return (corrupt);
}

/* message_expired - why the message goes back to the sender now, or null */
static const char *message_expired(QMGR_MESSAGE *message)
{
    int lifetime = *message->sender ? var_maximal_queue_lifetime : var_bounce_queue_lifetime;

    if (message->qflags & QMGR_FORCE_EXPIRE)
        return ("force-expired");
    if (event_time() >= message->create_time + lifetime)
        return ("expired");
    return (0);
}

/*
 * qmgr_active_done and its continuations. The notice requests are
 * asynchronous: each step that asks for one returns, and the next step
 * runs when the bounce service has answered. Meanwhile the message has no
 * entries and nothing else refers to it.
 */
static void qmgr_active_done_2(int status, QMGR_MESSAGE *message);
static void qmgr_active_done_25(QMGR_MESSAGE *message);
static void qmgr_active_done_25_trace(int status, QMGR_MESSAGE *message);
static void qmgr_active_done_3_expired(int status, QMGR_MESSAGE *message);
static void qmgr_active_done_3_warned(int status, QMGR_MESSAGE *message);
static void qmgr_active_done_3(QMGR_MESSAGE *message);

/* qmgr_active_done - every in-core recipient has been tried */
void qmgr_active_done(QMGR_MESSAGE *message)
{
    if (message->refcount != 0)
        msg_panic("qmgr_active_done: %s has %d entries", message->queue_id, message->refcount);

    /* Recipients that bounced: the bounce daemon tells the sender. */
    if (bounce_log_pending(message))
        qmgr_notify.bounce_flush(message, qmgr_active_done_2);
    else
        qmgr_active_done_2(0, message);
}

/* qmgr_active_done_2 - after the bounce notice: more recipients, or decide */
static void qmgr_active_done_2(int status, QMGR_MESSAGE *message)
{
    message->flags |= (status != 0);

    if (message->flags && marked_corrupt(message)) {
        qmgr_active_corrupt(message->queue_id);
        qmgr_message_free(message);
        return;
    }

    /* More recipients in the file: deal with them before deciding. */
    if (message->rcpt_offset > 0) {
        if (qmgr_message_realloc(message) == 0) {
            qmgr_active_corrupt(message->queue_id);
            qmgr_message_free(message);
        } else if (message->refcount == 0) {
            qmgr_active_done(message);
        }
        return;
    }

    if ((message->tflags & (DEL_REQ_FLAG_USR_VRFY | DEL_REQ_FLAG_RECORD)) ||
        (message->rflags & QMGR_READ_FLAG_NOTIFY_SUCCESS)) {
        qmgr_notify.trace_flush(message, qmgr_active_done_25_trace);
        return;
    }
    qmgr_active_done_25(message);
}

/* qmgr_active_done_25_trace - after the delivery status report */
static void qmgr_active_done_25_trace(int status, QMGR_MESSAGE *message)
{
    /* Sent: a later attempt must not report again. */
    if (status == 0 && message->tflags_offset)
        qmgr_message_kill_record(message, message->tflags_offset);
    message->flags |= (status != 0);
    qmgr_active_done_25(message);
}

/* qmgr_active_done_25 - return an expired message, or warn of the delay */
static void qmgr_active_done_25(QMGR_MESSAGE *message)
{
    const char *expired;

    if (message->flags) {
        if ((expired = message_expired(message)) != 0) {
            msg_info("%s: from=<%s>, status=%s, returned to sender", message->queue_id,
                     message->sender, expired);
            qmgr_notify.defer_flush(message, qmgr_active_done_3_expired);
            return;
        }
        if (message->warn_time > 0 && event_time() >= message->warn_time - 1) {
            qmgr_notify.defer_warn(message, qmgr_active_done_3_warned);
            return;
        }
    }
    qmgr_active_done_3(message);
}

/* qmgr_active_done_3_expired - after the expiry notice: done unless it failed */
static void qmgr_active_done_3_expired(int status, QMGR_MESSAGE *message)
{
    message->flags = (status != 0);
    qmgr_active_done_3(message);
}

/* qmgr_active_done_3_warned - after the delay warning: no more warnings */
static void qmgr_active_done_3_warned(int status, QMGR_MESSAGE *message)
{
    if (status == 0)
        qmgr_message_update_warn(message);
    qmgr_active_done_3(message);
}

/* qmgr_active_done_3 - remove the file, or defer it until its next retry time */
static void qmgr_active_done_3(QMGR_MESSAGE *message)
{
    if (message->flags) {
        qmgr_active_defer(message->queue_name, message->queue_id, MAIL_QUEUE_DEFERRED,
                          qmgr_backoff_delay(event_time(), message->create_time,
                                             var_minimal_backoff_time, var_maximal_backoff_time));
    } else if (mail_queue_remove(message->queue_name, message->queue_id) < 0) {
        if (errno != ENOENT)
            msg_fatal("remove %s from %s: %m", message->queue_id, message->queue_name);
        msg_warn("remove %s from %s: %m", message->queue_id, message->queue_name);
    } else {
        msg_info("%s: removed", message->queue_id);
    }
    qmgr_message_free(message);
}

/* qmgr_active_recover - send files left in active back through incoming */
void qmgr_active_recover(void)
{
    QMGR_SCAN *scan = qmgr_scan_create(MAIL_QUEUE_ACTIVE);
    VSTRING *path = vstring_alloc(100);
    struct utimbuf tbuf;
    const char *queue_id;

    tbuf.actime = tbuf.modtime = event_time();
    qmgr_scan_request(scan, QMGR_SCAN_START);
    while ((queue_id = qmgr_scan_next(scan)) != 0) {
        /* Make them due now, whatever retry time they carried. */
        if (utime(mail_queue_path(path, MAIL_QUEUE_ACTIVE, queue_id), &tbuf) < 0 && errno != ENOENT)
            msg_fatal("update %s time stamps: %m", vstring_str(path));
        if (mail_queue_rename(queue_id, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_INCOMING) < 0 &&
            errno != ENOENT)
            msg_fatal("rename %s from %s to %s: %m", queue_id, MAIL_QUEUE_ACTIVE,
                      MAIL_QUEUE_INCOMING);
    }
    qmgr_scan_free(scan);
    vstring_free(path);
}

/* qmgr_active_drain - start every delivery the transports allow now */
void qmgr_active_drain(void)
{
    QMGR_TRANSPORT *transport;

    while ((transport = qmgr_transport_select()) != 0)
        qmgr_transport_alloc(transport, qmgr_deliver);
}
