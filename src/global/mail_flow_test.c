/* mail_flow_test - flow-control tokens on a pipe at descriptors 3 and 4 */

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iostuff.h"
#include "mail_flow.h"
#include "master_proto.h"
#include "msg.h"
#include "testing.h"

/* flow_pipe - a fresh non-blocking pipe where the master would put it */
static void flow_pipe(void)
{
    int fds[2];

    close(MASTER_FLOW_READ);
    close(MASTER_FLOW_WRITE);
    if (pipe(fds) < 0)
        msg_fatal("pipe: %m");
    if (fds[0] != MASTER_FLOW_READ && (dup2(fds[0], MASTER_FLOW_READ) < 0 || close(fds[0]) < 0))
        msg_fatal("dup2: %m");
    if (fds[1] != MASTER_FLOW_WRITE && (dup2(fds[1], MASTER_FLOW_WRITE) < 0 || close(fds[1]) < 0))
        msg_fatal("dup2: %m");
    non_blocking(MASTER_FLOW_READ, NON_BLOCKING);
    non_blocking(MASTER_FLOW_WRITE, NON_BLOCKING);
}

TEST(tokens_go_in_and_out)
{
    flow_pipe();
    CHECK_INT(mail_flow_count(), 0);
    CHECK_INT(mail_flow_put(10), 10);
    CHECK_INT(mail_flow_count(), 10);
    CHECK_INT(mail_flow_get(4), 4);
    CHECK_INT(mail_flow_count(), 6);
    /* More than the chunk size goes through in pieces. */
    CHECK_INT(mail_flow_put(1500), 1500);
    CHECK_INT(mail_flow_get(1506), 1506);
    CHECK_INT(mail_flow_count(), 0);
}

TEST(too_few_tokens_take_nothing)
{
    flow_pipe();
    CHECK_INT(mail_flow_put(3), 3);
    CHECK_INT(mail_flow_get(4), -1);
    CHECK_INT(mail_flow_count(), 3);
}

TEST(full_pipe_caps_the_total)
{
    ssize_t cap;

    flow_pipe();
    CHECK_INT(mail_flow_put(1 << 22), -1);
    cap = mail_flow_count();
    CHECK(cap > 0 && cap < (1 << 22));
    CHECK_INT(mail_flow_get(cap), cap);
}

TEST(no_pipe_is_minus_one)
{
    close(MASTER_FLOW_READ);
    close(MASTER_FLOW_WRITE);
    CHECK_INT(mail_flow_count(), -1);
    CHECK_INT(mail_flow_get(1), -1);
    CHECK_INT(mail_flow_put(1), -1);
}

/* panics - does fn(0) end the process with a panic? */
static int panics(ssize_t (*fn)(ssize_t))
{
    pid_t pid;
    int status;
    int devnull;

    fflush(stdout);
    if ((pid = fork()) == 0) {
        if ((devnull = open("/dev/null", O_WRONLY)) >= 0)
            dup2(devnull, 2);
        fn(0);
        _exit(0);
    }
    waitpid(pid, &status, 0);
    return (!WIFEXITED(status) || WEXITSTATUS(status) != 0);
}

TEST(bad_counts_are_bugs)
{
    flow_pipe();
    CHECK(panics(mail_flow_get));
    CHECK(panics(mail_flow_put));
}

int main(int argc, char **argv)
{
    (void)argc;
    msg_stderr_init(argv[0]);
    RUN(tokens_go_in_and_out);
    RUN(too_few_tokens_take_nothing);
    RUN(full_pipe_caps_the_total);
    RUN(no_pipe_is_minus_one);
    RUN(bad_counts_are_bugs);
    return (TESTS_DONE());
}
