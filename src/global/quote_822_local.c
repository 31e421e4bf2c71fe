/*
 * quote_822_local - quote the local part of an address when RFC 5322 needs it.
 *
 * Exports quote_822_local_flags() and unquote_822_local() (see the header).
 * A local part needs quotes when it is not a sequence of atoms separated
 * by single dots: empty, a leading, trailing or doubled dot, white space,
 * control characters, RFC 5322 specials (but '.', and '@' under
 * QUOTE_FLAG_EXPOSE_AT), and (without QUOTE_FLAG_8BITCLEAN) 8-bit bytes.
 * A source route in front ("@a,@b:user@domain") is kept as it is and the
 * local part after it is considered. So the null address "" becomes "\"\""
 * and "@domain" becomes "\"\"@domain", as in Postfix. Nothing here fails.
 */

#include <string.h>
#include <sys/types.h>

#include "lex_822.h"
#include "quote_822_local.h"
#include "vstring.h"

/* is_dot_atom - is local..end a sequence of atoms separated by single dots? */
static int is_dot_atom(const char *local, const char *end, int flags)
{
    const unsigned char *cp;

    if (local == end || *local == '.' || end[-1] == '.')
        return (0);
    for (cp = (const unsigned char *)local; cp < (const unsigned char *)end; cp++) {
        if (*cp == '.') {
            if (cp + 1 < (const unsigned char *)end && cp[1] == '.')
                return (0);
            continue;
        }
        if (*cp >= 128) {
            if (!(flags & QUOTE_FLAG_8BITCLEAN))
                return (0);
            continue;
        }
        if (*cp == ' ' || LEX_822_IS_CTL(*cp))
            return (0);
        if (*cp == '@' && (flags & QUOTE_FLAG_EXPOSE_AT))
            continue;
        if (strchr(LEX_822_SPECIALS, *cp) != 0)
            return (0);
    }
    return (1);
}

/*
 * quote_822_local_flags - internal form to external form. Inside the
 * quotes a backslash goes before '"', '\\' and CR, and before 8-bit bytes
 * unless QUOTE_FLAG_8BITCLEAN.
 */
VSTRING *quote_822_local_flags(VSTRING *dst, const char *src, int flags)
{
    const char *local = src;
    const char *end;
    const char *colon;
    const unsigned char *cp;

    if (src[0] == '@' && (colon = strchr(src, ':')) != 0)
        local = colon + 1;
    if ((flags & QUOTE_FLAG_BARE_LOCALPART) || (end = strrchr(local, '@')) == 0)
        end = local + strlen(local);
    if (!(flags & QUOTE_FLAG_APPEND))
        VSTRING_RESET(dst);
    if (is_dot_atom(local, end, flags)) {
        vstring_strcat(dst, src);
        return (dst);
    }
    vstring_strncat(dst, src, local - src);
    VSTRING_ADDCH(dst, '"');
    for (cp = (const unsigned char *)local; cp < (const unsigned char *)end; cp++) {
        if (*cp == '"' || *cp == '\\' || *cp == '\r' ||
            (*cp >= 128 && !(flags & QUOTE_FLAG_8BITCLEAN)))
            VSTRING_ADDCH(dst, '\\');
        VSTRING_ADDCH(dst, *cp);
    }
    VSTRING_ADDCH(dst, '"');
    vstring_strcat(dst, end);
    return (dst);
}

/*
 * unquote_822_local - external form to internal form. A source route in
 * front and the domain (after the last '@' outside quotes) are copied as
 * they are; in between, quotes are dropped and a backslash takes the next
 * byte literally.
 */
VSTRING *unquote_822_local(VSTRING *dst, const char *src)
{
    const char *local = src;
    const char *colon;
    const char *cp;
    const char *domain = 0;
    ssize_t domain_pos = 0;
    int quoted = 0;

    if (src[0] == '@' && (colon = strchr(src, ':')) != 0)
        local = colon + 1;
    vstring_strncpy(dst, src, local - src);
    for (cp = local; *cp; cp++) {
        if (*cp == '"') {
            quoted = !quoted;
            continue;
        }
        if (*cp == '@' && !quoted) {
            domain = cp;
            domain_pos = VSTRING_LEN(dst);
        } else if (*cp == '\\') {
            if (cp[1] == 0)
                continue;
            cp++;
        }
        VSTRING_ADDCH(dst, *cp);
    }
    if (domain) {
        vstring_truncate(dst, domain_pos);
        vstring_strcat(dst, domain);
    }
    VSTRING_TERMINATE(dst);
    return (dst);
}
