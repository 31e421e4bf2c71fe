/*
 * is_header - recognize the first line of a message header.
 *
 * Exports is_header_buf() and the is_header() macro; see is_header.h for
 * the accepted syntax. A null byte, an 8-bit byte, a control character or
 * white space inside the name, or text that ends before the colon, make
 * the result 0. Nothing here fails.
 */

#include "is_header.h"

/* is_header_buf - length of the header name, or 0 */
ssize_t is_header_buf(const char *str, ssize_t len)
{
    const unsigned char *cp = (const unsigned char *)str;
    ssize_t name_len = 0;
    int trailing_space = 0;
    ssize_t n;

    for (n = 0; len == IS_HEADER_NULL_TERMINATED || n < len; n++) {
        int ch = cp[n];

        if (ch == ':')
            return (name_len);
        if (ch == ' ' || ch == '\t') {
            if (name_len == 0)
                return (0);
            trailing_space = 1;
            continue;
        }
        /* Printable ASCII only, and nothing after the space before the colon. */
        if (ch <= 32 || ch >= 127 || trailing_space)
            return (0);
        name_len++;
    }
    return (0);
}
