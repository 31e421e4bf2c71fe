/*
 * status - report what became of the current recipient, and manage the
 * user attributes that decide the rights of a delivery.
 *
 * Exports local_sent(), local_bounce(), local_defer(), local_fail() and
 * the USER_ATTR helpers. The reports go through sent/bounce/defer with the
 * current address (which is what the log shows as to=), the original
 * recipient and the DSN in state.msg_attr.why.
 *
 * Errors of an expansion that has an owner- alias go to that owner: the
 * non-delivery notice is sent right away with the owner as its recipient
 * (bounce_one), instead of collecting it for the message's sender.
 */

#include <pwd.h>
#include <string.h>

#include "bounce.h"
#include "defer.h"
#include "local.h"
#include "mymalloc.h"
#include "sent.h"

#define LOCAL_TRACE_FLAGS(state) DEL_REQ_TRACE_FLAGS((state).request->flags)

/* local_sent - the current recipient was delivered */
int local_sent(LOCAL_STATE state)
{
    return (sent(LOCAL_TRACE_FLAGS(state), state.msg_attr.queue_id, &state.request->msg_stats,
                 &state.msg_attr.rcpt, state.msg_attr.relay, DSN_FROM_DSN_BUF(state.msg_attr.why)));
}

/* local_defer - the current recipient must be tried again */
int local_defer(LOCAL_STATE state)
{
    return (defer_append(LOCAL_TRACE_FLAGS(state), state.msg_attr.queue_id,
                         &state.request->msg_stats, &state.msg_attr.rcpt, state.msg_attr.relay,
                         DSN_FROM_DSN_BUF(state.msg_attr.why)));
}

/* local_bounce - the current recipient failed for good */
int local_bounce(LOCAL_STATE state)
{
    DELIVER_REQUEST *rq = state.request;

    if (state.msg_attr.owner != 0 &&
        strcmp(state.msg_attr.owner, state.msg_attr.rcpt.address) != 0 &&
        !DEL_REQ_TRACE_ONLY(rq->flags))
        return (bounce_one(LOCAL_TRACE_FLAGS(state), state.msg_attr.queue_name,
                           state.msg_attr.queue_id, state.msg_attr.encoding,
                           state.msg_attr.smtputf8, state.msg_attr.sender, state.msg_attr.dsn_envid,
                           state.msg_attr.dsn_ret, &rq->msg_stats, &state.msg_attr.rcpt,
                           state.msg_attr.relay, DSN_FROM_DSN_BUF(state.msg_attr.why)));
    return (bounce_append(LOCAL_TRACE_FLAGS(state), state.msg_attr.queue_id, &rq->msg_stats,
                          &state.msg_attr.rcpt, state.msg_attr.relay,
                          DSN_FROM_DSN_BUF(state.msg_attr.why)));
}

/* local_fail - defer a 4.x.x status, bounce anything else */
int local_fail(LOCAL_STATE state)
{
    if (vstring_str(state.msg_attr.why->status)[0] == '4')
        return (local_defer(state));
    return (local_bounce(state));
}

/* local_user_attr_set - take the rights and identity of a passwd entry */
void local_user_attr_set(USER_ATTR *usr_attr, const struct passwd *pwd)
{
    usr_attr->uid = pwd->pw_uid;
    usr_attr->gid = pwd->pw_gid;
    usr_attr->home = mystrdup(pwd->pw_dir);
    usr_attr->logname = mystrdup(pwd->pw_name);
    usr_attr->shell = mystrdup(pwd->pw_shell);
}

/* local_user_attr_reset - no user context: default_privs will be used */
void local_user_attr_reset(USER_ATTR *usr_attr)
{
    memset(usr_attr, 0, sizeof(*usr_attr));
}

/* local_user_attr_free - release what local_user_attr_set() copied */
void local_user_attr_free(USER_ATTR *usr_attr)
{
    if (usr_attr->home)
        myfree(usr_attr->home);
    if (usr_attr->logname)
        myfree(usr_attr->logname);
    if (usr_attr->shell)
        myfree(usr_attr->shell);
    memset(usr_attr, 0, sizeof(*usr_attr));
}
