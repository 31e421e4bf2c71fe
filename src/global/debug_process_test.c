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
#include "testing_child.h"

static const char *child_command;

/* run_debug_process - the child: debug_process() with child_command */
static void run_debug_process(void)
{
    var_debugger_command = (char *)child_command;
    debug_process();
}

/* in_child - run debug_process() in a child; its output and exit status */
static const char *in_child(const char *command, int *status)
{
    child_command = command;
    return (testing_child_run(run_debug_process, status));
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

    CHECK_STR(in_child("", &status),
              "debug_process_test: fatal: no debugger_command variable set up\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
    CHECK_STR(in_child(0, &status),
              "debug_process_test: fatal: no debugger_command variable set up\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

TEST(failing_command_is_a_warning)
{
    int status;

    CHECK_STR(in_child("exit 3", &status), "debug_process_test: running: exit 3\n"
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
