/*
 * tok822_tree - list and tree surgery on tok822 tokens.
 *
 * Tokens form doubly-linked sibling lists; a TOK822_ADDR node owns a list
 * of children (head/tail), whose members point back at it (owner). The
 * functions here keep those links consistent:
 *
 *   tok822_append(t1, t2)      insert list t2 after token t1
 *   tok822_prepend(t1, t2)     insert list t2 before token t1
 *   tok822_cut_before(tp)      split the list before tp (tp starts a list)
 *   tok822_cut_after(tp)       split the list after tp
 *   tok822_unlink(tp)          take one token out of its list
 *   tok822_sub_append(t1, t2)  add list t2 at the end of t1's children
 *   tok822_sub_prepend(t1, t2) add list t2 at the start of t1's children
 *   tok822_sub_keep_before(t1, t2)  detach child t2 and what follows it
 *   tok822_sub_keep_after(t1, t2)   detach child t2 and what precedes it
 *   tok822_free_tree(tp)       free tp, its children and its successors
 *   tok822_apply(list, type, fn)    call fn for tokens of type (0: all)
 *   tok822_grep(list, type)    null-terminated array of such tokens
 *
 * The children of a node from tok822_scan_addr() do not point back at it
 * (see tok822.h), so the sub_keep functions trust the caller that t2 is
 * one of t1's children. Nothing here fails.
 */

#include "mymalloc.h"
#include "tok822.h"

/* list_tail - the last token of a list, setting owners on the way */
static TOK822 *list_tail(TOK822 *tp, TOK822 *owner)
{
    for (;;) {
        tp->owner = owner;
        if (tp->next == 0)
            return (tp);
        tp = tp->next;
    }
}

/* tok822_append - insert list t2 after t1; the result is t2's last token */
TOK822 *tok822_append(TOK822 *t1, TOK822 *t2)
{
    TOK822 *next = t1->next;
    TOK822 *last = list_tail(t2, t1->owner);

    t1->next = t2;
    t2->prev = t1;
    last->next = next;
    if (next)
        next->prev = last;
    else if (t1->owner)
        t1->owner->tail = last;
    return (last);
}

/* tok822_prepend - insert list t2 before t1; the result is t2's last token */
TOK822 *tok822_prepend(TOK822 *t1, TOK822 *t2)
{
    TOK822 *prev = t1->prev;
    TOK822 *last = list_tail(t2, t1->owner);

    last->next = t1;
    t1->prev = last;
    t2->prev = prev;
    if (prev)
        prev->next = t2;
    else if (t1->owner)
        t1->owner->head = t2;
    return (last);
}

/* tok822_cut_before - split before tp; the result ends the left part */
TOK822 *tok822_cut_before(TOK822 *tp)
{
    TOK822 *prev = tp->prev;

    if (prev) {
        prev->next = 0;
        tp->prev = 0;
    }
    return (prev);
}

/* tok822_cut_after - split after tp; the result starts the right part */
TOK822 *tok822_cut_after(TOK822 *tp)
{
    TOK822 *next = tp->next;

    if (next) {
        next->prev = 0;
        tp->next = 0;
    }
    return (next);
}

/* tok822_unlink - take tp out of its list and out of its owner */
TOK822 *tok822_unlink(TOK822 *tp)
{
    if (tp->prev)
        tp->prev->next = tp->next;
    else if (tp->owner)
        tp->owner->head = tp->next;
    if (tp->next)
        tp->next->prev = tp->prev;
    else if (tp->owner)
        tp->owner->tail = tp->prev;
    tp->prev = tp->next = tp->owner = 0;
    return (tp);
}

/* tok822_sub_append - add list t2 after t1's children; result: last added */
TOK822 *tok822_sub_append(TOK822 *t1, TOK822 *t2)
{
    TOK822 *last;

    /* Set tail and head here: children need not point back at t1. */
    if (t1->tail)
        return (t1->tail = tok822_append(t1->tail, t2));
    t1->head = t2;
    t2->prev = 0;
    last = list_tail(t2, t1);
    t1->tail = last;
    return (last);
}

/* tok822_sub_prepend - add list t2 before t1's children; result: last added */
TOK822 *tok822_sub_prepend(TOK822 *t1, TOK822 *t2)
{
    TOK822 *last;

    if (t1->head) {
        last = tok822_prepend(t1->head, t2);
        t1->head = t2;
        return (last);
    }
    t1->head = t2;
    t2->prev = 0;
    last = list_tail(t2, t1);
    t1->tail = last;
    return (last);
}

/* tok822_sub_keep_before - keep t1's children before t2; return the rest */
TOK822 *tok822_sub_keep_before(TOK822 *t1, TOK822 *t2)
{
    TOK822 *tp;

    t1->tail = t2->prev;
    if (t2->prev)
        t2->prev->next = 0;
    else
        t1->head = 0;
    t2->prev = 0;
    for (tp = t2; tp; tp = tp->next)
        tp->owner = 0;
    return (t2);
}

/* tok822_sub_keep_after - keep t1's children after t2; return the rest */
TOK822 *tok822_sub_keep_after(TOK822 *t1, TOK822 *t2)
{
    TOK822 *head = t1->head;
    TOK822 *tp;

    t1->head = t2->next;
    if (t2->next)
        t2->next->prev = 0;
    else
        t1->tail = 0;
    t2->next = 0;
    for (tp = head; tp; tp = tp->next)
        tp->owner = 0;
    return (head);
}

/* tok822_free_tree - free tp, its successors and all their children */
TOK822 *tok822_free_tree(TOK822 *tp)
{
    TOK822 *next;

    for (; tp != 0; tp = next) {
        next = tp->next;
        if (tp->head)
            tok822_free_tree(tp->head);
        tok822_free(tp);
    }
    return (0);
}

/* tok822_apply - call action for each list member of type (0: any) */
int tok822_apply(TOK822 *list, int type, int (*action)(TOK822 *))
{
    TOK822 *tp;
    TOK822 *next;
    int result = 0;

    for (tp = list; tp != 0; tp = next) {
        next = tp->next;
        if ((type == 0 || tp->type == type) && (result = action(tp)) != 0)
            break;
    }
    return (result);
}

/* tok822_grep - null-terminated array of list members of type (0: any) */
TOK822 **tok822_grep(TOK822 *list, int type)
{
    TOK822 **result;
    TOK822 *tp;
    size_t count = 0;

    for (tp = list; tp != 0; tp = tp->next)
        if (type == 0 || tp->type == type)
            count++;
    result = (TOK822 **)mymalloc((count + 1) * sizeof(*result));
    for (count = 0, tp = list; tp != 0; tp = tp->next)
        if (type == 0 || tp->type == type)
            result[count++] = tp;
    result[count] = 0;
    return (result);
}
