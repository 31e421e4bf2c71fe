#ifndef VSTREAM_H
#define VSTREAM_H

/* vstream - buffered streams over files and sockets, with timeouts */

#include <stdarg.h>
#include <sys/types.h>
#include <time.h>

#include "vstring.h"

#define VSTREAM_EOF (-1)
#define VSTREAM_BUFSIZE 4096

#define VSTREAM_FLAG_ERR 0x01     /* an I/O error happened (sticky) */
#define VSTREAM_FLAG_EOF 0x02     /* end of input seen (sticky) */
#define VSTREAM_FLAG_TIMEOUT 0x04 /* a read or write timed out (sticky) */
#define VSTREAM_FLAG_READ 0x10    /* opened for reading */
#define VSTREAM_FLAG_WRITE 0x20   /* opened for writing */
#define VSTREAM_FLAG_NOCLOSE 0x40 /* fclose does not close the descriptor */
#define VSTREAM_FLAG_KPOS 0x80    /* kpos is the descriptor's file offset */

typedef struct VSTREAM {
    int fd;
    int wfd;                    /* write descriptor: fd unless set otherwise */
    int flags;
    char *rbuf;                 /* read buffer, allocated on first use */
    size_t rpos, rlen;          /* next byte to read; bytes in buffer */
    char *wbuf;                 /* write buffer, allocated on first use */
    size_t wlen;                /* bytes waiting to be written */
    int timeout;                /* seconds per read or write; 0 = wait forever */
    time_t deadline;            /* absolute time limit for all I/O; 0 = none */
    off_t kpos;                 /* descriptor offset, valid with VSTREAM_FLAG_KPOS */
    char *path;                 /* for diagnostics */
    void *context;              /* owner's data */
    void *jbuf;                 /* jmp_buf for protocol exceptions, see smtp_stream */
} VSTREAM;

extern VSTREAM vstream_std[3];
#define VSTREAM_IN (&vstream_std[0])
#define VSTREAM_OUT (&vstream_std[1])
#define VSTREAM_ERR (&vstream_std[2])

extern VSTREAM *vstream_fopen(const char *path, int flags, mode_t mode);
extern VSTREAM *vstream_fdopen(int fd, int flags);
extern void vstream_set_write_fd(VSTREAM *stream, int fd);
extern int vstream_fclose(VSTREAM *stream);
extern int vstream_fdclose(VSTREAM *stream);
extern int vstream_fflush(VSTREAM *stream);
extern int vstream_getc(VSTREAM *stream);
extern int vstream_ungetc(VSTREAM *stream, int ch);
extern int vstream_putc(int ch, VSTREAM *stream);
extern ssize_t vstream_fread(VSTREAM *stream, void *buf, size_t len);
extern ssize_t vstream_fwrite(VSTREAM *stream, const void *buf, size_t len);
extern int vstream_fputs(const char *str, VSTREAM *stream);
extern int vstream_fprintf(VSTREAM *stream, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
extern int vstream_vfprintf(VSTREAM *stream, const char *fmt, va_list ap);
extern int vstream_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern off_t vstream_fseek(VSTREAM *stream, off_t offset, int whence);
extern off_t vstream_ftell(VSTREAM *stream);
extern size_t vstream_peek(VSTREAM *stream);
extern void vstream_fpurge(VSTREAM *stream);
extern void vstream_set_timeout(VSTREAM *stream, int seconds);
extern void vstream_set_deadline(VSTREAM *stream, int seconds);
extern void vstream_set_path(VSTREAM *stream, const char *path);
extern int vstream_wait_readable(VSTREAM *stream, int seconds);

#define vstream_fileno(s) ((s)->fd)
#define vstream_path(s) ((s)->path ? (s)->path : "unknown_stream")
#define vstream_ferror(s) ((s)->flags & (VSTREAM_FLAG_ERR | VSTREAM_FLAG_TIMEOUT))
#define vstream_feof(s) ((s)->flags & VSTREAM_FLAG_EOF)
#define vstream_ftimeout(s) ((s)->flags & VSTREAM_FLAG_TIMEOUT)
#define vstream_clearerr(s) ((s)->flags &= ~(VSTREAM_FLAG_ERR | VSTREAM_FLAG_EOF | VSTREAM_FLAG_TIMEOUT))

/* Line input into a VSTRING. The result is the last byte read, or VSTREAM_EOF. */
extern int vstring_get(VSTRING *vp, VSTREAM *stream);
extern int vstring_get_nonl(VSTRING *vp, VSTREAM *stream);
extern int vstring_get_bound(VSTRING *vp, VSTREAM *stream, size_t bound);
extern int vstring_get_nonl_bound(VSTRING *vp, VSTREAM *stream, size_t bound);
extern int vstring_get_null(VSTRING *vp, VSTREAM *stream);

#endif
