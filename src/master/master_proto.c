/*
 * master_proto - the child's side of the master status channel.
 *
 * Exports master_notify(): tell the master whether this process is idle
 * (MASTER_STAT_AVAIL) or busy with a client (MASTER_STAT_TAKEN). The master
 * spawns another process of a service only when none is idle, so a report
 * must be sent every time the state changes.
 *
 * Failure: -1 when the report cannot be written in full; that means the
 * master is gone (or dropped this service on reload), and the caller should
 * finish up and exit.
 */

#include <errno.h>
#include <unistd.h>

#include "master_proto.h"
#include "msg.h"

/* master_notify - report availability to the master */
int master_notify(int pid, unsigned generation, int status)
{
    MASTER_STATUS stat;
    ssize_t n;

    stat.pid = pid;
    stat.gen = generation;
    stat.avail = status;
    do {
        n = write(MASTER_STATUS_FD, &stat, sizeof(stat));
    } while (n < 0 && errno == EINTR);
    if (n != (ssize_t)sizeof(stat)) {
        if (msg_verbose)
            msg_info("master_notify: status %d: %m", status);
        return (-1);
    }
    if (msg_verbose)
        msg_info("master_notify: status %d", status);
    return (0);
}
