/*
 * smtpd_data - the message transaction's hand-off to cleanup: opening the
 * stream with the envelope, the DATA and BDAT commands, the Received:
 * header, and the end of the transaction.
 *
 * Exports smtpd_open_stream(state) (at the first accepted recipient: 0, or
 * -1 after a 451 reply), smtpd_data_cmd() and smtpd_bdat_cmd() (0 after a
 * 2xx/354 conversation, -1 after an error reply) and smtpd_mail_reset()
 * (abandon whatever transaction is open).
 *
 * Message content goes to cleanup as records: a line that is longer than
 * line_length_limit becomes REC_TYPE_CONT pieces and a REC_TYPE_NORM end.
 * End of DATA is "." on a line that follows a line end, both ended with
 * <CR><LF>; with smtpd_forbid_bare_newline = no a bare <LF> counts as a
 * line end too (Postfix 3.7's default). A bare <CR> never ends a line.
 * Once something went wrong (size, cleanup write error) the rest of the
 * content is read and dropped, and the reply comes at the end.
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "attr.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "dsn_mask.h"
#include "input_transp.h"
#include "mail_date.h"
#include "mail_error.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "smtp_stream.h"
#include "smtpd_check.h"
#include "smtpd_int.h"
#include "stringops.h"

#define SMTPD_AFTER_DATA "DATA content"
#define SMTPD_AFTER_BDAT "BDAT content"

/* The envelope attribute records; a null value is left out. */
static void put_attr(VSTREAM *fp, const char *name, const char *value)
{
    if (value)
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%s", name, value);
}

/* open_envelope - the records that precede the recipients */
static void open_envelope(SMTPD_STATE *state)
{
    VSTREAM *fp = state->cleanup;
    SMTPD_XFORWARD *xf = &state->xforward;

    if (!SMTPD_STAND_ALONE(state)) {
        rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", (long)state->start_time.tv_sec,
                    (long)state->start_time.tv_usec);
        if (*var_content_filter)
            rec_fprintf(fp, REC_TYPE_FILT, "%s", var_content_filter);
        put_attr(fp, MAIL_ATTR_LOG_IDENT, xf->ident);
        put_attr(fp, MAIL_ATTR_RWR_CONTEXT, xf->domain ? xf->domain : state->rewrite_context);
    }
    /* For postdrop (stand-alone mode) the sender must come first. */
    rec_fputs(fp, REC_TYPE_FROM, state->sender);
    put_attr(fp, MAIL_ATTR_DSN_ENVID, state->dsn_envid);
    if (state->dsn_ret)
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_RET, state->dsn_ret);
    put_attr(fp, MAIL_ATTR_ENCODING, state->encoding);
    if (!SMTPD_STAND_ALONE(state)) {
        put_attr(fp, MAIL_ATTR_LOG_CLIENT_NAME, xf->name ? xf->name : state->name);
        put_attr(fp, MAIL_ATTR_LOG_CLIENT_ADDR, xf->addr ? xf->addr : state->addr);
        put_attr(fp, MAIL_ATTR_LOG_CLIENT_PORT, xf->port ? xf->port : state->port);
        put_attr(fp, MAIL_ATTR_LOG_ORIGIN, SMTPD_PROXY_NAMADDR(state));
        put_attr(fp, MAIL_ATTR_LOG_HELO_NAME, xf->helo_name ? xf->helo_name : state->helo_name);
        put_attr(fp, MAIL_ATTR_LOG_PROTO_NAME, xf->protocol ? xf->protocol : state->protocol);
        put_attr(fp, MAIL_ATTR_ACT_CLIENT_NAME, state->name);
        put_attr(fp, MAIL_ATTR_ACT_REVERSE_CLIENT_NAME, state->reverse_name);
        put_attr(fp, MAIL_ATTR_ACT_CLIENT_ADDR, state->addr);
        put_attr(fp, MAIL_ATTR_ACT_CLIENT_PORT, state->port);
        put_attr(fp, MAIL_ATTR_ACT_SERVER_ADDR, state->dest_addr);
        put_attr(fp, MAIL_ATTR_ACT_SERVER_PORT, state->dest_port);
        rec_fprintf(fp, REC_TYPE_ATTR, "%s=%u", MAIL_ATTR_ACT_CLIENT_AF,
                    (unsigned)state->addr_family);
        put_attr(fp, MAIL_ATTR_ACT_HELO_NAME, state->helo_name);
        put_attr(fp, MAIL_ATTR_ACT_PROTO_NAME, state->protocol);
    }
    if (state->verp_delims)
        rec_fputs(fp, REC_TYPE_VERP, state->verp_delims);
}

/* smtpd_open_stream - connect to cleanup (or postdrop) and send the envelope */
int smtpd_open_stream(SMTPD_STATE *state)
{
    int flags;
    VSTRING *buf;

    if (SMTPD_STAND_ALONE(state)) {
        buf = vstring_alloc(100);
        vstring_sprintf(buf, "%s/postdrop -r", var_command_directory);
        state->dest = mail_stream_command(vstring_str(buf));
        vstring_free(buf);
    } else {
        flags = input_transp_cleanup(CLEANUP_FLAG_MASK_EXTERNAL, smtpd_config.input_transp);
        if (state->flags & SMTPD_FLAG_SMTPUTF8)
            flags |= CLEANUP_FLAG_SMTPUTF8;
        state->dest = mail_stream_service(MAIL_CLASS_PUBLIC, var_cleanup_service_name);
        if (state->dest != 0 &&
            attr_print(state->dest->stream, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags),
                       ATTR_TYPE_END) != 0) {
            mail_stream_cleanup(state->dest);
            state->dest = 0;
        }
    }
    if (state->dest == 0) {
        msg_warn("unable to connect to the %s %s service", MAIL_CLASS_PUBLIC,
                 SMTPD_STAND_ALONE(state) ? "postdrop" : var_cleanup_service_name);
        state->error_mask |= MAIL_ERROR_RESOURCE;
        smtpd_chat_reply(state, "451 4.3.0 Error: queue file write error");
        return (-1);
    }
    state->cleanup = state->dest->stream;
    state->queue_id = mystrdup(state->dest->id);
    if (!SMTPD_STAND_ALONE(state)) {
        buf = vstring_alloc(100);
        if (state->xforward.ident)
            vstring_sprintf_append(buf, ", orig_queue_id=%s", state->xforward.ident);
        if (state->xforward.namaddr)
            vstring_sprintf_append(buf, ", orig_client=%s", state->xforward.namaddr);
        msg_info("%s: client=%s%s", state->queue_id, state->namaddr, vstring_str(buf));
        vstring_free(buf);
    }
    open_envelope(state);
    return (0);
}

/* smtpd_mail_reset - end the transaction, abandoning an unfinished message */
void smtpd_mail_reset(SMTPD_STATE *state)
{
    char **strs[] = {&state->sender,       &state->recipient,      &state->queue_id,
                     &state->verp_delims,  &state->dsn_envid,      &state->dsn_orcpt,
                     &state->saved_filter, &state->saved_redirect, 0};
    int i;

    if (state->dest) {
        mail_stream_cleanup(state->dest);
        state->dest = 0;
    }
    state->cleanup = 0;
    for (i = 0; strs[i]; i++) {
        if (*strs[i])
            myfree(*strs[i]);
        *strs[i] = 0;
    }
    if (state->saved_bcc)
        argv_free(state->saved_bcc);
    if (state->prepend)
        argv_free(state->prepend);
    state->saved_bcc = state->prepend = 0;
    state->saved_flags = state->saved_delay = state->discard = 0;
    state->encoding = 0;
    state->dsn_ret = state->dsn_notify = 0;
    state->rcpt_count = state->rcpt_overshoot = 0;
    state->msg_size = state->act_size = 0;
    state->err = CLEANUP_STAT_OK;
    state->flags &= ~SMTPD_FLAG_SMTPUTF8;
    if (smtpd_session)
        smtpd_session->bdat_active = smtpd_session->bdat_error = 0;
    smtpd_xforward_reset(state);
}

/*
 * put_saved_actions - what the checks asked for so far. Before the content
 * (at_end = 0) that is FILTER, REDIRECT and the HOLD/DISCARD flags; at the
 * start of the extracted segment (at_end = 1) the same again, now with
 * what the end-of-data restrictions added, and the BCC recipients, which
 * cleanup adds as recipients that never get a DSN.
 */
static void put_saved_actions(SMTPD_STATE *state, int at_end)
{
    VSTREAM *fp = state->cleanup;
    char **cpp;

    if (state->saved_filter)
        rec_fprintf(fp, REC_TYPE_FILT, "%s", state->saved_filter);
    if (state->saved_redirect)
        rec_fprintf(fp, REC_TYPE_RDR, "%s", state->saved_redirect);
    if (at_end && state->saved_bcc)
        for (cpp = state->saved_bcc->argv; *cpp; cpp++) {
            rec_fprintf(fp, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_NOTIFY, DSN_NOTIFY_NEVER);
            rec_fputs(fp, REC_TYPE_RCPT, *cpp);
        }
    if (state->discard)
        state->saved_flags |= CLEANUP_FLAG_DISCARD;
    if (!at_end && smtpd_config.milter_hold && !SMTPD_STAND_ALONE(state))
        state->saved_flags |= CLEANUP_FLAG_HOLD;
    if (state->saved_flags)
        rec_fprintf(fp, REC_TYPE_FLGS, "%d", state->saved_flags);
    if (state->saved_delay)
        rec_fprintf(fp, REC_TYPE_DELAY, "%d", state->saved_delay);
}

/* put_received - the Received: header, as Postfix writes it */
static void put_received(SMTPD_STATE *state)
{
    VSTREAM *fp = state->cleanup;
    const char *proto = state->protocol;
    const char *date = mail_date(state->start_time.tv_sec);
    VSTRING *buf;

    if (state->flags & SMTPD_FLAG_SMTPUTF8)
        proto = "UTF8SMTP";
    rec_fprintf(fp, REC_TYPE_NORM, "Received: from %s (%s [%s])",
                state->helo_name ? state->helo_name : state->name, state->name, state->rfc_addr);
    if (state->rcpt_count == 1 && state->recipient) {
        rec_fprintf(fp, REC_TYPE_NORM, "\tby %s (%s) with %s%s%s id %s", var_myhostname,
                    var_mail_name, proto, "", "", state->queue_id);
        buf = vstring_alloc(100);
        quote_822_local(buf, state->recipient);
        rec_fprintf(fp, REC_TYPE_NORM, "\tfor <%s>; %s", vstring_str(buf), date);
        vstring_free(buf);
    } else {
        rec_fprintf(fp, REC_TYPE_NORM, "\tby %s (%s) with %s%s%s id %s;", var_myhostname,
                    var_mail_name, proto, "", "", state->queue_id);
        rec_fprintf(fp, REC_TYPE_NORM, "\t%s", date);
    }
}

/* data_start - checks and the records before the content; 0 or -1 after a reply */
static int data_start(SMTPD_STATE *state)
{
    char *err;
    char **cpp;

    if (!SMTPD_STAND_ALONE(state) && (err = smtpd_check_data(state)) != 0) {
        state->error_mask |= MAIL_ERROR_POLICY;
        smtpd_chat_reply(state, "%s", err);
        return (-1);
    }
    put_saved_actions(state, 0);
    rec_fputs(state->cleanup, REC_TYPE_MESG, "");
    if (state->prepend)
        for (cpp = state->prepend->argv; *cpp; cpp++)
            rec_fprintf(state->cleanup, REC_TYPE_NORM, "%s", *cpp);
    put_received(state);
    return (0);
}

/* Content line assembly, shared by DATA and BDAT. */
typedef struct DATA_OUT {
    int first;    /* no complete line yet */
    int complete; /* the last record ended a line */
} DATA_OUT;

/* data_put - one piece of content; partial pieces are continued lines */
static void data_put(SMTPD_STATE *state, DATA_OUT *out, const char *text, ssize_t len, int partial)
{
    int type = partial ? REC_TYPE_CONT : REC_TYPE_NORM;

    state->act_size += len + (partial ? 0 : 2);
    if (state->err != CLEANUP_STAT_OK)
        return;
    if (var_message_size_limit > 0 && state->act_size > var_message_size_limit) {
        state->err |= CLEANUP_STAT_SIZE;
        msg_warn("%s: queue file size limit exceeded", state->queue_id);
        return;
    }
    /* An mbox "From " first line becomes a header. */
    if (out->first && out->complete && !partial && len >= 5 &&
        strncmp(text + strspn(text, ">"), "From ", 5) == 0) {
        rec_fprintf(state->cleanup, REC_TYPE_NORM, "X-Mailbox-Line: %.*s", (int)len, text);
    } else {
        rec_put(state->cleanup, type, text, len);
    }
    out->first = 0;
    out->complete = !partial;
    if (vstream_ferror(state->cleanup))
        state->err |= CLEANUP_STAT_WRITE;
}

/* data_read - read DATA content up to the end-of-data line */
static void data_read(SMTPD_STATE *state)
{
    static VSTRING *buf;
    DATA_OUT out = {1, 1};
    int last;
    int prev_end = SMTP_LINE_CRLF;
    int mode = smtpd_session->bare_lf_mode;
    int pending_cr = 0;
    const char *text;
    ssize_t len;

    /* Static: a lost connection leaves this function by longjmp. */
    if (buf == 0)
        buf = vstring_alloc(var_line_length_limit + 2);
    for (;;) {
        last = smtp_get(buf, state->client, var_line_length_limit, SMTP_GET_FLAG_NONE);
        if (pending_cr) {
            /* A line that was split between its <CR> and its <LF>. */
            pending_cr = 0;
            if (last == '\n' && VSTRING_LEN(buf) == 0) {
                smtp_line_end = SMTP_LINE_CRLF;
            } else {
                vstring_strcpy(state->addr_buf, "\r");
                vstring_strcat(state->addr_buf, vstring_str(buf));
                vstring_strcpy(buf, vstring_str(state->addr_buf));
            }
        }
        if (last != '\n' && VSTRING_LEN(buf) > 0 && vstring_end(buf)[-1] == '\r') {
            vstring_truncate(buf, VSTRING_LEN(buf) - 1);
            pending_cr = 1;
        }
        text = vstring_str(buf);
        len = VSTRING_LEN(buf);
        if (last == '\n' && smtp_line_end == SMTP_LINE_BARE_LF) {
            state->flags |= SMTPD_FLAG_BARE_LF;
            if (mode == BARE_LF_REJECT)
                state->err |= CLEANUP_STAT_BARE_LF;
        }
        if (out.complete && last == '\n' && len == 1 && *text == '.' &&
            (mode == BARE_LF_ALLOW ||
             (smtp_line_end == SMTP_LINE_CRLF && prev_end == SMTP_LINE_CRLF)))
            break;
        if (out.complete && *text == '.') {
            text++;
            len--;
        }
        data_put(state, &out, text, len, last != '\n');
        if (last == '\n')
            prev_end = smtp_line_end;
    }
}

/* data_finish - end-of-data checks, commit, and the reply */
static int data_finish(SMTPD_STATE *state, long bdat_total)
{
    VSTRING *why = vstring_alloc(100);
    const CLEANUP_STAT_DETAIL *detail;
    char *err = 0;
    int status;

    state->where = SMTPD_AFTER_EOM;
    if (state->err == CLEANUP_STAT_OK && !SMTPD_STAND_ALONE(state))
        err = smtpd_check_eod(state);
    if (err == 0 && state->err == CLEANUP_STAT_OK) {
        rec_fputs(state->cleanup, REC_TYPE_XTRA, "");
        if (!SMTPD_STAND_ALONE(state))
            put_saved_actions(state, 1);
        rec_fputs(state->cleanup, REC_TYPE_END, "");
        status = mail_stream_finish(state->dest, why);
        state->dest = 0;
        state->cleanup = 0;
    } else {
        status = state->err;
    }
    if (err != 0) {
        smtpd_chat_reply(state, "%s", err);
    } else if (status == CLEANUP_STAT_OK) {
        if (bdat_total >= 0)
            smtpd_chat_reply(state, "250 2.0.0 Ok: %ld bytes queued as %s", bdat_total,
                             state->queue_id);
        else
            smtpd_chat_reply(state, "250 2.0.0 Ok: queued as %s", state->queue_id);
        state->error_count = 0;
        state->junk_cmds = 0;
    } else if (status & CLEANUP_STAT_BARE_LF) {
        vstring_sprintf(why, "%d 5.5.2 Error: bare <LF> received",
                        var_smtpd_forbid_bare_newline_reject_code);
        smtpd_log_reject(state, "reject", vstring_str(why));
        smtpd_chat_reply(state, "%s", vstring_str(why));
        if (var_smtpd_forbid_bare_newline_reject_code == 521)
            state->flags |= SMTPD_FLAG_HANGUP;
    } else if ((status & (CLEANUP_STAT_CONT | CLEANUP_STAT_DEFER)) && VSTRING_LEN(why) > 0) {
        detail = cleanup_stat_detail(status & (CLEANUP_STAT_CONT | CLEANUP_STAT_DEFER));
        smtpd_chat_reply(state, "%d %s", *vstring_str(why) == '4' ? 451 : detail->smtp,
                         vstring_str(why));
    } else {
        detail = cleanup_stat_detail(status);
        smtpd_chat_reply(state, "%d %s Error: %s", detail->smtp, detail->dsn, detail->text);
    }
    if (err != 0 || (status & (CLEANUP_STAT_CONT | CLEANUP_STAT_NOPERM)))
        state->error_mask |= MAIL_ERROR_POLICY;
    if (status & CLEANUP_STAT_BAD)
        state->error_mask |= MAIL_ERROR_SOFTWARE;
    if (status & (CLEANUP_STAT_WRITE | CLEANUP_STAT_PROXY | CLEANUP_STAT_DEFER))
        state->error_mask |= MAIL_ERROR_RESOURCE;
    if (status & (CLEANUP_STAT_SIZE | CLEANUP_STAT_HOPS | CLEANUP_STAT_RCPT))
        state->error_mask |= MAIL_ERROR_BOUNCE;
    if (status & CLEANUP_STAT_BARE_LF)
        state->error_mask |= MAIL_ERROR_PROTOCOL;
    vstring_free(why);
    smtpd_notify_trim(state);
    smtpd_mail_reset(state);
    return (err == 0 && status == CLEANUP_STAT_OK ? 0 : -1);
}

/* no_recipients - DATA/BDAT before a valid RCPT; -1 after a reply */
static int no_recipients(SMTPD_STATE *state)
{
    if (state->sender == 0)
        smtpd_chat_reply(state, "503 5.5.1 Error: need RCPT command");
    else
        smtpd_chat_reply(state, "554 5.5.1 Error: no valid recipients");
    return (-1);
}

/* smtpd_data_cmd - DATA */
int smtpd_data_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    if (state->rcpt_count == 0)
        return (no_recipients(state));
    if (argc != 1) {
        smtpd_chat_reply(state, "501 5.5.4 Syntax: DATA");
        return (-1);
    }
    if (smtpd_session->bdat_active) {
        smtpd_chat_reply(state, "503 5.5.1 Error: DATA after BDAT");
        return (-1);
    }
    if (data_start(state) < 0)
        return (-1);
    smtpd_chat_reply(state, "354 End data with <CR><LF>.<CR><LF>");
    smtp_flush(state->client);
    state->where = SMTPD_AFTER_DATA;
    data_read(state);
    return (data_finish(state, -1));
}

/* BDAT content: lines carried over between chunks. */
static VSTRING *bdat_line;
static DATA_OUT bdat_out;
static long bdat_bytes;

/* bdat_take - turn chunk bytes into content records */
static void bdat_take(SMTPD_STATE *state, const char *data, ssize_t len)
{
    ssize_t i;
    ssize_t n;

    for (i = 0; i < len; i++) {
        if (data[i] == '\n') {
            n = VSTRING_LEN(bdat_line);
            if (n > 0 && vstring_str(bdat_line)[n - 1] == '\r') {
                vstring_truncate(bdat_line, n - 1);
            } else {
                state->flags |= SMTPD_FLAG_BARE_LF;
                if (smtpd_session->bare_lf_mode == BARE_LF_REJECT)
                    state->err |= CLEANUP_STAT_BARE_LF;
            }
            data_put(state, &bdat_out, vstring_str(bdat_line), VSTRING_LEN(bdat_line), 0);
            VSTRING_RESET(bdat_line);
            VSTRING_TERMINATE(bdat_line);
            continue;
        }
        VSTRING_ADDCH(bdat_line, data[i]);
        /* Keep a trailing <CR>: the <LF> may come in the next piece. */
        if ((ssize_t)VSTRING_LEN(bdat_line) > var_line_length_limit) {
            data_put(state, &bdat_out, vstring_str(bdat_line), VSTRING_LEN(bdat_line) - 1, 1);
            vstring_strcpy(bdat_line, vstring_end(bdat_line) - 1);
        }
    }
    VSTRING_TERMINATE(bdat_line);
}

/* bdat_skip - read and drop a chunk that will not be used */
static void bdat_skip(SMTPD_STATE *state, long count)
{
    char buf[4096];
    long n;

    for (; count > 0; count -= n) {
        n = count > (long)sizeof(buf) ? (long)sizeof(buf) : count;
        smtp_fread_buf(buf, n, state->client);
    }
}

/* bdat_read - read one chunk into the message */
static void bdat_read(SMTPD_STATE *state, long count)
{
    char buf[4096];
    long n;

    state->where = SMTPD_AFTER_BDAT;
    for (; count > 0; count -= n) {
        n = count > (long)sizeof(buf) ? (long)sizeof(buf) : count;
        smtp_fread_buf(buf, n, state->client);
        bdat_take(state, buf, n);
    }
    state->where = "BDAT";
}

/* bdat_syntax - "BDAT count [LAST]": the count, or -1 */
static long bdat_syntax(int argc, char **argv, int *last)
{
    char *end;
    long count;

    if (argc < 2 || argc > 3 || !alldig(argv[1]) || strlen(argv[1]) > 15)
        return (-1);
    if (argc == 3 && strcasecmp(argv[2], "LAST") != 0)
        return (-1);
    count = strtol(argv[1], &end, 10);
    *last = (argc == 3);
    return (count);
}

/* smtpd_bdat_cmd - BDAT count [LAST] (RFC 3030 CHUNKING) */
int smtpd_bdat_cmd(SMTPD_STATE *state, int argc, char **argv)
{
    long count;
    int last;
    long total;

    if (smtpd_session->ehlo_discard_mask & EHLO_MASK_CHUNKING) {
        smtpd_chat_reply(state, "521 5.5.1 Error: command not implemented");
        state->flags |= SMTPD_FLAG_HANGUP;
        return (-1);
    }
    if ((count = bdat_syntax(argc, argv, &last)) < 0) {
        msg_warn("%s: malformed BDAT command syntax from %s: %.100s",
                 state->queue_id ? state->queue_id : "NOQUEUE", state->namaddr,
                 argc > 1 ? argv[1] : "");
        smtpd_chat_reply(state, "521 5.5.4 Syntax: BDAT count [LAST]");
        state->flags |= SMTPD_FLAG_HANGUP;
        return (-1);
    }
    if (smtpd_session->bdat_error) {
        bdat_skip(state, count);
        smtpd_chat_reply(state, "551 5.0.0 Discarded %ld bytes after earlier error", count);
        if (last)
            smtpd_mail_reset(state);
        return (-1);
    }
    if (state->rcpt_count == 0) {
        bdat_skip(state, count);
        return (no_recipients(state));
    }
    if (count == 0 && !last) {
        msg_info("%s: null BDAT request from %s", state->queue_id, state->namaddr);
        smtpd_chat_reply(state, "551 5.7.1 Null BDAT request");
        smtpd_session->bdat_error = 1;
        return (-1);
    }
    if (!smtpd_session->bdat_active) {
        if (data_start(state) < 0) {
            bdat_skip(state, count);
            smtpd_session->bdat_error = !last;
            return (-1);
        }
        smtpd_session->bdat_active = 1;
        if (bdat_line == 0)
            bdat_line = vstring_alloc(100);
        VSTRING_RESET(bdat_line);
        VSTRING_TERMINATE(bdat_line);
        bdat_out.first = bdat_out.complete = 1;
        bdat_bytes = 0;
    }
    if (var_message_size_limit > 0 && bdat_bytes + count > var_message_size_limit) {
        msg_info("%s: BDAT request from %s exceeds message size limit", state->queue_id,
                 state->namaddr);
        bdat_skip(state, count);
        smtpd_chat_reply(state, "552 5.3.4 Chunk exceeds message size limit");
        smtpd_session->bdat_error = !last;
        if (last)
            smtpd_mail_reset(state);
        return (-1);
    }
    bdat_read(state, count);
    bdat_bytes += count;
    if (!last) {
        smtpd_chat_reply(state, "250 2.0.0 Ok: %ld bytes", count);
        return (0);
    }
    if (VSTRING_LEN(bdat_line) > 0)
        data_put(state, &bdat_out, vstring_str(bdat_line), VSTRING_LEN(bdat_line), 0);
    total = bdat_bytes;
    return (data_finish(state, total));
}
