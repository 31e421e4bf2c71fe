/*
 * trigger_server - skeleton for daemons woken by one-byte requests.
 *
 * Exports trigger_server_main(). A trigger is a handful of bytes ("W",
 * "I", "FADI") that a client writes to the service's FIFO or socket and
 * then forgets; the skeleton reads them (at most 1024 per wakeup) and calls
 * the service function with the buffer. pickup, qmgr and flush are built
 * this way, and the master's wakeup timer sends them "W" periodically.
 *
 * The process tells the master it is taken while the service runs, exits
 * after max_use triggers or max_idle seconds without one, and when the
 * master goes away.
 *
 * Transports: fifo (read the FIFO itself), unix (accept, read, hang up),
 * pass (the connection carries a descriptor to read from).
 *
 * Failure: accept errors other than a lost race are fatal; a client that
 * connects and sends nothing in time is dropped.
 */

#include <errno.h>
#include <strings.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

#define TRIGGER_BUF_SIZE 1024
#define TRIGGER_READ_TIMEOUT 10

static MAIL_SERVER trigger_server;
static TRIGGER_SERVER_FN trigger_server_service;

/* trigger_server_abort - the master went away */
static void trigger_server_abort(int event, void *context)
{
    if (msg_verbose)
        msg_info("master disconnect -- exiting");
    mail_server_exit(&trigger_server);
}

/* trigger_server_timeout - idle for too long */
static void trigger_server_timeout(int event, void *context)
{
    if (msg_verbose)
        msg_info("idle timeout -- exiting");
    mail_server_exit(&trigger_server);
}

/* trigger_server_wakeup - hand the trigger bytes to the service */
static void trigger_server_wakeup(char *buf, ssize_t len)
{
    MAIL_SERVER *ms = &trigger_server;

    if (msg_verbose)
        msg_info("trigger_server_wakeup: trigger arrived");
    if (mail_server_notify(ms, MASTER_STAT_TAKEN) < 0)
        trigger_server_abort(0, 0);
    trigger_server_service(buf, len, ms->service_name, ms->argv);
    if (mail_server_notify(ms, MASTER_STAT_AVAIL) < 0)
        trigger_server_abort(0, 0);
    ms->use_count++;
    if (var_max_use > 0 && ms->use_count >= var_max_use) {
        if (msg_verbose)
            msg_info("max_use reached -- exiting");
        mail_server_exit(ms);
    }
}

/* trigger_server_accept - a listener is ready */
static void trigger_server_accept(int event, void *context)
{
    MAIL_SERVER *ms = &trigger_server;
    int listen_fd = (int)(long)context;
    char buf[TRIGGER_BUF_SIZE];
    ssize_t len;
    int fd;

    mail_server_idle_timer(ms, trigger_server_timeout, 0);
    if (strcasecmp(ms->transport, MASTER_XPORT_NAME_FIFO) == 0) {
        if ((len = read(listen_fd, buf, sizeof(buf))) <= 0) {
            if (len < 0 && errno != EAGAIN && errno != EINTR)
                msg_fatal("read: %m");
        } else {
            trigger_server_wakeup(buf, len);
        }
    } else if ((fd = mail_server_accept(ms, listen_fd)) < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_fatal("accept connection: %m");
    } else {
        len = timed_read(fd, buf, sizeof(buf), TRIGGER_READ_TIMEOUT, (void *)0);
        (void)close(fd);
        if (len > 0)
            trigger_server_wakeup(buf, len);
    }
    mail_server_idle_timer(ms, trigger_server_timeout, 1);
}

/* trigger_server_main - the daemon's main program */
void trigger_server_main(int argc, char **argv, TRIGGER_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &trigger_server;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "trigger_server", MAIL_SERVER_OPTS_TRIGGER, argc, argv, ap);
    va_end(ap);
    trigger_server_service = service;
    mail_server_need_transport(ms, MASTER_XPORT_NAME_FIFO, MASTER_XPORT_NAME_UNIX,
                               MASTER_XPORT_NAME_PASS, (char *)0);
    mail_server_drop_privileges(ms);
    mail_server_watch_master(ms, trigger_server_abort);
    mail_server_listen_all(ms, trigger_server_accept);
    mail_server_idle_timer(ms, trigger_server_timeout, 1);
    mail_server_run(ms);
}
