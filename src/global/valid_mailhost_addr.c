/*
 * valid_mailhost_addr - syntax checks for numeric mail hosts.
 *
 * valid_mailhost_addr() accepts an IPv4 address, or an IPv6 address that
 * carries the "IPv6:" prefix that RFC 5321 requires inside address
 * literals, and returns the bare address (a pointer into the argument) or
 * null. valid_mailhost_literal() accepts the bracketed form "[address]" and
 * returns 1 or 0. With gripe set, rejections are logged as warnings.
 */

#include <string.h>
#include <strings.h>

#include "msg.h"
#include "mymalloc.h"
#include "valid_hostname.h"
#include "valid_mailhost_addr.h"

/* valid_mailhost_addr - the bare address when addr is a valid mail host address */
const char *valid_mailhost_addr(const char *addr, int gripe)
{
    if (strncasecmp(addr, IPV6_COL, IPV6_COL_LEN) == 0) {
        addr += IPV6_COL_LEN;
        return (valid_ipv6_hostaddr(addr, gripe) ? addr : 0);
    }
    return (valid_ipv4_hostaddr(addr, gripe) ? addr : 0);
}

/* valid_mailhost_literal - is addr "[address]" with a valid address? */
int valid_mailhost_literal(const char *addr, int gripe)
{
    size_t len = strlen(addr);
    char *inner;
    int ok;

    if (len < 2 || addr[0] != '[' || addr[len - 1] != ']') {
        if (gripe)
            msg_warn("bad address literal: %.100s", addr);
        return (0);
    }
    inner = mystrndup(addr + 1, len - 2);
    ok = valid_mailhost_addr(inner, gripe) != 0;
    myfree(inner);
    return (ok);
}
