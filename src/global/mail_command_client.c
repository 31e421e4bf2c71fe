/*
 * mail_command_client - one attribute-protocol request to a local service.
 *
 * Exports mail_command_client(). Every failure (service not reachable,
 * wrong protocol announcement, I/O error or timeout, no status in the
 * reply) is logged with a warning and reported as -1, so that callers can
 * defer the work instead of losing it.
 */

#include <stdarg.h>

#include "attr.h"
#include "iostuff.h"
#include "mail_command_client.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "vstream.h"

/* mail_command_client - send one request, return the server's status */
int mail_command_client(const char *class, const char *name, const char *proto, ...)
{
    va_list ap;
    VSTREAM *stream;
    int status;
    int err;

    if ((stream = mail_connect(class, name, BLOCKING)) == 0) {
        msg_warn("connect to %s/%s service: %m", class, name);
        return (-1);
    }
    vstream_set_timeout(stream, var_ipc_timeout);
    if (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STREQ(MAIL_ATTR_PROTO, proto),
                  ATTR_TYPE_END) != 1) {
        msg_warn("%s/%s service: no \"%s\" protocol announcement", class, name, proto);
        (void)vstream_fclose(stream);
        return (-1);
    }
    va_start(ap, proto);
    err = attr_vprint(stream, ATTR_FLAG_NONE, ap);
    va_end(ap);
    if (err != 0 || vstream_fflush(stream) != 0) {
        msg_warn("write to %s/%s service: %m", class, name);
        (void)vstream_fclose(stream);
        return (-1);
    }
    if (attr_scan(stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                  ATTR_TYPE_END) != 1) {
        msg_warn("%s/%s service: no status in reply", class, name);
        status = -1;
    }
    (void)vstream_fclose(stream);
    return (status);
}
