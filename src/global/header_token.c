/*
 * header_token - split a structured header value into tokens.
 *
 * Exports header_token(); see header_token.h. The parser is lenient in the
 * way that mail software has to be: an unterminated quoted string or
 * comment ends at the end of the text, a backslash quotes the next byte,
 * 8-bit bytes are token characters. Nothing here fails.
 */

#include <string.h>

#include "header_token.h"
#include "vstring.h"

#define IS_SPACE(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')
#define IS_CTL(c) ((unsigned char)(c) < 32 || (unsigned char)(c) == 127)

/* skip_comment - past a (possibly nested) comment that starts at cp */
static const char *skip_comment(const char *cp)
{
    int depth = 0;

    for (; *cp; cp++) {
        if (*cp == '\\') {
            if (cp[1] == 0)
                return (cp + 1);
            cp++;
        } else if (*cp == '(') {
            depth++;
        } else if (*cp == ')' && --depth == 0) {
            return (cp + 1);
        }
    }
    return (cp);
}

/* collect_qstring - unquote the string that starts after the quote at cp */
static const char *collect_qstring(VSTRING *buf, const char *cp)
{
    for (cp++; *cp && *cp != '"'; cp++) {
        if (*cp == '\\') {
            if (cp[1] == 0)
                return (cp + 1);
            cp++;
        } else if (*cp == '\r' || *cp == '\n') {
            continue;
        }
        VSTRING_ADDCH(buf, *cp);
    }
    return (*cp ? cp + 1 : cp);
}

/* collect_token - a run of ordinary characters */
static const char *collect_token(VSTRING *buf, const char *cp, const char *specials, int terminator)
{
    for (; *cp; cp++) {
        if (IS_SPACE(*cp) || IS_CTL(*cp) || *cp == terminator || *cp == '"' || *cp == '(' ||
            strchr(specials, *cp) != 0)
            break;
        VSTRING_ADDCH(buf, *cp);
    }
    return (cp);
}

/* header_token - tokens up to the terminator */
ssize_t header_token(HEADER_TOKEN *token, ssize_t max_tok, VSTRING *token_buffer, const char **ptr,
                     const char *specials, int terminator)
{
    const char *cp = *ptr;
    ssize_t count = 0;
    ssize_t n;
    int type;

    VSTRING_RESET(token_buffer);
    for (;;) {
        while (IS_SPACE(*cp))
            cp++;
        if (*cp == 0) {
            if (count == 0) {
                *ptr = cp;
                return (-1);
            }
            break;
        }
        if (*cp == terminator) {
            cp++;
            break;
        }
        if (*cp == '(') {
            cp = skip_comment(cp);
            continue;
        }
        if (count >= max_tok) {
            /* Skip what does not fit, without storing it. */
            if (*cp == '"') {
                for (cp++; *cp && *cp != '"'; cp++)
                    if (*cp == '\\' && cp[1])
                        cp++;
                if (*cp)
                    cp++;
            } else {
                cp++;
            }
            continue;
        }
        token[count].u.offset = VSTRING_LEN(token_buffer);
        if (*cp == '"') {
            type = HEADER_TOK_QSTRING;
            cp = collect_qstring(token_buffer, cp);
        } else if (strchr(specials, *cp) != 0 || IS_CTL(*cp)) {
            type = *(const unsigned char *)cp;
            VSTRING_ADDCH(token_buffer, *cp++);
        } else {
            type = HEADER_TOK_TOKEN;
            cp = collect_token(token_buffer, cp, specials, terminator);
        }
        VSTRING_ADDCH(token_buffer, 0);
        token[count++].type = type;
    }
    VSTRING_TERMINATE(token_buffer);
    for (n = 0; n < count; n++)
        token[n].u.value = vstring_str(token_buffer) + token[n].u.offset;
    *ptr = cp;
    return (count);
}
