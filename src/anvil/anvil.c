/*
 * anvil - the connection count and rate limit server (see man/man8/anvil.8).
 *
 * A multi_server daemon (one process serves every smtpd). For each
 * identity "service:client_address" it keeps the number of open
 * connections and, per anvil_rate_time_unit, the number of connections,
 * messages, recipients, new TLS sessions and AUTH commands. Clients (smtpd)
 * report events and get the current figures back; the limits are theirs
 * to enforce. Connections that an smtpd process reported are forgotten
 * when that process's connection to anvil goes away, so that a crashed
 * smtpd does not leave phantom connections behind.
 *
 * Every anvil_status_update_time seconds, and before exit, it logs the
 * largest counts and rates seen ("statistics: max connection rate ...").
 *
 * Exports main(). Protocol errors drop the client; unknown requests are
 * answered with status -1.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "anvil_clnt.h"
#include "attr.h"
#include "events.h"
#include "htable.h"
#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "vstring.h"

/* One remote identity. */
typedef struct ANVIL_REMOTE {
    char *ident;
    int count;    /* open connections */
    int rate;     /* connections in this time unit */
    int mail;     /* MAIL FROM in this time unit */
    int rcpt;     /* RCPT TO in this time unit */
    int ntls;     /* new TLS sessions in this time unit */
    int auth;     /* AUTH commands in this time unit */
    time_t start; /* start of this time unit */
} ANVIL_REMOTE;

/* One maximum, for the statistics. */
typedef struct ANVIL_MAX {
    const char *label; /* "connection rate" */
    int is_rate;
    int value;
    char *ident;
    time_t when;
} ANVIL_MAX;

static HTABLE *anvil_remotes;
static HTABLE *anvil_locals; /* key "%p" of a client stream -> HTABLE ident -> int* */

static ANVIL_MAX max_conn_rate = {"connection rate", 1, 0, 0, 0};
static ANVIL_MAX max_conn_count = {"connection count", 0, 0, 0, 0};
static ANVIL_MAX max_mail_rate = {"message rate", 1, 0, 0, 0};
static ANVIL_MAX max_rcpt_rate = {"recipient rate", 1, 0, 0, 0};
static ANVIL_MAX max_ntls_rate = {"newtls rate", 1, 0, 0, 0};
static ANVIL_MAX max_auth_rate = {"auth rate", 1, 0, 0, 0};
static int max_cache_size;
static time_t max_cache_time;

/* anvil_max_update - remember a new maximum */
static void anvil_max_update(ANVIL_MAX *max, int value, const char *ident)
{
    if (value > max->value) {
        max->value = value;
        if (max->ident)
            myfree(max->ident);
        max->ident = mystrdup(ident);
        max->when = event_time();
    }
}

/* anvil_max_log - log and reset one maximum */
static void anvil_max_log(ANVIL_MAX *max)
{
    if (max->value == 0)
        return;
    if (max->is_rate)
        msg_info("statistics: max %s %d/%ds for (%s) at %.15s", max->label, max->value,
                 var_anvil_rate_time_unit, max->ident, ctime(&max->when) + 4);
    else
        msg_info("statistics: max %s %d for (%s) at %.15s", max->label, max->value, max->ident,
                 ctime(&max->when) + 4);
    max->value = 0;
}

/* anvil_status_dump - the statistics log lines */
static void anvil_status_dump(void)
{
    anvil_max_log(&max_conn_rate);
    anvil_max_log(&max_conn_count);
    anvil_max_log(&max_mail_rate);
    anvil_max_log(&max_rcpt_rate);
    anvil_max_log(&max_ntls_rate);
    anvil_max_log(&max_auth_rate);
    if (max_cache_size > 0) {
        msg_info("statistics: max cache size %d at %.15s", max_cache_size,
                 ctime(&max_cache_time) + 4);
        max_cache_size = 0;
    }
}

/* anvil_status_update - periodic statistics */
static void anvil_status_update(int event, void *context)
{
    anvil_status_dump();
    event_request_timer(anvil_status_update, context, var_anvil_status_update_time);
}

/* anvil_int_free - htable destructor for counters */
static void anvil_int_free(void *ptr)
{
    myfree(ptr);
}

/* anvil_remote_free - htable destructor */
static void anvil_remote_free(void *ptr)
{
    ANVIL_REMOTE *remote = ptr;

    myfree(remote->ident);
    myfree(remote);
}

/* anvil_expire - drop idle identities whose time unit has passed */
static void anvil_expire(int event, void *context)
{
    HTABLE_INFO **list = htable_list(anvil_remotes);
    HTABLE_INFO **ht;
    ANVIL_REMOTE *remote;
    time_t now = event_time();

    for (ht = list; *ht; ht++) {
        remote = (*ht)->value;
        if (remote->count == 0 && now - remote->start >= var_anvil_rate_time_unit)
            htable_delete(anvil_remotes, remote->ident, anvil_remote_free);
    }
    myfree(list);
    event_request_timer(anvil_expire, context, var_anvil_rate_time_unit);
}

/* anvil_remote_get - the identity, its time unit brought up to date */
static ANVIL_REMOTE *anvil_remote_get(const char *ident)
{
    ANVIL_REMOTE *remote;
    time_t now = event_time();
    int size;

    if ((remote = htable_find(anvil_remotes, ident)) == 0) {
        remote = (ANVIL_REMOTE *)mymalloc(sizeof(*remote));
        memset(remote, 0, sizeof(*remote));
        remote->ident = mystrdup(ident);
        remote->start = now;
        htable_enter(anvil_remotes, ident, remote);
        if ((size = (int)anvil_remotes->used) > max_cache_size) {
            max_cache_size = size;
            max_cache_time = now;
        }
    } else if (now - remote->start >= var_anvil_rate_time_unit) {
        remote->rate = remote->mail = remote->rcpt = remote->ntls = remote->auth = 0;
        remote->start = now;
    }
    return (remote);
}

/* anvil_local_table - the identities a client stream holds connections for */
static HTABLE *anvil_local_table(VSTREAM *stream, int create)
{
    char key[64];
    HTABLE *table;

    snprintf(key, sizeof(key), "%p", (void *)stream);
    if ((table = htable_find(anvil_locals, key)) == 0 && create) {
        table = htable_create(3);
        htable_enter(anvil_locals, key, table);
    }
    return (table);
}

/* anvil_local_count - adjust a client's own connection count for ident */
static void anvil_local_count(VSTREAM *stream, const char *ident, int delta)
{
    HTABLE *table = anvil_local_table(stream, delta > 0);
    int *count;

    if (table == 0)
        return;
    if ((count = htable_find(table, ident)) == 0) {
        if (delta < 0)
            return;
        count = (int *)mymalloc(sizeof(*count));
        *count = 0;
        htable_enter(table, ident, count);
    }
    *count += delta;
    if (*count <= 0)
        htable_delete(table, ident, anvil_int_free);
}

/* anvil_reply - send status and up to six counters */
static void anvil_reply(VSTREAM *stream, int status, ANVIL_REMOTE *remote, const char *what)
{
    if (remote == 0 || what == 0) {
        attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, status), ATTR_TYPE_END);
    } else if (strcmp(what, ANVIL_REQ_CONN) == 0) {
        attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, status),
                   SEND_ATTR_INT(ANVIL_ATTR_COUNT, remote->count),
                   SEND_ATTR_INT(ANVIL_ATTR_RATE, remote->rate), ATTR_TYPE_END);
    } else if (strcmp(what, ANVIL_REQ_LOOKUP) == 0) {
        attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, status),
                   SEND_ATTR_INT(ANVIL_ATTR_COUNT, remote->count),
                   SEND_ATTR_INT(ANVIL_ATTR_RATE, remote->rate),
                   SEND_ATTR_INT(ANVIL_ATTR_MAIL, remote->mail),
                   SEND_ATTR_INT(ANVIL_ATTR_RCPT, remote->rcpt),
                   SEND_ATTR_INT(ANVIL_ATTR_NTLS, remote->ntls),
                   SEND_ATTR_INT(ANVIL_ATTR_AUTH, remote->auth), ATTR_TYPE_END);
    }
}

/* anvil_rate_reply - status and one rate */
static void anvil_rate_reply(VSTREAM *stream, int rate)
{
    attr_print(stream, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, ANVIL_STAT_OK),
               SEND_ATTR_INT(ANVIL_ATTR_RATE, rate), ATTR_TYPE_END);
}

/* anvil_request - carry out one request */
static void anvil_request(VSTREAM *stream, const char *req, const char *ident)
{
    ANVIL_REMOTE *remote;

    if (strcmp(req, ANVIL_REQ_CONN) == 0) {
        remote = anvil_remote_get(ident);
        remote->count++;
        remote->rate++;
        anvil_local_count(stream, ident, 1);
        anvil_max_update(&max_conn_count, remote->count, ident);
        anvil_max_update(&max_conn_rate, remote->rate, ident);
        anvil_reply(stream, ANVIL_STAT_OK, remote, ANVIL_REQ_CONN);
    } else if (strcmp(req, ANVIL_REQ_DISC) == 0) {
        if ((remote = htable_find(anvil_remotes, ident)) != 0 && remote->count > 0)
            remote->count--;
        anvil_local_count(stream, ident, -1);
        anvil_reply(stream, ANVIL_STAT_OK, 0, 0);
    } else if (strcmp(req, ANVIL_REQ_MAIL) == 0) {
        remote = anvil_remote_get(ident);
        anvil_max_update(&max_mail_rate, ++remote->mail, ident);
        anvil_rate_reply(stream, remote->mail);
    } else if (strcmp(req, ANVIL_REQ_RCPT) == 0) {
        remote = anvil_remote_get(ident);
        anvil_max_update(&max_rcpt_rate, ++remote->rcpt, ident);
        anvil_rate_reply(stream, remote->rcpt);
    } else if (strcmp(req, ANVIL_REQ_NTLS) == 0) {
        remote = anvil_remote_get(ident);
        anvil_max_update(&max_ntls_rate, ++remote->ntls, ident);
        anvil_rate_reply(stream, remote->ntls);
    } else if (strcmp(req, ANVIL_REQ_NTLS_STAT) == 0) {
        remote = anvil_remote_get(ident);
        anvil_rate_reply(stream, remote->ntls);
    } else if (strcmp(req, ANVIL_REQ_AUTH) == 0) {
        remote = anvil_remote_get(ident);
        anvil_max_update(&max_auth_rate, ++remote->auth, ident);
        anvil_rate_reply(stream, remote->auth);
    } else if (strcmp(req, ANVIL_REQ_LOOKUP) == 0) {
        remote = anvil_remote_get(ident);
        anvil_reply(stream, ANVIL_STAT_OK, remote, ANVIL_REQ_LOOKUP);
    } else {
        msg_warn("unrecognized request: \"%s\", ignored", req);
        anvil_reply(stream, ANVIL_STAT_FAIL, 0, 0);
    }
}

/* anvil_service - one request from an smtpd */
static void anvil_service(VSTREAM *stream, char *service, char **argv)
{
    static VSTRING *req;
    static VSTRING *ident;

    if (req == 0) {
        req = vstring_alloc(20);
        ident = vstring_alloc(100);
    }
    if (attr_scan(stream, ATTR_FLAG_MISSING | ATTR_FLAG_STRICT, RECV_ATTR_STR(ANVIL_ATTR_REQ, req),
                  RECV_ATTR_STR(ANVIL_ATTR_IDENT, ident), ATTR_TYPE_END) != 2) {
        multi_server_disconnect(stream);
        return;
    }
    if (msg_verbose)
        msg_info("request=%s ident=%s", vstring_str(req), vstring_str(ident));
    anvil_request(stream, vstring_str(req), vstring_str(ident));
    if (vstream_fflush(stream) != 0)
        multi_server_disconnect(stream);
}

/* anvil_disconnect - a client went away: its connections are gone */
static void anvil_disconnect(VSTREAM *stream, char *service, char **argv)
{
    HTABLE *table = anvil_local_table(stream, 0);
    HTABLE_INFO **list;
    HTABLE_INFO **ht;
    ANVIL_REMOTE *remote;
    char key[64];

    if (table == 0)
        return;
    list = htable_list(table);
    for (ht = list; *ht; ht++) {
        if ((remote = htable_find(anvil_remotes, (*ht)->key)) != 0) {
            remote->count -= *(int *)(*ht)->value;
            if (remote->count < 0)
                remote->count = 0;
        }
    }
    myfree(list);
    htable_free(table, anvil_int_free);
    snprintf(key, sizeof(key), "%p", (void *)stream);
    htable_delete(anvil_locals, key, (void (*)(void *))0);
}

/* anvil_post_init - tables and timers */
static void anvil_post_init(char *service, char **argv)
{
    anvil_remotes = htable_create(100);
    anvil_locals = htable_create(10);
    event_request_timer(anvil_status_update, (void *)0, var_anvil_status_update_time);
    event_request_timer(anvil_expire, (void *)0, var_anvil_rate_time_unit);
}

/* anvil_at_exit - the last statistics */
static void anvil_at_exit(char *service, char **argv)
{
    anvil_status_dump();
}

/* main - pass control to the multi-threaded skeleton */
int main(int argc, char **argv)
{
    multi_server_main(argc, argv, anvil_service, CA_MAIL_SERVER_POST_INIT(anvil_post_init),
                      CA_MAIL_SERVER_PRE_DISCONN(anvil_disconnect),
                      CA_MAIL_SERVER_EXIT(anvil_at_exit), CA_MAIL_SERVER_SOLITARY, 0);
}
