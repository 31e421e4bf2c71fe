/*
 * smtp_chat - send one command line, read one (possibly multi-line) reply.
 *
 * smtp_chat_cmd() buffers the command (the caller flushes, so that
 * pipelined commands go out together). smtp_chat_resp() reads reply lines
 * until one without "-" after the code, and fills state->resp: the code,
 * the enhanced status code (the server's when it sent a plausible one,
 * else made up from the reply code as "X.0.0"), and the whole text with
 * lines joined by newlines. Lines and the reply as a whole are
 * length-limited; the excess is dropped. I/O errors raise the stream's
 * exception (smtp_stream.h).
 */

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "msg.h"
#include "smtp.h"
#include "smtp_stream.h"

#define SMTP_REPLY_LINE_LIMIT 2048  /* bytes kept per reply line */
#define SMTP_REPLY_TOTAL_LIMIT 8192 /* bytes kept per reply */

/* smtp_chat_cmd - buffer one command line */
void smtp_chat_cmd(SMTP_SESSION *session, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    if (msg_verbose) {
        va_list ap2;
        VSTRING *tmp = vstring_alloc(100);

        va_copy(ap2, ap);
        vstring_vsprintf(tmp, fmt, ap2);
        va_end(ap2);
        msg_info("> %s: %s", session->namaddrport, vstring_str(tmp));
        vstring_free(tmp);
    }
    smtp_vprintf(session->stream, fmt, ap);
    va_end(ap);
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

/* smtp_chat_resp - read one reply */
SMTP_RESP *smtp_chat_resp(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp = &state->resp;
    VSTRING *line = state->buf;
    const char *cp;
    int more;
    int code = 0;
    size_t len;

    if (resp->str_buf == 0) {
        resp->str_buf = vstring_alloc(100);
        resp->dsn_buf = vstring_alloc(10);
    }
    VSTRING_RESET(resp->str_buf);
    do {
        smtp_get(line, session->stream, SMTP_REPLY_LINE_LIMIT, SMTP_GET_FLAG_SKIP);
        cp = vstring_str(line);
        if (msg_verbose)
            msg_info("< %s: %s", session->namaddrport, cp);
        more = (VSTRING_LEN(line) > 3 && isdigit((unsigned char)cp[0]) &&
                isdigit((unsigned char)cp[1]) && isdigit((unsigned char)cp[2]) && cp[3] == '-');
        if (VSTRING_LEN(resp->str_buf) + VSTRING_LEN(line) < SMTP_REPLY_TOTAL_LIMIT) {
            if (VSTRING_LEN(resp->str_buf))
                VSTRING_ADDCH(resp->str_buf, '\n');
            vstring_strcat(resp->str_buf, cp);
        }
    } while (more);

    /* The code of the whole reply is the code of its first line. */
    cp = vstring_str(resp->str_buf);
    if (isdigit((unsigned char)cp[0]) && isdigit((unsigned char)cp[1]) &&
        isdigit((unsigned char)cp[2]) && (cp[3] == 0 || cp[3] == ' ' || cp[3] == '-'))
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
