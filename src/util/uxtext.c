/*
 * uxtext - RFC 6533 "utf-8-addr-unitext", the form of ORCPT and ENVID
 * values when SMTPUTF8 is in use. Encoding works as Postfix does: printable
 * ASCII other than '+', '\' and '=' stands for itself; every other
 * character, including each UTF-8 character beyond ASCII, becomes "\x{HEX}"
 * with its code point in upper-case hex (at least two digits).
 *
 * uxtext_quote() also encodes the ASCII bytes listed in `special'; it
 * returns null if the input is not well-formed UTF-8. uxtext_unquote()
 * decodes "\x{HEX}" (1-6 hex digits) to UTF-8 and copies everything else,
 * including a '\' that does not start "\x{", as Postfix does. It returns
 * null for an escape that is not closed, names no character, or names the
 * null character, a surrogate or a value beyond U+10FFFF.
 */

#include <string.h>

#include "uxtext.h"
#include "valid_utf8_string.h"

/* uxtext_quote_append - append the unitext form; null if not UTF-8 */
VSTRING *uxtext_quote_append(VSTRING *quoted, const char *unquoted, const char *special)
{
    const unsigned char *cp = (const unsigned char *)unquoted;
    const unsigned char *end = cp + strlen(unquoted);
    int ch;

    while (cp < end) {
        ch = *cp;
        if (ch < 0x80) {
            if (ch > 32 && ch < 127 && ch != '+' && ch != '\\' && ch != '=' &&
                strchr(special, ch) == 0)
                VSTRING_ADDCH(quoted, ch);
            else
                vstring_sprintf_append(quoted, "\\x{%02X}", ch);
            cp++;
        } else {
            if ((ch = utf8_decode_one(&cp, end)) < 0)
                return (0);
            vstring_sprintf_append(quoted, "\\x{%02X}", ch);
        }
    }
    return (quoted);
}

/* uxtext_quote - the unitext form; null if not UTF-8 */
VSTRING *uxtext_quote(VSTRING *quoted, const char *unquoted, const char *special)
{
    VSTRING_RESET(quoted);
    return (uxtext_quote_append(quoted, unquoted, special));
}

/* add_utf8 - append one code point as UTF-8 */
static void add_utf8(VSTRING *vp, long code)
{
    if (code < 0x80) {
        VSTRING_ADDCH(vp, code);
    } else if (code < 0x800) {
        VSTRING_ADDCH(vp, 0xc0 | (code >> 6));
        VSTRING_ADDCH(vp, 0x80 | (code & 0x3f));
    } else if (code < 0x10000) {
        VSTRING_ADDCH(vp, 0xe0 | (code >> 12));
        VSTRING_ADDCH(vp, 0x80 | ((code >> 6) & 0x3f));
        VSTRING_ADDCH(vp, 0x80 | (code & 0x3f));
    } else {
        VSTRING_ADDCH(vp, 0xf0 | (code >> 18));
        VSTRING_ADDCH(vp, 0x80 | ((code >> 12) & 0x3f));
        VSTRING_ADDCH(vp, 0x80 | ((code >> 6) & 0x3f));
        VSTRING_ADDCH(vp, 0x80 | (code & 0x3f));
    }
}

/* parse_escape - "\x{HEX}" at cp; the code point and its length, or -1 */
static long parse_escape(const char *cp, int *len)
{
    long code = 0;
    int digits = 0;
    int ch;

    for (cp += 3; (ch = *cp) != '}'; cp++) {
        if (ch >= '0' && ch <= '9')
            code = code * 16 + ch - '0';
        else if (ch >= 'a' && ch <= 'f')
            code = code * 16 + ch - 'a' + 10;
        else if (ch >= 'A' && ch <= 'F')
            code = code * 16 + ch - 'A' + 10;
        else
            return (-1);
        if (++digits > 6)
            return (-1);
    }
    if (code == 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff))
        return (-1);
    *len = digits + 4;
    return (code);
}

/* uxtext_unquote_append - append the decoded form; null if malformed */
VSTRING *uxtext_unquote_append(VSTRING *unquoted, const char *quoted)
{
    const char *cp = quoted;
    long code;
    int len;

    while (*cp) {
        if (cp[0] == '\\' && cp[1] == 'x' && cp[2] == '{') {
            if ((code = parse_escape(cp, &len)) < 0)
                return (0);
            add_utf8(unquoted, code);
            cp += len;
        } else {
            VSTRING_ADDCH(unquoted, *cp);
            cp++;
        }
    }
    return (unquoted);
}

/* uxtext_unquote - the decoded form; null if malformed */
VSTRING *uxtext_unquote(VSTRING *unquoted, const char *quoted)
{
    VSTRING_RESET(unquoted);
    return (uxtext_unquote_append(unquoted, quoted));
}
