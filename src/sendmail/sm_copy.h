#ifndef SM_COPY_H
#define SM_COPY_H

/* sm_copy - message text from standard input to message content records */

#include <sys/types.h>

#include "argv.h"
#include "mime_state.h"
#include "vstream.h"
#include "vstring.h"

/* What to do with a CR before the LF (sendmail_fix_line_endings). */
#define SM_STRIP_CR_DONT 0     /* never */
#define SM_STRIP_CR_DO 1       /* always */
#define SM_STRIP_CR_DONTKNOW 2 /* strict: decide on the first line */

typedef struct SM_COPY {
    VSTREAM *dst;               /* records go here */
    int flags;                  /* SM_FLAG_AEOF, SM_FLAG_XRCPT */
    ssize_t line_limit;         /* line_length_limit: longest record */
    int strip_cr;               /* SM_STRIP_CR_* */
    MIME_STATE *mime;           /* -t: header parser, else null */
    ARGV *recipients;           /* -t: To:, Cc:, Bcc: addresses */
    ARGV *resent_recipients;    /* -t: Resent-To:, -Cc:, -Bcc: addresses */
    int resent;                 /* a Resent- recipient header was seen */
    VSTRING *temp;              /* address conversion */
    int write_error;            /* a record could not be written */
} SM_COPY;

/* Results of sm_copy_message(). */
#define SM_COPY_OK 0
#define SM_COPY_WRITE (-1)      /* output error (errno) */
#define SM_COPY_READ (-2)       /* input error (errno) */
/* A positive result is a set of MIME_ERR_* bits from header parsing. */

extern int sm_fix_eol_mode(const char *value);
extern void sm_copy_init(SM_COPY *state, VSTREAM *dst, int flags, ssize_t line_limit,
                         int strip_cr, ssize_t header_limit);
extern int sm_copy_message(SM_COPY *state, VSTREAM *src);
extern ARGV *sm_copy_recipients(SM_COPY *state);
extern void sm_copy_free(SM_COPY *state);
extern int sm_read_line(VSTREAM *src, VSTRING *buf, ssize_t limit);

#endif
