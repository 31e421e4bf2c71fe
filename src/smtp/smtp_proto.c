/*
 * smtp_proto - the SMTP and LMTP conversation of the delivery agent.
 *
 * smtp_helo() reads the greeting and introduces us: LHLO for LMTP; EHLO
 * when the greeting says ESMTP (or smtp_always_send_ehlo), falling back to
 * HELO when EHLO is refused; it records the server's extensions.
 * smtp_xfer() runs one mail transaction for the unmarked recipients:
 * XFORWARD with the original client's attributes (when enabled and the
 * server announces it; a refusal only gets a warning), MAIL FROM (with
 * SIZE, BODY, SMTPUTF8, RET, ENVID when the server takes them), RCPT TO
 * (with NOTIFY and ORCPT), DATA, the message, and the end of data, all
 * pipelined when the server announced PIPELINING (replies are read in order
 * after one flush). The message comes from the queue file (records from the
 * data offset to the X record); 8-bit mail for a server without 8BITMIME is
 * converted to quoted-printable unless disable_mime_output_conversion is
 * set; lines longer than smtp_line_length_limit are broken with CRLF SPACE;
 * dots are stuffed.
 * With smtp_per_request_deadline each timeout bounds a whole request and
 * its reply, and the DATA deadline grows with the content sent
 * (smtp_min_data_rate). A PIX firewall greeting turns on
 * smtp_pix_workarounds.
 * LMTP reads one reply per accepted recipient after the data.
 * smtp_rset() and smtp_quit() end a transaction or the session.
 *
 * Failures are reported through smtp_trouble.c. Each function returns 0
 * when the session may carry on, -1 otherwise (session->bad is set when it
 * must be closed).
 */

#include <ctype.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "dsn_mask.h"
#include "mail_params.h"
#include "mime_state.h"
#include "msg.h"
#include "mymalloc.h"
#include "name_mask.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "smtp.h"
#include "smtp_stream.h"
#include "stringops.h"
#include "xtext.h"

/*
 * The request's smtputf8 bits, as cleanup sets them: the sender asked for
 * SMTPUTF8, and where the message has UTF-8 (headers, sender, recipients).
 */
#define SMTPUTF8_FLAG_REQUESTED (1 << 0)
#define SMTPUTF8_FLAG_HEADER (1 << 1)
#define SMTPUTF8_FLAG_SENDER (1 << 2)
#define SMTPUTF8_FLAG_RECIPIENT (1 << 3)

/* The phases of a transaction, for "lost connection ... while ..." */
#define WHERE_GREETING "receiving the initial server greeting"
#define WHERE_HELO "performing the HELO handshake"
#define WHERE_XFWD1 "sending XFORWARD name/address"
#define WHERE_XFWD2 "sending XFORWARD protocol/helo_name"
#define WHERE_MAIL "sending MAIL FROM"
#define WHERE_RCPT "sending RCPT TO"
#define WHERE_DATA "sending DATA command"
#define WHERE_BODY "sending message body"
#define WHERE_DOT "sending end of data -- message may be sent more than once"

/* What a reply answered, for "(in reply to ...)". */
#define REPLY_TO_XFWD1 "XFORWARD name/address command"
#define REPLY_TO_XFWD2 "XFORWARD helo/protocol command"
#define REPLY_TO_MAIL "MAIL FROM command"
#define REPLY_TO_RCPT "RCPT TO command"
#define REPLY_TO_DATA "DATA command"
#define REPLY_TO_DOT "end of DATA command"

static VSTRING *smtp_oneline_buf;

/* smtp_oneline - a multi-line reply as one line, for reasons */
static const char *smtp_oneline(const char *text)
{
    char *cp;

    if (smtp_oneline_buf == 0)
        smtp_oneline_buf = vstring_alloc(100);
    vstring_strcpy(smtp_oneline_buf, text);
    for (cp = vstring_str(smtp_oneline_buf); *cp; cp++)
        if (*cp == '\n')
            *cp = ' ';
    return (vstring_str(smtp_oneline_buf));
}

/* smtp_fake_resp - a reply made up locally (no server text) */
static SMTP_RESP *smtp_fake_resp(SMTP_RESP *fake, const char *dsn)
{
    fake->code = 0;
    fake->dsn = dsn;
    fake->str = 0;
    fake->dsn_buf = fake->str_buf = 0;
    return (fake);
}

/* smtp_discarded - whether an EHLO keyword is in smtp_discard_ehlo_keywords */
static int smtp_discarded(const char *keyword)
{
    char *saved = mystrdup(smtp_cfg.discard_ehlo_keywords);
    char *bp = saved;
    char *word;
    int found = 0;

    while ((word = mystrtok(&bp, ", \t\r\n")) != 0)
        if (strcasecmp(word, keyword) == 0)
            found = 1;
    myfree(saved);
    return (found);
}

/* smtp_xforward_features - the attributes after "XFORWARD" in an EHLO reply */
static void smtp_xforward_features(SMTP_SESSION *session, char *words)
{
    static const struct {
        const char *name;
        int feature;
    } table[] = {
        {"NAME", SMTP_FEATURE_XFORWARD_NAME},     {"ADDR", SMTP_FEATURE_XFORWARD_ADDR},
        {"PORT", SMTP_FEATURE_XFORWARD_PORT},     {"PROTO", SMTP_FEATURE_XFORWARD_PROTO},
        {"HELO", SMTP_FEATURE_XFORWARD_HELO},     {"IDENT", SMTP_FEATURE_XFORWARD_IDENT},
        {"SOURCE", SMTP_FEATURE_XFORWARD_DOMAIN}, {0, 0},
    };
    char *word;
    int i;

    while ((word = mystrtok(&words, " \t")) != 0)
        for (i = 0; table[i].name; i++)
            if (strcasecmp(word, table[i].name) == 0)
                session->features |= table[i].feature;
}

/* smtp_ehlo_features - the extensions in an EHLO/LHLO reply */
static void smtp_ehlo_features(SMTP_SESSION *session, const char *reply)
{
    static const struct {
        const char *name;
        int feature;
    } table[] = {
        {"PIPELINING", SMTP_FEATURE_PIPELINING},
        {"SIZE", SMTP_FEATURE_SIZE},
        {"8BITMIME", SMTP_FEATURE_8BITMIME},
        {"DSN", SMTP_FEATURE_DSN},
        {"SMTPUTF8", SMTP_FEATURE_SMTPUTF8},
        {"ENHANCEDSTATUSCODES", SMTP_FEATURE_ENHANCED},
        {0, 0},
    };
    char *copy = mystrdup(reply);
    char *lines = copy;
    char *line, *word;
    int i, first = 1;

    session->features |= SMTP_FEATURE_ESMTP;
    while ((line = mystrtok(&lines, "\n")) != 0) {
        if (first) { /* "250-hostname greeting": not an extension */
            first = 0;
            continue;
        }
        if (strlen(line) < 5)
            continue;
        line += 4;
        if ((word = mystrtok(&line, " \t=")) == 0 || smtp_discarded(word))
            continue;
        if (strcasecmp(word, "XFORWARD") == 0) {
            if (smtp_cfg.send_xforward)
                smtp_xforward_features(session, line);
            continue;
        }
        for (i = 0; table[i].name; i++) {
            if (strcasecmp(word, table[i].name) != 0)
                continue;
            session->features |= table[i].feature;
            if (table[i].feature == SMTP_FEATURE_SIZE && (word = mystrtok(&line, " \t")) != 0 &&
                alldig(word))
                session->size_limit = strtol(word, 0, 10);
        }
    }
    myfree(copy);
}

/* smtp_ehlo_is_self - the EHLO reply names this host: a mail loop */
static int smtp_ehlo_is_self(SMTP_STATE *state, const char *reply)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP fake;
    char *copy, *bp, *word;
    int self;

    if (!state->loop_detect)
        return (0);
    copy = bp = mystrdup(reply);
    (void)mystrtok(&bp, "- \t\n");
    word = mystrtok(&bp, " \t\n=");
    self = (word && strcasecmp(word, var_myhostname) == 0);
    myfree(copy);
    if (!self)
        return (0);
    msg_warn("host %s replied to HELO/EHLO with my own hostname %s", session->namaddrport,
             var_myhostname);
    (void)smtp_site_fail(
        state, 0,
        smtp_fake_resp(&fake, (session->features & SMTP_FEATURE_BEST_MX) ? "5.4.6" : "4.4.6"),
        "mail for %s loops back to myself", state->request->nexthop);
    return (1);
}

/*
 * smtp_greeting_words - look at the words of the greeting: a first word
 * that is our own name only gets a warning (the EHLO reply decides);
 * returns whether one of them is "ESMTP".
 */
static int smtp_greeting_words(SMTP_STATE *state, const char *greeting)
{
    char *copy, *bp, *word;
    int n, esmtp = 0;

    copy = bp = mystrdup(greeting);
    (void)mystrtok(&bp, "- \t\n");
    for (n = 0; (word = mystrtok(&bp, " \t\n")) != 0; n++) {
        if (n == 0 && strcasecmp(word, var_myhostname) == 0) {
            if (state->loop_detect)
                msg_warn("host %s greeted me with my own hostname %s", state->session->namaddrport,
                         var_myhostname);
        } else if (strcasecmp(word, "ESMTP") == 0) {
            esmtp = 1;
        }
    }
    myfree(copy);
    return (esmtp);
}

/*
 * smtp_pix_check - a greeting of only "2", "0", "*" and blanks is what a
 * Cisco PIX firewall leaves of the server's banner: turn on the
 * smtp_pix_workarounds for this session, as Postfix does.
 */
static void smtp_pix_check(SMTP_STATE *state, const char *greeting)
{
    static const NAME_MASK pix_table[] = {
        {"disable_esmtp", SMTP_FEATURE_PIX_NO_ESMTP},
        {"delay_dotcrlf", SMTP_FEATURE_PIX_DELAY_DOTCRLF},
        {0, 0},
    };
    SMTP_SESSION *session = state->session;
    int mask;

    if (greeting[strspn(greeting, "20 *\t\n")] != 0 || *smtp_cfg.pix_workarounds == 0)
        return;
    mask = name_mask_opt(smtp_param_name("smtp_pix_workarounds"), pix_table,
                         smtp_cfg.pix_workarounds, NAME_MASK_ANY_CASE | NAME_MASK_FATAL);
    msg_info("%s: enabling PIX workarounds: %s for %s", state->request->queue_id,
             str_name_mask("pix workaround bitmask", pix_table, mask), session->namaddrport);
    session->features |= mask;
}

/* smtp_refused - the server will not talk to us */
static int smtp_refused(SMTP_STATE *state, SMTP_RESP *resp)
{
    SMTP_SESSION *session = state->session;

    session->bad = 1;
    return (smtp_site_fail(state, session->host, resp, "host %s refused to talk to me: %s",
                           session->namaddr, smtp_oneline(resp->str)));
}

/* smtp_helo - greeting and EHLO/HELO/LHLO */
int smtp_helo(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp;
    jmp_buf jbuf;
    const char *volatile where = WHERE_GREETING;
    int esmtp;
    int except;

    if ((except = smtp_stream_setjmp(session->stream, &jbuf)) != 0) {
        smtp_stream_disarm(session->stream);
        session->bad = 1;
        return (smtp_stream_except(state, except, where));
    }
    smtp_stream_setup(session->stream, smtp_cfg.helo_timeout, smtp_cfg.per_request_deadline);
    resp = smtp_chat_resp(state);
    if (resp->code / 100 != 2) {
        smtp_stream_disarm(session->stream);
        /* A 5xx greeting counts as "try another server" when so configured. */
        if (smtp_cfg.skip_5xx_greeting && resp->dsn[0] == '5')
            vstring_str(resp->dsn_buf)[0] = '4';
        return (smtp_refused(state, resp));
    }
    smtp_pix_check(state, resp->str);
    esmtp = smtp_greeting_words(state, resp->str);
    if (smtp_cfg.lmtp)
        esmtp = 1;
    else if (smtp_cfg.never_send_ehlo || (session->features & SMTP_FEATURE_PIX_NO_ESMTP))
        esmtp = 0;
    else
        esmtp |= smtp_cfg.always_send_ehlo;

    if (esmtp) {
        where = smtp_cfg.lmtp ? "performing the LHLO handshake" : "performing the EHLO handshake";
        smtp_chat_cmd(session, "%s %s", smtp_cfg.lmtp ? "LHLO" : "EHLO", smtp_cfg.helo_name);
        smtp_flush(session->stream);
        resp = smtp_chat_resp(state);
        if (resp->code / 100 == 2) {
            if (smtp_ehlo_is_self(state, resp->str)) {
                smtp_stream_disarm(session->stream);
                session->bad = 1;
                return (-1);
            }
            smtp_ehlo_features(session, resp->str);
            /* SMTPUTF8 without 8BITMIME makes no sense: ignore it. */
            if ((session->features & SMTP_FEATURE_SMTPUTF8) &&
                (session->features & SMTP_FEATURE_8BITMIME) == 0) {
                msg_info("host %s offers SMTPUTF8 support, but not 8BITMIME", session->namaddr);
                session->features &= ~SMTP_FEATURE_SMTPUTF8;
            }
        } else if (resp->code == 421 || smtp_cfg.lmtp) {
            smtp_stream_disarm(session->stream);
            return (smtp_refused(state, resp));
        } else {
            esmtp = 0;
        }
    }
    if (!esmtp) {
        where = WHERE_HELO;
        smtp_chat_cmd(session, "HELO %s", smtp_cfg.helo_name);
        smtp_flush(session->stream);
        resp = smtp_chat_resp(state);
        if (resp->code / 100 != 2) {
            smtp_stream_disarm(session->stream);
            return (smtp_refused(state, resp));
        }
    }
    smtp_stream_disarm(session->stream);
    return (0);
}

/* smtp_quote_addr - an envelope address as it goes on the wire */
static const char *smtp_quote_addr(VSTRING *buf, const char *addr)
{
    if (*addr && smtp_cfg.quote_rfc821_envelope)
        quote_822_local(buf, addr);
    else
        vstring_strcpy(buf, addr);
    return (vstring_str(buf));
}

/* smtp_not_ascii - whether text has 8-bit bytes */
static int smtp_not_ascii(const char *text)
{
    for (; *text; text++)
        if (*(const unsigned char *)text & 0x80)
            return (1);
    return (0);
}

/* Output state of the message content. */
typedef struct SMTP_BODY {
    VSTREAM *stream;
    ssize_t column;    /* bytes on the current output line */
    int at_line_start; /* the next byte starts a line */
    long unpaid;       /* bytes sent that have not yet extended the deadline */
} SMTP_BODY;

/*
 * smtp_body_paid - with smtp_per_request_deadline, every N bytes of content
 * sent extend the DATA deadline by N/smtp_min_data_rate seconds (whole
 * seconds; the remainder waits for the next bytes).
 */
static void smtp_body_paid(SMTP_BODY *body, ssize_t len)
{
    long secs;

    if (!smtp_cfg.per_request_deadline || smtp_cfg.min_data_rate <= 0 ||
        body->stream->deadline == 0)
        return;
    body->unpaid += len;
    if ((secs = body->unpaid / smtp_cfg.min_data_rate) > 0) {
        body->stream->deadline += secs;
        body->unpaid %= smtp_cfg.min_data_rate;
    }
}

/* smtp_body_text - one piece of content; NORM ends the line */
static void smtp_body_text(SMTP_BODY *body, int rec_type, const char *text, ssize_t len)
{
    ssize_t limit = smtp_cfg.line_length_limit;
    ssize_t room;

    smtp_body_paid(body, len);
    if (body->at_line_start && len > 0 && text[0] == '.')
        smtp_fputc('.', body->stream);
    body->at_line_start = 0;
    while (limit > 0 && body->column + len > limit) {
        room = limit - body->column;
        smtp_fwrite(text, room, body->stream);
        smtp_fwrite("\r\n ", 3, body->stream);
        text += room;
        len -= room;
        body->column = 1;
    }
    smtp_fwrite(text, len, body->stream);
    body->column += len;
    if (rec_type == REC_TYPE_NORM) {
        smtp_fwrite("\r\n", 2, body->stream);
        body->column = 0;
        body->at_line_start = 1;
    }
}

/* smtp_mime_head - a header from the downgrade parser, one line at a time */
static void smtp_mime_head(void *context, int header_class, const HEADER_OPTS *info, VSTRING *buf,
                           off_t offset)
{
    SMTP_BODY *body = (SMTP_BODY *)context;
    char *start = vstring_str(buf);
    char *nl;

    (void)header_class;
    (void)info;
    (void)offset;
    while ((nl = strchr(start, '\n')) != 0) {
        smtp_body_text(body, REC_TYPE_NORM, start, nl - start);
        start = nl + 1;
    }
    smtp_body_text(body, REC_TYPE_NORM, start, strlen(start));
}

/* smtp_mime_body - a body line from the downgrade parser */
static void smtp_mime_body(void *context, int rec_type, const char *text, ssize_t len, off_t offset)
{
    (void)offset;
    smtp_body_text((SMTP_BODY *)context, rec_type, text, len);
}

/*
 * smtp_send_body - the message content from the queue file. Returns 0, or
 * -1 when the queue file could not be read (the transaction must be
 * abandoned without the final dot).
 */
static int smtp_send_body(SMTP_STATE *state, int downgrade)
{
    DELIVER_REQUEST *request = state->request;
    SMTP_BODY body;
    MIME_STATE *mime = 0;
    int rec_type;
    int result = 0;

    body.stream = state->session->stream;
    body.column = 0;
    body.unpaid = 0;
    body.at_line_start = 1;
    if (vstream_fseek(state->src, request->data_offset, SEEK_SET) < 0) {
        msg_warn("%s: seek queue file: %m", request->queue_id);
        return (-1);
    }
    if (downgrade)
        mime = mime_state_alloc(MIME_OPT_DOWNGRADE, smtp_mime_head, 0, smtp_mime_body, 0, 0, &body);
    for (;;) {
        rec_type = rec_get(state->src, state->buf, 0);
        if (rec_type == REC_TYPE_NORM || rec_type == REC_TYPE_CONT) {
            if (mime)
                mime_state_update(mime, rec_type, vstring_str(state->buf), VSTRING_LEN(state->buf));
            else
                smtp_body_text(&body, rec_type, vstring_str(state->buf), VSTRING_LEN(state->buf));
            continue;
        }
        if (rec_type != REC_TYPE_XTRA) {
            msg_warn("%s: unexpected record type %d in message content", request->queue_id,
                     rec_type);
            result = -1;
        }
        break;
    }
    if (mime) {
        if (result == 0)
            mime_state_update(mime, REC_TYPE_XTRA, "", 0);
        mime_state_free(mime);
    }
    /* A last partial line still needs its line end before the dot. */
    if (result == 0 && !body.at_line_start)
        smtp_fwrite("\r\n", 2, body.stream);
    return (result);
}

/* smtp_xforward_known - a client attribute worth forwarding */
static int smtp_xforward_known(const char *value)
{
    return (*value != 0 && strcasecmp(value, "unknown") != 0);
}

/* smtp_xforward_attr - " NAME=value" when the server takes it and it is known */
static int smtp_xforward_attr(VSTRING *cmd, int features, int feature, const char *name,
                              const char *value, int usable)
{
    if ((features & feature) == 0 || !usable)
        return (0);
    vstring_sprintf_append(cmd, " %s=", name);
    xtext_quote_append(cmd, value, "");
    return (1);
}

/*
 * smtp_xforward_command - XFORWARD for the original client, in two
 * commands as Postfix sends it: name/address/port, then protocol, HELO
 * name, log identifier and source. Attributes that are not known are left
 * out, and a command with nothing in it is not sent (result 0).
 */
static int smtp_xforward_command(SMTP_STATE *state, int which)
{
    DELIVER_REQUEST *rq = state->request;
    int f = state->session->features;
    VSTRING *cmd = vstring_alloc(100);
    int count = 0;

    vstring_strcpy(cmd, "XFORWARD");
    if (which == 1) {
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_NAME, "NAME", rq->client_name,
                                    smtp_xforward_known(rq->client_name));
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_ADDR, "ADDR", rq->client_addr,
                                    smtp_xforward_known(rq->client_addr));
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_PORT, "PORT", rq->client_port,
                                    smtp_xforward_known(rq->client_port));
    } else {
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_PROTO, "PROTO", rq->client_proto,
                                    smtp_xforward_known(rq->client_proto));
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_HELO, "HELO", rq->client_helo,
                                    *rq->client_helo != 0);
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_IDENT, "IDENT", rq->log_ident,
                                    *rq->log_ident != 0);
        count += smtp_xforward_attr(cmd, f, SMTP_FEATURE_XFORWARD_DOMAIN, "SOURCE",
                                    strcmp(rq->rewrite_context, "local") == 0 ? "LOCAL" : "REMOTE",
                                    *rq->rewrite_context != 0);
    }
    if (count > 0)
        smtp_chat_cmd(state->session, "%s", vstring_str(cmd));
    vstring_free(cmd);
    return (count > 0);
}

/* smtp_reply_xforward - an XFORWARD reply: trouble is only worth a warning */
static void smtp_reply_xforward(SMTP_STATE *state, const char *command)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp;

    smtp_stream_setup(session->stream, smtp_cfg.xforward_timeout, smtp_cfg.per_request_deadline);
    resp = smtp_chat_resp(state);
    if (resp->code / 100 != 2)
        msg_warn("host %s said: %s (in reply to %s)", session->namaddrport, smtp_oneline(resp->str),
                 command);
}

/* smtp_mail_command - MAIL FROM with its parameters */
static void smtp_mail_command(SMTP_STATE *state, VSTRING *tmp)
{
    DELIVER_REQUEST *request = state->request;
    SMTP_SESSION *session = state->session;
    VSTRING *cmd = vstring_alloc(100);

    vstring_sprintf(cmd, "MAIL FROM:<%s>", smtp_quote_addr(tmp, request->sender));
    if ((session->features & SMTP_FEATURE_SIZE) && request->data_size > 0)
        vstring_sprintf_append(cmd, " SIZE=%ld", request->data_size);
    if (session->features & SMTP_FEATURE_8BITMIME) {
        if (strcmp(request->encoding, "8bit") == 0)
            vstring_strcat(cmd, " BODY=8BITMIME");
        else if (strcmp(request->encoding, "7bit") == 0)
            vstring_strcat(cmd, " BODY=7BIT");
    }
    if ((session->features & SMTP_FEATURE_SMTPUTF8) &&
        (request->sendopts & SMTPUTF8_FLAG_REQUESTED))
        vstring_strcat(cmd, " SMTPUTF8");
    if (session->features & SMTP_FEATURE_DSN) {
        if (request->dsn_envid[0]) {
            xtext_quote(tmp, request->dsn_envid, "+=");
            vstring_sprintf_append(cmd, " ENVID=%s", vstring_str(tmp));
        }
        if (request->dsn_ret)
            vstring_sprintf_append(cmd, " RET=%s", dsn_ret_str(request->dsn_ret));
    }
    smtp_chat_cmd(session, "%s", vstring_str(cmd));
    vstring_free(cmd);
}

/* smtp_rcpt_command - RCPT TO with its parameters */
static void smtp_rcpt_command(SMTP_STATE *state, RECIPIENT *rcpt, VSTRING *tmp)
{
    SMTP_SESSION *session = state->session;
    VSTRING *cmd = vstring_alloc(100);
    VSTRING *tmp2;

    vstring_sprintf(cmd, "RCPT TO:<%s>", smtp_quote_addr(tmp, rcpt->address));
    if (session->features & SMTP_FEATURE_DSN) {
        if (rcpt->dsn_notify)
            vstring_sprintf_append(cmd, " NOTIFY=%s", dsn_notify_str(rcpt->dsn_notify));
        if (rcpt->dsn_orcpt[0]) {
            xtext_quote(tmp, rcpt->dsn_orcpt, "+=");
            vstring_sprintf_append(cmd, " ORCPT=%s", vstring_str(tmp));
        } else if (rcpt->orig_addr[0]) {
            tmp2 = vstring_alloc(100);
            quote_822_local(tmp, rcpt->orig_addr);
            vstring_sprintf(tmp2, "rfc822;%s", vstring_str(tmp));
            xtext_quote(tmp, vstring_str(tmp2), "+=");
            vstring_sprintf_append(cmd, " ORCPT=%s", vstring_str(tmp));
            vstring_free(tmp2);
        }
    }
    smtp_chat_cmd(session, "%s", vstring_str(cmd));
    vstring_free(cmd);
}

/* smtp_precheck - failures that need no conversation; -1 = message failed */
static int smtp_precheck(SMTP_STATE *state)
{
    DELIVER_REQUEST *request = state->request;
    SMTP_SESSION *session = state->session;
    SMTP_RESP fake;
    int n, utf8 = 0;

    if (session->size_limit > 0 && request->data_size > session->size_limit)
        return (smtp_mesg_fail(state, 0, smtp_fake_resp(&fake, "5.3.4"),
                               "message size %ld exceeds size limit %ld of server %s",
                               request->data_size, session->size_limit, session->namaddr));
    /*
     * Mail that needs SMTPUTF8 cannot go to a server without it. The need is
     * what cleanup recorded, or (when it recorded nothing) a non-ASCII
     * envelope address.
     */
    if ((request->sendopts & SMTPUTF8_FLAG_REQUESTED) &&
        (session->features & SMTP_FEATURE_SMTPUTF8) == 0) {
        utf8 =
            (request->sendopts & ~SMTPUTF8_FLAG_REQUESTED) != 0 || smtp_not_ascii(request->sender);
        for (n = 0; n < request->rcpt_list.len; n++)
            utf8 |= smtp_not_ascii(request->rcpt_list.info[n].address);
        if (utf8)
            return (smtp_mesg_fail(state, 0, smtp_fake_resp(&fake, "5.6.7"),
                                   "SMTPUTF8 is required, but was not offered by host %s",
                                   session->namaddr));
    }
    return (0);
}

/* The progress of one transaction. */
typedef struct SMTP_XFER {
    int *todo; /* recipient indexes, in RCPT order */
    int ntodo;
    int *accepted; /* recipient indexes with a 2xx RCPT reply */
    int naccepted;
    int mail_ok; /* MAIL FROM was accepted */
    int data_ok; /* DATA got 354 */
} SMTP_XFER;

/* smtp_reply_mail - handle the MAIL FROM reply */
static void smtp_reply_mail(SMTP_STATE *state, SMTP_XFER *xfer)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp;

    smtp_stream_setup(session->stream, smtp_cfg.mail_timeout, smtp_cfg.per_request_deadline);
    resp = smtp_chat_resp(state);
    if (resp->code / 100 == 2)
        xfer->mail_ok = 1;
    else
        (void)smtp_mesg_fail(state, session->host, resp, "host %s said: %s (in reply to %s)",
                             session->namaddr, smtp_oneline(resp->str), REPLY_TO_MAIL);
}

/* smtp_reply_rcpt - handle one RCPT TO reply */
static void smtp_reply_rcpt(SMTP_STATE *state, SMTP_XFER *xfer, int index)
{
    SMTP_SESSION *session = state->session;
    RECIPIENT *rcpt = state->request->rcpt_list.info + index;
    SMTP_RESP *resp;

    smtp_stream_setup(session->stream, smtp_cfg.rcpt_timeout, smtp_cfg.per_request_deadline);
    resp = smtp_chat_resp(state);
    if (!xfer->mail_ok || rcpt->u.status != SMTP_RCPT_TODO)
        return;
    if (resp->code / 100 == 2)
        xfer->accepted[xfer->naccepted++] = index;
    else
        smtp_rcpt_fail(state, rcpt, session->host, resp, "host %s said: %s (in reply to %s)",
                       session->namaddr, smtp_oneline(resp->str), REPLY_TO_RCPT);
}

/* smtp_reply_data - handle the DATA reply */
static void smtp_reply_data(SMTP_STATE *state, SMTP_XFER *xfer)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp;

    smtp_stream_setup(session->stream, smtp_cfg.data_init_timeout, smtp_cfg.per_request_deadline);
    resp = smtp_chat_resp(state);
    if (resp->code / 100 == 3) {
        if (xfer->mail_ok && xfer->naccepted > 0)
            xfer->data_ok = 1;
        else
            session->bad = 2; /* a 354 with nobody to send to: just hang up */
        return;
    }
    if (xfer->mail_ok && xfer->naccepted > 0)
        (void)smtp_mesg_fail(state, session->host, resp, "host %s said: %s (in reply to %s)",
                             session->namaddr, smtp_oneline(resp->str), REPLY_TO_DATA);
}

/* smtp_reply_dot - handle the reply(s) to the end of data */
static void smtp_reply_dot(SMTP_STATE *state, SMTP_XFER *xfer)
{
    SMTP_SESSION *session = state->session;
    SMTP_RESP *resp;
    RECIPIENT *rcpt;
    int n, count = smtp_cfg.lmtp ? xfer->naccepted : 1;

    for (n = 0; n < count; n++) {
        smtp_stream_setup(session->stream, smtp_cfg.data_done_timeout,
                          smtp_cfg.per_request_deadline);
        resp = smtp_chat_resp(state);
        if (smtp_cfg.lmtp) {
            rcpt = state->request->rcpt_list.info + xfer->accepted[n];
            if (rcpt->u.status != SMTP_RCPT_TODO)
                continue;
            if (resp->code / 100 == 2)
                smtp_rcpt_done(state, resp, rcpt);
            else
                smtp_rcpt_fail(state, rcpt, session->host, resp,
                               "host %s said: %s (in reply to %s)", session->namaddr,
                               smtp_oneline(resp->str), REPLY_TO_DOT);
        } else if (resp->code / 100 == 2) {
            for (count = 0; count < xfer->naccepted; count++) {
                rcpt = state->request->rcpt_list.info + xfer->accepted[count];
                if (rcpt->u.status == SMTP_RCPT_TODO)
                    smtp_rcpt_done(state, resp, rcpt);
            }
            break;
        } else {
            (void)smtp_mesg_fail(state, session->host, resp, "host %s said: %s (in reply to %s)",
                                 session->namaddr, smtp_oneline(resp->str), REPLY_TO_DOT);
        }
    }
}

/* smtp_xfer_run - the conversation; raises stream exceptions */
static void smtp_xfer_run(SMTP_STATE *state, SMTP_XFER *xfer, const char *volatile *where,
                          int downgrade)
{
    SMTP_SESSION *session = state->session;
    DELIVER_REQUEST *request = state->request;
    int pipelining = (session->features & SMTP_FEATURE_PIPELINING) != 0;
    VSTRING *tmp = vstring_alloc(100);
    int xfwd[2];
    int n;

    /* Commands: XFORWARD (when the server takes it), MAIL, RCPT per recipient, DATA. */
    for (n = 1; n <= 2; n++) {
        *where = (n == 1 ? WHERE_XFWD1 : WHERE_XFWD2);
        smtp_stream_setup(session->stream, smtp_cfg.xforward_timeout,
                          smtp_cfg.per_request_deadline);
        if ((xfwd[n - 1] = smtp_xforward_command(state, n)) != 0 && !pipelining) {
            smtp_flush(session->stream);
            smtp_reply_xforward(state, n == 1 ? REPLY_TO_XFWD1 : REPLY_TO_XFWD2);
        }
    }
    *where = WHERE_MAIL;
    smtp_stream_setup(session->stream, smtp_cfg.mail_timeout, smtp_cfg.per_request_deadline);
    smtp_mail_command(state, tmp);
    if (!pipelining) {
        smtp_flush(session->stream);
        smtp_reply_mail(state, xfer);
    }
    for (n = 0; n < xfer->ntodo && (pipelining || xfer->mail_ok); n++) {
        *where = WHERE_RCPT;
        smtp_stream_setup(session->stream, smtp_cfg.rcpt_timeout, smtp_cfg.per_request_deadline);
        smtp_rcpt_command(state, request->rcpt_list.info + xfer->todo[n], tmp);
        if (!pipelining) {
            smtp_flush(session->stream);
            smtp_reply_rcpt(state, xfer, xfer->todo[n]);
        }
    }
    if (pipelining || xfer->naccepted > 0) {
        *where = WHERE_DATA;
        smtp_stream_setup(session->stream, smtp_cfg.data_init_timeout,
                          smtp_cfg.per_request_deadline);
        smtp_chat_cmd(session, "DATA");
        smtp_flush(session->stream);
        if (pipelining) {
            for (n = 1; n <= 2; n++) {
                if (xfwd[n - 1]) {
                    *where = (n == 1 ? WHERE_XFWD1 : WHERE_XFWD2);
                    smtp_reply_xforward(state, n == 1 ? REPLY_TO_XFWD1 : REPLY_TO_XFWD2);
                }
            }
            *where = WHERE_MAIL;
            smtp_reply_mail(state, xfer);
            *where = WHERE_RCPT;
            for (n = 0; n < xfer->ntodo; n++)
                smtp_reply_rcpt(state, xfer, xfer->todo[n]);
            *where = WHERE_DATA;
        }
        smtp_reply_data(state, xfer);
    }
    vstring_free(tmp);
    if (!xfer->data_ok)
        return;

    /* The message, then the end of data. */
    *where = WHERE_BODY;
    smtp_stream_setup(session->stream, smtp_cfg.data_xfer_timeout, smtp_cfg.per_request_deadline);
    if (smtp_send_body(state, downgrade) < 0) {
        /* Without the dot the server discards the partial message. */
        SMTP_RESP fake;

        session->bad = 1;
        smtp_mesg_fail(state, 0, smtp_fake_resp(&fake, "4.3.0"), "error reading message file");
        return;
    }
    *where = WHERE_DOT;
    /* A PIX firewall may mangle a "." that arrives with the content of a message
     * that has been waiting long: send it on its own, after a pause. */
    if ((session->features & SMTP_FEATURE_PIX_DELAY_DOTCRLF) &&
        time(0) - request->msg_stats.incoming_arrival.tv_sec > smtp_cfg.pix_threshold_time) {
        smtp_flush(session->stream);
        sleep(smtp_cfg.pix_delay_time);
    }
    smtp_chat_cmd(session, ".");
    smtp_flush(session->stream);
    smtp_reply_dot(state, xfer);
    xfer->mail_ok = 0; /* the transaction is over */
}

/* smtp_xfer - one mail transaction for the unmarked recipients */
int smtp_xfer(SMTP_STATE *state)
{
    DELIVER_REQUEST *request = state->request;
    SMTP_SESSION *session = state->session;
    SMTP_XFER xfer;
    jmp_buf jbuf;
    const char *volatile where = WHERE_MAIL;
    int downgrade;
    int except;
    int n;

    if (smtp_precheck(state) < 0)
        return (0);
    downgrade = (session->features & SMTP_FEATURE_8BITMIME) == 0 &&
                strcmp(request->encoding, "8bit") == 0 && !var_disable_mime_output_conversion;
    memset(&xfer, 0, sizeof(xfer));
    xfer.todo = (int *)mymalloc(sizeof(int) * (request->rcpt_list.len + 1));
    xfer.accepted = (int *)mymalloc(sizeof(int) * (request->rcpt_list.len + 1));
    for (n = 0; n < request->rcpt_list.len; n++)
        if (request->rcpt_list.info[n].u.status == SMTP_RCPT_TODO)
            xfer.todo[xfer.ntodo++] = n;
    if (xfer.ntodo > 0) {
        if ((except = smtp_stream_setjmp(session->stream, &jbuf)) != 0) {
            smtp_stream_disarm(session->stream);
            session->bad = 1;
            (void)smtp_stream_except(state, except, where);
        } else {
            smtp_xfer_run(state, &xfer, &where, downgrade);
            smtp_stream_disarm(session->stream);
            /* MAIL accepted but no data sent: end the transaction before reuse. */
            if (xfer.mail_ok && !session->bad && smtp_rset(state) < 0)
                session->bad = 1;
        }
    }
    myfree(xfer.todo);
    myfree(xfer.accepted);
    session->reuse_count++;
    return (session->bad ? -1 : 0);
}

/* smtp_rset - end a transaction; -1 when the session is no longer usable */
int smtp_rset(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    jmp_buf jbuf;
    int ok;

    if (smtp_stream_setjmp(session->stream, &jbuf) != 0) {
        smtp_stream_disarm(session->stream);
        session->bad = 1;
        return (-1);
    }
    smtp_stream_setup(session->stream, smtp_cfg.rset_timeout, 0);
    smtp_chat_cmd(session, "RSET");
    smtp_flush(session->stream);
    ok = (smtp_chat_resp(state)->code / 100 == 2);
    smtp_stream_disarm(session->stream);
    if (!ok)
        session->bad = 1;
    return (ok ? 0 : -1);
}

/* smtp_quit - say goodbye; errors do not matter any more */
void smtp_quit(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    jmp_buf jbuf;

    if (vstream_ferror(session->stream) || vstream_feof(session->stream))
        return;
    if (smtp_stream_setjmp(session->stream, &jbuf) != 0) {
        smtp_stream_disarm(session->stream);
        return;
    }
    smtp_stream_setup(session->stream, smtp_cfg.quit_timeout, 0);
    smtp_chat_cmd(session, "QUIT");
    smtp_flush(session->stream);
    if (!smtp_cfg.skip_quit_response)
        (void)smtp_chat_resp(state);
    smtp_stream_disarm(session->stream);
}
