/* debug_process_test - running debugger_command, and what happens when it is missing or fails */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "debug_process.h"
#include "mail_params.h"
#include "msg.h"
#include "testing.h"

/* in_child - run debug_process() in a child; its stderr and exit status */
static const char *in_child(const char *command, int *status)
{
    static char buf[2000];
    int fds[2];
    pid_t pid;
    ssize_t n;
    size_t got = 0;

    fflush(stdout);
    if (pipe(fds) < 0 || (pid = fork()) < 0)
        msg_fatal("pipe/fork: %m");
    if (pid == 0) {
        close(fds[0]);
        dup2(fds[1], 1);
        dup2(fds[1], 2);
        var_debugger_command = (char *)command;
        debug_process();
        _exit(0);
    }
    close(fds[1]);
    while (got < sizeof(buf) - 1 && (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    buf[got] = 0;
    close(fds[0]);
    waitpid(pid, status, 0);
    return (buf);
}

TEST(command_runs_and_the_process_goes_on)
{
    int status;

    CHECK_STR(in_child("echo attached", &status),
              "debug_process_test: running: echo attached\nattached\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

TEST(missing_command_is_fatal)
{
    int status;

    CHECK_STR(in_child("", &status), "debug_process_test: fatal: no debugger_command variable set up\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
    CHECK_STR(in_child(0, &status), "debug_process_test: fatal: no debugger_command variable set up\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

TEST(failing_command_is_a_warning)
{
    int status;

    CHECK_STR(in_child("exit 3", &status),
              "debug_process_test: running: exit 3\n"
              "debug_process_test: warning: exit 3: exit status 3\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
    CHECK_STR(in_child("kill -9 $$", &status),
              "debug_process_test: running: kill -9 $$\n"
              "debug_process_test: warning: kill -9 $$: killed by signal 9\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

int main(int argc, char **argv)
{
    (void)argc;
    msg_stderr_init(argv[0]);
    RUN(command_runs_and_the_process_goes_on);
    RUN(missing_command_is_fatal);
    RUN(failing_command_is_a_warning);
    return (TESTS_DONE());
}
