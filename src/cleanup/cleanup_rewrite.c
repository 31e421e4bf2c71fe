/*
 * cleanup_rewrite - bring addresses into standard form through the
 * trivial-rewrite service ("user" becomes "user@$myorigin", and so on, as
 * trivial-rewrite(8) describes for the "local" and "remote" contexts).
 *
 * The rewriting itself is a function the program installs with
 * cleanup_rewrite_set(): the daemon installs its trivial-rewrite client,
 * tests install a fake. It takes a context and an address in external
 * (quoted) form and stores the result. Until one is installed, addresses
 * are left as they are.
 *
 * cleanup_rewrite_internal() works on an internal-form address;
 * cleanup_rewrite_tree() on the address of a parsed header, which it
 * replaces only when the result differs. Both return 1 when the address
 * changed.
 */

#include <string.h>

#include "cleanup.h"
#include "quote_822_local.h"
#include "tok822.h"

static CLEANUP_REWRITE_FN cleanup_rewrite_fn;

/* cleanup_rewrite_set - install the rewriting function */
void cleanup_rewrite_set(CLEANUP_REWRITE_FN fn)
{
    cleanup_rewrite_fn = fn;
}

/* cleanup_rewrite_external - rewrite an external-form address */
static void cleanup_rewrite_external(const char *context, const char *addr, VSTRING *result)
{
    if (cleanup_rewrite_fn)
        cleanup_rewrite_fn(context, addr, result);
    else
        vstring_strcpy(result, addr);
}

/* cleanup_rewrite_internal - rewrite an internal-form address */
int cleanup_rewrite_internal(const char *context, VSTRING *result, const char *addr)
{
    VSTRING *external = vstring_alloc(100);
    VSTRING *rewritten = vstring_alloc(100);

    quote_822_local(external, addr);
    cleanup_rewrite_external(context, vstring_str(external), rewritten);
    unquote_822_local(result, vstring_str(rewritten));
    vstring_free(external);
    vstring_free(rewritten);
    return (strcmp(vstring_str(result), addr) != 0);
}

/* cleanup_rewrite_tree - rewrite the address of a header address node */
int cleanup_rewrite_tree(const char *context, TOK822 *tree)
{
    VSTRING *external = vstring_alloc(100);
    VSTRING *result = vstring_alloc(100);
    int changed;

    tok822_externalize(external, tree->head, TOK822_STR_DEFL);
    cleanup_rewrite_external(context, vstring_str(external), result);
    changed = strcmp(vstring_str(result), vstring_str(external)) != 0;
    cleanup_tree_set_addr(tree, vstring_str(result));
    vstring_free(external);
    vstring_free(result);
    return (changed);
}
