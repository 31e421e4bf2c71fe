/* testing_child_test - the child's output and exit status come back */

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

#include "msg.h"
#include "testing.h"
#include "testing_child.h"

static void say_and_return(void)
{
    printf("to stdout\n");
    fprintf(stderr, "to stderr\n");
}

static void die(void)
{
    msg_fatal("no way out");
}

TEST(output_of_both_streams_and_status_zero)
{
    int status;

    CHECK_STR(testing_child_run(say_and_return, &status), "to stdout\nto stderr\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 0, 1);
}

TEST(a_fatal_error_exits_one)
{
    int status;

    CHECK_STR(testing_child_run(die, &status), "testing_child_test: fatal: no way out\n");
    CHECK_INT(WIFEXITED(status) && WEXITSTATUS(status) == 1, 1);
}

int main(int argc, char **argv)
{
    msg_stderr_init("testing_child_test");
    RUN(output_of_both_streams_and_status_zero);
    RUN(a_fatal_error_exits_one);
    return (TESTS_DONE());
}
