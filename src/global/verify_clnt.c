/*
 * verify_clnt - the client side of the address verification service:
 * one "query" request per call on a fresh connection to
 * private/$address_verify_service_name (attribute protocol, after the
 * server's protocol announcement).
 *
 * Exports verify_clnt_query() (see verify_clnt.h).
 *
 * Failure: a service that does not exist, does not answer, or answers
 * with something else than the verification protocol gives
 * VRFY_STAT_FAIL with a warning "problem talking to service ...": callers
 * must defer, never treat it as "deliverable".
 */

#include <errno.h>

#include "attr.h"
#include "iostuff.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "verify_clnt.h"
#include "vstream.h"

/* verify_clnt_query - what does the service know about addr */
int verify_clnt_query(const char *addr, int *addr_status, VSTRING *why)
{
    VSTREAM *stream;
    int status = VRFY_STAT_FAIL;
    int request_status;

    if ((stream = mail_connect(MAIL_CLASS_PRIVATE, var_address_verify_service_name, BLOCKING))
        == 0) {
        msg_warn("problem talking to service %s/%s: %m", MAIL_CLASS_PRIVATE,
                 var_address_verify_service_name);
        return VRFY_STAT_FAIL;
    }
    vstream_set_timeout(stream, var_ipc_timeout);
    errno = 0;
    if (attr_scan(stream, ATTR_FLAG_STRICT,
                  RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY), ATTR_TYPE_END) != 0
        || attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, "query"),
                      SEND_ATTR_STR(MAIL_ATTR_ADDR, addr), ATTR_TYPE_END) != 0
        || vstream_fflush(stream) != 0
        || attr_scan(stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &request_status),
                     RECV_ATTR_INT(MAIL_ATTR_ADDR_STATUS, addr_status),
                     RECV_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END) != 3) {
        msg_warn("problem talking to service %s/%s: %m", MAIL_CLASS_PRIVATE,
                 var_address_verify_service_name);
    } else {
        status = request_status == VRFY_STAT_OK ? VRFY_STAT_OK : VRFY_STAT_BAD;
    }
    (void)vstream_fclose(stream);
    return status;
}
