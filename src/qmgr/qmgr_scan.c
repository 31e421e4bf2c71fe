/*
 * qmgr_scan - queue directory scans, one file name at a time.
 *
 * A scan lists a queue directory, including its one-character hash
 * subdirectories, when it starts, and then hands out the names one per
 * call, so that moving files into the active queue interleaves with
 * deliveries. qmgr_scan_request() starts a scan (QMGR_SCAN_START) or, when
 * one is running, arranges for a new one as soon as it ends; other flags
 * (QMGR_SCAN_ALL, QMGR_FLUSH_DFXP) ride along with the next scan and are
 * what qmgr_scan_flags() reports while it runs. Names that are not queue
 * ids are never returned. An unreadable queue directory is fatal.
 */

#include <dirent.h>
#include <errno.h>
#include <string.h>

#include "argv.h"
#include "mail_queue.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#include "qmgr.h"

struct QMGR_SCAN {
    char *queue; /* queue name */
    int flags;   /* flags of the running scan */
    int nflags;  /* flags for the next scan; QMGR_SCAN_START: restart */
    ARGV *names; /* queue ids found by the running scan, or null */
    int next;    /* the next one to hand out */
};

/* qmgr_scan_create - a scan of one queue, idle */
QMGR_SCAN *qmgr_scan_create(const char *queue_name)
{
    QMGR_SCAN *scan = (QMGR_SCAN *)mycalloc(1, sizeof(*scan));

    scan->queue = mystrdup(queue_name);
    return (scan);
}

/* scan_dir - collect the queue ids under a directory, recursing into hash levels */
static void scan_dir(ARGV *names, const char *path, int depth)
{
    DIR *dir;
    struct dirent *dp;
    char *sub;

    if ((dir = opendir(path)) == 0) {
        if (errno == ENOENT && depth > 0)
            return;
        msg_fatal("open queue directory %s: %m", path);
    }
    while ((dp = readdir(dir)) != 0) {
        if (dp->d_name[0] == '.')
            continue;
        if (strlen(dp->d_name) == 1 && depth < 16) {
            sub = concatenate(path, "/", dp->d_name, (char *)0);
            scan_dir(names, sub, depth + 1);
            myfree(sub);
        } else if (mail_queue_id_ok(dp->d_name)) {
            argv_add(names, dp->d_name, (char *)0);
        }
    }
    closedir(dir);
}

/* scan_start - list the queue now */
static void scan_start(QMGR_SCAN *scan, int flags)
{
    if (scan->names)
        argv_free(scan->names);
    scan->names = argv_alloc(100);
    scan->next = 0;
    scan->flags = flags & ~QMGR_SCAN_START;
    scan_dir(scan->names, scan->queue, 0);
    if (msg_verbose)
        msg_info("scan %s: %ld files", scan->queue, (long)scan->names->argc);
}

/* qmgr_scan_request - start a scan now, or after the one that runs */
void qmgr_scan_request(QMGR_SCAN *scan, int flags)
{
    if (scan->names != 0) {
        /* Busy: remember for the next scan. */
        scan->nflags |= flags;
        return;
    }
    if (flags & QMGR_SCAN_START) {
        scan_start(scan, flags | scan->nflags);
        scan->nflags = 0;
    } else {
        scan->nflags |= flags;
    }
}

/* qmgr_scan_next - the next queue id, or null when the scan is over */
char *qmgr_scan_next(QMGR_SCAN *scan)
{
    while (scan->names != 0) {
        if (scan->next < scan->names->argc)
            return (scan->names->argv[scan->next++]);
        argv_free(scan->names);
        scan->names = 0;
        scan->flags = 0;
        if (scan->nflags & QMGR_SCAN_START) {
            scan_start(scan, scan->nflags);
            scan->nflags = 0;
        }
    }
    return (0);
}

/* qmgr_scan_free - forget a scan */
void qmgr_scan_free(QMGR_SCAN *scan)
{
    if (scan->names)
        argv_free(scan->names);
    myfree(scan->queue);
    myfree(scan);
}

/* qmgr_scan_queue - the queue being scanned */
const char *qmgr_scan_queue(QMGR_SCAN *scan)
{
    return (scan->queue);
}

/* qmgr_scan_flags - flags of the running scan */
int qmgr_scan_flags(QMGR_SCAN *scan)
{
    return (scan->flags);
}

/* qmgr_scan_busy - is a scan running */
int qmgr_scan_busy(QMGR_SCAN *scan)
{
    return (scan->names != 0);
}
