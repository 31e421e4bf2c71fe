/* dict_proxy_test - the proxy: client against scripted proxymap and proxywrite servers */

#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "dict.h"
#include "dict_proxy.h"
#include "listen.h"
#include "mail_dict.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "sane_accept.h"
#include "testing.h"

static char dir[] = "/tmp/dict_proxy_test.XXXXXX";
static pid_t server_pids[2];
static int warnings;
static char last_text[1000];
static jmp_buf fatal_jmp;
static int hangups; /* server side */

/* capture - remember the last warning or fatal text instead of printing it */
static void capture(int level, const char *text)
{
    if (level == MSG_WARN)
        warnings++;
    if (level >= MSG_WARN)
        snprintf(last_text, sizeof(last_text), "%s", text);
}

/* test_exit - msg_fatal returns to the test that expected it */
static void test_exit(int status)
{
    longjmp(fatal_jmp, status + 1000);
}

/* lookup_status - the scripted answer for a lookup key */
static int lookup_status(const char *key)
{
    if (strcmp(key, "missing") == 0)
        return (PROXY_STAT_NOKEY);
    if (strcmp(key, "retry") == 0)
        return (PROXY_STAT_RETRY);
    if (strcmp(key, "config") == 0)
        return (PROXY_STAT_CONFIG);
    if (strcmp(key, "bad") == 0)
        return (PROXY_STAT_BAD);
    if (strcmp(key, "deny") == 0)
        return (PROXY_STAT_DENY);
    if (strcmp(key, "weird") == 0)
        return (17);
    return (PROXY_STAT_OK);
}

/* serve_request - answer one request; 0 when the connection should go on */
static int serve_request(VSTREAM *fp, const char *service, const char *req, int *seq)
{
    VSTRING *table = vstring_alloc(10), *key = vstring_alloc(10), *val = vstring_alloc(10);
    VSTRING *buf = vstring_alloc(10);
    int flags = 0, func = 0, status, ret = 0;

    if (strcmp(req, PROXY_REQ_OPEN) == 0) {
        attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, table),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), ATTR_TYPE_END);
        status = strcmp(vstring_str(table), "hash:/denied") == 0 ? PROXY_STAT_DENY : PROXY_STAT_OK;
        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
                   SEND_ATTR_INT(MAIL_ATTR_FLAGS,
                                 strncmp(vstring_str(table), "regexp:", 7) == 0
                                     ? DICT_FLAG_PATTERN | DICT_FLAG_LOCK
                                     : DICT_FLAG_FIXED | DICT_FLAG_TRY1NULL | DICT_FLAG_LOCK),
                   ATTR_TYPE_END);
    } else if (strcmp(req, PROXY_REQ_LOOKUP) == 0) {
        attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, table),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), RECV_ATTR_STR(MAIL_ATTR_KEY, key),
                  ATTR_TYPE_END);
        /* The first "hangup" drops the connection, as a crashing server would. */
        if (strcmp(vstring_str(key), "hangup") == 0 && hangups++ == 0) {
            ret = -1;
        } else {
            status = lookup_status(vstring_str(key));
            vstring_sprintf(buf, "%s/%s/%s/%#x", service, vstring_str(table), vstring_str(key),
                            (unsigned)flags);
            attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
                       SEND_ATTR_STR(MAIL_ATTR_VALUE, status == 0 ? vstring_str(buf) : ""),
                       ATTR_TYPE_END);
        }
    } else if (strcmp(req, PROXY_REQ_UPDATE) == 0 || strcmp(req, PROXY_REQ_DELETE) == 0) {
        if (strcmp(req, PROXY_REQ_UPDATE) == 0)
            attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, table),
                      RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), RECV_ATTR_STR(MAIL_ATTR_KEY, key),
                      RECV_ATTR_STR(MAIL_ATTR_VALUE, val), ATTR_TYPE_END);
        else
            attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, table),
                      RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), RECV_ATTR_STR(MAIL_ATTR_KEY, key),
                      ATTR_TYPE_END);
        /* The read-only service refuses changes, as proxymap does. */
        status =
            strcmp(service, "proxywrite") != 0 ? PROXY_STAT_DENY : lookup_status(vstring_str(key));
        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
    } else if (strcmp(req, PROXY_REQ_SEQUENCE) == 0) {
        attr_scan(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_TABLE, table),
                  RECV_ATTR_INT(MAIL_ATTR_FLAGS, &flags), RECV_ATTR_INT(MAIL_ATTR_FUNC, &func),
                  ATTR_TYPE_END);
        *seq = func == DICT_SEQ_FUN_FIRST ? 1 : *seq + 1;
        vstring_sprintf(key, "k%d", *seq);
        vstring_sprintf(val, "v%d", *seq);
        status = *seq <= 2 ? PROXY_STAT_OK : PROXY_STAT_NOKEY;
        attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
                   SEND_ATTR_STR(MAIL_ATTR_KEY, status == 0 ? vstring_str(key) : ""),
                   SEND_ATTR_STR(MAIL_ATTR_VALUE, status == 0 ? vstring_str(val) : ""),
                   ATTR_TYPE_END);
    } else {
        ret = -1;
    }
    vstring_free(table);
    vstring_free(key);
    vstring_free(val);
    vstring_free(buf);
    return (ret);
}

/* serve_one - one connection; the first one of proxymap announces the wrong protocol */
static void serve_one(VSTREAM *fp, const char *service, int conn)
{
    VSTRING *req = vstring_alloc(10);
    int seq = 0;

    attr_print(fp, ATTR_FLAG_NONE,
               SEND_ATTR_STR(MAIL_ATTR_PROTO, conn == 1 && strcmp(service, "proxymap") == 0
                                                  ? "bogus"
                                                  : MAIL_ATTR_PROTO_PROXYMAP),
               ATTR_TYPE_END);
    vstream_fflush(fp);
    while (attr_scan(fp, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, req),
                     ATTR_TYPE_END) == 1) {
        if (serve_request(fp, service, vstring_str(req), &seq) < 0 || vstream_fflush(fp) != 0)
            break;
    }
    vstring_free(req);
}

/* server_start - fork a scripted server for one service under dir/private */
static pid_t server_start(const char *service)
{
    char path[300];
    int lsock, fd, conn = 0;
    pid_t pid;
    VSTREAM *fp;

    snprintf(path, sizeof(path), "%s/private", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/private/%s", dir, service);
    lsock = unix_listen(path, 10, BLOCKING);
    if ((pid = fork()) == 0) {
        for (;;) {
            if ((fd = sane_accept(lsock, 0, 0)) < 0)
                continue;
            fp = vstream_fdopen(fd, O_RDWR);
            serve_one(fp, service, ++conn);
            vstream_fclose(fp);
        }
    }
    close(lsock);
    return (pid);
}

TEST(proxy_type_is_registered_and_open_learns_the_table_kind)
{
    DICT *fixed, *pattern;

    warnings = 0;
    fixed = dict_open("proxy:hash:/etc/x", O_RDONLY, DICT_FLAG_LOCK | DICT_FLAG_FOLD_FIX);
    CHECK(warnings >= 1); /* the first connection announced the wrong protocol */
    CHECK_STR(fixed->type, DICT_TYPE_PROXY);
    CHECK_STR(fixed->name, "hash:/etc/x");
    CHECK((fixed->flags & DICT_FLAG_FIXED) != 0);
    CHECK((fixed->flags & DICT_FLAG_PATTERN) == 0);
    CHECK((fixed->flags & DICT_FLAG_FOLD_FIX) != 0);
    /* Server details other than the table kind are not taken over. */
    CHECK((fixed->flags & DICT_FLAG_TRY1NULL) == 0);
    pattern = dict_open("proxy:regexp:/etc/y", O_RDONLY, DICT_FLAG_LOCK);
    CHECK((pattern->flags & DICT_FLAG_PATTERN) != 0);
    CHECK((pattern->flags & DICT_FLAG_FIXED) == 0);
    dict_close(fixed);
    dict_close(pattern);
}

TEST(lookup_statuses_map_to_value_not_found_and_errors)
{
    DICT *d = dict_open("proxy:hash:/etc/x", O_RDONLY, DICT_FLAG_LOCK | DICT_FLAG_DEBUG);

    /* Only request flags travel: DEBUG stays home. */
    CHECK_STR(dict_get(d, "alice"), "proxymap/hash:/etc/x/alice/0x40");
    CHECK_INT(d->error, DICT_ERR_NONE);
    CHECK(dict_get(d, "missing") == 0);
    CHECK_INT(d->error, DICT_ERR_NONE);
    CHECK(dict_get(d, "retry") == 0);
    CHECK_INT(d->error, DICT_ERR_RETRY);
    CHECK(dict_get(d, "config") == 0);
    CHECK_INT(d->error, DICT_ERR_CONFIG);
    warnings = 0;
    CHECK(dict_get(d, "weird") == 0);
    CHECK_INT(d->error, DICT_ERR_RETRY);
    CHECK_INT(warnings, 1);
    CHECK_STR(
        last_text,
        "proxymap lookup failed for table \"hash:/etc/x\" key \"weird\": unexpected status 17");
    dict_close(d);
}

TEST(refused_and_malformed_requests_are_fatal_with_postfix_text)
{
    DICT *d = dict_open("proxy:hash:/etc/x", O_RDONLY, DICT_FLAG_LOCK);

    if (setjmp(fatal_jmp) == 0) {
        (void)dict_get(d, "deny");
        CHECK(0);
    }
    CHECK_STR(last_text, "proxymap service is not configured for table \"hash:/etc/x\"");
    if (setjmp(fatal_jmp) == 0) {
        (void)dict_get(d, "bad");
        CHECK(0);
    }
    CHECK_STR(last_text,
              "proxymap lookup failed for table \"hash:/etc/x\" key \"bad\": invalid request");
    if (setjmp(fatal_jmp) == 0) {
        (void)dict_open("proxy:hash:/denied", O_RDONLY, DICT_FLAG_LOCK);
        CHECK(0);
    }
    CHECK_STR(last_text, "proxymap service is not configured for table \"hash:/denied\"");
    if (setjmp(fatal_jmp) == 0) {
        (void)dict_open("proxy:hash:/etc/x", O_WRONLY, DICT_FLAG_LOCK);
        CHECK(0);
    }
    CHECK_STR(last_text, "hash:/etc/x: proxy map open requires O_RDONLY or O_RDWR mode");
    dict_close(d);
}

TEST(a_dropped_connection_is_retried_on_a_new_one)
{
    DICT *d = dict_open("proxy:hash:/etc/x", O_RDONLY, DICT_FLAG_LOCK);

    warnings = 0;
    CHECK_STR(dict_get(d, "hangup"), "proxymap/hash:/etc/x/hangup/0x40");
    CHECK_INT(d->error, DICT_ERR_NONE);
    CHECK_INT(warnings, 1);
    CHECK_STR(dict_get(d, "after"), "proxymap/hash:/etc/x/after/0x40");
    dict_close(d);
}

TEST(read_write_tables_use_proxywrite_for_changes_and_sequence)
{
    DICT *d = dict_open("proxy:btree:/var/cache", O_RDWR | O_CREAT, DICT_FLAG_SYNC_UPDATE);
    const char *key, *value;

    CHECK_STR(dict_get(d, "k"), "proxywrite/btree:/var/cache/k/0x100");
    CHECK_INT(dict_put(d, "ok", "v"), DICT_STAT_SUCCESS);
    CHECK_INT(dict_put(d, "missing", "v"), DICT_STAT_FAIL);
    CHECK_INT(dict_put(d, "retry", "v"), DICT_STAT_ERROR);
    CHECK_INT(d->error, DICT_ERR_RETRY);
    CHECK_INT(dict_del(d, "ok"), DICT_STAT_SUCCESS);
    CHECK_INT(dict_del(d, "missing"), DICT_STAT_FAIL);
    CHECK_INT(dict_del(d, "config"), DICT_STAT_ERROR);
    CHECK_INT(d->error, DICT_ERR_CONFIG);
    CHECK_INT(dict_seq(d, DICT_SEQ_FUN_FIRST, &key, &value), DICT_STAT_SUCCESS);
    CHECK_STR(key, "k1");
    CHECK_STR(value, "v1");
    CHECK_INT(dict_seq(d, DICT_SEQ_FUN_NEXT, &key, &value), DICT_STAT_SUCCESS);
    CHECK_STR(key, "k2");
    CHECK_INT(dict_seq(d, DICT_SEQ_FUN_NEXT, &key, &value), DICT_STAT_FAIL);
    dict_close(d);
}

TEST(changes_through_the_read_only_service_are_refused)
{
    DICT *d = dict_open("proxy:hash:/etc/x", O_RDONLY, DICT_FLAG_LOCK);

    if (setjmp(fatal_jmp) == 0) {
        (void)dict_put(d, "k", "v");
        CHECK(0);
    }
    CHECK_STR(last_text, "proxymap service is not configured for table \"hash:/etc/x\"");
    dict_close(d);
}

TEST(sensitive_tables_are_opened_directly)
{
    DICT *d = dict_open("proxy:static:direct", O_RDONLY, DICT_FLAG_NO_PROXY);

    CHECK_STR(d->type, DICT_TYPE_STATIC);
    CHECK_STR(dict_get(d, "anything"), "direct");
    dict_close(d);
}

int main(int argc, char **argv)
{
    char cmd[400];
    int i;

    (void)argc;
    msg_stderr_init(argv[0]);
    msg_output_reset();
    msg_output(capture);
    msg_exit_hook(test_exit);
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    var_queue_directory = dir;
    var_proxymap_service_name = "proxymap";
    var_proxywrite_service_name = "proxywrite";
    var_ipc_idle = 5;
    var_ipc_ttl = 1000;
    var_ipc_timeout = 10;
    mail_dict_init();
    mail_dict_init(); /* a second call (reload) changes nothing */
    server_pids[0] = server_start("proxymap");
    server_pids[1] = server_start("proxywrite");
    RUN(proxy_type_is_registered_and_open_learns_the_table_kind);
    RUN(lookup_statuses_map_to_value_not_found_and_errors);
    RUN(refused_and_malformed_requests_are_fatal_with_postfix_text);
    RUN(a_dropped_connection_is_retried_on_a_new_one);
    RUN(read_write_tables_use_proxywrite_for_changes_and_sequence);
    RUN(changes_through_the_read_only_service_are_refused);
    RUN(sensitive_tables_are_opened_directly);
    for (i = 0; i < 2; i++) {
        kill(server_pids[i], SIGTERM);
        waitpid(server_pids[i], (int *)0, 0);
    }
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        msg_warn("could not remove %s", dir);
    return (TESTS_DONE());
}
