#ifndef VIRTUAL_LOOKUP_H
#define VIRTUAL_LOOKUP_H

/*
 * virtual_lookup - where and as whom virtual(8) delivers a recipient:
 * virtual_mailbox_maps (relative to virtual_mailbox_base; a trailing "/"
 * means Maildir), virtual_uid_maps and virtual_gid_maps, all looked up
 * with the full (lower-case) recipient address: user+ext@domain,
 * user@domain, then @domain.
 */

#include <sys/types.h>

#include "dsn_buf.h"
#include "mail_addr_find.h"
#include "maps.h"

typedef struct VIRTUAL_MAPS {
    MAPS *mailbox_maps;            /* virtual_mailbox_maps */
    MAPS *uid_maps;                /* virtual_uid_maps */
    MAPS *gid_maps;                /* virtual_gid_maps */
    const char *mailbox_base;      /* virtual_mailbox_base */
    long minimum_uid;              /* virtual_minimum_uid */
    const MAIL_ADDR_FIND_ENV *env; /* recipient_delimiter, local domains */
} VIRTUAL_MAPS;

typedef struct VIRTUAL_USER {
    char *mailbox; /* base "/" result; owned */
    int maildir;   /* the result ended in "/" */
    uid_t uid;
    gid_t gid;
} VIRTUAL_USER;

#define VIRTUAL_FOUND 0   /* user filled in */
#define VIRTUAL_UNKNOWN 1 /* no mailbox: bounce "unknown user" */
#define VIRTUAL_DEFER 2   /* lookup or configuration problem (warned), why set */

/*
 * virtual_lookup - look up address (already lower case). On VIRTUAL_DEFER
 * why holds "4.3.5 mail system configuration error" and the problem was
 * logged with msg_warn() in Postfix's words.
 */
extern int virtual_lookup(const VIRTUAL_MAPS *vm, const char *address, VIRTUAL_USER *user,
                          DSN_BUF *why);

/* virtual_user_free - release what a successful lookup filled in. */
extern void virtual_user_free(VIRTUAL_USER *user);

#endif
