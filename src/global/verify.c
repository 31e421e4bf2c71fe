/*
 * verify - report an address probe's outcome to the verify service.
 *
 * Exports verify_append(). Both the original and the final address are
 * updated when they differ, since a later probe may ask for either. With
 * address_verify_negative_cache = no a failure is logged as
 * "undeliverable-but-not-cached" and not sent. A service failure is
 * logged and returned as -1, so that the probe is tried again.
 */

#include <string.h>
#include <strings.h>

#include "bounce.h"
#include "log_adhoc.h"
#include "mail_command_client.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "verify.h"
#include "vstring.h"

/* verify_update - one update request */
static int verify_update(const char *addr, int verify_status, const char *why)
{
    return (mail_command_client(
        MAIL_CLASS_PRIVATE, var_address_verify_service_name, MAIL_ATTR_PROTO_VERIFY,
        SEND_ATTR_STR(MAIL_ATTR_REQ, VRFY_REQ_UPDATE), SEND_ATTR_STR(MAIL_ATTR_ADDR, addr),
        SEND_ATTR_INT(MAIL_ATTR_ADDR_STATUS, verify_status), SEND_ATTR_STR(MAIL_ATTR_WHY, why),
        ATTR_TYPE_END));
}

/* verify_append - update the verify cache and log the probe */
int verify_append(const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay, DSN *dsn,
                  int verify_status)
{
    DSN my_dsn = *dsn;
    VSTRING *why = 0;
    const char *status_text;
    int status = 0;

    if (strcmp(relay, NO_RELAY_AGENT) != 0) {
        why = vstring_alloc(100);
        vstring_sprintf(why, "delivery via %s: %s", relay, dsn->reason);
        my_dsn.reason = vstring_str(why);
    }
    status_text = verify_status == DEL_RCPT_STAT_OK ? "deliverable" : "undeliverable";
    if (var_address_verify_negative_cache || verify_status == DEL_RCPT_STAT_OK) {
        if (rcpt->orig_addr && *rcpt->orig_addr)
            status = verify_update(rcpt->orig_addr, verify_status, my_dsn.reason);
        if (status == 0 &&
            (rcpt->orig_addr == 0 || strcasecmp(rcpt->address, rcpt->orig_addr) != 0))
            status = verify_update(rcpt->address, verify_status, my_dsn.reason);
    } else {
        status_text = "undeliverable-but-not-cached";
    }
    if (status == 0) {
        log_adhoc(id, stats, rcpt, relay, &my_dsn, status_text);
    } else {
        msg_warn("%s: %s service failure", id, var_address_verify_service_name);
        status = -1;
    }
    if (why)
        vstring_free(why);
    return (status);
}
