/*
 * tok822_scan - split RFC 5322 address text into a flat list of tokens.
 *
 * Exports tok822_alloc() and tok822_free() for single tokens,
 * tok822_scan_limit() for header text (with an optional cap on the number
 * of tokens, header_address_token_limit) and tok822_scan_addr() for one
 * envelope address. See tok822.h for the token types.
 *
 * The scanner never fails. An unterminated quoted string, comment or domain
 * literal runs to the end of the text and is closed there; nested
 * parentheses in comments are balanced; a backslash at the very end is
 * dropped. Line breaks inside quoted strings, comments and domain literals
 * are unfolded. Text after the token limit is discarded.
 */

#include <string.h>

#include "lex_822.h"
#include "msg.h"
#include "mymalloc.h"
#include "tok822.h"
#include "vstring.h"

/* tok822_alloc - one token, with text for the types that carry text */
TOK822 *tok822_alloc(int type, const char *text)
{
    TOK822 *tp = (TOK822 *)mymalloc(sizeof(*tp));

    tp->type = type;
    tp->prev = tp->next = tp->head = tp->tail = tp->owner = 0;
    tp->start = tp->end = -1;
    tp->flags = 0;
    switch (type) {
    case TOK822_ATOM:
    case TOK822_QSTRING:
    case TOK822_COMMENT:
    case TOK822_DOMLIT:
    case TOK822_ADDR:
        tp->vstr = vstring_alloc(text ? strlen(text) + 1 : 10);
        vstring_strcpy(tp->vstr, text ? text : "");
        break;
    default:
        if (text != 0)
            msg_panic("tok822_alloc: token type %d takes no text", type);
        tp->vstr = 0;
        break;
    }
    return (tp);
}

/* tok822_free - release one token (not its children or siblings) */
TOK822 *tok822_free(TOK822 *tp)
{
    if (tp->vstr)
        vstring_free(tp->vstr);
    myfree(tp);
    return (0);
}

/* scan_atom - collect an atom, undoing backslash quoting */
static const char *scan_atom(TOK822 *tp, const char *cp)
{
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0 && !LEX_822_IS_SPACE(ch)) {
        if (ch == '\\') {
            /* A backslash before a line break or the end quotes nothing. */
            if (cp[1] == 0 || cp[1] == '\r' || cp[1] == '\n') {
                cp++;
                break;
            }
            ch = *(const unsigned char *)++cp;
        } else if (strchr(LEX_822_SPECIALS, ch) != 0) {
            break;
        }
        VSTRING_ADDCH(tp->vstr, ch);
        cp++;
    }
    return (cp);
}

/* scan_quoted - collect a quoted string or domain literal up to close */
static const char *scan_quoted(TOK822 *tp, const char *cp, int close)
{
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        cp++;
        if (ch == close)
            break;
        if (ch == '\\') {
            if (*cp == 0)
                break;
            ch = *(const unsigned char *)cp++;
        }
        if (ch == '\r' || ch == '\n')
            continue;
        VSTRING_ADDCH(tp->vstr, ch);
    }
    return (cp);
}

/* scan_comment - collect a comment as written, balancing its parentheses */
static const char *scan_comment(TOK822 *tp, const char *cp)
{
    int depth = 1;
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        cp++;
        if (ch == '\\') {
            if (*cp == 0)
                break;
            if (*cp == '\r' || *cp == '\n')
                continue;
            VSTRING_ADDCH(tp->vstr, ch);
            ch = *(const unsigned char *)cp++;
        } else if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (--depth == 0)
                return (cp);
        } else if (ch == '\r' || ch == '\n') {
            continue;
        }
        VSTRING_ADDCH(tp->vstr, ch);
    }
    /* Close what the text left open, so that the output stays balanced. */
    while (depth-- > 1)
        VSTRING_ADDCH(tp->vstr, ')');
    return (cp);
}

/* tok822_scan_limit - tokenize text, at most limit tokens (0: no limit) */
TOK822 *tok822_scan_limit(const char *str, TOK822 **tailp, int limit)
{
    TOK822 *head = 0;
    TOK822 *tail = 0;
    TOK822 *tp;
    const char *cp = str;
    const char *start;
    int count = 0;
    int space = 0;
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        if (LEX_822_IS_SPACE(ch)) {
            space = 1;
            cp++;
            continue;
        }
        if (limit > 0 && count >= limit)
            break;
        start = cp;
        if (ch == '(') {
            tp = tok822_alloc(TOK822_COMMENT, (char *)0);
            cp = scan_comment(tp, cp + 1);
        } else if (ch == '"') {
            tp = tok822_alloc(TOK822_QSTRING, (char *)0);
            cp = scan_quoted(tp, cp + 1, '"');
        } else if (ch == '[') {
            tp = tok822_alloc(TOK822_DOMLIT, (char *)0);
            cp = scan_quoted(tp, cp + 1, ']');
        } else if (ch != '\\' && strchr(LEX_822_SPECIALS, ch) != 0) {
            tp = tok822_alloc(ch, (char *)0);
            cp++;
        } else {
            tp = tok822_alloc(TOK822_ATOM, (char *)0);
            cp = scan_atom(tp, cp);
            /* A lone trailing backslash is no token at all. */
            if (VSTRING_LEN(tp->vstr) == 0) {
                tok822_free(tp);
                continue;
            }
        }
        tp->start = start - str;
        tp->end = cp - str;
        if (space)
            tp->flags |= TOK822_FLAG_SPACE;
        space = 0;
        if (tail) {
            tail->next = tp;
            tp->prev = tail;
        } else {
            head = tp;
        }
        tail = tp;
        count++;
    }
    if (tailp)
        *tailp = tail;
    return (head);
}

/* tok822_scan_addr - tokenize one address, no limit, no grouping */
TOK822 *tok822_scan_addr(const char *str)
{
    return (tok822_scan_limit(str, (TOK822 **)0, 0));
}
