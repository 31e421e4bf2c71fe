#ifndef DELIVER_PASS_H
#define DELIVER_PASS_H

/*
 * deliver_pass - hand one recipient of a delivery request to another
 * delivery agent (mailbox_transport, fallback_transport).
 */

#include "deliver_request.h"
#include "recipient_list.h"

/*
 * deliver_pass - send the request, reduced to rcpt, to the agent listening
 * on class/transport ("transport" or "transport:nexthop"; without a next
 * hop the request's own is used) and return its status: 0 when the
 * recipient is done (the other agent logged it and marked it), non-zero
 * when it must be retried. When the agent cannot be reached or fails, the
 * recipient is deferred here ("4.3.0 mail transport unavailable").
 */
extern int deliver_pass(const char *class, const char *transport, DELIVER_REQUEST *request,
                        RECIPIENT *rcpt);

#endif
