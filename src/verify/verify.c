/*
 * verify - the address verification server.
 *
 * Keeps a record of which addresses are known to be deliverable or not,
 * and sends probe messages to find out. The record lives in
 * address_verify_map (btree:$data_directory/verify_cache by default; an
 * in-memory table when empty), one entry per address:
 *
 *   key    the address, with ':' changed to '_' (IPv6 address literals)
 *   value  status:probed:updated:text
 *
 * where status is a DEL_RCPT_STAT_* value, probed the time the last probe
 * was sent (0: none pending), updated the time of the last result and text
 * the reason that came with it.
 *
 * Requests (see verify_clnt.h):
 *   query   answers the cached status, or "in progress" (TODO) when there
 *           is no usable record; sends a probe when the record is missing,
 *           expired or due for a refresh and no probe went out during the
 *           last PROBE_TTL seconds.
 *   update  stores a probe result; a failed probe does not replace a
 *           positive record that has not expired.
 *
 * A probe is a message with no content from make_verify_sender_addr() to
 * the address, posted through cleanup with DEL_REQ_FLAG_MTA_VRFY, so that
 * the delivery agents report to this service instead of delivering.
 *
 * Expired entries are removed every address_verify_cache_cleanup_interval
 * (verify_cache.c). The process runs in its own process group so that
 * "postfix stop" does not interrupt it in the middle of a table update.
 *
 * Failure: a table that cannot be opened is fatal (the master restarts
 * the service later); a probe that cannot be posted is logged, and tried
 * again after PROBE_TTL; malformed requests get VRFY_STAT_BAD.
 */

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attr.h"
#include "cleanup_user.h"
#include "deliver_request.h"
#include "dict.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "post_mail.h"
#include "set_eugid.h"
#include "stringops.h"
#include "verify_cache.h"
#include "verify_clnt.h"
#include "verify_sender_addr.h"
#include "vstring.h"

#define STR(x) vstring_str(x)

/* Seconds during which a sent probe is not repeated. */
#define PROBE_TTL 1000

#define VERIFY_MAP_INTERNAL "internal:verify"

static DICT *verify_map;
static char *verify_map_name;

/* verify_cache_key - the cache key of an address: ':' (IPv6 literals) becomes '_' */
static void verify_cache_key(VSTRING *addr)
{
    char *cp;

    for (cp = STR(addr); *cp; cp++)
        if (*cp == ':')
            *cp = '_';
}

/* verify_make_entry - format a cache value */
static void verify_make_entry(VSTRING *buf, int addr_status, long probed, long updated,
                              const char *text)
{
    vstring_sprintf(buf, "%d:%ld:%ld:%s", addr_status, probed, updated, text);
}

/* verify_parse_number - a non-negative decimal field; -1 when malformed */
static long verify_parse_number(const char *field)
{
    char *end;
    long value;

    if (*field < '0' || *field > '9')
        return (-1);
    value = strtol(field, &end, 10);
    return (*end == 0 ? value : -1);
}

/* verify_parse_entry - split a cache value in place; 0 on success, -1 when malformed */
static int verify_parse_entry(char *buf, int *addr_status, long *probed, long *updated, char **text)
{
    char *probed_text;
    char *updated_text;
    long status;

    if ((probed_text = split_at(buf, ':')) == 0 ||
        (updated_text = split_at(probed_text, ':')) == 0 ||
        (*text = split_at(updated_text, ':')) == 0)
        return (-1);
    if ((status = verify_parse_number(buf)) < 0 || verify_clnt_stat2name((int)status) == 0 ||
        (*probed = verify_parse_number(probed_text)) < 0 ||
        (*updated = verify_parse_number(updated_text)) < 0)
        return (-1);
    *addr_status = (int)status;
    return (0);
}

/* verify_expired - the record says too little, too late */
static int verify_expired(int addr_status, long updated, long now)
{
    if (addr_status == DEL_RCPT_STAT_OK)
        return (updated + var_address_verify_positive_expire_time < now);
    return (updated + var_address_verify_negative_expire_time < now);
}

/* verify_refresh_needed - the record is usable but a new probe is due */
static int verify_refresh_needed(int addr_status, long updated, long now)
{
    if (addr_status == DEL_RCPT_STAT_OK)
        return (updated + var_address_verify_positive_refresh_time < now);
    return (updated + var_address_verify_negative_refresh_time < now);
}

/* verify_cache_valid - cleanup: keep pending probes and unexpired records */
static int verify_cache_valid(const char *addr, const char *raw)
{
    char *copy = mystrdup(raw);
    int addr_status;
    long probed;
    long updated;
    char *text;
    long now = (long)time((time_t *)0);
    int keep;

    keep = verify_parse_entry(copy, &addr_status, &probed, &updated, &text) == 0 &&
           (now - probed < PROBE_TTL || !verify_expired(addr_status, updated, now));
    myfree(copy);
    return (keep);
}

/* verify_send_probe - post an empty message that delivery agents report on */
static void verify_send_probe(const char *addr)
{
    VSTREAM *stream;
    VSTRING *why;
    int status;

    stream = post_mail_fopen_trace_nowait(make_verify_sender_addr(), addr,
                                          CLEANUP_FLAG_MASK_INTERNAL, DEL_REQ_FLAG_MTA_VRFY, 0);
    if (stream == 0) {
        msg_warn("cannot send address verification probe for %s: %s service is unavailable", addr,
                 var_cleanup_service_name);
        return;
    }
    why = vstring_alloc(100);
    /* Probes are never delivered, deferred or bounced: they need no content. */
    if ((status = post_mail_fclose(stream, why)) != 0)
        msg_warn("address verification probe for %s was not queued: %s", addr,
                 *STR(why) ? STR(why) : "cleanup service failure");
    vstring_free(why);
}

/* verify_query_service - request=query; -1 when the request is malformed */
static int verify_query_service(VSTREAM *client)
{
    VSTRING *addr = vstring_alloc(100);
    VSTRING *buf = vstring_alloc(100);
    const char *raw;
    const char *text = "";
    int addr_status = DEL_RCPT_STAT_TODO;
    long probed = 0;
    long updated = 0;
    long now;
    char *parsed_text;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_ADDR, addr), ATTR_TYPE_END) !=
        1) {
        vstring_free(addr);
        vstring_free(buf);
        return (-1);
    }
    now = (long)time((time_t *)0);
    verify_cache_key(addr);

    /* A cache that cannot answer is not "no record": the client must defer. */
    if ((raw = dict_get(verify_map, STR(addr))) == 0 && verify_map->error != DICT_ERR_NONE) {
        msg_warn("%s: cache lookup for '%s' failed due to error", verify_map_name, STR(addr));
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, VRFY_STAT_FAIL),
                   SEND_ATTR_INT(MAIL_ATTR_ADDR_STATUS, DEL_RCPT_STAT_TODO),
                   SEND_ATTR_STR(MAIL_ATTR_WHY, "address verification cache lookup failed"),
                   ATTR_TYPE_END);
        vstring_free(addr);
        vstring_free(buf);
        return (0);
    }

    /* No usable record: answer "in progress" and (below) send a probe. */
    if (raw == 0 ||
        (vstring_strcpy(buf, raw),
         verify_parse_entry(STR(buf), &addr_status, &probed, &updated, &parsed_text) < 0) ||
        (now - probed > PROBE_TTL && verify_expired(addr_status, updated, now))) {
        addr_status = DEL_RCPT_STAT_TODO;
        probed = 0;
        updated = 0;
        text = "Address verification in progress";
        if (raw != 0 && var_address_verify_negative_cache == 0)
            (void)dict_del(verify_map, STR(addr));
    } else {
        text = parsed_text;
    }
    if (msg_verbose)
        msg_info("GOT %s status=%d probed=%ld updated=%ld text=%s", STR(addr), addr_status, probed,
                 updated, text);
    attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, VRFY_STAT_OK),
               SEND_ATTR_INT(MAIL_ATTR_ADDR_STATUS, addr_status),
               SEND_ATTR_STR(MAIL_ATTR_WHY, text), ATTR_TYPE_END);
    (void)vstream_fflush(client);

    /*
     * Probe when the record must be refreshed. Without negative caching a
     * brand-new address gets no record until a probe succeeds.
     */
    if (now - probed > PROBE_TTL && verify_refresh_needed(addr_status, updated, now)) {
        VSTRING *put = vstring_alloc(100);

        if (msg_verbose)
            msg_info("PROBE %s status=%d probed=%ld updated=%ld", STR(addr), addr_status, now,
                     updated);
        /* text points into buf: format the new record before buf changes. */
        verify_make_entry(put, addr_status, now, updated, text);
        verify_send_probe(STR(addr));
        if (updated != 0 || var_address_verify_negative_cache != 0) {
            if (msg_verbose)
                msg_info("PUT %s status=%d probed=%ld updated=%ld text=%s", STR(addr), addr_status,
                         now, updated, text);
            if (dict_put(verify_map, STR(addr), STR(put)) == DICT_STAT_ERROR)
                msg_warn("%s: cannot update entry for %s", verify_map_name, STR(addr));
        }
        vstring_free(put);
    }
    vstring_free(addr);
    vstring_free(buf);
    return (0);
}

/* verify_update_service - request=update; -1 when the request is malformed */
static int verify_update_service(VSTREAM *client)
{
    VSTRING *addr = vstring_alloc(100);
    VSTRING *text = vstring_alloc(100);
    VSTRING *buf = vstring_alloc(100);
    const char *raw;
    int addr_status;
    int status = VRFY_STAT_OK;
    long now;

    if (attr_scan(client, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_ADDR, addr),
                  RECV_ATTR_INT(MAIL_ATTR_ADDR_STATUS, &addr_status),
                  RECV_ATTR_STR(MAIL_ATTR_WHY, text), ATTR_TYPE_END) != 3) {
        status = -1;
    } else if (verify_clnt_stat2name(addr_status) == 0) {
        verify_cache_key(addr);
        msg_warn("bad recipient status %d for recipient %s", addr_status, STR(addr));
        status = VRFY_STAT_BAD;
    } else {
        verify_cache_key(addr);

        /*
         * A failed probe does not clobber a positive record before that
         * expires: the address is probed again on the next query, and stays
         * deliverable for as long as some probes succeed.
         */
        if (addr_status == DEL_RCPT_STAT_OK || (raw = dict_get(verify_map, STR(addr))) == 0 ||
            atoi(raw) != DEL_RCPT_STAT_OK) {
            now = (long)time((time_t *)0);
            verify_make_entry(buf, addr_status, 0L, now, STR(text));
            if (msg_verbose)
                msg_info("PUT %s status=%d probed=0 updated=%ld text=%s", STR(addr), addr_status,
                         now, STR(text));
            /* The reporting agent keeps the probe alive when the result was lost. */
            if (dict_put(verify_map, STR(addr), STR(buf)) == DICT_STAT_ERROR) {
                msg_warn("%s: cannot update entry for %s", verify_map_name, STR(addr));
                status = VRFY_STAT_FAIL;
            }
        }
    }
    if (status != -1)
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
    vstring_free(addr);
    vstring_free(text);
    vstring_free(buf);
    return (status == -1 ? -1 : 0);
}

/* verify_service - read one request from a client and answer it */
static void verify_service(VSTREAM *client, char *service, char **argv)
{
    VSTRING *request = vstring_alloc(10);
    int status = 0;

    if (attr_scan(client, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, request),
                  ATTR_TYPE_END) != 1) {
        multi_server_disconnect(client);
        vstring_free(request);
        return;
    }
    /* A malformed request gets no reply: the client is out of step, so it goes. */
    if (strcmp(STR(request), VRFY_REQ_UPDATE) == 0) {
        status = verify_update_service(client);
    } else if (strcmp(STR(request), VRFY_REQ_QUERY) == 0) {
        status = verify_query_service(client);
    } else {
        msg_warn("unrecognized request: \"%s\", ignored", STR(request));
        /* Skip the rest of the request so that the next one is read in step. */
        (void)attr_scan(client, ATTR_FLAG_NONE, ATTR_TYPE_END);
        attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, VRFY_STAT_BAD),
                   ATTR_TYPE_END);
    }
    vstring_free(request);
    if (vstream_fflush(client) != 0 || status < 0)
        multi_server_disconnect(client);
}

/* post_accept - announce the protocol to a new client */
static void post_accept(VSTREAM *client, char *service, char **argv)
{
    if (attr_print(client, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_VERIFY),
                   ATTR_TYPE_END) != 0 ||
        vstream_fflush(client) != 0)
        multi_server_disconnect(client);
}

/* pre_jail_init - open the cache as the mail owner, before privileges go */
static void pre_jail_init(char *service, char **argv)
{
    mode_t saved_mask;
    uid_t saved_uid = geteuid();
    gid_t saved_gid = getegid();
    int dict_flags = DICT_FLAG_DUP_REPLACE | DICT_FLAG_SYNC_UPDATE | DICT_FLAG_OPEN_LOCK;

    verify_map_name =
        mystrdup(*var_address_verify_map ? var_address_verify_map : VERIFY_MAP_INTERNAL);
    /* A Postfix-writable file must be made by Postfix, not by root. */
    saved_mask = umask(022);
    if (saved_uid == 0)
        set_eugid(var_owner_uid, var_owner_gid);
    verify_map = dict_open(verify_map_name, O_CREAT | O_RDWR, dict_flags);
    if (saved_uid == 0)
        set_eugid(saved_uid, saved_gid);
    (void)umask(saved_mask);

    /* "postfix stop" must not kill us in the middle of a table update. */
    (void)setsid();
}

/* post_jail_init - schedule the cache cleanup */
static void post_jail_init(char *service, char **argv)
{
    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    verify_cache_cleanup_start(verify_map, verify_map_name,
                               var_address_verify_cache_cleanup_interval, verify_cache_valid);
}

int main(int argc, char **argv)
{
    multi_server_main(argc, argv, verify_service, CA_MAIL_SERVER_PRE_INIT(pre_jail_init),
                      CA_MAIL_SERVER_POST_INIT(post_jail_init),
                      CA_MAIL_SERVER_POST_ACCEPT(post_accept), CA_MAIL_SERVER_SOLITARY, 0);
}
