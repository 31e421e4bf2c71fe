#ifndef BOUNCE_LOG_H
#define BOUNCE_LOG_H

/*
 * bounce_log - the per-message logs in the bounce, defer and trace queues
 * (file name = queue id, hashed like the queue they belong to).
 *
 * Format: one block per recipient, blocks separated by an empty line,
 * each line "name=value": recipient, original_recipient, offset,
 * dsn_orig_rcpt, notify_flags, status, action, reason, diag_type,
 * diag_text, mta_type, mta_mname. Addresses are stored as they are
 * (internal form); control characters in values become '?'. Unknown names
 * are ignored when reading; a block without recipient or a valid status is
 * skipped with a warning.
 */

#include <sys/types.h>

#include "dsn.h"
#include "dsn_buf.h"
#include "rcpt_buf.h"
#include "recipient_list.h"
#include "vstream.h"
#include "vstring.h"

typedef struct BOUNCE_LOG BOUNCE_LOG;

/*
 * bounce_log_append - append one block to queue/id and fsync it; on a
 * write error the file is truncated back to its old size. Returns 0, or
 * -1 with a warning.
 */
extern int bounce_log_append(const char *queue, const char *id, const RECIPIENT *rcpt,
                             const DSN *dsn);

/* bounce_log_format - the block as text (tests, and the writer itself). */
extern const char *bounce_log_format(VSTRING *buf, const RECIPIENT *rcpt, const DSN *dsn);

/*
 * bounce_log_open - open queue/id for reading; 0 with errno set when it
 * cannot be opened (ENOENT: no log).
 */
extern BOUNCE_LOG *bounce_log_open(const char *queue, const char *id, int flags, mode_t mode);

/* bounce_log_forge - a one-record "log" in memory (BOUNCE_CMD_ONE). */
extern BOUNCE_LOG *bounce_log_forge(const RECIPIENT *rcpt, const DSN *dsn);

/*
 * bounce_log_read - the next block into rcpb and dsb; returns bp, or 0 at
 * the end of the log or on a read error (bounce_log_error() tells).
 */
extern BOUNCE_LOG *bounce_log_read(BOUNCE_LOG *bp, RCPT_BUF *rcpb, DSN_BUF *dsb);
extern int bounce_log_error(BOUNCE_LOG *bp);

/* bounce_log_rewind - back to the first block. Returns 0 or -1. */
extern int bounce_log_rewind(BOUNCE_LOG *bp);

/* bounce_log_close - close; returns 0 or -1 (a read error happened). */
extern int bounce_log_close(BOUNCE_LOG *bp);

#endif
