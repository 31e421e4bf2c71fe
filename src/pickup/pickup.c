/*
 * pickup - the daemon that moves locally submitted mail from the maildrop
 * queue into the mail system (see man/man8/pickup.8).
 *
 * It is a trigger server: postdrop wakes it after each submission, and the
 * master wakes it periodically (master.cf wakeup time) in case a wakeup
 * was lost. Each wakeup scans maildrop until a pass finds nothing more to
 * do.
 *
 * Trust boundary: maildrop files are written by local users (through
 * postdrop, but a user with write access to the directory could put
 * anything there). pickup runs as mail_owner, opens each file read-only
 * without following links (safe_open), and passes on only the record types
 * that belong in each part of a queue file. The sender is the file's
 * content; the submitting user is known from the file's owner, which
 * pickup logs and puts into the Received: header as a number (never as a
 * login name, which could reveal more than the user meant to).
 *
 * Per file:
 *   - skip anything that is not a complete queue file (owner-execute bit,
 *     set by postdrop after fsync), and names that are not queue ids;
 *   - connect to cleanup, copy the envelope (adding the content_filter),
 *     a Received: header, the content and the extracted segment;
 *   - remove the file only when cleanup said the message is safely queued,
 *     or when the file can never be delivered (malformed, no sender,
 *     refused as internally broken or without recipients). On any other
 *     trouble the file stays and is tried again at the next wakeup.
 * A file owned by mail_owner and not world-readable was put back by
 * "postsuper -r": its old queue id is logged, and Milters are not run on
 * it again.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "argv.h"
#include "attr.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "input_transp.h"
#include "mail_conf.h"
#include "mail_date.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_server.h"
#include "mail_stream.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_attr_map.h"
#include "rec_type.h"
#include "record.h"
#include "safe_open.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define PICKUP_REMOVE 1         /* done with the file, or hopeless */
#define PICKUP_KEEP 2           /* try again later */

#define DAY_SECONDS 86400
#define HOUR_SECONDS 3600

/* What pickup knows about the file it is working on. */
typedef struct PICKUP_INFO {
    char *path;                 /* maildrop/ID */
    char *id;                   /* cleanup's queue id for the new message */
    struct stat st;             /* the file's owner and times */
    char *sender;               /* envelope sender, once seen */
} PICKUP_INFO;

static int pickup_transp_mask;  /* receive_override_options */

/* pickup_requeued - put back by "postsuper -r", not submitted by a user */
static int pickup_requeued(PICKUP_INFO *info)
{
    return (info->st.st_uid == var_owner_uid && (info->st.st_mode & S_IROTH) == 0);
}

/* pickup_read_error - the file is not a queue file we can use */
static int pickup_read_error(PICKUP_INFO *info, int type)
{
    msg_warn("uid=%ld: unexpected or malformed record type %d", (long) info->st.st_uid, type);
    return (PICKUP_REMOVE);
}

/* pickup_cleanup_error - cleanup did not take the message */
static int pickup_cleanup_error(PICKUP_INFO *info, int status, const char *reason)
{
    /* cleanup logged its own reason, if it gave one. */
    if (reason == 0 || *reason == 0)
        msg_warn("%s: error writing %s: %s", info->path, info->id, cleanup_strerror(status));
    return ((status & (CLEANUP_STAT_BAD | CLEANUP_STAT_RCPT)) ? PICKUP_REMOVE : PICKUP_KEEP);
}

/* pickup_skip_record - records a requeued file may carry but must not pass on */
static int pickup_skip_record(const char *expected, int type, VSTRING *buf)
{
    char *saved;
    char *name;
    char *value;
    int skip;

    /* In the envelope and extracted segments, 'L' is a content filter. */
    if (*expected != REC_TYPE_CONTENT[0] && (type == REC_TYPE_FILT || type == REC_TYPE_RDR))
        return (1);
    if (*expected != REC_TYPE_EXTRACT[0])
        return (0);
    if (type == REC_TYPE_RRTO || type == REC_TYPE_ERTO)
        return (1);
    if (type != REC_TYPE_ATTR)
        return (0);
    saved = mystrdup(vstring_str(buf));
    skip = (split_nameval(saved, &name, &value) == 0 && rec_attr_map(name) == 0);
    myfree(saved);
    return (skip);
}

/* pickup_copy_segment - copy records of one segment up to its end record */
static int pickup_copy_segment(VSTREAM *qfile, VSTREAM *cleanup, PICKUP_INFO *info,
                               VSTRING *buf, const char *expected)
{
    int check_first = (*expected == REC_TYPE_CONTENT[0]);
    int time_seen = 0;
    int type;

    for (;;) {
        if ((type = rec_get(qfile, buf, var_line_length_limit)) < 0
            || !REC_TYPE_IN_SET(type, expected))
            return (pickup_read_error(info, type));
        if (msg_verbose)
            msg_info("%s: read %c %s", info->id, type, vstring_str(buf));
        if (type == *expected)
            return (0);
        if (type == REC_TYPE_FROM) {
            if (info->sender == 0)
                info->sender = mystrdup(vstring_str(buf));
            /* Files from old submission programs lack an arrival time. */
            if (time_seen == 0)
                rec_fprintf(cleanup, REC_TYPE_TIME, "%ld", (long) info->st.st_mtime);
        }
        if (type == REC_TYPE_TIME)
            time_seen = 1;
        if (pickup_skip_record(expected, type, buf))
            continue;

        /*
         * Content starting with white space would continue our Received:
         * header: an empty line first keeps it a line of its own.
         */
        if (check_first && (type == REC_TYPE_NORM || type == REC_TYPE_CONT)) {
            check_first = 0;
            if (VSTRING_LEN(buf) > 0 && (vstring_str(buf)[0] == ' ' || vstring_str(buf)[0] == '\t'))
                rec_put(cleanup, REC_TYPE_NORM, "", 0);
        }
        if (rec_put(cleanup, type, vstring_str(buf), VSTRING_LEN(buf)) < 0)
            return (pickup_cleanup_error(info, CLEANUP_STAT_WRITE, ""));
    }
}

/* pickup_check_time - warn about clocks and files that are far off */
static void pickup_check_time(PICKUP_INFO *info)
{
    time_t now = time((time_t *) 0);

    if (info->st.st_mtime > now + 2 * HOUR_SECONDS) {
        msg_warn("%s: message dated %ld seconds into the future", info->id,
                 (long) (info->st.st_mtime - now));
        info->st.st_mtime = now;
    } else if (info->st.st_mtime < now - DAY_SECONDS) {
        msg_warn("%s: message has been queued for %d days", info->id,
                 (int) ((now - info->st.st_mtime) / DAY_SECONDS));
    }
}

/* pickup_copy - the whole file to cleanup; PICKUP_REMOVE or PICKUP_KEEP */
static int pickup_copy(VSTREAM *qfile, MAIL_STREAM *ms, PICKUP_INFO *info, VSTRING *buf)
{
    VSTREAM *cleanup = ms->stream;
    int status;

    pickup_check_time(info);
    if (*var_content_filter)
        rec_fprintf(cleanup, REC_TYPE_FILT, "%s", var_content_filter);
    if ((status = pickup_copy_segment(qfile, cleanup, info, buf, REC_TYPE_ENVELOPE)) != 0)
        return (status);
    if (info->sender == 0) {
        msg_warn("%s: uid=%ld: no envelope sender", info->id, (long) info->st.st_uid);
        return (PICKUP_REMOVE);
    }
    if (pickup_requeued(info))
        msg_info("%s: uid=%d from=<%s> orig_id=%s", info->id, (int) info->st.st_uid,
                 info->sender, basename_of(info->path));
    else
        msg_info("%s: uid=%d from=<%s>", info->id, (int) info->st.st_uid, info->sender);

    /* The trace header names the user by number only. */
    rec_fputs(cleanup, REC_TYPE_MESG, "");
    rec_fprintf(cleanup, REC_TYPE_NORM, "Received: by %s (%s, from userid %ld)", var_myhostname,
                var_mail_name, (long) info->st.st_uid);
    rec_fprintf(cleanup, REC_TYPE_NORM, "\tid %s; %s", info->id, mail_date(info->st.st_mtime));
    if ((status = pickup_copy_segment(qfile, cleanup, info, buf, REC_TYPE_CONTENT)) != 0)
        return (status);

    /* Extracted recipients may follow the content (sendmail -t, list managers). */
    rec_fputs(cleanup, REC_TYPE_XTRA, "");
    if ((status = pickup_copy_segment(qfile, cleanup, info, buf, REC_TYPE_EXTRACT)) != 0)
        return (status);
    rec_fputs(cleanup, REC_TYPE_END, "");
    return (0);
}

/* pickup_cleanup_flags - what cleanup should do with this message */
static int pickup_cleanup_flags(PICKUP_INFO *info)
{
    int flags = input_transp_cleanup(CLEANUP_FLAG_BOUNCE | CLEANUP_FLAG_MASK_EXTERNAL,
                                     pickup_transp_mask);
    ARGV *classes;
    int i;

    if (pickup_requeued(info))
        return (flags & ~CLEANUP_FLAG_MILTER);
    if (var_smtputf8_enable) {
        classes = argv_split(var_smtputf8_autodetect_classes, ", \t\r\n");
        for (i = 0; i < classes->argc; i++)
            if (strcasecmp(classes->argv[i], "sendmail") == 0)
                flags |= CLEANUP_FLAG_AUTOUTF8;
        argv_free(classes);
    }
    return (flags);
}

/* pickup_file - hand one maildrop file to cleanup */
static int pickup_file(PICKUP_INFO *info)
{
    VSTRING *buf = vstring_alloc(100);
    VSTRING *why = vstring_alloc(100);
    struct stat st;
    VSTREAM *qfile;
    MAIL_STREAM *ms;
    int status;

    if ((qfile = safe_open(info->path, O_RDONLY | O_NONBLOCK, 0, &st, -1, -1, buf)) == 0) {
        status = errno;
        if (status != ENOENT)
            msg_warn("open input file %s: %s", info->path, vstring_str(buf));
        vstring_free(buf);
        vstring_free(why);
        return (status == EACCES ? PICKUP_KEEP : PICKUP_REMOVE);
    }
    if ((ms = mail_stream_service(MAIL_CLASS_PUBLIC, var_cleanup_service_name)) == 0
        || attr_print(ms->stream, ATTR_FLAG_NONE,
                      SEND_ATTR_INT(MAIL_ATTR_FLAGS, pickup_cleanup_flags(info)), ATTR_TYPE_END)
               != 0) {
        if (ms)
            mail_stream_cleanup(ms);
        status = PICKUP_KEEP;
    } else {
        info->id = mystrdup(ms->id);
        if ((status = pickup_copy(qfile, ms, info, buf)) != 0) {
            mail_stream_cleanup(ms);
        } else if ((status = mail_stream_finish(ms, why)) != CLEANUP_STAT_OK) {
            status = pickup_cleanup_error(info, status, vstring_str(why));
        } else {
            status = PICKUP_REMOVE;
        }
    }
    vstream_fclose(qfile);
    vstring_free(buf);
    vstring_free(why);
    return (status);
}

/* pickup_ready - is this directory entry a complete queue file */
static int pickup_ready(const char *id, VSTRING *path, struct stat *st)
{
    if (!mail_queue_id_ok(id))
        return (0);
    mail_queue_path(path, MAIL_QUEUE_MAILDROP, id);
    if (lstat(vstring_str(path), st) < 0) {
        if (errno != ENOENT)
            msg_warn("%s: %m", vstring_str(path));
        return (0);
    }
    if (!S_ISREG(st->st_mode)) {
        msg_warn("%s: uid %ld: not a regular file", vstring_str(path), (long) st->st_uid);
        return (0);
    }
    /* Still being written (or abandoned: postsuper's business). */
    if ((st->st_mode & S_IRWXU) != MAIL_QUEUE_STAT_READY)
        return (0);
    if (st->st_nlink > 1)
        msg_warn("%s: uid %ld: file has %d links", vstring_str(path), (long) st->st_uid,
                 (int) st->st_nlink);
    return (1);
}

/* pickup_scan - one pass over maildrop; the number of files removed */
static int pickup_scan(void)
{
    VSTRING *path = vstring_alloc(100);
    PICKUP_INFO info;
    struct dirent *dp;
    DIR *dir;
    int count = 0;

    if ((dir = opendir(MAIL_QUEUE_MAILDROP)) == 0)
        msg_fatal("open directory %s: %m", MAIL_QUEUE_MAILDROP);
    while ((dp = readdir(dir)) != 0) {
        if (!pickup_ready(dp->d_name, path, &info.st))
            continue;
        info.path = mystrdup(vstring_str(path));
        info.id = 0;
        info.sender = 0;
        if (pickup_file(&info) == PICKUP_REMOVE) {
            if (unlink(info.path) < 0)
                msg_warn("remove %s: %m", info.path);
            else
                count++;
        }
        myfree(info.path);
        if (info.id)
            myfree(info.id);
        if (info.sender)
            myfree(info.sender);
    }
    closedir(dir);
    vstring_free(path);
    return (count);
}

/* pickup_service - a wakeup: drain the maildrop queue */
static void pickup_service(char *buf, ssize_t len, char *service, char **argv)
{
    (void) buf;
    (void) len;
    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    while (pickup_scan() > 0)
        /* void */ ;
}

/* pickup_post_init - settings that need the configuration */
static void pickup_post_init(char *service, char **argv)
{
    pickup_transp_mask = input_transp_mask("receive_override_options",
                                           var_receive_override_options);
}

int main(int argc, char **argv)
{
    trigger_server_main(argc, argv, pickup_service, CA_MAIL_SERVER_POST_INIT(pickup_post_init),
                        CA_MAIL_SERVER_SOLITARY, 0);
}
