/*
 * smtp_reuse - keep good SMTP/LMTP sessions in the scache(8) connection
 * cache and take them out again, possibly in another smtp process.
 *
 * A session is saved under its endpoint label ("smtp:192.0.2.1:25",
 * "lmtp:/path") with its properties (names, port, features, size limit,
 * use count, reuse deadline), and, the first time in a delivery request,
 * also under the logical next hop ("smtp:example.com:25",
 * "smtp:[relay]:25"), so that the next request for that next hop can skip
 * the DNS and the handshake. The session is handed over as a descriptor
 * (unix_pass_fd.h) in Postfix's request sequence (scache_proto.h); the
 * cache answers "not found" for anything expired.
 *
 * Exports smtp_reuse_dest(), smtp_reuse_endp(), smtp_save_session() and
 * smtp_endp_label(). Cache trouble is never fatal: it is logged and the
 * client connects afresh (reuse returns 0, save returns -1).
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "clnt_stream.h"
#include "htable.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "scache_proto.h"
#include "smtp.h"
#include "stringops.h"
#include "unix_pass_fd.h"

static CLNT_STREAM *scache_clnt;

/* smtp_scache_handshake - check the cache's announcement */
static int smtp_scache_handshake(VSTREAM *stream)
{
    return (attr_scan(stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_SCACHE), ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/* smtp_scache_stream - the kept-open connection to the cache */
static VSTREAM *smtp_scache_stream(void)
{
    VSTREAM *stream;

    if (scache_clnt == 0)
        scache_clnt = clnt_stream_create(MAIL_CLASS_PRIVATE, var_connection_cache_service_name,
                                         var_ipc_idle, var_ipc_ttl, smtp_scache_handshake);
    if ((stream = clnt_stream_access(scache_clnt)) != 0)
        vstream_set_timeout(stream, var_connection_cache_protocol_timeout);
    return (stream);
}

/* smtp_endp_label - the cache key of a physical endpoint */
const char *smtp_endp_label(VSTRING *buf, const char *addr, unsigned port)
{
    vstring_sprintf(buf, "%s:%s:%u", smtp_cfg.lmtp ? "lmtp" : "smtp", addr, port);
    return (vstring_str(buf));
}

/* smtp_session_props - a session's properties as text */
static const char *smtp_session_props(VSTRING *buf, SMTP_SESSION *session)
{
    vstring_sprintf(buf, "%s\n%s\n%u\n%d\n%ld\n%d\n%ld", session->host, session->addr,
                    session->port, session->features & ~SMTP_FEATURE_FROM_CACHE,
                    session->size_limit, session->reuse_count, (long)session->expire_time);
    return (vstring_str(buf));
}

/* smtp_session_from_props - rebuild a session around a cached descriptor */
static SMTP_SESSION *smtp_session_from_props(int fd, const char *props)
{
    char *copy = mystrdup(props);
    char *fields[7];
    char *bp = copy;
    SMTP_SESSION *session;
    int n;

    for (n = 0; n < 7; n++) {
        fields[n] = bp;
        if (n < 6) {
            if ((bp = strchr(bp, '\n')) == 0) {
                myfree(copy);
                return (0);
            }
            *bp++ = 0;
        }
    }
    session =
        smtp_session_alloc(vstream_fdopen(fd, O_RDWR), fields[0], fields[1],
                           (unsigned)atoi(fields[2]), atoi(fields[5]), (time_t)atol(fields[6]));
    session->features = atoi(fields[3]) | SMTP_FEATURE_FROM_CACHE;
    session->size_limit = atol(fields[4]);
    myfree(copy);
    return (session);
}

/* smtp_scache_dummy - send the placeholder list that paces descriptor passing */
static int smtp_scache_dummy(VSTREAM *stream)
{
    return (attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(SCACHE_ATTR_DUMMY, ""),
                       ATTR_TYPE_END) != 0 ||
                    vstream_fflush(stream) != 0
                ? -1
                : 0);
}

/* smtp_scache_recv_fd - after a "found" reply: say ready, receive, confirm */
static int smtp_scache_recv_fd(VSTREAM *stream)
{
    int fd;

    if (smtp_scache_dummy(stream) < 0 ||
        read_wait(vstream_fileno(stream), var_connection_cache_protocol_timeout) < 0 ||
        (fd = unix_recv_fd(vstream_fileno(stream))) < 0)
        return (-1);
    /* The confirmation lets the cache close its copy; it needs no answer. */
    (void)smtp_scache_dummy(stream);
    return (fd);
}

/* smtp_reuse_finish - check a cached session before use */
static SMTP_SESSION *smtp_reuse_finish(SMTP_STATE *state, int fd, const char *props)
{
    SMTP_SESSION *session;

    /* A server that hung up (or talks out of turn) is of no use. */
    if (readable(fd)) {
        close(fd);
        return (0);
    }
    if ((session = smtp_session_from_props(fd, props)) == 0) {
        msg_warn("malformed connection cache properties: %s", props);
        close(fd);
        return (0);
    }
    non_blocking(fd, BLOCKING);
    close_on_exec(fd, CLOSE_ON_EXEC);
    smtp_endp_label(state->buf, session->addr, session->port);
    session->endp_label = mystrdup(vstring_str(state->buf));
    htable_enter(state->cache_used, session->endp_label, (void *)0);
    return (session);
}

/* smtp_reuse_lookup - one find request; the session or 0 */
static SMTP_SESSION *smtp_reuse_lookup(SMTP_STATE *state, const char *request, const char *label)
{
    VSTREAM *stream;
    VSTRING *prop = vstring_alloc(100);
    VSTRING *endp_prop = vstring_alloc(100);
    SMTP_SESSION *session = 0;
    int is_dest = (strcmp(request, SCACHE_REQ_FIND_DEST) == 0);
    int status = SCACHE_STAT_FAIL;
    int fd = -1;
    int got;

    if ((stream = smtp_scache_stream()) == 0)
        goto done;
    if (attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, request),
                   SEND_ATTR_STR(MAIL_ATTR_LABEL, label), ATTR_TYPE_END) != 0 ||
        vstream_fflush(stream) != 0) {
        msg_warn("problem talking to service %s: %m", var_connection_cache_service_name);
        clnt_stream_recover(scache_clnt);
        goto done;
    }
    if (is_dest)
        got = attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                        RECV_ATTR_STR(MAIL_ATTR_PROP, prop),
                        RECV_ATTR_STR(MAIL_ATTR_PROP, endp_prop), ATTR_TYPE_END) != 3;
    else
        got = attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                        RECV_ATTR_STR(MAIL_ATTR_PROP, endp_prop), ATTR_TYPE_END) != 2;
    if (got) {
        msg_warn("problem talking to service %s: malformed reply",
                 var_connection_cache_service_name);
        clnt_stream_recover(scache_clnt);
        goto done;
    }
    if (status != SCACHE_STAT_OK)
        goto done;
    if ((fd = smtp_scache_recv_fd(stream)) < 0) {
        msg_warn("problem receiving a connection from service %s: %m",
                 var_connection_cache_service_name);
        clnt_stream_recover(scache_clnt);
        goto done;
    }
    session = smtp_reuse_finish(state, fd, vstring_str(endp_prop));
    if (session && msg_verbose)
        msg_info("%s: reusing %s from the cache by %s", request, session->namaddrport, label);
done:
    vstring_free(prop);
    vstring_free(endp_prop);
    return (session);
}

/* smtp_reuse_dest - a cached session for the logical next hop */
SMTP_SESSION *smtp_reuse_dest(SMTP_STATE *state, const char *dest_label)
{
    return (smtp_reuse_lookup(state, SCACHE_REQ_FIND_DEST, dest_label));
}

/* smtp_reuse_endp - a cached session to this address and port */
SMTP_SESSION *smtp_reuse_endp(SMTP_STATE *state, const char *endp_label)
{
    return (smtp_reuse_lookup(state, SCACHE_REQ_FIND_ENDP, endp_label));
}

/* smtp_save_endp - hand the descriptor to the cache */
static int smtp_save_endp(VSTREAM *stream, const char *label, const char *props, int fd)
{
    VSTRING *dummy = vstring_alloc(10);
    int status = SCACHE_STAT_FAIL;
    int ok;

    ok = attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, SCACHE_REQ_SAVE_ENDP),
                    SEND_ATTR_INT(MAIL_ATTR_TTL, smtp_cfg.cache_time_limit),
                    SEND_ATTR_STR(MAIL_ATTR_LABEL, label), SEND_ATTR_STR(MAIL_ATTR_PROP, props),
                    ATTR_TYPE_END) == 0 &&
         vstream_fflush(stream) == 0 &&
         attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_STR(SCACHE_ATTR_DUMMY, dummy),
                   ATTR_TYPE_END) == 1 &&
         unix_send_fd(vstream_fileno(stream), fd) == 0 &&
         attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                   ATTR_TYPE_END) == 1;
    vstring_free(dummy);
    if (!ok)
        return (-1);
    if (status != SCACHE_STAT_OK && msg_verbose)
        msg_warn("%s: descriptor save failed with status %d", label, status);
    return (status == SCACHE_STAT_OK ? 0 : -1);
}

/* smtp_save_dest - remember which endpoint serves the logical next hop */
static int smtp_save_dest(VSTREAM *stream, const char *dest_label, const char *dest_prop,
                          const char *endp_label)
{
    int status = SCACHE_STAT_FAIL;

    if (attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, SCACHE_REQ_SAVE_DEST),
                   SEND_ATTR_INT(MAIL_ATTR_TTL, smtp_cfg.cache_time_limit),
                   SEND_ATTR_STR(MAIL_ATTR_LABEL, dest_label),
                   SEND_ATTR_STR(MAIL_ATTR_PROP, dest_prop),
                   SEND_ATTR_STR(MAIL_ATTR_LABEL, endp_label), ATTR_TYPE_END) != 0 ||
        vstream_fflush(stream) != 0 ||
        attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                  ATTR_TYPE_END) != 1)
        return (-1);
    return (status == SCACHE_STAT_OK ? 0 : -1);
}

/* smtp_save_session - give a good session to the cache; 0 when taken */
int smtp_save_session(SMTP_STATE *state, SMTP_SESSION *session)
{
    VSTREAM *stream;
    VSTRING *label = vstring_alloc(100);
    VSTRING *props = vstring_alloc(100);
    int result = -1;

    if ((stream = smtp_scache_stream()) == 0)
        goto done;
    vstream_fflush(session->stream);
    smtp_endp_label(label, session->addr, session->port);
    smtp_session_props(props, session);
    if (smtp_save_endp(stream, vstring_str(label), vstring_str(props),
                       vstream_fileno(session->stream)) < 0) {
        msg_warn("problem talking to service %s", var_connection_cache_service_name);
        clnt_stream_recover(scache_clnt);
        goto done;
    }
    result = 0;
    if (state->dest_label && !state->dest_saved && (session->features & SMTP_FEATURE_BEST_MX)) {
        if (smtp_save_dest(stream, state->dest_label, state->request->nexthop, vstring_str(label)) <
            0) {
            msg_warn("problem talking to service %s", var_connection_cache_service_name);
            clnt_stream_recover(scache_clnt);
        } else {
            state->dest_saved = 1;
        }
    }
done:
    vstring_free(label);
    vstring_free(props);
    return (result);
}
