/*
 * master_listen - open and close the listeners of a service.
 *
 * The master owns every endpoint: it creates them as root before any child
 * runs, so a child never needs privileges to bind port 25, and a restarted
 * child finds its socket where the last one left it. UNIX-domain sockets
 * and FIFOs are created with the mail_owner's identity (the files belong to
 * mail_owner, as the queue tree expects); the effective ids are restored at
 * once. TCP listeners are one per address in listen_addrs.
 *
 * Exports master_listen_init() and master_listen_cleanup().
 *
 * Failure: an endpoint that cannot be created is fatal (the listen
 * primitives say which and why); the master cannot offer the service.
 */

#include <errno.h>
#include <unistd.h>

#include "iostuff.h"
#include "listen.h"
#include "mail_params.h"
#include "master.h"
#include "msg.h"
#include "mymalloc.h"

/* master_listen_backlog - queue length for a service's listeners */
static int master_listen_backlog(MASTER_SERV *serv)
{
    return (serv->max_proc > var_default_process_limit ? serv->max_proc
                                                       : var_default_process_limit);
}

/* master_as_owner - switch effective ids to mail_owner (on) or back to root */
static void master_as_owner(int on)
{
    if (getuid() != 0)
        return;
    if (on) {
        if (setegid(var_owner_gid) < 0)
            msg_fatal("setegid %ld: %m", (long)var_owner_gid);
        if (seteuid(var_owner_uid) < 0)
            msg_fatal("seteuid %ld: %m", (long)var_owner_uid);
    } else {
        if (seteuid(0) < 0)
            msg_fatal("seteuid 0: %m");
        if (setegid(0) < 0)
            msg_fatal("setegid 0: %m");
    }
}

/* master_listen_init - create the listeners of one service */
int master_listen_init(MASTER_SERV *serv)
{
    int i;

    switch (serv->type) {
    case MASTER_SERV_TYPE_UNIX:
    case MASTER_SERV_TYPE_PASS:
        master_as_owner(1);
        serv->listen_fds[0] = unix_listen(serv->name, master_listen_backlog(serv), NON_BLOCKING);
        master_as_owner(0);
        break;
    case MASTER_SERV_TYPE_UXDG:
        master_as_owner(1);
        serv->listen_fds[0] = unix_dgram_listen(serv->name, NON_BLOCKING);
        master_as_owner(0);
        break;
    case MASTER_SERV_TYPE_FIFO:
        master_as_owner(1);
        serv->listen_fds[0] = fifo_listen(serv->name, 0622, NON_BLOCKING);
        master_as_owner(0);
        break;
    case MASTER_SERV_TYPE_INET:
        for (i = 0; i < serv->listen_fd_count; i++)
            serv->listen_fds[i] =
                inet_listen(serv->listen_addrs->argv[i], master_listen_backlog(serv), NON_BLOCKING);
        break;
    default:
        msg_panic("master_listen_init: unknown service type %d", serv->type);
    }
    for (i = 0; i < serv->listen_fd_count; i++)
        close_on_exec(serv->listen_fds[i], CLOSE_ON_EXEC);
    return (0);
}

/* master_listen_cleanup - close the listeners of one service */
void master_listen_cleanup(MASTER_SERV *serv)
{
    int i;

    for (i = 0; i < serv->listen_fd_count; i++) {
        if (serv->listen_fds[i] < 0)
            continue;
        if (close(serv->listen_fds[i]) < 0)
            msg_warn("master_listen_cleanup: close listener socket %d: %m", serv->listen_fds[i]);
        serv->listen_fds[i] = -1;
    }
}
