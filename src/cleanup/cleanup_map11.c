/*
 * cleanup_map11 - one-to-one address mapping (canonical maps), and the
 * table lookup that all address maps share.
 *
 * cleanup_map_lookup() looks an internal-form address up with the
 * canonical(5)/virtual(5) key order, splits the result (an address list)
 * into internal-form addresses, and, when the match ignored an address
 * extension and propagate_unmatched_extensions asks for it, puts the
 * extension back into each result's local part. The result is null when
 * nothing matched; a failed table is reported as a lookup problem and also
 * gives null, with the message deferred.
 *
 * cleanup_map11_internal() replaces the address with the first result (a
 * canonical map has one); more results are a configuration error that is
 * logged. cleanup_map11_tree() does the same for an address in a parsed
 * header. Both return 1 when the address changed.
 */

#include <string.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "mail_addr.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "tok822.h"

/* cleanup_map_add_ext - put an unmatched extension back into an address */
static void cleanup_map_add_ext(VSTRING *addr, const char *ext)
{
    VSTRING *copy = vstring_alloc(100);
    const char *at;

    vstring_strcpy(copy, vstring_str(addr));
    if ((at = strrchr(vstring_str(copy), '@')) != 0) {
        vstring_strncpy(addr, vstring_str(copy), at - vstring_str(copy));
        vstring_strcat(addr, ext);
        vstring_strcat(addr, at);
    } else {
        vstring_strcat(addr, ext);
    }
    vstring_free(copy);
}

/* cleanup_map_lookup - addresses for one key, or null */
ARGV *cleanup_map_lookup(CLEANUP_STATE *state, MAPS *maps, const char *addr, int propagate)
{
    MAIL_ADDR_FIND_ENV env = {var_recipient_delimiter, var_double_bounce_sender,
                              cleanup_is_local, 0};
    const char *value;
    char *ext = 0;
    ARGV *argv;
    TOK822 *tree;
    TOK822 **addrs;
    TOK822 **tpp;
    VSTRING *buf;
    VSTRING *ext_buf;

    if ((value = mail_addr_find(maps, addr, &ext, MA_FIND_DEFAULT, &env)) == 0) {
        if (maps->error != 0) {
            msg_warn("%s: %s map lookup problem for %s -- message not accepted, try again later",
                     state->queue_id, maps->title, addr);
            state->errs |= CLEANUP_STAT_WRITE;
        }
        return (0);
    }
    argv = argv_alloc(1);
    buf = vstring_alloc(100);
    ext_buf = vstring_alloc(100);
    tree = tok822_parse(value);
    addrs = tok822_grep(tree, TOK822_ADDR);
    for (tpp = addrs; *tpp; tpp++) {
        /* Table values are external form: written out, then unquoted, as Postfix does. */
        tok822_externalize(ext_buf, (*tpp)->head, TOK822_STR_DEFL);
        unquote_822_local(buf, vstring_str(ext_buf));
        if (ext && propagate)
            cleanup_map_add_ext(buf, ext);
        argv_add(argv, vstring_str(buf), (char *) 0);
    }
    myfree(addrs);
    tok822_free_tree(tree);
    vstring_free(buf);
    vstring_free(ext_buf);
    if (ext)
        myfree(ext);
    if (argv->argc == 0) {
        /* An empty value maps to nothing; keep the address as it is. */
        argv_free(argv);
        return (0);
    }
    return (argv);
}

/* cleanup_map11_internal - map one internal-form address in place */
int cleanup_map11_internal(CLEANUP_STATE *state, VSTRING *addr, MAPS *maps, int propagate)
{
    ARGV *argv;
    int changed;

    if ((argv = cleanup_map_lookup(state, maps, vstring_str(addr), propagate)) == 0)
        return (0);
    if (argv->argc > 1)
        msg_warn("%s: multi-valued %s entry for %s", state->queue_id, maps->title,
                 vstring_str(addr));
    changed = strcmp(argv->argv[0], vstring_str(addr)) != 0;
    vstring_strcpy(addr, argv->argv[0]);
    argv_free(argv);
    return (changed);
}

/*
 * cleanup_tree_set_addr - replace an address node's tokens. As Postfix
 * does, the new tokens are loose (not owned by the node, like those of
 * tok822_scan_addr()), which matters only for spacing between words.
 */
void cleanup_tree_set_addr(TOK822 *tree, const char *external)
{
    tok822_free_tree(tree->head);
    tree->head = tok822_scan(external, &tree->tail);
}

/* cleanup_map11_tree - map the address of a parsed header address node */
int cleanup_map11_tree(CLEANUP_STATE *state, TOK822 *tree, MAPS *maps, int propagate)
{
    VSTRING *internal = vstring_alloc(100);
    VSTRING *external = vstring_alloc(100);
    int changed;

    /* As Postfix: external form, unquoted, mapped, quoted, scanned again. */
    tok822_externalize(external, tree->head, TOK822_STR_DEFL);
    unquote_822_local(internal, vstring_str(external));
    if ((changed = cleanup_map11_internal(state, internal, maps, propagate)) != 0)
        quote_822_local(external, vstring_str(internal));
    cleanup_tree_set_addr(tree, vstring_str(external));
    vstring_free(internal);
    vstring_free(external);
    return (changed);
}
