/*
 * master_flow - the mail flow-control pipe that every child inherits.
 *
 * Exports master_flow_init() and master_flow_pipe[]: one non-blocking pipe
 * created at start-up and handed to every child as descriptors 3 and 4
 * (see mail_flow.c for what the children do with it). The master only
 * creates it and keeps it open, so that tokens survive the children.
 *
 * Failure: a pipe that cannot be created is fatal.
 */

#include <unistd.h>

#include "iostuff.h"
#include "master.h"
#include "msg.h"

int master_flow_pipe[2] = {-1, -1};

/* master_flow_init - create the flow-control pipe */
void master_flow_init(void)
{
    if (pipe(master_flow_pipe) < 0)
        msg_fatal("master_flow_init: pipe: %m");
    non_blocking(master_flow_pipe[0], NON_BLOCKING);
    non_blocking(master_flow_pipe[1], NON_BLOCKING);
    close_on_exec(master_flow_pipe[0], CLOSE_ON_EXEC);
    close_on_exec(master_flow_pipe[1], CLOSE_ON_EXEC);
}
