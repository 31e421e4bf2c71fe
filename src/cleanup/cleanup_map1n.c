/*
 * cleanup_map1n - one-to-many address mapping: virtual alias expansion.
 *
 * An address is looked up; each result is looked up in turn, until no
 * table entry matches (the address is final) or an entry maps an address
 * to itself (which ends that branch: "a -> a, b" keeps a and adds b).
 * Two limits keep loops and explosions in check: the number of addresses
 * (virtual_alias_expansion_limit) and the depth of the lookups for one
 * address (virtual_alias_recursion_limit). Exceeding either, or a failed
 * table, defers the message with Postfix's warnings. The result always has
 * at least one address; the caller frees it.
 */

#include <string.h>

#include "cleanup.h"
#include "cleanup_user.h"
#include "htable.h"
#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"

/* cleanup_map1n_defer - give up on this message for now */
static void cleanup_map1n_defer(CLEANUP_STATE *state, const char *why, MAPS *maps,
                                const char *addr)
{
    msg_warn("%s: unreasonable %s map %s for %s -- message not accepted, try again later",
             state->queue_id, maps->title, why, addr);
    state->errs |= CLEANUP_STAT_DEFER;
    if (state->reason == 0)
        state->reason = mystrdup("4.6.0 Alias expansion error");
}

/* cleanup_map1n_expand_one - expand argv->argv[arg] until it is final */
static int cleanup_map1n_expand_one(CLEANUP_STATE *state, ARGV *argv, int arg, MAPS *maps,
                                    int propagate, HTABLE *final, const char *orig)
{
    ARGV *lookup;
    char *lhs;
    int count;
    int i;

    for (count = 0; /* void */; count++) {
        if (htable_locate(final, argv->argv[arg]) != 0)
            return (0);
        if (count >= var_virtual_alias_recursion_limit) {
            cleanup_map1n_defer(state, "nesting", maps, orig);
            return (-1);
        }
        if ((lookup = cleanup_map_lookup(state, maps, argv->argv[arg], propagate)) == 0)
            return (CLEANUP_OUT_OK(state) ? 0 : -1);
        lhs = mystrdup(argv->argv[arg]);
        for (i = 0; i < lookup->argc; i++) {
            if ((ssize_t) strlen(lookup->argv[i]) > var_line_length_limit) {
                msg_warn("%s: unreasonable %s result %.300s... -- message not accepted, try again later",
                         state->queue_id, maps->title, lookup->argv[i]);
                state->errs |= CLEANUP_STAT_DEFER;
                myfree(lhs);
                argv_free(lookup);
                return (-1);
            }
            if (i == 0) {
                myfree(argv->argv[arg]);
                argv->argv[arg] = mystrdup(lookup->argv[i]);
            } else {
                argv_add(argv, lookup->argv[i], (char *) 0);
            }
            /* An address that maps to itself is final. */
            if (strcasecmp(lhs, lookup->argv[i]) == 0 && htable_locate(final, lhs) == 0)
                htable_enter(final, lhs, (void *) 0);
        }
        myfree(lhs);
        argv_free(lookup);
    }
}

/* cleanup_map1n_internal - expand one address into its final addresses */
ARGV *cleanup_map1n_internal(CLEANUP_STATE *state, const char *addr, MAPS *maps, int propagate)
{
    ARGV *argv = argv_alloc(1);
    HTABLE *final = htable_create(10);
    int arg;

    argv_add(argv, addr, (char *) 0);
    for (arg = 0; arg < argv->argc; arg++) {
        if (argv->argc > var_virtual_alias_expansion_limit) {
            cleanup_map1n_defer(state, "expansion size", maps, addr);
            break;
        }
        if (cleanup_map1n_expand_one(state, argv, arg, maps, propagate, final, addr) < 0)
            break;
    }
    htable_free(final, (void (*)(void *)) 0);
    return (argv);
}
