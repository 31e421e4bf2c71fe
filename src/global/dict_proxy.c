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
#include <stdio.h>
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

/*
 * One request and its reply. Every request names the table and carries the
 * client's flags; lookup, update and delete add a key (update a value, too),
 * sequence adds a function. The reply always starts with a status.
 */
typedef struct DICT_PROXY_REQ {
    const char *name;  /* PROXY_REQ_* */
    const char *key;   /* lookup, update, delete */
    const char *value; /* update */
    int function;      /* sequence: DICT_SEQ_FUN_* */
    int status;        /* reply: PROXY_STAT_* */
    int server_flags;  /* open reply: the table's DICT_FLAG_* */
} DICT_PROXY_REQ;

/* dict_proxy_send - write one request; 0 on success */
static int dict_proxy_send(DICT_PROXY *dp, VSTREAM *stream, const DICT_PROXY_REQ *req)
{
    int rc;

    if (attr_print(stream, ATTR_FLAG_MORE, SEND_ATTR_STR(MAIL_ATTR_REQ, req->name),
                   SEND_ATTR_STR(MAIL_ATTR_TABLE, dp->dict.name),
                   SEND_ATTR_INT(MAIL_ATTR_FLAGS, dp->inst_flags), ATTR_TYPE_END) != 0)
        return (-1);
    if (strcmp(req->name, PROXY_REQ_UPDATE) == 0)
        rc = attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_KEY, req->key),
                        SEND_ATTR_STR(MAIL_ATTR_VALUE, req->value), ATTR_TYPE_END);
    else if (strcmp(req->name, PROXY_REQ_SEQUENCE) == 0)
        rc = attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_FUNC, req->function),
                        ATTR_TYPE_END);
    else if (strcmp(req->name, PROXY_REQ_OPEN) == 0)
        rc = attr_print(stream, ATTR_FLAG_NONE, ATTR_TYPE_END);
    else
        rc = attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_KEY, req->key),
                        ATTR_TYPE_END);
    return (rc == 0 ? vstream_fflush(stream) : -1);
}

/* dict_proxy_receive - read the reply to one request; 0 on success */
static int dict_proxy_receive(DICT_PROXY *dp, VSTREAM *stream, DICT_PROXY_REQ *req)
{
    if (strcmp(req->name, PROXY_REQ_LOOKUP) == 0)
        return (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &req->status),
                          RECV_ATTR_STR(MAIL_ATTR_VALUE, dp->result), ATTR_TYPE_END) == 2
                    ? 0
                    : -1);
    if (strcmp(req->name, PROXY_REQ_SEQUENCE) == 0)
        return (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &req->status),
                          RECV_ATTR_STR(MAIL_ATTR_KEY, dp->reskey),
                          RECV_ATTR_STR(MAIL_ATTR_VALUE, dp->result), ATTR_TYPE_END) == 3
                    ? 0
                    : -1);
    if (strcmp(req->name, PROXY_REQ_OPEN) == 0)
        return (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &req->status),
                          RECV_ATTR_INT(MAIL_ATTR_FLAGS, &req->server_flags), ATTR_TYPE_END) == 2
                    ? 0
                    : -1);
    return (attr_scan(stream, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_STATUS, &req->status),
                      ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/* dict_proxy_request - one exchange with the server, retried until it completes */
static void dict_proxy_request(DICT_PROXY *dp, DICT_PROXY_REQ *req, const char *myname)
{
    VSTREAM *stream;

    for (;;) {
        errno = 0;
        if ((stream = clnt_stream_access(dp->clnt)) != 0 && dict_proxy_send(dp, stream, req) == 0 &&
            dict_proxy_receive(dp, stream, req) == 0)
            return;
        dict_proxy_retry(dp, myname);
    }
}

/*
 * dict_proxy_status - DICT_ERR_* for the reply to a lookup, update, delete
 * or sequence request ("what" names it, "about" the key or function in
 * messages). NOKEY is no error; a refused or malformed request is fatal.
 */
static int dict_proxy_status(DICT_PROXY *dp, const char *what, const char *about, int status)
{
    switch (status) {
    case PROXY_STAT_OK:
    case PROXY_STAT_NOKEY:
        return (DICT_ERR_NONE);
    case PROXY_STAT_RETRY:
        return (DICT_ERR_RETRY);
    case PROXY_STAT_CONFIG:
        return (DICT_ERR_CONFIG);
    case PROXY_STAT_BAD:
        msg_fatal("%s %s failed for table \"%s\" %s: invalid request", dp->service, what,
                  dp->dict.name, about);
    case PROXY_STAT_DENY:
        dict_proxy_refused(dp);
    default:
        msg_warn("%s %s failed for table \"%s\" %s: unexpected status %d", dp->service, what,
                 dp->dict.name, about, status);
        return (DICT_ERR_RETRY);
    }
}

/* dict_proxy_key_status - dict_proxy_status() of a request about a key */
static int dict_proxy_key_status(DICT_PROXY *dp, const char *what, const char *key, int status)
{
    VSTRING *about;
    int err;

    if (status == PROXY_STAT_OK || status == PROXY_STAT_NOKEY)
        return (DICT_ERR_NONE);
    about = vstring_alloc(100);
    vstring_sprintf(about, "key \"%s\"", key);
    err = dict_proxy_status(dp, what, vstring_str(about), status);
    vstring_free(about);
    return (err);
}

/* dict_proxy_lookup - one lookup through the server */
static const char *dict_proxy_lookup(DICT *dict, const char *key)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    DICT_PROXY_REQ req = {.name = PROXY_REQ_LOOKUP, .key = key};
    int err;

    dict_proxy_request(dp, &req, "dict_proxy_lookup");
    if (msg_verbose)
        msg_info("%s: table=%s flags=%s key=%s -> status=%d result=%s", "dict_proxy_lookup",
                 dict->name, dict_flags_str(dp->inst_flags), key, req.status,
                 vstring_str(dp->result));
    err = dict_proxy_key_status(dp, "lookup", key, req.status);
    DICT_ERR_VAL_RETURN(dict, err, req.status == PROXY_STAT_OK ? vstring_str(dp->result) : 0);
}

/* dict_proxy_change_status - DICT_STAT_* for an update or delete reply */
static int dict_proxy_change_status(DICT_PROXY *dp, const char *what, const char *key, int status)
{
    int err = dict_proxy_key_status(dp, what, key, status);

    DICT_ERR_VAL_RETURN(&dp->dict, err,
                        err != DICT_ERR_NONE      ? DICT_STAT_ERROR
                        : status == PROXY_STAT_OK ? DICT_STAT_SUCCESS
                                                  : DICT_STAT_FAIL);
}

/* dict_proxy_update - store one entry through the server */
static int dict_proxy_update(DICT *dict, const char *key, const char *value)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    DICT_PROXY_REQ req = {.name = PROXY_REQ_UPDATE, .key = key, .value = value};

    dict_proxy_request(dp, &req, "dict_proxy_update");
    if (msg_verbose)
        msg_info("dict_proxy_update: table=%s key=%s value=%s -> status=%d", dict->name, key, value,
                 req.status);
    return (dict_proxy_change_status(dp, "update", key, req.status));
}

/* dict_proxy_delete - remove one entry through the server */
static int dict_proxy_delete(DICT *dict, const char *key)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    DICT_PROXY_REQ req = {.name = PROXY_REQ_DELETE, .key = key};

    dict_proxy_request(dp, &req, "dict_proxy_delete");
    if (msg_verbose)
        msg_info("dict_proxy_delete: table=%s key=%s -> status=%d", dict->name, key, req.status);
    return (dict_proxy_change_status(dp, "delete", key, req.status));
}

/* dict_proxy_sequence - first or next entry, as the server walks the table */
static int dict_proxy_sequence(DICT *dict, int function, const char **key, const char **value)
{
    DICT_PROXY *dp = (DICT_PROXY *)dict;
    DICT_PROXY_REQ req = {.name = PROXY_REQ_SEQUENCE, .function = function};
    char about[40];
    int err;

    dict_proxy_request(dp, &req, "dict_proxy_sequence");
    if (msg_verbose)
        msg_info("dict_proxy_sequence: table=%s function=%d -> status=%d key=%s value=%s",
                 dict->name, function, req.status, vstring_str(dp->reskey),
                 vstring_str(dp->result));
    snprintf(about, sizeof(about), "function %d", function);
    if ((err = dict_proxy_status(dp, "sequence", about, req.status)) != DICT_ERR_NONE)
        DICT_ERR_VAL_RETURN(dict, err, DICT_STAT_ERROR);
    if (req.status != PROXY_STAT_OK)
        DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_FAIL);
    *key = vstring_str(dp->reskey);
    *value = vstring_str(dp->result);
    DICT_ERR_VAL_RETURN(dict, DICT_ERR_NONE, DICT_STAT_SUCCESS);
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
    DICT_PROXY_REQ req = {.name = PROXY_REQ_OPEN};

    for (;;) {
        dict_proxy_request(dp, &req, "dict_proxy_open");
        if (msg_verbose)
            msg_info("dict_proxy_open: table=%s flags=%s -> status=%d server_flags=%s",
                     dp->dict.name, dict_flags_str(dp->inst_flags), req.status,
                     dict_flags_str(req.server_flags));
        switch (req.status) {
        case PROXY_STAT_BAD:
            msg_fatal("%s open failed for table \"%s\": invalid request", dp->service,
                      dp->dict.name);
        case PROXY_STAT_DENY:
            dict_proxy_refused(dp);
        case PROXY_STAT_OK:
            return (req.server_flags);
        default:
            /* Not an answer to an open request: start over, as after a broken exchange. */
            msg_warn("%s open failed for table \"%s\": unexpected status %d", dp->service,
                     dp->dict.name, req.status);
            dict_proxy_retry(dp, "dict_proxy_open");
        }
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
