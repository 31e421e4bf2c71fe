/*
 * pipe_command - run a delivery command and judge its outcome.
 *
 * Exports pipe_command(), pipe_command_needs_shell() and
 * pipe_command_status(). Three processes take part: the command itself
 * (its own process group, so that a time-out kills everything it
 * started), a writer that copies the message into the command's standard
 * input with mail_copy(), and the caller, which collects the command's
 * standard output and error up to PIPE_CMD_OUTPUT_LIMIT bytes (the rest is
 * read and dropped) until end-of-file or the time limit. Having the copy in
 * a separate process means a command that talks before it reads can never
 * deadlock against us.
 *
 * The command runs with the given uid/gid only (no other groups), in the
 * given directory (failing that, it exits EX_TEMPFAIL so that the mail is
 * deferred), with an environment reduced to export_environment plus the
 * settings and PATH. A command line without shell syntax or shell builtins
 * is split at white space and executed directly; otherwise /bin/sh -c runs
 * it; local_command_shell, when set, runs every command line.
 *
 * Failure: resources we cannot get (pipes, processes) defer the delivery.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "dsn_util.h"
#include "mail_copy.h"
#include "msg.h"
#include "mymalloc.h"
#include "pipe_command.h"
#include "set_eugid.h"
#include "set_ugid.h"
#include "stringops.h"
#include "sys_exits.h"
#include "vstring.h"

#define PIPE_CMD_OUTPUT_LIMIT 4096 /* bytes of command output kept */
#define PIPE_CMD_PATH "/usr/bin:/bin"
#define PIPE_CMD_SHELL "/bin/sh"
#define PIPE_CMD_META "`~!$^&*()=|\\{}[];'\"<>?#"

/* Shell builtins that have no program of their own worth running. */
static const char *const pipe_command_builtins[] = {
    ".",      ":",   "break", "cd",    "continue", "eval",  "exec",  "exit",   "export", "readonly",
    "return", "set", "shift", "times", "trap",     "umask", "unset", "ulimit", "wait",   0,
};

/* pipe_command_needs_shell - shell syntax or a builtin in the command? */
int pipe_command_needs_shell(const char *command)
{
    const char *cp = skipblanks(command);
    size_t len;
    int i;

    if (strpbrk(command, PIPE_CMD_META) != 0)
        return (1);
    len = strcspn(cp, " \t\r\n");
    for (i = 0; pipe_command_builtins[i]; i++)
        if (strlen(pipe_command_builtins[i]) == len &&
            strncmp(cp, pipe_command_builtins[i], len) == 0)
            return (1);
    return (0);
}

/* pipe_command_exec - the command child: become the user, exec */
static void pipe_command_exec(const PIPE_CMD *cmd)
{
    ARGV *args;
    char *path_env[] = {"PATH=" PIPE_CMD_PATH, 0};

    if (cmd->chroot_dir && *cmd->chroot_dir && (chroot(cmd->chroot_dir) < 0 || chdir("/") < 0)) {
        vstream_printf("chroot %s: %s\n", cmd->chroot_dir, strerror(errno));
        vstream_fflush(VSTREAM_OUT);
        _exit(EX_TEMPFAIL);
    }
    set_ugid(cmd->uid, cmd->gid);
    if (cmd->cwd && *cmd->cwd && chdir(cmd->cwd) < 0) {
        vstream_printf("chdir %s: %s\n", cmd->cwd, strerror(errno));
        vstream_fflush(VSTREAM_OUT);
        _exit(EX_TEMPFAIL);
    }
    clean_env(cmd->export_env ? cmd->export_env : (char *[]){0});
    update_env(path_env);
    if (cmd->env)
        update_env(cmd->env);
    if (cmd->argv) {
        args = argv_alloc(4);
        for (char **cpp = cmd->argv; *cpp; cpp++)
            argv_add(args, *cpp, (char *)0);
    } else if (cmd->shell && *cmd->shell) {
        args = argv_split(cmd->shell, " \t\r\n");
        argv_add(args, cmd->command, (char *)0);
    } else if (pipe_command_needs_shell(cmd->command)) {
        args = argv_alloc(4);
        argv_add(args, PIPE_CMD_SHELL, "-c", cmd->command, (char *)0);
    } else {
        args = argv_split(cmd->command, " \t\r\n");
    }
    if (args->argc == 0) {
        vstream_printf("empty command\n");
        vstream_fflush(VSTREAM_OUT);
        _exit(EX_CONFIG);
    }
    execvp(args->argv[0], args->argv);
    vstream_printf("execvp %s: %s\n", args->argv[0], strerror(errno));
    vstream_fflush(VSTREAM_OUT);
    _exit(errno == ENOENT ? 127 : 126);
}

/* pipe_command_writer - the writer child: copy the message, report how it went */
static void pipe_command_writer(const PIPE_CMD *cmd, int fd)
{
    VSTREAM *dst = vstream_fdopen(fd, O_WRONLY);
    DSN_BUF *why = dsb_create();
    int status;

    signal(SIGPIPE, SIG_IGN);
    status = mail_copy(cmd->sender, cmd->orig_rcpt, cmd->delivered, cmd->src, cmd->offset, dst,
                       cmd->copy_flags & ~MAIL_COPY_TOFILE, cmd->eol, why);
    (void)vstream_fclose(dst);
    _exit(status);
}

/* pipe_command_now_ms - a monotonic clock in milliseconds */
static long long pipe_command_now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ((long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

/*
 * pipe_command_collect - read output until EOF or the deadline (monotonic
 * milliseconds, 0 = none); 1 on time-out. Whole-second clocks would cut
 * the time limit short by up to a second.
 */
static int pipe_command_collect(int fd, long long deadline, VSTRING *out)
{
    struct pollfd pfd;
    char buf[4096];
    ssize_t n;
    int wait_ms;

    for (;;) {
        wait_ms = -1;
        if (deadline) {
            long long now = pipe_command_now_ms();

            if (now >= deadline)
                return (1);
            wait_ms = (int)(deadline - now);
        }
        pfd.fd = fd;
        pfd.events = POLLIN;
        if ((n = poll(&pfd, 1, wait_ms)) < 0) {
            if (errno == EINTR)
                continue;
            msg_warn("poll command output: %m");
            return (0);
        }
        if (n == 0)
            continue;
        if ((n = read(fd, buf, sizeof(buf))) < 0) {
            if (errno == EINTR || errno == EAGAIN)
                continue;
            return (0);
        }
        if (n == 0)
            return (0);
        if (VSTRING_LEN(out) < PIPE_CMD_OUTPUT_LIMIT)
            vstring_memcat(out, buf,
                           (size_t)n < PIPE_CMD_OUTPUT_LIMIT - VSTRING_LEN(out)
                               ? (size_t)n
                               : PIPE_CMD_OUTPUT_LIMIT - VSTRING_LEN(out));
    }
}

/*
 * pipe_command_clean_output - one printable line for the logs: tabs and
 * newlines become spaces (a trailing newline leaves a trailing space, as
 * Postfix's logs show), other unprintable bytes become underscores.
 */
static void pipe_command_clean_output(VSTRING *out)
{
    char *cp;

    VSTRING_TERMINATE(out);
    for (cp = vstring_str(out); cp < vstring_str(out) + VSTRING_LEN(out); cp++) {
        if (*cp == '\n' || *cp == '\t')
            *cp = ' ';
        else if (*cp == 0 || !isprint((unsigned char)*cp))
            *cp = '_';
    }
}

/* pipe_command_enhanced - "4.x.y " or "5.x.y " at the start of the output? */
static int pipe_command_enhanced(const char *output, char *status, size_t size)
{
    size_t len;

    if ((output[0] != '4' && output[0] != '5') || output[1] != '.')
        return (0);
    len = strcspn(output, " ");
    if (len >= size || output[len] != ' ')
        return (0);
    memcpy(status, output, len);
    status[len] = 0;
    return (dsn_valid(status) > 0);
}

/*
 * pipe_command_status - map a wait status to an outcome and a DSN. On
 * success the reason is the command's output (pipe(8) reports it in its
 * "delivered via" text). On failure an output that starts with an
 * enhanced status code wins over the exit status: that code and the text
 * after it become the status and reason.
 */
int pipe_command_status(int wait_status, int timed_out, const char *command, const char *output,
                        DSN_BUF *why)
{
    const char *sep = *output ? ". Command output: " : "";
    char enhanced[32];
    const char *text;
    int code;

    if (timed_out) {
        dsb_unix(why, "5.3.0", *output ? output : "Command time limit exceeded",
                 "Command time limit exceeded: \"%s\"%s%s", command, sep, output);
        return (PIPE_STAT_BOUNCE);
    }
    if (WIFSIGNALED(wait_status)) {
        dsb_unix(why, "4.3.0", *output ? output : "Command died with signal",
                 "Command died with signal %d: \"%s\"%s%s", WTERMSIG(wait_status), command, sep,
                 output);
        return (PIPE_STAT_DEFER);
    }
    if ((code = WEXITSTATUS(wait_status)) == 0) {
        dsb_simple(why, "2.0.0", "%s", output);
        return (PIPE_STAT_OK);
    }
    if (pipe_command_enhanced(output, enhanced, sizeof(enhanced))) {
        text = output + strlen(enhanced);
        while (*text == ' ')
            text++;
        dsb_unix(why, enhanced, text, "%s", text);
    } else if (SYS_EXITS_CODE(code)) {
        dsb_unix(why, sys_exits_dsn(code), *output ? output : sys_exits_strerror(code), "%s%s%s",
                 sys_exits_strerror(code), sep, output);
    } else {
        dsb_unix(why, "5.3.0", *output ? output : "Command died with status",
                 "Command died with status %d: \"%s\"%s%s", code, command, sep, output);
    }
    return (vstring_str(why->status)[0] == '4' ? PIPE_STAT_DEFER : PIPE_STAT_BOUNCE);
}

/*
 * pipe_command_kill - kill the command and everything it started. A
 * daemon that keeps root only as its real id (set_eugid) may not signal
 * another user's processes: it borrows the command's ids to do so.
 */
static void pipe_command_kill(const PIPE_CMD *cmd, pid_t pid)
{
    uid_t saved_euid = geteuid();
    gid_t saved_egid = getegid();
    int switched = (getuid() == 0 && saved_euid != cmd->uid);

    if (switched)
        set_eugid(cmd->uid, cmd->gid);
    if (kill(-pid, SIGKILL) < 0 && kill(pid, SIGKILL) < 0)
        msg_warn("kill command process %ld: %m", (long)pid);
    if (switched)
        set_eugid(saved_euid, saved_egid);
}

/* pipe_command_reap - wait for a child, retrying interrupted waits */
static int pipe_command_reap(pid_t pid)
{
    int status;

    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            msg_warn("waitpid %ld: %m", (long)pid);
            return (-1);
        }
    }
    return (status);
}

/* pipe_command - deliver to the command; PIPE_STAT_* */
int pipe_command(const PIPE_CMD *cmd, DSN_BUF *why)
{
    const char *name = cmd->argv ? cmd->argv[0] : cmd->command;
    VSTRING *out = vstring_alloc(100);
    int in_pipe[2];
    int out_pipe[2];
    pid_t cmd_pid;
    pid_t writer_pid;
    int cmd_status;
    int writer_status;
    int timed_out;
    int result;

    if (cmd->uid == 0)
        msg_panic("pipe_command: refusing to run a command as root");
    if (pipe(in_pipe) < 0 || pipe(out_pipe) < 0) {
        dsb_simple(why, "4.3.0", "cannot create pipe: %s", strerror(errno));
        vstring_free(out);
        return (PIPE_STAT_DEFER);
    }
    if ((cmd_pid = fork()) < 0) {
        dsb_simple(why, "4.3.0", "cannot run command: fork: %s", strerror(errno));
        close(in_pipe[0]), close(in_pipe[1]), close(out_pipe[0]), close(out_pipe[1]);
        vstring_free(out);
        return (PIPE_STAT_DEFER);
    }
    if (cmd_pid == 0) {
        (void)setsid();
        signal(SIGPIPE, SIG_DFL);
        signal(SIGXFSZ, SIG_DFL);
        if (dup2(in_pipe[0], 0) < 0 || dup2(out_pipe[1], 1) < 0 || dup2(out_pipe[1], 2) < 0)
            _exit(EX_OSERR);
        close(in_pipe[0]), close(in_pipe[1]), close(out_pipe[0]), close(out_pipe[1]);
        pipe_command_exec(cmd);
    }
    close(in_pipe[0]);
    close(out_pipe[1]);
    if ((writer_pid = fork()) == 0) {
        close(out_pipe[0]);
        pipe_command_writer(cmd, in_pipe[1]);
    }
    close(in_pipe[1]);
    timed_out = pipe_command_collect(
        out_pipe[0], cmd->time_limit > 0 ? pipe_command_now_ms() + cmd->time_limit * 1000LL : 0,
        out);
    close(out_pipe[0]);
    if (timed_out)
        pipe_command_kill(cmd, cmd_pid);
    cmd_status = pipe_command_reap(cmd_pid);
    if (writer_pid > 0) {
        if (timed_out)
            (void)kill(writer_pid, SIGKILL);
        writer_status = pipe_command_reap(writer_pid);
    } else {
        writer_status = -1;
    }
    pipe_command_clean_output(out);
    if (cmd_status == -1) {
        dsb_simple(why, "4.3.0", "cannot get the status of command \"%s\"", name);
        result = PIPE_STAT_DEFER;
    } else {
        result = pipe_command_status(cmd_status, timed_out, name, vstring_str(out), why);
    }
    /* A command may stop reading early; only a bad queue file spoils success. */
    if (result == PIPE_STAT_OK &&
        (writer_status == -1 || !WIFEXITED(writer_status) ||
         (WEXITSTATUS(writer_status) & (MAIL_COPY_STAT_CORRUPT | MAIL_COPY_STAT_READ)))) {
        dsb_simple(why, "4.3.0", "error reading message: queue file read error");
        result = PIPE_STAT_CORRUPT;
    }
    vstring_free(out);
    return (result);
}
