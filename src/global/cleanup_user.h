#ifndef CLEANUP_USER_H
#define CLEANUP_USER_H

/*
 * cleanup_user - what a client of the cleanup service says (flags) and
 * hears back (status bits). The values are Postfix's.
 */

/* Client request flags. */
#define CLEANUP_FLAG_NONE 0
#define CLEANUP_FLAG_BOUNCE (1 << 0)    /* bounce bad messages */
#define CLEANUP_FLAG_FILTER (1 << 1)    /* header/body checks */
#define CLEANUP_FLAG_HOLD (1 << 2)      /* put the message on hold */
#define CLEANUP_FLAG_DISCARD (1 << 3)   /* discard the message */
#define CLEANUP_FLAG_BCC_OK (1 << 4)    /* always_bcc and friends */
#define CLEANUP_FLAG_MAP_OK (1 << 5)    /* canonical, virtual, masquerade */
#define CLEANUP_FLAG_MILTER (1 << 6)    /* milter applications */
#define CLEANUP_FLAG_SMTP_REPLY (1 << 7) /* want a complete SMTP reply */
#define CLEANUP_FLAG_SMTPUTF8 (1 << 8)  /* SMTPUTF8 requested */
#define CLEANUP_FLAG_AUTOUTF8 (1 << 9)  /* autodetect SMTPUTF8 */
#define CLEANUP_FLAG_REQTLS (1 << 10)

#define CLEANUP_FLAG_FILTER_ALL (CLEANUP_FLAG_FILTER | CLEANUP_FLAG_MILTER)
#define CLEANUP_FLAG_MASK_EXTERNAL \
    (CLEANUP_FLAG_FILTER_ALL | CLEANUP_FLAG_BCC_OK | CLEANUP_FLAG_MAP_OK)
#define CLEANUP_FLAG_MASK_INTERNAL CLEANUP_FLAG_MAP_OK
#define CLEANUP_FLAG_MASK_EXTRA (CLEANUP_FLAG_HOLD | CLEANUP_FLAG_DISCARD)

/* Status bits. */
#define CLEANUP_STAT_OK 0
#define CLEANUP_STAT_BAD (1 << 0)       /* internal protocol error */
#define CLEANUP_STAT_WRITE (1 << 1)     /* error writing message file */
#define CLEANUP_STAT_SIZE (1 << 2)      /* message file too big */
#define CLEANUP_STAT_CONT (1 << 3)      /* message content rejected */
#define CLEANUP_STAT_HOPS (1 << 4)      /* too many hops */
#define CLEANUP_STAT_RCPT (1 << 6)      /* no recipients found */
#define CLEANUP_STAT_PROXY (1 << 7)     /* proxy reject */
#define CLEANUP_STAT_DEFER (1 << 8)     /* temporary reject */
#define CLEANUP_STAT_NOPERM (1 << 9)    /* denied by non-content policy */
#define CLEANUP_STAT_BARE_LF (1 << 16)  /* bare newline seen */

#define CLEANUP_STAT_MASK_CANT_BOUNCE \
    (CLEANUP_STAT_BAD | CLEANUP_STAT_WRITE | CLEANUP_STAT_DEFER | CLEANUP_STAT_RCPT)
#define CLEANUP_STAT_MASK_INCOMPLETE (CLEANUP_STAT_BAD | CLEANUP_STAT_WRITE | CLEANUP_STAT_SIZE)

#endif
