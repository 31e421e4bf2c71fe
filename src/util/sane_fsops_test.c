/* sane_fsops_test - module tests for rename/link/readlink/time wrappers */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "msg.h"
#include "sane_fsops.h"
#include "testing.h"

static char tmpdir[] = "/tmp/sane_fsops_test.XXXXXX";
static char last_text[1000];

/* capture - remember the last message */
static void capture(int level, const char *text)
{
    snprintf(last_text, sizeof(last_text), "%s", text);
}

/* path - a name in the private directory */
static const char *path(const char *name)
{
    static char buf[4][300];
    static int n;

    n = (n + 1) % 4;
    snprintf(buf[n], sizeof(buf[n]), "%s/%s", tmpdir, name);
    return (buf[n]);
}

/* touch - create an empty file */
static void touch(const char *name)
{
    int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd >= 0)
        close(fd);
}

TEST(rename_moves_and_fails_honestly)
{
    struct stat st;

    touch(path("a"));
    CHECK_INT(sane_rename(path("a"), path("b")), 0);
    CHECK(stat(path("a"), &st) < 0 && stat(path("b"), &st) == 0);
    /* A retried rename: the source is gone and the target exists. */
    last_text[0] = 0;
    CHECK_INT(sane_rename(path("a"), path("b")), 0);
    CHECK(strstr(last_text, "worked around spurious NFS error") != 0);
    /* Neither exists: a real error. */
    errno = 0;
    CHECK_INT(sane_rename(path("nothing"), path("nowhere")), -1);
    CHECK_INT(errno, ENOENT);
}

TEST(link_tolerates_a_retried_success)
{
    touch(path("f"));
    CHECK_INT(sane_link(path("f"), path("g")), 0);
    last_text[0] = 0;
    CHECK_INT(sane_link(path("f"), path("g")), 0);
    CHECK(strstr(last_text, "worked around spurious NFS error") != 0);
    /* A different file under the target name is a real conflict. */
    touch(path("h"));
    errno = 0;
    CHECK_INT(sane_link(path("f"), path("h")), -1);
    CHECK_INT(errno, EEXIST);
}

TEST(readlink_terminates_and_refuses_truncation)
{
    char buf[100];
    char small[4];

    CHECK(symlink("target/name", path("link")) == 0);
    CHECK_INT(sane_readlink(path("link"), buf, sizeof(buf)), 11);
    CHECK_STR(buf, "target/name");
    errno = 0;
    CHECK_INT(sane_readlink(path("link"), small, sizeof(small)), -1);
    CHECK_INT(errno, ENAMETOOLONG);
    CHECK_INT(small[3], 0);
    CHECK_INT(sane_readlink(path("link"), buf, 11), -1);
    CHECK_INT(sane_readlink(path("link"), buf, 12), 11);
    CHECK_INT(sane_readlink(path("no-link"), buf, sizeof(buf)), -1);
    CHECK_INT(sane_readlink(path("f"), buf, sizeof(buf)), -1);
}

TEST(time_does_not_go_backwards)
{
    time_t a = sane_time();
    time_t b = sane_time();

    CHECK(a > 0);
    CHECK(b >= a);
    CHECK(b <= time((time_t *)0));
}

int main(void)
{
    char cmd[300];
    int rc;

    if (mkdtemp(tmpdir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    msg_output(capture);
    RUN(rename_moves_and_fails_honestly);
    RUN(link_tolerates_a_retried_success);
    RUN(readlink_terminates_and_refuses_truncation);
    RUN(time_does_not_go_backwards);
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
    rc = system(cmd);
    (void)rc;
    return (TESTS_DONE());
}
