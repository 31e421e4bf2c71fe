/*
 * tok822_parse - group the tokens of an address list into addresses.
 *
 * Exports tok822_parse_limit(str, limit): scan str (at most limit tokens,
 * 0 for no limit) and return a list in which every address is a
 * TOK822_ADDR node holding the address tokens (local part, '@', domain,
 * and any obsolete source route "@a,@b:"). Display names, comments, the
 * angle brackets, commas, group colons (made TOK822_STARTGRP) and group
 * semicolons stay at the top level in their original order; comments that
 * were inside an address follow it.
 *
 * An element of the list (text between top-level commas or semicolons) is
 * a route address when it holds "<"; the last "<" wins, and its address
 * ends at the matching ">", or at the end of the element when there is
 * none (a ">" is then added). Commas inside angle brackets do not split
 * ("<@a,@b:u@d>"), except after a "<" that is never closed. Any other
 * element is a bare address made of all its tokens except comments and
 * stray ">". A ":" starts a group when its element has no "@" and no "<"
 * before it. The parser never fails; a null result means no tokens.
 */

#include "tok822.h"
#include "vstring.h"

/* Private mark on a '<' that has a '>' after it before any other '<'. */
#define TOK822_FLAG_CLOSED (1 << 8)

/* mark_closed - mark each '<' whose angle bracket gets closed */
static void mark_closed(TOK822 *tail)
{
    TOK822 *tp;
    int seen_gt = 0;

    for (tp = tail; tp != 0; tp = tp->prev) {
        if (tp->type == '>') {
            seen_gt = 1;
        } else if (tp->type == '<') {
            if (seen_gt)
                tp->flags |= TOK822_FLAG_CLOSED;
            seen_gt = 0;
        }
    }
}

/* element_end - the separator after one list element (or null), its '<' */
static TOK822 *element_end(TOK822 *first, TOK822 **ltp)
{
    TOK822 *tp;
    int angle = 0;
    int seen_at = 0;

    *ltp = 0;
    for (tp = first; tp != 0; tp = tp->next) {
        if (angle) {
            if (tp->type == '>')
                angle = 0;
            continue;
        }
        switch (tp->type) {
        case '<':
            *ltp = tp;
            angle = (tp->flags & TOK822_FLAG_CLOSED) != 0;
            break;
        case ',':
        case ';':
            return (tp);
        case ':':
            if (!seen_at && *ltp == 0) {
                tp->type = TOK822_STARTGRP;
                return (tp);
            }
            break;
        case '@':
            seen_at = 1;
            break;
        }
    }
    return (0);
}

/* addr_finish - record span, spacing and original text of a new address */
static void addr_finish(TOK822 *addr, const TOK822 *after)
{
    if (addr->head != 0) {
        addr->start = addr->head->start;
        addr->end = addr->tail->end;
        addr->flags = addr->head->flags & TOK822_FLAG_SPACE;
    } else {
        addr->start = addr->end = after->end;
    }
    tok822_externalize(addr->vstr, addr->head, TOK822_STR_DEFL);
}

/* parse_route - the address in "phrase <addr> trailer" */
static void parse_route(TOK822 *lt, TOK822 *stop)
{
    TOK822 *addr = tok822_alloc(TOK822_ADDR, (char *)0);
    int closed = (lt->flags & TOK822_FLAG_CLOSED) != 0;
    TOK822 *last = addr;
    TOK822 *tp;
    TOK822 *next;

    tok822_append(lt, addr);
    for (tp = addr->next; tp != stop && !(closed && tp->type == '>'); tp = next) {
        next = tp->next;
        if (tp->type == TOK822_COMMENT) {
            last = tp;
            continue;
        }
        tok822_sub_append(addr, tok822_unlink(tp));
    }
    if (!closed) {
        if (stop)
            tok822_prepend(stop, tok822_alloc('>', (char *)0));
        else
            tok822_append(last, tok822_alloc('>', (char *)0));
    }
    addr_finish(addr, lt);
}

/* parse_bare - the address in an element without angle brackets */
static void parse_bare(TOK822 *first, TOK822 *stop)
{
    TOK822 *addr = 0;
    TOK822 *tp;
    TOK822 *next;

    for (tp = first; tp != stop; tp = next) {
        next = tp->next;
        if (tp->type == TOK822_COMMENT || tp->type == '>')
            continue;
        if (addr == 0) {
            addr = tok822_alloc(TOK822_ADDR, (char *)0);
            tok822_prepend(tp, addr);
        }
        tok822_sub_append(addr, tok822_unlink(tp));
    }
    if (addr)
        addr_finish(addr, addr);
}

/* tok822_parse_limit - address list text to a list of addresses */
TOK822 *tok822_parse_limit(const char *str, int limit)
{
    TOK822 *head;
    TOK822 *tail;
    TOK822 *first;
    TOK822 *stop;
    TOK822 *lt;
    TOK822 *tp;
    TOK822 *anchor;

    if ((head = tok822_scan_limit(str, &tail, limit)) == 0)
        return (0);
    mark_closed(tail);

    /*
     * A new address node may go in front of the first token, and that token
     * may move into it; a placeholder in front keeps track of the list.
     */
    anchor = tok822_alloc(',', (char *)0);
    tok822_prepend(head, anchor);
    for (first = head; first != 0; first = stop ? stop->next : 0) {
        stop = element_end(first, &lt);
        if (stop == first)
            continue;
        if (stop && stop->type == TOK822_STARTGRP)
            continue;
        if (lt)
            parse_route(lt, stop);
        else
            parse_bare(first, stop);
    }
    head = tok822_cut_after(anchor);
    tok822_free(anchor);
    for (tp = head; tp != 0; tp = tp->next)
        tp->flags &= ~TOK822_FLAG_CLOSED;
    return (head);
}
