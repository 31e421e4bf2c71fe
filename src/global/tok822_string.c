/*
 * tok822_string - turn tok822 token lists back into text.
 *
 * tok822_externalize() produces RFC 5322 text: quoted strings get their
 * quotes and backslashes back, atoms escape any special character they
 * hold, comments and domain literals get their delimiters.
 * tok822_internalize() produces the unquoted form that Postfix uses
 * inside the mail system ("a b@c" for "\"a b\"@c"). Both walk the list
 * from the given token to its end, descending into TOK822_ADDR nodes.
 *
 * Spacing: one space between words, around comments and after commas and
 * group colons; elsewhere at the top level, white space of the original
 * text is kept as one space; inside an address, none. TOK822_STR_LINE folds
 * the output after each comma; TOK822_STR_TRNC cuts each phrase word and
 * comment to TOK822_TRNC_LEN bytes (long display names have been used to
 * attack other mailers). Nothing here fails.
 */

#include <string.h>

#include "lex_822.h"
#include "tok822.h"
#include "vstring.h"

#define STRING_EXTERNAL 1
#define STRING_INTERNAL 0

/* is_word - tokens that need white space between them */
static int is_word(int type)
{
    return (type == TOK822_ATOM || type == TOK822_QSTRING || type == TOK822_DOMLIT ||
            type == TOK822_ADDR);
}

/* need_space - white space between two adjacent tokens? */
static int need_space(const TOK822 *prev, const TOK822 *tp, int top)
{
    if (!top)
        return (is_word(prev->type) && is_word(tp->type));
    if (tp->type == ',' || tp->type == ';')
        return (0);
    if (prev->type == ',')
        return (1);
    if (prev->type == TOK822_STARTGRP)
        return (1);
    if (tp->type == TOK822_COMMENT)
        return (1);
    if (prev->type == TOK822_COMMENT)
        return (tp->type != '>' && tp->type != '.');
    if (is_word(prev->type) && is_word(tp->type))
        return (1);
    if (tp->type == '<' && (is_word(prev->type) || prev->type == '>'))
        return (1);
    if (prev->type == '>' && is_word(tp->type))
        return (1);
    return ((tp->flags & TOK822_FLAG_SPACE) && tp->type != '>' && tp->type != '.' &&
            prev->type != '<');
}

/* append_escaped - copy text, backslash before bytes in escape, cut at limit */
static void append_escaped(VSTRING *vp, const char *text, size_t limit, const char *escape,
                           int escape_ctl)
{
    const unsigned char *cp;
    size_t n;

    for (n = 0, cp = (const unsigned char *)text; *cp && n < limit; cp++, n++) {
        if (*cp == '\r' || *cp == '\n') {
            VSTRING_ADDCH(vp, ' ');
            continue;
        }
        if (strchr(escape, *cp) != 0 || (escape_ctl && LEX_822_IS_CTL(*cp)))
            VSTRING_ADDCH(vp, '\\');
        VSTRING_ADDCH(vp, *cp);
    }
}

/* append_comment - copy comment text, cut at limit, keep it balanced */
static void append_comment(VSTRING *vp, const char *text, size_t limit)
{
    const char *cp;
    int depth = 0;

    VSTRING_ADDCH(vp, '(');
    for (cp = text; *cp && (size_t)(cp - text) < limit; cp++) {
        if (*cp == '\\') {
            if (cp[1] == 0 || (size_t)(cp + 1 - text) >= limit)
                break;
            VSTRING_ADDCH(vp, *cp++);
        } else if (*cp == '(') {
            depth++;
        } else if (*cp == ')') {
            /* Scanned comments are balanced, hand-made ones need not be. */
            if (depth == 0)
                VSTRING_ADDCH(vp, '\\');
            else
                depth--;
        }
        VSTRING_ADDCH(vp, *cp);
    }
    while (depth-- > 0)
        VSTRING_ADDCH(vp, ')');
    VSTRING_ADDCH(vp, ')');
}

/* string_token - one token in external or internal form */
static void string_list(VSTRING *vp, TOK822 *list, int flags, int external, int top);

static void string_token(VSTRING *vp, TOK822 *tp, int flags, int external, int top)
{
    size_t limit = (top && (flags & TOK822_STR_TRNC)) ? TOK822_TRNC_LEN : (size_t)-1;
    const char *text = tp->vstr ? vstring_str(tp->vstr) : "";

    switch (tp->type) {
    case TOK822_ATOM:
        if (external)
            append_escaped(vp, text, limit, LEX_822_SPECIALS " \t", 1);
        else
            vstring_strncat(vp, text, strnlen(text, limit));
        break;
    case TOK822_QSTRING:
        if (external) {
            VSTRING_ADDCH(vp, '"');
            append_escaped(vp, text, limit, LEX_822_QUOTED, 0);
            VSTRING_ADDCH(vp, '"');
        } else {
            vstring_strncat(vp, text, strnlen(text, limit));
        }
        break;
    case TOK822_COMMENT:
        append_comment(vp, text, limit);
        break;
    case TOK822_DOMLIT:
        VSTRING_ADDCH(vp, '[');
        if (external)
            append_escaped(vp, text, (size_t)-1, "[]\\", 0);
        else
            vstring_strcat(vp, text);
        VSTRING_ADDCH(vp, ']');
        break;
    case TOK822_ADDR:
        string_list(vp, tp->head, flags, external, 0);
        break;
    case TOK822_STARTGRP:
        VSTRING_ADDCH(vp, ':');
        break;
    default:
        if (tp->type > 0 && tp->type < 256)
            VSTRING_ADDCH(vp, tp->type);
        break;
    }
}

/* string_list - a token list with the spacing rules above */
static void string_list(VSTRING *vp, TOK822 *list, int flags, int external, int top)
{
    TOK822 *tp;
    TOK822 *prev = 0;

    for (tp = list; tp != 0; prev = tp, tp = tp->next) {
        if (prev != 0 && need_space(prev, tp, top)) {
            if (prev->type == ',' && (flags & TOK822_STR_LINE))
                vstring_strcat(vp, "\n\t");
            else
                VSTRING_ADDCH(vp, ' ');
        }
        string_token(vp, tp, flags, external, top);
    }
}

/* tok822_externalize - token list to RFC 5322 text */
VSTRING *tok822_externalize(VSTRING *vp, TOK822 *list, int flags)
{
    if (flags & TOK822_STR_WIPE)
        VSTRING_RESET(vp);
    string_list(vp, list, flags, STRING_EXTERNAL, list == 0 || list->owner == 0);
    VSTRING_TERMINATE(vp);
    return (vp);
}

/* tok822_internalize - token list to unquoted text */
VSTRING *tok822_internalize(VSTRING *vp, TOK822 *list, int flags)
{
    if (flags & TOK822_STR_WIPE)
        VSTRING_RESET(vp);
    string_list(vp, list, flags, STRING_INTERNAL, list == 0 || list->owner == 0);
    VSTRING_TERMINATE(vp);
    return (vp);
}
