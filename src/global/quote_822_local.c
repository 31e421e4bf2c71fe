/*
 * quote_822_local - quote the local part of an address when RFC 5322 needs it.
 *
 * Exports quote_822_local_flags() and unquote_822_local() (see the header).
 * A local part needs quotes when it is not a sequence of atoms separated
 * by single dots: a leading, trailing or doubled dot, white space, control
 * characters, RFC 5322 specials, and (without QUOTE_FLAG_8BITCLEAN) 8-bit
 * bytes. An empty local part stays empty, so that the null sender "" and
 * "@domain" come out unchanged. Nothing here fails.
 */

#include <string.h>

#include "lex_822.h"
#include "quote_822_local.h"
#include "vstring.h"

/* needs_quotes - is this local part something other than a dot-atom? */
static int needs_quotes(const char *local, size_t len, int flags)
{
    const unsigned char *cp = (const unsigned char *)local;
    const unsigned char *end = cp + len;

    if (len == 0)
        return (0);
    if (cp[0] == '.' || end[-1] == '.')
        return (1);
    for (; cp < end; cp++) {
        if (*cp == '.' && cp + 1 < end && cp[1] == '.')
            return (1);
        if (*cp >= 128) {
            if (!(flags & QUOTE_FLAG_8BITCLEAN))
                return (1);
            continue;
        }
        if (*cp == ' ' || LEX_822_IS_CTL(*cp))
            return (1);
        if (*cp == '@' && (flags & QUOTE_FLAG_EXPOSE_AT))
            continue;
        if (*cp != '.' && strchr(LEX_822_SPECIALS, *cp) != 0)
            return (1);
    }
    return (0);
}

/* quote_822_local_flags - internal form to external form */
VSTRING *quote_822_local_flags(VSTRING *dst, const char *src, int flags)
{
    const char *at = (flags & QUOTE_FLAG_BARE_LOCALPART) ? 0 : strrchr(src, '@');
    size_t len = at ? (size_t)(at - src) : strlen(src);
    size_t n;

    if (!(flags & QUOTE_FLAG_APPEND))
        VSTRING_RESET(dst);
    if (needs_quotes(src, len, flags)) {
        VSTRING_ADDCH(dst, '"');
        for (n = 0; n < len; n++) {
            if (src[n] == '"' || src[n] == '\\' || src[n] == '\r' || src[n] == '\n')
                VSTRING_ADDCH(dst, '\\');
            VSTRING_ADDCH(dst, src[n]);
        }
        VSTRING_ADDCH(dst, '"');
    } else {
        vstring_memcat(dst, src, len);
    }
    if (at)
        vstring_strcat(dst, at);
    VSTRING_TERMINATE(dst);
    return (dst);
}

/* unquote_822_local - external form to internal form */
VSTRING *unquote_822_local(VSTRING *dst, const char *src)
{
    const char *cp;
    const char *at = 0;
    int quoted = 0;

    /* The domain starts after the last '@' that is neither quoted nor escaped. */
    for (cp = src; *cp; cp++) {
        if (*cp == '\\') {
            if (cp[1] == 0)
                break;
            cp++;
        } else if (*cp == '"') {
            quoted = !quoted;
        } else if (*cp == '@' && !quoted) {
            at = cp;
        }
    }
    VSTRING_RESET(dst);
    for (cp = src; *cp && cp != at; cp++) {
        if (*cp == '\\') {
            if (cp[1] == 0)
                break;
            VSTRING_ADDCH(dst, *++cp);
        } else if (*cp != '"') {
            VSTRING_ADDCH(dst, *cp);
        }
    }
    if (at)
        vstring_strcat(dst, at);
    VSTRING_TERMINATE(dst);
    return (dst);
}
