/*
 * flush - the fast flush server: per-destination logs of deferred mail,
 * so that ETRN, "sendmail -qR site" and "postqueue -s site" deliver the
 * mail of one site without scanning the whole deferred queue.
 *
 * A single server on public/flush (master.cf: "flush unix n - n 1000? 0
 * flush"). Requests, after "protocol=queue_flush_protocol" (see
 * flush_clnt.h); each is answered with "status":
 *   add site queue_id  append the id to the site's log (delivery agents
 *                      call this through defer_append)
 *   send_site site     deliver everything the log names, empty the log
 *   send_file queue_id deliver one deferred message
 *   refresh            answered at once, then: logs not read for
 *                      fast_flush_refresh_time are sent, empty logs not
 *                      written for fast_flush_purge_time are removed
 *   purge              like refresh, for every log
 * A bare wakeup from the master (the byte 'W') does a refresh.
 *
 * Logs live in queue_directory/flush, one file per site named after the
 * lower-cased site with anything but letters, digits, '.' and '-' turned
 * into '_'; one queue id a line, appended under an exclusive lock. Only
 * sites listed in fast_flush_domains get a log (FLUSH_STAT_DENY
 * otherwise). "Delivering" a message means: give it the current time,
 * mark it with the unthrottle bit (qmgr then revives its dead
 * destinations), move it from deferred to incoming, and wake qmgr.
 *
 * Failure: malformed requests get FLUSH_STAT_BAD; trouble with a log file
 * is logged and answered with FLUSH_STAT_FAIL.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>

#include "attr.h"
#include "deliver_flock.h"
#include "flush_clnt.h"
#include "htable.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "mail_server.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "scan_dir.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#define STR(x) vstring_str(x)
#define STREQ(x, y) (strcmp((x), (y)) == 0)

#define FLUSH_SITE_MAX 255  /* longer site names are refused */
#define FLUSH_REFRESH_ALL 0 /* purge: every log */
#define FLUSH_REFRESH_OLD 1 /* refresh: only old ones */

/* flush_path - the log file of a site, or null for an unusable name */
static const char *flush_path(VSTRING *buf, const char *site)
{
    const unsigned char *cp;
    int ch;

    if (*site == 0 || strlen(site) > FLUSH_SITE_MAX)
        return (0);
    vstring_sprintf(buf, "%s/", MAIL_QUEUE_FLUSH);
    for (cp = (const unsigned char *)site; (ch = *cp) != 0; cp++) {
        if (isalnum(ch) || ch == '-' || (ch == '.' && cp != (const unsigned char *)site))
            VSTRING_ADDCH(buf, tolower(ch));
        else
            VSTRING_ADDCH(buf, '_');
    }
    VSTRING_TERMINATE(buf);
    return (STR(buf));
}

/* flush_add_service - remember queue_id for site */
static int flush_add_service(const char *site, const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    VSTREAM *log;
    int status = FLUSH_STAT_OK;

    if (flush_path(path, site) == 0 || !mail_queue_id_ok(queue_id)) {
        vstring_free(path);
        return (FLUSH_STAT_BAD);
    }
    if ((log = vstream_fopen(STR(path), O_CREAT | O_APPEND | O_WRONLY, 0600)) == 0) {
        msg_warn("open logfile %s: %m", STR(path));
        vstring_free(path);
        return (FLUSH_STAT_FAIL);
    }
    if (myflock(vstream_fileno(log), INTERNAL_LOCK, MYFLOCK_OP_EXCLUSIVE) < 0)
        msg_fatal("lock logfile %s: %m", STR(path));
    vstream_fprintf(log, "%s\n", queue_id);
    if (vstream_fflush(log) != 0) {
        msg_warn("write logfile %s: %m", STR(path));
        status = FLUSH_STAT_FAIL;
    }
    (void)myflock(vstream_fileno(log), INTERNAL_LOCK, MYFLOCK_OP_NONE);
    (void)vstream_fclose(log);
    vstring_free(path);
    return (status);
}

/* flush_one_file - make one message deliverable now; 1 when it was moved */
static int flush_one_file(const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    struct utimbuf tbuf;
    struct stat st;
    int moved = 0;

    if (!mail_queue_id_ok(queue_id)) {
        vstring_free(path);
        return (0);
    }
    tbuf.actime = tbuf.modtime = time((time_t *)0);
    mail_queue_path(path, MAIL_QUEUE_DEFERRED, queue_id);
    if (stat(STR(path), &st) < 0) {
        if (errno != ENOENT)
            msg_warn("stat %s: %m", STR(path));
    } else if ((st.st_mode & S_IXUSR) != 0) {
        if (utime(STR(path), &tbuf) < 0)
            msg_warn("%s: update file time stamps: %m", STR(path));
        else if (chmod(STR(path), (st.st_mode & 07777) | MAIL_QUEUE_STAT_UNTHROTTLE) < 0)
            msg_warn("%s: set unthrottle bit: %m", STR(path));
        else if (mail_queue_rename(queue_id, MAIL_QUEUE_DEFERRED, MAIL_QUEUE_INCOMING) < 0) {
            if (errno != ENOENT)
                msg_warn("%s: rename from %s to %s: %m", queue_id, MAIL_QUEUE_DEFERRED,
                         MAIL_QUEUE_INCOMING);
        } else {
            moved = 1;
            if (msg_verbose)
                msg_info("%s: moved to %s", queue_id, MAIL_QUEUE_INCOMING);
        }
    }
    vstring_free(path);
    return (moved);
}

/* flush_wake_qmgr - ask qmgr to look at incoming */
static void flush_wake_qmgr(void)
{
    static const char req[] = {QMGR_REQ_SCAN_INCOMING};

    if (mail_trigger(MAIL_CLASS_PUBLIC, var_queue_service_name, req, sizeof(req)) < 0)
        msg_warn("%s: trigger: %m", var_queue_service_name);
}

/* flush_send_path - deliver what a log names, and empty it */
static int flush_send_path(const char *path)
{
    VSTRING *line = vstring_alloc(40);
    HTABLE *seen = htable_create(10);
    VSTREAM *log;
    struct utimbuf tbuf;
    int moved = 0;

    if ((log = vstream_fopen(path, O_RDWR, 0600)) == 0) {
        vstring_free(line);
        htable_free(seen, (void (*)(void *))0);
        if (errno == ENOENT)
            return (FLUSH_STAT_OK);
        msg_warn("open logfile %s: %m", path);
        return (FLUSH_STAT_FAIL);
    }
    if (myflock(vstream_fileno(log), INTERNAL_LOCK, MYFLOCK_OP_EXCLUSIVE) < 0)
        msg_fatal("lock logfile %s: %m", path);
    while (vstring_get_nonl_bound(line, log, 100) != VSTREAM_EOF) {
        if (htable_locate(seen, STR(line)) != 0)
            continue;
        htable_enter(seen, STR(line), (void *)0);
        moved += flush_one_file(STR(line));
    }
    if (ftruncate(vstream_fileno(log), 0) < 0)
        msg_warn("truncate logfile %s: %m", path);
    /* The access time says when the log was last read (refresh). */
    tbuf.actime = tbuf.modtime = time((time_t *)0);
    if (utime(path, &tbuf) < 0)
        msg_warn("update time stamps of %s: %m", path);
    (void)myflock(vstream_fileno(log), INTERNAL_LOCK, MYFLOCK_OP_NONE);
    (void)vstream_fclose(log);
    if (moved > 0)
        flush_wake_qmgr();
    if (msg_verbose)
        msg_info("%s: %d messages moved to incoming", path, moved);
    vstring_free(line);
    htable_free(seen, (void (*)(void *))0);
    return (FLUSH_STAT_OK);
}

/* flush_send_service - deliver the mail of one site */
static int flush_send_service(const char *site)
{
    VSTRING *path = vstring_alloc(100);
    int status;

    if (flush_path(path, site) == 0)
        status = FLUSH_STAT_BAD;
    else
        status = flush_send_path(STR(path));
    vstring_free(path);
    return (status);
}

/* flush_send_file_service - deliver one message */
static int flush_send_file_service(const char *queue_id)
{
    if (!mail_queue_id_ok(queue_id))
        return (FLUSH_STAT_BAD);
    if (flush_one_file(queue_id))
        flush_wake_qmgr();
    return (FLUSH_STAT_OK);
}

/* flush_refresh_service - send old logs, drop empty stale ones */
static void flush_refresh_service(int how)
{
    VSTRING *path = vstring_alloc(100);
    SCAN_DIR *scan;
    struct stat st;
    time_t now = time((time_t *)0);
    char *name;

    if ((scan = scan_dir_open(MAIL_QUEUE_FLUSH)) == 0) {
        msg_warn("open directory %s: %m", MAIL_QUEUE_FLUSH);
        vstring_free(path);
        return;
    }
    while ((name = scan_dir_next(scan)) != 0) {
        vstring_sprintf(path, "%s/%s", MAIL_QUEUE_FLUSH, name);
        if (stat(STR(path), &st) < 0 || !S_ISREG(st.st_mode))
            continue;
        if (st.st_size == 0) {
            if (how == FLUSH_REFRESH_ALL || st.st_mtime + var_fast_flush_purge_time < now) {
                if (unlink(STR(path)) < 0)
                    msg_warn("remove logfile %s: %m", STR(path));
                else if (msg_verbose)
                    msg_info("remove logfile %s", STR(path));
            }
        } else if (how == FLUSH_REFRESH_ALL || st.st_atime + var_fast_flush_refresh_time < now) {
            (void)flush_send_path(STR(path));
        }
    }
    scan_dir_close(scan);
    vstring_free(path);
}

/* flush_request - read and do one request; returns the status to send */
static int flush_request(VSTREAM *client, const char *request, int *refresh)
{
    VSTRING *site = vstring_alloc(100);
    VSTRING *queue_id = vstring_alloc(40);
    int status = FLUSH_STAT_BAD;

    if (STREQ(request, FLUSH_REQ_ADD)) {
        if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_SITE, site),
                      RECV_ATTR_STR(MAIL_ATTR_QUEUEID, queue_id), ATTR_TYPE_END) == 2)
            status = flush_site_eligible(lowercase(STR(site))) == 1
                         ? flush_add_service(STR(site), STR(queue_id))
                         : FLUSH_STAT_DENY;
    } else if (STREQ(request, FLUSH_REQ_SEND_SITE)) {
        if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_SITE, site),
                      ATTR_TYPE_END) == 1)
            status = flush_site_eligible(lowercase(STR(site))) == 1 ? flush_send_service(STR(site))
                                                                    : FLUSH_STAT_DENY;
    } else if (STREQ(request, FLUSH_REQ_SEND_FILE)) {
        if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_QUEUEID, queue_id),
                      ATTR_TYPE_END) == 1)
            status = flush_send_file_service(STR(queue_id));
    } else if (STREQ(request, FLUSH_REQ_REFRESH) || STREQ(request, FLUSH_REQ_PURGE)) {
        if (attr_scan(client, ATTR_FLAG_STRICT, ATTR_TYPE_END) == 0) {
            *refresh = STREQ(request, FLUSH_REQ_REFRESH) ? FLUSH_REFRESH_OLD : FLUSH_REFRESH_ALL;
            status = FLUSH_STAT_OK;
        }
    } else {
        msg_warn("unrecognized request: \"%s\", ignored", request);
    }
    vstring_free(site);
    vstring_free(queue_id);
    return (status);
}

/* flush_service - one client */
static void flush_service(VSTREAM *client, char *unused_service, char **argv)
{
    VSTRING *request = vstring_alloc(20);
    int refresh = -1;
    int status;
    int ch;

    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_FLUSH),
               ATTR_TYPE_END);
    (void)vstream_fflush(client);
    /* A master wakeup is a bare 'W' (it does not wait for us); requests start with a name. */
    if ((ch = vstream_getc(client)) == TRIGGER_REQ_WAKEUP || ch == VSTREAM_EOF) {
        if (ch == TRIGGER_REQ_WAKEUP)
            flush_refresh_service(FLUSH_REFRESH_OLD);
        vstring_free(request);
        return;
    }
    vstream_ungetc(client, ch);
    if (attr_scan(client, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, request),
                  ATTR_TYPE_END) == 1) {
        status = flush_request(client, STR(request), &refresh);
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
        vstream_fflush(client);
        /* Refresh and purge are answered first and done in the background. */
        if (refresh >= 0)
            flush_refresh_service(refresh);
    }
    vstring_free(request);
}

int main(int argc, char **argv)
{
    single_server_main(argc, argv, flush_service, 0);
}
