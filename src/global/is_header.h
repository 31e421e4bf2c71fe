#ifndef IS_HEADER_H
#define IS_HEADER_H

/*
 * is_header - does a line start a message header ("Name: value")?
 *
 * The result is the length of the header name, or 0 when the text is not
 * a header. A name is one or more printable ASCII characters other than
 * ':' and white space; spaces or tabs may follow it before the colon, an
 * obsolete form that RFC 5322 still asks readers to accept.
 * is_header_buf() looks at no more than len bytes (IS_HEADER_NULL_TERMINATED:
 * up to the null).
 */

#include <sys/types.h>

#define IS_HEADER_NULL_TERMINATED (-1)

extern ssize_t is_header_buf(const char *str, ssize_t len);

#define is_header(str) is_header_buf((str), IS_HEADER_NULL_TERMINATED)

#endif
