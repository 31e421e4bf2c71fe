/*
 * cleanup_masquerade - hide subdomains: with masquerade_domains =
 * example.com, "user@host.example.com" becomes "user@example.com".
 *
 * The list is tried in order and the first domain that equals the
 * address's domain or is a parent of it decides: an exact match or a
 * "!domain" entry leaves the address alone, a parent replaces the domain.
 * Local parts listed in masquerade_exceptions are never masqueraded.
 * Functions return 1 when the address changed.
 */

#include <string.h>

#include "cleanup.h"
#include "mymalloc.h"
#include "quote_822_local.h"
#include "stringops.h"

/* cleanup_masquerade_internal - masquerade an internal-form address */
int cleanup_masquerade_internal(CLEANUP_STATE *state, VSTRING *addr, ARGV *masq_domains)
{
    const char *at = strrchr(vstring_str(addr), '@');
    const char *domain;
    size_t domain_len;
    char *name;
    int i;
    int excepted = 0;

    if (at == 0 || at[1] == 0)
        return (0);
    if (cleanup_masq_exceptions) {
        name = mystrndup(vstring_str(addr), at - vstring_str(addr));
        excepted = string_list_match(cleanup_masq_exceptions, lowercase(name));
        myfree(name);
        if (excepted)
            return (0);
    }
    domain = at + 1;
    domain_len = strlen(domain);
    for (i = 0; i < masq_domains->argc; i++) {
        const char *masq = masq_domains->argv[i];
        int excluded = (*masq == '!');
        size_t masq_len;
        const char *parent;

        if (excluded)
            masq++;
        if ((masq_len = strlen(masq)) == 0)
            continue;
        if (masq_len == domain_len) {
            if (strcasecmp(masq, domain) == 0)
                return (0);
        } else if (masq_len < domain_len) {
            parent = domain + domain_len - masq_len;
            if (parent[-1] == '.' && strcasecmp(masq, parent) == 0) {
                if (excluded)
                    return (0);
                vstring_truncate(addr, (size_t) (domain - vstring_str(addr)));
                vstring_strcat(addr, masq);
                return (1);
            }
        }
    }
    return (0);
}

/* cleanup_masquerade_tree - masquerade the address of a header address node */
int cleanup_masquerade_tree(CLEANUP_STATE *state, TOK822 *tree, ARGV *masq_domains)
{
    VSTRING *internal = vstring_alloc(100);
    VSTRING *external = vstring_alloc(100);
    int changed;

    /* As Postfix: external form, unquoted, masqueraded, quoted, scanned again. */
    tok822_externalize(external, tree->head, TOK822_STR_DEFL);
    unquote_822_local(internal, vstring_str(external));
    if ((changed = cleanup_masquerade_internal(state, internal, masq_domains)) != 0)
        quote_822_local(external, vstring_str(internal));
    cleanup_tree_set_addr(tree, vstring_str(external));
    vstring_free(internal);
    vstring_free(external);
    return (changed);
}
