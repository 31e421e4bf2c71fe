/*
 * xtext - RFC 3461 "xtext": printable ASCII stands for itself, except '+'
 * and '=', and every other byte is written as '+' and two upper-case hex
 * digits. The SMTP server decodes ENVID and ORCPT with it; the SMTP client
 * and the bounce daemon encode them again.
 *
 * xtext_quote() also encodes the bytes listed in `special' (a caller may
 * not want ':' or ';' to appear, say). xtext_unquote() returns null when a
 * '+' is not followed by two hex digits (either case is accepted); it does
 * not otherwise police the input, which the caller has length-limited.
 */

#include <string.h>

#include "xtext.h"

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

/* xtext_quote_append - append the xtext form of a string */
VSTRING *xtext_quote_append(VSTRING *quoted, const char *unquoted, const char *special)
{
    const unsigned char *cp;
    int ch;

    for (cp = (const unsigned char *)unquoted; (ch = *cp) != 0; cp++) {
        if (ch > 32 && ch < 127 && ch != '+' && ch != '=' && strchr(special, ch) == 0)
            VSTRING_ADDCH(quoted, ch);
        else
            vstring_sprintf_append(quoted, "+%02X", ch);
    }
    return (quoted);
}

/* xtext_quote - the xtext form of a string */
VSTRING *xtext_quote(VSTRING *quoted, const char *unquoted, const char *special)
{
    VSTRING_RESET(quoted);
    return (xtext_quote_append(quoted, unquoted, special));
}

/* xtext_unquote_append - append the decoded form; null if malformed */
VSTRING *xtext_unquote_append(VSTRING *unquoted, const char *quoted)
{
    const char *cp;
    int hi, lo;

    for (cp = quoted; *cp; cp++) {
        if (*cp == '+') {
            if ((hi = hex_value(cp[1])) < 0 || (lo = hex_value(cp[2])) < 0)
                return (0);
            VSTRING_ADDCH(unquoted, (hi << 4) | lo);
            cp += 2;
        } else {
            VSTRING_ADDCH(unquoted, *cp);
        }
    }
    return (unquoted);
}

/* xtext_unquote - the decoded form; null if malformed */
VSTRING *xtext_unquote(VSTRING *unquoted, const char *quoted)
{
    VSTRING_RESET(unquoted);
    return (xtext_unquote_append(unquoted, quoted));
}
