/*
 * verify_clnt - ask the verify service about an address, or tell it.
 *
 * Exports verify_clnt_query() (for smtpd's reject_unverified_sender and
 * reject_unverified_recipient), verify_clnt_update() (for delivery agents
 * reporting probe results) and verify_clnt_stat2name(). One kept connection
 * to private/$address_verify_service_name serves all requests of a process.
 *
 * A query of an unknown address makes the server send a probe and answer
 * DEL_RCPT_STAT_TODO ("in progress"); the caller may ask again later.
 *
 * Failure: a service that does not exist (no socket) fails at once, with
 * a warning; a broken exchange is tried once more on a new connection; when
 * that fails too, the request returns VRFY_STAT_FAIL after a warning, so
 * that the caller can defer instead of hanging. A reply status other than
 * VRFY_STAT_OK (the server refused the request) is returned as it is.
 */

#include <errno.h>
#include <unistd.h>

#include "attr.h"
#include "clnt_stream.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "verify_clnt.h"

#define VERIFY_CLNT_TRIES 2

static CLNT_STREAM *verify_stream;

/* verify_clnt_handshake - the server must announce the verification protocol */
static int verify_clnt_handshake(VSTREAM *stream)
{
    return (attr_scan(stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY), ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/* verify_clnt_access - the kept connection, made on first use */
static VSTREAM *verify_clnt_access(void)
{
    if (verify_stream == 0)
        verify_stream = clnt_stream_create(MAIL_CLASS_PRIVATE, var_address_verify_service_name,
                                           var_ipc_idle, var_ipc_ttl, verify_clnt_handshake);
    return (clnt_stream_access(verify_stream));
}

/* verify_clnt_missing - no such service: warn, so that the caller fails at once */
static int verify_clnt_missing(void)
{
    /* A mail system without the service should not make its clients wait. */
    if (access(mail_service_path(MAIL_CLASS_PRIVATE, var_address_verify_service_name), F_OK) == 0)
        return (0);
    msg_warn("problem talking to service %s: %m", var_address_verify_service_name);
    return (1);
}

/* verify_clnt_failed - warn about a broken exchange; 1 when it is worth another try */
static int verify_clnt_failed(int attempt)
{
    /* A first EPIPE/ENOENT on a kept connection is usually the server's idle exit. */
    if (msg_verbose || attempt > 1 || (errno != 0 && errno != EPIPE && errno != ENOENT))
        msg_warn("problem talking to service %s: %m", var_address_verify_service_name);
    if (verify_stream)
        clnt_stream_recover(verify_stream);
    if (attempt >= VERIFY_CLNT_TRIES)
        return (0);
    sleep(1);
    return (1);
}

/* verify_clnt_query - status and reason of an address */
int verify_clnt_query(const char *addr, int *addr_status, VSTRING *why)
{
    VSTREAM *stream;
    int request_status;
    int attempt;

    if (verify_clnt_missing())
        return (VRFY_STAT_FAIL);
    for (attempt = 1; /* see below */; attempt++) {
        errno = 0;
        if ((stream = verify_clnt_access()) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, VRFY_REQ_QUERY),
                       SEND_ATTR_STR(MAIL_ATTR_ADDR, addr), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &request_status),
                      RECV_ATTR_INT(MAIL_ATTR_ADDR_STATUS, addr_status),
                      RECV_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END) == 3)
            break;
        if (!verify_clnt_failed(attempt))
            return (VRFY_STAT_FAIL);
    }
    if (request_status == VRFY_STAT_OK && verify_clnt_stat2name(*addr_status) == 0) {
        msg_warn("bad address verification status %d for %s from %s", *addr_status, addr,
                 var_address_verify_service_name);
        return (VRFY_STAT_BAD);
    }
    if (msg_verbose)
        msg_info("verify_clnt_query: %s: request_status=%d addr_status=%d why=%s", addr,
                 request_status, *addr_status, vstring_str(why));
    return (request_status);
}

/* verify_clnt_update - record the outcome of a probe */
int verify_clnt_update(const char *addr, int addr_status, const char *why)
{
    VSTREAM *stream;
    int request_status;
    int attempt;

    if (verify_clnt_stat2name(addr_status) == 0)
        msg_panic("verify_clnt_update: bad address status %d", addr_status);
    if (verify_clnt_missing())
        return (VRFY_STAT_FAIL);
    for (attempt = 1; /* see below */; attempt++) {
        errno = 0;
        if ((stream = verify_clnt_access()) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, VRFY_REQ_UPDATE),
                       SEND_ATTR_STR(MAIL_ATTR_ADDR, addr),
                       SEND_ATTR_INT(MAIL_ATTR_ADDR_STATUS, addr_status),
                       SEND_ATTR_STR(MAIL_ATTR_WHY, why), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_MISSING, RECV_ATTR_INT(MAIL_ATTR_STATUS, &request_status),
                      ATTR_TYPE_END) == 1)
            break;
        if (!verify_clnt_failed(attempt))
            return (VRFY_STAT_FAIL);
    }
    if (msg_verbose)
        msg_info("verify_clnt_update: %s: addr_status=%d why=%s -> %d", addr, addr_status, why,
                 request_status);
    return (request_status);
}

/* verify_clnt_stat2name - name of an address status, null when invalid */
const char *verify_clnt_stat2name(int addr_status)
{
    switch (addr_status) {
    case DEL_RCPT_STAT_OK:
        return ("deliverable");
    case DEL_RCPT_STAT_DEFER:
        return ("undeliverable");
    case DEL_RCPT_STAT_BOUNCE:
        return ("undeliverable");
    case DEL_RCPT_STAT_TODO:
        return ("in progress");
    default:
        return (0);
    }
}
