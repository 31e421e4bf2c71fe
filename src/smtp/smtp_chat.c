/*
 * smtp_chat - send one command line, read one (possibly multi-line) reply,
 * and keep the transcript that the postmaster gets when notify_classes asks
 * for it.
 *
 * smtp_chat_cmd() buffers the command (the caller flushes, so that
 * pipelined commands go out together). smtp_chat_resp() reads reply lines
 * up to one with three digits and a space (or nothing) after them, and
 * fills state->resp from that last line: the code, the enhanced status code
 * (the server's when it sent a plausible one, else made up from the reply
 * code as "X.0.0"), and the whole text with lines joined by newlines. A
 * line that is neither "NNN-..." nor "NNN ..." is garbage: it is kept with
 * the text, the reply goes on, and the session counts as a protocol error
 * (and is not cached, its state being unknown); with PIPELINING this may
 * mean that replies and commands are out of step, so that gets a warning.
 * Lines and the reply as a whole are length-limited; the excess is
 * dropped. I/O errors raise the stream's exception (smtp_stream.h).
 *
 * Every command and reply line goes into the session's transcript.
 * smtp_chat_notify() mails it to error_notice_recipient at the end of a
 * session whose error classes (smtp_trouble.c sets them) are in
 * notify_classes, as the Postfix SMTP client does: only for protocol errors
 * (and local data errors); never for mail from the null sender or the
 * double-bounce sender, which could be a notice itself.
 */

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "chat_notify.h"
#include "mail_addr.h"
#include "mail_error.h"
#include "mail_params.h"
#include "msg.h"
#include "post_mail.h"
#include "smtp.h"
#include "smtp_stream.h"

#define SMTP_REPLY_LINE_LIMIT 2048  /* bytes kept per reply line */
#define SMTP_REPLY_TOTAL_LIMIT 8192 /* bytes kept per reply */

/* smtp_chat_cmd - buffer one command line */
void smtp_chat_cmd(SMTP_SESSION *session, const char *fmt, ...)
{
    va_list ap;
    VSTRING *cmd = vstring_alloc(100);

    va_start(ap, fmt);
    vstring_vsprintf(cmd, fmt, ap);
    va_end(ap);
    chat_notify_append(&session->history, "Out: ", vstring_str(cmd));
    if (msg_verbose)
        msg_info("> %s: %s", session->namaddrport, vstring_str(cmd));
    smtp_fputs(vstring_str(cmd), VSTRING_LEN(cmd), session->stream);
    vstring_free(cmd);
}

/* smtp_dsn_in_text - length of a "x.y.z" status at the start of text that matches class */
static size_t smtp_dsn_in_text(const char *text, int class)
{
    const char *cp = text;
    int parts;

    if (*cp != class || cp[1] != '.')
        return (0);
    cp += 2;
    for (parts = 0; parts < 2; parts++) {
        if (!isdigit((unsigned char)*cp))
            return (0);
        while (isdigit((unsigned char)*cp))
            cp++;
        if (parts == 0 && *cp++ != '.')
            return (0);
    }
    if (*cp && *cp != ' ')
        return (0);
    return (cp - text);
}

/* smtp_chat_garbage - a reply line that is not a reply line */
static void smtp_chat_garbage(SMTP_STATE *state, const char *line)
{
    SMTP_SESSION *session = state->session;

    session->error_mask |= MAIL_ERROR_PROTOCOL;
    if (session->bad == 0)
        session->bad = 1;
    if (session->features & SMTP_FEATURE_PIPELINING) {
        msg_warn("%s: non-%s response from %s: %.100s",
                 state->request ? state->request->queue_id : "NOQUEUE",
                 smtp_cfg.lmtp ? "LMTP" : "ESMTP", session->namaddrport, line);
        if (var_helpful_warnings)
            msg_warn("to prevent loss of mail, turn off command pipelining for %s with the %s "
                     "parameter",
                     session->addr,
                     smtp_cfg.lmtp ? "lmtp_discard_lhlo_keyword_address_maps"
                                   : "smtp_discard_ehlo_keyword_address_maps");
    }
}

/* smtp_chat_resp - read one reply */
SMTP_RESP *smtp_chat_resp(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp = &state->resp;
    VSTRING *line = state->buf;
    const char *cp;
    int code;
    size_t len;

    if (resp->str_buf == 0) {
        resp->str_buf = vstring_alloc(100);
        resp->dsn_buf = vstring_alloc(10);
    }
    VSTRING_RESET(resp->str_buf);
    for (;;) {
        /* End of input longjmps through the caller's smtp_stream_setjmp(). */
        if (smtp_get(line, session->stream, SMTP_REPLY_LINE_LIMIT, SMTP_GET_FLAG_SKIP) ==
            VSTREAM_EOF)
            msg_panic("smtp_chat_resp: end of input without a stream exception handler");
        cp = vstring_str(line);
        if (msg_verbose)
            msg_info("< %s: %s", session->namaddrport, cp);
        if (VSTRING_LEN(resp->str_buf) + VSTRING_LEN(line) < SMTP_REPLY_TOTAL_LIMIT) {
            chat_notify_append(&session->history, "In:  ", cp);
            if (VSTRING_LEN(resp->str_buf))
                VSTRING_ADDCH(resp->str_buf, '\n');
            vstring_strcat(resp->str_buf, cp);
        }
        if (strspn(cp, "0123456789") == 3) {
            if (cp[3] == '-')
                continue;
            if (cp[3] == ' ' || cp[3] == 0)
                break;
        }
        smtp_chat_garbage(state, cp);
    }

    /* The code and status of the whole reply are those of its last line. */
    code = (cp[0] - '0') * 100 + (cp[1] - '0') * 10 + (cp[2] - '0');
    resp->code = code;
    if (code >= 200 && code < 600 && cp[3] && (len = smtp_dsn_in_text(cp + 4, cp[0])) > 0)
        vstring_strncpy(resp->dsn_buf, cp + 4, len);
    else if (code >= 200 && code < 600)
        vstring_sprintf(resp->dsn_buf, "%c.0.0", cp[0]);
    else
        vstring_strcpy(resp->dsn_buf, "5.5.0");
    resp->dsn = vstring_str(resp->dsn_buf);
    resp->str = vstring_str(resp->str_buf);
    return (resp);
}

/* smtp_chat_notify - after a session: the transcript to the postmaster, when due */
void smtp_chat_notify(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    const char *sender = state->request->sender;
    VSTREAM *notice;

    if (session->history == 0 || (session->error_mask & mail_error_mask(var_notify_classes)) == 0)
        return;
    /* A notice about a notice could go on for ever. */
    if (*sender == 0 || strcmp(sender, mail_addr_double_bounce()) == 0)
        return;
    if (msg_verbose)
        msg_info("smtp_chat_notify: notify postmaster");
    if ((notice = chat_notify_open(smtp_cfg.lmtp ? "LMTP client" : "SMTP client",
                                   session->namaddrport)) == 0)
        return;
    post_mail_fprintf(notice, "Unexpected response from %s.", session->namaddrport);
    post_mail_fputs(notice, "");
    chat_notify_transcript(notice, session->history);
    chat_notify_close(notice);
}
