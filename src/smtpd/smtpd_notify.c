/*
 * smtpd_notify - the session transcript that goes to the postmaster when a
 * session had errors of a class in notify_classes.
 *
 * Exports smtpd_notify_append(state, prefix, text) (one "In:"/"Out:" line
 * of the transcript), smtpd_notify_trim(state) (forget the transcript when
 * it has grown past smtpd_history_flush_threshold; called at EHLO, RSET and
 * the end of a message), smtpd_notify_send(state) (at the end of a session:
 * mail the transcript to error_notice_recipient when state->error_mask has
 * a class of notify_classes) and smtpd_notify_free(). The notice is posted
 * through cleanup with post_mail; a failure to post is logged, nothing more.
 */

#include <string.h>

#include "argv.h"
#include "cleanup_user.h"
#include "mail_addr.h"
#include "mail_error.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "smtpd_int.h"
#include "stringops.h"
#include "vstring.h"

#define NOTIFY_LINE_LEN 78 /* transcript lines are wrapped here */
#define NOTIFY_INDENT 4    /* continuation lines are indented this much */

/* smtpd_notify_append - one transcript line */
void smtpd_notify_append(SMTPD_STATE *state, const char *prefix, const char *text)
{
    SMTPD_SESSION *session = smtpd_session;
    char *line;

    if (session == 0)
        return;
    if (session->history == 0)
        session->history = argv_alloc(10);
    line = concatenate(prefix, text, (char *)0);
    argv_add(session->history, printable(line, '?'), (char *)0);
    myfree(line);
}

/* smtpd_notify_free - forget the transcript */
void smtpd_notify_free(SMTPD_SESSION *session)
{
    if (session->history) {
        argv_free(session->history);
        session->history = 0;
    }
}

/* smtpd_notify_trim - forget a transcript that has grown too long */
void smtpd_notify_trim(SMTPD_STATE *state)
{
    if (smtpd_session && smtpd_session->history &&
        smtpd_session->history->argc > var_smtpd_history_flush_threshold)
        smtpd_notify_free(smtpd_session);
}

/* notify_wrap - post one transcript line, wrapped with indented continuations */
static void notify_wrap(VSTREAM *notice, const char *line)
{
    const char *cp = line;
    size_t width = NOTIFY_LINE_LEN;
    size_t len;
    size_t cut;
    VSTRING *buf = vstring_alloc(100);
    int indent = 0;

    for (;;) {
        len = strlen(cp);
        if (len + indent <= NOTIFY_LINE_LEN) {
            vstring_sprintf(buf, " %*s%s", indent, "", cp);
            post_mail_fputs(notice, vstring_str(buf));
            break;
        }
        width = NOTIFY_LINE_LEN - indent;
        for (cut = width; cut > 0 && cp[cut] != ' '; cut--)
            /* void */;
        if (cut == 0)
            cut = width;
        vstring_sprintf(buf, " %*s%.*s", indent, "", (int)cut, cp);
        post_mail_fputs(notice, vstring_str(buf));
        cp += cut;
        while (*cp == ' ')
            cp++;
        if (*cp == 0)
            break;
        indent = NOTIFY_INDENT;
    }
    vstring_free(buf);
}

/* smtpd_notify_send - mail the transcript when the errors call for it */
void smtpd_notify_send(SMTPD_STATE *state)
{
    SMTPD_SESSION *session = smtpd_session;
    VSTREAM *notice;
    char **cpp;

    if (session == 0 || (state->error_mask & mail_error_mask(var_notify_classes)) == 0)
        return;
    notice = post_mail_fopen_nowait(var_double_bounce_sender, var_error_notice_recipient,
                                    CLEANUP_FLAG_MASK_INTERNAL, (VSTRING *)0);
    if (notice == 0) {
        msg_warn("postmaster notify: %m");
        return;
    }
    post_mail_fprintf(notice, "From: %s (Mail Delivery System)", MAIL_ADDR_MAIL_DAEMON);
    post_mail_fprintf(notice, "To: %s (Postmaster)", var_error_notice_recipient);
    post_mail_fprintf(notice, "Subject: %s SMTP server: errors from %s", var_mail_name,
                      state->namaddr);
    post_mail_fputs(notice, "");
    post_mail_fputs(notice, "Transcript of session follows.");
    post_mail_fputs(notice, "");
    if (session->history)
        for (cpp = session->history->argv; *cpp; cpp++)
            notify_wrap(notice, *cpp);
    post_mail_fputs(notice, "");
    if (session->reason)
        post_mail_fprintf(notice, "Session aborted, reason: %s", session->reason);
    post_mail_fputs(notice, "");
    post_mail_fputs(notice, "For other details, see the local mail logfile");
    (void)post_mail_fclose(notice, (VSTRING *)0);
}
