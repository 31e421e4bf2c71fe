/* anvil_clnt_test - module tests for the anvil client, against a forked stand-in server */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "anvil_clnt.h"
#include "attr.h"
#include "iostuff.h"
#include "listen.h"
#include "mail_params.h"
#include "sane_accept.h"
#include "testing.h"
#include "vstream.h"

static char topdir[] = "/tmp/anvil_clnt_test.XXXXXX";

/* serve - answer requests: count = length of ident, rate = 7, lookup 1..6 */
static void serve(int lsock)
{
    VSTRING *req = vstring_alloc(10);
    VSTRING *ident = vstring_alloc(10);
    VSTREAM *fp;
    int fd;

    while ((fd = sane_accept(lsock, 0, 0)) >= 0) {
        fp = vstream_fdopen(fd, O_RDWR);
        while (attr_scan0(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(ANVIL_ATTR_REQ, req),
                          RECV_ATTR_STR(ANVIL_ATTR_IDENT, ident), ATTR_TYPE_END) == 2) {
            if (strcmp(vstring_str(req), ANVIL_REQ_CONN) == 0)
                attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, 0),
                            SEND_ATTR_INT(ANVIL_ATTR_COUNT, (int)VSTRING_LEN(ident)),
                            SEND_ATTR_INT(ANVIL_ATTR_RATE, 7), ATTR_TYPE_END);
            else if (strcmp(vstring_str(req), ANVIL_REQ_DISC) == 0)
                attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, 0), ATTR_TYPE_END);
            else if (strcmp(vstring_str(req), ANVIL_REQ_LOOKUP) == 0)
                attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, 0),
                            SEND_ATTR_INT(ANVIL_ATTR_COUNT, 1), SEND_ATTR_INT(ANVIL_ATTR_RATE, 2),
                            SEND_ATTR_INT(ANVIL_ATTR_MAIL, 3), SEND_ATTR_INT(ANVIL_ATTR_RCPT, 4),
                            SEND_ATTR_INT(ANVIL_ATTR_NTLS, 5), SEND_ATTR_INT(ANVIL_ATTR_AUTH, 6),
                            ATTR_TYPE_END);
            else if (strcmp(vstring_str(req), "bogus") == 0)
                attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, -1),
                            ATTR_TYPE_END);
            else
                attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(ANVIL_ATTR_STATUS, 0),
                            SEND_ATTR_INT(ANVIL_ATTR_RATE, (int)strlen(vstring_str(req))),
                            ATTR_TYPE_END);
            vstream_fflush(fp);
        }
        vstream_fclose(fp);
    }
    _exit(0);
}

TEST(requests_and_replies)
{
    ANVIL_CLNT *anvil;
    int count = -1, rate = -1;
    int c, r, m, rc, n, a;
    int lsock;
    pid_t pid;

    CHECK(chdir(topdir) == 0);
    lsock = unix_listen("private/anvil", 5, BLOCKING);
    CHECK(lsock >= 0);
    if ((pid = fork()) == 0)
        serve(lsock);
    close(lsock);
    anvil = anvil_clnt_create();
    CHECK_INT(anvil_clnt_connect(anvil, "smtp", "1.2.3.4", &count, &rate), ANVIL_STAT_OK);
    CHECK_INT(count, strlen("smtp:1.2.3.4"));
    CHECK_INT(rate, 7);
    /* The stand-in answers a rate request with the length of the request name. */
    CHECK_INT(anvil_clnt_mail(anvil, "smtp", "1.2.3.4", &rate), ANVIL_STAT_OK);
    CHECK_INT(rate, strlen(ANVIL_REQ_MAIL));
    CHECK_INT(anvil_clnt_rcpt(anvil, "smtp", "1.2.3.4", &rate), ANVIL_STAT_OK);
    CHECK_INT(rate, strlen(ANVIL_REQ_RCPT));
    CHECK_INT(anvil_clnt_newtls(anvil, "smtp", "1.2.3.4", &rate), ANVIL_STAT_OK);
    CHECK_INT(rate, strlen(ANVIL_REQ_NTLS));
    CHECK_INT(anvil_clnt_newtls_stat(anvil, "smtp", "1.2.3.4", &rate), ANVIL_STAT_OK);
    CHECK_INT(rate, strlen(ANVIL_REQ_NTLS_STAT));
    CHECK_INT(anvil_clnt_auth(anvil, "smtp", "1.2.3.4", &rate), ANVIL_STAT_OK);
    CHECK_INT(rate, strlen(ANVIL_REQ_AUTH));
    CHECK_INT(anvil_clnt_lookup(anvil, "smtp", "1.2.3.4", &c, &r, &m, &rc, &n, &a), ANVIL_STAT_OK);
    CHECK(c == 1 && r == 2 && m == 3 && rc == 4 && n == 5 && a == 6);
    CHECK_INT(anvil_clnt_disconnect(anvil, "smtp", "1.2.3.4"), ANVIL_STAT_OK);
    anvil_clnt_free(anvil);
    kill(pid, SIGTERM);
    waitpid(pid, (int *)0, 0);
}

TEST(no_server_is_a_failure_not_a_hang)
{
    ANVIL_CLNT *anvil;
    int count, rate;

    CHECK(chdir(topdir) == 0);
    unlink("private/anvil");
    anvil = anvil_clnt_create();
    CHECK_INT(anvil_clnt_connect(anvil, "smtp", "1.2.3.4", &count, &rate), ANVIL_STAT_FAIL);
    anvil_clnt_free(anvil);
}

int main(void)
{
    char cmd[300];
    int rc;

    signal(SIGPIPE, SIG_IGN);
    if (mkdtemp(topdir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    snprintf(cmd, sizeof(cmd), "%s/private", topdir);
    mkdir(cmd, 0755);
    var_ipc_timeout = 10;
    var_ipc_idle = 5;
    var_ipc_ttl = 100;
    RUN(requests_and_replies);
    RUN(no_server_is_a_failure_not_a_hang);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", topdir);
    rc = system(cmd);
    (void)rc;
    return (TESTS_DONE());
}
