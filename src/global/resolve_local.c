/*
 * resolve_local - the local address class test, shared by trivial-rewrite
 * (address resolution) and smtpd (relay and MX backup checks).
 *
 * One trailing dot is ignored ("example.com." is "example.com"); a name
 * that is empty or ends in two dots is never local. mydestination is a
 * string list: names match case-insensitively, without subdomains, and
 * table entries are looked up by the whole name. An address literal
 * "[1.2.3.4]" or "[IPv6:...]" is local when the address belongs to
 * inet_interfaces or proxy_interfaces.
 *
 * Exports resolve_local_init() (optional; done on first use) and
 * resolve_local(). Failure: a table lookup error is returned as the
 * negative DICT_ERR_* code, never as "not local".
 */

#include <string.h>

#include "mail_params.h"
#include "match_list.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "own_inet_addr.h"
#include "resolve_local.h"
#include "valid_hostname.h"
#include "valid_mailhost_addr.h"

static MATCH_LIST *local_list;

/* resolve_local_init - build the mydestination list */
void resolve_local_init(void)
{
    if (local_list == 0)
        local_list = string_list_init("mydestination", MATCH_FLAG_RETURN, var_mydestination);
}

/* resolve_local_literal - is "[address]" (brackets removed) one of our addresses? */
static int resolve_local_literal(const char *inner)
{
    const char *bare;
    struct addrinfo *res0;
    int found = 0;

    if ((bare = valid_mailhost_addr(inner, DO_GRIPE)) == 0)
        return (0);
    if (hostaddr_to_sockaddr(bare, (char *)0, 0, &res0) != 0)
        return (0);
    found = own_inet_addr(res0->ai_addr) || proxy_inet_addr(res0->ai_addr);
    freeaddrinfo(res0);
    return (found);
}

/* resolve_local - 1 for a local domain, 0 for another, < 0 on table failure */
int resolve_local(const char *domain)
{
    char *name = mystrdup(domain);
    size_t len = strlen(name);
    int result = 0;

    resolve_local_init();
    if (len > 0 && name[len - 1] == '.')
        name[--len] = 0;
    if (len > 0 && name[len - 1] != '.') {
        if (string_list_match(local_list, name))
            result = 1;
        else if (local_list->error != 0)
            result = local_list->error;
        else if (name[0] == '[' && name[len - 1] == ']') {
            name[len - 1] = 0;
            result = resolve_local_literal(name + 1);
        }
    }
    myfree(name);
    return (result);
}
