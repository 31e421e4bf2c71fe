/*
 * rewrite_clnt - client of trivial-rewrite's "rewrite" request.
 *
 * Request:  request=rewrite, rule=<context>, address=<external form>
 * Reply:    flags=<server flags>, address=<rewritten, external form>
 *
 * The server announces itself with protocol=trivial_rewrite_protocol on
 * each new connection. Non-zero server flags mean the server is going
 * away (its tables changed), so the connection is dropped after the reply.
 * A one-entry cache answers repeated questions (cleanup asks about the
 * same sender over and over) for 30 seconds.
 *
 * Exports rewrite_clnt(), rewrite_clnt_internal(), rewrite_clnt_stream().
 * Failure: a broken exchange is retried once per second with a warning,
 * for ever: without rewriting there is nothing sensible the caller can do.
 */

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "quote_822_local.h"
#include "rewrite_clnt.h"

#define REWRITE_CACHE_TTL 30

static CLNT_STREAM *shared_stream;

/* rewrite_clnt_handshake - check the server's announcement */
static int rewrite_clnt_handshake(VSTREAM *stream)
{
    return (attr_scan(stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_TRIVIAL), ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/* rewrite_clnt_stream - the connection to the rewrite service, made on first use */
CLNT_STREAM *rewrite_clnt_stream(void)
{
    if (shared_stream == 0)
        shared_stream = clnt_stream_create(MAIL_CLASS_PRIVATE, var_rewrite_service_name,
                                           var_ipc_idle, var_ipc_ttl, rewrite_clnt_handshake);
    return (shared_stream);
}

/* rewrite_clnt - rewrite an address in external form */
VSTRING *rewrite_clnt(const char *rule, const char *addr, VSTRING *result)
{
    static VSTRING *last_rule;
    static VSTRING *last_addr;
    static VSTRING *last_result;
    static time_t last_expire;
    VSTREAM *stream;
    int server_flags;
    int attempts = 0;

    if (addr == vstring_str(result))
        msg_panic("rewrite_clnt: result overwrites input");
    if (last_rule == 0) {
        last_rule = vstring_alloc(10);
        last_addr = vstring_alloc(100);
        last_result = vstring_alloc(100);
    }
    if (time((time_t *)0) < last_expire && strcmp(addr, vstring_str(last_addr)) == 0 &&
        strcmp(rule, vstring_str(last_rule)) == 0) {
        vstring_strcpy(result, vstring_str(last_result));
        if (msg_verbose)
            msg_info("rewrite_clnt: cached: %s: %s -> %s", rule, addr, vstring_str(result));
        return (result);
    }
    for (;;) {
        errno = 0;
        attempts++;
        stream = clnt_stream_access(rewrite_clnt_stream());
        if (stream != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, REWRITE_ADDR),
                       SEND_ATTR_STR(MAIL_ATTR_RULE, rule), SEND_ATTR_STR(MAIL_ATTR_ADDR, addr),
                       ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_FLAGS, &server_flags),
                      RECV_ATTR_STR(MAIL_ATTR_ADDR, result), ATTR_TYPE_END) == 2) {
            if (msg_verbose)
                msg_info("rewrite_clnt: %s: %s -> %s", rule, addr, vstring_str(result));
            if (server_flags != 0)
                clnt_stream_recover(rewrite_clnt_stream());
            break;
        }
        /* A first failure on a kept connection is usually the server's idle exit. */
        if (msg_verbose || attempts > 1 || (errno != 0 && errno != EPIPE && errno != ENOENT))
            msg_warn("problem talking to service %s: %m", var_rewrite_service_name);
        clnt_stream_recover(rewrite_clnt_stream());
        sleep(1);
    }
    vstring_strcpy(last_rule, rule);
    vstring_strcpy(last_addr, addr);
    vstring_strcpy(last_result, vstring_str(result));
    last_expire = time((time_t *)0) + REWRITE_CACHE_TTL;
    return (result);
}

/* rewrite_clnt_internal - rewrite an address in internal form */
VSTRING *rewrite_clnt_internal(const char *rule, const char *addr, VSTRING *result)
{
    VSTRING *src = vstring_alloc(100);
    VSTRING *dst = vstring_alloc(100);

    /* The empty address has no local part to quote and must stay empty. */
    if (*addr) {
        quote_822_local(src, addr);
        rewrite_clnt(rule, vstring_str(src), dst);
        unquote_822_local(result, vstring_str(dst));
    } else {
        rewrite_clnt(rule, addr, dst);
        vstring_strcpy(result, vstring_str(dst));
    }
    vstring_free(src);
    vstring_free(dst);
    return (result);
}
