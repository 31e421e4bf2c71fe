/*
 * record - the record layer of queue files and of the cleanup stream.
 *
 * A record is one type byte, the payload length as a base-128 number (low
 * seven bits first, high bit set when more length bytes follow) and the
 * payload, which may contain any byte. Readers put a null byte after the
 * payload for convenience. rec_get_raw() refuses records longer than the
 * caller's limit and anything malformed with REC_TYPE_ERROR, so a corrupt or
 * hostile file can never make a reader allocate without bound.
 *
 * Pointer records ('p', a fixed-width file offset) let a writer replace part
 * of a file without moving what follows: the reader follows them when asked
 * (REC_FLAG_FOLLOW_PTR), with limits against loops within one call and
 * across calls (see follow_ptr); padding ('w') is skipped when asked
 * (REC_FLAG_SKIP_DTXT). rec_put_type() overwrites a type byte in place:
 * that is how a delivered recipient ('R') becomes done ('D').
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "msg.h"
#include "rec_type.h"
#include "record.h"

/* put_header - write the type byte and the length of a record */
static int put_header(VSTREAM *fp, int type, size_t len)
{
    unsigned char lenbuf[10];
    size_t n = 0;

    if (type < 0 || type > 255)
        msg_panic("rec_put: bad record type %d", type);
    do {
        lenbuf[n] = len & 0x7f;
        len >>= 7;
        if (len)
            lenbuf[n] |= 0x80;
        n++;
    } while (len);
    if (vstream_putc(type, fp) == VSTREAM_EOF || vstream_fwrite(fp, lenbuf, n) != (ssize_t) n)
        return (-1);
    return (0);
}

/* rec_put - write one record; returns the type, or REC_TYPE_ERROR */
int rec_put(VSTREAM *fp, int type, const char *data, ssize_t len)
{
    if (len < 0)
        msg_panic("rec_put: bad record length %ld", (long) len);
    if (put_header(fp, type, len) < 0 || (len > 0 && vstream_fwrite(fp, data, len) != len))
        return (REC_TYPE_ERROR);
    return (type);
}

/* rec_fputs - write a string as one record */
int rec_fputs(VSTREAM *fp, int type, const char *str)
{
    return (rec_put(fp, type, str, str ? strlen(str) : 0));
}

/* rec_vfprintf - write formatted text as one record */
int rec_vfprintf(VSTREAM *fp, int type, const char *fmt, va_list ap)
{
    static VSTRING *buf;

    if (buf == 0)
        buf = vstring_alloc(100);
    vstring_vsprintf(buf, fmt, ap);
    return (rec_put(fp, type, vstring_str(buf), VSTRING_LEN(buf)));
}

/* rec_fprintf - write formatted text as one record */
int rec_fprintf(VSTREAM *fp, int type, const char *fmt, ...)
{
    va_list ap;
    int ret;

    va_start(ap, fmt);
    ret = rec_vfprintf(fp, type, fmt, ap);
    va_end(ap);
    return (ret);
}

/* Payload bytes read (and allocated) at a time when a record is long. */
#define REC_READ_CHUNK 65536

/* get_one - read one record as it is on disk */
static int get_one(VSTREAM *fp, VSTRING *buf, ssize_t maxsize)
{
    int type;
    int ch;
    size_t len = 0;
    size_t chunk;
    int shift;

    VSTRING_RESET(buf);
    if ((type = vstream_getc(fp)) == VSTREAM_EOF)
        return (REC_TYPE_EOF);
    for (shift = 0; /* void */ ; shift += 7) {
        if (shift > 56) {
            msg_warn("%s: too many length bits, record type %d", vstream_path(fp), type);
            return (REC_TYPE_ERROR);
        }
        if ((ch = vstream_getc(fp)) == VSTREAM_EOF) {
            msg_warn("%s: unexpected EOF reading length, record type %d", vstream_path(fp), type);
            return (REC_TYPE_ERROR);
        }
        len |= (size_t) (ch & 0x7f) << shift;
        if ((ch & 0x80) == 0)
            break;
    }
    if (maxsize > 0 && len > (size_t) maxsize) {
        msg_warn("%s: illegal length %ld, record type %d", vstream_path(fp), (long) len, type);
        return (REC_TYPE_ERROR);
    }
    /*
     * Without a caller limit the length is whatever the file says: grow the
     * buffer with the data that really arrives, so a corrupt length ends in
     * "unexpected EOF" instead of one huge allocation.
     */
    while (buf->len < len) {
        chunk = len - buf->len > REC_READ_CHUNK ? REC_READ_CHUNK : len - buf->len;
        vstring_space(buf, chunk);
        if (vstream_fread(fp, vstring_str(buf) + buf->len, chunk) != (ssize_t) chunk) {
            msg_warn("%s: unexpected EOF in data, record type %d length %ld", vstream_path(fp),
                     type, (long) len);
            VSTRING_RESET(buf);
            return (REC_TYPE_ERROR);
        }
        buf->len += chunk;
    }
    VSTRING_TERMINATE(buf);
    return (type);
}

/* rec_goto - seek to the offset of a pointer record; 0 ok, -1 bad pointer */
int rec_goto(VSTREAM *fp, const char *ptr_payload)
{
    char *end;
    long offset;

    errno = 0;
    offset = strtol(ptr_payload, &end, 10);
    while (*end == ' ')
        end++;
    if (errno || *end != 0 || offset < 0) {
        msg_warn("%s: malformed pointer record value: \"%.100s\"", vstream_path(fp), ptr_payload);
        return (-1);
    }
    if (vstream_fseek(fp, offset, SEEK_SET) < 0) {
        msg_warn("%s: seek to pointer offset %ld: %m", vstream_path(fp), offset);
        return (-1);
    }
    return (0);
}

/*
 * Pointer loops that span calls: with "N x" at offset 3 and a pointer to 3
 * right after it, every call returns "x" after one hop, forever. So the
 * backward jumps of one stream are counted across calls for as long as
 * the caller keeps reading on from where the previous call stopped; a
 * caller's own seek (a rewind, a second pass) starts a new count. Only a
 * stream that made a backward jump pays for the position checks.
 */
#define REC_REVERSE_JUMP_LIMIT 10000

static VSTREAM *jump_stream;            /* the stream being watched, or null */
static off_t jump_resume;               /* where its last read stopped */
static int jump_count;                  /* its backward jumps since then */

/* follow_ptr - seek to a pointer's target; -1 for a bad pointer or a loop */
static int follow_ptr(VSTREAM *fp, const char *payload)
{
    off_t from = vstream_ftell(fp);

    if (rec_goto(fp, payload) < 0)
        return (-1);
    if (vstream_ftell(fp) < from) {
        if (jump_stream != fp) {
            jump_stream = fp;
            jump_count = 0;
        }
        if (++jump_count > REC_REVERSE_JUMP_LIMIT) {
            msg_warn("%s: too many reverse jump records", vstream_path(fp));
            jump_stream = 0;
            return (-1);
        }
    }
    return (0);
}

/* rec_get_raw - read one record, following pointers and skipping padding as asked */
int rec_get_raw(VSTREAM *fp, VSTRING *buf, ssize_t maxsize, int flags)
{
    int type;
    int hops = 0;

    if (jump_stream == fp && vstream_ftell(fp) != jump_resume)
        jump_stream = 0;
    for (;;) {
        type = get_one(fp, buf, maxsize);
        if (type == REC_TYPE_PTR && (flags & REC_FLAG_FOLLOW_PTR)) {
            if (atol(vstring_str(buf)) == 0)
                continue;               /* a placeholder that was never used */
            if (++hops > REC_PTR_HOPS_MAX) {
                msg_warn("%s: too many pointer records", vstream_path(fp));
                return (REC_TYPE_ERROR);
            }
            if (follow_ptr(fp, vstring_str(buf)) < 0)
                return (REC_TYPE_ERROR);
            continue;
        }
        if (type == REC_TYPE_DTXT && (flags & REC_FLAG_SKIP_DTXT))
            continue;
        if (jump_stream == fp)
            jump_resume = vstream_ftell(fp);
        return (type);
    }
}

/* rec_put_type - overwrite the type byte of the record at offset */
int rec_put_type(VSTREAM *fp, int type, off_t offset)
{
    if (type < 0 || type > 255)
        msg_panic("rec_put_type: bad record type %d", type);
    if (vstream_fseek(fp, offset, SEEK_SET) < 0
        || vstream_putc(type, fp) == VSTREAM_EOF
        || vstream_fflush(fp) == VSTREAM_EOF)
        return (REC_TYPE_ERROR);
    return (type);
}

/* rec_pad - write a record whose payload is len blanks */
int rec_pad(VSTREAM *fp, int type, ssize_t len)
{
    static const char blanks[] = "                                                                ";
    ssize_t chunk;

    if (len < 0)
        msg_panic("rec_pad: bad length %ld", (long) len);
    if (put_header(fp, type, len) < 0)
        return (REC_TYPE_ERROR);
    for (; len > 0; len -= chunk) {
        chunk = len > (ssize_t) sizeof(blanks) - 1 ? (ssize_t) sizeof(blanks) - 1 : len;
        if (vstream_fwrite(fp, blanks, chunk) != chunk)
            return (REC_TYPE_ERROR);
    }
    return (type);
}

/* rec_type_name - the name that postcat prints for a record type */
const char *rec_type_name(int type)
{
    static const struct {
        int type;
        const char *name;
    } names[] = {
        {REC_TYPE_EOF, "end-of-file"},
        {REC_TYPE_ERROR, "error"},
        {REC_TYPE_SIZE, "message_size"},
        {REC_TYPE_TIME, "message_arrival_time"},
        {REC_TYPE_CTIME, "queue_file_create_time"},
        {REC_TYPE_FULL, "sender_fullname"},
        {REC_TYPE_INSP, "content_inspector"},
        {REC_TYPE_FILT, "content_filter"},
        {REC_TYPE_FROM, "sender"},
        {REC_TYPE_DONE, "done_recipient"},
        {REC_TYPE_RCPT, "recipient"},
        {REC_TYPE_ORCP, "original_recipient"},
        {REC_TYPE_DRCP, "canceled_recipient"},
        {REC_TYPE_WARN, "warning_message_time"},
        {REC_TYPE_ATTR, "named_attribute"},
        {REC_TYPE_KILL, "killed_record"},
        {REC_TYPE_RDR, "redirect_to"},
        {REC_TYPE_FLGS, "flags"},
        {REC_TYPE_DELAY, "delay"},
        {REC_TYPE_MESG, "message_content"},
        {REC_TYPE_NORM, "regular_text"},
        {REC_TYPE_DTXT, "padding"},
        {REC_TYPE_XTRA, "extracted_info"},
        {REC_TYPE_RRTO, "return_receipt"},
        {REC_TYPE_ERTO, "errors_to"},
        {REC_TYPE_PRIO, "priority"},
        {REC_TYPE_PTR, "pointer_record"},
        {REC_TYPE_VERP, "verp_delimiters"},
        {REC_TYPE_DSN_RET, "dsn_return_flags"},
        {REC_TYPE_DSN_ENVID, "dsn_envelope_id"},
        {REC_TYPE_DSN_ORCPT, "dsn_original_recipient"},
        {REC_TYPE_DSN_NOTIFY, "dsn_notify_flags"},
        {REC_TYPE_MILT_COUNT, "milter_count"},
        {REC_TYPE_END, "message_end"},
    };
    size_t i;

    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].type == type)
            return (names[i].name);
    return ("unknown_record_type");
}
