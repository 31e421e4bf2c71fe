/*
 * vstream - buffered I/O over file descriptors.
 *
 * Each stream has separate read and write buffers, so one socket can carry a
 * conversation in both directions. Buffered output is flushed before the
 * stream must go to the descriptor for more input: a server that answers
 * pipelined commands sends its replies in one write, when the client's input
 * runs dry. Errors, end of input and timeouts set sticky flags that the
 * caller tests with vstream_ferror/feof/ftimeout; a stream never retries an
 * operation that failed.
 *
 * A timeout bounds each read or write; a deadline bounds all I/O until it is
 * changed (a whole DATA transfer, say). Both use poll(2) before the I/O call.
 *
 * A stream over a regular file remembers the descriptor's offset once a seek
 * or tell has asked the kernel for it, and keeps it up to date across its own
 * reads and writes, so that vstream_ftell() (cleanup asks for every record)
 * costs no system call. Append-mode descriptors never cache: their writes go
 * wherever the end of the file is. Code that moves the offset behind the
 * stream's back must use vstream_fseek() instead.
 */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "vstream.h"

static off_t kernel_offset(VSTREAM *);
static off_t seek_kernel(VSTREAM *, off_t, int);

VSTREAM vstream_std[3] = {
    {.fd = 0, .wfd = 0, .flags = VSTREAM_FLAG_READ | VSTREAM_FLAG_NOCLOSE},
    {.fd = 1, .wfd = 1, .flags = VSTREAM_FLAG_WRITE | VSTREAM_FLAG_NOCLOSE},
    {.fd = 2, .wfd = 2, .flags = VSTREAM_FLAG_WRITE | VSTREAM_FLAG_NOCLOSE},
};

/* vstream_fdopen - wrap a descriptor; flags are O_RDONLY, O_WRONLY or O_RDWR */
VSTREAM *vstream_fdopen(int fd, int flags)
{
    VSTREAM *stream = mycalloc(1, sizeof(*stream));

    if (fd < 0)
        msg_panic("vstream_fdopen: bad descriptor %d", fd);
    stream->fd = fd;
    stream->wfd = fd;
    switch (flags & O_ACCMODE) {
    case O_RDONLY:
        stream->flags = VSTREAM_FLAG_READ;
        break;
    case O_WRONLY:
        stream->flags = VSTREAM_FLAG_WRITE;
        break;
    default:
        stream->flags = VSTREAM_FLAG_READ | VSTREAM_FLAG_WRITE;
        break;
    }
    return (stream);
}

/*
 * vstream_set_write_fd - write to another descriptor than the one read
 * (a stream over a pipe pair, such as standard input and output).
 */
void vstream_set_write_fd(VSTREAM *stream, int fd)
{
    if (fd < 0)
        msg_panic("vstream_set_write_fd: bad descriptor %d", fd);
    stream->wfd = fd;
}

/* vstream_fopen - open a file as a stream; null with errno set on failure */
VSTREAM *vstream_fopen(const char *path, int flags, mode_t mode)
{
    VSTREAM *stream;
    int fd;

    if ((fd = open(path, flags | O_CLOEXEC, mode)) < 0)
        return (0);
    stream = vstream_fdopen(fd, flags);
    stream->path = mystrdup(path);
    return (stream);
}

/* vstream_set_path - name the stream for diagnostics */
void vstream_set_path(VSTREAM *stream, const char *path)
{
    char *old = stream->path;

    stream->path = mystrdup(path);
    myfree(old);
}

/* vstream_set_timeout - limit each read or write to this many seconds */
void vstream_set_timeout(VSTREAM *stream, int seconds)
{
    stream->timeout = seconds > 0 ? seconds : 0;
}

/* vstream_set_deadline - limit all I/O from now on to this many seconds; 0 clears */
void vstream_set_deadline(VSTREAM *stream, int seconds)
{
    stream->deadline = seconds > 0 ? time((time_t *) 0) + seconds : 0;
}

/* wait_ms - how long the next I/O may wait, in milliseconds; -1 = forever */
static int wait_ms(VSTREAM *stream)
{
    int ms = stream->timeout > 0 ? stream->timeout * 1000 : -1;

    if (stream->deadline) {
        time_t left = stream->deadline - time((time_t *) 0);
        int dms = left > 0 ? (int) left * 1000 : 0;

        if (ms < 0 || dms < ms)
            ms = dms;
    }
    return (ms);
}

/* wait_fd - wait until the descriptor is ready; 0 = ready, -1 = timed out */
static int wait_fd(VSTREAM *stream, short events)
{
    struct pollfd pfd;
    int ms = wait_ms(stream);
    int n;

    if (ms < 0)
        return (0);
    pfd.fd = (events & POLLOUT) ? stream->wfd : stream->fd;
    pfd.events = events;
    do {
        n = poll(&pfd, 1, ms);
    } while (n < 0 && errno == EINTR);
    if (n == 0) {
        stream->flags |= VSTREAM_FLAG_TIMEOUT;
        errno = ETIMEDOUT;
        return (-1);
    }
    return (0);
}

/* vstream_wait_readable - wait for input; 1 = ready or buffered, 0 = timeout */
int vstream_wait_readable(VSTREAM *stream, int seconds)
{
    struct pollfd pfd;
    int n;

    if (stream->rpos < stream->rlen)
        return (1);
    pfd.fd = stream->fd;
    pfd.events = POLLIN;
    do {
        n = poll(&pfd, 1, seconds < 0 ? -1 : seconds * 1000);
    } while (n < 0 && errno == EINTR);
    return (n > 0);
}

/* write_all - write a buffer to the descriptor, honouring timeouts */
static int write_all(VSTREAM *stream, const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        if (wait_fd(stream, POLLOUT) < 0)
            return (-1);
        n = write(stream->wfd, buf, len);
        if (n < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            stream->flags |= VSTREAM_FLAG_ERR;
            return (-1);
        }
        if (stream->wfd == stream->fd)
            stream->kpos += n;
        buf += n;
        len -= n;
    }
    return (0);
}

/* vstream_fflush - write buffered output */
int vstream_fflush(VSTREAM *stream)
{
    size_t len = stream->wlen;

    if (len == 0)
        return (vstream_ferror(stream) ? VSTREAM_EOF : 0);
    stream->wlen = 0;
    if (vstream_ferror(stream) || write_all(stream, stream->wbuf, len) < 0)
        return (VSTREAM_EOF);
    return (0);
}

/* fill - refill the read buffer; returns bytes read, 0 at EOF or error */
static ssize_t fill(VSTREAM *stream)
{
    ssize_t n;

    if ((stream->flags & VSTREAM_FLAG_READ) == 0)
        msg_panic("%s: read from stream not open for reading", vstream_path(stream));
    if (vstream_ferror(stream) || vstream_feof(stream))
        return (0);
    if (stream->wlen && vstream_fflush(stream) == VSTREAM_EOF)
        return (0);
    if (stream->rbuf == 0)
        stream->rbuf = mymalloc(VSTREAM_BUFSIZE);
    stream->rpos = stream->rlen = 0;
    for (;;) {
        if (wait_fd(stream, POLLIN) < 0)
            return (0);
        n = read(stream->fd, stream->rbuf, VSTREAM_BUFSIZE);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        break;
    }
    if (n < 0) {
        stream->flags |= VSTREAM_FLAG_ERR;
        return (0);
    }
    if (n == 0) {
        stream->flags |= VSTREAM_FLAG_EOF;
        return (0);
    }
    stream->rlen = n;
    stream->kpos += n;
    return (n);
}

/* vstream_getc - read one byte */
int vstream_getc(VSTREAM *stream)
{
    if (stream->rpos >= stream->rlen && fill(stream) == 0)
        return (VSTREAM_EOF);
    return ((unsigned char) stream->rbuf[stream->rpos++]);
}

/* vstream_ungetc - push back the byte just read */
int vstream_ungetc(VSTREAM *stream, int ch)
{
    if (ch == VSTREAM_EOF || stream->rpos == 0)
        return (VSTREAM_EOF);
    stream->rbuf[--stream->rpos] = ch;
    return (ch);
}

/* vstream_fread - read up to len bytes; returns the count, short only at EOF/error */
ssize_t vstream_fread(VSTREAM *stream, void *buf, size_t len)
{
    char *dst = buf;
    size_t done = 0;
    size_t chunk;

    while (done < len) {
        if (stream->rpos >= stream->rlen && fill(stream) == 0)
            break;
        chunk = stream->rlen - stream->rpos;
        if (chunk > len - done)
            chunk = len - done;
        memcpy(dst + done, stream->rbuf + stream->rpos, chunk);
        stream->rpos += chunk;
        done += chunk;
    }
    return (done);
}

/* vstream_fwrite - buffer len bytes for output; returns len, or 0 on error */
ssize_t vstream_fwrite(VSTREAM *stream, const void *buf, size_t len)
{
    const char *src = buf;
    size_t chunk;

    if ((stream->flags & VSTREAM_FLAG_WRITE) == 0)
        msg_panic("%s: write to stream not open for writing", vstream_path(stream));
    if (vstream_ferror(stream))
        return (0);
    if (stream->wbuf == 0)
        stream->wbuf = mymalloc(VSTREAM_BUFSIZE);
    /* Input read ahead from a file must not be overwritten out of order. */
    if (stream->rpos < stream->rlen && kernel_offset(stream) >= 0
        && seek_kernel(stream, 0, SEEK_CUR) < 0)
        return (0);
    if (len >= VSTREAM_BUFSIZE) {
        if (vstream_fflush(stream) == VSTREAM_EOF || write_all(stream, src, len) < 0)
            return (0);
        return (len);
    }
    while (len > 0) {
        if (stream->wlen == VSTREAM_BUFSIZE && vstream_fflush(stream) == VSTREAM_EOF)
            return (0);
        chunk = VSTREAM_BUFSIZE - stream->wlen;
        if (chunk > len)
            chunk = len;
        memcpy(stream->wbuf + stream->wlen, src, chunk);
        stream->wlen += chunk;
        src += chunk;
        len -= chunk;
    }
    return (src - (const char *) buf);
}

/* vstream_putc - write one byte */
int vstream_putc(int ch, VSTREAM *stream)
{
    unsigned char c = ch;

    return (vstream_fwrite(stream, &c, 1) == 1 ? c : VSTREAM_EOF);
}

/* vstream_fputs - write a string */
int vstream_fputs(const char *str, VSTREAM *stream)
{
    size_t len = strlen(str);

    return (vstream_fwrite(stream, str, len) == (ssize_t) len || len == 0 ? 0 : VSTREAM_EOF);
}

/* vstream_vfprintf - write formatted text */
int vstream_vfprintf(VSTREAM *stream, const char *fmt, va_list ap)
{
    char small[512];
    va_list ap2;
    int len;
    char *big;

    va_copy(ap2, ap);
    len = vsnprintf(small, sizeof(small), fmt, ap2);
    va_end(ap2);
    if (len < 0)
        msg_panic("vstream_vfprintf: bad format \"%s\"", fmt);
    if ((size_t) len < sizeof(small)) {
        vstream_fwrite(stream, small, len);
    } else {
        big = mymalloc(len + 1);
        vsnprintf(big, len + 1, fmt, ap);
        vstream_fwrite(stream, big, len);
        myfree(big);
    }
    return (vstream_ferror(stream) ? VSTREAM_EOF : len);
}

/* vstream_fprintf - write formatted text */
int vstream_fprintf(VSTREAM *stream, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = vstream_vfprintf(stream, fmt, ap);
    va_end(ap);
    return (ret);
}

/* vstream_printf - write formatted text to standard output */
int vstream_printf(const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = vstream_vfprintf(VSTREAM_OUT, fmt, ap);
    va_end(ap);
    return (ret);
}

/* remember_offset - cache the descriptor offset unless it is append-only */
static off_t remember_offset(VSTREAM *stream, off_t pos)
{
    int fl;

    if (pos < 0)
        stream->flags &= ~VSTREAM_FLAG_KPOS;
    else if ((stream->flags & VSTREAM_FLAG_KPOS) == 0
        && (fl = fcntl(stream->fd, F_GETFL)) >= 0 && (fl & O_APPEND) == 0)
        stream->flags |= VSTREAM_FLAG_KPOS;
    stream->kpos = pos;
    return (pos);
}

/* kernel_offset - the descriptor's offset, from the cache when possible */
static off_t kernel_offset(VSTREAM *stream)
{
    if (stream->flags & VSTREAM_FLAG_KPOS)
        return (stream->kpos);
    return (remember_offset(stream, lseek(stream->fd, 0, SEEK_CUR)));
}

/* seek_kernel - move the descriptor, dropping buffered input */
static off_t seek_kernel(VSTREAM *stream, off_t offset, int whence)
{
    off_t pos;

    if (whence == SEEK_CUR)
        offset -= (off_t) (stream->rlen - stream->rpos);
    stream->rpos = stream->rlen = 0;
    if ((pos = lseek(stream->fd, offset, whence)) < 0)
        return (-1);
    stream->flags &= ~VSTREAM_FLAG_EOF;
    return (remember_offset(stream, pos));
}

/* vstream_fseek - reposition; buffered output is written first, buffered input dropped */
off_t vstream_fseek(VSTREAM *stream, off_t offset, int whence)
{
    /*
     * Buffered input is always dropped, even when the target lies inside
     * it: another process may have changed the file since it was read
     * (delivery agents mark recipients done in queue files that qmgr reads).
     */
    if (vstream_fflush(stream) == VSTREAM_EOF)
        return (-1);
    return (seek_kernel(stream, offset, whence));
}

/* vstream_ftell - the logical position */
off_t vstream_ftell(VSTREAM *stream)
{
    off_t pos;

    if ((pos = kernel_offset(stream)) < 0)
        return (-1);
    return (pos - (off_t) (stream->rlen - stream->rpos) + (off_t) stream->wlen);
}

/* vstream_peek - bytes that can be read without a system call */
size_t vstream_peek(VSTREAM *stream)
{
    return (stream->rlen - stream->rpos);
}

/* vstream_fpurge - discard buffered input and output */
void vstream_fpurge(VSTREAM *stream)
{
    stream->rpos = stream->rlen = 0;
    stream->wlen = 0;
}

/* release - free the stream's memory */
static void release(VSTREAM *stream)
{
    myfree(stream->rbuf);
    myfree(stream->wbuf);
    myfree(stream->path);
    if (stream >= vstream_std && stream < vstream_std + 3) {
        stream->rbuf = stream->wbuf = stream->path = 0;
        return;
    }
    myfree(stream);
}

/* vstream_fclose - flush, close the descriptor, free; VSTREAM_EOF if any I/O failed */
int vstream_fclose(VSTREAM *stream)
{
    int err;

    err = (stream->flags & VSTREAM_FLAG_WRITE) ? vstream_fflush(stream) : 0;
    if (vstream_ferror(stream))
        err = VSTREAM_EOF;
    if ((stream->flags & VSTREAM_FLAG_NOCLOSE) == 0 && close(stream->fd) < 0)
        err = VSTREAM_EOF;
    if ((stream->flags & VSTREAM_FLAG_NOCLOSE) == 0 && stream->wfd != stream->fd
        && close(stream->wfd) < 0)
        err = VSTREAM_EOF;
    release(stream);
    return (err);
}

/* vstream_fdclose - like vstream_fclose but leave the descriptor open */
int vstream_fdclose(VSTREAM *stream)
{
    stream->flags |= VSTREAM_FLAG_NOCLOSE;
    return (vstream_fclose(stream));
}

/* get_until - append input up to and including the delimiter, within bound */
static int get_until(VSTRING *vp, VSTREAM *stream, int delim, size_t bound)
{
    size_t start = VSTRING_LEN(vp);
    size_t got = 0;
    size_t avail;
    char *hit;

    while (got < bound) {
        if (stream->rpos >= stream->rlen && fill(stream) == 0)
            break;
        avail = stream->rlen - stream->rpos;
        if (avail > bound - got)
            avail = bound - got;
        hit = memchr(stream->rbuf + stream->rpos, delim, avail);
        if (hit)
            avail = hit - (stream->rbuf + stream->rpos) + 1;
        vstring_memcat(vp, stream->rbuf + stream->rpos, avail);
        stream->rpos += avail;
        got += avail;
        if (hit)
            return (delim);
    }
    if (VSTRING_LEN(vp) == start)
        return (VSTREAM_EOF);
    return ((unsigned char) vstring_end(vp)[-1]);
}

/* vstring_get - read a line including its newline */
int vstring_get(VSTRING *vp, VSTREAM *stream)
{
    VSTRING_RESET(vp);
    return (get_until(vp, stream, '\n', (size_t) -1));
}

/* vstring_get_bound - read a line including its newline, at most bound bytes */
int vstring_get_bound(VSTRING *vp, VSTREAM *stream, size_t bound)
{
    VSTRING_RESET(vp);
    return (get_until(vp, stream, '\n', bound));
}

/* vstring_get_nonl_bound - read a line without its newline, at most bound bytes */
int vstring_get_nonl_bound(VSTRING *vp, VSTREAM *stream, size_t bound)
{
    int ch;

    VSTRING_RESET(vp);
    ch = get_until(vp, stream, '\n', bound);
    if (ch == '\n')
        vstring_truncate(vp, VSTRING_LEN(vp) - 1);
    return (ch);
}

/* vstring_get_nonl - read a line without its newline */
int vstring_get_nonl(VSTRING *vp, VSTREAM *stream)
{
    return (vstring_get_nonl_bound(vp, stream, (size_t) -1));
}

/* vstring_get_null - read a null-terminated string, without the null */
int vstring_get_null(VSTRING *vp, VSTREAM *stream)
{
    int ch;

    VSTRING_RESET(vp);
    ch = get_until(vp, stream, 0, (size_t) -1);
    if (ch == 0)
        vstring_truncate(vp, VSTRING_LEN(vp) - 1);
    return (ch);
}
