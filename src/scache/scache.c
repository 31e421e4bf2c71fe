/*
 * scache - the shared connection cache of the SMTP/LMTP clients.
 *
 * A multi-server daemon that holds open SMTP/LMTP connections (as file
 * descriptors passed over its unix-domain socket) between deliveries, so
 * that the next delivery to the same server, by any smtp process, skips
 * the connection set-up and the handshake. Connections are kept by
 * endpoint label (one server address and port) with their properties;
 * logical destinations (a next hop) point at an endpoint label. Each entry
 * lives for the client's time limit, at most connection_cache_ttl_limit.
 * Taking a connection removes it from the cache: it is never shared.
 *
 * The protocol is Postfix's, described in scache_proto.h; a client may
 * send several requests at once. Every connection_cache_status_update_time
 * seconds, and when the process exits, the daemon logs hit counts as
 * Postfix's scache does ("statistics: ...").
 *
 * Failure: a malformed request gets status 1 (bad) and a warning; a client
 * that hangs up or times out is disconnected.
 */

#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "events.h"
#include "htable.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "scache_proto.h"
#include "unix_pass_fd.h"
#include "vstring.h"

/* One cached connection. */
typedef struct SCACHE_ENDP {
    int fd;
    char *props;
    time_t expires;
    struct SCACHE_ENDP *next;
} SCACHE_ENDP;

/* One logical destination. */
typedef struct SCACHE_DEST {
    char *props;
    char *endp_label;
    time_t expires;
} SCACHE_DEST;

static HTABLE *scache_endp_table; /* label -> SCACHE_ENDP list */
static HTABLE *scache_dest_table; /* label -> SCACHE_DEST */

/* Statistics, as Postfix logs them. */
static time_t scache_start;
static int scache_dest_hits, scache_dest_miss, scache_endp_hits, scache_endp_miss;
static int scache_max_dest, scache_max_endp, scache_max_conn, scache_conn_count;

static VSTRING *scache_request;
static VSTRING *scache_label;
static VSTRING *scache_prop;
static VSTRING *scache_endp_label;
static VSTRING *scache_dummy;

/* scache_ttl - a client's time limit, within connection_cache_ttl_limit */
static int scache_ttl(int ttl)
{
    if (ttl <= 0 || ttl > var_connection_cache_ttl_limit)
        ttl = var_connection_cache_ttl_limit;
    return (ttl);
}

/* scache_endp_free - close and forget one connection */
static void scache_endp_free(SCACHE_ENDP *ep)
{
    close(ep->fd);
    myfree(ep->props);
    myfree(ep);
    scache_conn_count--;
}

/* scache_dest_free - forget one destination */
static void scache_dest_free(void *ptr)
{
    SCACHE_DEST *dp = (SCACHE_DEST *)ptr;

    myfree(dp->props);
    myfree(dp->endp_label);
    myfree(dp);
}

/* scache_expire - drop what has outlived its time */
static void scache_expire(int event, void *context)
{
    HTABLE_INFO **list, **ht;
    SCACHE_ENDP *ep, *next, *keep;
    time_t now = time(0);

    (void)event;
    (void)context;
    list = htable_list(scache_endp_table);
    for (ht = list; *ht; ht++) {
        keep = 0;
        for (ep = (SCACHE_ENDP *)(*ht)->value; ep; ep = next) {
            next = ep->next;
            if (ep->expires <= now) {
                scache_endp_free(ep);
            } else {
                ep->next = keep;
                keep = ep;
            }
        }
        if (keep)
            (*ht)->value = keep;
        else
            htable_delete(scache_endp_table, (*ht)->key, (void (*)(void *))0);
    }
    myfree(list);
    list = htable_list(scache_dest_table);
    for (ht = list; *ht; ht++)
        if (((SCACHE_DEST *)(*ht)->value)->expires <= now)
            htable_delete(scache_dest_table, (*ht)->key, scache_dest_free);
    myfree(list);
    if (scache_endp_table->used || scache_dest_table->used)
        event_request_timer(scache_expire, (void *)0, 1);
}

/* scache_stats - log and restart the statistics */
static void scache_stats(void)
{
    char when[64];
    struct tm *tm = localtime(&scache_start);

    if (scache_dest_hits + scache_dest_miss + scache_endp_hits + scache_endp_miss == 0)
        return;
    strftime(when, sizeof(when), "%b %e %H:%M:%S", tm);
    msg_info("statistics: start interval %s", when);
    if (scache_dest_hits + scache_dest_miss)
        msg_info("statistics: domain lookup hits=%d miss=%d success=%d%%", scache_dest_hits,
                 scache_dest_miss, 100 * scache_dest_hits / (scache_dest_hits + scache_dest_miss));
    if (scache_endp_hits + scache_endp_miss)
        msg_info("statistics: address lookup hits=%d miss=%d success=%d%%", scache_endp_hits,
                 scache_endp_miss, 100 * scache_endp_hits / (scache_endp_hits + scache_endp_miss));
    msg_info("statistics: max simultaneous domains=%d addresses=%d connection=%d", scache_max_dest,
             scache_max_endp, scache_max_conn);
    scache_dest_hits = scache_dest_miss = scache_endp_hits = scache_endp_miss = 0;
    scache_max_dest = scache_max_endp = scache_max_conn = 0;
    scache_start = time(0);
}

/* scache_stats_event - periodic statistics */
static void scache_stats_event(int event, void *context)
{
    (void)event;
    scache_stats();
    event_request_timer(scache_stats_event, context, var_connection_cache_status_update_time);
}

/* scache_reply - send one status */
static void scache_reply(VSTREAM *client, int status)
{
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
}

/* scache_take - remove one live connection of an endpoint */
static SCACHE_ENDP *scache_take(const char *label)
{
    HTABLE_INFO *ht;
    SCACHE_ENDP *ep;

    if ((ht = htable_locate(scache_endp_table, label)) == 0)
        return (0);
    ep = (SCACHE_ENDP *)ht->value;
    if (ep->next)
        ht->value = ep->next;
    else
        htable_delete(scache_endp_table, label, (void (*)(void *))0);
    ep->next = 0;
    return (ep);
}

/* scache_wait_dummy - read the client's placeholder list */
static int scache_wait_dummy(VSTREAM *client)
{
    return (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(SCACHE_ATTR_DUMMY, scache_dummy),
                      ATTR_TYPE_END) == 1
                ? 0
                : -1);
}

/*
 * scache_hand_over - after a "found" reply: the client says it is ready,
 * gets the descriptor, and confirms, so that our close cannot overtake it.
 * The connection leaves the cache either way.
 */
static void scache_hand_over(VSTREAM *client, SCACHE_ENDP *ep)
{
    if (vstream_fflush(client) != 0 || scache_wait_dummy(client) < 0 ||
        unix_send_fd(vstream_fileno(client), ep->fd) < 0 || scache_wait_dummy(client) < 0)
        msg_warn("cannot send file descriptor: %m");
    scache_endp_free(ep);
}

/* scache_find_endp - find_endp request */
static void scache_find_endp(VSTREAM *client)
{
    SCACHE_ENDP *ep;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_LABEL, scache_label),
                  ATTR_TYPE_END) != 1) {
        msg_warn("find_endp: bad or missing request parameter");
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_BAD),
                   SEND_ATTR_STR(MAIL_ATTR_PROP, ""), ATTR_TYPE_END);
        return;
    }
    if ((ep = scache_take(vstring_str(scache_label))) == 0) {
        scache_endp_miss++;
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_FAIL),
                   SEND_ATTR_STR(MAIL_ATTR_PROP, ""), ATTR_TYPE_END);
        return;
    }
    scache_endp_hits++;
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_OK),
               SEND_ATTR_STR(MAIL_ATTR_PROP, ep->props), ATTR_TYPE_END);
    scache_hand_over(client, ep);
}

/* scache_find_dest - find_dest request */
static void scache_find_dest(VSTREAM *client)
{
    SCACHE_DEST *dp;
    SCACHE_ENDP *ep = 0;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_LABEL, scache_label),
                  ATTR_TYPE_END) != 1) {
        msg_warn("find_dest: bad or missing request parameter");
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_BAD),
                   SEND_ATTR_STR(MAIL_ATTR_PROP, ""), SEND_ATTR_STR(MAIL_ATTR_PROP, ""),
                   ATTR_TYPE_END);
        return;
    }
    if ((dp = (SCACHE_DEST *)htable_find(scache_dest_table, vstring_str(scache_label))) != 0 &&
        dp->expires > time(0))
        ep = scache_take(dp->endp_label);
    if (ep == 0) {
        scache_dest_miss++;
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_FAIL),
                   SEND_ATTR_STR(MAIL_ATTR_PROP, ""), SEND_ATTR_STR(MAIL_ATTR_PROP, ""),
                   ATTR_TYPE_END);
        return;
    }
    scache_dest_hits++;
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, SCACHE_STAT_OK),
               SEND_ATTR_STR(MAIL_ATTR_PROP, dp->props), SEND_ATTR_STR(MAIL_ATTR_PROP, ep->props),
               ATTR_TYPE_END);
    scache_hand_over(client, ep);
}

/* scache_save_endp - save_endp request */
static void scache_save_endp(VSTREAM *client)
{
    SCACHE_ENDP *ep;
    HTABLE_INFO *ht;
    int ttl;
    int fd;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_TTL, &ttl),
                  RECV_ATTR_STR(MAIL_ATTR_LABEL, scache_label),
                  RECV_ATTR_STR(MAIL_ATTR_PROP, scache_prop), ATTR_TYPE_END) != 3 ||
        ttl <= 0) {
        msg_warn("save_endp: bad or missing request parameter");
        scache_reply(client, SCACHE_STAT_BAD);
        return;
    }
    /* The placeholder tells the client that we read everything before the descriptor. */
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(SCACHE_ATTR_DUMMY, ""), ATTR_TYPE_END);
    if (vstream_fflush(client) != 0 ||
        read_wait(vstream_fileno(client), var_connection_cache_protocol_timeout) < 0 ||
        (fd = unix_recv_fd(vstream_fileno(client))) < 0) {
        msg_warn("save_endp: unable to receive file descriptor: %m");
        scache_reply(client, SCACHE_STAT_FAIL);
        return;
    }
    close_on_exec(fd, CLOSE_ON_EXEC);
    ep = (SCACHE_ENDP *)mymalloc(sizeof(*ep));
    ep->fd = fd;
    ep->props = mystrdup(vstring_str(scache_prop));
    ep->expires = time(0) + scache_ttl(ttl);
    ep->next = 0;
    if ((ht = htable_locate(scache_endp_table, vstring_str(scache_label))) != 0) {
        ep->next = (SCACHE_ENDP *)ht->value;
        ht->value = ep;
    } else {
        htable_enter(scache_endp_table, vstring_str(scache_label), ep);
    }
    scache_conn_count++;
    if (scache_conn_count > scache_max_conn)
        scache_max_conn = scache_conn_count;
    if ((int)scache_endp_table->used > scache_max_endp)
        scache_max_endp = scache_endp_table->used;
    event_request_timer(scache_expire, (void *)0, 1);
    scache_reply(client, SCACHE_STAT_OK);
}

/* scache_save_dest - save_dest request */
static void scache_save_dest(VSTREAM *client)
{
    SCACHE_DEST *dp;
    int ttl;

    /* Postfix names both the destination and the endpoint "label", in that order. */
    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_INT(MAIL_ATTR_TTL, &ttl),
                  RECV_ATTR_STR(MAIL_ATTR_LABEL, scache_label),
                  RECV_ATTR_STR(MAIL_ATTR_PROP, scache_prop),
                  RECV_ATTR_STR(MAIL_ATTR_LABEL, scache_endp_label), ATTR_TYPE_END) != 4 ||
        ttl <= 0) {
        msg_warn("save_dest: bad or missing request parameter");
        scache_reply(client, SCACHE_STAT_BAD);
        return;
    }
    htable_delete(scache_dest_table, vstring_str(scache_label), scache_dest_free);
    dp = (SCACHE_DEST *)mymalloc(sizeof(*dp));
    dp->props = mystrdup(vstring_str(scache_prop));
    dp->endp_label = mystrdup(vstring_str(scache_endp_label));
    dp->expires = time(0) + scache_ttl(ttl);
    htable_enter(scache_dest_table, vstring_str(scache_label), dp);
    if ((int)scache_dest_table->used > scache_max_dest)
        scache_max_dest = scache_dest_table->used;
    event_request_timer(scache_expire, (void *)0, 1);
    scache_reply(client, SCACHE_STAT_OK);
}

/* scache_service - the requests that a client has sent */
static void scache_service(VSTREAM *client, char *service_name, char **argv)
{
    const char *req;
    int broken = 0;

    (void)service_name;
    (void)argv;
    vstream_set_timeout(client, var_connection_cache_protocol_timeout);
    do {
        if (attr_scan(client, ATTR_FLAG_STRICT | ATTR_FLAG_MORE,
                      RECV_ATTR_STR(MAIL_ATTR_REQ, scache_request), ATTR_TYPE_END) != 1) {
            broken = 1;
            break;
        }
        req = vstring_str(scache_request);
        if (strcmp(req, SCACHE_REQ_FIND_ENDP) == 0) {
            scache_find_endp(client);
        } else if (strcmp(req, SCACHE_REQ_FIND_DEST) == 0) {
            scache_find_dest(client);
        } else if (strcmp(req, SCACHE_REQ_SAVE_ENDP) == 0) {
            scache_save_endp(client);
        } else if (strcmp(req, SCACHE_REQ_SAVE_DEST) == 0) {
            scache_save_dest(client);
        } else {
            msg_warn("unrecognized request: \"%s\", ignored", req);
            /* Skip the rest of its list, so that the next request starts in step. */
            (void)attr_scan(client, ATTR_FLAG_NONE, ATTR_TYPE_END);
            scache_reply(client, SCACHE_STAT_BAD);
        }
    } while (!vstream_feof(client) && !vstream_ferror(client) && vstream_peek(client) > 0);
    if (vstream_fflush(client) != 0 || broken || vstream_feof(client) || vstream_ferror(client))
        multi_server_disconnect(client);
}

/* scache_post_accept - announce the protocol */
static void scache_post_accept(VSTREAM *stream, char *service_name, char **argv)
{
    (void)service_name;
    (void)argv;
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_SCACHE),
               ATTR_TYPE_END);
    if (vstream_fflush(stream) != 0)
        msg_warn("write protocol announcement: %m");
}

/* scache_post_init - tables and timers */
static void scache_post_init(char *service_name, char **argv)
{
    (void)service_name;
    (void)argv;
    scache_endp_table = htable_create(10);
    scache_dest_table = htable_create(10);
    scache_request = vstring_alloc(10);
    scache_label = vstring_alloc(100);
    scache_prop = vstring_alloc(100);
    scache_endp_label = vstring_alloc(100);
    scache_dummy = vstring_alloc(10);
    scache_start = time(0);
    event_request_timer(scache_stats_event, (void *)0, var_connection_cache_status_update_time);
}

/* scache_pre_exit - final statistics */
static void scache_pre_exit(char *service_name, char **argv)
{
    (void)service_name;
    (void)argv;
    scache_stats();
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    multi_server_main(argc, argv, scache_service, CA_MAIL_SERVER_POST_INIT(scache_post_init),
                      CA_MAIL_SERVER_POST_ACCEPT(scache_post_accept),
                      CA_MAIL_SERVER_EXIT(scache_pre_exit), CA_MAIL_SERVER_SOLITARY, 0);
}
