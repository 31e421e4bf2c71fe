/*
 * mail_server - the start-up and housekeeping that every skeleton shares.
 *
 * mail_server_init() turns the command line that the master built
 * ("smtpd -n name -t inet -u -c -o x=y ...") and the program's tagged
 * options into a MAIL_SERVER: it reads main.cf, applies -o overrides, opens
 * the log, checks that master.cf gave the service the process limit and
 * privileges that the program needs, and changes to the queue directory.
 * mail_server_drop_privileges() runs the pre-init hook as root, enters the
 * chroot jail when asked (-c), becomes mail_owner when asked (-u), and runs
 * the post-init hook. The rest are small helpers for the skeletons: status
 * reports, accepting (including descriptor passing), idle timers, flow
 * control and the watchdog.
 *
 * Options (same meaning in every daemon):
 *   -c        chroot to queue_directory     -n name   master.cf service name
 *   -d        may run with a terminal        -o n=v    main.cf override
 *   -D        run debugger_command           -s n      number of listeners
 *   -i secs   max_idle                       -S        serve standard input
 *   -l        maxproc is 1                   -t type   transport type
 *   -m count  max_use                        -u        drop to mail_owner
 *   -r secs   retire (multi/event servers)   -v        more verbose
 *   -V        also log to standard error     -z        maxproc is 0
 *
 * Failure: everything here is fatal: a daemon that is set up wrong must
 * not serve, and the master throttles a service whose processes die young.
 */

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "debug_process.h"
#include "events.h"
#include "iostuff.h"
#include "mail_conf.h"
#include "mail_flow.h"
#include "mail_params.h"
#include "mail_server_int.h"
#include "maillog_client.h"
#include "master_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "sane_accept.h"
#include "set_ugid.h"
#include "stringops.h"
#include "unix_pass_fd.h"

/* mail_server_option - apply one command-line option */
static void mail_server_option(MAIL_SERVER *ms, int c, char *arg)
{
    char *copy;
    char *name;
    char *value;
    const char *err;

    switch (c) {
    case 'c':
        ms->chroot = 1;
        break;
    case 'd':
        ms->daemon_mode = 0;
        break;
    case 'D':
        ms->debug_me = 1;
        break;
    case 'i':
        mail_conf_update("max_idle", arg);
        break;
    case 'l':
        ms->solitary = 1;
        break;
    case 'm':
        mail_conf_update("max_use", arg);
        break;
    case 'n':
        ms->service_name = arg;
        break;
    case 'o':
        copy = mystrdup(arg);
        if (strchr(copy, '=') == 0)
            msg_fatal("invalid \"-o %s\" option value: missing '='", arg);
        if ((err = split_nameval(copy, &name, &value)) != 0)
            msg_fatal("invalid \"-o %s\" option value: %s", arg, err);
        mail_conf_update(name, value);
        myfree(copy);
        break;
    case 'r':
        if ((ms->retire_time = atoi(arg)) <= 0 || !alldig(arg))
            msg_fatal("invalid retirement time: %s", arg);
        break;
    case 's':
        if (!alldig(arg) || (ms->socket_count = atoi(arg)) <= 0 || ms->socket_count > 1000)
            msg_fatal("invalid socket_count: %s", arg);
        break;
    case 'S':
        ms->stand_alone = 1;
        break;
    case 't':
        ms->transport = arg;
        break;
    case 'u':
        ms->unprivileged = 1;
        break;
    case 'v':
        msg_verbose++;
        break;
    case 'V':
        ms->log_stderr = 1;
        break;
    case 'z':
        ms->unlimited = 1;
        break;
    default:
        msg_fatal("invalid option: %c", c);
    }
}

/* mail_server_tags - take the program's tagged options */
static void mail_server_tags(MAIL_SERVER *ms, va_list ap)
{
    int key;

    while ((key = va_arg(ap, int)) != 0) {
        switch (key) {
        case MAIL_SERVER_PRE_INIT:
            ms->pre_init = va_arg(ap, MAIL_SERVER_INIT_FN);
            break;
        case MAIL_SERVER_POST_INIT:
            ms->post_init = va_arg(ap, MAIL_SERVER_INIT_FN);
            break;
        case MAIL_SERVER_LOOP:
            ms->loop = va_arg(ap, MAIL_SERVER_LOOP_FN);
            break;
        case MAIL_SERVER_EXIT:
            ms->on_exit = va_arg(ap, MAIL_SERVER_EXIT_FN);
            break;
        case MAIL_SERVER_SLOW_EXIT:
            ms->slow_exit = va_arg(ap, MAIL_SERVER_EXIT_FN);
            break;
        case MAIL_SERVER_PRE_ACCEPT:
            ms->pre_accept = va_arg(ap, MAIL_SERVER_ACCEPT_FN);
            break;
        case MAIL_SERVER_PRE_DISCONN:
            ms->pre_disconn = va_arg(ap, MAIL_SERVER_DISCONN_FN);
            break;
        case MAIL_SERVER_POST_ACCEPT:
            ms->post_accept = va_arg(ap, MAIL_SERVER_POST_ACCEPT_FN);
            break;
        case MAIL_SERVER_SOLITARY:
            ms->need_solitary = 1;
            break;
        case MAIL_SERVER_UNLIMITED:
            ms->need_unlimited = 1;
            break;
        case MAIL_SERVER_PRIVILEGED:
            ms->need_privileged = 1;
            break;
        case MAIL_SERVER_IN_FLOW_DELAY:
            ms->in_flow_delay = 1;
            break;
        case MAIL_SERVER_WATCHDOG:
            ms->watchdog = *va_arg(ap, int *);
            break;
        default:
            msg_panic("%s: unknown argument type: %d", ms->kind, key);
        }
    }
}

/* mail_server_check - master.cf must match what the program needs */
static void mail_server_check(MAIL_SERVER *ms)
{
    const char *gen;
    char *end;
    unsigned long val;

    if (ms->stand_alone == 0 && ms->daemon_mode && isatty(STDIN_FILENO)) {
        msg_stderr_init(var_process_name);
        msg_fatal("do not run this command by hand");
    }
    if (ms->stand_alone)
        return;
    if (ms->need_solitary && !ms->solitary)
        msg_fatal("service %s requires a process limit of 1", ms->service_name);
    if (ms->need_unlimited && !ms->unlimited)
        msg_fatal("service %s requires a process limit of 0", ms->service_name);
    if (ms->need_privileged && ms->unprivileged)
        msg_fatal("service %s requires privileged operation", ms->service_name);
    if (ms->transport == 0)
        msg_fatal("no transport type specified");
    if ((gen = getenv(MASTER_GEN_NAME)) != 0) {
        errno = 0;
        val = strtoul(gen, &end, 8);
        if (*gen == 0 || *end != 0 || errno != 0 || !alldig(gen) || val > 0xffffffffUL)
            msg_fatal("bad generation: %s", gen);
        ms->generation = (unsigned)val;
        if (msg_verbose)
            msg_info("process generation: %s (%o)", gen, ms->generation);
    }
}

/* mail_server_init - everything up to the privileged hooks */
void mail_server_init(MAIL_SERVER *ms, const char *kind, const char *opts, int argc, char **argv,
                      va_list ap)
{
    const char *progname = basename_of(argv[0]);
    int fd;
    int c;

    memset(ms, 0, sizeof(*ms));
    ms->kind = kind;
    ms->daemon_mode = 1;
    ms->socket_count = 1;
    ms->service_name = (char *)progname;
    if (getenv("MAIL_VERBOSE"))
        msg_verbose = 1;
    if (getenv("MAIL_DEBUG"))
        ms->debug_me = 1;
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);

    /* Log somewhere before main.cf says where; syslog is the default. */
    mail_param_set_process_name(progname);
    msg_output_reset();
    msg_syslog_init(progname, maillog_client_facility("mail"));

    mail_conf_suck();
    opterr = 0;
    optind = 1;
    while ((c = getopt(argc, argv, opts)) > 0)
        mail_server_option(ms, c == '?' ? optopt : c, optarg);
    ms->argv = argv + optind;
    mail_conf_update("service_name", ms->service_name);
    /* With -V a bad parameter value shows on stderr too, as in Postfix. */
    if (ms->log_stderr)
        msg_stderr_init(progname);
    mail_params_init();

    msg_output_reset();
    maillog_client_init(progname);
    if (ms->log_stderr)
        msg_stderr_init(progname);
    if (msg_verbose)
        msg_info("daemon started");
    mail_server_tags(ms, ap);
    mail_server_check(ms);

    /* The inherited descriptors must not leak into programs we run. */
    if (!ms->stand_alone)
        for (fd = MASTER_FLOW_READ; fd < MASTER_LISTEN_FD + ms->socket_count; fd++)
            close_on_exec(fd, CLOSE_ON_EXEC);
    if (ms->debug_me)
        debug_process();
    if (chdir(var_queue_directory) < 0)
        msg_fatal("chdir(\"%s\"): %m", var_queue_directory);
}

/* mail_server_drop_privileges - pre-init as root, jail, post-init */
void mail_server_drop_privileges(MAIL_SERVER *ms)
{
    if (ms->pre_init)
        ms->pre_init(ms->service_name, ms->argv);
    tzset();
    if (ms->chroot) {
        if (chroot(var_queue_directory) < 0)
            msg_fatal("chroot(%s): %m", var_queue_directory);
        if (chdir("/") < 0)
            msg_fatal("chdir(\"/\"): %m");
    }
    if (ms->unprivileged)
        set_ugid(var_owner_uid, var_owner_gid);
    if (ms->post_init)
        ms->post_init(ms->service_name, ms->argv);
}

/* mail_server_exit - voluntary termination */
void mail_server_exit(MAIL_SERVER *ms)
{
    if (ms->on_exit)
        ms->on_exit(ms->service_name, ms->argv);
    exit(0);
}

/* mail_server_watch_master - the master end closing means: finish up */
void mail_server_watch_master(MAIL_SERVER *ms, void (*abort_fn)(int, void *))
{
    if (!ms->stand_alone)
        event_enable_read(MASTER_STATUS_FD, abort_fn, ms);
}

/* mail_server_notify - report available/taken; -1 when the master is gone */
int mail_server_notify(MAIL_SERVER *ms, int status)
{
    if (ms->stand_alone)
        return (0);
    return (master_notify(getpid(), ms->generation, status));
}

/* mail_server_listen_all - watch every listener */
void mail_server_listen_all(MAIL_SERVER *ms, void (*fn)(int, void *))
{
    long fd;

    for (fd = MASTER_LISTEN_FD; fd < MASTER_LISTEN_FD + ms->socket_count; fd++)
        event_enable_read(fd, fn, (void *)fd);
}

/* mail_server_unlisten_all - stop watching the listeners */
void mail_server_unlisten_all(MAIL_SERVER *ms)
{
    int fd;

    for (fd = MASTER_LISTEN_FD; fd < MASTER_LISTEN_FD + ms->socket_count; fd++)
        event_disable_readwrite(fd);
}

/* mail_server_accept - one client connection; -1 with errno when none */
int mail_server_accept(MAIL_SERVER *ms, int listen_fd)
{
    int conn;
    int fd;
    int saved;

    if (ms->pre_accept)
        ms->pre_accept(ms->service_name, ms->argv);
    if ((conn = sane_accept(listen_fd, (struct sockaddr *)0, (socklen_t *)0)) < 0)
        return (-1);
    if (strcmp(ms->transport, MASTER_XPORT_NAME_PASS) != 0)
        return (conn);

    /* Descriptor passing: the real client comes over the connection. */
    if (read_wait(conn, var_ipc_timeout) < 0 || (fd = unix_recv_fd(conn)) < 0) {
        saved = errno;
        msg_warn("%s: receive connection: %m", ms->kind);
        (void)close(conn);
        errno = saved ? saved : EAGAIN;
        return (-1);
    }
    (void)close(conn);
    return (fd);
}

/* mail_server_close_inherited - a drained copy gives back listeners and status */
void mail_server_close_inherited(MAIL_SERVER *ms)
{
    int fd;

    for (fd = MASTER_STATUS_FD; fd < MASTER_LISTEN_FD + ms->socket_count; fd++)
        (void)close(fd);
}

/* mail_server_need_transport - fatal unless -t names one of these */
void mail_server_need_transport(MAIL_SERVER *ms, ...)
{
    const char *name;
    va_list ap;

    if (ms->stand_alone)
        return;
    va_start(ap, ms);
    do {
        name = va_arg(ap, const char *);
    } while (name != 0 && strcasecmp(ms->transport, name) != 0);
    va_end(ap);
    if (name == 0)
        msg_fatal("unsupported transport type: %s", ms->transport);
}

/* mail_server_idle_timer - arm or cancel the max_idle timer */
void mail_server_idle_timer(MAIL_SERVER *ms, void (*fn)(int, void *), int on)
{
    if (on && var_max_idle > 0 && !ms->stand_alone)
        event_request_timer(fn, ms, var_max_idle);
    else
        event_cancel_timer(fn, ms);
}

/* mail_server_flow_delay - take a flow token, or wait for in_flow_delay */
void mail_server_flow_delay(MAIL_SERVER *ms)
{
    struct timespec ts;

    if (!ms->in_flow_delay || var_in_flow_delay <= 0 || ms->stand_alone)
        return;
    if (mail_flow_get(1) < 0) {
        ts.tv_sec = var_in_flow_delay;
        ts.tv_nsec = 0;
        while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
            /* void */;
    }
}

/* mail_server_watchdog_alarm - no progress for too long */
static void mail_server_watchdog_alarm(int sig)
{
    msg_fatal("watchdog timeout");
}

/* mail_server_run - the event loop, with the loop hook and the watchdog */
void mail_server_run(MAIL_SERVER *ms)
{
    int timeout = ms->watchdog > 0 ? ms->watchdog : var_daemon_timeout;
    int delay;

    signal(SIGALRM, mail_server_watchdog_alarm);
    for (;;) {
        delay = ms->loop ? ms->loop(ms->service_name, ms->argv) : -1;
        if (timeout > 0)
            alarm(delay > 0 && delay >= timeout ? delay + timeout : timeout);
        event_loop(delay);
    }
}
