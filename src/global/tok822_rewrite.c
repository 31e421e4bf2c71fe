/*
 * tok822_rewrite - put changed addresses back into an address header.
 *
 * Exports tok822_rewrite(out, src, tree): tree came from
 * tok822_parse_limit(src, ...) and the caller has since replaced the
 * children of some TOK822_ADDR nodes (canonical mapping, masquerading).
 * The result is src with only the text of those addresses replaced by
 * their new external form; display names, comments, white space and
 * header folding elsewhere stay byte for byte. A comment that sat inside a
 * replaced address ("joe (Joe) @ example") follows the new address.
 * Unchanged addresses keep their original spelling.
 *
 * Only other changes to the tree (addresses added, removed or reordered)
 * are not reflected; a tree that does not belong to src is a panic.
 */

#include <string.h>

#include "msg.h"
#include "tok822.h"
#include "vstring.h"

/* tok822_rewrite - src with changed addresses replaced */
VSTRING *tok822_rewrite(VSTRING *out, const char *src, TOK822 *tree)
{
    VSTRING *buf = vstring_alloc(100);
    ssize_t src_len = (ssize_t)strlen(src);
    ssize_t done = 0;
    TOK822 *tp;
    TOK822 *cp;

    VSTRING_RESET(out);
    for (tp = tree; tp != 0; tp = tp->next) {
        if (tp->type != TOK822_ADDR || tp->start < 0)
            continue;
        if (tp->start < done || tp->end < tp->start || tp->end > src_len)
            msg_panic("tok822_rewrite: address span %ld..%ld does not fit the text",
                      (long)tp->start, (long)tp->end);
        tok822_externalize(buf, tp->head, TOK822_STR_DEFL);
        if (strcmp(vstring_str(buf), vstring_str(tp->vstr)) == 0)
            continue;
        vstring_memcat(out, src + done, tp->start - done);
        vstring_memcat(out, vstring_str(buf), VSTRING_LEN(buf));
        for (cp = tp->next; cp != 0 && cp->start >= 0 && cp->start < tp->end; cp = cp->next) {
            if (cp->type == TOK822_COMMENT) {
                VSTRING_ADDCH(out, ' ');
                vstring_memcat(out, src + cp->start, cp->end - cp->start);
            }
        }
        done = tp->end;
    }
    vstring_memcat(out, src + done, src_len - done);
    VSTRING_TERMINATE(out);
    vstring_free(buf);
    return (out);
}
