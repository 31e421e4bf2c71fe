/*
 * debug_process - run debugger_command on this process (the -D option).
 *
 * Exports debug_process(): run the command in debugger_command (already
 * $name-expanded, so $process_id and $process_name name this process)
 * through the shell and wait for it; the command typically starts a
 * debugger that attaches to us.
 *
 * Failure: an empty debugger_command, or a command that cannot be run, is
 * fatal: the operator asked for a debugger and would not get one.
 */

#include <stdlib.h>

#include "debug_process.h"
#include "mail_params.h"
#include "msg.h"

/* debug_process - start the debugger on ourself */
void debug_process(void)
{
    int status;

    if (var_debugger_command == 0 || *var_debugger_command == 0)
        msg_fatal("no debugger_command is set in main.cf");
    msg_info("running: %s", var_debugger_command);
    if ((status = system(var_debugger_command)) != 0)
        msg_fatal("%s: exit status %d", var_debugger_command, status);
}
