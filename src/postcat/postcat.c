/*
 * postcat - print queue files in human-readable form, as Postfix's
 * postcat(1) does.
 *
 * Usage: postcat [-bdehoqrv] [-c config_dir] [-s offset] [files...]
 *
 * A file is read record by record. Envelope and extracted records are
 * printed as "label: value" (times as local dates), the message content
 * as plain text; -e, -h and -b select the envelope, the header and the
 * body (all three by default), -o and -d prefix each record with its file
 * offset and decimal type, -v labels every record including padding and
 * pointer records, -r does not follow pointer records, -s starts at an
 * offset, and -q takes the names as queue ids and looks them up in the
 * queues. Without file names the standard input is read (also with -q).
 *
 * A file that does not look like a queue file is skipped with a warning,
 * empty input silently; a file that cannot be opened is fatal, and so is
 * a malformed record ("record read error", after what was printed). The
 * exit status is 0 unless something was fatal.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "is_header.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define PC_FLAG_SEARCH (1 << 0)  /* -q */
#define PC_FLAG_RAWTYPE (1 << 1) /* -d */
#define PC_FLAG_OFFSET (1 << 2)  /* -o */
#define PC_FLAG_ENVELOPE (1 << 3) /* -e */
#define PC_FLAG_HEAD (1 << 4)    /* -h */
#define PC_FLAG_BODY (1 << 5)    /* -b */
#define PC_FLAG_RAW (1 << 6)     /* -r */

#define PC_SECT_ENVELOPE 0
#define PC_SECT_CONTENT 1
#define PC_SECT_EXTRACTED 2

static int postcat_verbose;

/* postcat_date - a time stamp as asctime() prints it, newline included */
static const char *postcat_date(long when)
{
    time_t t = (time_t) when;
    struct tm *tp = localtime(&t);
    static char buf[64];

    if (tp == 0 || strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y\n", tp) == 0)
        return ("(invalid time)\n");
    return (buf);
}

/* postcat_prefix - the -o and -d columns */
static void postcat_prefix(int flags, off_t offset, int type)
{
    if (flags & PC_FLAG_OFFSET)
        vstream_printf("%9ld ", (long) offset);
    if (flags & PC_FLAG_RAWTYPE)
        vstream_printf("%3d ", type);
}

/* postcat_meta - an envelope or extracted record as "label: value" */
static void postcat_meta(int type, const char *text)
{
    if (type == REC_TYPE_TIME || type == REC_TYPE_WARN) {
        vstream_printf("%s: %s", rec_type_name(type), postcat_date(atol(text)));
    } else if (type == REC_TYPE_ATTR && strncmp(text, "create_time=", 12) == 0) {
        vstream_printf("create_time: %s", postcat_date(atol(text + 12)));
    } else if (type == REC_TYPE_PTR || type == REC_TYPE_DTXT) {
        if (postcat_verbose)
            vstream_printf("%s: %s\n", rec_type_name(type), text);
    } else {
        vstream_printf("%s: %s\n", rec_type_name(type), text);
    }
}

/* postcat_content - one content record, with header/body selection */
static void postcat_content(int flags, int type, const char *text, ssize_t len, int in_header)
{
    if (postcat_verbose) {
        vstream_printf("%s: ", type == REC_TYPE_CONT ? "unterminated_text" : rec_type_name(type));
        vstream_fwrite(VSTREAM_OUT, text, len);
        vstream_printf("\n");
        return;
    }
    if (type == REC_TYPE_PTR || type == REC_TYPE_DTXT)
        return;
    (void) in_header;
    vstream_fwrite(VSTREAM_OUT, text, len);
    if (type == REC_TYPE_NORM || (flags & PC_FLAG_OFFSET))
        vstream_printf("\n");
}

/* postcat_marker - a section line, shown with the envelope */
static void postcat_marker(int flags, off_t offset, int type, const char *what, const char *path)
{
    if (flags & PC_FLAG_ENVELOPE) {
        postcat_prefix(flags, offset, type);
        vstream_printf("*** %s %s ***\n", what, path);
    }
}

/* postcat_follow - go where a pointer record points; -1 on error */
static int postcat_follow(VSTREAM *fp, const char *text, int *hops)
{
    if (atol(text) == 0)
        return (0);
    if (++*hops > REC_PTR_HOPS_MAX) {
        msg_warn("%s: too many pointer records", vstream_path(fp));
        return (-1);
    }
    return (rec_goto(fp, text));
}

/* postcat_stream - print one queue file */
static void postcat_stream(VSTREAM *fp, const char *path, int flags, off_t start)
{
    VSTRING *buf = vstring_alloc(100);
    int sect = PC_SECT_ENVELOPE;
    int in_header = 1;
    int prev_type = 0;
    int hops = 0;
    int type;
    int ch;
    off_t offset = -1;

    /* Empty input is no queue file, and nothing to complain about either. */
    if ((ch = vstream_getc(fp)) == VSTREAM_EOF) {
        vstring_free(buf);
        return;
    }
    if (ch != REC_TYPE_SIZE && ch != REC_TYPE_TIME) {
        msg_warn("%s: input is not a valid queue file", path);
        vstring_free(buf);
        return;
    }
    vstream_ungetc(fp, ch);
    if (start > 0 && vstream_fseek(fp, start, SEEK_SET) < 0)
        msg_fatal("seek %s: %m", path);
    if (flags & PC_FLAG_ENVELOPE)
        vstream_printf("*** ENVELOPE RECORDS %s ***\n", path);
    for (;;) {
        /* A skipped pointer or padding record lends its offset to the next one. */
        if (offset < 0)
            offset = vstream_ftell(fp);
        if ((type = rec_get_raw(fp, buf, 0, REC_FLAG_NONE)) < 0) {
            /* record.c said what is wrong; what was printed so far stays. */
            if (type == REC_TYPE_ERROR) {
                vstream_fflush(VSTREAM_OUT);
                msg_fatal("record read error");
            }
            break;
        }
        if (type == REC_TYPE_MESG) {
            postcat_marker(flags, offset, type, "MESSAGE CONTENTS", path);
            sect = PC_SECT_CONTENT;
        } else if (type == REC_TYPE_XTRA) {
            postcat_marker(flags, offset, type, "HEADER EXTRACTED", path);
            sect = PC_SECT_EXTRACTED;
        } else if (type == REC_TYPE_END) {
            /* As Postfix: the reader must be able to seek, so a pipe fails here. */
            if (vstream_fseek(fp, vstream_ftell(fp), SEEK_SET) < 0) {
                msg_warn("%s: seek error after reading END record: %m", path);
                vstream_fflush(VSTREAM_OUT);
                msg_fatal("record read error");
            }
            postcat_marker(flags, offset, type, "MESSAGE FILE END", path);
            break;
        } else if (sect == PC_SECT_CONTENT && type != REC_TYPE_PTR && type != REC_TYPE_DTXT) {
            /* The header ends at the first line that is neither header nor continuation. */
            if (in_header && prev_type != REC_TYPE_CONT && !is_header(vstring_str(buf))
                && *vstring_str(buf) != ' ' && *vstring_str(buf) != '\t')
                in_header = 0;
            if ((flags & (in_header ? PC_FLAG_HEAD : PC_FLAG_BODY)) != 0) {
                postcat_prefix(flags, offset, type);
                postcat_content(flags, type, vstring_str(buf), (ssize_t) VSTRING_LEN(buf),
                                in_header);
            }
            prev_type = type;
        } else if (sect == PC_SECT_CONTENT) {
            if ((flags & PC_FLAG_ENVELOPE) && postcat_verbose) {
                postcat_prefix(flags, offset, type);
                postcat_content(flags, type, vstring_str(buf), (ssize_t) VSTRING_LEN(buf), 0);
            }
        } else if (flags & PC_FLAG_ENVELOPE) {
            if (postcat_verbose || (type != REC_TYPE_PTR && type != REC_TYPE_DTXT))
                postcat_prefix(flags, offset, type);
            postcat_meta(type, vstring_str(buf));
        }
        if (type == REC_TYPE_PTR && (flags & PC_FLAG_RAW) == 0
            && postcat_follow(fp, vstring_str(buf), &hops) < 0)
            break;
        if (postcat_verbose || (type != REC_TYPE_PTR && type != REC_TYPE_DTXT))
            offset = -1;
    }
    vstream_fflush(VSTREAM_OUT);
    vstring_free(buf);
}

/* postcat_queue_open - find a queue id in the queues */
static VSTREAM *postcat_queue_open(const char *id, VSTRING *path)
{
    static const char *queues[] = {MAIL_QUEUE_MAILDROP, MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE,
                                   MAIL_QUEUE_DEFERRED, MAIL_QUEUE_HOLD, MAIL_QUEUE_SAVED, 0};
    const char **qp;
    VSTREAM *fp;

    if (!mail_queue_id_ok(id)) {
        errno = ENOENT;
        return (0);
    }
    for (qp = queues; *qp; qp++) {
        mail_queue_path(path, *qp, id);
        if ((fp = vstream_fopen(vstring_str(path), O_RDONLY, 0)) != 0)
            return (fp);
    }
    return (0);
}

/* postcat_usage - the complaint about bad options */
static void postcat_usage(const char *progname)
{
    msg_fatal("usage: %s [-b (body text)] [-c config_dir] [-d (decimal record type)] "
              "[-e (envelope records)] [-h (header text)] [-q (access queue)] [-v] [file(s)...]",
              progname);
}

int main(int argc, char **argv)
{
    int ch;
    int flags = 0;
    off_t start = 0;
    VSTREAM *fp;
    VSTRING *path = vstring_alloc(100);

    msg_stderr_init(argv[0]);
    while ((ch = getopt(argc, argv, "bc:dehoqrs:v")) != -1) {
        switch (ch) {
        case 'b':
            flags |= PC_FLAG_BODY;
            break;
        case 'c':
            mail_conf_set_dir(optarg);
            break;
        case 'd':
            flags |= PC_FLAG_RAWTYPE;
            break;
        case 'e':
            flags |= PC_FLAG_ENVELOPE;
            break;
        case 'h':
            flags |= PC_FLAG_HEAD;
            break;
        case 'o':
            flags |= PC_FLAG_OFFSET;
            break;
        case 'q':
            flags |= PC_FLAG_SEARCH;
            break;
        case 'r':
            flags |= PC_FLAG_RAW;
            break;
        case 's':
            if (!alldig(optarg) || (start = atol(optarg)) < 0)
                msg_fatal("bad -s option value: %s", optarg);
            break;
        case 'v':
            postcat_verbose++;
            msg_verbose++;
            break;
        default:
            postcat_usage(argv[0]);
        }
    }
    if ((flags & (PC_FLAG_ENVELOPE | PC_FLAG_HEAD | PC_FLAG_BODY)) == 0)
        flags |= PC_FLAG_ENVELOPE | PC_FLAG_HEAD | PC_FLAG_BODY;
    mail_conf_read();
    /* Without file names, -q has nothing to search: standard input it is. */
    if (optind == argc) {
        vstream_set_path(VSTREAM_IN, "stdin");
        postcat_stream(VSTREAM_IN, "stdin", flags, start);
    } else if (flags & PC_FLAG_SEARCH) {
        if (chdir(var_queue_directory) < 0)
            msg_fatal("chdir %s: %m", var_queue_directory);
        for (; optind < argc; optind++) {
            if ((fp = postcat_queue_open(argv[optind], path)) == 0)
                msg_fatal("open queue file %s: %m", argv[optind]);
            postcat_stream(fp, vstring_str(path), flags, start);
            vstream_fclose(fp);
        }
    } else {
        for (; optind < argc; optind++) {
            if ((fp = vstream_fopen(argv[optind], O_RDONLY, 0)) == 0)
                msg_fatal("open %s: %m", argv[optind]);
            postcat_stream(fp, argv[optind], flags, start);
            vstream_fclose(fp);
        }
    }
    vstring_free(path);
    exit(0);
}
