/*
 * indirect - addresses that this agent does not deliver itself.
 *
 * Exports deliver_indirect(). The address joins the list of forwarded
 * recipients (forward.c), which becomes a new message through cleanup
 * after the current recipient is done. The same address is forwarded once
 * per delivery.
 */

#include "local.h"

/* deliver_indirect - forward the current address */
int deliver_indirect(LOCAL_STATE state)
{
    if (local_been_here(state.dup_filter, "indirect %s", state.msg_attr.rcpt.address))
        return (0);
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(state.msg_attr.why, "2.0.0", "forwards to %s", state.msg_attr.rcpt.address);
        return (local_sent(state));
    }
    if (forward_append(state.msg_attr) != 0) {
        dsb_simple(state.msg_attr.why, "4.3.0", "unable to forward message");
        return (local_defer(state));
    }
    return (0);
}
