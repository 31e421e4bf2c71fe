#ifndef HEADER_TOKEN_H
#define HEADER_TOKEN_H

/*
 * header_token - tokens of structured header values such as
 * "text/plain; charset=\"utf-8\"" (RFC 2045 Content-Type and friends).
 *
 * header_token() parses from *ptr until the terminator character (which it
 * consumes) or the end of the text, and stores up to max_tok tokens:
 * HEADER_TOK_TOKEN (a run of characters that are not white space, control
 * characters or specials), HEADER_TOK_QSTRING (a quoted string, unquoted),
 * or a special character as its own type. Comments and white space are
 * skipped. Token text lives in token_buffer; u.value points into it until
 * the next call. The result is the number of tokens stored, or -1 when
 * there was nothing left to parse. Tokens past max_tok are skipped.
 */

#include <sys/types.h>

#include "vstring.h"

typedef struct HEADER_TOKEN {
    int type; /* HEADER_TOK_* or a special character */
    union {
        const char *value; /* token text, after header_token() returns */
        ssize_t offset;    /* index into token_buffer, while parsing */
    } u;
} HEADER_TOKEN;

#define HEADER_TOK_TOKEN 256
#define HEADER_TOK_QSTRING 257

/* RFC 2045 tspecials, for MIME headers. */
#define HEADER_TOK_MIME_SPECIALS "()<>@,;:\\\"/[]?="

extern ssize_t header_token(HEADER_TOKEN *token, ssize_t max_tok, VSTRING *token_buffer,
                            const char **ptr, const char *specials, int terminator);

#endif
