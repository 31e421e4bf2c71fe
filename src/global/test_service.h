#ifndef TEST_SERVICE_H
#define TEST_SERVICE_H

/*
 * test_service - scripted attribute-protocol services for module tests.
 *
 * Included by the *_test.c files of client modules (bounce, defer, sent,
 * trace, mail_command_client); never by the libraries. The test makes a
 * private queue directory, then test_service_start() forks one server per
 * service under queue_dir/private/<name>. Each connection gets the protocol
 * announcement, one request (any attributes), and a reply chosen by the
 * service's mode. Before it replies, the server appends the request as one
 * line "<name>: attr=value ..." (attributes sorted by name) to
 * queue_dir/requests, so that a test that got its answer can read what the
 * service saw without any waiting. test_service_stop_all() ends the servers
 * and removes the directory. test_service_log_init() sends the log into
 * memory, where test_service_log() picks it up.
 */

#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "htable.h"
#include "iostuff.h"
#include "mymalloc.h"
#include "listen.h"
#include "mail_proto.h"
#include "msg.h"
#include "sane_accept.h"
#include "vstream.h"
#include "vstring.h"

#define TEST_SERVICE_OK 0       /* reply status=0 */
#define TEST_SERVICE_FAIL 1     /* reply status=1 */
#define TEST_SERVICE_BADPROTO 2 /* announce another protocol, then hang up */
#define TEST_SERVICE_NOSTATUS 3 /* read the request, hang up without reply */
#define TEST_SERVICE_SILENT 4   /* read the request, never reply */

#define TEST_SERVICE_MAX 16

static char test_service_dir[] = "/tmp/test_service.XXXXXX";
static pid_t test_service_pids[TEST_SERVICE_MAX];
static int test_service_count;

/* test_service_record - append one request line to the requests file */
static void test_service_record(const char *name, HTABLE *req)
{
    HTABLE_INFO **list = htable_list_sorted(req);
    VSTRING *line = vstring_alloc(100);
    char path[300];
    int fd;
    ssize_t i;

    vstring_sprintf(line, "%s:", name);
    for (i = 0; list[i]; i++)
        vstring_sprintf_append(line, " %s=%s", list[i]->key, (char *)list[i]->value);
    VSTRING_ADDCH(line, '\n');
    snprintf(path, sizeof(path), "%s/requests", test_service_dir);
    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT, 0600)) < 0
        || write(fd, vstring_str(line), VSTRING_LEN(line)) != (ssize_t)VSTRING_LEN(line))
        msg_fatal("test_service: write %s: %m", path);
    close(fd);
    myfree(list);
    vstring_free(line);
}

/* test_service_read0 - one NUL-terminated word; -1 at EOF or when too long */
static int test_service_read0(VSTREAM *fp, VSTRING *word)
{
    int ch;

    VSTRING_RESET(word);
    while ((ch = vstream_getc(fp)) != 0) {
        if (ch == VSTREAM_EOF || VSTRING_LEN(word) > 10000)
            return (-1);
        VSTRING_ADDCH(word, ch);
    }
    VSTRING_TERMINATE(word);
    return (0);
}

/*
 * test_service_read_request - any attribute list in the attr0 encoding
 * (name NUL value NUL ..., NUL at the end). The client's nested print
 * functions only add pairs, so no table markers need handling.
 */
static int test_service_read_request(VSTREAM *fp, HTABLE *req)
{
    VSTRING *name = vstring_alloc(20), *value = vstring_alloc(20);
    int ret;

    while ((ret = test_service_read0(fp, name)) == 0 && VSTRING_LEN(name) > 0
           && (ret = test_service_read0(fp, value)) == 0)
        if (htable_locate(req, vstring_str(name)) == 0)
            htable_enter(req, vstring_str(name), mystrdup(vstring_str(value)));
    vstring_free(name);
    vstring_free(value);
    return (ret);
}

/* test_service_serve - one connection */
static void test_service_serve(int fd, const char *name, const char *proto, int mode)
{
    VSTREAM *fp = vstream_fdopen(fd, O_RDWR);
    HTABLE *req = htable_create(10);
    char junk[100];

    attr_print(fp, ATTR_FLAG_NONE,
               SEND_ATTR_STR(MAIL_ATTR_PROTO, mode == TEST_SERVICE_BADPROTO ? "bogus" : proto),
               ATTR_TYPE_END);
    if (vstream_fflush(fp) == 0 && mode != TEST_SERVICE_BADPROTO
        && test_service_read_request(fp, req) == 0) {
        test_service_record(name, req);
        if (mode == TEST_SERVICE_OK || mode == TEST_SERVICE_FAIL) {
            attr_print(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, mode), ATTR_TYPE_END);
            (void)vstream_fflush(fp);
        } else if (mode == TEST_SERVICE_SILENT) {
            while (read(fd, junk, sizeof(junk)) > 0)
                 /* until the client gives up */ ;
        }
    }
    htable_free(req, myfree);
    (void)vstream_fclose(fp);
}

/* test_service_start - fork a server for one service */
static void test_service_start(const char *name, const char *proto, int mode)
{
    char path[300];
    int lsock, fd;
    pid_t pid;

    if (test_service_count >= TEST_SERVICE_MAX)
        msg_panic("test_service_start: too many services");
    snprintf(path, sizeof(path), "%s/private", test_service_dir);
    (void)mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/private/%s", test_service_dir, name);
    lsock = unix_listen(path, 10, BLOCKING);
    if ((pid = fork()) < 0)
        msg_fatal("fork: %m");
    if (pid == 0) {
        /* A test that dies must not leave its servers behind. */
        (void)prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() == 1)
            _exit(0);
        for (;;)
            if ((fd = sane_accept(lsock, 0, 0)) >= 0)
                test_service_serve(fd, name, proto, mode);
    }
    close(lsock);
    test_service_pids[test_service_count++] = pid;
}

/* test_service_init - make the private queue directory */
static const char *test_service_init(void)
{
    if (mkdtemp(test_service_dir) == 0)
        msg_fatal("mkdtemp: %m");
    return (test_service_dir);
}

/* test_service_requests - the request lines so far; the next call starts afresh */
static const char *test_service_requests(void)
{
    static VSTRING *buf;
    char path[300];
    VSTREAM *fp;
    int ch;

    if (buf == 0)
        buf = vstring_alloc(100);
    VSTRING_RESET(buf);
    snprintf(path, sizeof(path), "%s/requests", test_service_dir);
    if ((fp = vstream_fopen(path, O_RDONLY, 0)) != 0) {
        while ((ch = vstream_getc(fp)) != VSTREAM_EOF)
            VSTRING_ADDCH(buf, ch);
        (void)vstream_fclose(fp);
        (void)unlink(path);
    }
    VSTRING_TERMINATE(buf);
    return (vstring_str(buf));
}

static VSTRING *test_service_logged;

/* test_service_capture - keep log lines, "W: " before warnings */
static void test_service_capture(int level, const char *text)
{
    if (level >= MSG_FATAL)
        fprintf(stderr, "%s\n", text);
    vstring_sprintf_append(test_service_logged, "%s%s\n", level == MSG_WARN ? "W: " : "", text);
}

/* test_service_log_init - log into memory instead of stderr */
static void test_service_log_init(const char *progname)
{
    msg_stderr_init(progname);
    msg_output_reset();
    test_service_logged = vstring_alloc(100);
    VSTRING_TERMINATE(test_service_logged);
    msg_output(test_service_capture);
}

/* test_service_log - what was logged since the last call */
static const char *test_service_log(void)
{
    static VSTRING *copy;

    if (copy == 0)
        copy = vstring_alloc(100);
    vstring_strcpy(copy, vstring_str(test_service_logged));
    VSTRING_RESET(test_service_logged);
    VSTRING_TERMINATE(test_service_logged);
    return (vstring_str(copy));
}

/* test_service_stop_all - end the servers, remove the directory */
static void test_service_stop_all(void)
{
    char cmd[400];
    int i;

    for (i = 0; i < test_service_count; i++) {
        kill(test_service_pids[i], SIGTERM);
        waitpid(test_service_pids[i], (int *)0, 0);
    }
    test_service_count = 0;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", test_service_dir);
    if (system(cmd) != 0)
        msg_warn("could not remove %s", test_service_dir);
}

#endif
