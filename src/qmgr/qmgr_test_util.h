#ifndef QMGR_TEST_UTIL_H
#define QMGR_TEST_UTIL_H

/*
 * qmgr_test_util - what the qmgr module tests share: a throwaway queue
 * directory with a main.cf, queue files written record by record, a fake
 * resolver (transport and next hop taken from the address: "user@domain"
 * goes to transport "relay" next hop "domain", "user@transport.test"
 * style addresses pick the transport), fake status services that record
 * what qmgr asked for, and a fake process limit.
 *
 * Included by each *_test.c of src/qmgr (static functions only, so that
 * the module test programs stay self-contained).
 */

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mail_conf.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "rec_type.h"
#include "record.h"
#include "stringops.h"
#include "vstring.h"

#include "qmgr.h"

static char test_dir[] = "/tmp/qmgr_test.XXXXXX";
static VSTRING *notify_log; /* one line per status service request */

/* test_conf - a queue directory with main.cf settings */
static void test_setup(const char *settings)
{
    static const char *dirs[] = {"incoming", "active", "deferred", "hold",    "corrupt",
                                 "bounce",   "defer",  "trace",    "private", 0};
    VSTRING *path = vstring_alloc(100);
    FILE *fp;
    int i;

    if (mkdtemp(test_dir) == 0 || chdir(test_dir) < 0) {
        perror(test_dir);
        exit(1);
    }
    for (i = 0; dirs[i]; i++)
        mkdir(dirs[i], 0700);
    vstring_sprintf(path, "%s/main.cf", test_dir);
    if ((fp = fopen(vstring_str(path), "w")) == 0) {
        perror("main.cf");
        exit(1);
    }
    /* Settings that pass mail_conf_read()'s sanity checks whoever runs the test. */
    if (getuid() == 0)
        fprintf(fp, "mail_owner = daemon\nsetgid_group = %s\n", "bin");
    else
        fprintf(fp, "mail_owner = %s\nsetgid_group = %s\n", getpwuid(getuid())->pw_name,
                getgrgid(getgid())->gr_name);
    fprintf(fp, "queue_directory = %s\n%s", test_dir, settings);
    fclose(fp);
    mail_conf_set_dir(test_dir);
    mail_conf_read();
    vstring_free(path);
    notify_log = vstring_alloc(1000);
}

/* test_cleanup - remove the queue directory */
static void test_cleanup(void)
{
    VSTRING *cmd = vstring_alloc(100);

    if (chdir("/") == 0) {
        vstring_sprintf(cmd, "rm -rf %s", test_dir);
        if (system(vstring_str(cmd)) != 0)
            fprintf(stderr, "cannot remove %s\n", test_dir);
    }
    vstring_free(cmd);
}

/*
 * test_queue_file - write a complete queue file. Recipients are given as
 * "address" or "D:address" (already delivered). Returns the offset of the
 * first recipient record through first_rcpt_offset when asked.
 */
static void test_queue_file(const char *queue, const char *queue_id, const char *sender,
                            const char **rcpts, long arrival, const char *extra_attr)
{
    VSTREAM *fp;
    long data_offset, xtra_offset;
    int nrcpt = 0;
    const char **cpp;
    long rcpt_offset;

    if ((fp = mail_queue_open(queue, queue_id, O_CREAT | O_TRUNC | O_RDWR, 0600)) == 0) {
        perror(queue_id);
        exit(1);
    }
    rec_fprintf(fp, REC_TYPE_SIZE, REC_SIZE_FORMAT, 0L, 0L, 0L, 0L, 0L, 0L);
    rec_fprintf(fp, REC_TYPE_TIME, "%ld %ld", arrival, 0L);
    rec_fprintf(fp, REC_TYPE_ATTR, "%s=%s", "rewrite_context", "local");
    if (extra_attr)
        rec_fputs(fp, REC_TYPE_ATTR, extra_attr);
    rec_fputs(fp, REC_TYPE_FROM, sender);
    for (cpp = rcpts; *cpp; cpp++, nrcpt++) {
        if (strncmp(*cpp, "D:", 2) == 0) {
            rcpt_offset = vstream_ftell(fp);
            rec_fputs(fp, REC_TYPE_RCPT, *cpp + 2);
            vstream_fflush(fp);
            rec_put_type(fp, REC_TYPE_DONE, rcpt_offset);
            vstream_fseek(fp, 0, SEEK_END);
        } else {
            rec_fputs(fp, REC_TYPE_RCPT, *cpp);
        }
    }
    rec_fputs(fp, REC_TYPE_MESG, "");
    data_offset = vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_NORM, "Subject: test");
    rec_fputs(fp, REC_TYPE_NORM, "");
    rec_fputs(fp, REC_TYPE_NORM, "body");
    xtra_offset = vstream_ftell(fp);
    rec_fputs(fp, REC_TYPE_XTRA, "");
    rec_fputs(fp, REC_TYPE_END, "");
    vstream_fseek(fp, 0, SEEK_SET);
    rec_fprintf(fp, REC_TYPE_SIZE, REC_SIZE_FORMAT, xtra_offset - data_offset, data_offset,
                (long)nrcpt, 0L, 19L, 0L);
    if (vstream_fflush(fp) != 0 || fchmod(vstream_fileno(fp), 0700) < 0) {
        perror(queue_id);
        exit(1);
    }
    vstream_fclose(fp);
}

/* test_resolve - "local@transport.nexthop" or "local@domain" (relay) */
static void test_resolve(const char *sender, const char *address, QMGR_RESOLVED *reply)
{
    const char *at = strrchr(address, '@');
    const char *domain = at ? at + 1 : "localhost";
    const char *dot = strchr(domain, '.');

    vstring_strcpy(reply->recipient, address);
    reply->flags = 0;
    if (strcmp(domain, "fail.test") == 0) {
        reply->flags |= QMGR_RESOLVE_FLAG_FAIL;
        return;
    }
    if (strcmp(domain, "localhost") == 0) {
        vstring_strcpy(reply->transport, "local");
        vstring_strcpy(reply->nexthop, "localhost");
        reply->flags |= QMGR_RESOLVE_CLASS_LOCAL;
    } else if (dot && strncmp(domain, "via-", 4) == 0) {
        vstring_strncpy(reply->transport, domain + 4, dot - domain - 4);
        vstring_strcpy(reply->nexthop, dot + 1);
    } else {
        vstring_strcpy(reply->transport, "relay");
        vstring_strcpy(reply->nexthop, domain);
    }
}

/* notify_record - append one line to the request log */
static int notify_record(const char *what, QMGR_MESSAGE *message, RECIPIENT *rcpt, const DSN *dsn,
                         int result)
{
    vstring_sprintf_append(notify_log, "%s %s%s%s%s%s%s\n", what, message->queue_id,
                           rcpt ? " " : "", rcpt ? rcpt->address : "", dsn ? " " : "",
                           dsn ? dsn->status : "", dsn ? "" : "");
    if (dsn)
        vstring_sprintf_append(notify_log, "  (%s)\n", dsn->reason);
    return (result);
}

static int fake_defer_append(QMGR_MESSAGE *m, RECIPIENT *r, const char *relay, const DSN *d)
{
    return (notify_record("defer", m, r, d, -1));
}

static int fake_bounce_append(QMGR_MESSAGE *m, RECIPIENT *r, const char *relay, const DSN *d)
{
    return (notify_record("bounce", m, r, d, 0));
}

static int fake_sent(QMGR_MESSAGE *m, RECIPIENT *r, const char *relay, const DSN *d)
{
    return (notify_record("sent", m, r, d, 0));
}

static void fake_bounce_flush(QMGR_MESSAGE *m, QMGR_NOTIFY_DONE done)
{
    done(notify_record("bounce_flush", m, 0, 0, 0), m);
}

static void fake_defer_flush(QMGR_MESSAGE *m, QMGR_NOTIFY_DONE done)
{
    done(notify_record("defer_flush", m, 0, 0, 0), m);
}

static void fake_defer_warn(QMGR_MESSAGE *m, QMGR_NOTIFY_DONE done)
{
    done(notify_record("defer_warn", m, 0, 0, 0), m);
}

static void fake_trace_flush(QMGR_MESSAGE *m, QMGR_NOTIFY_DONE done)
{
    done(notify_record("trace_flush", m, 0, 0, 0), m);
}

static int fake_maxproc(const char *transport)
{
    return (strcmp(transport, "slow") == 0 ? 2 : 100);
}

/* test_fakes - install the fakes */
static void test_fakes(void)
{
    qmgr_resolve_fn = test_resolve;
    qmgr_maxproc_fn = fake_maxproc;
    qmgr_notify.defer_append = fake_defer_append;
    qmgr_notify.bounce_append = fake_bounce_append;
    qmgr_notify.sent = fake_sent;
    qmgr_notify.bounce_flush = fake_bounce_flush;
    qmgr_notify.defer_flush = fake_defer_flush;
    qmgr_notify.defer_warn = fake_defer_warn;
    qmgr_notify.trace_flush = fake_trace_flush;
}

/* file_exists - is there a file at this queue path */
static int file_exists(const char *queue, const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    int ok = stat(mail_queue_path(path, queue, queue_id), &st) == 0;

    vstring_free(path);
    return (ok);
}

/* file_mtime - the mtime of a queue file, or 0 */
static long file_mtime(const char *queue, const char *queue_id)
{
    VSTRING *path = vstring_alloc(100);
    struct stat st;
    long t = stat(mail_queue_path(path, queue, queue_id), &st) == 0 ? (long)st.st_mtime : 0;

    vstring_free(path);
    return (t);
}

#endif
