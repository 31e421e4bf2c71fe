/*
 * qmgr_resolve - the queue manager's resolver: trivial-rewrite's answer
 * in the form qmgr_message wants it.
 *
 * qmgr_resolve_default() asks the resolve service (resolve_clnt, which
 * retries until the service answers) and keeps the two flags that qmgr
 * acts on: "could not resolve, defer" and "the address is local".
 */

#include "resolve_clnt.h"

#include "qmgr.h"

/* qmgr_resolve_default - ask trivial-rewrite */
void qmgr_resolve_default(const char *sender, const char *address, QMGR_RESOLVED *reply)
{
    static RESOLVE_REPLY resolved;
    static int init;

    if (!init) {
        resolve_clnt_init(&resolved);
        init = 1;
    }
    resolve_clnt_query_from(sender, address, &resolved);
    vstring_strcpy(reply->transport, vstring_str(resolved.transport));
    vstring_strcpy(reply->nexthop, vstring_str(resolved.nexthop));
    vstring_strcpy(reply->recipient, vstring_str(resolved.recipient));
    reply->flags = 0;
    if (resolved.flags & RESOLVE_FLAG_FAIL)
        reply->flags |= QMGR_RESOLVE_FLAG_FAIL;
    if (resolved.flags & RESOLVE_CLASS_LOCAL)
        reply->flags |= QMGR_RESOLVE_CLASS_LOCAL;
}
