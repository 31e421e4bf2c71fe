/*
 * testing_child - run a piece of a module test in a child process.
 *
 * Tests of code that changes the process for good (giving up root, running
 * a debugger, dying with msg_fatal) run that code in a child and compare
 * what it printed and how it exited. testing_child_run() is that child:
 * stdout (unbuffered) and stderr both go to one pipe, msg_fatal() leaves
 * through exit() rather than _exit() so that coverage counts are written,
 * and the parent reads everything until the child closes the pipe.
 *
 * Failure: a pipe or fork failure is fatal; output beyond the buffer is
 * cut off.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "msg.h"
#include "testing_child.h"

/* testing_child_run - run fn() in a child; its output and wait status */
const char *testing_child_run(void (*fn)(void), int *status)
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
        setvbuf(stdout, (char *)0, _IONBF, 0);
        msg_exit_hook(exit);
        fn();
        fflush(stdout);
        exit(0); /* not _exit: coverage counters are written at exit */
    }
    close(fds[1]);
    while (got < sizeof(buf) - 1 && (n = read(fds[0], buf + got, sizeof(buf) - 1 - got)) > 0)
        got += n;
    buf[got] = 0;
    close(fds[0]);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR)
            msg_fatal("waitpid: %m");
    return (buf);
}
