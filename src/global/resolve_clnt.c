/*
 * resolve_clnt - client of trivial-rewrite's "resolve" and "verify" requests.
 *
 * Request:  request=resolve|verify, sender=<internal form>, address=<internal form>
 * Reply:    flags=<server flags>, transport=, nexthop=, recipient=, flags=<resolve flags>
 *
 * The connection is the one rewrite_clnt keeps (same service, same
 * announcement check). Non-zero server flags ask the client to reconnect
 * for its next request. A one-entry cache (30 seconds) answers repeated
 * questions: qmgr and smtpd ask about the same recipient in a row.
 *
 * Exports resolve_clnt_init(), resolve_clnt_free(), resolve_clnt() and the
 * query/verify macros in the header.
 * Failure: a broken exchange, or a reply without transport or next hop,
 * is retried once per second with a warning until the server answers.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "resolve_clnt.h"
#include "rewrite_clnt.h"

#define RESOLVE_CACHE_TTL 30

/* resolve_clnt_init - a reply with empty fields */
void resolve_clnt_init(RESOLVE_REPLY *reply)
{
    reply->transport = vstring_alloc(100);
    reply->nexthop = vstring_alloc(100);
    reply->recipient = vstring_alloc(100);
    reply->flags = 0;
}

/* resolve_clnt_free - release the reply's strings */
void resolve_clnt_free(RESOLVE_REPLY *reply)
{
    vstring_free(reply->transport);
    vstring_free(reply->nexthop);
    vstring_free(reply->recipient);
    reply->transport = reply->nexthop = reply->recipient = 0;
}

/* resolve_clnt_copy - copy one reply into another */
static void resolve_clnt_copy(RESOLVE_REPLY *dst, const RESOLVE_REPLY *src)
{
    vstring_strcpy(dst->transport, vstring_str(src->transport));
    vstring_strcpy(dst->nexthop, vstring_str(src->nexthop));
    vstring_strcpy(dst->recipient, vstring_str(src->recipient));
    dst->flags = src->flags;
}

/* resolve_clnt_exchange - one request/reply; 1 when a usable reply came */
static int resolve_clnt_exchange(const char *request, const char *sender, const char *addr,
                                 RESOLVE_REPLY *reply)
{
    VSTREAM *stream;
    int server_flags;

    stream = clnt_stream_access(rewrite_clnt_stream());
    if (stream == 0 ||
        attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, request),
                   SEND_ATTR_STR(MAIL_ATTR_SENDER, sender), SEND_ATTR_STR(MAIL_ATTR_ADDR, addr),
                   ATTR_TYPE_END) != 0 ||
        vstream_fflush(stream) != 0 ||
        attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &server_flags),
                  RECV_ATTR_STR(MAIL_ATTR_TRANSPORT, reply->transport),
                  RECV_ATTR_STR(MAIL_ATTR_NEXTHOP, reply->nexthop),
                  RECV_ATTR_STR(MAIL_ATTR_RECIP, reply->recipient),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &reply->flags), ATTR_TYPE_END) != 5)
        return (0);
    if (server_flags != 0)
        clnt_stream_recover(rewrite_clnt_stream());
    if (VSTRING_LEN(reply->transport) == 0) {
        msg_warn("resolve_clnt: null transport result for: <%s>", addr);
        return (0);
    }
    if (VSTRING_LEN(reply->nexthop) == 0) {
        msg_warn("resolve_clnt: null nexthop result for: <%s>", addr);
        return (0);
    }
    if (VSTRING_LEN(reply->recipient) == 0 && *addr != 0) {
        msg_warn("resolve_clnt: null recipient result for: <%s>", addr);
        return (0);
    }
    return (1);
}

/* resolve_clnt - resolve an address, from the cache when possible */
void resolve_clnt(const char *request, const char *sender, const char *addr, RESOLVE_REPLY *reply)
{
    static VSTRING *last_request;
    static VSTRING *last_sender;
    static VSTRING *last_addr;
    static RESOLVE_REPLY last_reply;
    static time_t last_expire;
    int attempts = 0;

    if (addr == vstring_str(reply->recipient))
        msg_panic("resolve_clnt: result overwrites input");
    if (last_request == 0) {
        last_request = vstring_alloc(10);
        last_sender = vstring_alloc(100);
        last_addr = vstring_alloc(100);
        resolve_clnt_init(&last_reply);
    }
    if (time((time_t *)0) < last_expire && strcmp(addr, vstring_str(last_addr)) == 0 &&
        strcmp(request, vstring_str(last_request)) == 0 &&
        strcmp(sender, vstring_str(last_sender)) == 0) {
        resolve_clnt_copy(reply, &last_reply);
        if (msg_verbose)
            msg_info("resolve_clnt: cached: `%s' -> `%s' -> transp=`%s' host=`%s' rcpt=`%s' "
                     "flags=0x%x",
                     sender, addr, vstring_str(reply->transport), vstring_str(reply->nexthop),
                     vstring_str(reply->recipient), reply->flags);
        return;
    }
    for (;;) {
        errno = 0;
        attempts++;
        if (resolve_clnt_exchange(request, sender, addr, reply))
            break;
        if (msg_verbose || attempts > 1 || (errno != 0 && errno != EPIPE && errno != ENOENT))
            msg_warn("problem talking to service %s: %m", var_rewrite_service_name);
        clnt_stream_recover(rewrite_clnt_stream());
        sleep(1);
    }
    if (msg_verbose)
        msg_info("resolve_clnt: `%s' -> `%s' -> transp=`%s' host=`%s' rcpt=`%s' flags=0x%x", sender,
                 addr, vstring_str(reply->transport), vstring_str(reply->nexthop),
                 vstring_str(reply->recipient), reply->flags);
    vstring_strcpy(last_request, request);
    vstring_strcpy(last_sender, sender);
    vstring_strcpy(last_addr, addr);
    resolve_clnt_copy(&last_reply, reply);
    last_expire = time((time_t *)0) + RESOLVE_CACHE_TTL;
}
