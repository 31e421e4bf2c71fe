/*
 * tok822_string - turn tok822 token lists back into text.
 *
 * tok822_externalize() produces RFC 5322 text: quoted strings and domain
 * literals get their delimiters and backslashes back, and an address node
 * is written as its internal form with the local part quoted as a whole
 * when it is not a dot-atom (so "a\"b\"c" inside a scanned address comes
 * out as one quoted local part). tok822_internalize() produces the
 * unquoted form used inside the mail system. Both walk the list from the
 * given token to its end, descending into address nodes; the spacing
 * rules are in tok822.h.
 *
 * Under TOK822_STR_LINE a comma is followed by a newline instead of a
 * space (the caller folds the header). Under TOK822_STR_TRNC, a list
 * element whose non-address text is longer than TOK822_TRNC_LEN is
 * replaced by "<address>" with a warning. Nothing here fails.
 */

#include <string.h>

#include "msg.h"
#include "quote_822_local.h"
#include "stringops.h"
#include "tok822.h"
#include "vstring.h"

/* A token that needs a space between it and the next such token. */
#define IS_NON_OPERATOR(t) ((t)->type == TOK822_ATOM || (t)->type == TOK822_QSTRING || \
                            (t)->type == TOK822_COMMENT || (t)->type == TOK822_DOMLIT || \
                            (t)->type == TOK822_ADDR)

/* space_after - white space after this token? */
static int space_after(const TOK822 *tp)
{
    const TOK822 *next = tp->next;

    if (next == 0 || tp->owner != 0)
        return (0);
    if (tp->type == ',' || tp->type == TOK822_STARTGRP || next->type == '<')
        return (1);
    return (IS_NON_OPERATOR(tp) && IS_NON_OPERATOR(next));
}

/* append_quoted - copy text with a backslash before each byte in specials */
static void append_quoted(VSTRING *vp, const char *text, const char *specials)
{
    const char *cp;

    for (cp = text; *cp; cp++) {
        if (strchr(specials, *cp) != 0)
            VSTRING_ADDCH(vp, '\\');
        VSTRING_ADDCH(vp, *cp);
    }
}

/* internalize_list - the unquoted form of a list, appended */
static void internalize_list(VSTRING *vp, const TOK822 *list)
{
    const TOK822 *tp;

    for (tp = list; tp != 0; tp = tp->next) {
        switch (tp->type) {
        case TOK822_ATOM:
        case TOK822_QSTRING:
        case TOK822_COMMENT:
            vstring_strcat(vp, vstring_str(tp->vstr));
            break;
        case TOK822_DOMLIT:
            VSTRING_ADDCH(vp, '[');
            vstring_strcat(vp, vstring_str(tp->vstr));
            VSTRING_ADDCH(vp, ']');
            break;
        case TOK822_STARTGRP:
            VSTRING_ADDCH(vp, ':');
            break;
        case TOK822_ADDR:
            internalize_list(vp, tp->head);
            break;
        default:
            if (tp->type <= 0 || tp->type > 255)
                msg_panic("tok822_internalize: unknown token type %d", tp->type);
            VSTRING_ADDCH(vp, tp->type);
            break;
        }
        if (space_after(tp))
            VSTRING_ADDCH(vp, ' ');
    }
}

/* externalize_addr - an address node: internal form, local part quoted */
static void externalize_addr(VSTRING *vp, const TOK822 *addr)
{
    VSTRING *tmp = vstring_alloc(100);

    internalize_list(tmp, addr->head);
    VSTRING_TERMINATE(tmp);
    quote_822_local_flags(vp, vstring_str(tmp), QUOTE_FLAG_8BITCLEAN | QUOTE_FLAG_APPEND);
    vstring_free(tmp);
}

/*
 * Under TOK822_STR_TRNC: where the current list element starts in the
 * output, and its last address (an address node, or the '<' of "<>")
 * with the length of its text.
 */
typedef struct {
    ssize_t start;
    const TOK822 *addr;
    ssize_t addr_len;
} ELEMENT;

/* element_trim - cut an element with too much non-address text to "<addr>" */
static void element_trim(VSTRING *vp, ELEMENT *elem)
{
    VSTRING *shown;

    if (elem->addr == 0 ||
        (ssize_t)VSTRING_LEN(vp) - elem->start - elem->addr_len <= TOK822_TRNC_LEN)
        return;
    shown = vstring_alloc(110);
    vstring_strncpy(shown, vstring_str(vp) + elem->start, 100);
    msg_warn("stripping too many comments from address: %s...",
             printable(vstring_str(shown), '?'));
    vstring_free(shown);
    vstring_truncate(vp, elem->start);
    VSTRING_ADDCH(vp, '<');
    if (elem->addr->type == TOK822_ADDR)
        externalize_addr(vp, elem->addr);
    VSTRING_ADDCH(vp, '>');
}

/* externalize_list - the RFC 5322 form of a list, appended */
static void externalize_list(VSTRING *vp, const TOK822 *list, int flags)
{
    const TOK822 *tp;
    ELEMENT elem = {(ssize_t)VSTRING_LEN(vp), 0, 0};
    ssize_t before;

    for (tp = list; tp != 0; tp = tp->next) {
        switch (tp->type) {
        case TOK822_ATOM:
        case TOK822_COMMENT:
            vstring_strcat(vp, vstring_str(tp->vstr));
            break;
        case TOK822_QSTRING:
            VSTRING_ADDCH(vp, '"');
            append_quoted(vp, vstring_str(tp->vstr), "\"\\\r\n");
            VSTRING_ADDCH(vp, '"');
            break;
        case TOK822_DOMLIT:
            VSTRING_ADDCH(vp, '[');
            append_quoted(vp, vstring_str(tp->vstr), "\\\r\n");
            VSTRING_ADDCH(vp, ']');
            break;
        case TOK822_STARTGRP:
            VSTRING_ADDCH(vp, ':');
            break;
        case TOK822_ADDR:
            before = VSTRING_LEN(vp);
            externalize_addr(vp, tp);
            elem.addr = tp;
            elem.addr_len = VSTRING_LEN(vp) - before;
            break;
        case ',':
            if (flags & TOK822_STR_TRNC)
                element_trim(vp, &elem);
            /* A comma always gets its space or line break, even at the end. */
            vstring_strcat(vp, (flags & TOK822_STR_LINE) ? ",\n" : ", ");
            elem.start = VSTRING_LEN(vp);
            elem.addr = 0;
            elem.addr_len = 0;
            continue;
        case '<':
            if (tp->next && tp->next->type == '>') {
                elem.addr = tp;
                elem.addr_len = 0;
            }
            VSTRING_ADDCH(vp, '<');
            break;
        default:
            if (tp->type <= 0 || tp->type > 255)
                msg_panic("tok822_externalize: unknown token type %d", tp->type);
            VSTRING_ADDCH(vp, tp->type);
            break;
        }
        if (space_after(tp))
            VSTRING_ADDCH(vp, ' ');
    }
    if (flags & TOK822_STR_TRNC)
        element_trim(vp, &elem);
}

/* tok822_externalize - token list to RFC 5322 text */
VSTRING *tok822_externalize(VSTRING *vp, TOK822 *list, int flags)
{
    if (flags & TOK822_STR_WIPE)
        VSTRING_RESET(vp);
    externalize_list(vp, list, flags);
    /* Terminated even without TOK822_STR_TERM: unterminated text helps no one. */
    VSTRING_TERMINATE(vp);
    return (vp);
}

/* tok822_internalize - token list to unquoted text */
VSTRING *tok822_internalize(VSTRING *vp, TOK822 *list, int flags)
{
    if (flags & TOK822_STR_WIPE)
        VSTRING_RESET(vp);
    internalize_list(vp, list);
    /* Terminated even without TOK822_STR_TERM: unterminated text helps no one. */
    VSTRING_TERMINATE(vp);
    return (vp);
}
