/*
 * valid_utf8_string - is a byte string well-formed UTF-8 (RFC 3629)?
 *
 * Strict: overlong forms, UTF-16 surrogates (U+D800..U+DFFF), code points
 * above U+10FFFF and truncated sequences are all refused, because a lenient
 * check would let two different byte strings stand for one address.
 * A negative length means "up to the null byte"; null bytes within len are
 * refused. utf8_decode_one() is the shared decoder: it returns the code
 * point at *cpp and advances past it, or returns -1.
 */

#include <string.h>

#include "valid_utf8_string.h"

/* utf8_decode_one - decode one code point; -1 if malformed */
int utf8_decode_one(const unsigned char **cpp, const unsigned char *end)
{
    const unsigned char *cp = *cpp;
    int ch = *cp++;
    int need, min, code;

    if (ch < 0x80) {
        need = 0, min = 0, code = ch;
    } else if (ch >= 0xc2 && ch <= 0xdf) {
        need = 1, min = 0x80, code = ch & 0x1f;
    } else if (ch >= 0xe0 && ch <= 0xef) {
        need = 2, min = 0x800, code = ch & 0x0f;
    } else if (ch >= 0xf0 && ch <= 0xf4) {
        need = 3, min = 0x10000, code = ch & 0x07;
    } else {
        return (-1);
    }
    if (end - cp < need)
        return (-1);
    while (need-- > 0) {
        if ((*cp & 0xc0) != 0x80)
            return (-1);
        code = (code << 6) | (*cp++ & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return (-1);
    *cpp = cp;
    return (code);
}

/* valid_utf8_string - 1 if the whole string is well-formed UTF-8 */
int valid_utf8_string(const char *str, ssize_t len)
{
    const unsigned char *cp = (const unsigned char *)str;
    const unsigned char *end;

    if (len < 0)
        len = strlen(str);
    end = cp + len;
    while (cp < end) {
        if (*cp == 0 || utf8_decode_one(&cp, end) < 0)
            return (0);
    }
    return (1);
}
