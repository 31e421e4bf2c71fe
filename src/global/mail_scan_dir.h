#ifndef MAIL_SCAN_DIR_H
#define MAIL_SCAN_DIR_H

/*
 * mail_scan_dir - list a queue directory including its hash levels, and
 * decide whether a queue file is complete and safe to open.
 */

#include <sys/stat.h>

#include "scan_dir.h"
#include "vstring.h"

/*
 * mail_scan_dir_next - the next name in the queue, stepping into (and back
 * out of) one-character subdirectories; scan_dir_path() tells where it is.
 * Null at the end of the whole queue.
 */
extern char *mail_scan_dir_next(SCAN_DIR *scan);

/*
 * mail_open_ok - is queue/id a complete queue file: a valid id, a regular
 * file with a single link and owner permissions rwx. MAIL_OPEN_YES fills
 * in st and sets *path (valid until the next call); MAIL_OPEN_NO means
 * skip it (a multiply linked file is also logged).
 */
#define MAIL_OPEN_YES 1
#define MAIL_OPEN_NO 0
extern int mail_open_ok(const char *queue, const char *id, struct stat *st, const char **path);

#endif
