/*
 * smtp_stream - line I/O for SMTP and LMTP, shared by server and client.
 *
 * smtp_get() reads one line into a VSTRING without its line ending, at most
 * maxlen bytes of it (the rest of an overlong line is left for the next call,
 * or discarded with SMTP_GET_FLAG_SKIP), and records in smtp_line_end how the
 * line ended: CRLF, a bare LF (which the server may refuse, against SMTP
 * smuggling), or no LF at all. The output functions append CRLF where SMTP
 * wants it.
 *
 * Every function applies the stream's timeout (smtp_stream_setup) and, when
 * the caller has armed an exception with smtp_stream_setjmp(), turns EOF,
 * I/O errors and timeouts into a longjmp with SMTP_ERR_EOF or SMTP_ERR_TIME,
 * so that protocol code is not cluttered with error checks after each line.
 */

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "smtp_stream.h"

int     smtp_line_end;

/* smtp_stream_setup - per-operation timeout, or one deadline for the session part */
void smtp_stream_setup(VSTREAM *stream, int timeout, int enable_deadline)
{
    vstream_clearerr(stream);
    if (enable_deadline) {
        vstream_set_timeout(stream, 0);
        vstream_set_deadline(stream, timeout);
    } else {
        vstream_set_deadline(stream, 0);
        vstream_set_timeout(stream, timeout);
    }
}

/* smtp_raise - report a failed operation: longjmp when armed */
static int smtp_raise(VSTREAM *stream)
{
    int err = vstream_ftimeout(stream) ? SMTP_ERR_TIME : SMTP_ERR_EOF;

    if (stream->jbuf)
        longjmp(*(jmp_buf *) stream->jbuf, err);
    return (VSTREAM_EOF);
}

/* smtp_get - read one line without its line ending */
int smtp_get(VSTRING *vp, VSTREAM *stream, ssize_t maxlen, int flags)
{
    size_t start;
    int last;
    int ch;

    if ((flags & SMTP_GET_FLAG_APPEND) == 0)
        VSTRING_RESET(vp);
    start = VSTRING_LEN(vp);
    /* vstring_get_bound resets; read into the tail by hand instead. */
    last = VSTREAM_EOF;
    while (maxlen <= 0 || (ssize_t) (VSTRING_LEN(vp) - start) < maxlen) {
        if ((ch = vstream_getc(stream)) == VSTREAM_EOF)
            break;
        last = ch;
        if (ch == '\n')
            break;
        VSTRING_ADDCH(vp, ch);
    }
    if (last == '\n') {
        if (VSTRING_LEN(vp) > start && vstring_end(vp)[-1] == '\r') {
            vstring_truncate(vp, VSTRING_LEN(vp) - 1);
            smtp_line_end = SMTP_LINE_CRLF;
        } else {
            smtp_line_end = SMTP_LINE_BARE_LF;
        }
        return ('\n');
    }
    smtp_line_end = SMTP_LINE_PARTIAL;
    if (last == VSTREAM_EOF && VSTRING_LEN(vp) == start)
        return (smtp_raise(stream));
    if ((flags & SMTP_GET_FLAG_SKIP) && last != VSTREAM_EOF) {
        while ((ch = vstream_getc(stream)) != VSTREAM_EOF && ch != '\n')
            /* void */ ;
        if (ch == VSTREAM_EOF && vstream_ferror(stream))
            return (smtp_raise(stream));
    }
    if (VSTRING_LEN(vp) > start && vstring_end(vp)[-1] == '\r' && (flags & SMTP_GET_FLAG_SKIP))
        vstring_truncate(vp, VSTRING_LEN(vp) - 1);
    return (last);
}

/* smtp_fread_buf - read exactly len bytes (BDAT chunks) */
ssize_t smtp_fread_buf(char *buf, ssize_t len, VSTREAM *stream)
{
    if (len <= 0)
        return (0);
    if (vstream_fread(stream, buf, len) != len)
        return (smtp_raise(stream));
    return (len);
}

/* smtp_fwrite - write bytes as they are */
int smtp_fwrite(const char *str, ssize_t len, VSTREAM *stream)
{
    if (len > 0 && vstream_fwrite(stream, str, len) != len)
        return (smtp_raise(stream));
    if (vstream_ferror(stream))
        return (smtp_raise(stream));
    return (0);
}

/* smtp_fputs - write a line and CRLF */
int smtp_fputs(const char *str, ssize_t len, VSTREAM *stream)
{
    if (len < 0)
        len = strlen(str);
    if (smtp_fwrite(str, len, stream) != 0)
        return (VSTREAM_EOF);
    return (smtp_fwrite("\r\n", 2, stream));
}

/* smtp_fputc - write one byte */
int smtp_fputc(int ch, VSTREAM *stream)
{
    char c = ch;

    return (smtp_fwrite(&c, 1, stream));
}

/* smtp_vprintf - write a formatted line and CRLF */
int smtp_vprintf(VSTREAM *stream, const char *fmt, va_list ap)
{
    vstream_vfprintf(stream, fmt, ap);
    if (vstream_ferror(stream))
        return (smtp_raise(stream));
    return (smtp_fwrite("\r\n", 2, stream));
}

/* smtp_printf - write a formatted line and CRLF */
int smtp_printf(VSTREAM *stream, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = smtp_vprintf(stream, fmt, ap);
    va_end(ap);
    return (ret);
}

/* smtp_flush - send what is buffered */
int smtp_flush(VSTREAM *stream)
{
    if (vstream_fflush(stream) == VSTREAM_EOF)
        return (smtp_raise(stream));
    return (0);
}
