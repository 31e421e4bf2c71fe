/*
 * trivial-rewrite - the address rewriting and resolving daemon.
 *
 * A multi-server: each client connection gets the announcement
 * "protocol=trivial_rewrite_protocol", then sends any number of requests,
 * each "request=rewrite" (see rewrite.c) or "request=resolve"/"verify"
 * (see resolve.c), and gets one reply per request. The tables are opened
 * before the process leaves root privileges. When a table file changes,
 * replies start carrying server flags 1 (clients reconnect) and the process
 * exits before it accepts another client, so that the master starts one
 * with the new table contents; main.cf changes need "postfix reload".
 *
 * Failure: a malformed request drops that client (after a warning); the
 * other clients are not affected.
 */

#include <stdlib.h>
#include <string.h>

#include "attr.h"
#include "dict.h"
#include "events.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_server.h"
#include "msg.h"
#include "stringops.h"
#include "trivial-rewrite.h"
#include "vstring.h"

#define TABLE_CHECK_INTERVAL 10 /* seconds between table change checks */

/* rewrite_service - answer one request from a client */
static void rewrite_service(VSTREAM *stream, char *service, char **argv)
{
    static VSTRING *request;
    int status = -1;

    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if (request == 0)
        request = vstring_alloc(10);
    if (attr_scan(stream, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, request),
                  ATTR_TYPE_END) == 1) {
        if (strcmp(vstring_str(request), REWRITE_ADDR) == 0)
            status = rewrite_proto(stream);
        else if (strcmp(vstring_str(request), RESOLVE_REGULAR) == 0)
            status = resolve_proto(resolve_regular, stream);
        else if (strcmp(vstring_str(request), RESOLVE_VERIFY) == 0)
            status = resolve_proto(resolve_verify, stream);
        else
            msg_warn("bad command %.30s", printable(vstring_str(request), '?'));
    }
    if (status < 0)
        multi_server_disconnect(stream);
}

/* check_table_stats - periodically notice changed table files */
static void check_table_stats(int event, void *context)
{
    const char *table;

    if (trivial_rewrite_server_flags == 0 && (table = dict_changed_name()) != 0) {
        msg_info("table %s has changed -- restarting", table);
        trivial_rewrite_server_flags = 1;
    }
    event_request_timer(check_table_stats, (void *)0, TABLE_CHECK_INTERVAL);
}

/* pre_accept - do not take new clients with stale tables */
static void pre_accept(char *service, char **argv)
{
    const char *table;

    if ((table = dict_changed_name()) != 0) {
        msg_info("table %s has changed -- restarting", table);
        exit(0);
    }
}

/* post_accept - announce the protocol to a new client; a failure shows on its first read */
static void post_accept(VSTREAM *stream, char *service, char **argv)
{
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_TRIVIAL),
               ATTR_TYPE_END);
    if (vstream_fflush(stream) != 0)
        msg_warn("write protocol announcement: %m");
}

/* pre_jail_init - open the tables while still privileged */
static void pre_jail_init(char *service, char **argv)
{
    rewrite_init();
    resolve_init();
}

/* post_jail_init - start watching the tables */
static void post_jail_init(char *service, char **argv)
{
    event_request_timer(check_table_stats, (void *)0, TABLE_CHECK_INTERVAL);
}

int main(int argc, char **argv)
{
    multi_server_main(argc, argv, rewrite_service, CA_MAIL_SERVER_PRE_INIT(pre_jail_init),
                      CA_MAIL_SERVER_POST_INIT(post_jail_init),
                      CA_MAIL_SERVER_PRE_ACCEPT(pre_accept),
                      CA_MAIL_SERVER_POST_ACCEPT(post_accept), 0);
}
