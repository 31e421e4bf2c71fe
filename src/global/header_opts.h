#ifndef HEADER_OPTS_H
#define HEADER_OPTS_H

/*
 * header_opts - what the mail system knows about a message header.
 *
 * header_opts_find() takes a header line ("Reply-To: ...") or just a name,
 * compares the name case-insensitively with the known headers, and
 * returns its entry, or null for headers with no special meaning.
 */

typedef struct HEADER_OPTS {
    const char *name; /* header name, preferred spelling */
    int type;         /* HDR_* */
    int flags;        /* HDR_OPT_* */
} HEADER_OPTS;

/* Header types. */
#define HDR_APPARENTLY_TO 1
#define HDR_BCC 2
#define HDR_CC 3
#define HDR_CONTENT_DESCRIPTION 4
#define HDR_CONTENT_DISPOSITION 5
#define HDR_CONTENT_ID 6
#define HDR_CONTENT_LENGTH 7
#define HDR_CONTENT_TRANSFER_ENCODING 8
#define HDR_CONTENT_TYPE 9
#define HDR_DATE 10
#define HDR_DELIVERED_TO 11
#define HDR_DISP_NOTIFICATION 12
#define HDR_ERRORS_TO 13
#define HDR_FROM 14
#define HDR_MAIL_FOLLOWUP_TO 15
#define HDR_MESSAGE_ID 16
#define HDR_MIME_VERSION 17
#define HDR_RECEIVED 18
#define HDR_REPLY_TO 19
#define HDR_RESENT_BCC 20
#define HDR_RESENT_CC 21
#define HDR_RESENT_DATE 22
#define HDR_RESENT_FROM 23
#define HDR_RESENT_MESSAGE_ID 24
#define HDR_RESENT_REPLY_TO 25
#define HDR_RESENT_SENDER 26
#define HDR_RESENT_TO 27
#define HDR_RETURN_PATH 28
#define HDR_RETURN_RECEIPT_TO 29
#define HDR_SENDER 30
#define HDR_TO 31
#define HDR_X_ORIGINAL_TO 32

/* Header properties. */
#define HDR_OPT_DROP (1 << 0)    /* removed from incoming mail */
#define HDR_OPT_SENDER (1 << 1)  /* holds sender-type addresses */
#define HDR_OPT_RECIP (1 << 2)   /* holds recipient-type addresses */
#define HDR_OPT_RR (1 << 3)      /* a Resent- header */
#define HDR_OPT_EXTRACT (1 << 4) /* recipients for "sendmail -t" */
#define HDR_OPT_MIME (1 << 5)    /* a MIME header */
#define HDR_OPT_BLIND (1 << 6)   /* blind copy: never shown to recipients */

#define HDR_OPT_XRECIP (HDR_OPT_RECIP | HDR_OPT_EXTRACT)
#define HDR_OPT_ADDRESS (HDR_OPT_SENDER | HDR_OPT_RECIP)

extern const HEADER_OPTS *header_opts_find(const char *string);

#endif
