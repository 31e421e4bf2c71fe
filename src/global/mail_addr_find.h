#ifndef MAIL_ADDR_FIND_H
#define MAIL_ADDR_FIND_H

/*
 * mail_addr_find - look up a mail address the way Postfix does.
 *
 * One address produces a sequence of keys; each key is offered to every
 * table of the list (maps_find) before the next key is tried. Which keys
 * are tried is the caller's strategy, a set of MA_FIND_* bits, always in
 * this order (ext = "+ext" when the local part has an extension):
 *
 *   MA_FIND_FULL          user+ext@domain  (every table, regexp etc. too)
 *   MA_FIND_NOEXT         user@domain      (only when there is an extension)
 *   MA_FIND_LOCALPART_IF_LOCAL  user+ext, user  (only when the domain is
 *                         local, as env->is_local() says; an address
 *                         without domain has these as its FULL/NOEXT keys)
 *   MA_FIND_AT_DOMAIN     @domain
 *   MA_FIND_DOMAIN        domain, then its parents when MA_FIND_PDMS
 *                         ("example.com" for "sub.example.com") or
 *                         MA_FIND_PDDMDS (".example.com", ".com")
 *   MA_FIND_LOCALPART_AT  user+ext@, user@
 *
 * Only the FULL key goes to pattern tables (regexp:, pcre:, cidr:); the
 * derived keys go to fixed-string tables only.
 *
 * Presets: MA_FIND_DEFAULT is canonical(5)/virtual(5)/relocated(5);
 * MA_FIND_ACCESS is access(5) for mail addresses and MA_FIND_TRANSPORT is
 * transport(5) without its "*" entry; add MA_FIND_PDMS or MA_FIND_PDDMDS to
 * those two according to parent_domain_matches_subdomains.
 *
 * The result is the table's value (valid until the next lookup) or null.
 * After null, maps->error tells "not found" (DICT_ERR_NONE) from a failure
 * (DICT_ERR_RETRY: defer). When the hit came from a key without the
 * extension, *extension (if extension is not null) receives a copy of the
 * extension including its delimiter ("+ext"), for callers that implement
 * propagate_unmatched_extensions; otherwise it is set to null. The caller
 * frees it with myfree().
 */

#include "maps.h"

#define MA_FIND_FULL (1 << 0)
#define MA_FIND_NOEXT (1 << 1)
#define MA_FIND_LOCALPART_IF_LOCAL (1 << 2)
#define MA_FIND_AT_DOMAIN (1 << 3)
#define MA_FIND_DOMAIN (1 << 4)
#define MA_FIND_PDMS (1 << 5)
#define MA_FIND_PDDMDS (1 << 6)
#define MA_FIND_LOCALPART_AT (1 << 7)

#define MA_FIND_DEFAULT \
    (MA_FIND_FULL | MA_FIND_NOEXT | MA_FIND_LOCALPART_IF_LOCAL | MA_FIND_AT_DOMAIN)
#define MA_FIND_ACCESS (MA_FIND_FULL | MA_FIND_NOEXT | MA_FIND_DOMAIN | MA_FIND_LOCALPART_AT)
#define MA_FIND_TRANSPORT (MA_FIND_FULL | MA_FIND_NOEXT | MA_FIND_DOMAIN)

/* What the lookup needs to know about this system; built once from main.cf. */
typedef struct MAIL_ADDR_FIND_ENV {
    const char *delimiters;     /* recipient_delimiter; null or "" = none */
    const char *double_bounce;  /* double_bounce_sender; null = "double-bounce" */
    /* Is domain local (myorigin, mydestination, interfaces)? 1, 0, or -1 on a
     * temporary error, which makes the lookup fail with DICT_ERR_RETRY. */
    int (*is_local)(const char *domain, void *context);
    void *context;
} MAIL_ADDR_FIND_ENV;

extern const char *mail_addr_find(MAPS *maps, const char *address, char **extension,
                                  int strategy, const MAIL_ADDR_FIND_ENV *env);

/*
 * Where the extension of a local part starts (the offset of the delimiter),
 * or 0 when it has none: no delimiter, a delimiter in front, or a name
 * that is never split (postmaster, MAILER-DAEMON, the double-bounce name,
 * and with "-" among the delimiters owner-* and *-request).
 */
extern size_t mail_addr_ext_offset(const char *localpart, size_t len, const char *delimiters,
                                   const char *double_bounce);

#endif
