/*
 * bounce_log - write and read the per-message logs of the bounce, defer
 * and trace services (format in bounce_log.h).
 *
 * Exports bounce_log_append() and bounce_log_format() for the writer (the
 * bounce daemon), and bounce_log_open/forge/read/rewind/error/close for
 * the readers (the notices, and tools that list why mail is queued).
 *
 * The writer takes an exclusive lock, because several daemon processes may
 * append to one log at once; it fsyncs each block, and on a write error
 * truncates the file to its old length so that no half block is left for
 * the reader. Writer failures are logged and returned as -1, so that the
 * delivery agent defers the recipient instead of losing the record.
 * Readers bound every line (line_length_limit * 4) and never trust the
 * content: a block without recipient or with a malformed status is skipped
 * with a warning.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bounce_log.h"
#include "deliver_flock.h"
#include "dsn_util.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "stringops.h"

struct BOUNCE_LOG {
    VSTREAM *fp;       /* the log, or 0 for a forged one */
    VSTRING *line;     /* input line */
    int error;         /* a read error happened */
    RECIPIENT *forged; /* bounce_log_forge(): the one record */
    DSN *forged_dsn;
    int forged_done; /* the record was returned */
};

/* bounce_log_clean - append text with control characters made harmless */
static void bounce_log_clean(VSTRING *buf, const char *text)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *)text; *cp; cp++) {
        if (*cp == '\n' || *cp == '\r' || *cp == '\t')
            VSTRING_ADDCH(buf, ' ');
        else if (*cp < 0x20 || *cp == 0x7f)
            VSTRING_ADDCH(buf, '?');
        else
            VSTRING_ADDCH(buf, *cp);
    }
    VSTRING_TERMINATE(buf);
}

/* bounce_log_line - append "name=value\n" */
static void bounce_log_line(VSTRING *buf, const char *name, const char *value)
{
    vstring_strcat(buf, name);
    VSTRING_ADDCH(buf, '=');
    bounce_log_clean(buf, value);
    VSTRING_ADDCH(buf, '\n');
    VSTRING_TERMINATE(buf);
}

/* bounce_log_format - one block as text */
const char *bounce_log_format(VSTRING *buf, const RECIPIENT *rcpt, const DSN *dsn)
{
    VSTRING *quoted = vstring_alloc(100);
    char num[64];

    VSTRING_RESET(buf);
    quote_822_local(quoted, rcpt->address);
    if (var_backwards_bounce_logfile_compatibility) {
        VSTRING_ADDCH(buf, '<');
        bounce_log_clean(buf, vstring_str(quoted));
        vstring_strcat(buf, ">: ");
        bounce_log_clean(buf, dsn->reason);
        VSTRING_ADDCH(buf, '\n');
        VSTRING_TERMINATE(buf);
    }
    bounce_log_line(buf, MAIL_ATTR_RECIP, vstring_str(quoted));
    if (rcpt->orig_addr && *rcpt->orig_addr && strcasecmp(rcpt->orig_addr, rcpt->address) != 0) {
        quote_822_local(quoted, rcpt->orig_addr);
        bounce_log_line(buf, MAIL_ATTR_ORCPT, vstring_str(quoted));
    }
    snprintf(num, sizeof(num), "%ld", rcpt->offset);
    bounce_log_line(buf, MAIL_ATTR_OFFSET, num);
    if (rcpt->dsn_orcpt && *rcpt->dsn_orcpt)
        bounce_log_line(buf, MAIL_ATTR_DSN_ORCPT, rcpt->dsn_orcpt);
    snprintf(num, sizeof(num), "%d", rcpt->dsn_notify);
    bounce_log_line(buf, MAIL_ATTR_DSN_NOTIFY, num);
    bounce_log_line(buf, MAIL_ATTR_DSN_STATUS, dsn->status);
    if (*dsn->action)
        bounce_log_line(buf, MAIL_ATTR_DSN_ACTION, dsn->action);
    bounce_log_line(buf, MAIL_ATTR_WHY, dsn->reason);
    if (*dsn->dtype && *dsn->dtext) {
        bounce_log_line(buf, MAIL_ATTR_DSN_DTYPE, dsn->dtype);
        bounce_log_line(buf, MAIL_ATTR_DSN_DTEXT, dsn->dtext);
    }
    if (*dsn->mtype && *dsn->mname) {
        bounce_log_line(buf, MAIL_ATTR_DSN_MTYPE, dsn->mtype);
        bounce_log_line(buf, MAIL_ATTR_DSN_MNAME, dsn->mname);
    }
    VSTRING_ADDCH(buf, '\n');
    VSTRING_TERMINATE(buf);
    vstring_free(quoted);
    return (vstring_str(buf));
}

/* bounce_log_append - append one block, durably */
int bounce_log_append(const char *queue, const char *id, const RECIPIENT *rcpt, const DSN *dsn)
{
    VSTRING *path = vstring_alloc(100);
    VSTRING *text = vstring_alloc(200);
    struct stat st;
    int fd;
    int ret = -1;

    mail_queue_path(path, queue, id);
    if ((fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0 &&
        errno == ENOENT && mail_queue_mkdirs(vstring_str(path)) == 0)
        fd = open(vstring_str(path), O_WRONLY | O_APPEND | O_CREAT, 0600);
    if (fd < 0) {
        msg_warn("open %s: %m", vstring_str(path));
        goto done;
    }
    if (myflock(fd, INTERNAL_LOCK, MYFLOCK_OP_EXCLUSIVE) < 0) {
        msg_warn("lock %s: %m", vstring_str(path));
        goto close_done;
    }
    if (fstat(fd, &st) < 0) {
        msg_warn("fstat %s: %m", vstring_str(path));
        goto close_done;
    }
    bounce_log_format(text, rcpt, dsn);
    if (write(fd, vstring_str(text), VSTRING_LEN(text)) != (ssize_t)VSTRING_LEN(text) ||
        fsync(fd) < 0) {
        msg_warn("write %s: %m", vstring_str(path));
        if (ftruncate(fd, st.st_size) < 0)
            msg_warn("truncate %s: %m", vstring_str(path));
        goto close_done;
    }
    ret = 0;

close_done:
    if (close(fd) < 0 && ret == 0) {
        msg_warn("close %s: %m", vstring_str(path));
        ret = -1;
    }
done:
    vstring_free(path);
    vstring_free(text);
    return (ret);
}

/* bounce_log_alloc - an empty reader */
static BOUNCE_LOG *bounce_log_alloc(void)
{
    BOUNCE_LOG *bp = (BOUNCE_LOG *)mymalloc(sizeof(*bp));

    memset(bp, 0, sizeof(*bp));
    bp->line = vstring_alloc(100);
    return (bp);
}

/* bounce_log_open - open a log for reading */
BOUNCE_LOG *bounce_log_open(const char *queue, const char *id, int flags, mode_t mode)
{
    VSTREAM *fp;
    BOUNCE_LOG *bp;

    if ((fp = mail_queue_open(queue, id, flags, mode)) == 0)
        return (0);
    bp = bounce_log_alloc();
    bp->fp = fp;
    return (bp);
}

/* bounce_log_forge - a reader that returns one given record */
BOUNCE_LOG *bounce_log_forge(const RECIPIENT *rcpt, const DSN *dsn)
{
    BOUNCE_LOG *bp = bounce_log_alloc();

    bp->forged = (RECIPIENT *)mymalloc(sizeof(RECIPIENT));
    RECIPIENT_ASSIGN(bp->forged, rcpt->offset, mystrdup(rcpt->dsn_orcpt ? rcpt->dsn_orcpt : ""),
                     rcpt->dsn_notify, mystrdup(rcpt->orig_addr ? rcpt->orig_addr : ""),
                     mystrdup(rcpt->address));
    bp->forged_dsn = dsn_copy(dsn);
    return (bp);
}

/* bounce_log_set - store one name=value into the buffers */
static void bounce_log_set(const char *name, const char *value, RCPT_BUF *rcpb, DSN_BUF *dsb)
{
    char *end;
    long num;

    if (strcmp(name, MAIL_ATTR_RECIP) == 0) {
        vstring_strcpy(rcpb->address, value);
    } else if (strcmp(name, MAIL_ATTR_ORCPT) == 0) {
        vstring_strcpy(rcpb->orig_addr, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_ORCPT) == 0) {
        vstring_strcpy(rcpb->dsn_orcpt, value);
    } else if (strcmp(name, MAIL_ATTR_OFFSET) == 0) {
        errno = 0;
        num = strtol(value, &end, 10);
        if (*value && *end == 0 && errno == 0 && num >= 0)
            rcpb->offset = num;
    } else if (strcmp(name, MAIL_ATTR_DSN_NOTIFY) == 0) {
        errno = 0;
        num = strtol(value, &end, 10);
        if (*value && *end == 0 && errno == 0 && num >= 0 && num <= 0xff)
            rcpb->dsn_notify = (int)num;
    } else if (strcmp(name, MAIL_ATTR_DSN_STATUS) == 0) {
        vstring_strcpy(dsb->status, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_ACTION) == 0) {
        vstring_strcpy(dsb->action, value);
    } else if (strcmp(name, MAIL_ATTR_WHY) == 0) {
        vstring_strcpy(dsb->reason, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_DTYPE) == 0) {
        vstring_strcpy(dsb->dtype, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_DTEXT) == 0) {
        vstring_strcpy(dsb->dtext, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_MTYPE) == 0) {
        vstring_strcpy(dsb->mtype, value);
    } else if (strcmp(name, MAIL_ATTR_DSN_MNAME) == 0) {
        vstring_strcpy(dsb->mname, value);
    }
}

/* bounce_log_block_ok - is the block just read usable */
static int bounce_log_block_ok(BOUNCE_LOG *bp, RCPT_BUF *rcpb, DSN_BUF *dsb)
{
    const char *status = vstring_str(dsb->status);

    if (VSTRING_LEN(rcpb->address) == 0 && VSTRING_LEN(dsb->reason) == 0)
        return (0);
    if (dsn_valid(status) == 0 || dsn_valid(status) != strlen(status)) {
        msg_warn("%s: ignoring record with bad status \"%.20s\"", vstream_path(bp->fp), status);
        return (0);
    }
    return (1);
}

/* bounce_log_read - the next usable block */
BOUNCE_LOG *bounce_log_read(BOUNCE_LOG *bp, RCPT_BUF *rcpb, DSN_BUF *dsb)
{
    size_t bound = (size_t)var_line_length_limit * 4;
    int got;
    int in_block = 0;
    char *name;
    char *value;

    if (bp->forged) {
        if (bp->forged_done)
            return (0);
        bp->forged_done = 1;
        rcpb_reset(rcpb);
        vstring_strcpy(rcpb->address, bp->forged->address);
        vstring_strcpy(rcpb->orig_addr, bp->forged->orig_addr);
        vstring_strcpy(rcpb->dsn_orcpt, bp->forged->dsn_orcpt);
        rcpb->dsn_notify = bp->forged->dsn_notify;
        rcpb->offset = bp->forged->offset;
        dsb_formal(dsb, bp->forged_dsn->status, bp->forged_dsn->action, bp->forged_dsn->mtype,
                   bp->forged_dsn->mname, bp->forged_dsn->dtype, bp->forged_dsn->dtext);
        vstring_strcpy(dsb->reason, bp->forged_dsn->reason);
        rcpb_recipient(rcpb);
        dsb_dsn(dsb);
        return (bp);
    }
    for (;;) {
        if (!in_block) {
            rcpb_reset(rcpb);
            dsb_reset(dsb);
        }
        got = vstring_get_nonl_bound(bp->line, bp->fp, bound);
        if (got == VSTREAM_EOF || VSTRING_LEN(bp->line) == 0) {
            if (in_block && bounce_log_block_ok(bp, rcpb, dsb)) {
                rcpb_recipient(rcpb);
                dsb_dsn(dsb);
                return (bp);
            }
            in_block = 0;
            if (got == VSTREAM_EOF) {
                if (vstream_ferror(bp->fp)) {
                    msg_warn("read %s: %m", vstream_path(bp->fp));
                    bp->error = 1;
                }
                return (0);
            }
            continue;
        }
        /* The old "<recipient>: text" line is for old readers only. */
        if (vstring_str(bp->line)[0] == '<')
            continue;
        in_block = 1;
        if (split_nameval(vstring_str(bp->line), &name, &value) != 0)
            continue;
        bounce_log_set(name, value, rcpb, dsb);
    }
}

/* bounce_log_error - did reading fail */
int bounce_log_error(BOUNCE_LOG *bp)
{
    return (bp->error);
}

/* bounce_log_rewind - read from the start again */
int bounce_log_rewind(BOUNCE_LOG *bp)
{
    if (bp->forged) {
        bp->forged_done = 0;
        return (0);
    }
    vstream_clearerr(bp->fp);
    return (vstream_fseek(bp->fp, 0, SEEK_SET) < 0 ? -1 : 0);
}

/* bounce_log_close - release the reader */
int bounce_log_close(BOUNCE_LOG *bp)
{
    int ret = bp->error ? -1 : 0;

    if (bp->fp && vstream_fclose(bp->fp) != 0)
        ret = -1;
    if (bp->forged) {
        myfree((void *)bp->forged->dsn_orcpt);
        myfree((void *)bp->forged->orig_addr);
        myfree((void *)bp->forged->address);
        myfree((void *)bp->forged);
        dsn_free(bp->forged_dsn);
    }
    vstring_free(bp->line);
    myfree((void *)bp);
    return (ret);
}
