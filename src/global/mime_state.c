/*
 * mime_state - a MIME parser for mail content that arrives one record at a
 * time (queue file records, SMTP lines cut at line_length_limit).
 *
 * Exports mime_state_alloc(), mime_state_set_limits(), mime_state_update(),
 * mime_state_free(), mime_state_error() and mime_state_detail(); see
 * mime_state.h for the callbacks.
 *
 * What it does: it collects (folded) headers and hands them out whole;
 * it reads Content-Type and Content-Transfer-Encoding of every header
 * section; it follows multipart boundaries (innermost first, an outer
 * boundary also ends the inner parts) and descends into message/rfc822
 * parts (any message subtype but partial and external-body with
 * MIME_OPT_RECURSE_ALL_MESSAGE). Parts of multipart/digest default to
 * message/rfc822. A message/rfc822 part with an encoding other than 7bit,
 * 8bit or binary is not descended into, since its content is encoded.
 *
 * With MIME_OPT_DOWNGRADE, text in 8bit or binary parts comes out as
 * quoted-printable (lines of at most 76 characters, soft breaks "=",
 * trailing white space encoded) and the Content-Transfer-Encoding header
 * of such a part says "quoted-printable" (for multipart and message parts,
 * whose parts are converted themselves: "7bit"). That header is given out
 * at the end of its header section, once the content type is known.
 *
 * Limits: a header longer than the header size limit loses its excess
 * continuation text (whole records are kept while under the limit);
 * beyond the nesting limit, parts are not descended into; boundary strings
 * are cut to the boundary length limit, so longer boundaries that share
 * that prefix are not told apart. Errors are recorded only when an option
 * asks for them (MIME_OPT_REPORT_*): as bits in the result, and with a call
 * of err_print for the first error of each kind. The parser never fails
 * otherwise; memory stays bounded by the limits.
 */

#include <string.h>
#include <strings.h>

#include "header_opts.h"
#include "header_token.h"
#include "is_header.h"
#include "mime_state.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "vstring.h"

/* Parser states: collecting one kind of header, or body text. */
#define MIME_STATE_PRIMARY MIME_HDR_PRIMARY
#define MIME_STATE_MULTIPART MIME_HDR_MULTIPART
#define MIME_STATE_NESTED MIME_HDR_NESTED
#define MIME_STATE_BODY 0

/* Content types and subtypes that matter here. */
#define MIME_CTYPE_OTHER 0
#define MIME_CTYPE_TEXT 1
#define MIME_CTYPE_MESSAGE 2
#define MIME_CTYPE_MULTIPART 3

#define MIME_STYPE_OTHER 0
#define MIME_STYPE_PLAIN 1
#define MIME_STYPE_RFC822 2
#define MIME_STYPE_PARTIAL 3
#define MIME_STYPE_EXTERN_BODY 4
#define MIME_STYPE_DIGEST 5

/* Content transfer encodings. Identity encodings are their own domain. */
#define MIME_ENC_7BIT 1
#define MIME_ENC_8BIT 2
#define MIME_ENC_BINARY 3
#define MIME_ENC_QP 4
#define MIME_ENC_BASE64 5
#define MIME_ENC_OTHER 6

typedef struct MIME_NAME {
    const char *name;
    int code;
    int domain; /* for encodings */
} MIME_NAME;

/* clang-format off */
static const MIME_NAME mime_ctypes[] = {
    {"text", MIME_CTYPE_TEXT, 0},
    {"message", MIME_CTYPE_MESSAGE, 0},
    {"multipart", MIME_CTYPE_MULTIPART, 0},
    {0, MIME_CTYPE_OTHER, 0},
};

static const MIME_NAME mime_stypes[] = {
    {"plain", MIME_STYPE_PLAIN, 0},
    {"rfc822", MIME_STYPE_RFC822, 0},
    {"partial", MIME_STYPE_PARTIAL, 0},
    {"external-body", MIME_STYPE_EXTERN_BODY, 0},
    {"digest", MIME_STYPE_DIGEST, 0},
    {0, MIME_STYPE_OTHER, 0},
};

static const MIME_NAME mime_encodings[] = {
    {"7bit", MIME_ENC_7BIT, MIME_ENC_7BIT},
    {"8bit", MIME_ENC_8BIT, MIME_ENC_8BIT},
    {"binary", MIME_ENC_BINARY, MIME_ENC_BINARY},
    {"quoted-printable", MIME_ENC_QP, MIME_ENC_7BIT},
    {"base64", MIME_ENC_BASE64, MIME_ENC_7BIT},
    {0, MIME_ENC_OTHER, MIME_ENC_7BIT},
};
/* clang-format on */

static const MIME_STATE_DETAIL mime_err_details[] = {
    {MIME_ERR_NESTING, "5.6.0", "MIME nesting exceeds safety limit"},
    {MIME_ERR_TRUNC_HEADER, "5.6.0", "message header length exceeds safety limit"},
    {MIME_ERR_8BIT_IN_HEADER, "5.6.0", "improper use of 8-bit data in message header"},
    {MIME_ERR_8BIT_IN_7BIT_BODY, "5.6.0", "improper use of 8-bit data in message body"},
    {MIME_ERR_ENCODING_DOMAIN, "5.6.0", "invalid message/* or multipart/* encoding domain"},
    {0, 0, 0},
};

/* One open multipart entity. */
typedef struct MIME_STACK {
    char *boundary; /* cut to the boundary length limit */
    size_t bound_len;
    int part_ctype; /* default type of its parts */
    int part_stype;
    int domain;              /* encoding domain of the multipart itself */
    int level;               /* nesting level of its parts */
    struct MIME_STACK *next; /* enclosing multipart */
} MIME_STACK;

struct MIME_STATE {
    int flags; /* MIME_OPT_* */
    MIME_STATE_LIMITS limits;
    MIME_STATE_HEAD_OUT head_out;
    MIME_STATE_ANY_END head_end;
    MIME_STATE_BODY_OUT body_out;
    MIME_STATE_ANY_END body_end;
    MIME_STATE_ERR_PRINT err_print;
    void *context;

    int curr_state;    /* MIME_STATE_* */
    int prev_rec_type; /* REC_TYPE_CONT: this record continues a line */
    int err_flags;     /* MIME_ERR_* seen so far */

    /* The entity whose header or body is being read. */
    int ctype;
    int stype;
    int encoding;
    int domain;
    VSTRING *boundary;   /* multipart boundary parameter, if any */
    VSTRING *ctype_text; /* last Content-Type header, for error reports */
    VSTRING *cte_text;   /* last Content-Transfer-Encoding header */

    VSTRING *hdr_buf; /* header being collected */
    off_t hdr_offset;
    VSTRING *held_cte; /* downgrade: CTE header given out at the end */
    VSTRING *token_buf;
    VSTRING *qp_buf; /* downgrade: output line being built */
    off_t qp_offset; /* downgrade: where its input line started */

    MIME_STACK *stack; /* open multiparts, innermost first */
    int nesting_level;
    off_t msg_offset;  /* input bytes so far */
    off_t body_offset; /* input bytes in this body segment */
};

#define STR(x) vstring_str(x)
#define LEN(x) VSTRING_LEN(x)
#define IS_SPACE_TAB(c) ((c) == ' ' || (c) == '\t')

/* mime_name_code - table lookup, ignoring case */
static const MIME_NAME *mime_name_code(const MIME_NAME *table, const char *name)
{
    for (; table->name; table++)
        if (strcasecmp(table->name, name) == 0)
            break;
    return (table);
}

/* has_8bit - does the text hold bytes with the high bit set? */
static int has_8bit(const char *text, ssize_t len)
{
    const unsigned char *cp = (const unsigned char *)text;
    const unsigned char *end = cp + len;

    for (; cp < end; cp++)
        if (*cp & 0x80)
            return (1);
    return (0);
}

/* report - record an error; print the first one of each kind when asked */
static void report(MIME_STATE *state, int code, const char *text, ssize_t len)
{
    int first = (state->err_flags & code) == 0;

    state->err_flags |= code;
    if (first && state->err_print)
        state->err_print(state->context, code, text, len);
}

/* entity_reset - defaults for a new header section */
static void entity_reset(MIME_STATE *state, int ctype, int stype)
{
    state->ctype = ctype;
    state->stype = stype;
    state->encoding = MIME_ENC_7BIT;
    state->domain = MIME_ENC_7BIT;
    VSTRING_RESET(state->boundary);
    VSTRING_RESET(state->ctype_text);
    VSTRING_RESET(state->cte_text);
}

/* mime_state_alloc - a parser for one message */
MIME_STATE *mime_state_alloc(int flags, MIME_STATE_HEAD_OUT head_out, MIME_STATE_ANY_END head_end,
                             MIME_STATE_BODY_OUT body_out, MIME_STATE_ANY_END body_end,
                             MIME_STATE_ERR_PRINT err_print, void *context)
{
    MIME_STATE *state = (MIME_STATE *)mymalloc(sizeof(*state));

    state->flags = flags;
    state->limits.header_size_limit = MIME_STATE_DEF_HEADER_SIZE_LIMIT;
    state->limits.nesting_limit = MIME_STATE_DEF_NESTING_LIMIT;
    state->limits.boundary_length_limit = MIME_STATE_DEF_BOUNDARY_LENGTH_LIMIT;
    state->head_out = head_out;
    state->head_end = head_end;
    state->body_out = body_out;
    state->body_end = body_end;
    state->err_print = err_print;
    state->context = context;
    state->curr_state = MIME_STATE_PRIMARY;
    state->prev_rec_type = REC_TYPE_NORM;
    state->err_flags = 0;
    state->boundary = vstring_alloc(100);
    state->ctype_text = vstring_alloc(100);
    state->cte_text = vstring_alloc(100);
    state->hdr_buf = vstring_alloc(100);
    state->hdr_offset = 0;
    state->held_cte = vstring_alloc(100);
    state->token_buf = vstring_alloc(100);
    state->qp_buf = vstring_alloc(100);
    state->qp_offset = 0;
    state->stack = 0;
    state->nesting_level = 0;
    state->msg_offset = 0;
    state->body_offset = 0;
    entity_reset(state, MIME_CTYPE_TEXT, MIME_STYPE_PLAIN);
    return (state);
}

/* mime_state_set_limits - replace the default limits */
void mime_state_set_limits(MIME_STATE *state, const MIME_STATE_LIMITS *limits)
{
    if (limits->header_size_limit <= 0 || limits->nesting_limit <= 0 ||
        limits->boundary_length_limit <= 0)
        msg_panic("mime_state_set_limits: limits must be positive");
    state->limits = *limits;
}

/* stack_pop - close the innermost multipart */
static void stack_pop(MIME_STATE *state)
{
    MIME_STACK *sp = state->stack;

    state->stack = sp->next;
    myfree(sp->boundary);
    myfree(sp);
}

/* mime_state_free - release a parser */
MIME_STATE *mime_state_free(MIME_STATE *state)
{
    while (state->stack)
        stack_pop(state);
    vstring_free(state->boundary);
    vstring_free(state->ctype_text);
    vstring_free(state->cte_text);
    vstring_free(state->hdr_buf);
    vstring_free(state->held_cte);
    vstring_free(state->token_buf);
    vstring_free(state->qp_buf);
    myfree(state);
    return (0);
}

/* parse_content_type - type, subtype and boundary from a Content-Type header */
static void parse_content_type(MIME_STATE *state, const char *value)
{
    HEADER_TOKEN tok[3];
    ssize_t n;
    size_t len;

    VSTRING_RESET(state->boundary);
    n = header_token(tok, 3, state->token_buf, &value, HEADER_TOK_MIME_SPECIALS, ';');
    if (n < 3 || tok[0].type != HEADER_TOK_TOKEN || tok[1].type != '/' ||
        tok[2].type != HEADER_TOK_TOKEN) {
        /* RFC 2045: what cannot be understood is plain text. */
        state->ctype = MIME_CTYPE_TEXT;
        state->stype = MIME_STYPE_PLAIN;
        return;
    }
    state->ctype = mime_name_code(mime_ctypes, tok[0].u.value)->code;
    state->stype = mime_name_code(mime_stypes, tok[2].u.value)->code;
    if (state->ctype != MIME_CTYPE_MULTIPART)
        return;
    while ((n = header_token(tok, 3, state->token_buf, &value, HEADER_TOK_MIME_SPECIALS, ';')) >=
           0) {
        if (n < 3 || tok[0].type != HEADER_TOK_TOKEN || tok[1].type != '=' ||
            (tok[2].type != HEADER_TOK_TOKEN && tok[2].type != HEADER_TOK_QSTRING) ||
            strcasecmp(tok[0].u.value, "boundary") != 0)
            continue;
        len = strlen(tok[2].u.value);
        if (len > (size_t)state->limits.boundary_length_limit)
            len = state->limits.boundary_length_limit;
        vstring_strncpy(state->boundary, tok[2].u.value, len);
        break;
    }
}

/* parse_encoding - encoding and domain from a Content-Transfer-Encoding header */
static void parse_encoding(MIME_STATE *state, const char *value)
{
    HEADER_TOKEN tok[1];
    const MIME_NAME *np;

    if (header_token(tok, 1, state->token_buf, &value, HEADER_TOK_MIME_SPECIALS, ';') >= 1 &&
        tok[0].type == HEADER_TOK_TOKEN) {
        np = mime_name_code(mime_encodings, tok[0].u.value);
        state->encoding = np->code;
        state->domain = np->domain;
    }
}

/* is_leaf - content that is not made of further MIME entities */
static int is_leaf(const MIME_STATE *state)
{
    return (state->ctype != MIME_CTYPE_MULTIPART && state->ctype != MIME_CTYPE_MESSAGE);
}

/* head_out - give out one header */
static void head_out(MIME_STATE *state, const HEADER_OPTS *info, VSTRING *buf)
{
    if (state->head_out)
        state->head_out(state->context, state->curr_state, info, buf, state->hdr_offset);
}

/* header_flush - a header is complete: inspect it and give it out */
static void header_flush(MIME_STATE *state)
{
    const HEADER_OPTS *info = header_opts_find(STR(state->hdr_buf));
    const char *value = strchr(STR(state->hdr_buf), ':') + 1;

    if ((state->flags & MIME_OPT_REPORT_8BIT_IN_HEADER) &&
        has_8bit(STR(state->hdr_buf), LEN(state->hdr_buf)))
        report(state, MIME_ERR_8BIT_IN_HEADER, STR(state->hdr_buf), LEN(state->hdr_buf));
    if (info != 0 && !(state->flags & MIME_OPT_DISABLE_MIME)) {
        if (info->type == HDR_CONTENT_TYPE) {
            vstring_strcpy(state->ctype_text, STR(state->hdr_buf));
            parse_content_type(state, value);
        } else if (info->type == HDR_CONTENT_TRANSFER_ENCODING) {
            vstring_strcpy(state->cte_text, STR(state->hdr_buf));
            parse_encoding(state, value);
            if ((state->flags & MIME_OPT_DOWNGRADE) && state->domain != MIME_ENC_7BIT) {
                /* Its new value depends on a Content-Type that may follow. */
                vstring_strcpy(state->held_cte, STR(state->hdr_buf));
                VSTRING_RESET(state->hdr_buf);
                return;
            }
        }
    }
    head_out(state, info, state->hdr_buf);
    VSTRING_RESET(state->hdr_buf);
}

/* nesting_ok - may the parser go one level deeper? */
static int nesting_ok(MIME_STATE *state)
{
    if (state->nesting_level < state->limits.nesting_limit)
        return (1);
    if (state->flags & MIME_OPT_REPORT_NESTING)
        report(state, MIME_ERR_NESTING, STR(state->ctype_text), LEN(state->ctype_text));
    return (0);
}

/* check_domain - message and multipart content must not be encoded */
static void check_domain(MIME_STATE *state)
{
    int bad;

    if (state->ctype == MIME_CTYPE_MESSAGE &&
        (state->stype == MIME_STYPE_PARTIAL || state->stype == MIME_STYPE_EXTERN_BODY))
        bad = (state->encoding != MIME_ENC_7BIT);
    else if (state->ctype == MIME_CTYPE_MESSAGE || state->ctype == MIME_CTYPE_MULTIPART)
        bad = (state->encoding != state->domain);
    else
        bad = 0;
    if (bad)
        report(state, MIME_ERR_ENCODING_DOMAIN, STR(state->cte_text), LEN(state->cte_text));
}

/* stack_push - open a multipart whose parts follow */
static void stack_push(MIME_STATE *state)
{
    MIME_STACK *sp = (MIME_STACK *)mymalloc(sizeof(*sp));

    sp->bound_len = LEN(state->boundary);
    sp->boundary = mystrndup(STR(state->boundary), sp->bound_len);
    if (state->stype == MIME_STYPE_DIGEST) {
        sp->part_ctype = MIME_CTYPE_MESSAGE;
        sp->part_stype = MIME_STYPE_RFC822;
    } else {
        sp->part_ctype = MIME_CTYPE_TEXT;
        sp->part_stype = MIME_STYPE_PLAIN;
    }
    sp->domain = state->domain;
    sp->level = ++state->nesting_level;
    sp->next = state->stack;
    state->stack = sp;
}

/* header_end - a header section is complete: what comes next? */
static void header_end(MIME_STATE *state)
{
    int next_state = MIME_STATE_BODY;

    if (!(state->flags & MIME_OPT_DISABLE_MIME)) {
        /* A multipart without a usable boundary is just text. */
        if (state->ctype == MIME_CTYPE_MULTIPART && LEN(state->boundary) == 0)
            state->ctype = MIME_CTYPE_OTHER;
        if (state->flags & MIME_OPT_REPORT_ENCODING_DOMAIN)
            check_domain(state);
        if (LEN(state->held_cte) > 0) {
            vstring_sprintf(state->held_cte, "Content-Transfer-Encoding: %s",
                            is_leaf(state) ? "quoted-printable" : "7bit");
            head_out(state, header_opts_find("Content-Transfer-Encoding"), state->held_cte);
            VSTRING_RESET(state->held_cte);
        }
        if (state->ctype == MIME_CTYPE_MULTIPART) {
            if (nesting_ok(state))
                stack_push(state);
            else
                state->ctype = MIME_CTYPE_OTHER;
        } else if (state->ctype == MIME_CTYPE_MESSAGE && state->stype != MIME_STYPE_PARTIAL &&
                   state->stype != MIME_STYPE_EXTERN_BODY &&
                   (state->stype == MIME_STYPE_RFC822 ||
                    (state->flags & MIME_OPT_RECURSE_ALL_MESSAGE)) &&
                   state->encoding == state->domain) {
            if (nesting_ok(state)) {
                state->nesting_level++;
                next_state = MIME_STATE_NESTED;
            }
        }
    }
    if (state->curr_state == MIME_STATE_PRIMARY && state->head_end)
        state->head_end(state->context);
    state->curr_state = next_state;
    state->body_offset = 0;
    if (next_state == MIME_STATE_NESTED)
        entity_reset(state, MIME_CTYPE_TEXT, MIME_STYPE_PLAIN);
}

/* body_emit_at - one output record, for input at offset */
static void body_emit_at(MIME_STATE *state, int rec_type, const char *text, ssize_t len,
                         off_t offset)
{
    if (state->body_out)
        state->body_out(state->context, rec_type, text, len, offset);
}

/* body_emit - one output record for the current input */
static void body_emit(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    body_emit_at(state, rec_type, text, len, state->body_offset);
}

/* qp_flush - give out the quoted-printable line built so far */
static void qp_flush(MIME_STATE *state, const char *soft_break)
{
    int last;

    if (*soft_break == 0 && LEN(state->qp_buf) > 0) {
        /* White space at the end of a line would be lost in transit. */
        last = (unsigned char)STR(state->qp_buf)[LEN(state->qp_buf) - 1];
        if (last == ' ' || last == '\t') {
            vstring_truncate(state->qp_buf, LEN(state->qp_buf) - 1);
            vstring_sprintf_append(state->qp_buf, "=%02X", last);
        }
    }
    vstring_strcat(state->qp_buf, soft_break);
    body_emit_at(state, REC_TYPE_NORM, STR(state->qp_buf), LEN(state->qp_buf), state->qp_offset);
    VSTRING_RESET(state->qp_buf);
}

/* qp_encode - quoted-printable encoding of body text */
static void qp_encode(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *cp = (const unsigned char *)text;
    const unsigned char *end = cp + len;

    /* Output lines carry the offset of the input line they encode. */
    if (state->prev_rec_type != REC_TYPE_CONT)
        state->qp_offset = state->body_offset;
    for (; cp < end; cp++) {
        /* A soft break before the line gets too long; =XX never splits. */
        if (LEN(state->qp_buf) > 72)
            qp_flush(state, "=");
        if ((*cp < 32 && *cp != '\t') || *cp == '=' || *cp > 126) {
            VSTRING_ADDCH(state->qp_buf, '=');
            VSTRING_ADDCH(state->qp_buf, hex[*cp >> 4]);
            VSTRING_ADDCH(state->qp_buf, hex[*cp & 0xf]);
        } else {
            VSTRING_ADDCH(state->qp_buf, *cp);
        }
    }
    if (rec_type == REC_TYPE_NORM)
        qp_flush(state, "");
}

/* qp_pending - end a partial quoted-printable line before other output */
static void qp_pending(MIME_STATE *state)
{
    if (LEN(state->qp_buf) > 0)
        qp_flush(state, "");
}

/* body_text - body content of the current entity */
static void body_text(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    if ((state->flags & MIME_OPT_REPORT_8BIT_IN_7BIT_BODY) && state->domain == MIME_ENC_7BIT &&
        has_8bit(text, len))
        report(state, MIME_ERR_8BIT_IN_7BIT_BODY, text, len);
    if ((state->flags & MIME_OPT_DOWNGRADE) && state->domain != MIME_ENC_7BIT && is_leaf(state))
        qp_encode(state, rec_type, text, len);
    else
        body_emit(state, rec_type, text, len);
    state->body_offset += len + (rec_type == REC_TYPE_NORM);
}

/* boundary_match - the open multipart whose boundary this line is, or null */
static MIME_STACK *boundary_match(MIME_STATE *state, const char *text, ssize_t len)
{
    MIME_STACK *sp;

    if (len < 2 || text[0] != '-' || text[1] != '-')
        return (0);
    for (sp = state->stack; sp != 0; sp = sp->next)
        if ((size_t)len - 2 >= sp->bound_len && memcmp(text + 2, sp->boundary, sp->bound_len) == 0)
            return (sp);
    return (0);
}

/* body_update - a body record: boundary or content */
static void body_update(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    MIME_STACK *sp;
    const char *tail;

    if (state->prev_rec_type == REC_TYPE_CONT || (sp = boundary_match(state, text, len)) == 0) {
        body_text(state, rec_type, text, len);
        return;
    }
    qp_pending(state);
    while (state->stack != sp)
        stack_pop(state);
    tail = text + 2 + sp->bound_len;
    body_emit(state, rec_type, text, len);
    state->body_offset = 0;
    state->nesting_level = sp->level;
    if (len - 2 - (ssize_t)sp->bound_len >= 2 && tail[0] == '-' && tail[1] == '-') {
        /* The closing delimiter: what follows is the multipart's epilogue. */
        state->ctype = MIME_CTYPE_MULTIPART;
        state->domain = sp->domain;
        state->nesting_level = sp->level - 1;
        stack_pop(state);
    } else {
        state->curr_state = MIME_STATE_MULTIPART;
        entity_reset(state, sp->part_ctype, sp->part_stype);
    }
}

/* header_update - a header record; 0 when the caller must look at it again */
static int header_update(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    if (LEN(state->hdr_buf) > 0 &&
        (state->prev_rec_type == REC_TYPE_CONT || (len > 0 && IS_SPACE_TAB(*text)))) {
        if ((ssize_t)LEN(state->hdr_buf) < state->limits.header_size_limit) {
            if (state->prev_rec_type == REC_TYPE_NORM)
                VSTRING_ADDCH(state->hdr_buf, '\n');
            vstring_memcat(state->hdr_buf, text, len);
            VSTRING_TERMINATE(state->hdr_buf);
        } else if (state->flags & MIME_OPT_REPORT_TRUNC_HEADER) {
            report(state, MIME_ERR_TRUNC_HEADER, STR(state->hdr_buf), LEN(state->hdr_buf));
        }
        return (1);
    }
    if (LEN(state->hdr_buf) > 0)
        header_flush(state);
    if (is_header_buf(text, len) > 0) {
        vstring_memcpy(state->hdr_buf, text, len);
        VSTRING_TERMINATE(state->hdr_buf);
        state->hdr_offset = state->msg_offset;
        return (1);
    }
    header_end(state);
    if (len == 0 && rec_type == REC_TYPE_NORM) {
        body_emit(state, rec_type, text, len);
        state->body_offset += 1;
        return (1);
    }
    return (0);
}

/* mime_state_finish - the end of the message */
static void mime_state_finish(MIME_STATE *state)
{
    if (state->curr_state != MIME_STATE_BODY) {
        if (LEN(state->hdr_buf) > 0)
            header_flush(state);
        header_end(state);
    }
    qp_pending(state);
    if (state->body_end)
        state->body_end(state->context);
}

/* mime_state_update - process one record */
int mime_state_update(MIME_STATE *state, int rec_type, const char *text, ssize_t len)
{
    if (rec_type != REC_TYPE_NORM && rec_type != REC_TYPE_CONT) {
        mime_state_finish(state);
        return (state->err_flags);
    }
    if (len < 0)
        msg_panic("mime_state_update: negative length %ld", (long)len);
    if (state->flags & MIME_OPT_DISABLE_MIME) {
        if (state->curr_state != MIME_STATE_BODY && header_update(state, rec_type, text, len))
            goto done;
        body_text(state, rec_type, text, len);
        goto done;
    }
    while (state->curr_state != MIME_STATE_BODY)
        if (header_update(state, rec_type, text, len))
            goto done;
    body_update(state, rec_type, text, len);

done:
    state->msg_offset += len + (rec_type == REC_TYPE_NORM);
    state->prev_rec_type = rec_type;
    return (state->err_flags);
}

/* mime_state_detail - status code and text of the most serious error */
const MIME_STATE_DETAIL *mime_state_detail(int error_code)
{
    const MIME_STATE_DETAIL *dp;

    if (error_code == 0)
        msg_panic("mime_state_detail: there is no error");
    for (dp = mime_err_details; dp->code; dp++)
        if (error_code & dp->code)
            return (dp);
    msg_panic("mime_state_detail: unknown error code 0x%x", (unsigned)error_code);
}

/* mime_state_error - text of the most serious error */
const char *mime_state_error(int error_code)
{
    return (mime_state_detail(error_code)->text);
}
