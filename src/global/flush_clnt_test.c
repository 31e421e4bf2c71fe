/* flush_clnt_test - module tests for the fast flush client */

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "attr.h"
#include "flush_clnt.h"
#include "iostuff.h"
#include "listen.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "sane_accept.h"
#include "testing.h"

static char topdir[] = "/tmp/flush_clnt_test.XXXXXX";

TEST(domains_not_listed_are_denied_without_asking)
{
    CHECK(chdir(topdir) == 0);
    CHECK_INT(flush_send_site("other.test"), FLUSH_STAT_DENY);
    CHECK_INT(flush_send_site("sub.relay.test"), FLUSH_STAT_FAIL);
    /* No flush service: listed domains fail, they are not denied. */
    CHECK_INT(flush_send_site("relay.test"), FLUSH_STAT_FAIL);
}

TEST(listed_domain_reaches_the_service)
{
    VSTRING *req = vstring_alloc(10);
    VSTRING *site = vstring_alloc(10);
    VSTREAM *fp;
    int lsock;
    int status;
    pid_t pid;

    CHECK(chdir(topdir) == 0);
    lsock = unix_listen("public/flush", 5, BLOCKING);
    CHECK(lsock >= 0);
    if ((pid = fork()) == 0) {
        fp = vstream_fdopen(sane_accept(lsock, 0, 0), O_RDWR);
        attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_FLUSH),
                    ATTR_TYPE_END);
        vstream_fflush(fp);
        if (attr_scan0(fp, ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_REQ, req),
                       RECV_ATTR_STR(MAIL_ATTR_SITE, site), ATTR_TYPE_END) == 2 &&
            strcmp(vstring_str(req), FLUSH_REQ_SEND_SITE) == 0 &&
            strcmp(vstring_str(site), "relay.test") == 0)
            status = FLUSH_STAT_OK;
        else
            status = FLUSH_STAT_BAD;
        attr_print0(fp, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status), ATTR_TYPE_END);
        vstream_fclose(fp);
        _exit(0);
    }
    close(lsock);
    CHECK_INT(flush_send_site("relay.test"), FLUSH_STAT_OK);
    waitpid(pid, (int *)0, 0);
    unlink("public/flush");
    vstring_free(req);
    vstring_free(site);
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
    snprintf(cmd, sizeof(cmd), "%s/public", topdir);
    mkdir(cmd, 0755);
    var_ipc_timeout = 10;
    var_flush_service_name = "flush";
    var_fast_flush_domains = "relay.test";
    var_parent_domain_matches_subdomains = "fast_flush_domains";
    var_queue_directory = topdir;
    RUN(domains_not_listed_are_denied_without_asking);
    RUN(listed_domain_reaches_the_service);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", topdir);
    rc = system(cmd);
    (void)rc;
    return (TESTS_DONE());
}
