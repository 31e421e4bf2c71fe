/*
 * cleanup_out - write records to the queue file.
 *
 * All output of the cleanup daemon goes through here, so that one place
 * enforces the rules: nothing more is written once an error has made the
 * message unacceptable (CLEANUP_OUT_OK), text longer than line_length_limit
 * is split into L records and a final N record, and the queue file may not
 * grow beyond message_size_limit (CLEANUP_STAT_SIZE). A write error sets
 * CLEANUP_STAT_WRITE; the client then hears that the message was not
 * accepted, and the partial file is removed.
 *
 * cleanup_out_header() writes a header that may span several lines (joined
 * by newlines, as the MIME parser delivers them) as one N record per line,
 * truncated to header_size_limit; continuation lines that lost their
 * leading white space to address rewriting get a tab back.
 * cleanup_fold_header() first joins rewritten address lines as long as they
 * stay below 70 characters. cleanup_out_size() rewrites the C record in
 * place with the final numbers.
 */

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_params.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"

/* cleanup_out_error - remember why the queue file could not be written */
static void cleanup_out_error(CLEANUP_STATE *state, int err)
{
    if (err == EFBIG) {
        msg_warn("%s: queue file size limit exceeded", state->queue_id);
        state->errs |= CLEANUP_STAT_SIZE;
    } else {
        errno = err;
        msg_warn("%s: write queue file: %m", state->queue_id);
        state->errs |= CLEANUP_STAT_WRITE;
    }
}

/* cleanup_out - write one logical record, split when too long */
void cleanup_out(CLEANUP_STATE *state, int type, const char *buf, ssize_t len)
{
    ssize_t limit = var_line_length_limit;
    int ok = 1;

    if (!CLEANUP_OUT_OK(state))
        return;
    if (limit <= 0)
        msg_panic("cleanup_out: bad line length limit %ld", (long) limit);
    if (var_message_size_limit > 0
        && vstream_ftell(state->dst) + len + 10 > (off_t) var_message_size_limit) {
        cleanup_out_error(state, EFBIG);
        return;
    }
    while ((type == REC_TYPE_NORM || type == REC_TYPE_CONT) && len > limit && ok) {
        ok = (rec_put(state->dst, REC_TYPE_CONT, buf, limit) == REC_TYPE_CONT);
        buf += limit;
        len -= limit;
    }
    if (ok)
        ok = (rec_put(state->dst, type, buf, len) == type);
    if (!ok || vstream_ferror(state->dst))
        cleanup_out_error(state, errno ? errno : EIO);
}

/* cleanup_out_string - write a null-terminated string */
void cleanup_out_string(CLEANUP_STATE *state, int type, const char *str)
{
    cleanup_out(state, type, str, (ssize_t) strlen(str));
}

/* cleanup_out_format - write formatted text */
void cleanup_out_format(CLEANUP_STATE *state, int type, const char *fmt, ...)
{
    VSTRING *buf = vstring_alloc(100);
    va_list ap;

    va_start(ap, fmt);
    vstring_vsprintf(buf, fmt, ap);
    va_end(ap);
    cleanup_out(state, type, vstring_str(buf), (ssize_t) VSTRING_LEN(buf));
    vstring_free(buf);
}

/* cleanup_out_header - one header, one record per line */
void cleanup_out_header(CLEANUP_STATE *state, VSTRING *header)
{
    char *start = vstring_str(header);
    char *line;
    char *next;
    ssize_t limit = var_header_size_limit;

    for (line = start; line != 0; line = next) {
        next = split_at(line, '\n');
        if (line + strlen(line) > start + limit) {
            /* Prefer a cut at a line boundary unless that loses much text. */
            if (line - start > 0.9 * limit)
                break;
            start[limit] = 0;
            next = 0;
        }
        if (line == start || *line == ' ' || *line == '\t')
            cleanup_out_string(state, REC_TYPE_NORM, line);
        else
            cleanup_out_format(state, REC_TYPE_NORM, "\t%s", line);
    }
}

/* cleanup_fold_header - join short rewritten address lines, then output */
void cleanup_fold_header(CLEANUP_STATE *state, VSTRING *header)
{
    char *start_line;
    char *line;
    char *end_line;
    char *next_line;
    char *src;
    char *dst;

    /* Lines start without white space here; the output puts a tab back. */
    for (src = dst = vstring_str(header); *src; src++) {
        *dst++ = *src;
        if (*src == '\n')
            while (src[1] == ' ' || src[1] == '\t')
                src++;
    }
    *dst = 0;
    vstring_truncate(header, (size_t) (dst - vstring_str(header)));
    start_line = vstring_str(header);
    for (line = start_line; line != 0; line = next_line) {
        end_line = line + strcspn(line, "\n");
        if (line > start_line) {
            if (end_line - start_line < 70)
                line[-1] = ' ';
            else
                start_line = line;
        }
        next_line = *end_line ? end_line + 1 : 0;
    }
    cleanup_out_header(state, header);
}

/* cleanup_out_size - the C record, written first and rewritten at the end */
void cleanup_out_size(CLEANUP_STATE *state)
{
    cleanup_out_format(state, REC_TYPE_SIZE, REC_SIZE_FORMAT,
                       (long) (state->xtra_offset - state->data_offset),
                       (long) state->data_offset, (long) state->rcpt_count,
                       (long) state->qmgr_opts, (long) state->cont_length, (long) state->smtputf8);
}
