/*
 * match_ops - the two primitive tests behind Postfix host and address lists
 * (mynetworks, relay_domains, debug_peer_list, smtpd_client_event_limit_
 * exceptions and the like). Table lookups ("type:name"), "/file" patterns
 * and "!" negation belong to the list layer above; these functions see one
 * plain pattern at a time.
 *
 * match_hostname(pattern, name, flags): the name equals the pattern; or the
 * pattern is ".domain" and the name is a subdomain of "domain"; or, with
 * MATCH_OPS_PARENT (parent_domain_matches_subdomains names this list), the
 * pattern is "domain" and the name is a subdomain of it. Case does not matter.
 *
 * match_hostaddr(pattern, addr): the address equals the pattern or the
 * pattern in brackets, or the pattern is a net/mask ("10.0.0.0/8",
 * "[2001:db8::]/32") that contains it. IPv6 patterns must be in brackets in
 * lists, because an unbracketed ':' means a table; an unbracketed IPv6
 * pattern still works here. An address never matches a pattern of the other
 * family, and something that is not an address matches nothing. A pattern
 * that looks like a net/mask but is malformed gives MATCH_OPS_ERROR;
 * match_hostaddr_check() returns the reason in Postfix's words, so that the
 * list layer can report "<list name>: <reason>" (Postfix treats it as fatal).
 */

#include <string.h>
#include <strings.h>

#include "cidr_match.h"
#include "match_ops.h"
#include "msg.h"

#define ADDR_CHARS "0123456789.abcdefABCDEF:"
#define CIDR_PATTERN_CHARS "0123456789.abcdefABCDEF:[]/"

/* match_hostname - host name against a name or domain pattern */
int match_hostname(const char *pattern, const char *name, int flags)
{
    const char *dot;

    if (strcasecmp(name, pattern) == 0)
        return (1);
    for (dot = strchr(name, '.'); dot != 0; dot = strchr(dot + 1, '.')) {
        if (pattern[0] == '.' && strcasecmp(dot, pattern) == 0)
            return (1);
        if ((flags & MATCH_OPS_PARENT) && strcasecmp(dot + 1, pattern) == 0)
            return (1);
    }
    return (0);
}

/* exact_match - the address as written, or in brackets */
static int exact_match(const char *pattern, const char *addr)
{
    size_t len = strlen(addr);

    if (pattern[0] != '[')
        return (strcasecmp(pattern, addr) == 0);
    return (strncasecmp(pattern + 1, addr, len) == 0 && strcmp(pattern + 1 + len, "]") == 0);
}

/* is_cidr_pattern - does the pattern need a net/mask parse at all? */
static int is_cidr_pattern(const char *pattern, const char *addr)
{
    /* Only IPv6 has several spellings of one address; IPv4 needs a mask. */
    if ((strchr(pattern, ':') != 0) != (strchr(addr, ':') != 0))
        return (0);
    if (pattern[strcspn(pattern, ":/")] == 0)
        return (0);
    return (pattern[strspn(pattern, CIDR_PATTERN_CHARS)] == 0);
}

/* match_hostaddr - address against an address or net/mask pattern */
int match_hostaddr(const char *pattern, const char *addr)
{
    CIDR_MATCH cm;
    VSTRING *why;
    int ret;

    if (*addr == 0 || addr[strspn(addr, ADDR_CHARS)] != 0)
        return (0);
    if (exact_match(pattern, addr))
        return (1);
    if (!is_cidr_pattern(pattern, addr))
        return (0);
    why = vstring_alloc(100);
    if (cidr_match_parse(&cm, pattern, why) < 0)
        ret = MATCH_OPS_ERROR;
    else
        ret = cidr_match_execute(&cm, addr);
    vstring_free(why);
    return (ret);
}

/* match_hostaddr_check - 0 if the pattern is usable, else -1 with the reason */
int match_hostaddr_check(const char *pattern, VSTRING *why)
{
    CIDR_MATCH cm;

    if (pattern[strspn(pattern, CIDR_PATTERN_CHARS)] != 0 || pattern[strcspn(pattern, ":/")] == 0)
        return (0);
    return (cidr_match_parse(&cm, pattern, why));
}
