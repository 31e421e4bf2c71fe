/*
 * smtpd_notify - the session transcript that goes to the postmaster when a
 * session had errors of a class in notify_classes.
 *
 * Exports smtpd_notify_append(state, prefix, text) (one "In:"/"Out:" line
 * of the transcript), smtpd_notify_trim(state) (forget the transcript when
 * it has grown past smtpd_history_flush_threshold; called at EHLO, RSET and
 * the end of a message), smtpd_notify_send(state) (at the end of a session:
 * mail the transcript to error_notice_recipient when state->error_mask has
 * a class of notify_classes) and smtpd_notify_free(). The notice itself is
 * chat_notify's (shared with the SMTP client); a failure to post it is
 * logged, nothing more.
 */

#include "argv.h"
#include "chat_notify.h"
#include "mail_error.h"
#include "mail_params.h"
#include "post_mail.h"
#include "smtpd_int.h"

/* smtpd_notify_append - one transcript line */
void smtpd_notify_append(SMTPD_STATE *state, const char *prefix, const char *text)
{
    if (smtpd_session == 0)
        return;
    chat_notify_append(&smtpd_session->history, prefix, text);
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

/* smtpd_notify_send - mail the transcript when the errors call for it */
void smtpd_notify_send(SMTPD_STATE *state)
{
    SMTPD_SESSION *session = smtpd_session;
    VSTREAM *notice;

    if (session == 0 || (state->error_mask & mail_error_mask(var_notify_classes)) == 0)
        return;
    if ((notice = chat_notify_open("SMTP server", state->namaddr)) == 0)
        return;
    chat_notify_transcript(notice, session->history);
    if (session->reason)
        post_mail_fprintf(notice, "Session aborted, reason: %s", session->reason);
    post_mail_fputs(notice, "");
    chat_notify_close(notice);
}
