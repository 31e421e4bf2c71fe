/*
 * cleanup_message - the content segment: headers and body.
 *
 * The M record starts the segment; every N/L record goes through the MIME
 * parser, which calls back with whole headers and with body lines. A
 * header is inspected (header_checks for the message header,
 * mime_header_checks for MIME headers, nested_header_checks for headers of
 * attached messages), counted (Received: for hopcount_limit), logged
 * (Message-ID), rewritten when it holds addresses, or dropped (Bcc:,
 * Return-Path:, Content-Length: and the like), otherwise copied with its
 * folding intact. At the end of the message header, missing Message-Id:,
 * Date:, From: and (undisclosed_recipients_header) To: headers are added
 * when the client is local or always_add_missing_headers is set. Body
 * lines go through body_checks for the first body_checks_size_limit bytes
 * of each body part. The X record ends the segment. Along the way the
 * first Return-Receipt-To: and Errors-To: addresses are kept for the
 * extracted segment, and a header with 8-bit text sets the SMTPUTF8
 * "header" bit when the client asked for autodetection.
 *
 * Failures are recorded in state->errs with the reason for the client:
 * a MIME error that the strict_* settings ask about rejects the message.
 */

#include <ctype.h>
#include <string.h>
#include <time.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "is_header.h"
#include "mail_date.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "stringops.h"

#define HDR_BIT(type) (((uint64_t) 1) << (type))

/* cleanup_tree_internal - a copy of an address in internal form */
static char *cleanup_tree_internal(CLEANUP_STATE *state, TOK822 *addr)
{
    tok822_internalize(state->temp2, addr->head, TOK822_STR_DEFL);
    return (mystrdup(vstring_str(state->temp2)));
}

/* cleanup_header_addresses - rewrite and map the addresses of one header */
static void cleanup_header_addresses(CLEANUP_STATE *state, const HEADER_OPTS *opts,
                                     VSTRING *header, int is_sender)
{
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 **tpp;
    int changed = 0;
    int class = is_sender ? CLEANUP_CLASS_HDR_FROM : CLEANUP_CLASS_HDR_RCPT;
    MAPS *own = is_sender ? cleanup_send_canon_maps : cleanup_rcpt_canon_maps;
    int own_flags = is_sender ? cleanup_send_canon_flags : cleanup_rcpt_canon_flags;
    int prop = cleanup_ext_prop_mask & CLEANUP_EXT_PROP_CANONICAL;
    size_t name_len = strlen(opts->name);

    tree = tok822_parse_limit(vstring_str(header) + name_len + 1, var_header_address_token_limit);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (tpp = addrs; *tpp; tpp++) {
        changed |= cleanup_rewrite_tree(state->hdr_rewrite_context, *tpp);
        if (state->flags & CLEANUP_FLAG_MAP_OK) {
            if (own && (own_flags & class))
                changed |= cleanup_map11_tree(state, *tpp, own, prop);
            if (cleanup_comm_canon_maps && (cleanup_comm_canon_flags & class))
                changed |= cleanup_map11_tree(state, *tpp, cleanup_comm_canon_maps, prop);
            if (cleanup_masq_domains && (cleanup_masq_flags & class))
                changed |= cleanup_masquerade_tree(state, *tpp, cleanup_masq_domains);
        }
        /* The first address of these headers goes into the extracted segment. */
        if (opts->type == HDR_RETURN_RECEIPT_TO && state->return_receipt == 0)
            state->return_receipt = cleanup_tree_internal(state, *tpp);
        if (opts->type == HDR_ERRORS_TO && state->errors_to == 0)
            state->errors_to = cleanup_tree_internal(state, *tpp);
    }
    if (changed) {
        vstring_truncate(header, name_len);
        vstring_strcat(header, ": ");
        tok822_externalize(header, tree, TOK822_STR_HEAD);
    }
    myfree(addrs);
    tok822_free_tree(tree);
    if ((opts->flags & HDR_OPT_DROP) == 0) {
        if (changed)
            cleanup_fold_header(state, header);
        else
            cleanup_out_header(state, header);
    }
}

/* cleanup_header_inspect - header checks; 0 when the header is dropped */
static int cleanup_header_inspect(CLEANUP_STATE *state, int header_class,
                                  const HEADER_OPTS **optsp, VSTRING *header)
{
    MAPS *checks = 0;
    const char *map_class = 0;
    const char *value;
    const char *result;

    if (*optsp && ((*optsp)->flags & HDR_OPT_MIME))
        header_class = MIME_HDR_MULTIPART;
    if ((state->flags & CLEANUP_FLAG_FILTER) == 0)
        return (1);
    if (header_class == MIME_HDR_PRIMARY)
        checks = cleanup_header_checks, map_class = "header_checks";
    else if (header_class == MIME_HDR_MULTIPART)
        checks = cleanup_mimehdr_checks, map_class = "mime_header_checks";
    else if (header_class == MIME_HDR_NESTED)
        checks = cleanup_nesthdr_checks, map_class = "nested_header_checks";
    if (checks == 0)
        return (1);
    if ((value = maps_find(checks, vstring_str(header), 0)) == 0) {
        if (checks->error != 0) {
            msg_warn("%s: %s map lookup problem -- message not accepted, try again later",
                     state->queue_id, map_class);
            state->errs |= CLEANUP_STAT_WRITE;
        }
        return (1);
    }
    result = cleanup_act(state, CLEANUP_ACT_CTXT_HEADER, vstring_str(header), value, map_class);
    if (result == 0)
        return (0);
    if (result != vstring_str(header)) {
        vstring_strcpy(header, result);
        *optsp = header_opts_find(result);
        myfree((char *) result);
    }
    return (1);
}

/* cleanup_header_callback - one complete header from the MIME parser */
static void cleanup_header_callback(void *context, int header_class, const HEADER_OPTS *opts,
                                    VSTRING *header, off_t offset)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    const char *value;

    (void) offset;
    if (!CLEANUP_OUT_OK(state))
        return;
    if (!cleanup_header_inspect(state, header_class, &opts, header))
        return;
    if ((state->flags & CLEANUP_FLAG_AUTOUTF8) && !cleanup_is_ascii(vstring_str(header)))
        state->smtputf8 |= CLEANUP_SMTPUTF8_HEADER;
    if (opts == 0 || header_class != MIME_HDR_PRIMARY || (opts->flags & HDR_OPT_MIME)) {
        if (opts && opts->type == HDR_CONTENT_TRANSFER_ENCODING && var_detect_8bit_encoding_header) {
            value = vstring_str(header) + strlen(opts->name) + 1;
            while (*value == ' ' || *value == '\t')
                value++;
            if (strncasecmp(value, "8bit", 4) == 0 || strncasecmp(value, "binary", 6) == 0)
                cleanup_attr_update(state, MAIL_ATTR_ENCODING, MAIL_ATTR_ENC_8BIT);
        }
        cleanup_out_header(state, header);
        return;
    }
    value = vstring_str(header) + strlen(opts->name) + 1;
    while (isspace((unsigned char) *value))
        value++;
    state->headers_seen |= HDR_BIT(opts->type);
    if (opts->type == HDR_MESSAGE_ID)
        msg_info("%s: message-id=%s", state->queue_id, value);
    if (opts->type == HDR_RESENT_MESSAGE_ID)
        msg_info("%s: resent-message-id=%s", state->queue_id, value);
    if (opts->type == HDR_RECEIVED && ++state->hop_count >= var_hopcount_limit) {
        msg_warn("%s: message rejected: hopcount exceeded", state->queue_id);
        state->errs |= CLEANUP_STAT_HOPS;
    }
    if (!CLEANUP_OUT_OK(state))
        return;
    if (opts->flags & HDR_OPT_RR)
        state->resent = "Resent-";
    if ((opts->flags & HDR_OPT_SENDER) && state->hdr_rewrite_context)
        cleanup_header_addresses(state, opts, header, 1);
    else if ((opts->flags & HDR_OPT_RECIP) && state->hdr_rewrite_context)
        cleanup_header_addresses(state, opts, header, 0);
    else if ((opts->flags & HDR_OPT_DROP) == 0)
        cleanup_out_header(state, header);
}

/* cleanup_fullname_needs_quotes - RFC 5322 specials or address operators */
static int cleanup_fullname_needs_quotes(const char *name)
{
    return (name[strcspn(name, "()<>[]:;@\\,.\"!%")] != 0);
}

/* cleanup_add_from - the From: header for a message without one */
static void cleanup_add_from(CLEANUP_STATE *state)
{
    VSTRING *addr = vstring_alloc(100);
    VSTRING *hdr = vstring_alloc(100);
    char *name;
    char *cp;

    quote_822_local(addr, *state->sender ? state->sender : "MAILER-DAEMON");
    vstring_sprintf(hdr, "%sFrom: ", state->resent);
    if (*state->sender && state->fullname && *state->fullname) {
        name = mystrdup(state->fullname);
        for (cp = name; *cp; cp++)
            if (*cp == '\r' || *cp == '\n')
                *cp = ' ';
        if (strcmp(var_header_from_format, "obsolete") == 0) {
            vstring_sprintf_append(hdr, "%s (%s)", vstring_str(addr), name);
        } else if (cleanup_fullname_needs_quotes(name)) {
            VSTRING_ADDCH(hdr, '"');
            for (cp = name; *cp; cp++) {
                if (*cp == '"' || *cp == '\\')
                    VSTRING_ADDCH(hdr, '\\');
                VSTRING_ADDCH(hdr, *cp);
            }
            VSTRING_TERMINATE(hdr);
            vstring_sprintf_append(hdr, "\" <%s>", vstring_str(addr));
        } else {
            vstring_sprintf_append(hdr, "%s <%s>", name, vstring_str(addr));
        }
        myfree(name);
    } else {
        vstring_strcat(hdr, vstring_str(addr));
    }
    cleanup_out_string(state, REC_TYPE_NORM, vstring_str(hdr));
    vstring_free(addr);
    vstring_free(hdr);
}

/* cleanup_header_done_callback - add the missing headers */
static void cleanup_header_done_callback(void *context)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    int add = (state->hdr_rewrite_context != 0 || var_always_add_missing_headers);
    int resent = (*state->resent != 0);
    char stamp[64];
    time_t when;
    struct tm *tp;

#define VISIBLE_RCPT (HDR_BIT(HDR_TO) | HDR_BIT(HDR_RESENT_TO) | HDR_BIT(HDR_CC) | HDR_BIT(HDR_RESENT_CC))

    if (!CLEANUP_OUT_OK(state))
        return;
    if (add && (state->headers_seen & HDR_BIT(resent ? HDR_RESENT_MESSAGE_ID : HDR_MESSAGE_ID)) == 0) {
        when = state->handle ? state->handle->ctime.tv_sec : time((time_t *) 0);
        tp = gmtime(&when);
        strftime(stamp, sizeof(stamp), "%Y%m%d%H%M%S", tp);
        cleanup_out_format(state, REC_TYPE_NORM, "%sMessage-Id: <%s.%s@%s>", state->resent, stamp,
                           state->queue_id, var_myhostname);
        msg_info("%s: %smessage-id=<%s.%s@%s>", state->queue_id, resent ? "resent-" : "", stamp,
                 state->queue_id, var_myhostname);
        state->headers_seen |= HDR_BIT(resent ? HDR_RESENT_MESSAGE_ID : HDR_MESSAGE_ID);
    }
    if ((state->headers_seen & HDR_BIT(HDR_MESSAGE_ID)) == 0)
        msg_info("%s: message-id=<>", state->queue_id);
    if (add && (state->headers_seen & HDR_BIT(resent ? HDR_RESENT_DATE : HDR_DATE)) == 0)
        cleanup_out_format(state, REC_TYPE_NORM, "%sDate: %s", state->resent,
                           mail_date(state->arrival_time.tv_sec));
    if (add && (state->headers_seen & HDR_BIT(resent ? HDR_RESENT_FROM : HDR_FROM)) == 0)
        cleanup_add_from(state);
    if (add && (state->headers_seen & VISIBLE_RCPT) == 0 && *var_undisclosed_recipients_header) {
        if (!is_header(var_undisclosed_recipients_header))
            msg_warn("bad undisclosed_recipients_header header text \"%s\" -- need \"headername: headervalue\"",
                     var_undisclosed_recipients_header);
        else
            cleanup_out_string(state, REC_TYPE_NORM, var_undisclosed_recipients_header);
    }
}

/* cleanup_body_callback - one body line from the MIME parser */
static void cleanup_body_callback(void *context, int type, const char *buf, ssize_t len,
                                  off_t offset)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    const char *value;
    const char *result;

    if (!CLEANUP_OUT_OK(state))
        return;
    if ((state->flags & CLEANUP_FLAG_FILTER) && cleanup_body_checks
        && (var_body_checks_size_limit == 0 || offset < var_body_checks_size_limit)) {
        vstring_strncpy(state->temp1, buf, len);
        if ((value = maps_find(cleanup_body_checks, vstring_str(state->temp1), 0)) != 0) {
            result = cleanup_act(state, CLEANUP_ACT_CTXT_BODY, vstring_str(state->temp1), value,
                                 "body_checks");
            if (result == 0)
                return;
            if (result != vstring_str(state->temp1)) {
                cleanup_out_string(state, type, result);
                myfree((char *) result);
                return;
            }
        } else if (cleanup_body_checks->error != 0) {
            msg_warn("%s: body_checks map lookup problem -- message not accepted, try again later",
                     state->queue_id);
            state->errs |= CLEANUP_STAT_WRITE;
            return;
        }
    }
    cleanup_out(state, type, buf, len);
}

/* cleanup_mime_error_callback - log MIME errors that reject the message */
static void cleanup_mime_error_callback(void *context, int err_code, const char *text, ssize_t len)
{
    CLEANUP_STATE *state = (CLEANUP_STATE *) context;
    const char *origin;

    if ((err_code & ~MIME_ERR_TRUNC_HEADER) == 0)
        return;
    if ((origin = cleanup_attr_find(state, MAIL_ATTR_LOG_ORIGIN)) == 0)
        origin = "local";
    msg_info("%s: reject: mime-error %s: %.*s from %s; from=<%s> to=<%s>", state->queue_id,
             mime_state_error(err_code), len < 100 ? (int) len : 100, text, origin,
             state->sender ? state->sender : "", state->recip ? state->recip : "unknown");
}

/* cleanup_filter_chars - message_reject/strip_characters; 0 if rejected */
static int cleanup_filter_chars(CLEANUP_STATE *state, const char **bufp, ssize_t *lenp)
{
    const char *buf = *bufp;
    ssize_t len = *lenp;
    const char *cp;

    if ((state->flags & CLEANUP_FLAG_FILTER) == 0)
        return (1);
    if (cleanup_reject_chars) {
        for (cp = buf; cp < buf + len; cp++) {
            if (memchr(vstring_str(cleanup_reject_chars), *cp, VSTRING_LEN(cleanup_reject_chars))) {
                vstring_strncpy(state->temp1, buf, len);
                cleanup_act(state, CLEANUP_ACT_CTXT_ANY, vstring_str(state->temp1),
                            "REJECT disallowed character", "character reject");
                return (0);
            }
        }
    }
    if (cleanup_strip_chars) {
        VSTRING_RESET(state->stripped_buf);
        for (cp = buf; cp < buf + len; cp++)
            if (!memchr(vstring_str(cleanup_strip_chars), *cp, VSTRING_LEN(cleanup_strip_chars)))
                VSTRING_ADDCH(state->stripped_buf, *cp);
        VSTRING_TERMINATE(state->stripped_buf);
        *bufp = vstring_str(state->stripped_buf);
        *lenp = (ssize_t) VSTRING_LEN(state->stripped_buf);
    }
    return (1);
}

/* cleanup_message_headerbody - one content record */
static void cleanup_message_headerbody(CLEANUP_STATE *state, int type, const char *buf,
                                       ssize_t len)
{
    const MIME_STATE_DETAIL *detail;

    if (type == REC_TYPE_NORM || type == REC_TYPE_CONT) {
        if (cleanup_filter_chars(state, &buf, &len))
            state->mime_errs = mime_state_update(state->mime_state, type, buf, len);
    } else if (type == REC_TYPE_XTRA) {
        state->mime_errs = mime_state_update(state->mime_state, type, buf, len);
        state->mime_errs &= ~MIME_ERR_TRUNC_HEADER;
        if (state->mime_errs && state->reason == 0) {
            state->errs |= CLEANUP_STAT_CONT;
            detail = mime_state_detail(state->mime_errs);
            state->reason = cleanup_dsn_prepend(detail->dsn, detail->text);
        }
        state->mime_state = mime_state_free(state->mime_state);
        if ((state->xtra_offset = vstream_ftell(state->dst)) < 0)
            msg_fatal("%s: vstream_ftell %s: %m", state->queue_id, vstream_path(state->dst));
        state->cont_length = state->xtra_offset - state->data_offset;
        state->action = cleanup_extracted;
    } else {
        msg_warn("%s: message rejected: unexpected record type %d in message content",
                 state->queue_id, type);
        state->errs |= CLEANUP_STAT_BAD;
    }
}

/* cleanup_message_mime_options - what the MIME parser should report */
static int cleanup_message_mime_options(CLEANUP_STATE *state)
{
    int opts = 0;

    if (var_disable_mime_input_processing)
        return (MIME_OPT_DISABLE_MIME);
    if (state->flags & CLEANUP_FLAG_FILTER) {
        if (var_strict_8bitmime || var_strict_7bit_headers)
            opts |= MIME_OPT_REPORT_8BIT_IN_HEADER;
        if (var_strict_8bitmime || var_strict_8bitmime_body)
            opts |= MIME_OPT_REPORT_8BIT_IN_7BIT_BODY;
        if (var_strict_mime_encoding_domain)
            opts |= MIME_OPT_REPORT_ENCODING_DOMAIN;
        if (var_strict_8bitmime || var_strict_7bit_headers || var_strict_8bitmime_body
            || var_strict_mime_encoding_domain || *var_header_checks || *var_mime_header_checks
            || *var_nested_header_checks)
            opts |= MIME_OPT_REPORT_NESTING;
    }
    return (opts);
}

/* cleanup_message - start the content segment */
void cleanup_message(CLEANUP_STATE *state, int type, const char *buf, ssize_t len)
{
    MIME_STATE_LIMITS limits;

    cleanup_out_string(state, REC_TYPE_MESG, "");
    if ((state->data_offset = vstream_ftell(state->dst)) < 0)
        msg_fatal("%s: vstream_ftell %s: %m", state->queue_id, vstream_path(state->dst));
    state->mime_state = mime_state_alloc(cleanup_message_mime_options(state),
                                         cleanup_header_callback, cleanup_header_done_callback,
                                         cleanup_body_callback, (MIME_STATE_ANY_END) 0,
                                         cleanup_mime_error_callback, (void *) state);
    limits.header_size_limit = var_header_size_limit;
    limits.nesting_limit = var_mime_nesting_limit;
    limits.boundary_length_limit = var_mime_boundary_length_limit;
    mime_state_set_limits(state->mime_state, &limits);
    state->action = cleanup_message_headerbody;
    cleanup_message_headerbody(state, type, buf, len);
}
