#ifndef MIME_STATE_H
#define MIME_STATE_H

/*
 * mime_state - follow the MIME structure of a message, one record at a time.
 *
 * The caller feeds message content with mime_state_update(): each
 * REC_TYPE_NORM record is (the rest of) a line, each REC_TYPE_CONT record a
 * piece of a longer line that continues in the next record; any other
 * record type marks the end of the message. The parser calls back:
 *
 *   head_out(context, class, info, buf, offset)  one whole header, folded
 *       lines joined with "\n", no final newline; class is MIME_HDR_PRIMARY
 *       (message header), MIME_HDR_MULTIPART (header of a multipart body
 *       part) or MIME_HDR_NESTED (header of an attached message/rfc822);
 *       info is the header_opts_find() entry or null; offset is the byte
 *       offset of the header in the input. The callee may change buf.
 *   head_end(context)  the primary header is complete (called once).
 *   body_out(context, rec_type, text, len, offset)  a body line or piece of
 *       one, including MIME boundary lines and the empty line after each
 *       header; offset counts input bytes within the current body segment
 *       (it restarts after each header and each boundary line); a
 *       quoted-printable line made by MIME_OPT_DOWNGRADE carries the offset
 *       of the input line it encodes.
 *   body_end(context)  the end of the message.
 *   err_print(context, code, text, len)  the first occurrence of each kind
 *       of error that the options ask to report, with the offending text.
 *
 * Any callback may be null. mime_state_update() returns the MIME_ERR_*
 * bits reported so far; mime_state_error() gives the text to log or
 * reply for the most serious of them, mime_state_detail() also its
 * enhanced status code.
 */

#include <sys/types.h>

#include "header_opts.h"
#include "vstring.h"

typedef struct MIME_STATE MIME_STATE;

typedef void (*MIME_STATE_HEAD_OUT)(void *context, int header_class, const HEADER_OPTS *info,
                                    VSTRING *buf, off_t offset);
typedef void (*MIME_STATE_BODY_OUT)(void *context, int rec_type, const char *text, ssize_t len,
                                    off_t offset);
typedef void (*MIME_STATE_ANY_END)(void *context);
typedef void (*MIME_STATE_ERR_PRINT)(void *context, int err_code, const char *text, ssize_t len);

/* Size limits: header_size_limit, mime_nesting_limit, mime_boundary_length_limit. */
typedef struct MIME_STATE_LIMITS {
    ssize_t header_size_limit;
    int nesting_limit;
    ssize_t boundary_length_limit;
} MIME_STATE_LIMITS;

#define MIME_STATE_DEF_HEADER_SIZE_LIMIT 102400
#define MIME_STATE_DEF_NESTING_LIMIT 100
#define MIME_STATE_DEF_BOUNDARY_LENGTH_LIMIT 2048

/* Options. */
#define MIME_OPT_NONE 0
#define MIME_OPT_DOWNGRADE (1 << 0)                /* 8bit parts to quoted-printable */
#define MIME_OPT_REPORT_8BIT_IN_7BIT_BODY (1 << 1) /* strict_8bitmime_body */
#define MIME_OPT_REPORT_8BIT_IN_HEADER (1 << 2)    /* strict_7bit_headers */
#define MIME_OPT_REPORT_ENCODING_DOMAIN (1 << 3)   /* strict_mime_encoding_domain */
#define MIME_OPT_RECURSE_ALL_MESSAGE (1 << 4)      /* all message subtypes but two */
#define MIME_OPT_REPORT_TRUNC_HEADER (1 << 5)      /* header_size_limit exceeded */
#define MIME_OPT_DISABLE_MIME (1 << 6)             /* disable_mime_input_processing */
#define MIME_OPT_REPORT_NESTING (1 << 7)           /* mime_nesting_limit exceeded */

/* Header classes. */
#define MIME_HDR_PRIMARY 1
#define MIME_HDR_MULTIPART 2
#define MIME_HDR_NESTED 3
#define MIME_HDR_FIRST MIME_HDR_PRIMARY
#define MIME_HDR_LAST MIME_HDR_NESTED

/* Errors, most serious first. */
#define MIME_ERR_NESTING (1 << 0)
#define MIME_ERR_TRUNC_HEADER (1 << 1)
#define MIME_ERR_8BIT_IN_HEADER (1 << 2)
#define MIME_ERR_8BIT_IN_7BIT_BODY (1 << 3)
#define MIME_ERR_ENCODING_DOMAIN (1 << 4)

typedef struct MIME_STATE_DETAIL {
    int code;         /* one MIME_ERR_* bit */
    const char *dsn;  /* enhanced status code */
    const char *text; /* description */
} MIME_STATE_DETAIL;

extern MIME_STATE *mime_state_alloc(int flags, MIME_STATE_HEAD_OUT head_out,
                                    MIME_STATE_ANY_END head_end, MIME_STATE_BODY_OUT body_out,
                                    MIME_STATE_ANY_END body_end, MIME_STATE_ERR_PRINT err_print,
                                    void *context);
extern void mime_state_set_limits(MIME_STATE *state, const MIME_STATE_LIMITS *limits);
extern int mime_state_update(MIME_STATE *state, int rec_type, const char *text, ssize_t len);
extern MIME_STATE *mime_state_free(MIME_STATE *state);
extern const char *mime_state_error(int error_code);
extern const MIME_STATE_DETAIL *mime_state_detail(int error_code);

#endif
