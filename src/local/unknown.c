/*
 * unknown - recipients that are neither aliases nor users.
 *
 * Exports deliver_unknown(). In Postfix's order: fallback_transport_maps
 * and fallback_transport hand the recipient to another agent; luser_relay
 * (after $user, ${extension} ... expansion) receives it instead; mail for
 * postmaster and MAILER-DAEMON without an alias is discarded with a
 * warning ("required alias not found"); everything else bounces with
 * 5.1.1 unknown user: "name".
 */

#include <string.h>
#include <strings.h>

#include "deliver_pass.h"
#include "dict.h"
#include "local.h"
#include "mail_addr.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "maps.h"
#include "msg.h"

/* deliver_unknown_pass - hand the recipient to the fallback transport */
static int deliver_unknown_pass(LOCAL_STATE state, const char *transport)
{
    if (DEL_REQ_TRACE_ONLY(state.request->flags)) {
        dsb_simple(state.msg_attr.why, "2.0.0", "delivers to transport %s", transport);
        return (local_sent(state));
    }
    return (deliver_pass(MAIL_CLASS_PRIVATE, transport, state.request, &state.msg_attr.rcpt));
}

/* deliver_unknown - last resorts for an unknown recipient */
int deliver_unknown(LOCAL_STATE state, USER_ATTR usr_attr)
{
    static MAPS *transport_maps;
    const char *transport;
    VSTRING *relay;
    int status;

    if (*var_fallback_transport_maps && transport_maps == 0)
        transport_maps = maps_create("fallback_transport_maps", var_fallback_transport_maps,
                                     DICT_FLAG_LOCK | DICT_FLAG_NO_REGSUB);
    if (transport_maps && (transport = maps_find(transport_maps, state.msg_attr.user, 0)) != 0)
        return (deliver_unknown_pass(state, transport));
    if (transport_maps && transport_maps->error) {
        dsb_simple(state.msg_attr.why, "4.3.0", "mail system configuration error");
        return (local_defer(state));
    }
    if (*var_fallback_transport)
        return (deliver_unknown_pass(state, var_fallback_transport));
    if (*var_luser_relay) {
        state.msg_attr.unmatched = state.msg_attr.extension;
        relay = vstring_alloc(100);
        local_expand(relay, var_luser_relay, &state, &usr_attr, (char *)0);
        status = deliver_resolve_addr(state, usr_attr, vstring_str(relay));
        vstring_free(relay);
        return (status);
    }
    if (strcasecmp(state.msg_attr.user, MAIL_ADDR_MAIL_DAEMON) == 0 ||
        strcasecmp(state.msg_attr.user, MAIL_ADDR_POSTMASTER) == 0) {
        msg_warn("required alias not found: %s", state.msg_attr.user);
        dsb_simple(state.msg_attr.why, "2.0.0", "discarded");
        return (local_sent(state));
    }
    dsb_simple(state.msg_attr.why, "5.1.1", "unknown user: \"%s\"", state.msg_attr.user);
    return (local_bounce(state));
}
