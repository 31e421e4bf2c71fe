/*
 * smtpd_chat - the SMTP server's replies and command input.
 *
 * Exports smtpd_chat_reply(state, fmt, ...), which formats one reply (a
 * "\n" in the text makes a multi-line reply), adds smtpd_reject_footer to
 * 4xx/5xx replies, removes enhanced status codes when the client was not
 * offered ENHANCEDSTATUSCODES, slows down clients that made too many errors
 * (smtpd_soft_error_limit, smtpd_error_sleep_time) and sends it; and
 * smtpd_chat_query(state), which reads one command line of at most
 * line_length_limit bytes into state->buffer (the rest of a longer line is
 * discarded). Output is flushed only when the client has no more pipelined
 * input waiting, so that a pipelined group gets its replies in one packet.
 *
 * I/O errors and timeouts are not handled here: they raise the stream's
 * armed exception (smtp_stream.h).
 */

#include <ctype.h>
#include <stdarg.h>
#include <time.h>
#include <string.h>
#include <unistd.h>

#include "mac_expand.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maps.h"
#include "msg.h"
#include "smtp_stream.h"
#include "smtpd_int.h"
#include "vstring.h"

static VSTRING *chat_buf;
static VSTRING *chat_line;

/* chat_strip_dsn - remove " d.d.d" after the reply code, in place */
static void chat_strip_dsn(VSTRING *buf)
{
    char *cp = vstring_str(buf);
    char *dsn;
    size_t n;

    if (strlen(cp) < 4 || !isdigit((unsigned char)cp[0]))
        return;
    dsn = cp + 4;
    if (!(dsn[0] == '2' || dsn[0] == '4' || dsn[0] == '5') || dsn[1] != '.')
        return;
    n = strspn(dsn, "0123456789.");
    if (dsn[n] == ' ')
        n++;
    else if (dsn[n] != 0)
        return;
    memmove(dsn, dsn + n, strlen(dsn + n) + 1);
    vstring_truncate(buf, strlen(cp));
}

/* chat_lookup - $name in a reply footer: session attributes, then main.cf */
static const char *chat_lookup(const char *name, int mode, void *context)
{
    SMTPD_STATE *state = context;
    static char timebuf[64];
    time_t now;

    if (strcmp(name, "client_address") == 0)
        return (state->addr);
    if (strcmp(name, "client_name") == 0)
        return (state->name);
    if (strcmp(name, "client_port") == 0)
        return (state->port);
    if (strcmp(name, "reverse_client_name") == 0)
        return (state->reverse_name);
    if (strcmp(name, "helo_name") == 0)
        return (state->helo_name);
    if (strcmp(name, "sender") == 0)
        return (state->sender);
    if (strcmp(name, "recipient") == 0)
        return (state->recipient);
    if (strcmp(name, "service") == 0)
        return (state->service);
    if (strcmp(name, "localtime") == 0) {
        now = time((time_t *)0);
        strftime(timebuf, sizeof(timebuf), "%b %e %H:%M:%S", localtime(&now));
        return (timebuf);
    }
    return (mail_conf_lookup_eval(name));
}

/* chat_footer - append smtpd_reject_footer(_maps) to a 4xx/5xx reply */
static void chat_footer(SMTPD_STATE *state, VSTRING *buf)
{
    const char *text = vstring_str(buf);
    const char *footer = var_smtpd_reject_footer;
    const char *value;
    const char *cp;
    VSTRING *expanded;
    char code_dsn[32];
    size_t n;

    if (text[0] != '4' && text[0] != '5')
        return;
    if (smtpd_config.reject_footer_maps &&
        (value = maps_find(smtpd_config.reject_footer_maps, text, 0)) != 0)
        footer = value;
    if (*footer == 0)
        return;
    /* Footer lines repeat the code and the enhanced status code. */
    n = 3;
    if (text[3] == ' ' && isdigit((unsigned char)text[4]) && text[5] == '.')
        n = 4 + strcspn(text + 4, " ");
    if (n >= sizeof(code_dsn))
        n = 3;
    memcpy(code_dsn, text, n);
    code_dsn[n] = 0;
    expanded = vstring_alloc(100);
    (void)mac_expand(expanded, footer, MAC_EXP_FLAG_NONE, var_smtpd_expansion_filter, chat_lookup,
                     (void *)state);
    cp = vstring_str(expanded);
    /* "\c" at the start continues the last line; "\n" starts a new one. */
    if (strncmp(cp, "\\c", 2) == 0)
        cp += 2;
    else
        vstring_sprintf_append(buf, "\n%s ", code_dsn);
    for (; *cp; cp++) {
        if (cp[0] == '\\' && cp[1] == 'n') {
            vstring_sprintf_append(buf, "\n%s ", code_dsn);
            cp++;
        } else {
            VSTRING_ADDCH(buf, *cp);
        }
    }
    VSTRING_TERMINATE(buf);
    vstring_free(expanded);
}

/* smtpd_chat_reply - format and send one reply */
void smtpd_chat_reply(SMTPD_STATE *state, const char *fmt, ...)
{
    va_list ap;
    char *start;
    char *next;
    size_t len;

    if (chat_buf == 0) {
        chat_buf = vstring_alloc(200);
        chat_line = vstring_alloc(200);
    }
    va_start(ap, fmt);
    vstring_vsprintf(chat_buf, fmt, ap);
    va_end(ap);
    chat_footer(state, chat_buf);

    /* Slow down clients that make many errors (sleep on anything). */
    if (state->error_count >= var_smtpd_soft_error_limit && var_smtpd_error_sleep_time > 0)
        sleep(var_smtpd_error_sleep_time);

    /* One line per "\n"; all but the last get a '-' after the code. */
    for (start = vstring_str(chat_buf); start; start = next) {
        if ((next = strchr(start, '\n')) != 0)
            *next++ = 0;
        vstring_strcpy(chat_line, start);
        if (smtpd_session && (smtpd_session->ehlo_discard_mask & EHLO_MASK_ENHANCEDSTATUSCODES))
            chat_strip_dsn(chat_line);
        len = VSTRING_LEN(chat_line);
        if (next && len >= 3)
            vstring_str(chat_line)[3 < len ? 3 : len] = '-';
        if (len == 3)
            vstring_strcat(chat_line, next ? "-" : " ");
        if (msg_verbose)
            msg_info("> %s: %s", state->namaddr, vstring_str(chat_line));
        smtpd_notify_append(state, "Out: ", vstring_str(chat_line));
        smtp_fputs(vstring_str(chat_line), VSTRING_LEN(chat_line), state->client);
    }
    /* Replies to a pipelined group wait until the group has been read. */
    if (vstream_peek(state->client) <= 0)
        smtp_flush(state->client);
}

/* smtpd_chat_query - read one command line */
void smtpd_chat_query(SMTPD_STATE *state)
{
    (void)smtp_get(state->buffer, state->client, var_line_length_limit, SMTP_GET_FLAG_SKIP);
    smtpd_notify_append(state, "In:  ", vstring_str(state->buffer));
    if (msg_verbose)
        msg_info("< %s: %s", state->namaddr, vstring_str(state->buffer));
}
