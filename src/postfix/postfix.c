/*
 * postfix - the administrative command: start, stop, reload, check, ...
 *
 * Usage: postfix [-Dv] [-c config_dir] command [args]
 *
 * Commands: check, start, start-fg, stop, abort, reload, flush, status,
 * set-permissions, upgrade-configuration, logrotate (postfix_logrotate.c),
 * post-install task.
 *
 * Reads main.cf (of -c config_dir or $MAIL_CONFIG), then does what
 * Postfix's postfix-script does, with the same messages: each goes to
 * standard error as "postfix/postfix-script: text" and to the mail log
 * under the same tag. The master's pid comes from the lock file
 * $queue_directory/pid/master.pid; whether a master runs is decided by
 * that file's lock, not by the pid in it, so a stale file after kill -9
 * is harmless.
 *
 * Exit status: 0 on success, 1 on failure ("status" also returns 1 when
 * no master runs); "flush" returns the queue tool's status.
 *
 * Failure: problems are fatal with Postfix's words, e.g.
 *   postfix/postfix-script: fatal: the Postfix mail system is not running
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "iostuff.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "msg.h"
#include "myflock.h"
#include "mymalloc.h"
#include "postfix.h"
#include "stringops.h"
#include "sys_exits.h"
#include "trigger.h"

#define POSTFIX_USAGE                                                                              \
    "Usage: postfix start (or stop, reload, abort, flush, check, status, "                         \
    "set-permissions, upgrade-configuration, logrotate)"

static char *postfix_tag;

/* postfix_stderr - "postfix/postfix-script: warning: text" on stderr */
static void postfix_stderr(int level, const char *text)
{
    char line[4200];
    int len;

    len = snprintf(line, sizeof(line), "%s: %s%s\n", postfix_tag ? postfix_tag : "postfix",
                   msg_level_prefix(level), text);
    if (len > (int)sizeof(line) - 1)
        len = sizeof(line) - 1;
    if (write(STDERR_FILENO, line, len) < 0) {
        /* nowhere else to report it */
    }
}

/* postfix_master_pid - pid of the running master, 0 when none runs */
static long postfix_master_pid(void)
{
    char *path = concatenate(var_queue_directory, "/pid/master.pid", (char *)0);
    char buf[64];
    ssize_t n;
    long pid = 0;
    int fd;

    if ((fd = open(path, O_RDONLY | O_CLOEXEC)) >= 0) {
        if (myflock(fd, MYFLOCK_STYLE_FLOCK, MYFLOCK_OP_SHARED | MYFLOCK_OP_NOWAIT) < 0) {
            if ((n = pread(fd, buf, sizeof(buf) - 1, 0)) > 0) {
                buf[n] = 0;
                pid = strtol(buf, (char **)0, 10);
            }
            if (pid <= 0)
                pid = -1; /* locked but unreadable: still running */
        }
        (void)close(fd);
    }
    myfree(path);
    return (pid);
}

/* postfix_run - run a program and wait; its exit status, or 1 */
static int postfix_run(char **argv)
{
    pid_t pid;
    int status;

    switch (pid = fork()) {
    case -1:
        msg_fatal("fork: %m");
    case 0:
        execv(argv[0], argv);
        msg_fatal("cannot execute %s: %m", argv[0]);
    default:
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR)
                msg_fatal("waitpid: %m");
        return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
    }
}

/* postfix_require_dirs - the directories that every command needs */
static void postfix_require_dirs(void)
{
    struct {
        const char *what;
        const char *path;
    } dirs[] = {
        {"command", var_command_directory},
        {"daemon", var_daemon_directory},
        {"configuration", var_config_directory},
        {"queue", var_queue_directory},
    };
    struct stat st;
    char *master;
    size_t i;

    for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
        if (stat(dirs[i].path, &st) < 0 || !S_ISDIR(st.st_mode))
            msg_fatal("no Postfix %s directory %s!", dirs[i].what, dirs[i].path);
    master = concatenate(var_daemon_directory, "/master", (char *)0);
    if (access(master, X_OK) < 0)
        msg_fatal("no Postfix master program %s!", master);
    myfree(master);
}

/* postfix_not_running - fatal unless a master runs; returns its pid */
static long postfix_running_pid(void)
{
    long pid;

    if ((pid = postfix_master_pid()) == 0)
        msg_fatal("the Postfix mail system is not running");
    if (pid < 0)
        msg_fatal("cannot read the master pid from %s/pid/master.pid", var_queue_directory);
    return (pid);
}

/* postfix_signal - send a signal to the master */
static void postfix_signal(long pid, int sig)
{
    if (kill((pid_t)pid, sig) < 0)
        msg_fatal("kill %ld: %m", pid);
}

/* postfix_start - start (or start-fg) */
static int postfix_start(int foreground)
{
    char *master = concatenate(var_daemon_directory, "/master", (char *)0);
    char *argv[3];

    if (postfix_master_pid() != 0)
        msg_fatal("the Postfix mail system is already running");
    if (postfix_check_fatal() != 0)
        msg_fatal("Postfix integrity check failed!");
    postfix_check_warn();
    msg_info("starting the Postfix mail system");
    argv[0] = master;
    argv[2] = 0;
    if (!foreground) {
        argv[1] = "-w";
        if (postfix_run(argv) != 0)
            msg_fatal("mail system startup failed");
        return (0);
    }
    argv[1] = getpid() == 1 ? "-i" : "-s";
    if (getpid() == 1) {
        execv(argv[0], argv);
        msg_fatal("cannot start-fg the master daemon");
    }
    return (postfix_run(argv));
}

/* postfix_stop - orderly stop, forced after five seconds */
static int postfix_stop(void)
{
    long pid = postfix_running_pid();
    struct timespec tick = {0, 100000000};
    int i;

    msg_info("stopping the Postfix mail system");
    postfix_signal(pid, SIGTERM);
    for (i = 0; i < 50; i++) {
        if (postfix_master_pid() == 0)
            return (0);
        if (i % 10 == 9)
            msg_info("waiting for the Postfix mail system to terminate");
        nanosleep(&tick, (struct timespec *)0);
    }
    msg_warn("stopping the Postfix mail system with force");
    if (kill(-(pid_t)pid, SIGKILL) < 0 && errno != ESRCH)
        (void)kill((pid_t)pid, SIGKILL);
    return (0);
}

/* postfix_flush - ask the queue manager to retry deferred mail */
static int postfix_flush(void)
{
    char *postqueue = concatenate(var_command_directory, "/postqueue", (char *)0);
    char *argv[3] = {postqueue, "-f", 0};
    char *path;

    if (access(postqueue, X_OK) == 0)
        return (postfix_run(argv));

    /* Without postqueue, send qmgr the same request ourselves. */
    path = concatenate(var_queue_directory, "/public/qmgr", (char *)0);
    if (unix_trigger(path, "FADI", 4, 10) < 0) {
        msg_output_reset();
        msg_stderr_init("postqueue");
        msg_warn("unable to look up public/qmgr: %m");
        msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
    }
    myfree(path);
    myfree(postqueue);
    return (0);
}

/* postfix_command - one command */
static int postfix_command(const char *cmd, char **args)
{
    long pid;

    if (strcmp(cmd, "start") == 0)
        return (postfix_start(0));
    if (strcmp(cmd, "start-fg") == 0)
        return (postfix_start(1));
    if (strcmp(cmd, "stop") == 0)
        return (postfix_stop());
    if (strcmp(cmd, "abort") == 0) {
        pid = postfix_running_pid();
        msg_info("aborting the Postfix mail system");
        postfix_signal(pid, SIGTERM);
        return (0);
    }
    if (strcmp(cmd, "reload") == 0) {
        pid = postfix_running_pid();
        msg_info("refreshing the Postfix mail system");
        postfix_signal(pid, SIGHUP);
        return (0);
    }
    if (strcmp(cmd, "status") == 0) {
        if ((pid = postfix_master_pid()) == 0) {
            msg_info("the Postfix mail system is not running");
            return (1);
        }
        msg_info("the Postfix mail system is running: PID: %ld", pid);
        return (0);
    }
    if (strcmp(cmd, "flush") == 0)
        return (postfix_flush());
    if (strcmp(cmd, "check") == 0) {
        if (postfix_check_fatal() != 0)
            return (1);
        postfix_check_warn();
        return (0);
    }
    if (strcmp(cmd, "set-permissions") == 0 || strcmp(cmd, "upgrade-configuration") == 0)
        return (postfix_post_install(strcmp(cmd, "set-permissions") == 0 ? "set-permissions"
                                                                         : "create-missing"));
    if (strcmp(cmd, "logrotate") == 0) {
        if ((pid = postfix_master_pid()) < 0)
            msg_fatal("cannot read the master pid from %s/pid/master.pid", var_queue_directory);
        return (postfix_logrotate(args, pid));
    }
    if (strcmp(cmd, "post-install") == 0) {
        for (; *args; args++)
            if (postfix_post_install(*args) != 0)
                return (1);
        return (0);
    }
    msg_fatal("unknown command: '%s'. " POSTFIX_USAGE, cmd);
}

int main(int argc, char **argv)
{
    const char *cmd;
    int c;

    closefrom(STDERR_FILENO + 1);
    msg_stderr_init("postfix");
    while ((c = getopt(argc, argv, "c:Dv")) > 0) {
        switch (c) {
        case 'c':
            mail_conf_set_dir(optarg);
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("setenv: %m");
            break;
        case 'D':
            if (setenv("MAIL_DEBUG", "", 1) < 0)
                msg_fatal("setenv: %m");
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: postfix [-c config_dir] [-Dv] command");
        }
    }
    if (getuid() != 0) {
        msg_error("to submit mail, use the Postfix sendmail command");
        msg_fatal("the postfix command is reserved for the superuser");
    }
    umask(022);
    mail_param_set_process_name("postfix");
    mail_conf_read();
    if (setenv("MAIL_CONFIG", var_config_directory, 1) < 0)
        msg_fatal("setenv: %m");

    /* From here on, speak as postfix-script does: to stderr and the log. */
    postfix_tag = concatenate(var_syslog_name, "/postfix-script", (char *)0);
    msg_output_reset();
    maillog_client_init("postfix-script");
    msg_output(postfix_stderr);
    postfix_require_dirs();
    cmd = optind < argc ? argv[optind] : "";
    exit(postfix_command(cmd, argv + optind + (optind < argc)));
}
