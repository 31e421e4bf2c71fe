/* mail_connect_test - module tests for service connections and triggers */

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "iostuff.h"
#include "listen.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "sane_accept.h"
#include "testing.h"

static char topdir[] = "/tmp/mail_connect_test.XXXXXX";

TEST(connect_by_absolute_path_from_anywhere)
{
    char path[256];
    int lsock, csock;
    VSTREAM *fp;
    char buf[8];

    snprintf(path, sizeof(path), "%s/private/svc", topdir);
    lsock = unix_listen(path, 5, BLOCKING);
    CHECK(lsock >= 0);
    CHECK(chdir("/") == 0);
    fp = mail_connect("private", "svc", BLOCKING);
    CHECK(fp != 0);
    if (fp == 0)
        return;
    CHECK_STR(vstream_path(fp), path);
    csock = sane_accept(lsock, 0, 0);
    CHECK(csock >= 0);
    vstream_fputs("hi", fp);
    vstream_fflush(fp);
    CHECK_INT(read(csock, buf, sizeof(buf)), 2);
    vstream_fclose(fp);
    close(csock);
    close(lsock);
}

TEST(connect_relative_inside_the_queue_directory)
{
    int lsock;
    VSTREAM *fp;

    CHECK(chdir(topdir) == 0);
    lsock = unix_listen("public/rel", 5, BLOCKING);
    fp = mail_connect("public", "rel", BLOCKING);
    CHECK(fp != 0);
    if (fp) {
        CHECK_STR(vstream_path(fp), "public/rel");
        vstream_fclose(fp);
    }
    close(lsock);
    CHECK(mail_connect("public", "absent", BLOCKING) == 0);
}

TEST(triggers_reach_fifo_and_unix_services)
{
    int ffd, lsock, csock;
    char buf[8];

    CHECK(chdir(topdir) == 0);
    ffd = fifo_listen("public/pickup", 0622, NON_BLOCKING);
    CHECK(ffd >= 0);
    CHECK_INT(mail_trigger("public", "pickup", "W", 1), 0);
    CHECK_INT(read(ffd, buf, sizeof(buf)), 1);
    CHECK_INT(buf[0], 'W');
    lsock = unix_listen("public/qmgr", 5, BLOCKING);
    CHECK_INT(mail_trigger("public", "qmgr", "FADI", 4), 0);
    csock = sane_accept(lsock, 0, 0);
    CHECK_INT(read(csock, buf, sizeof(buf)), 4);
    CHECK(memcmp(buf, "FADI", 4) == 0);
    CHECK_INT(mail_trigger("public", "nothere", "I", 1), -1);
    close(csock);
    close(lsock);
    close(ffd);
}

int main(void)
{
    char path[256];

    if (mkdtemp(topdir) == 0)
        return (1);
    snprintf(path, sizeof(path), "%s/public", topdir);
    mkdir(path, 0700);
    snprintf(path, sizeof(path), "%s/private", topdir);
    mkdir(path, 0700);
    var_queue_directory = topdir;
    RUN(connect_by_absolute_path_from_anywhere);
    RUN(connect_relative_inside_the_queue_directory);
    RUN(triggers_reach_fifo_and_unix_services);
    if (chdir("/") == 0 && fork() == 0)
        execlp("rm", "rm", "-rf", topdir, (char *) 0);
    return (TESTS_DONE());
}
