/*
 * chat_notify - the postmaster notice that carries an SMTP session
 * transcript, for the SMTP server and the SMTP/LMTP client when a session
 * had an error of a class in notify_classes.
 *
 * A transcript is an ARGV of lines ("Out: ..." and "In:  ..."), kept by
 * chat_notify_append() with unprintable bytes replaced by '?', because the
 * text comes from the network. chat_notify_open() posts the notice through
 * cleanup without waiting (it is junk mail: when cleanup is not there, the
 * notice is dropped with a warning and null is returned), from the
 * double-bounce sender, so that it can never bounce back and forth, to
 * error_notice_recipient. The From: and To: headers follow
 * header_from_format. The caller then writes its own body lines with
 * post_mail_fputs/fprintf, chat_notify_transcript() for the transcript
 * (lines broken at blanks to fit 78 columns, continuations indented by 4,
 * each line starting with a space so that nothing from the peer can look
 * like a header), and chat_notify_close() ends the notice. A failure to post
 * is cleanup's to log; the caller has nothing to undo.
 */

#include <string.h>

#include "chat_notify.h"
#include "cleanup_user.h"
#include "mail_addr.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "stringops.h"
#include "vstring.h"

#define CHAT_NOTIFY_LINE_LEN 78 /* transcript lines are wrapped here */
#define CHAT_NOTIFY_INDENT 4    /* continuation lines are indented this much */

/* chat_notify_append - one transcript line */
void chat_notify_append(ARGV **history, const char *prefix, const char *text)
{
    char *line;

    if (*history == 0)
        *history = argv_alloc(10);
    line = concatenate(prefix, text, (char *)0);
    argv_add(*history, printable(line, '?'), (char *)0);
    myfree(line);
}

/* chat_notify_open - connect to cleanup and write the headers */
VSTREAM *chat_notify_open(const char *agent, const char *peer)
{
    VSTREAM *notice;

    notice = post_mail_fopen_nowait(var_double_bounce_sender, var_error_notice_recipient,
                                    CLEANUP_FLAG_MASK_INTERNAL, (VSTRING *)0);
    if (notice == 0) {
        msg_warn("postmaster notify: %m");
        return (0);
    }
    if (strcmp(var_header_from_format, "obsolete") == 0) {
        post_mail_fprintf(notice, "From: %s (Mail Delivery System)", MAIL_ADDR_MAIL_DAEMON);
        post_mail_fprintf(notice, "To: %s (Postmaster)", var_error_notice_recipient);
    } else {
        post_mail_fprintf(notice, "From: Mail Delivery System <%s>", MAIL_ADDR_MAIL_DAEMON);
        post_mail_fprintf(notice, "To: Postmaster <%s>", var_error_notice_recipient);
    }
    post_mail_fprintf(notice, "Subject: %s %s: errors from %s", var_mail_name, agent, peer);
    post_mail_fputs(notice, "");
    return (notice);
}

/* chat_notify_put - one output line, without trailing blanks */
static void chat_notify_put(VSTREAM *notice, int indent, const char *text, size_t len)
{
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t'))
        len--;
    post_mail_fprintf(notice, " %*s%.*s", indent, "", (int)len, text);
}

/*
 * chat_notify_wrap - post one transcript line, broken at blanks so that no
 * piece is longer than the line length; continuations are indented (and so
 * have that much less room). A word longer than a line stays whole.
 */
static void chat_notify_wrap(VSTREAM *notice, const char *text)
{
    const char *line = text; /* start of the current output line */
    const char *word = text; /* start of the word being placed */
    const char *end;         /* end of that word */
    size_t room = CHAT_NOTIFY_LINE_LEN;
    int indent = 0;

    for (;;) {
        end = word + strcspn(word, " \t");
        if (word > line && (size_t)(end - line) > room) {
            chat_notify_put(notice, indent, line, word - line);
            while (*word == ' ' || *word == '\t')
                word++;
            if (indent == 0) {
                indent = CHAT_NOTIFY_INDENT;
                room -= CHAT_NOTIFY_INDENT;
            }
            line = word;
            continue;
        }
        if (*end == 0)
            break;
        word = end + 1;
    }
    chat_notify_put(notice, indent, line, strlen(line));
}

/* chat_notify_transcript - the transcript part of the body */
void chat_notify_transcript(VSTREAM *notice, ARGV *history)
{
    char **cpp;

    post_mail_fputs(notice, "Transcript of session follows.");
    post_mail_fputs(notice, "");
    if (history)
        for (cpp = history->argv; *cpp; cpp++)
            chat_notify_wrap(notice, *cpp);
    post_mail_fputs(notice, "");
}

/* chat_notify_close - the last line, and off to cleanup */
void chat_notify_close(VSTREAM *notice)
{
    post_mail_fputs(notice, "For other details, see the local mail logfile");
    (void)post_mail_fclose(notice, (VSTRING *)0);
}
