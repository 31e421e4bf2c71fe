/* set_eugid_test - acting as another user for a while (the root cases skip when not root) */

#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "set_eugid.h"
#include "testing.h"
#include "testing_child.h"

static uid_t other_uid = 65534;
static gid_t other_gid = 65534;
static char dir[] = "/tmp/set_eugid_test.XXXXXX";

/* create_as - create dir/name and print its owner */
static void create_as(const char *name)
{
    char path[300];
    struct stat st;
    int fd;

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if ((fd = open(path, O_CREAT | O_WRONLY, 0600)) < 0 || fstat(fd, &st) < 0) {
        printf("%s: cannot create\n", name);
        return;
    }
    close(fd);
    printf("%s: %ld %ld\n", name, (long)st.st_uid, (long)st.st_gid);
}

/* switch_back_and_forth - user, root, user again; files show who made them */
static void switch_back_and_forth(void)
{
    set_eugid(other_uid, other_gid);
    printf("ids %ld %ld %ld %ld\n", (long)getuid(), (long)geteuid(), (long)getgid(),
           (long)getegid());
    create_as("user");
    set_eugid(0, 0);
    create_as("root");
    set_eugid(other_uid, other_gid);
    create_as("again");
}

/* no_root_left - after giving up the real uid, another identity is refused */
static void no_root_left(void)
{
    if (setgid(other_gid) < 0 || setuid(other_uid) < 0)
        printf("setuid failed\n");
    set_eugid(other_uid, other_gid);
    printf("same ok\n");
    set_eugid(0, 0);
}

/* same_as_now - "switch" to the current effective ids */
static void same_as_now(void)
{
    set_eugid(geteuid(), getegid());
    printf("ok\n");
}

/* root_only - skip politely without root */
static int root_only(void)
{
    if (getuid() != 0) {
        printf("  (skipped: needs root)\n");
        return (0);
    }
    return (1);
}

TEST(root_switches_back_and_forth)
{
    char want[400];
    int status;

    if (!root_only())
        return;
    snprintf(want, sizeof(want), "ids 0 %ld 0 %ld\nuser: %ld %ld\nroot: 0 0\nagain: %ld %ld\n",
             (long)other_uid, (long)other_gid, (long)other_uid, (long)other_gid, (long)other_uid,
             (long)other_gid);
    CHECK_STR(testing_child_run(switch_back_and_forth, &status), want);
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

TEST(without_real_root_only_the_same_user_is_allowed)
{
    char want[200];
    int status;

    if (!root_only())
        return;
    snprintf(want, sizeof(want),
             "same ok\nset_eugid_test: fatal: set_eugid: cannot become uid 0: "
             "not running as root\n");
    CHECK_STR(testing_child_run(no_root_left, &status), want);
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

TEST(staying_the_same_is_allowed)
{
    int status;

    CHECK_STR(testing_child_run(same_as_now, &status), "ok\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

int main(int argc, char **argv)
{
    struct passwd *pw;
    char cmd[300];

    (void)argc;
    msg_stderr_init(argv[0]);
    if ((pw = getpwnam("nobody")) != 0) {
        other_uid = pw->pw_uid;
        other_gid = pw->pw_gid;
    }
    if (mkdtemp(dir) == 0)
        msg_fatal("mkdtemp: %m");
    chmod(dir, 0777);
    RUN(root_switches_back_and_forth);
    RUN(without_real_root_only_the_same_user_is_allowed);
    RUN(staying_the_same_is_allowed);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    if (system(cmd) != 0)
        msg_warn("could not remove %s", dir);
    return (TESTS_DONE());
}
