/*
 * tok822_find - search a token list by type.
 *
 * tok822_find_type(head, type) walks forward from head and
 * tok822_rfind_type(tail, type) walks backward from tail; both return the
 * first token of the given type, or null. To split an address, find the
 * '@' that separates local part and domain with tok822_rfind_type() from
 * the address's last child: an '@' inside a quoted local part is part of a
 * QSTRING token and never matches.
 */

#include "tok822.h"

/* tok822_find_type - first token of type at or after head */
TOK822 *tok822_find_type(TOK822 *head, int type)
{
    TOK822 *tp;

    for (tp = head; tp != 0 && tp->type != type; tp = tp->next)
        /* void */;
    return (tp);
}

/* tok822_rfind_type - first token of type at or before tail */
TOK822 *tok822_rfind_type(TOK822 *tail, int type)
{
    TOK822 *tp;

    for (tp = tail; tp != 0 && tp->type != type; tp = tp->prev)
        /* void */;
    return (tp);
}
