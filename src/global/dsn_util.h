#ifndef DSN_UTIL_H
#define DSN_UTIL_H

/*
 * dsn_util - RFC 3463 enhanced status codes: validation, and splitting a
 * "5.1.1 text" reply into the code and the text.
 */

#include <stddef.h>

#include "vstring.h"

/* Longest code: class (1 digit) . subject (1-3 digits) . detail (1-3 digits). */
#define DSN_LEN 9
#define DSN_BUFSIZE (DSN_LEN + 1)

typedef struct DSN_STAT {
    char data[DSN_BUFSIZE];
} DSN_STAT;

typedef struct DSN_SPLIT {
    DSN_STAT dsn;     /* the status code found, or the default */
    const char *text; /* the text after the code and its white space */
} DSN_SPLIT;

/*
 * dsn_valid - the length of the "x.y.z" code at the start of text (the code
 * must end at white space or the string end), or 0 when there is none. The
 * class must be 2, 4 or 5.
 */
extern size_t dsn_valid(const char *text);

/*
 * dsn_split - find a status code at the start of text; when there is none,
 * use def_dsn (which must be valid) and the whole text. A default of class
 * 4 or 5 also overrides the class of a code found in text, so that a
 * "5.1.1" in a temporary-failure text does not turn it into a bounce.
 */
extern DSN_SPLIT *dsn_split(DSN_SPLIT *dp, const char *def_dsn, const char *text);

/* dsn_prepend - the text with def_dsn before it when it has no code. */
extern char *dsn_prepend(const char *def_dsn, const char *text);

/* Class and soft-bounce helpers. */
#define DSN_CLASS_OK(c) ((c) == '2' || (c) == '4' || (c) == '5')
#define dsn_is_hard(status) ((status)[0] == '5')
#define dsn_is_soft(status) ((status)[0] == '4')
#define dsn_is_success(status) ((status)[0] == '2')

#endif
