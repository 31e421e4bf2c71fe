#ifndef SMTP_STREAM_H
#define SMTP_STREAM_H

/* smtp_stream - SMTP line I/O with timeouts and exceptions */

#include <setjmp.h>
#include <stdarg.h>

#include "vstream.h"
#include "vstring.h"

/* Exception codes: what smtp_stream_setjmp() returns after a failure. */
#define SMTP_ERR_NONE 0
#define SMTP_ERR_EOF 1          /* the peer closed the connection, or I/O error */
#define SMTP_ERR_TIME 2         /* a read or write timed out */
#define SMTP_ERR_DATA 3         /* unusable input (e.g. bare newline where forbidden) */

/* smtp_get() flags */
#define SMTP_GET_FLAG_NONE 0
#define SMTP_GET_FLAG_SKIP (1 << 0)   /* discard the rest of an overlong line */
#define SMTP_GET_FLAG_APPEND (1 << 1) /* append to the buffer */

/* What ended the last line that smtp_get() read. */
#define SMTP_LINE_CRLF 0
#define SMTP_LINE_BARE_LF 1     /* LF without CR */
#define SMTP_LINE_PARTIAL 2     /* length limit, or end of input, before any LF */

extern int smtp_line_end;       /* set by every smtp_get() */

/*
 * Exceptions: with smtp_stream_setjmp(stream, jbuf) armed, a failed read or
 * write longjmps to jbuf with one of the SMTP_ERR_* codes; unarmed, it
 * returns an error status and leaves the stream's sticky error flags set.
 */
#define smtp_stream_setjmp(stream, jb) ((stream)->jbuf = (void *) (jb), setjmp(*(jb)))
#define smtp_stream_disarm(stream) ((stream)->jbuf = 0)

extern void smtp_stream_setup(VSTREAM *stream, int timeout, int enable_deadline);
extern int smtp_get(VSTRING *vp, VSTREAM *stream, ssize_t maxlen, int flags);
extern ssize_t smtp_fread_buf(char *buf, ssize_t len, VSTREAM *stream);
extern int smtp_fputs(const char *str, ssize_t len, VSTREAM *stream);
extern int smtp_fwrite(const char *str, ssize_t len, VSTREAM *stream);
extern int smtp_fputc(int ch, VSTREAM *stream);
extern int smtp_printf(VSTREAM *stream, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
extern int smtp_vprintf(VSTREAM *stream, const char *fmt, va_list ap);
extern int smtp_flush(VSTREAM *stream);

#endif
