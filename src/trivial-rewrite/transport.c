/*
 * transport - transport_maps lookups for the resolver.
 *
 * A recipient "user+ext@sub.example.com" is looked up as, in order:
 * "user+ext@sub.example.com" (every table, regexp and pcre too), then
 * "user@sub.example.com" (fixed-string tables), then the domain
 * "sub.example.com" and its parents - "example.com", "com" when
 * parent_domain_matches_subdomains lists transport_maps, otherwise
 * ".example.com", ".com" - and finally the "*" wildcard. The first hit is
 * "transport:nexthop" (split at the first ':'):
 *
 *   transport:nexthop   both replace the defaults
 *   transport:          the transport replaces the default; the next hop
 *                       becomes the recipient domain (for "error" the text
 *                       "Address is undeliverable")
 *   :nexthop            keep the default transport, replace the next hop
 *   : or empty          keep both defaults
 *
 * Exports transport_init(), transport_free(), transport_lookup() (1 found,
 * 0 not found) and transport_error() (DICT_ERR_* after a miss).
 * Failure: a table failure stops the search; transport_lookup() returns 0
 * and transport_error() tells, so the caller can defer.
 */

#include <string.h>

#include "dict.h"
#include "mail_addr_find.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "trivial-rewrite.h"

struct TRANSPORT_INFO {
    MAPS *maps;
    int strategy; /* mail_addr_find() keys for the non-wildcard part */
    int error;    /* DICT_ERR_* of the last lookup */
};

#define WILDCARD "*"

/* transport_parent_style - does parent_domain_matches_subdomains list transport_maps? */
static int transport_parent_style(void)
{
    char *saved =
        mystrdup(var_parent_domain_matches_subdomains ? var_parent_domain_matches_subdomains : "");
    char *bp = saved;
    char *name;
    int found = 0;

    while ((name = mystrtok(&bp, ", \t\r\n")) != 0)
        if (strcmp(name, "transport_maps") == 0)
            found = 1;
    myfree(saved);
    return (found);
}

/* transport_init - open the tables named by a transport_maps-like parameter */
TRANSPORT_INFO *transport_init(const char *param_name, const char *maps)
{
    TRANSPORT_INFO *tp = mycalloc(1, sizeof(*tp));

    tp->maps = maps_create(param_name, maps,
                           DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX | DICT_FLAG_NO_REGSUB |
                               DICT_FLAG_NO_UNAUTH);
    tp->strategy = MA_FIND_TRANSPORT | (transport_parent_style() ? MA_FIND_PDMS : MA_FIND_PDDMDS);
    return (tp);
}

/* transport_free - close the tables */
void transport_free(TRANSPORT_INFO *tp)
{
    maps_free(tp->maps);
    myfree(tp);
}

/* transport_update - apply one "transport:nexthop" result */
static void transport_update(const char *value, const char *rcpt_domain, VSTRING *channel,
                             VSTRING *nexthop)
{
    char *saved = mystrdup(value);
    char *host = split_at(saved, ':');

    if (host == 0)
        host = "";
    if (*saved == 0) {
        if (*host != 0)
            vstring_strcpy(nexthop, host);
    } else {
        if (*host != 0)
            vstring_strcpy(nexthop, host);
        else if (strcmp(saved, MAIL_SERVICE_ERROR) != 0)
            vstring_strcpy(nexthop, rcpt_domain);
        else
            vstring_strcpy(nexthop, "Address is undeliverable");
        vstring_strcpy(channel, saved);
    }
    myfree(saved);
}

/* transport_lookup - find the entry for a recipient; 1 when one applied */
int transport_lookup(TRANSPORT_INFO *tp, const char *addr, const char *rcpt_domain,
                     VSTRING *channel, VSTRING *nexthop)
{
    MAIL_ADDR_FIND_ENV env;
    const char *value;

    if (strrchr(addr, '@') == 0)
        msg_panic("transport_lookup: address without domain: \"%s\"", addr);
    memset(&env, 0, sizeof(env));
    env.delimiters = var_recipient_delimiter;
    env.double_bounce = var_double_bounce_sender;
    tp->error = DICT_ERR_NONE;
    if ((value = mail_addr_find(tp->maps, addr, (char **)0, tp->strategy, &env)) == 0) {
        if ((tp->error = tp->maps->error) != DICT_ERR_NONE)
            return (0);
        if ((value = maps_find(tp->maps, WILDCARD, DICT_FLAG_NONE)) == 0) {
            tp->error = tp->maps->error;
            return (0);
        }
    }
    transport_update(value, rcpt_domain, channel, nexthop);
    return (1);
}

/* transport_error - why the last lookup found nothing (DICT_ERR_NONE: not listed) */
int transport_error(TRANSPORT_INFO *tp)
{
    return (tp->error);
}
