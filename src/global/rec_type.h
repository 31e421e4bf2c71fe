#ifndef REC_TYPE_H
#define REC_TYPE_H

/*
 * rec_type - the record types of queue files, maildrop files and the cleanup
 * stream. The letters are those of Postfix's queue files, so that queue files
 * and the tools that read them stay interchangeable.
 */

#define REC_TYPE_SIZE 'C'       /* first record: sizes and counts */
#define REC_TYPE_TIME 'T'       /* arrival time "sec usec" */
#define REC_TYPE_CTIME 'c'      /* queue file create time */
#define REC_TYPE_FULL 'F'       /* sender full name */
#define REC_TYPE_INSP 'I'       /* content inspector */
#define REC_TYPE_FILT 'L'       /* content filter (envelope) */
#define REC_TYPE_FROM 'S'       /* sender */
#define REC_TYPE_DONE 'D'       /* delivered recipient */
#define REC_TYPE_RCPT 'R'       /* recipient to do */
#define REC_TYPE_ORCP 'O'       /* original recipient */
#define REC_TYPE_DRCP '/'       /* canceled recipient */
#define REC_TYPE_WARN 'W'       /* time of the next delay warning */
#define REC_TYPE_ATTR 'A'       /* named attribute name=value */
#define REC_TYPE_KILL 'K'       /* killed record */
#define REC_TYPE_RDR '>'        /* redirect target */
#define REC_TYPE_FLGS 'f'       /* cleanup processing flags */
#define REC_TYPE_DELAY 'd'      /* cleanup delay upon arrival */
#define REC_TYPE_MESG 'M'       /* start of message content */
#define REC_TYPE_NORM 'N'       /* content line */
#define REC_TYPE_CONT 'L'       /* partial content line (continued) */
#define REC_TYPE_DTXT 'w'       /* padding */
#define REC_TYPE_XTRA 'X'       /* start of extracted information */
#define REC_TYPE_RRTO 'r'       /* return-receipt-to from headers */
#define REC_TYPE_ERTO 'e'       /* errors-to from headers */
#define REC_TYPE_PRIO 'P'       /* priority */
#define REC_TYPE_PTR 'p'        /* pointer to another file offset */
#define REC_TYPE_VERP 'V'       /* VERP delimiters */
#define REC_TYPE_DSN_RET '<'    /* DSN RET= */
#define REC_TYPE_DSN_ENVID 'i'  /* DSN ENVID= */
#define REC_TYPE_DSN_ORCPT 'o'  /* DSN ORCPT= */
#define REC_TYPE_DSN_NOTIFY 'n' /* DSN NOTIFY= */
#define REC_TYPE_MILT_COUNT 'm' /* milter count */
#define REC_TYPE_END 'E'        /* terminator */

#define REC_TYPE_EOF (-1)       /* reader result: end of file */
#define REC_TYPE_ERROR (-2)     /* reader result: malformed or I/O error */

/* Records allowed in each segment of a queue file. */
#define REC_TYPE_ENVELOPE "MCTcFILSDRO/WVA>K<ion"
#define REC_TYPE_CONTENT "XLNw"
#define REC_TYPE_EXTRACT "EDRO/PreAFIL>Kon"
/* What an unprivileged local submission (postdrop) may write. */
#define REC_TYPE_POST_ENVELOPE "MCFSRVAin"
#define REC_TYPE_POST_CONTENT "XLN"
#define REC_TYPE_POST_EXTRACT "EAR"

/* Fixed-width fields make in-place updates of pointers and times possible. */
#define REC_PTR_FORMAT "%15ld"
#define REC_PTR_SIZE 15
#define REC_WARN_FORMAT "%15ld"
#define REC_SIZE_FORMAT "%15ld %15ld %15ld %15ld %15ld %15ld"
#define REC_SIZE_SIZE (6 * 15 + 5)

extern const char *rec_type_name(int type);

#define REC_TYPE_IN_SET(type, set) ((type) > 0 && (type) < 256 && strchr((set), (type)) != 0)

#endif
