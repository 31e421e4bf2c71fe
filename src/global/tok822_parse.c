/*
 * tok822_parse - group the tokens of an address list into addresses.
 *
 * Exports tok822_parse_limit(str, limit): scan str (at most limit tokens,
 * 0 for no limit) and return the token list with every address moved
 * under a TOK822_ADDR node. The parse follows Postfix's, which is lenient
 * and works from right to left, because the end of a route address ('>')
 * and the end of a group (';') are easier to see than their beginnings:
 *
 * - Once a ';' has been seen, a ':' that is not inside an address
 *   becomes TOK822_STARTGRP; the group name before it (up to the previous
 *   ',') stays as it is.
 * - A '>' ends a route address: its address is what lies between it and
 *   the nearest '<' to its left (or the start of the list). The display
 *   name before the '<' runs back to a ',', ';', ':' or '>'; a ':' there
 *   that does not start a group is passed over.
 * - Anything else ends an address spec, which runs to the left up to a
 *   ',', ';' or '>', a group-starting ':', or a word (atom, quoted string,
 *   domain literal) directly left of another word. When such an address
 *   is not preceded by ',' or ':', a ',' is inserted in front of it, so
 *   that "a b" becomes two addresses.
 *
 * Comments inside an address move after its node. An empty route address
 * ("<>") gets no node. The parser never fails; a null result means no
 * tokens.
 */

#include "tok822.h"

/* A word: the text tokens that two addresses cannot share back to back. */
#define IS_WORD(t) ((t)->type == TOK822_ATOM || (t)->type == TOK822_QSTRING || \
                    (t)->type == TOK822_DOMLIT)

typedef struct {
    TOK822 *anchor; /* placeholder in front of the list */
    int in_group;   /* a ';' was seen: ':' now starts groups */
} PARSE_STATE;

/*
 * make_addr - put the tokens first..last (adjacent, after left) under a
 * new address node in their place, followed by the comments taken out.
 */
static void make_addr(TOK822 *left, TOK822 *first, TOK822 *last, TOK822 *comments)
{
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);
    TOK822 *rest = tok822_cut_after(last);

    tok822_cut_before(first);
    if (rest)
        tok822_append(left, rest);
    tok822_sub_append(addr, first);
    tok822_append(left, addr);
    if (comments)
        tok822_append(addr, comments);
}

/* take_comment - unlink a comment and add it to a list, in front or at the end */
static TOK822 *take_comment(TOK822 *tp, TOK822 *list, int in_front)
{
    TOK822 *last;

    tok822_unlink(tp);
    if (list == 0)
        return (tp);
    if (in_front) {
        tok822_prepend(list, tp);
        return (tp);
    }
    for (last = list; last->next; last = last->next)
        /* void */;
    tok822_append(last, tp);
    return (list);
}

/* parse_addr_spec - the address ending at right; returns the token left of it */
static TOK822 *parse_addr_spec(PARSE_STATE *state, TOK822 *right)
{
    TOK822 *comments = 0;
    TOK822 *first = 0;
    TOK822 *last = 0;
    TOK822 *tp;
    TOK822 *prev;

    for (tp = right; tp != state->anchor; tp = prev) {
        prev = tp->prev;
        if (tp->type == TOK822_COMMENT) {
            comments = take_comment(tp, comments, 1);
            continue;
        }
        if (tp->type == ',' || tp->type == ';' || tp->type == '>' ||
            (tp->type == ':' && state->in_group))
            break;
        if (first != 0 && IS_WORD(tp) && IS_WORD(first))
            break;
        first = tp;
        if (last == 0)
            last = tp;
    }
    if (first == 0) {
        if (comments)
            tok822_append(tp, comments);
        return (tp);
    }
    make_addr(tp, first, last, comments);
    if (tp != state->anchor && tp->type != ',' && tp->type != ':')
        tok822_append(tp, tok822_alloc(',', (char *)0));
    return (tp);
}

/* parse_route - the route address ending at '>' gt; returns the token before its phrase */
static TOK822 *parse_route(PARSE_STATE *state, TOK822 *gt)
{
    TOK822 *lt;
    TOK822 *tp;
    TOK822 *next;
    TOK822 *comments = 0;
    TOK822 *first = 0;
    TOK822 *last = 0;

    for (lt = gt->prev; lt != state->anchor && lt->type != '<'; lt = lt->prev)
        /* void */;
    for (tp = lt->next; tp != gt; tp = next) {
        next = tp->next;
        if (tp->type == TOK822_COMMENT) {
            comments = take_comment(tp, comments, 0);
            continue;
        }
        if (first == 0)
            first = tp;
        last = tp;
    }
    if (first != 0)
        make_addr(lt, first, last, comments);
    else if (comments)
        tok822_append(lt, comments);
    if (lt == state->anchor)
        return (lt);
    for (tp = lt->prev; tp != state->anchor; tp = tp->prev)
        if (tp->type == ',' || tp->type == ';' || tp->type == ':' || tp->type == '>')
            break;
    if (tp != state->anchor && tp->type == ':' && !state->in_group)
        tp = tp->prev;
    return (tp);
}

/* tok822_parse_limit - address list text to a list of addresses */
TOK822 *tok822_parse_limit(const char *str, int limit)
{
    PARSE_STATE state;
    TOK822 *head;
    TOK822 *tail;
    TOK822 *tp;

    if ((head = tok822_scan_limit(str, &tail, limit)) == 0)
        return (0);
    state.anchor = tok822_alloc(0, (char *)0);
    state.in_group = 0;
    tok822_prepend(head, state.anchor);

    for (tp = tail; tp != state.anchor; /* see below */) {
        switch (tp->type) {
        case ',':
            tp = tp->prev;
            break;
        case ';':
            state.in_group = 1;
            tp = tp->prev;
            break;
        case '>':
            tp = parse_route(&state, tp);
            break;
        case ':':
            if (state.in_group) {
                tp->type = TOK822_STARTGRP;
                for (tp = tp->prev; tp != state.anchor && tp->type != ','; tp = tp->prev)
                    /* void */;
                break;
            }
            /* A ':' outside a group belongs to the address ("a:b"). */
            tp = parse_addr_spec(&state, tp);
            break;
        default:
            tp = parse_addr_spec(&state, tp);
            break;
        }
    }
    head = tok822_cut_after(state.anchor);
    tok822_free(state.anchor);
    return (head);
}
