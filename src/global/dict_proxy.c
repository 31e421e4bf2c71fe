/*
 * dict_proxy - client side of the "proxy:" table type.
 *
 * Exports dict_proxy_open(). A table "proxy:type:name" is served by the
 * proxymap daemon when opened read-only and by its proxywrite twin when
 * opened read-write; the table itself is opened once, in the daemon, and
 * shared by every client. One kept connection per service (clnt_stream) is
 * shared by all proxy tables of a process. The open request asks the server
 * whether the table is approved (proxy_read_maps / proxy_write_maps) and
 * what kind of table it is (fixed-string or pattern).
 *
 * The client needs the mail system's parameters (service names, queue
 * directory, time limits); a program that has not loaded them (postmap and
 * postalias read main.cf their own way) gets them loaded on first use.
 *
 * A table that must not be proxied (DICT_FLAG_NO_PROXY: the caller uses it
 * for security-sensitive data) is opened directly instead, so that one
 * main.cf setting serves sensitive and ordinary programs alike.
 *
 * Failure: a broken connection is retried once a second with a warning
 * (the service is part of this mail system; clnt_stream gives up fatally
 * when it stays away). A table that the server refuses to serve, or a
 * request it calls malformed, is fatal with Postfix's text, as that is a
 * configuration error the program cannot work around. Temporary and
 * configuration errors of the table itself come back in dict->error.
 */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "clnt_stream.h"
#include "dict_proxy.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

typedef struct DICT_PROXY {
    DICT dict;           /* generic members; dict.name is "type:name" */
    CLNT_STREAM *clnt;   /* shared connection to the service */
    const char *service; /* proxymap or proxywrite */
    int inst_flags;      /* request flags sent with every request */
    VSTRING *reskey;     /* sequence: last key */
    VSTRING *result;     /* lookup/sequence: last value */
} DICT_PROXY;

static CLNT_STREAM *proxymap_stream;
static CLNT_STREAM *proxywrite_stream;

/* dict_proxy_handshake - the server must announce the proxymap protocol */
static int dict_proxy_handshake(VSTREAM *stream)
{
    return (attr_scan(stream, ATTR_FLAG_STRICT,
                      RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_PROXYMAP),
                      ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/* dict_proxy_retry - warn about a broken exchange and start over */
static void dict_proxy_retry(DICT_PROXY *dp, const char *myname)
{
    /* EPIPE/ENOENT on a kept connection is usually the server's idle exit. */
    if (msg_verbose || (errno != EPIPE && errno != ENOENT))
        msg_warn("%s: service %s: %m", myname, dp->service);
    clnt_stream_recover(dp->clnt);
    sleep(1);
}

/* dict_proxy_refused - the server does not serve this table: fatal */
static void __attribute__((noreturn)) dict_proxy_refused(DICT_PROXY *dp)
{
    msg_fatal("%s service is not configured for table \"%s\"", dp->service, dp->dict.name);
}

/* dict_proxy_error - table error code for a failure status */
static int dict_proxy_error(int status)
{
    return (status == PROXY_STAT_CONFIG ? DICT_ERR_CONFIG : DICT_ERR_RETRY);
}

/* dict_proxy_lookup - one lookup through the server */
static const char *dict_proxy_lookup(DICT *dict, const char *key)
{
    const char *myname = "dict_proxy_lookup";
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    VSTREAM *stream;
    int status;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, PROXY_REQ_LOOKUP),
                       SEND_ATTR_STR(MAIL_ATTR_TABLE, dict->name),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags),
                       SEND_ATTR_STR(MAIL_ATTR_KEY, key), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                      RECV_ATTR_STR(MAIL_ATTR_VALUE, dp->result), ATTR_TYPE_END) == 2)
            break;
        dict_proxy_retry(dp, myname);
    }
    if (msg_verbose)
        msg_info("%s: table=%s flags=%s key=%s -> status=%d result=%s", myname, dict->name,
                 dict_flags_str(dp->inst_flags), key, status, vstring_str(dp->result));
    switch (status) {
    case PROXY_STAT_OK:
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, vstring_str(dp->result));
    case PROXY_STAT_NOKEY:
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, (const char *)0);
    case PROXY_STAT_RETRY:
    case PROXY_STAT_CONFIG:
        DICT_ERR_VAL_RETURN(dict, dict_proxy_error(status), (const char *)0);
    case PROXY_STAT_BAD:
        msg_fatal("%s lookup failed for table \"%s\" key \"%s\": invalid request", dp->service,
                  dict->name, key);
    case PROXY_STAT_DENY:
        dict_proxy_refused(dp);
    default:
        msg_warn("%s lookup failed for table \"%s\" key \"%s\": unexpected status %d", dp->service,
                 dict->name, key, status);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, (const char *)0);
    }
}

/* dict_proxy_change_status - DICT_STAT_* for an update or delete reply */
static int dict_proxy_change_status(DICT_PROXY *dp, const char *what, const char *key, int status)
{
    switch (status) {
    case PROXY_STAT_OK:
        DICT_ERR_VAL_RETURN(&dp->dict, DICT_ERR_NONE, DICT_STAT_SUCCESS);
    case PROXY_STAT_NOKEY:
        DICT_ERR_VAL_RETURN(&dp->dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    case PROXY_STAT_RETRY:
    case PROXY_STAT_CONFIG:
        DICT_ERR_VAL_RETURN(&dp->dict, dict_proxy_error(status), DICT_STAT_ERROR);
    case PROXY_STAT_BAD:
        msg_fatal("%s %s failed for table \"%s\" key \"%s\": invalid request", dp->service, what,
                  dp->dict.name, key);
    case PROXY_STAT_DENY:
        dict_proxy_refused(dp);
    default:
        msg_warn("%s %s failed for table \"%s\" key \"%s\": unexpected status %d", dp->service,
                 what, dp->dict.name, key, status);
        DICT_ERR_VAL_RETURN(&dp->dict, DICT_ERR_RETRY, DICT_STAT_ERROR);
    }
}

/* dict_proxy_update - store one entry through the server */
static int dict_proxy_update(DICT *dict, const char *key, const char *value)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    VSTREAM *stream;
    int status;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, PROXY_REQ_UPDATE),
                       SEND_ATTR_STR(MAIL_ATTR_TABLE, dict->name),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags),
                       SEND_ATTR_STR(MAIL_ATTR_KEY, key), SEND_ATTR_STR(MAIL_ATTR_VALUE, value),
                       ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                      ATTR_TYPE_END) == 1)
            break;
        dict_proxy_retry(dp, "dict_proxy_update");
    }
    if (msg_verbose)
        msg_info("dict_proxy_update: table=%s key=%s value=%s -> status=%d", dict->name, key, value,
                 status);
    return (dict_proxy_change_status(dp, "update", key, status));
}

/* dict_proxy_delete - remove one entry through the server */
static int dict_proxy_delete(DICT *dict, const char *key)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    VSTREAM *stream;
    int status;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, PROXY_REQ_DELETE),
                       SEND_ATTR_STR(MAIL_ATTR_TABLE, dict->name),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags),
                       SEND_ATTR_STR(MAIL_ATTR_KEY, key), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                      ATTR_TYPE_END) == 1)
            break;
        dict_proxy_retry(dp, "dict_proxy_delete");
    }
    if (msg_verbose)
        msg_info("dict_proxy_delete: table=%s key=%s -> status=%d", dict->name, key, status);
    return (dict_proxy_change_status(dp, "delete", key, status));
}

/* dict_proxy_sequence - first or next entry, as the server walks the table */
static int dict_proxy_sequence(DICT *dict, int function, const char **key, const char **value)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    VSTREAM *stream;
    int status;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, PROXY_REQ_SEQUENCE),
                       SEND_ATTR_STR(MAIL_ATTR_TABLE, dict->name),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags),
                       SEND_ATTR_INT(MAIL_ATTR_FUNC, function), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                      RECV_ATTR_STR(MAIL_ATTR_KEY, dp->reskey),
                      RECV_ATTR_STR(MAIL_ATTR_VALUE, dp->result), ATTR_TYPE_END) == 3)
            break;
        dict_proxy_retry(dp, "dict_proxy_sequence");
    }
    if (msg_verbose)
        msg_info("dict_proxy_sequence: table=%s function=%d -> status=%d key=%s value=%s",
                 dict->name, function, status, vstring_str(dp->reskey), vstring_str(dp->result));
    switch (status) {
    case PROXY_STAT_OK:
        *key = vstring_str(dp->reskey);
        *value = vstring_str(dp->result);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_SUCCESS);
    case PROXY_STAT_NOKEY:
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    case PROXY_STAT_RETRY:
    case PROXY_STAT_CONFIG:
        DICT_ERR_VAL_RETURN(dict, dict_proxy_error(status), DICT_STAT_ERROR);
    case PROXY_STAT_BAD:
        msg_fatal("%s sequence failed for table \"%s\" function %d: invalid request", dp->service,
                  dict->name, function);
    case PROXY_STAT_DENY:
        dict_proxy_refused(dp);
    default:
        msg_warn("%s sequence failed for table \"%s\" function %d: unexpected status %d",
                 dp->service, dict->name, function, status);
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_RETRY, DICT_STAT_ERROR);
    }
}

/* dict_proxy_close - forget the table; the shared connection stays */
static void dict_proxy_close(DICT *dict)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;

    vstring_free(dp->reskey);
    vstring_free(dp->result);
    dict_free(dict);
}

/* dict_proxy_server_open - ask the server to open the table; its flags */
static int dict_proxy_server_open(DICT_PROXY *dp)
{
    VSTREAM *stream;
    int status;
    int server_flags;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 &&
            attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_REQ, PROXY_REQ_OPEN),
                       SEND_ATTR_STR(MAIL_ATTR_TABLE, dp->dict.name),
                       SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags), ATTR_TYPE_END) == 0 &&
            vstream_fflush(stream) == 0 &&
            attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &status),
                      RECV_ATTR_INT(MAIL_ATTR_FLAGS, &server_flags), ATTR_TYPE_END) == 2) {
            if (msg_verbose)
                msg_info("dict_proxy_open: table=%s flags=%s -> status=%d server_flags=%s",
                         dp->dict.name, dict_flags_str(dp->inst_flags), status,
                         dict_flags_str(server_flags));
            switch (status) {
            case PROXY_STAT_BAD:
                msg_fatal("%s open failed for table \"%s\": invalid request", dp->service,
                          dp->dict.name);
            case PROXY_STAT_DENY:
                dict_proxy_refused(dp);
            case PROXY_STAT_OK:
                return (server_flags);
            default:
                msg_warn("%s open failed for table \"%s\": unexpected status %d", dp->service,
                         dp->dict.name, status);
            }
        }
        dict_proxy_retry(dp, "dict_proxy_open");
    }
}

/* dict_proxy_open - open a table that lives in the proxymap server */
DICT *dict_proxy_open(const char *map, int open_flags, int dict_flags)
{
    DICT_PROXY *dp;
    CLNT_STREAM **clnt;
    const char *service;
    int server_flags;

    if (dict_flags & DICT_FLAG_NO_PROXY)
        return (dict_open(map, open_flags, dict_flags));
    /* postmap and postalias read main.cf their own way; the client needs it all. */
    if (var_proxymap_service_name == 0)
        mail_conf_read();
    if (open_flags == O_RDONLY) {
        service = var_proxymap_service_name;
        clnt = &proxymap_stream;
    } else if ((open_flags & O_ACCMODE) == O_RDWR) {
        service = var_proxywrite_service_name;
        clnt = &proxywrite_stream;
    } else {
        msg_fatal("%s: %s map open requires O_RDONLY or O_RDWR mode", map, DICT_TYPE_PROXY);
    }
    if (*clnt == 0)
        *clnt = clnt_stream_create(MAIL_CLASS_PRIVATE, service, var_ipc_idle, var_ipc_ttl,
                                   dict_proxy_handshake);
    dp = (DICT_PROXY *)dict_alloc(DICT_TYPE_PROXY, map, sizeof(*dp));
    dp->dict.lookup = dict_proxy_lookup;
    dp->dict.update = dict_proxy_update;
    dp->dict.delete = dict_proxy_delete;
    dp->dict.sequence = dict_proxy_sequence;
    dp->dict.close = dict_proxy_close;
    dp->clnt = *clnt;
    dp->service = service;
    dp->inst_flags = dict_flags & DICT_FLAG_RQST_MASK;
    dp->reskey = vstring_alloc(10);
    dp->result = vstring_alloc(10);
    /* The table is trusted as far as the daemon is: not at all for privileges. */
    dp->dict.owner.status = DICT_OWNER_UNKNOWN;
    server_flags = dict_proxy_server_open(dp);
    dp->dict.flags = (dict_flags & ~DICT_FLAG_IMPL_MASK) | (server_flags & DICT_FLAG_IMPL_MASK);
    return (&dp->dict);
}
