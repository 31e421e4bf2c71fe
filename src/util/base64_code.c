/*
 * base64_code - base64 (RFC 4648, with '=' padding, no line breaks), as
 * SMTP AUTH and the TLS/SASL code exchange it.
 *
 * base64_encode() cannot fail. base64_decode() returns null for input that
 * is not canonical base64: a length that is not a multiple of four, a
 * character outside the alphabet, or padding anywhere but at the end. The
 * result buffer is then in an unspecified state. A negative length means
 * "up to the null byte".
 */

#include <string.h>

#include "base64_code.h"
#include "msg.h"

static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* base64_encode_opt - encode len bytes */
VSTRING *base64_encode_opt(VSTRING *result, const char *in, ssize_t len, int flags)
{
    const unsigned char *cp = (const unsigned char *)in;
    unsigned long group;

    if (len < 0)
        len = strlen(in);
    if ((flags & BASE64_FLAG_APPEND) == 0)
        VSTRING_RESET(result);
    for (; len >= 3; len -= 3, cp += 3) {
        group = ((unsigned long)cp[0] << 16) | (cp[1] << 8) | cp[2];
        VSTRING_ADDCH(result, alphabet[(group >> 18) & 0x3f]);
        VSTRING_ADDCH(result, alphabet[(group >> 12) & 0x3f]);
        VSTRING_ADDCH(result, alphabet[(group >> 6) & 0x3f]);
        VSTRING_ADDCH(result, alphabet[group & 0x3f]);
    }
    if (len > 0) {
        group = (unsigned long)cp[0] << 16;
        if (len == 2)
            group |= cp[1] << 8;
        VSTRING_ADDCH(result, alphabet[(group >> 18) & 0x3f]);
        VSTRING_ADDCH(result, alphabet[(group >> 12) & 0x3f]);
        VSTRING_ADDCH(result, len == 2 ? alphabet[(group >> 6) & 0x3f] : '=');
        VSTRING_ADDCH(result, '=');
    }
    return (result);
}

/* decode_char - the 6-bit value of an alphabet character, or -1 */
static int decode_char(int ch)
{
    const char *cp;

    if (ch == 0 || (cp = strchr(alphabet, ch)) == 0)
        return (-1);
    return (cp - alphabet);
}

/* base64_decode_opt - decode; null on malformed input */
VSTRING *base64_decode_opt(VSTRING *result, const char *in, ssize_t len, int flags)
{
    const unsigned char *cp = (const unsigned char *)in;
    int val[4];
    int i, pad;

    if (len < 0)
        len = strlen(in);
    if (len % 4 != 0)
        return (0);
    if ((flags & BASE64_FLAG_APPEND) == 0)
        VSTRING_RESET(result);
    for (; len > 0; len -= 4, cp += 4) {
        pad = 0;
        for (i = 0; i < 4; i++) {
            if (cp[i] == '=' && i >= 2 && len == 4) {
                val[i] = 0;
                pad++;
            } else if (pad || (val[i] = decode_char(cp[i])) < 0) {
                return (0);
            }
        }
        VSTRING_ADDCH(result, (val[0] << 2) | (val[1] >> 4));
        if (pad < 2)
            VSTRING_ADDCH(result, ((val[1] << 4) | (val[2] >> 2)) & 0xff);
        if (pad < 1)
            VSTRING_ADDCH(result, ((val[2] << 6) | val[3]) & 0xff);
    }
    return (result);
}
