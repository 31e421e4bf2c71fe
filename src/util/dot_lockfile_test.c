/* dot_lockfile_test - dot locks: contention between processes, stale locks */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dot_lockfile.h"
#include "iostuff.h"
#include "testing.h"

static char dir[] = "/tmp/dot_lockfile_test.XXXXXX";
static char mbox[300];
static char lock[300];

TEST(lock_and_unlock)
{
    VSTRING *why = vstring_alloc(10);
    struct stat st;

    dot_lockfile_limits(1, 0, 500);
    CHECK_INT(dot_lockfile(mbox, why), 0);
    CHECK(stat(lock, &st) == 0 && S_ISREG(st.st_mode));
    CHECK_INT(st.st_mode & 0777, 0);
    /* Held: a second attempt fails and says why. */
    CHECK_INT(dot_lockfile(mbox, why), -1);
    CHECK_INT(errno, EEXIST);
    CHECK(strstr(vstring_str(why), "unable to create lock file ") == vstring_str(why));
    CHECK(strstr(vstring_str(why), ".lock: File exists") != 0);
    dot_unlockfile(mbox);
    CHECK(stat(lock, &st) < 0 && errno == ENOENT);
    /* Unlocking twice is harmless and keeps errno. */
    errno = EINTR;
    dot_unlockfile(mbox);
    CHECK_INT(errno, EINTR);
    vstring_free(why);
}

TEST(waiter_gets_the_lock_when_the_holder_lets_go)
{
    VSTRING *why = vstring_alloc(10);
    int to_parent[2];
    int to_child[2];
    pid_t pid;
    int status;
    char ch;

    CHECK(pipe(to_parent) == 0 && pipe(to_child) == 0);
    if ((pid = fork()) == 0) {
        dot_lockfile_limits(1, 0, 500);
        if (dot_lockfile(mbox, (VSTRING *)0) < 0 || write(to_parent[1], "L", 1) != 1)
            _exit(1);
        if (timed_read(to_child[0], &ch, 1, 10, 0) != 1)
            _exit(2);
        dot_unlockfile(mbox);
        _exit(0);
    }
    CHECK_INT(timed_read(to_parent[0], &ch, 1, 5, 0), 1);
    dot_lockfile_limits(1, 0, 500);
    CHECK_INT(dot_lockfile(mbox, why), -1);
    /* Let the holder go, then wait for it the way delivery does: by retrying. */
    CHECK(write(to_child[1], "G", 1) == 1);
    dot_lockfile_limits(200, 20, 500);
    CHECK_INT(dot_lockfile(mbox, why), 0);
    CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
    dot_unlockfile(mbox);
    close(to_parent[0]);
    close(to_parent[1]);
    close(to_child[0]);
    close(to_child[1]);
    vstring_free(why);
}

TEST(stale_lock_is_removed)
{
    VSTRING *why = vstring_alloc(10);
    time_t start = time((time_t *)0);
    int fd;

    /* A lock left by a process that died; it becomes stale after a second. */
    fd = open(lock, O_CREAT | O_EXCL | O_WRONLY, 0);
    CHECK(fd >= 0);
    close(fd);
    dot_lockfile_limits(100, 50, 1);
    CHECK_INT(dot_lockfile(mbox, why), 0);
    CHECK(time((time_t *)0) - start >= 1);
    CHECK(time((time_t *)0) - start <= 4);
    dot_unlockfile(mbox);
    vstring_free(why);
}

TEST(fresh_lock_is_respected_until_attempts_run_out)
{
    VSTRING *why = vstring_alloc(10);
    int fd;

    fd = open(lock, O_CREAT | O_EXCL | O_WRONLY, 0);
    CHECK(fd >= 0);
    close(fd);
    dot_lockfile_limits(3, 10, 500);
    CHECK_INT(dot_lockfile(mbox, why), -1);
    CHECK(access(lock, F_OK) == 0);
    dot_unlockfile(mbox);
    vstring_free(why);
}

TEST(missing_directory_fails_at_once)
{
    VSTRING *why = vstring_alloc(10);
    char nowhere[400];

    snprintf(nowhere, sizeof(nowhere), "%s/no/such/mbox", dir);
    dot_lockfile_limits(20, 1000, 500);
    CHECK_INT(dot_lockfile(nowhere, why), -1);
    CHECK_INT(errno, ENOENT);
    CHECK(strstr(vstring_str(why), "no/such/mbox.lock: No such file or directory") != 0);
    vstring_free(why);
}

int main(void)
{
    int rc;
    char cmd[400];

    if (mkdtemp(dir) == 0) {
        perror("mkdtemp");
        return (1);
    }
    snprintf(mbox, sizeof(mbox), "%s/user", dir);
    snprintf(lock, sizeof(lock), "%s/user.lock", dir);
    RUN(lock_and_unlock);
    RUN(waiter_gets_the_lock_when_the_holder_lets_go);
    RUN(stale_lock_is_removed);
    RUN(fresh_lock_is_respected_until_attempts_run_out);
    RUN(missing_directory_fails_at_once);
    rc = TESTS_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        rc = 1;
    return (rc);
}
