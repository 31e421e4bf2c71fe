/* set_ugid_test - giving up root for good (the root cases skip when not root) */

#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "set_ugid.h"
#include "testing.h"
#include "testing_child.h"

static uid_t other_uid = 65534;
static gid_t other_gid = 65534;

/* become_other - drop root, then report what the ids are */
static void become_other(void)
{
    gid_t groups[10];
    int n;

    set_ugid(other_uid, other_gid);
    n = getgroups(10, groups);
    printf("%ld %ld %ld %ld %d %ld\n", (long)getuid(), (long)geteuid(), (long)getgid(),
           (long)getegid(), n, n > 0 ? (long)groups[0] : -1L);
    /* Root cannot come back. */
    printf("%d\n", setuid(0) == 0 || seteuid(0) == 0);
}

/* other_then_root - drop root, then try to get it back with set_ugid */
static void other_then_root(void)
{
    set_ugid(other_uid, other_gid);
    set_ugid(0, 0);
}

/* same_as_now - "change" to the ids we already have */
static void same_as_now(void)
{
    set_ugid(getuid(), getgid());
    printf("ok\n");
}

/* root_only - skip politely without root */
static int root_only(void)
{
    if (geteuid() != 0) {
        printf("  (skipped: needs root)\n");
        return (0);
    }
    return (1);
}

TEST(root_becomes_the_user_for_good)
{
    char want[200];
    int status;

    if (!root_only())
        return;
    snprintf(want, sizeof(want), "%ld %ld %ld %ld 1 %ld\n0\n", (long)other_uid, (long)other_uid,
             (long)other_gid, (long)other_gid, (long)other_gid);
    CHECK_STR(testing_child_run(become_other, &status), want);
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

TEST(unprivileged_process_cannot_change)
{
    int status;

    if (!root_only())
        return;
    CHECK_STR(testing_child_run(other_then_root, &status),
              "set_ugid_test: fatal: setuid(0): not running as root\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

TEST(staying_the_same_is_allowed)
{
    int status;

    CHECK_STR(testing_child_run(same_as_now, &status), "ok\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

TEST(non_root_asking_for_another_user_is_fatal)
{
    int status;

    if (geteuid() == 0) {
        /* As root, the same case is covered by unprivileged_process_cannot_change. */
        return;
    }
    other_uid = getuid() + 1;
    CHECK(strstr(testing_child_run(other_then_root, &status), "fatal: setuid(") != 0);
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

int main(int argc, char **argv)
{
    struct passwd *pw;

    (void)argc;
    msg_stderr_init(argv[0]);
    if ((pw = getpwnam("nobody")) != 0) {
        other_uid = pw->pw_uid;
        other_gid = pw->pw_gid;
    }
    RUN(root_becomes_the_user_for_good);
    RUN(unprivileged_process_cannot_change);
    RUN(staying_the_same_is_allowed);
    RUN(non_root_asking_for_another_user_is_fatal);
    return (TESTS_DONE());
}
