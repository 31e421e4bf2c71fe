/*
 * post_mail - for daemons that write a message of their own (bounce,
 * delay and success notices, postmaster notices): connect to the cleanup
 * service, send the envelope, let the caller write the message one line at
 * a time, and collect cleanup's verdict.
 *
 * post_mail_fopen() waits until cleanup answers (fatal when it never does);
 * post_mail_fopen_nowait() returns null instead, for callers that can retry
 * later. Both return null when the server does not speak the cleanup
 * protocol. post_mail_fopen_trace_nowait() also records delivery trace
 * flags (DEL_REQ_FLAG_MTA_VRFY for the verify service's address probes).
 * The envelope is: arrival time, message origin "local", the sender
 * (empty for the null sender), one recipient, and then the content
 * starts. The caller writes header lines, an empty line and body lines
 * without line endings. post_mail_fclose() ends the content, waits for the
 * answer and returns the CLEANUP_STAT_* bits (CLEANUP_STAT_WRITE when the
 * connection broke); the stream is closed in every case.
 */

#include <string.h>
#include <sys/time.h>

#include "attr.h"
#include "iostuff.h"
#include "cleanup_user.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "post_mail.h"
#include "rec_type.h"
#include "record.h"
#include "vstring.h"

/* post_mail_init - greeting, flags and envelope on a fresh connection */
static VSTREAM *post_mail_init(VSTREAM *stream, const char *sender, const char *recipient,
                               int cleanup_flags, int trace_flags, VSTRING *queue_id)
{
    VSTRING *id = vstring_alloc(20);
    struct timeval now;

    vstream_set_timeout(stream, var_ipc_timeout);
    if (attr_scan(stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_CLEANUP), ATTR_TYPE_END)
            != 1
        || attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id),
                     ATTR_TYPE_END)
               != 1) {
        msg_warn("%s: no cleanup protocol greeting", vstream_path(stream));
        (void) vstream_fclose(stream);
        vstring_free(id);
        return (0);
    }
    if (queue_id)
        vstring_strcpy(queue_id, vstring_str(id));
    vstring_free(id);
    gettimeofday(&now, (struct timezone *) 0);
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, cleanup_flags),
               ATTR_TYPE_END);
    rec_fprintf(stream, REC_TYPE_TIME, "%ld %ld", (long) now.tv_sec, (long) now.tv_usec);
    rec_fprintf(stream, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_LOG_ORIGIN, MAIL_ATTR_RWR_LOCAL);
    if (trace_flags)
        rec_fprintf(stream, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_TRACE_FLAGS, trace_flags);
    rec_fputs(stream, REC_TYPE_FROM, sender);
    if (recipient && *recipient)
        rec_fputs(stream, REC_TYPE_RCPT, recipient);
    rec_fputs(stream, REC_TYPE_MESG, "");
    return (stream);
}

/* post_mail_fopen - start a message; wait for cleanup if needed */
VSTREAM *post_mail_fopen(const char *sender, const char *recipient, int cleanup_flags,
                         VSTRING *queue_id)
{
    VSTREAM *stream = mail_connect_wait(MAIL_CLASS_PUBLIC, var_cleanup_service_name);

    return (post_mail_init(stream, sender, recipient, cleanup_flags, 0, queue_id));
}

/* post_mail_fopen_nowait - start a message, or null if cleanup is away */
VSTREAM *post_mail_fopen_nowait(const char *sender, const char *recipient, int cleanup_flags,
                                VSTRING *queue_id)
{
    VSTREAM *stream = mail_connect(MAIL_CLASS_PUBLIC, var_cleanup_service_name, BLOCKING);

    if (stream == 0)
        return (0);
    return (post_mail_init(stream, sender, recipient, cleanup_flags, 0, queue_id));
}

/* post_mail_fopen_trace_nowait - as post_mail_fopen_nowait, with delivery trace flags */
VSTREAM *post_mail_fopen_trace_nowait(const char *sender, const char *recipient,
                                      int cleanup_flags, int trace_flags, VSTRING *queue_id)
{
    VSTREAM *stream = mail_connect(MAIL_CLASS_PUBLIC, var_cleanup_service_name, BLOCKING);

    if (stream == 0)
        return (0);
    return (post_mail_init(stream, sender, recipient, cleanup_flags, trace_flags, queue_id));
}

/* post_mail_buffer - one content line from a counted buffer */
int post_mail_buffer(VSTREAM *cleanup, const char *data, ssize_t len)
{
    return (rec_put(cleanup, REC_TYPE_NORM, data, len) == REC_TYPE_NORM ? 0 : -1);
}

/* post_mail_fputs - one content line */
int post_mail_fputs(VSTREAM *cleanup, const char *line)
{
    return (post_mail_buffer(cleanup, line, (ssize_t) strlen(line)));
}

/* post_mail_fprintf - one formatted content line */
int post_mail_fprintf(VSTREAM *cleanup, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = rec_vfprintf(cleanup, REC_TYPE_NORM, fmt, ap);
    va_end(ap);
    return (ret == REC_TYPE_NORM ? 0 : -1);
}

/* post_mail_fclose - end the message; CLEANUP_STAT_* bits */
int post_mail_fclose(VSTREAM *cleanup, VSTRING *why)
{
    VSTRING *reason = vstring_alloc(100);
    int status;

    if (rec_fputs(cleanup, REC_TYPE_XTRA, "") != REC_TYPE_XTRA
        || rec_fputs(cleanup, REC_TYPE_END, "") != REC_TYPE_END || vstream_fflush(cleanup) != 0
        || attr_scan(cleanup, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                     RECV_ATTR_STR(MAIL_ATTR_WHY, reason), ATTR_TYPE_END)
               != 2) {
        status = CLEANUP_STAT_WRITE;
        vstring_strcpy(reason, "queue file write error");
    }
    if (why)
        vstring_strcpy(why, vstring_str(reason));
    vstring_free(reason);
    (void) vstream_fclose(cleanup);
    return (status);
}
