/*
 * attr_b64 - the base64 coding (RFC 4648 alphabet, with padding) that the
 * attribute encodings use for DATA values and for the base64 framing. It
 * is private to the attribute modules; general code should use a shared
 * base64 module.
 *
 * Encoding cannot fail. Decoding is strict: the length must be a multiple
 * of four, padding may only end the text, and any other byte outside the
 * alphabet is an error (-1), so garbage on the wire is never half-accepted.
 */

#include "attr_engine.h"

static const char attr_b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* attr_b64_encode - replace out with the base64 form of len bytes */
void attr_b64_encode(VSTRING *out, const char *in, size_t len)
{
    const unsigned char *cp = (const unsigned char *)in;
    unsigned long bits;
    size_t i;

    VSTRING_RESET(out);
    for (i = 0; i + 2 < len; i += 3) {
        bits = ((unsigned long)cp[i] << 16) | (cp[i + 1] << 8) | cp[i + 2];
        VSTRING_ADDCH(out, attr_b64_alphabet[(bits >> 18) & 63]);
        VSTRING_ADDCH(out, attr_b64_alphabet[(bits >> 12) & 63]);
        VSTRING_ADDCH(out, attr_b64_alphabet[(bits >> 6) & 63]);
        VSTRING_ADDCH(out, attr_b64_alphabet[bits & 63]);
    }
    if (i < len) {
        bits = (unsigned long)cp[i] << 16;
        if (i + 1 < len)
            bits |= cp[i + 1] << 8;
        VSTRING_ADDCH(out, attr_b64_alphabet[(bits >> 18) & 63]);
        VSTRING_ADDCH(out, attr_b64_alphabet[(bits >> 12) & 63]);
        VSTRING_ADDCH(out, i + 1 < len ? attr_b64_alphabet[(bits >> 6) & 63] : '=');
        VSTRING_ADDCH(out, '=');
    }
}

/* attr_b64_value - the 6-bit value of one base64 character, or -1 */
static int attr_b64_value(int ch)
{
    if (ch >= 'A' && ch <= 'Z')
        return (ch - 'A');
    if (ch >= 'a' && ch <= 'z')
        return (ch - 'a' + 26);
    if (ch >= '0' && ch <= '9')
        return (ch - '0' + 52);
    if (ch == '+')
        return (62);
    if (ch == '/')
        return (63);
    return (-1);
}

/* attr_b64_decode - replace out with the bytes that base64 text stands for */
int attr_b64_decode(VSTRING *out, const char *in, size_t len)
{
    const unsigned char *cp = (const unsigned char *)in;
    unsigned long bits;
    int val[4];
    int pad;
    size_t i;
    int j;

    VSTRING_RESET(out);
    if (len % 4 != 0)
        return (-1);
    for (i = 0; i < len; i += 4) {
        pad = 0;
        for (j = 0; j < 4; j++) {
            if (cp[i + j] == '=' && i + 4 == len && j >= 2) {
                val[j] = 0;
                pad++;
            } else if (pad || (val[j] = attr_b64_value(cp[i + j])) < 0) {
                return (-1);
            }
        }
        bits = ((unsigned long)val[0] << 18) | (val[1] << 12) | (val[2] << 6) | val[3];
        VSTRING_ADDCH(out, (bits >> 16) & 0xff);
        if (pad < 2)
            VSTRING_ADDCH(out, (bits >> 8) & 0xff);
        if (pad < 1)
            VSTRING_ADDCH(out, bits & 0xff);
    }
    return (0);
}
