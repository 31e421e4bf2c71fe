/*
 * debug_process - run debugger_command on this process (the -D option).
 *
 * Exports debug_process(): run the command in debugger_command (already
 * $name-expanded, so $process_id and $process_name name this process)
 * through the shell and wait for it; the command typically starts a
 * debugger that attaches to us.
 *
 * Failure: an empty debugger_command is fatal, with Postfix's message: the
 * operator asked for a debugger and would not get one. A command that fails
 * is logged with a warning and the process goes on, as Postfix's does.
 */

#include <stdlib.h>
#include <sys/wait.h>

#include "debug_process.h"
#include "mail_params.h"
#include "msg.h"

/* debug_process - start the debugger on ourself */
void debug_process(void)
{
    int status;

    if (var_debugger_command == 0 || *var_debugger_command == 0)
        msg_fatal("no debugger_command variable set up");
    msg_info("running: %s", var_debugger_command);
    if ((status = system(var_debugger_command)) == -1)
        msg_warn("cannot run %s: %m", var_debugger_command);
    else if (WIFEXITED(status) && WEXITSTATUS(status) != 0)
        msg_warn("%s: exit status %d", var_debugger_command, WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        msg_warn("%s: killed by signal %d", var_debugger_command, WTERMSIG(status));
}
