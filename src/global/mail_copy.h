#ifndef MAIL_COPY_H
#define MAIL_COPY_H

/*
 * mail_copy - copy a queued message to a mailbox, a file or a command's
 * input, in the Unix mailbox conventions that the flags ask for.
 */

#include <sys/types.h>

#include "dsn_buf.h"
#include "vstream.h"

/* What to add or change (Postfix's values). */
#define MAIL_COPY_QUOTE (1 << 0)       /* quote body lines "From " as ">From " */
#define MAIL_COPY_TOFILE (1 << 1)      /* a file: fsync, truncate back on error */
#define MAIL_COPY_FROM (1 << 2)        /* start with the "From sender  date" line */
#define MAIL_COPY_DELIVERED (1 << 3)   /* prepend Delivered-To: */
#define MAIL_COPY_RETURN_PATH (1 << 4) /* prepend Return-Path: */
#define MAIL_COPY_DOT (1 << 5)         /* double a leading "." (SMTP style) */
#define MAIL_COPY_BLANK (1 << 6)       /* end with an empty line */
#define MAIL_COPY_ORIG_RCPT (1 << 7)   /* prepend X-Original-To: */
#define MAIL_COPY_MBOX                                                                             \
    (MAIL_COPY_FROM | MAIL_COPY_QUOTE | MAIL_COPY_TOFILE | MAIL_COPY_DELIVERED |                   \
     MAIL_COPY_RETURN_PATH | MAIL_COPY_BLANK | MAIL_COPY_ORIG_RCPT)
#define MAIL_COPY_NONE 0

/* Result bits; 0 is success. */
#define MAIL_COPY_STAT_OK 0
#define MAIL_COPY_STAT_CORRUPT (1 << 0) /* queue file content is damaged */
#define MAIL_COPY_STAT_READ (1 << 1)    /* queue file read error */
#define MAIL_COPY_STAT_WRITE (1 << 2)   /* destination write error */

/*
 * mail_copy - copy the content records of the queue file src, starting at
 * offset and ending at the X record, to dst. sender is the envelope sender
 * ("" = null sender), orig_rcpt the original recipient (may be "" or null:
 * no X-Original-To:), delivered the Delivered-To: address. eol ends each
 * line ("\n", or "\r\n" for pipe(8) flags). With MAIL_COPY_TOFILE, dst must
 * be positioned at its end; on failure it is truncated back to that size.
 * On failure why holds a 4.x.x or 5.x.x status and the reason.
 */
extern int mail_copy(const char *sender, const char *orig_rcpt, const char *delivered, VSTREAM *src,
                     off_t offset, VSTREAM *dst, int flags, const char *eol, DSN_BUF *why);

/* mail_copy_from_line - format the mbox "From " line (without eol) for tests. */
extern const char *mail_copy_from_line(VSTRING *buf, const char *sender, time_t when);

#endif
