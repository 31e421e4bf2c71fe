/*
 * rewrite_clnt - client of trivial-rewrite's "rewrite" request.
 *
 * Request:  request=rewrite, rule=<context>, address=<external form>
 * Reply:    flags=<server flags>, address=<rewritten, external form>
 *
 * The server announces itself with protocol=trivial_rewrite_protocol on
 * each new connection. Non-zero server flags mean the server is going
 * away (its tables changed), so the connection is dropped after the reply.
 * A small cache answers repeated questions for 30 seconds: cleanup asks
 * about the envelope sender and recipient and then about the same addresses
 * in From: and To:, so a single remembered answer would always miss. The
 * cache is emptied whenever the server asks the client to reconnect.
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
#define REWRITE_CACHE_SIZE 4

typedef struct {
    VSTRING *rule;
    VSTRING *addr;
    VSTRING *result;
    time_t expire; /* 0: empty slot */
} REWRITE_CACHE_ENTRY;

static CLNT_STREAM *shared_stream;
static REWRITE_CACHE_ENTRY rewrite_cache[REWRITE_CACHE_SIZE];
static int rewrite_cache_next; /* slot to replace next (round robin) */

/* rewrite_cache_find - a fresh cached answer for this question, or null */
static REWRITE_CACHE_ENTRY *rewrite_cache_find(const char *rule, const char *addr)
{
    time_t now = time((time_t *)0);
    REWRITE_CACHE_ENTRY *ent;

    for (ent = rewrite_cache; ent < rewrite_cache + REWRITE_CACHE_SIZE; ent++)
        if (ent->expire > now && strcmp(addr, vstring_str(ent->addr)) == 0 &&
            strcmp(rule, vstring_str(ent->rule)) == 0)
            return (ent);
    return (0);
}

/* rewrite_cache_store - remember an answer, replacing the oldest one */
static void rewrite_cache_store(const char *rule, const char *addr, const char *result)
{
    REWRITE_CACHE_ENTRY *ent = rewrite_cache + rewrite_cache_next;

    rewrite_cache_next = (rewrite_cache_next + 1) % REWRITE_CACHE_SIZE;
    if (ent->rule == 0) {
        ent->rule = vstring_alloc(10);
        ent->addr = vstring_alloc(100);
        ent->result = vstring_alloc(100);
    }
    vstring_strcpy(ent->rule, rule);
    vstring_strcpy(ent->addr, addr);
    vstring_strcpy(ent->result, result);
    ent->expire = time((time_t *)0) + REWRITE_CACHE_TTL;
}

/* rewrite_cache_flush - forget every answer (the server's tables changed) */
static void rewrite_cache_flush(void)
{
    int i;

    for (i = 0; i < REWRITE_CACHE_SIZE; i++)
        rewrite_cache[i].expire = 0;
}

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
    REWRITE_CACHE_ENTRY *cached;
    VSTREAM *stream;
    int server_flags;
    int attempts = 0;

    if (addr == vstring_str(result))
        msg_panic("rewrite_clnt: result overwrites input");
    if ((cached = rewrite_cache_find(rule, addr)) != 0) {
        vstring_strcpy(result, vstring_str(cached->result));
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
            if (server_flags != 0) {
                clnt_stream_recover(rewrite_clnt_stream());
                rewrite_cache_flush();
            }
            break;
        }
        /* A first failure on a kept connection is usually the server's idle exit. */
        if (msg_verbose || attempts > 1 || (errno != 0 && errno != EPIPE && errno != ENOENT))
            msg_warn("problem talking to service %s: %m", var_rewrite_service_name);
        clnt_stream_recover(rewrite_clnt_stream());
        sleep(1);
    }
    rewrite_cache_store(rule, addr, vstring_str(result));
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
