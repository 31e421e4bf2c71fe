/*
 * bounce_notify_util - compose delivery status notifications (RFC 3464
 * multipart/report) from a per-message log and the original queue file.
 *
 * Exports bounce_info_create/free, the part writers bounce_header(),
 * bounce_boilerplate(), bounce_diagnostic_log(), bounce_header_dsn(),
 * bounce_diagnostic_dsn(), bounce_original(), the whole-notice
 * bounce_compose(), bounce_post() (compose and hand to cleanup),
 * bounce_delrcpt() and bounce_wrap(). The layout and the
 * field names are those of Postfix notices, which people and programs
 * parse. Everything is written as cleanup records (post_mail_*), so a
 * notice can also be composed into a file for tests.
 *
 * Failures: a missing original or log yields a notice that says so
 * ("--- ... unavailable ---") rather than no notice; write errors are
 * returned as -1 for the caller to abandon the notice and retry later.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "bounce_service.h"
#include "cleanup_user.h"
#include "deliver_completed.h"
#include "dsn_mask.h"
#include "dsn_util.h"
#include "is_header.h"
#include "mail_date.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"

#define WRAP_WIDTH 79
#define WRAP_INDENT 4

#define NON_EMPTY(s) ((s) && *(s))
#define IS_FAILURE(info) ((info)->template->class == BOUNCE_TMPL_FAILURE)
#define IS_DELAY(info) ((info)->template->class == BOUNCE_TMPL_DELAY)

/* bounce_read_envelope - arrival time, sender, sizes, content offset, Message-Id */
static void bounce_read_envelope(BOUNCE_INFO *info)
{
    VSTRING *rec = vstring_alloc(100);
    long fields[2];
    int type;
    const char *text;

    while ((type = rec_get(info->orig_fp, rec, 0)) > 0) {
        text = vstring_str(rec);
        if (type == REC_TYPE_TIME) {
            info->arrival_time = (time_t)atol(text);
        } else if (type == REC_TYPE_FROM) {
            vstring_strcpy(info->sender, text);
        } else if (type == REC_TYPE_SIZE) {
            if (sscanf(text, "%ld %ld", &fields[0], &fields[1]) == 2 && fields[0] > 0)
                info->message_size = fields[0];
        } else if (type == REC_TYPE_MESG) {
            info->orig_offs = (long)vstream_ftell(info->orig_fp);
            break;
        }
    }
    /* The original Message-Id, for References: and In-Reply-To:. */
    while (info->orig_offs > 0 && (type = rec_get(info->orig_fp, rec, 0)) > 0) {
        text = vstring_str(rec);
        if (type != REC_TYPE_NORM && type != REC_TYPE_CONT)
            break;
        if (*text != ' ' && *text != '\t' && is_header(text) == 0)
            break;
        if (strncasecmp(text, "Message-Id:", 11) == 0) {
            text += 11;
            while (*text == ' ' || *text == '\t')
                text++;
            vstring_strncpy(info->orig_msgid, text, 998);
            break;
        }
    }
    vstring_free(rec);
}

/* bounce_info_create - collect what a notice is made of */
BOUNCE_INFO *bounce_info_create(const char *log_queue, BOUNCE_LOG *forged, const char *queue_name,
                                const char *queue_id, const char *encoding, int smtputf8,
                                const char *sender, const char *dsn_envid,
                                const BOUNCE_TEMPLATE *template)
{
    BOUNCE_INFO *info = (BOUNCE_INFO *)mymalloc(sizeof(*info));
    VSTRING *boundary = vstring_alloc(100);

    memset(info, 0, sizeof(*info));
    info->queue_name = queue_name;
    info->queue_id = queue_id;
    info->encoding = encoding;
    info->smtputf8 = smtputf8;
    info->dsn_envid = dsn_envid;
    info->template = template;
    info->rcpb = rcpb_create();
    info->dsb = dsb_create();
    info->sender = vstring_alloc(100);
    vstring_strcpy(info->sender, sender);
    info->orig_msgid = vstring_alloc(100);
    info->buf = vstring_alloc(100);
    if (forged)
        info->log = forged;
    else if (log_queue && (info->log = bounce_log_open(log_queue, queue_id, O_RDONLY, 0)) == 0 &&
             errno != ENOENT)
        msg_warn("%s: open %s log: %m", queue_id, log_queue);
    if ((info->orig_fp = mail_queue_open(queue_name, queue_id, O_RDWR, 0)) != 0)
        bounce_read_envelope(info);
    else if (errno != ENOENT)
        msg_warn("%s: open %s/%s: %m", queue_id, queue_name, queue_id);
    vstring_sprintf(boundary, "%s.%lu/%s", queue_id, (unsigned long)time((time_t *)0),
                    var_myhostname);
    info->mime_boundary = vstring_export(boundary);
    return (info);
}

/* bounce_info_free - release what bounce_info_create() collected */
void bounce_info_free(BOUNCE_INFO *info)
{
    if (info->log && bounce_log_close(info->log) != 0)
        msg_warn("%s: read error in the delivery status log", info->queue_id);
    if (info->orig_fp)
        (void)vstream_fclose(info->orig_fp);
    rcpb_free(info->rcpb);
    dsb_free(info->dsb);
    vstring_free(info->sender);
    vstring_free(info->orig_msgid);
    vstring_free(info->buf);
    myfree(info->mime_boundary);
    myfree((void *)info);
}

/* bounce_wrap - a long line as several, continuation lines indented */
void bounce_wrap(VSTREAM *fp, const char *text, int (*out)(VSTREAM *, const char *))
{
    VSTRING *line = vstring_alloc(100);
    const char *start = text;
    const char *brk;
    const char *cp;
    size_t avail;
    int first = 1;

    for (;;) {
        avail = first ? WRAP_WIDTH : WRAP_WIDTH - WRAP_INDENT;
        vstring_strcpy(line, first ? "" : "    ");
        if (strlen(start) <= avail) {
            vstring_strcat(line, start);
            out(fp, vstring_str(line));
            break;
        }
        /* The last blank that keeps the line within the width, else the first one after. */
        for (brk = 0, cp = start; *cp && (size_t)(cp - start) <= avail; cp++)
            if (*cp == ' ')
                brk = cp;
        if (brk == 0 || brk == start)
            brk = strchr(start + 1, ' ');
        if (brk == 0) {
            vstring_strcat(line, start);
            out(fp, vstring_str(line));
            break;
        }
        vstring_strncat(line, start, (size_t)(brk - start));
        out(fp, vstring_str(line));
        for (start = brk; *start == ' '; start++)
            /* void */;
        if (*start == 0)
            break;
        first = 0;
    }
    vstring_free(line);
}

/* bounce_notice_encoding - the notice's top-level transfer encoding, or 0 */
static const char *bounce_notice_encoding(BOUNCE_INFO *info)
{
    if (strcasecmp(info->encoding, MAIL_ATTR_ENC_8BIT) == 0)
        return ("8bit");
    if (strcasecmp(info->encoding, MAIL_ATTR_ENC_7BIT) == 0)
        return (bounce_template_encoding(info->template));
    return (0);
}

#define IS_8BIT_MESSAGE(info) (strcasecmp((info)->encoding, MAIL_ATTR_ENC_8BIT) == 0)

/* bounce_header - the notice's message header and the first part's header */
int bounce_header(VSTREAM *fp, BOUNCE_INFO *info, const char *dest, int postmaster_copy)
{
    const BOUNCE_TEMPLATE *t = info->template;
    const char *encoding = bounce_notice_encoding(info);

    post_mail_fprintf(fp, "From: %s", t->from);
    post_mail_fprintf(fp, "Subject: %s",
                      postmaster_copy && t->postmaster_subject ? t->postmaster_subject
                                                               : t->subject);
    post_mail_fprintf(fp, "To: %s", vstring_str(quote_822_local(info->buf, dest)));
    if (VSTRING_LEN(info->orig_msgid) > 0) {
        post_mail_fprintf(fp, "References: %s", vstring_str(info->orig_msgid));
        post_mail_fprintf(fp, "In-Reply-To: %s", vstring_str(info->orig_msgid));
    }
    post_mail_fprintf(fp, "Auto-Submitted: %s",
                      postmaster_copy ? "auto-generated" : "auto-replied");
    post_mail_fputs(fp, "MIME-Version: 1.0");
    post_mail_fputs(fp, "Content-Type: multipart/report; report-type=delivery-status;");
    post_mail_fprintf(fp, "\tboundary=\"%s\"", info->mime_boundary);
    if (encoding)
        post_mail_fprintf(fp, "Content-Transfer-Encoding: %s", encoding);
    post_mail_fputs(fp, "");
    post_mail_fputs(fp, "This is a MIME-encapsulated message.");
    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "--%s", info->mime_boundary);
    post_mail_fputs(fp, "Content-Description: Notification");
    post_mail_fprintf(fp, "Content-Type: text/plain; charset=%s",
                      strcasecmp(t->charset, "us-ascii") != 0 ? t->charset
                      : IS_8BIT_MESSAGE(info)                 ? "utf-8"
                                                              : "us-ascii");
    if (IS_8BIT_MESSAGE(info))
        post_mail_fputs(fp, "Content-Transfer-Encoding: 8bit");
    post_mail_fputs(fp, "");
    return (vstream_ferror(fp) ? -1 : 0);
}

/* bounce_boilerplate - the template text */
int bounce_boilerplate(VSTREAM *fp, BOUNCE_INFO *info)
{
    bounce_template_expand(post_mail_fputs, fp, info->template);
    return (vstream_ferror(fp) ? -1 : 0);
}

/* bounce_wanted - does the current record belong in this notice */
static int bounce_wanted(BOUNCE_INFO *info, int notify_filter)
{
    int notify = info->rcpb->rcpt.dsn_notify;

    return (notify == 0 || (notify & notify_filter) != 0);
}

/* bounce_diagnostic_log - the human-readable recipient list */
int bounce_diagnostic_log(VSTREAM *fp, BOUNCE_INFO *info, int notify_filter)
{
    RECIPIENT *rcpt = &info->rcpb->rcpt;
    DSN *dsn = &info->dsb->dsn;
    int count = 0;

    if (info->log == 0 || bounce_log_rewind(info->log) != 0) {
        /* Still send a failure notice: the message is gone either way. */
        if (IS_FAILURE(info)) {
            post_mail_fputs(fp, "");
            post_mail_fputs(fp, "\t--- Delivery report unavailable ---");
            count = 1;
        }
        return (vstream_ferror(fp) ? -1 : count);
    }
    while (bounce_log_read(info->log, info->rcpb, info->dsb) != 0) {
        if (!bounce_wanted(info, notify_filter))
            continue;
        count++;
        post_mail_fputs(fp, "");
        if (NON_EMPTY(rcpt->orig_addr))
            vstring_sprintf(info->buf, "<%s> (expanded from <%s>): %s", rcpt->address,
                            rcpt->orig_addr, dsn->reason);
        else
            vstring_sprintf(info->buf, "<%s>: %s", rcpt->address, dsn->reason);
        bounce_wrap(fp, vstring_str(info->buf), post_mail_fputs);
    }
    return (vstream_ferror(fp) ? -1 : count);
}

/* bounce_header_dsn - the per-message delivery-status fields */
int bounce_header_dsn(VSTREAM *fp, BOUNCE_INFO *info)
{
    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "--%s", info->mime_boundary);
    post_mail_fputs(fp, "Content-Description: Delivery report");
    post_mail_fprintf(fp, "Content-Type: message/%sdelivery-status",
                      info->smtputf8 ? "global-" : "");
    if (IS_8BIT_MESSAGE(info) && info->smtputf8)
        post_mail_fputs(fp, "Content-Transfer-Encoding: 8bit");
    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "Reporting-MTA: dns; %s", var_myhostname);
    if (NON_EMPTY(info->dsn_envid))
        post_mail_fprintf(fp, "Original-Envelope-Id: %s", info->dsn_envid);
    post_mail_fprintf(fp, "X-%s-Queue-ID: %s", var_mail_name, info->queue_id);
    if (VSTRING_LEN(info->sender) > 0)
        post_mail_fprintf(fp, "X-%s-Sender: rfc822; %s", var_mail_name, vstring_str(info->sender));
    if (info->arrival_time > 0)
        post_mail_fprintf(fp, "Arrival-Date: %s", mail_date(info->arrival_time));
    return (vstream_ferror(fp) ? -1 : 0);
}

/* bounce_action - the Action: of a record; a failure notice says "failed" */
static const char *bounce_action(BOUNCE_INFO *info, const DSN *dsn)
{
    if (IS_FAILURE(info))
        return (DSN_ACTION_FAILED);
    if (*dsn->action)
        return (dsn->action);
    switch (info->template->class) {
    case BOUNCE_TMPL_DELAY:
        return (DSN_ACTION_DELAYED);
    case BOUNCE_TMPL_SUCCESS:
        return (DSN_ACTION_DELIVERED);
    default:
        return (dsn_is_success(dsn->status) ? DSN_ACTION_DELIVERABLE : DSN_ACTION_UNDELIVERABLE);
    }
}

/* bounce_recipient_dsn - the delivery-status fields of the current record */
static void bounce_recipient_dsn(VSTREAM *fp, BOUNCE_INFO *info)
{
    RECIPIENT *rcpt = &info->rcpb->rcpt;
    DSN *dsn = &info->dsb->dsn;

    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "Final-Recipient: rfc822; %s", rcpt->address);
    if (NON_EMPTY(rcpt->dsn_orcpt))
        post_mail_fprintf(fp, "Original-Recipient: %s", rcpt->dsn_orcpt);
    else if (NON_EMPTY(rcpt->orig_addr))
        post_mail_fprintf(fp, "Original-Recipient: rfc822; %s", rcpt->orig_addr);
    post_mail_fprintf(fp, "Action: %s", bounce_action(info, dsn));
    post_mail_fprintf(fp, "Status: %s", dsn->status);
    if (NON_EMPTY(dsn->mtype) && NON_EMPTY(dsn->mname)) {
        vstring_sprintf(info->buf, "Remote-MTA: %s; %s", dsn->mtype, dsn->mname);
        bounce_wrap(fp, vstring_str(info->buf), post_mail_fputs);
    }
    if (NON_EMPTY(dsn->dtype) && NON_EMPTY(dsn->dtext))
        vstring_sprintf(info->buf, "Diagnostic-Code: %s; %s", dsn->dtype, dsn->dtext);
    else
        vstring_sprintf(info->buf, "Diagnostic-Code: X-%s; %s", var_mail_name, dsn->reason);
    bounce_wrap(fp, vstring_str(info->buf), post_mail_fputs);
    if (IS_DELAY(info) && info->arrival_time > 0)
        post_mail_fprintf(fp, "Will-Retry-Until: %s",
                          mail_date(info->arrival_time + var_maximal_queue_lifetime));
}

/* bounce_count - how many records a notice would report (1 when the log is missing) */
int bounce_count(BOUNCE_INFO *info, int notify_filter)
{
    int count = 0;

    if (info->log == 0 || bounce_log_rewind(info->log) != 0)
        return (IS_FAILURE(info) ? 1 : 0);
    while (bounce_log_read(info->log, info->rcpb, info->dsb) != 0)
        if (bounce_wanted(info, notify_filter))
            count++;
    return (count);
}

/* bounce_diagnostic_dsn - the per-recipient delivery-status fields */
int bounce_diagnostic_dsn(VSTREAM *fp, BOUNCE_INFO *info, int notify_filter)
{
    int count = 0;

    if (info->log == 0 || bounce_log_rewind(info->log) != 0)
        return (IS_FAILURE(info) ? 1 : 0);
    while (bounce_log_read(info->log, info->rcpb, info->dsb) != 0) {
        if (!bounce_wanted(info, notify_filter))
            continue;
        count++;
        bounce_recipient_dsn(fp, info);
    }
    return (vstream_ferror(fp) ? -1 : count);
}

/* bounce_original - the original message, or its header only */
int bounce_original(VSTREAM *fp, BOUNCE_INFO *info, int dsn_ret)
{
    VSTRING *rec = vstring_alloc(100);
    int headers_only = (dsn_ret == DSN_RET_HDRS);
    int undelivered = IS_FAILURE(info) || IS_DELAY(info);
    int type;
    int status = 0;
    const char *text;

    /* Too big, or size unknown: the header only, so the MIME structure stays intact. */
    if (var_bounce_size_limit > 0 && info->orig_fp &&
        (info->message_size <= 0 || info->message_size > var_bounce_size_limit))
        headers_only = 1;
    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "--%s", info->mime_boundary);
    post_mail_fprintf(fp, "Content-Description: %s%s", undelivered ? "Undelivered " : "",
                      headers_only ? "Message Headers" : "Message");
    if (info->smtputf8)
        post_mail_fprintf(fp, "Content-Type: message/%s",
                          headers_only ? "global-headers" : "global");
    else
        post_mail_fprintf(fp, "Content-Type: %s",
                          headers_only ? "text/rfc822-headers" : "message/rfc822");
    if (IS_8BIT_MESSAGE(info))
        post_mail_fputs(fp, "Content-Transfer-Encoding: 8bit");
    post_mail_fputs(fp, "");
    if (info->orig_fp == 0 || info->orig_offs <= 0 ||
        vstream_fseek(info->orig_fp, info->orig_offs, SEEK_SET) < 0) {
        post_mail_fputs(fp, "\t--- Undelivered message unavailable ---");
    } else {
        /* cleanup removes Return-Path: from mail it receives; put it back. */
        post_mail_fprintf(fp, "Return-Path: <%s>", vstring_str(info->sender));
        while (status == 0 && (type = rec_get(info->orig_fp, rec, 0)) > 0) {
            if (type != REC_TYPE_NORM && type != REC_TYPE_CONT)
                break;
            text = vstring_str(rec);
            if (headers_only && *text != ' ' && *text != '\t' && is_header(text) == 0)
                break;
            status = rec_put(fp, type, text, (ssize_t)VSTRING_LEN(rec)) != type;
        }
    }
    post_mail_fputs(fp, "");
    post_mail_fprintf(fp, "--%s--", info->mime_boundary);
    vstring_free(rec);
    return (status || vstream_ferror(fp) ? -1 : 0);
}

/* bounce_compose - a whole notice */
int bounce_compose(VSTREAM *fp, BOUNCE_INFO *info, const char *dest, int postmaster_copy,
                   int notify_filter, int dsn_ret)
{
    int count;

    if (bounce_header(fp, info, dest, postmaster_copy) < 0)
        return (-1);
    if (!postmaster_copy && bounce_boilerplate(fp, info) < 0)
        return (-1);
    if ((count = bounce_diagnostic_log(fp, info, notify_filter)) <= 0)
        return (count);
    if (bounce_header_dsn(fp, info) < 0 || bounce_diagnostic_dsn(fp, info, notify_filter) < 0)
        return (-1);
    if (bounce_original(fp, info, dsn_ret) < 0)
        return (-1);
    return (count);
}

/* bounce_delrcpt - mark the reported recipients done in the original */
void bounce_delrcpt(BOUNCE_INFO *info)
{
    if (info->orig_fp == 0 || info->log == 0 || bounce_log_rewind(info->log) != 0)
        return;
    while (bounce_log_read(info->log, info->rcpb, info->dsb) != 0)
        if (info->rcpb->rcpt.offset > 0)
            (void)deliver_completed(info->orig_fp, info->rcpb->rcpt.offset);
}

/* bounce_post - compose and post one notice; 0 = posted or nothing to say */
int bounce_post(BOUNCE_INFO *info, const char *env_sender, const char *dest, int postmaster_copy,
                int notify_filter, int dsn_ret, const char *what)
{
    VSTRING *new_id = vstring_alloc(20);
    VSTREAM *fp;
    int count;
    int status = -1;

    /* Nothing to report (NOTIFY): do not even start a message. */
    if (bounce_count(info, notify_filter) == 0) {
        vstring_free(new_id);
        return (0);
    }
    fp = post_mail_fopen_nowait(env_sender, dest, bounce_cleanup_flags(info->smtputf8), new_id);
    if (fp == 0) {
        msg_warn("%s: cannot reach the %s service to post a %s", info->queue_id,
                 var_cleanup_service_name, what);
    } else if ((count = bounce_compose(fp, info, dest, postmaster_copy, notify_filter, dsn_ret)) >
               0) {
        if ((status = post_mail_fclose(fp, (VSTRING *)0)) == 0)
            msg_info("%s: %s: %s", info->queue_id, what, vstring_str(new_id));
        else
            status = -1;
    } else {
        /* Nothing to report (NOTIFY), or a write error: abandon this notice. */
        (void)vstream_fclose(fp);
        status = (count == 0 ? 0 : -1);
    }
    vstring_free(new_id);
    return (status);
}
