/*
 * mail_copy - write one queued message out as a mailbox entry, a file or
 * a command's standard input.
 *
 * Exports mail_copy() and mail_copy_from_line(). The message content is
 * the N/L records from the data offset to the X record; L records are
 * pieces of one long line and get no line ending. Optional additions, in
 * this order: the "From sender  date" line (a null sender is written as
 * MAILER-DAEMON, two spaces before the 24-character asctime() date),
 * Return-Path:, X-Original-To:, Delivered-To: (lower case), then the
 * content with ">From " quoting and/or dot doubling at line starts, then an
 * empty line. Addresses are quoted as RFC 5322 local parts need.
 *
 * For a file destination (MAIL_COPY_TOFILE) the data is fsynced, and any
 * failure truncates the file back to the size it had before, so that a
 * mailbox never holds half a message. Write errors report 5.2.2 when the
 * file is too large (mailbox_size_limit) or the quota is exhausted, 4.3.0
 * otherwise; read errors and damaged queue files report 4.3.0.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "mail_addr.h"
#include "mail_copy.h"
#include "msg.h"
#include "quote_822_local.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"
#include "sys_exits.h"
#include "vstring.h"

/* mail_copy_from_line - "From sender  Www Mmm dd hh:mm:ss yyyy" */
const char *mail_copy_from_line(VSTRING *buf, const char *sender, time_t when)
{
    VSTRING *quoted = vstring_alloc(100);
    struct tm *tm = localtime(&when);
    char date[64];

    if (tm == 0 || strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", tm) == 0)
        strcpy(date, "Thu Jan  1 00:00:00 1970");
    vstring_sprintf(
        buf, "From %s  %.24s",
        *sender == 0 ? MAIL_ADDR_MAIL_DAEMON : vstring_str(quote_822_local(quoted, sender)), date);
    vstring_free(quoted);
    return (vstring_str(buf));
}

/* mail_copy_headers - the lines that go before the message */
static void mail_copy_headers(const char *sender, const char *orig_rcpt, const char *delivered,
                              VSTREAM *dst, int flags, const char *eol)
{
    VSTRING *buf = vstring_alloc(100);

    if (flags & MAIL_COPY_FROM)
        vstream_fprintf(dst, "%s%s", mail_copy_from_line(buf, sender, time((time_t *)0)), eol);
    if (flags & MAIL_COPY_RETURN_PATH)
        vstream_fprintf(dst, "Return-Path: <%s>%s",
                        *sender ? vstring_str(quote_822_local(buf, sender)) : "", eol);
    if ((flags & MAIL_COPY_ORIG_RCPT) && orig_rcpt != 0 && *orig_rcpt != 0)
        vstream_fprintf(dst, "X-Original-To: %s%s", vstring_str(quote_822_local(buf, orig_rcpt)),
                        eol);
    if ((flags & MAIL_COPY_DELIVERED) && delivered != 0)
        vstream_fprintf(dst, "Delivered-To: %s%s",
                        lowercase(vstring_str(quote_822_local(buf, delivered))), eol);
    vstring_free(buf);
}

/* mail_copy_body - copy N/L records; returns the record type that ended it */
static int mail_copy_body(VSTREAM *src, VSTREAM *dst, int flags, const char *eol, int *last,
                          int *werr)
{
    VSTRING *buf = vstring_alloc(2048);
    int prev = REC_TYPE_NORM;
    int type;

    while ((type = rec_get(src, buf, 0)) > 0) {
        if (type != REC_TYPE_NORM && type != REC_TYPE_CONT)
            break;
        if (prev == REC_TYPE_NORM) {
            /* Only the start of a line can look like a mailbox separator. */
            if ((flags & MAIL_COPY_QUOTE) && VSTRING_LEN(buf) >= 5 &&
                strncmp(vstring_str(buf), "From ", 5) == 0)
                vstream_putc('>', dst);
            if ((flags & MAIL_COPY_DOT) && vstring_str(buf)[0] == '.')
                vstream_putc('.', dst);
        }
        if (VSTRING_LEN(buf) > 0)
            vstream_fwrite(dst, vstring_str(buf), VSTRING_LEN(buf));
        if (type == REC_TYPE_NORM)
            vstream_fputs(eol, dst);
        prev = type;
        if (vstream_ferror(dst)) {
            /* The stream keeps no errno: take it while it is fresh. */
            *werr = errno;
            break;
        }
    }
    vstring_free(buf);
    *last = prev;
    return (type);
}

/* mail_copy - copy the message; MAIL_COPY_STAT_* result, reason in why */
int mail_copy(const char *sender, const char *orig_rcpt, const char *delivered, VSTREAM *src,
              off_t offset, VSTREAM *dst, int flags, const char *eol, DSN_BUF *why)
{
    off_t orig_size = 0;
    int type;
    int last = REC_TYPE_NORM;
    int corrupt = 0;
    int read_error = 0;
    int write_error = 0;
    int err = 0;

    if (flags & MAIL_COPY_TOFILE)
        orig_size = vstream_ftell(dst);
    if (vstream_fseek(src, offset, SEEK_SET) < 0) {
        read_error = 1;
    } else {
        mail_copy_headers(sender, orig_rcpt, delivered, dst, flags, eol);
        if (vstream_ferror(dst))
            err = errno;
        type = mail_copy_body(src, dst, flags, eol, &last, &err);
        if (vstream_ferror(src)) {
            read_error = 1;
        } else if (type != REC_TYPE_XTRA && !vstream_ferror(dst)) {
            corrupt = 1;
            msg_warn("%s: message content ends in record type %d, not %c", vstream_path(src), type,
                     REC_TYPE_XTRA);
        }
        if (flags & MAIL_COPY_BLANK) {
            if (last == REC_TYPE_CONT)
                vstream_fputs(eol, dst);
            vstream_fputs(eol, dst);
        }
    }
    if (vstream_ferror(dst)) {
        write_error = 1;
    } else {
        errno = 0;
        if (vstream_fflush(dst) != 0 || vstream_ferror(dst) ||
            ((flags & MAIL_COPY_TOFILE) && fsync(vstream_fileno(dst)) < 0)) {
            write_error = 1;
            err = errno;
        }
    }
    if (write_error && err == 0)
        err = EIO;
    if ((corrupt || read_error || write_error) && (flags & MAIL_COPY_TOFILE)) {
        /* Nothing still buffered may land after the truncation. */
        vstream_fpurge(dst);
        if (ftruncate(vstream_fileno(dst), orig_size) < 0)
            msg_warn("truncate %s back to %ld bytes: %m", vstream_path(dst), (long)orig_size);
    }
    if (read_error) {
        dsb_simple(why, "4.3.0", "error reading message: queue file read error");
        return (MAIL_COPY_STAT_READ);
    }
    if (corrupt) {
        dsb_simple(why, "4.3.0", "error reading message: queue file is damaged");
        return (MAIL_COPY_STAT_CORRUPT);
    }
    if (write_error) {
        dsb_unix(why, (err == EFBIG || err == EDQUOT) ? "5.2.2" : "4.3.0",
                 sys_exits_strerror(EX_IOERR), "error writing message: %s", strerror(err));
        return (MAIL_COPY_STAT_WRITE);
    }
    return (MAIL_COPY_STAT_OK);
}
