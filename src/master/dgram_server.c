/*
 * dgram_server - skeleton for daemons that read datagrams.
 *
 * Exports dgram_server_main(). The process reads one datagram at a time
 * from its unix-dgram socket (postlogd's "postlog" service) and calls the
 * service function with it; a datagram longer than the buffer is cut, not
 * split. It tells the master it is taken while the service runs, and exits
 * after max_use datagrams, max_idle seconds without one, or when the master
 * goes away.
 *
 * Transports: unix-dgram only.
 *
 * Failure: read errors other than "nothing there" are fatal.
 */

#include <errno.h>
#include <sys/socket.h>
#include <unistd.h>

#include "events.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

#define DGRAM_BUF_SIZE 65536

static MAIL_SERVER dgram_server;
static DGRAM_SERVER_FN dgram_server_service;

/* dgram_server_abort - the master went away */
static void dgram_server_abort(int event, void *context)
{
    if (msg_verbose)
        msg_info("master disconnect -- exiting");
    mail_server_exit(&dgram_server);
}

/* dgram_server_timeout - idle for too long */
static void dgram_server_timeout(int event, void *context)
{
    if (msg_verbose)
        msg_info("idle timeout -- exiting");
    mail_server_exit(&dgram_server);
}

/* dgram_server_accept - a datagram is waiting */
static void dgram_server_accept(int event, void *context)
{
    MAIL_SERVER *ms = &dgram_server;
    static char buf[DGRAM_BUF_SIZE];
    int listen_fd = (int)(long)context;
    ssize_t len;

    mail_server_idle_timer(ms, dgram_server_timeout, 0);
    if ((len = recv(listen_fd, buf, sizeof(buf) - 1, 0)) < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_fatal("read: %m");
    } else {
        if (msg_verbose)
            msg_info("dgram_server_accept: request arrived");
        buf[len] = 0;
        if (mail_server_notify(ms, MASTER_STAT_TAKEN) < 0)
            dgram_server_abort(0, 0);
        dgram_server_service(buf, len, ms->service_name, ms->argv);
        if (mail_server_notify(ms, MASTER_STAT_AVAIL) < 0)
            dgram_server_abort(0, 0);
        ms->use_count++;
        if (var_max_use > 0 && ms->use_count >= var_max_use)
            mail_server_exit(ms);
    }
    mail_server_idle_timer(ms, dgram_server_timeout, 1);
}

/* dgram_server_main - the daemon's main program */
void dgram_server_main(int argc, char **argv, DGRAM_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &dgram_server;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "dgram_server", MAIL_SERVER_OPTS_TRIGGER, argc, argv, ap);
    va_end(ap);
    dgram_server_service = service;
    mail_server_need_transport(ms, MASTER_XPORT_NAME_UXDG, (char *)0);
    mail_server_drop_privileges(ms);
    mail_server_watch_master(ms, dgram_server_abort);
    mail_server_listen_all(ms, dgram_server_accept);
    mail_server_idle_timer(ms, dgram_server_timeout, 1);
    mail_server_run(ms);
}
