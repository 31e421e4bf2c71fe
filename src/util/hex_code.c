/*
 * hex_code - binary data as hexadecimal text: upper case by default, two
 * digits per byte, optionally separated by colons (certificate
 * fingerprints). hex_decode() accepts either case and returns null for an
 * odd number of digits, a non-hex character, or a misplaced colon. A
 * negative length means "up to the null byte".
 */

#include <string.h>

#include "hex_code.h"

/* hex_encode_opt - encode len bytes */
VSTRING *hex_encode_opt(VSTRING *result, const char *in, ssize_t len, int flags)
{
    const char *digits =
        (flags & HEX_ENCODE_FLAG_LOWERCASE) ? "0123456789abcdef" : "0123456789ABCDEF";
    const unsigned char *cp = (const unsigned char *)in;
    ssize_t i;

    if (len < 0)
        len = strlen(in);
    if ((flags & HEX_ENCODE_FLAG_APPEND) == 0)
        VSTRING_RESET(result);
    for (i = 0; i < len; i++) {
        if (i > 0 && (flags & HEX_ENCODE_FLAG_USE_COLON))
            VSTRING_ADDCH(result, ':');
        VSTRING_ADDCH(result, digits[cp[i] >> 4]);
        VSTRING_ADDCH(result, digits[cp[i] & 0xf]);
    }
    return (result);
}

/* hex_value - one hex digit, or -1 */
static int hex_value(int ch)
{
    if (ch >= '0' && ch <= '9')
        return (ch - '0');
    if (ch >= 'a' && ch <= 'f')
        return (ch - 'a' + 10);
    if (ch >= 'A' && ch <= 'F')
        return (ch - 'A' + 10);
    return (-1);
}

/* hex_decode_opt - decode; null on malformed input */
VSTRING *hex_decode_opt(VSTRING *result, const char *in, ssize_t len, int flags)
{
    const char *cp = in;
    const char *end;
    int hi, lo;

    if (len < 0)
        len = strlen(in);
    end = in + len;
    if ((flags & HEX_DECODE_FLAG_APPEND) == 0)
        VSTRING_RESET(result);
    while (cp < end) {
        if (cp > in && (flags & HEX_DECODE_FLAG_ALLOW_COLON) && *cp == ':') {
            if (++cp >= end)
                return (0);
        }
        if (end - cp < 2 || (hi = hex_value(cp[0])) < 0 || (lo = hex_value(cp[1])) < 0)
            return (0);
        VSTRING_ADDCH(result, (hi << 4) | lo);
        cp += 2;
    }
    return (result);
}
