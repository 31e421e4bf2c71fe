/*
 * resolve - decide where an address from an expansion goes.
 *
 * Exports deliver_resolve_addr(). The address is made canonical (the
 * "local" rewriting context: user becomes user@$myorigin) and resolved by
 * trivial-rewrite. When it resolves to this very delivery agent (the same
 * transport name as our service) it is delivered here, recursively;
 * anything else is forwarded as a new message through cleanup.
 *
 * Failure: a resolver that cannot decide defers the recipient; an address
 * it calls malformed bounces with "bad recipient address syntax".
 */

#include <string.h>

#include "local.h"
#include "msg.h"
#include "resolve_clnt.h"
#include "rewrite_clnt.h"

/* deliver_resolve_addr - deliver here or forward */
int deliver_resolve_addr(LOCAL_STATE state, USER_ATTR usr_attr, const char *addr)
{
    VSTRING *canon = vstring_alloc(100);
    RESOLVE_REPLY reply;
    int status;

    resolve_clnt_init(&reply);
    rewrite_clnt_internal(REWRITE_LOCAL, addr, canon);
    if (VSTRING_LEN(canon) == 0) {
        dsb_simple(state.msg_attr.why, "4.3.0", "address rewriting failure");
        status = local_defer(state);
    } else {
        resolve_clnt_query(vstring_str(canon), &reply);
        if (reply.flags & RESOLVE_FLAG_FAIL) {
            dsb_simple(state.msg_attr.why, "4.3.0", "address resolver failure");
            status = local_defer(state);
        } else if (reply.flags & RESOLVE_FLAG_ERROR) {
            dsb_simple(state.msg_attr.why, "5.1.3", "bad recipient address syntax: %s",
                       vstring_str(canon));
            status = local_bounce(state);
        } else {
            state.msg_attr.rcpt.address = vstring_str(reply.recipient);
            if (strcmp(state.msg_attr.relay, vstring_str(reply.transport)) == 0)
                status = deliver_recipient(state, usr_attr);
            else
                status = deliver_indirect(state);
        }
    }
    resolve_clnt_free(&reply);
    vstring_free(canon);
    return (status);
}
