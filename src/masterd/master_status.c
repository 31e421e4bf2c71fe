/*
 * master_status - the master's end of each service's status channel.
 *
 * Every service has one socket pair. The children of the service share the
 * child end (descriptor 5) and write MASTER_STATUS reports to it; the master
 * reads them here and moves the reporting process between "available" and
 * "taken". A report is trusted only as far as it goes: it must come from a
 * process of this service with the generation the master gave it. Closing
 * the master end (service removed or changed) makes every child of the
 * service see end-of-file and exit when idle.
 *
 * Exports master_status_init() and master_status_cleanup().
 *
 * Failure: a socket pair that cannot be created is fatal; bad reports are
 * logged and ignored.
 */

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "master.h"
#include "master_proto.h"
#include "msg.h"

/* master_status_event - read one status report */
static void master_status_event(int event, void *context)
{
    MASTER_SERV *serv = context;
    MASTER_STATUS stat;
    MASTER_PROC *proc;
    ssize_t n;

    n = read(serv->status_fd[0], &stat, sizeof(stat));
    if (n < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_warn("master_status_event: read: %m");
        return;
    }
    if (n == 0)
        msg_panic("master_status_event: read EOF status");
    if (n != (ssize_t)sizeof(stat)) {
        msg_warn("service %s(%s): child sent partial status update (%ld bytes)", serv->ext_name,
                 serv->name, (long)n);
        return;
    }
    if (msg_verbose)
        msg_info("master_status_event: pid %d gen %u avail %d", stat.pid, stat.gen, stat.avail);
    if ((proc = master_proc_find(stat.pid)) == 0 || proc->serv != serv) {
        if (msg_verbose)
            msg_info("master_status_event: process id not found: %d", stat.pid);
        return;
    }
    if (proc->gen != stat.gen) {
        msg_info("ignoring status update from child pid %d generation %u", stat.pid, stat.gen);
        return;
    }
    switch (stat.avail) {
    case MASTER_STAT_AVAIL:
        master_avail_more(serv, proc);
        break;
    case MASTER_STAT_TAKEN:
        proc->use_count++;
        master_avail_less(serv, proc);
        break;
    default:
        msg_warn("master_status_event: ignoring unknown status: %d allegedly from pid: %d",
                 stat.avail, stat.pid);
        break;
    }
}

/* master_status_init - create the status channel of a service */
void master_status_init(MASTER_SERV *serv)
{
    if (serv->status_fd[0] >= 0)
        msg_panic("master_status_init: status events already enabled");
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, serv->status_fd) < 0)
        msg_fatal("master_status_init: socketpair: %m");
    non_blocking(serv->status_fd[0], NON_BLOCKING);
    close_on_exec(serv->status_fd[0], CLOSE_ON_EXEC);
    close_on_exec(serv->status_fd[1], CLOSE_ON_EXEC);
    event_enable_read(serv->status_fd[0], master_status_event, serv);
}

/* master_status_cleanup - close the status channel of a service */
void master_status_cleanup(MASTER_SERV *serv)
{
    if (serv->status_fd[0] < 0)
        msg_panic("master_status_cleanup: status events not enabled");
    event_disable_readwrite(serv->status_fd[0]);
    if (close(serv->status_fd[0]) != 0)
        msg_warn("master_status_cleanup: close status descriptor (read side): %m");
    if (close(serv->status_fd[1]) != 0)
        msg_warn("master_status_cleanup: close status descriptor (write side): %m");
    serv->status_fd[0] = serv->status_fd[1] = -1;
}
