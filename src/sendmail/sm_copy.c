/*
 * sm_copy - the message part of "sendmail": read the text a user pipes in
 * and turn it into content records, the way the reference does, so that a
 * message means the same to every program downstream:
 *   - lines are cut into records of at most line_length_limit bytes; the
 *     pieces of a longer line are REC_TYPE_CONT records and the last piece
 *     is REC_TYPE_NORM; text after the last newline is a CONT record, so
 *     that a message that does not end in a newline stays that way;
 *   - leading "From " lines (mailbox separators left in by some mailers)
 *     are dropped;
 *   - CR before LF is removed as sendmail_fix_line_endings says: always,
 *     never, or (strict) only when the first line ends in CRLF; a CR in a
 *     piece of a long line is left alone, as it is not before the LF;
 *   - unless -i, a line with only "." ends the message (after CR removal,
 *     and never a piece of a longer line);
 *   - with -t, whole headers are assembled (mime_state, MIME processing
 *     off) so that recipients can be taken from To:, Cc: and Bcc:, or, once
 *     a Resent- recipient header is seen, from the Resent- headers only.
 *     Headers are then written back one record per physical line.
 *
 * Exports sm_fix_eol_mode(), sm_copy_init(), sm_copy_message() (SM_COPY_OK,
 * SM_COPY_READ, SM_COPY_WRITE, or MIME_ERR_* bits for a header that
 * exceeds header_size_limit with -t), sm_copy_recipients(), sm_copy_free()
 * and sm_read_line() (one line or line piece as a record type).
 */

#include <errno.h>
#include <string.h>

#include "argv.h"
#include "header_opts.h"
#include "mime_state.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "sm_copy.h"
#include "sm_opts.h"
#include "tok822.h"
#include "vstream.h"
#include "vstring.h"

/* sm_fix_eol_mode - sendmail_fix_line_endings value; -1 if invalid */
int sm_fix_eol_mode(const char *value)
{
    if (strcmp(value, "always") == 0)
        return (SM_STRIP_CR_DO);
    if (strcmp(value, "strict") == 0)
        return (SM_STRIP_CR_DONTKNOW);
    if (strcmp(value, "never") == 0)
        return (SM_STRIP_CR_DONT);
    return (-1);
}

/* sm_read_line - one line (NORM) or piece of a long line (CONT), or EOF */
int sm_read_line(VSTREAM *src, VSTRING *buf, ssize_t limit)
{
    ssize_t n;
    int ch;

    VSTRING_RESET(buf);
    for (n = 0; n < limit; n++) {
        if ((ch = vstream_getc(src)) == VSTREAM_EOF) {
            VSTRING_TERMINATE(buf);
            return (VSTRING_LEN(buf) > 0 ? REC_TYPE_CONT : REC_TYPE_EOF);
        }
        if (ch == '\n') {
            VSTRING_TERMINATE(buf);
            return (REC_TYPE_NORM);
        }
        VSTRING_ADDCH(buf, ch);
    }
    VSTRING_TERMINATE(buf);
    return (REC_TYPE_CONT);
}

/* sm_put - write one record, remembering failure */
static void sm_put(SM_COPY *state, int type, const char *text, ssize_t len)
{
    if (state->write_error == 0 && rec_put(state->dst, type, text, len) < 0)
        state->write_error = errno ? errno : EIO;
}

/* sm_header_recipients - collect the addresses of a recipient header */
static void sm_header_recipients(SM_COPY *state, const HEADER_OPTS *info, VSTRING *buf)
{
    TOK822 *tree;
    TOK822 **addr_list;
    TOK822 **tpp;
    ARGV *rcpt;

    if (info->flags & HDR_OPT_RR) {
        rcpt = state->resent_recipients;
        state->resent = 1;
    } else {
        rcpt = state->recipients;
    }
    tree = tok822_parse(vstring_str(buf) + strlen(info->name) + 1);
    addr_list = tok822_grep(tree, TOK822_ADDR);
    for (tpp = addr_list; *tpp; tpp++) {
        tok822_internalize(state->temp, tpp[0]->head, TOK822_STR_DEFL);
        argv_add(rcpt, vstring_str(state->temp), (char *) 0);
    }
    myfree(addr_list);
    tok822_free_tree(tree);
}

/* sm_head_out - mime_state callback: one whole header */
static void sm_head_out(void *context, int header_class, const HEADER_OPTS *info, VSTRING *buf,
                        off_t offset)
{
    SM_COPY *state = (SM_COPY *) context;
    char *line;
    char *next;
    ssize_t len;
    ssize_t n;

    if (header_class == MIME_HDR_PRIMARY && info != 0
        && (info->flags & HDR_OPT_XRECIP) == HDR_OPT_XRECIP
        && (state->resent == 0 || (info->flags & HDR_OPT_RR)))
        sm_header_recipients(state, info, buf);

    /* One record per physical line; long lines in line_length_limit pieces. */
    for (line = vstring_str(buf); line != 0; line = next) {
        next = strchr(line, '\n');
        len = next ? next - line : (ssize_t) strlen(line);
        if (next)
            next++;
        do {
            n = len > state->line_limit ? state->line_limit : len;
            sm_put(state, len > state->line_limit ? REC_TYPE_CONT : REC_TYPE_NORM, line, n);
            line += n;
            len -= n;
        } while (len > 0);
    }
}

/* sm_body_out - mime_state callback: a body line or piece */
static void sm_body_out(void *context, int rec_type, const char *text, ssize_t len,
                        off_t offset)
{
    sm_put((SM_COPY *) context, rec_type, text, len);
}

/* sm_copy_init - prepare to copy one message */
void sm_copy_init(SM_COPY *state, VSTREAM *dst, int flags, ssize_t line_limit, int strip_cr,
                  ssize_t header_limit)
{
    MIME_STATE_LIMITS limits;

    memset(state, 0, sizeof(*state));
    state->dst = dst;
    state->flags = flags;
    state->line_limit = line_limit;
    state->strip_cr = strip_cr;
    state->recipients = argv_alloc(2);
    state->resent_recipients = argv_alloc(2);
    state->temp = vstring_alloc(100);
    if (flags & SM_FLAG_XRCPT) {
        state->mime = mime_state_alloc(MIME_OPT_DISABLE_MIME | MIME_OPT_REPORT_TRUNC_HEADER,
                                       sm_head_out, 0, sm_body_out, 0, 0, (void *) state);
        limits.header_size_limit = header_limit;
        limits.nesting_limit = MIME_STATE_DEF_NESTING_LIMIT;
        limits.boundary_length_limit = MIME_STATE_DEF_BOUNDARY_LENGTH_LIMIT;
        mime_state_set_limits(state->mime, &limits);
    }
}

/* sm_copy_free - release what sm_copy_init() allocated */
void sm_copy_free(SM_COPY *state)
{
    if (state->mime)
        mime_state_free(state->mime);
    argv_free(state->recipients);
    argv_free(state->resent_recipients);
    vstring_free(state->temp);
}

/* sm_copy_recipients - the recipients that -t found */
ARGV *sm_copy_recipients(SM_COPY *state)
{
    return (state->resent ? state->resent_recipients : state->recipients);
}

/* sm_copy_message - read src to the end (or "."), write content records */
int sm_copy_message(SM_COPY *state, VSTREAM *src)
{
    VSTRING *buf = vstring_alloc(100);
    int skip_from = 1;
    int prev_type = 0;
    int type;
    int errs = 0;

    for (/* void */ ; (type = sm_read_line(src, buf, state->line_limit)) != REC_TYPE_EOF;
         prev_type = type) {
        if (state->strip_cr == SM_STRIP_CR_DONTKNOW)
            state->strip_cr = (type == REC_TYPE_NORM && VSTRING_LEN(buf) > 0
                               && vstring_end(buf)[-1] == '\r') ? SM_STRIP_CR_DO
                                                                : SM_STRIP_CR_DONT;
        if (skip_from) {
            if (type == REC_TYPE_NORM && strncmp(vstring_str(buf), "From ", 5) == 0)
                continue;
            skip_from = 0;
        }
        if (state->strip_cr == SM_STRIP_CR_DO && type == REC_TYPE_NORM) {
            while (VSTRING_LEN(buf) > 0 && vstring_end(buf)[-1] == '\r')
                vstring_truncate(buf, VSTRING_LEN(buf) - 1);
        }
        if ((state->flags & SM_FLAG_AEOF) && prev_type != REC_TYPE_CONT
            && VSTRING_LEN(buf) == 1 && vstring_str(buf)[0] == '.')
            break;
        if (state->mime) {
            if ((errs = mime_state_update(state->mime, type, vstring_str(buf),
                                          VSTRING_LEN(buf))) != 0)
                break;
        } else {
            sm_put(state, type, vstring_str(buf), VSTRING_LEN(buf));
        }
        if (state->write_error)
            break;
    }
    /* Flush what the header parser still holds (input without newline). */
    if (state->mime && errs == 0 && state->write_error == 0)
        errs = mime_state_update(state->mime, REC_TYPE_EOF, "", 0);
    vstring_free(buf);
    if (state->write_error) {
        errno = state->write_error;
        return (SM_COPY_WRITE);
    }
    if (errs)
        return (errs);
    if (vstream_ferror(src))
        return (SM_COPY_READ);
    return (SM_COPY_OK);
}
