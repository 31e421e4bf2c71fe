/*
 * single_server - skeleton for daemons that serve one client at a time.
 *
 * Exports single_server_main(). The process waits in the event loop for a
 * connection on any of its listeners (and for the master to go away),
 * accepts it, tells the master it is taken, calls the service function
 * with a blocking stream, closes the stream and tells the master it is
 * available again. Several processes of one service wait on the same
 * listeners; the one that loses the accept() race simply waits again.
 *
 * It exits after max_use clients, after max_idle seconds without one, or
 * when the status channel reports end-of-file (master gone or service
 * dropped by a reload), always between clients.
 *
 * Transports: inet, unix, pass; -S serves standard input once.
 *
 * Failure: accept errors other than a lost race are fatal.
 */

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "events.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "master_proto.h"
#include "msg.h"

static MAIL_SERVER single_server;
static SINGLE_SERVER_FN single_server_service;

/* single_server_abort - the master went away */
static void single_server_abort(int event, void *context)
{
    if (msg_verbose)
        msg_info("master disconnect -- exiting");
    mail_server_exit(&single_server);
}

/* single_server_timeout - idle for too long */
static void single_server_timeout(int event, void *context)
{
    if (msg_verbose)
        msg_info("idle timeout -- exiting");
    mail_server_exit(&single_server);
}

/* single_server_wakeup - serve one client on fd */
static void single_server_wakeup(int fd)
{
    MAIL_SERVER *ms = &single_server;
    VSTREAM *stream;

    if (msg_verbose)
        msg_info("connection established");
    non_blocking(fd, BLOCKING);
    close_on_exec(fd, CLOSE_ON_EXEC);
    stream = vstream_fdopen(fd, O_RDWR);
    vstream_set_timeout(stream, var_ipc_timeout);
    if (mail_server_notify(ms, MASTER_STAT_TAKEN) < 0)
        single_server_abort(0, 0);
    mail_server_flow_delay(ms);
    single_server_service(stream, ms->service_name, ms->argv);
    (void)vstream_fclose(stream);
    if (mail_server_notify(ms, MASTER_STAT_AVAIL) < 0)
        single_server_abort(0, 0);
    if (msg_verbose)
        msg_info("connection closed");
    ms->use_count++;
    if (var_max_use > 0 && ms->use_count >= var_max_use) {
        if (msg_verbose)
            msg_info("max_use reached -- exiting");
        mail_server_exit(ms);
    }
    mail_server_idle_timer(ms, single_server_timeout, 1);
}

/* single_server_accept - a listener is ready */
static void single_server_accept(int event, void *context)
{
    MAIL_SERVER *ms = &single_server;
    int listen_fd = (int)(long)context;
    int fd;

    mail_server_idle_timer(ms, single_server_timeout, 0);
    if ((fd = mail_server_accept(ms, listen_fd)) < 0) {
        if (errno != EAGAIN && errno != EINTR)
            msg_fatal("accept connection: %m");
        mail_server_idle_timer(ms, single_server_timeout, 1);
        return;
    }
    single_server_wakeup(fd);
}

/* single_server_main - the daemon's main program */
void single_server_main(int argc, char **argv, SINGLE_SERVER_FN service, ...)
{
    MAIL_SERVER *ms = &single_server;
    va_list ap;

    va_start(ap, service);
    mail_server_init(ms, "single_server", MAIL_SERVER_OPTS_STREAM, argc, argv, ap);
    va_end(ap);
    single_server_service = service;
    mail_server_need_transport(ms, MASTER_XPORT_NAME_INET, MASTER_XPORT_NAME_UNIX,
                               MASTER_XPORT_NAME_PASS, (char *)0);
    mail_server_drop_privileges(ms);

    if (ms->stand_alone) {
        /*
         * Standard input and output: one socket, or two pipes (sendmail
         * -bs run from a script), written through standard output.
         */
        VSTREAM *stream = vstream_fdopen(STDIN_FILENO, O_RDWR);

        vstream_set_write_fd(stream, STDOUT_FILENO);

        vstream_set_timeout(stream, var_ipc_timeout);
        service(stream, ms->service_name, ms->argv);
        (void)vstream_fclose(stream);
        mail_server_exit(ms);
    }
    mail_server_watch_master(ms, single_server_abort);
    mail_server_listen_all(ms, single_server_accept);
    mail_server_idle_timer(ms, single_server_timeout, 1);
    mail_server_run(ms);
}
