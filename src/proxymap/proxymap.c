/*
 * proxymap - the lookup table server behind "proxy:" tables.
 *
 * One program, two services: under the master.cf name "proxymap" it serves
 * lookups, opens and sequences of the tables listed (as proxy:type:name) in
 * proxy_read_maps; under "proxywrite" it also serves updates and deletes,
 * for the tables listed in proxy_write_maps. Each table is opened once per
 * combination of name and request flags and shared by every client for the
 * life of the process; there is no close request.
 *
 * Requests and replies are attribute lists (see dict_proxy.h); the server
 * announces protocol=proxymap_protocol on each new connection. A table that
 * is not approved gets status DENY and two warnings saying what to list
 * where; a malformed request gets status BAD.
 *
 * The read-only service exits (and is restarted by the master) when a
 * table file it has open changed on disk, so that clients see new data.
 * The read-write service runs in its own process group, so that "postfix
 * stop" does not interrupt it in the middle of an update.
 *
 * Failure: a table that cannot be opened is kept as a surrogate that
 * reports a configuration error for every request (status CONFIG); a wrong
 * service name is fatal.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attr.h"
#include "dict.h"
#include "dict_proxy.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#define STR(x) vstring_str(x)
#define PROXY_COLON DICT_TYPE_PROXY ":"
#define PROXY_COLON_LEN (sizeof(PROXY_COLON) - 1)

static int proxy_writer;             /* serving proxywrite */
static HTABLE *proxy_auth_maps;      /* approved "type:name" */
static VSTRING *request;             /* request name */
static VSTRING *request_map;         /* table as the client named it */
static VSTRING *request_key;         /* lookup/update/delete key */
static VSTRING *request_value;       /* update value */
static VSTRING *map_type_name_flags; /* registry name: table and flags */

/* proxymap_find - the shared open table for a request, or null with *statp set */
static DICT *proxymap_find(const char *map, int request_flags, int *statp)
{
    DICT *dict;
    int open_flags = proxy_writer ? O_RDWR | O_CREAT : O_RDONLY;
    int dict_flags;

    /* "proxy:proxy:x" is the same table as "proxy:x" and as "x". */
    while (strncmp(map, PROXY_COLON, PROXY_COLON_LEN) == 0)
        map += PROXY_COLON_LEN;
    if (strchr(map, ':') == 0) {
        *statp = PROXY_STAT_BAD;
        return (0);
    }
    if (htable_locate(proxy_auth_maps, map) == 0) {
        msg_warn("request for unapproved table: \"%s\"", map);
        msg_warn("to approve this table for %s access, list %s%s in main.cf:%s",
                 proxy_writer ? "read-write" : "read-only", PROXY_COLON, map,
                 proxy_writer ? "proxy_write_maps" : "proxy_read_maps");
        *statp = PROXY_STAT_DENY;
        return (0);
    }
    request_flags &= DICT_FLAG_RQST_MASK;
    vstring_sprintf(map_type_name_flags, "%s:%o", map, (unsigned)request_flags);
    if ((dict = dict_handle(STR(map_type_name_flags))) == 0) {
        /* A proxied table inside this one (pipemap, unionmap) is opened here. */
        dict_flags = request_flags | DICT_FLAG_NO_PROXY;
        dict = dict_open(map, open_flags, dict_flags);
        if (dict == 0)
            msg_panic("proxymap_find: dict_open null result");
        dict_register(STR(map_type_name_flags), dict);
    }
    *statp = PROXY_STAT_OK;
    return (dict);
}

/* proxymap_status - reply status for a table operation's dict->error */
static int proxymap_status(DICT *dict, int found)
{
    if (found)
        return (PROXY_STAT_OK);
    switch (dict->error) {
    case DICT_ERR_NONE:
        return (PROXY_STAT_NOKEY);
    case DICT_ERR_RETRY:
        return (PROXY_STAT_RETRY);
    default:
        return (PROXY_STAT_CONFIG);
    }
}

/* proxymap_lookup_service - request=lookup */
static void proxymap_lookup_service(VSTREAM *client)
{
    DICT *dict;
    const char *value = 0;
    int request_flags;
    int status;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, request_map),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request_flags),
                  RECV_ATTR_STR(MAIL_ATTR_KEY, request_key), ATTR_TYPE_END) != 3) {
        status = PROXY_STAT_BAD;
    } else if ((dict = proxymap_find(STR(request_map), request_flags, &status)) != 0) {
        value = dict_get(dict, STR(request_key));
        status = proxymap_status(dict, value != 0);
    }
    if (msg_verbose)
        msg_info("lookup %s key=%s -> status=%d value=%s", STR(request_map), STR(request_key),
                 status, value ? value : "");
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_STR(MAIL_ATTR_VALUE, status == PROXY_STAT_OK ? value : ""), ATTR_TYPE_END);
}

/* proxymap_change_status - reply status for an update or delete result */
static int proxymap_change_status(DICT *dict, int dict_status)
{
    if (dict_status == DICT_STAT_SUCCESS)
        return (PROXY_STAT_OK);
    if (dict_status == DICT_STAT_FAIL)
        return (PROXY_STAT_NOKEY);
    return (dict->error == DICT_ERR_RETRY ? PROXY_STAT_RETRY : PROXY_STAT_CONFIG);
}

/* proxymap_refuse_change - updates and deletes belong to proxywrite */
static int proxymap_refuse_change(const char *what)
{
    if (proxy_writer)
        return (0);
    msg_warn("refusing %s %s request on non-%s service", STR(request_map), what,
             var_proxywrite_service_name);
    return (1);
}

/* proxymap_update_service - request=update */
static void proxymap_update_service(VSTREAM *client)
{
    DICT *dict;
    int request_flags;
    int status;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, request_map),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request_flags),
                  RECV_ATTR_STR(MAIL_ATTR_KEY, request_key),
                  RECV_ATTR_STR(MAIL_ATTR_VALUE, request_value), ATTR_TYPE_END) != 4) {
        status = PROXY_STAT_BAD;
    } else if (proxymap_refuse_change("update")) {
        status = PROXY_STAT_DENY;
    } else if ((dict = proxymap_find(STR(request_map), request_flags, &status)) != 0) {
        status = proxymap_change_status(dict, dict_put(dict, STR(request_key), STR(request_value)));
    }
    if (msg_verbose)
        msg_info("update %s key=%s value=%s -> status=%d", STR(request_map), STR(request_key),
                 STR(request_value), status);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
}

/* proxymap_delete_service - request=delete */
static void proxymap_delete_service(VSTREAM *client)
{
    DICT *dict;
    int request_flags;
    int status;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, request_map),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request_flags),
                  RECV_ATTR_STR(MAIL_ATTR_KEY, request_key), ATTR_TYPE_END) != 3) {
        status = PROXY_STAT_BAD;
    } else if (proxymap_refuse_change("delete")) {
        status = PROXY_STAT_DENY;
    } else if ((dict = proxymap_find(STR(request_map), request_flags, &status)) != 0) {
        status = proxymap_change_status(dict, dict_del(dict, STR(request_key)));
    }
    if (msg_verbose)
        msg_info("delete %s key=%s -> status=%d", STR(request_map), STR(request_key), status);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
}

/* proxymap_sequence_service - request=sequence */
static void proxymap_sequence_service(VSTREAM *client)
{
    DICT *dict;
    const char *key = "";
    const char *value = "";
    int request_flags;
    int function;
    int status;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, request_map),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request_flags),
                  RECV_ATTR_INT(MAIL_ATTR_FUNC, &function), ATTR_TYPE_END) != 3 ||
        (function != DICT_SEQ_FUN_FIRST && function != DICT_SEQ_FUN_NEXT)) {
        status = PROXY_STAT_BAD;
    } else if ((dict = proxymap_find(STR(request_map), request_flags, &status)) != 0) {
        status = proxymap_change_status(dict, dict_seq(dict, function, &key, &value));
        if (status != PROXY_STAT_OK)
            key = value = "";
    }
    if (msg_verbose)
        msg_info("sequence %s function=%d -> status=%d key=%s value=%s", STR(request_map), function,
                 status, key, value);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_STR(MAIL_ATTR_KEY, key), SEND_ATTR_STR(MAIL_ATTR_VALUE, value),
               ATTR_TYPE_END);
}

/* proxymap_open_service - request=open: approve and describe a table */
static void proxymap_open_service(VSTREAM *client)
{
    DICT *dict;
    int request_flags;
    int status;
    int flags = 0;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, request_map),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &request_flags), ATTR_TYPE_END) != 2) {
        status = PROXY_STAT_BAD;
    } else if ((dict = proxymap_find(STR(request_map), request_flags, &status)) != 0) {
        flags = dict->flags & ~DICT_FLAG_NO_PROXY;
    }
    if (msg_verbose)
        msg_info("open %s -> status=%d flags=%s", STR(request_map), status, dict_flags_str(flags));
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_INT(MAIL_ATTR_FLAGS, flags), ATTR_TYPE_END);
}

/* proxymap_service - read one request from a client and answer it */
static void proxymap_service(VSTREAM *client, char *service, char **argv)
{
    if (attr_scan(client, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, request),
                  ATTR_TYPE_END) != 1) {
        multi_server_disconnect(client);
        return;
    }
    if (strcmp(STR(request), PROXY_REQ_LOOKUP) == 0) {
        proxymap_lookup_service(client);
    } else if (strcmp(STR(request), PROXY_REQ_UPDATE) == 0) {
        proxymap_update_service(client);
    } else if (strcmp(STR(request), PROXY_REQ_DELETE) == 0) {
        proxymap_delete_service(client);
    } else if (strcmp(STR(request), PROXY_REQ_SEQUENCE) == 0) {
        proxymap_sequence_service(client);
    } else if (strcmp(STR(request), PROXY_REQ_OPEN) == 0) {
        proxymap_open_service(client);
    } else {
        msg_warn("unrecognized request: \"%s\", ignored", STR(request));
        /* Skip the rest of the request so that the next one is read in step. */
        (void)attr_scan(client, ATTR_FLAG_NONE, ATTR_TYPE_END);
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, PROXY_STAT_BAD),
                   ATTR_TYPE_END);
    }
    if (vstream_fflush(client) != 0)
        multi_server_disconnect(client);
}

/* proxymap_approve - add the proxy: tables named in a parameter value */
static void proxymap_approve(const char *param_name, const char *value)
{
    char *saved = mystrdup(value);
    char *bp = saved;
    char *word;

    /* Restriction lists nest tables in braces; only "proxy:" words count. */
    while ((word = mystrtok(&bp, ", \t\r\n{}")) != 0) {
        if (strncmp(word, PROXY_COLON, PROXY_COLON_LEN) != 0)
            continue;
        while (strncmp(word, PROXY_COLON, PROXY_COLON_LEN) == 0)
            word += PROXY_COLON_LEN;
        if (strchr(word, ':') == 0 || htable_locate(proxy_auth_maps, word) != 0)
            continue;
        if (msg_verbose)
            msg_info("allowlisting %s from %s", word, param_name);
        htable_enter(proxy_auth_maps, word, (void *)0);
    }
    myfree(saved);
}

/* post_accept - announce the protocol to a new client */
static void post_accept(VSTREAM *client, char *service, char **argv)
{
    if (attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_PROXYMAP),
                   ATTR_TYPE_END) != 0 ||
        vstream_fflush(client) != 0)
        multi_server_disconnect(client);
}

/* pre_accept - the read-only service restarts when a table file changed */
static void pre_accept(char *service, char **argv)
{
    const char *changed;

    if (proxy_writer == 0 && (changed = dict_changed_name()) != 0) {
        msg_info("table %s has changed -- restarting", changed);
        exit(0);
    }
}

/* post_jail_init - decide the role from the service name, load the approved tables */
static void post_jail_init(char *service, char **argv)
{
    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if (strcmp(service, var_proxymap_service_name) == 0) {
        proxy_writer = 0;
    } else if (strcmp(service, var_proxywrite_service_name) == 0) {
        proxy_writer = 1;
    } else {
        msg_fatal("service name must be one of %s or %s", var_proxymap_service_name,
                  var_proxywrite_service_name);
    }
    proxy_auth_maps = htable_create(13);
    if (proxy_writer)
        proxymap_approve("proxy_write_maps", var_proxy_write_maps);
    else
        proxymap_approve("proxy_read_maps", var_proxy_read_maps);
    request = vstring_alloc(10);
    request_map = vstring_alloc(10);
    request_key = vstring_alloc(10);
    request_value = vstring_alloc(10);
    map_type_name_flags = vstring_alloc(10);
    /* Report a table that cannot be opened per request, not by dying. */
    dict_allow_surrogate = 1;
    /* "postfix stop" must not kill a writer in the middle of an update. */
    if (proxy_writer)
        (void)setsid();
}

int main(int argc, char **argv)
{
    multi_server_main(argc, argv, proxymap_service, CA_MAIL_SERVER_POST_INIT(post_jail_init),
                      CA_MAIL_SERVER_PRE_ACCEPT(pre_accept),
                      CA_MAIL_SERVER_POST_ACCEPT(post_accept), 0);
}
