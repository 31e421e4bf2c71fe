/*
 * master - the resident process that runs the mail system's daemons.
 *
 * Usage: master [-Dditsvw] [-c config_dir] [-e exit_time]
 *
 * The master reads main.cf and master.cf, creates every service's
 * listeners as root, and starts daemon processes on demand (see
 * master_avail.c, master_spawn.c); SIGHUP reloads, SIGTERM stops (see
 * master_sig.c). Two lock files keep a second master of the same instance
 * out: $queue_directory/pid/master.pid and $data_directory/master.lock,
 * both holding the pid, both locked while the master runs. The lock dies
 * with the process, so after "kill -9" a new start just works.
 *
 * Options:
 *   -c dir   configuration directory (also handed to the children)
 *   -D       run debugger_command after initialization
 *   -d       stay in the foreground with the terminal (debugging)
 *   -e secs  exit after this many seconds
 *   -i       init mode: PID 1 in a container; no new session, reap orphans
 *   -s       stay in the foreground (no terminal) and keep standard output,
 *            so that "maillog_file = /dev/stdout" works (postfix start-fg)
 *   -t       test: exit 0 when no master runs, 1 when one does
 *   -v       verbose, also passed to the children
 *   -w       wait until the background master has initialized
 *
 * Failure: anything that prevents a working start is fatal; with -w the
 * waiting process then exits non-zero.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "debug_process.h"
#include "events.h"
#include "iostuff.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "master.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "stringops.h"

#define MASTER_INIT_TIMEOUT 100 /* seconds that -w waits */

int master_detach = 1;
int master_init_mode = 0;

/* master_usage - complain about the command line */
static void master_usage(const char *me)
{
    msg_fatal("usage: %s [-c config_dir] [-D (debug)] [-d (don't detach from terminal)] "
              "[-e exit_time] [-t (test)] [-v] [-w (wait for initialization)]",
              me);
}

/* master_test_lock - -t: is a master running for this instance */
static int master_test_lock(const char *path)
{
    int fd;
    int running;

    if ((fd = open(path, O_RDWR | O_CLOEXEC)) < 0)
        return (0);
    running = myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) < 0;
    (void)close(fd);
    return (running);
}

/* master_lock - create, lock and fill in one lock file */
static int master_lock(const char *path)
{
    char buf[64];
    int fd;
    int len;

    if ((fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600)) < 0)
        msg_fatal("open lock file %s: cannot open file: %m", path);
    if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_EXCLUSIVE | MYFLOCK_OP_NOWAIT) < 0)
        msg_fatal("open lock file %s: unable to set exclusive lock: %m", path);
    len = snprintf(buf, sizeof(buf), "%*lu\n", (int)sizeof(unsigned long) * 4,
                   (unsigned long)getpid());
    if (ftruncate(fd, 0) < 0 || pwrite(fd, buf, len, 0) != len || fsync(fd) < 0)
        msg_fatal("cannot update lock file %s: %m", path);
    return (fd);
}

/* master_data_lock - the lock in data_directory, owned by mail_owner */
static int master_data_lock(void)
{
    char *path = concatenate(var_data_directory, "/master.lock", (char *)0);
    int fd;

    if (setegid(var_owner_gid) < 0 || seteuid(var_owner_uid) < 0)
        msg_fatal("set effective ids to %s: %m", var_mail_owner);
    fd = master_lock(path);
    if (seteuid(0) < 0 || setegid(0) < 0)
        msg_fatal("restore root privileges: %m");
    myfree(path);
    return (fd);
}

/* master_wait_for_init - -w: the foreground half waits for the background */
static int master_wait_for_init(void)
{
    int pair[2];
    char status;
    ssize_t n;
    pid_t child;

    if (pipe(pair) < 0)
        msg_fatal("pipe: %m");
    switch (child = fork()) {
    case -1:
        msg_fatal("fork: %m");
    case 0:
        (void)close(pair[0]);
        close_on_exec(pair[1], CLOSE_ON_EXEC);
        return (pair[1]);
    default:
        (void)close(pair[1]);
        n = timed_read(pair[0], &status, 1, MASTER_INIT_TIMEOUT, (void *)0);
        if (n < 0)
            msg_fatal("%m while waiting for daemon initialization");
        if (n == 0 || status != 0) {
            /* Let it finish dying, so that no one sees its lock still held. */
            (void)waitpid(child, (int *)0, 0);
            msg_fatal("daemon initialization failure -- see logs for details");
        }
        exit(0);
    }
}

/* master_detach_now - become a background daemon */
static void master_detach_now(int keep_stdout)
{
    int fd;

    if (master_detach && !master_init_mode) {
        if (setsid() < 0 && getsid(0) != getpid())
            msg_fatal("unable to set session and process group ID: %m");
    }
    if (!master_detach)
        return;
    if ((fd = open("/dev/null", O_RDWR)) < 0)
        msg_fatal("open /dev/null: %m");
    if (dup2(fd, STDIN_FILENO) < 0 || (!keep_stdout && dup2(fd, STDOUT_FILENO) < 0) ||
        dup2(fd, STDERR_FILENO) < 0)
        msg_fatal("dup2 /dev/null: %m");
    if (fd > STDERR_FILENO)
        (void)close(fd);
}

/* master_exit_event - the -e time is up */
static void master_exit_event(int event, void *context)
{
    msg_info("master exit time has arrived");
    exit(0);
}

/* master_environment - what the children inherit */
static void master_environment(void)
{
    ARGV *keep = argv_split(var_import_environment, ", \t\r\n");

    clean_env(keep->argv);
    argv_free(keep);
    if (setenv("MAIL_CONFIG", var_config_directory, 1) < 0 ||
        setenv("MAIL_LOGTAG", var_syslog_name, 1) < 0)
        msg_fatal("setenv: %m");
}

int main(int argc, char **argv)
{
    int test_lock = 0;
    int wait_init = 0;
    int keep_stdout = 0;
    int debug_me = 0;
    int exit_time = 0;
    int init_fd = -1;
    char *pid_path;
    int c;

    closefrom(STDERR_FILENO + 1);
    msg_stderr_init(argv[0]);
    if (getuid() != geteuid())
        msg_fatal("the master command must not run as a set-uid process");
    while ((c = getopt(argc, argv, "c:De:distvw")) > 0) {
        switch (c) {
        case 'c':
            mail_conf_set_dir(optarg);
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("setenv: %m");
            break;
        case 'D':
            debug_me = 1;
            break;
        case 'd':
            master_detach = 0;
            break;
        case 'e':
            if (!alldig(optarg) || (exit_time = atoi(optarg)) <= 0)
                master_usage(argv[0]);
            break;
        case 'i':
            master_init_mode = 1;
            keep_stdout = 1;
            break;
        case 's':
            keep_stdout = 1;
            break;
        case 't':
            test_lock = 1;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'w':
            wait_init = 1;
            break;
        default:
            master_usage(argv[0]);
        }
    }
    if (optind < argc)
        master_usage(argv[0]);
    if (getuid() != 0)
        msg_fatal("the master command is reserved for the superuser");
    if (test_lock && wait_init)
        msg_fatal("the -t and -w options cannot be used together");
    if (master_init_mode && (debug_me || !master_detach || wait_init))
        msg_fatal("the -i option cannot be used with -D, -d, or -w");
    if (master_init_mode && getpid() != 1)
        msg_fatal("-i is allowed only for PID 1 process");

    mail_param_set_process_name("master");
    mail_conf_read();
    if (chdir(var_queue_directory) < 0)
        msg_fatal("chdir %s: %m", var_queue_directory);
    pid_path = mystrdup("pid/master.pid");
    if (test_lock)
        exit(master_test_lock(pid_path));

    /* From here on the log is what the operator sees. */
    maillog_client_init("master");
    if (msg_verbose == 0 && master_detach == 0)
        msg_stderr_init(argv[0]);
    master_environment();
    if (wait_init)
        init_fd = master_wait_for_init();
    else if (master_detach && !master_init_mode && !keep_stdout) {
        switch (fork()) {
        case -1:
            msg_fatal("fork: %m");
        case 0:
            break;
        default:
            exit(0);
        }
    }
    master_detach_now(keep_stdout);
    if (master_detach) {
        msg_output_reset();
        maillog_client_init("master");
    }

    (void)master_lock(pid_path);
    (void)master_data_lock();
    master_flow_init();
    master_sig_init();
    master_config();
    msg_info("daemon started -- version %s, configuration %s", var_mail_version,
             var_config_directory);
    if (exit_time > 0)
        event_request_timer(master_exit_event, (void *)0, exit_time);
    if (init_fd >= 0) {
        if (write(init_fd, "", 1) != 1)
            msg_warn("cannot report initialization status: %m");
        (void)close(init_fd);
    }
    if (debug_me)
        debug_process();
    for (;;)
        event_loop(-1);
}
