/*
 * tok822_scan - split RFC 5322 address text into a flat list of tokens.
 *
 * Exports tok822_alloc() and tok822_free() for single tokens,
 * tok822_scan_limit() for header text (with an optional cap on the number
 * of tokens, header_address_token_limit) and tok822_scan_addr() for one
 * envelope address. See tok822.h for the token types and text forms.
 *
 * Besides the RFC 5322 specials, '!', '%' and '|' are operators of their
 * own, so that the resolver can find UUCP and percent routing. An atom
 * that holds a character that could not appear in it unquoted (taken
 * literally after a backslash: "a\@b") becomes a quoted string, so that
 * it is quoted again on output.
 *
 * The scanner never fails. An unterminated quoted string, comment or domain
 * literal runs to the end of the text. Text after the token limit is
 * discarded.
 */

#include <string.h>

#include "mymalloc.h"
#include "msg.h"
#include "tok822.h"
#include "vstring.h"

/* Characters that end an atom and are tokens of their own (but '\\'). */
#define TOK822_OPERATORS "!%|()<>@,;:\\\".[]"

/* White space between tokens; in quoted text it becomes one space. */
#define IS_WHITE(c) ((c) == ' ' || (c) == '\t' || (c) == '\r' || (c) == '\n')

/* Bytes that an unquoted atom cannot carry. */
#define IS_CONTROL(c) ((c) < 32 || (c) == 127)

/* tok822_alloc - one token, with text for the types that carry text */
TOK822 *tok822_alloc(int type, const char *text)
{
    TOK822 *tp = (TOK822 *)mymalloc(sizeof(*tp));

    tp->type = type;
    tp->prev = tp->next = tp->head = tp->tail = tp->owner = 0;
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

/*
 * scan_text - collect an atom (close 0), quoted string or domain literal
 * body. A backslash takes the next byte literally; white space, quoted or
 * not, is stored as one space. A backslash at the very end is dropped.
 */
static const char *scan_text(VSTRING *vp, const char *cp, int close)
{
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        if (ch == '\\') {
            if ((ch = *(const unsigned char *)++cp) == 0)
                break;
        } else if (close ? ch == close : (IS_WHITE(ch) || strchr(TOK822_OPERATORS, ch) != 0)) {
            break;
        }
        VSTRING_ADDCH(vp, IS_WHITE(ch) ? ' ' : ch);
        cp++;
    }
    VSTRING_TERMINATE(vp);
    return (close && *cp == close ? cp + 1 : cp);
}

/*
 * scan_comment - collect a comment as written, parentheses and backslashes
 * included. Nested parentheses count; the text may stay unbalanced when
 * the input ends early.
 */
static const char *scan_comment(VSTRING *vp, const char *cp)
{
    int depth = 0;
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        VSTRING_ADDCH(vp, ch);
        cp++;
        if (ch == '(') {
            depth++;
        } else if (ch == ')') {
            if (--depth == 0)
                break;
        } else if (ch == '\\' && *cp != 0) {
            VSTRING_ADDCH(vp, *cp);
            cp++;
        }
    }
    VSTRING_TERMINATE(vp);
    return (cp);
}

/* atom_needs_quotes - does atom text hold what only a quoted string can? */
static int atom_needs_quotes(const char *text)
{
    const unsigned char *cp;

    for (cp = (const unsigned char *)text; *cp; cp++)
        if (*cp == ' ' || IS_CONTROL(*cp) || strchr(TOK822_OPERATORS, *cp) != 0)
            return (1);
    return (0);
}

/* tok822_scan_limit - tokenize text, at most limit tokens (0: no limit) */
TOK822 *tok822_scan_limit(const char *str, TOK822 **tailp, int limit)
{
    TOK822 *head = 0;
    TOK822 *tail = 0;
    TOK822 *tp;
    const char *cp = str;
    int count = 0;
    int ch;

    while ((ch = *(const unsigned char *)cp) != 0) {
        if (IS_WHITE(ch)) {
            cp++;
            continue;
        }
        if (limit > 0 && count >= limit)
            break;
        if (ch == '(') {
            tp = tok822_alloc(TOK822_COMMENT, (char *)0);
            cp = scan_comment(tp->vstr, cp);
        } else if (ch == '"') {
            tp = tok822_alloc(TOK822_QSTRING, (char *)0);
            cp = scan_text(tp->vstr, cp + 1, '"');
        } else if (ch == '[') {
            tp = tok822_alloc(TOK822_DOMLIT, (char *)0);
            cp = scan_text(tp->vstr, cp + 1, ']');
        } else if (ch != '\\' && strchr(TOK822_OPERATORS, ch) != 0) {
            tp = tok822_alloc(ch, (char *)0);
            cp++;
        } else {
            tp = tok822_alloc(TOK822_ATOM, (char *)0);
            cp = scan_text(tp->vstr, cp, 0);
            if (atom_needs_quotes(vstring_str(tp->vstr)))
                tp->type = TOK822_QSTRING;
        }
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

/*
 * tok822_scan_addr - one address as a TOK822_ADDR node. Its tokens are
 * not owned by the node (as with a list from tok822_scan()), so text
 * conversion puts spaces between adjacent words, as for a top-level list.
 */
TOK822 *tok822_scan_addr(const char *str)
{
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);

    addr->head = tok822_scan_limit(str, &addr->tail, 0);
    return (addr);
}
