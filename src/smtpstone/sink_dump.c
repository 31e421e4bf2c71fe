/*
 * sink_dump - the capture files of smtp-sink's -d and -D options.
 *
 * sink_dump_open() expands a strftime(3) template with the current local
 * time, creates missing parent directories, and prepares one message dump.
 * Every dump gets a pseudo-random 8-digit hexadecimal id, which the caller
 * shows in the Received: header. In SINK_DUMP_SINGLE mode the id is appended
 * to the expanded name and the file is created exclusively (a clash picks
 * another id). In SINK_DUMP_APPEND mode the expanded name is the file itself;
 * the message is collected in memory and appended with one write(2) when it
 * is complete, so that concurrent sessions never interleave their messages.
 *
 * sink_dump_write() adds bytes, sink_dump_close() finishes the file and
 * sink_dump_discard() drops an unfinished single-message file (a session
 * that died in DATA). sink_dump_unescape() turns the -S start string's C
 * escapes into bytes.
 *
 * Failures to create or write a dump are warnings: the session goes on and
 * the message is simply not captured (sink_dump_open() returns null).
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "sink_dump.h"

struct SINK_DUMP {
    int mode;     /* SINK_DUMP_SINGLE or SINK_DUMP_APPEND */
    char *path;   /* the file written */
    char id[9];   /* pseudo-random hex id */
    VSTREAM *fp;  /* SINGLE: the open file */
    VSTRING *buf; /* APPEND: the message so far */
    int error;    /* a write failed; warned already */
};

#define SINK_DUMP_ID_TRIES 20 /* exclusive-create attempts */

/* sink_dump_new_id - fill in a fresh pseudo-random id */
static void sink_dump_new_id(SINK_DUMP *dump)
{
    static int seeded;
    unsigned long value;

    if (!seeded) {
        srandom((unsigned)time((time_t *)0) ^ (unsigned)getpid() << 16);
        seeded = 1;
    }
    value = ((unsigned long)random() << 16) ^ (unsigned long)random();
    snprintf(dump->id, sizeof(dump->id), "%08lx", value & 0xffffffffUL);
}

/* sink_dump_make_parents - create the missing directories above path */
static int sink_dump_make_parents(const char *path)
{
    char *copy = mystrdup(path);
    char *cp;
    int ok = 1;

    for (cp = strchr(copy + 1, '/'); cp != 0 && ok; cp = strchr(cp + 1, '/')) {
        *cp = 0;
        if (mkdir(copy, 0755) < 0 && errno != EEXIST) {
            msg_warn("mkdir %s: %m", copy);
            ok = 0;
        }
        *cp = '/';
    }
    myfree(copy);
    return (ok);
}

/* sink_dump_expand - the template with the current time filled in */
static char *sink_dump_expand(const char *template)
{
    time_t now = time((time_t *)0);
    struct tm tm;
    size_t size;
    char *buf;

    localtime_r(&now, &tm);
    if (*template == 0)
        return (mystrdup(""));
    /* strftime() cannot tell "too small" from "empty result"; grow until it fits. */
    for (size = strlen(template) + 100; size < 100000; size *= 2) {
        buf = mymalloc(size);
        if (strftime(buf, size, template, &tm) > 0)
            return (buf);
        myfree(buf);
    }
    return (mystrdup(template));
}

/* sink_dump_open - start the capture of one message; null on failure */
SINK_DUMP *sink_dump_open(const char *template, int mode)
{
    SINK_DUMP *dump = (SINK_DUMP *)mymalloc(sizeof(*dump));
    char *base = sink_dump_expand(template);
    int fd = -1;
    int tries;

    dump->mode = mode;
    dump->fp = 0;
    dump->buf = 0;
    dump->error = 0;
    dump->path = 0;
    sink_dump_new_id(dump);
    if (!sink_dump_make_parents(base)) {
        myfree(base);
        myfree(dump);
        return (0);
    }
    if (mode == SINK_DUMP_APPEND) {
        dump->path = base;
        dump->buf = vstring_alloc(4096);
        return (dump);
    }
    for (tries = 0; fd < 0 && tries < SINK_DUMP_ID_TRIES; tries++) {
        if (tries > 0)
            sink_dump_new_id(dump);
        myfree(dump->path);
        dump->path = concatenate(base, dump->id, (char *)0);
        fd = open(dump->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    myfree(base);
    if (fd < 0) {
        msg_warn("create %s: %m", dump->path);
        myfree(dump->path);
        myfree(dump);
        return (0);
    }
    dump->fp = vstream_fdopen(fd, O_WRONLY);
    vstream_set_path(dump->fp, dump->path);
    return (dump);
}

/* sink_dump_id - the dump's pseudo-random id */
const char *sink_dump_id(const SINK_DUMP *dump)
{
    return (dump->id);
}

/* sink_dump_write - add bytes to the dump */
void sink_dump_write(SINK_DUMP *dump, const char *buf, size_t len)
{
    if (dump->buf)
        vstring_memcat(dump->buf, buf, len);
    else if (!dump->error && vstream_fwrite(dump->fp, buf, len) != (ssize_t)len) {
        msg_warn("write %s: %m", dump->path);
        dump->error = 1;
    }
}

/* sink_dump_append - append the collected message with one write */
static void sink_dump_append(SINK_DUMP *dump)
{
    int fd;
    ssize_t n;

    if ((fd = open(dump->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644)) < 0) {
        msg_warn("open %s: %m", dump->path);
        return;
    }
    n = write(fd, vstring_str(dump->buf), VSTRING_LEN(dump->buf));
    if (n != (ssize_t)VSTRING_LEN(dump->buf))
        msg_warn("write %s: %s", dump->path, n < 0 ? strerror(errno) : "short write");
    if (close(fd) < 0)
        msg_warn("close %s: %m", dump->path);
}

/* sink_dump_free - release the handle */
static void sink_dump_free(SINK_DUMP *dump)
{
    if (dump->buf)
        vstring_free(dump->buf);
    myfree(dump->path);
    myfree(dump);
}

/* sink_dump_close - finish the dump and release the handle */
void sink_dump_close(SINK_DUMP *dump)
{
    if (dump->buf) {
        sink_dump_append(dump);
    } else if (vstream_fclose(dump->fp) != 0 && !dump->error) {
        msg_warn("close %s: %m", dump->path);
    }
    sink_dump_free(dump);
}

/* sink_dump_discard - drop an unfinished dump */
void sink_dump_discard(SINK_DUMP *dump)
{
    if (dump->fp) {
        (void)vstream_fclose(dump->fp);
        (void)unlink(dump->path);
    }
    sink_dump_free(dump);
}

/* sink_dump_unescape - decode C escapes (\n, \t, \ddd, \\, ...); returns new memory */
char *sink_dump_unescape(const char *text, size_t *len)
{
    static const char from[] = "abfnrtv\\";
    static const char to[] = "\a\b\f\n\r\t\v\\";
    VSTRING *out = vstring_alloc(strlen(text) + 1);
    const char *cp;
    const char *hit;
    int value;
    int digits;

    for (cp = text; *cp; cp++) {
        if (*cp != '\\' || cp[1] == 0) {
            VSTRING_ADDCH(out, *cp);
        } else if (cp[1] >= '0' && cp[1] <= '7') {
            for (value = 0, digits = 0; digits < 3 && cp[1] >= '0' && cp[1] <= '7'; digits++)
                value = value * 8 + (*++cp - '0');
            VSTRING_ADDCH(out, (char)value);
        } else if ((hit = strchr(from, cp[1])) != 0) {
            VSTRING_ADDCH(out, to[hit - from]);
            cp++;
        } else {
            /* An unknown escape stands for the character itself. */
            VSTRING_ADDCH(out, *++cp);
        }
    }
    *len = VSTRING_LEN(out);
    return (vstring_export(out));
}
