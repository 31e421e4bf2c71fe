/*
 * postfix_logrotate - "postfix logrotate": rotate the file of maillog_file.
 *
 * Exports postfix_logrotate(args, master_pid). As Postfix (3.4 and later)
 * does it: the three parameters maillog_file, maillog_file_compressor and
 * maillog_file_rotate_suffix must be non-empty and maillog_file must not be
 * a device; the file is renamed to "$maillog_file.SUFFIX", where SUFFIX is
 * the current local time formatted with maillog_file_rotate_suffix
 * (strftime, like date(1)); a running master gets SIGHUP, so that it and
 * its new processes reopen maillog_file; after one second, for lines still
 * on their way to the old file, the compressor runs on the renamed file.
 *
 * Failure: fatal with postfix-script's words, e.g.
 *   fatal: logfile '/var/log/postfix.log' rotation failed: mv: cannot stat
 *   '/var/log/postfix.log': No such file or directory
 * where the text after "failed: " is what went wrong (the compressor's own
 * output, up to 4000 bytes, when it fails).
 */

#include <errno.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "postfix.h"
#include "stringops.h"
#include "vstring.h"

#define LOGROTATE_OUTPUT_LIMIT 4000

/* logrotate_failed - the one fatal message of a failed rotation */
static void logrotate_failed(const char *why) __attribute__((noreturn));
static void logrotate_failed(const char *why)
{
    msg_fatal("logfile '%s' rotation failed: %s", var_maillog_file, why);
}

/* logrotate_compress - run the compressor on the rotated file; 0, or -1 and why */
static int logrotate_compress(const char *path, VSTRING *why)
{
    char buf[512];
    int fds[2];
    pid_t pid;
    ssize_t n;
    int status;

    if (pipe(fds) < 0)
        msg_fatal("pipe: %m");
    switch (pid = fork()) {
    case -1:
        msg_fatal("fork: %m");
    case 0:
        /* Everything it says is the error text, as with postfix-script. */
        close(fds[0]);
        if (dup2(fds[1], STDOUT_FILENO) < 0 || dup2(fds[1], STDERR_FILENO) < 0)
            _exit(126);
        close(fds[1]);
        execlp(var_maillog_file_compressor, var_maillog_file_compressor, path, (char *)0);
        n = snprintf(buf, sizeof(buf), "%s: %s\n", var_maillog_file_compressor, strerror(errno));
        if (n > 0 && write(STDERR_FILENO, buf, n) < 0) {
            /* the exit status still tells */
        }
        _exit(127);
    default:
        close(fds[1]);
        VSTRING_RESET(why);
        while ((n = read(fds[0], buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
            if (n > 0 && VSTRING_LEN(why) < LOGROTATE_OUTPUT_LIMIT)
                vstring_strncat(why, buf, n);
        close(fds[0]);
        while (waitpid(pid, &status, 0) < 0)
            if (errno != EINTR)
                msg_fatal("waitpid: %m");
        /* The shell's `...` drops the trailing newlines. */
        while (VSTRING_LEN(why) > 0 && vstring_str(why)[VSTRING_LEN(why) - 1] == '\n')
            vstring_truncate(why, VSTRING_LEN(why) - 1);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
            return (0);
        if (VSTRING_LEN(why) == 0)
            vstring_sprintf(why, "%s exit status %d", var_maillog_file_compressor,
                            WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
        return (-1);
    }
}

/* postfix_logrotate - the logrotate command */
int postfix_logrotate(char **args, long master_pid)
{
    const char *names[] = {"maillog_file", "maillog_file_compressor", "maillog_file_rotate_suffix"};
    const char *values[] = {var_maillog_file, var_maillog_file_compressor,
                            var_maillog_file_rotate_suffix};
    struct timespec settle = {1, 0};
    VSTRING *why = vstring_alloc(100);
    char suffix[256];
    char *rotated;
    struct tm *tm;
    struct stat st;
    time_t now;
    size_t i;

    if (*args)
        msg_fatal("usage postfix logrotate (no arguments)");
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (*values[i] == 0)
            msg_fatal("empty '%s' parameter value - logfile rotation failed", names[i]);
    if (strncmp(var_maillog_file, "/dev/", 5) == 0)
        msg_fatal("not rotating '%s'", var_maillog_file);

    now = time((time_t *)0);
    if ((tm = localtime(&now)) == 0 ||
        strftime(suffix, sizeof(suffix), var_maillog_file_rotate_suffix, tm) == 0) {
        vstring_sprintf(why, "bad maillog_file_rotate_suffix: %s", var_maillog_file_rotate_suffix);
        logrotate_failed(vstring_str(why));
    }
    rotated = concatenate(var_maillog_file, ".", suffix, (char *)0);
    if (lstat(var_maillog_file, &st) < 0) {
        vstring_sprintf(why, "mv: cannot stat '%s': %s", var_maillog_file, strerror(errno));
        logrotate_failed(vstring_str(why));
    }
    if (rename(var_maillog_file, rotated) < 0) {
        vstring_sprintf(why, "mv: cannot move '%s' to '%s': %s", var_maillog_file, rotated,
                        strerror(errno));
        logrotate_failed(vstring_str(why));
    }
    if (master_pid > 0 && kill((pid_t)master_pid, SIGHUP) < 0) {
        vstring_sprintf(why, "kill: (%ld) - %s", master_pid, strerror(errno));
        logrotate_failed(vstring_str(why));
    }
    while (nanosleep(&settle, &settle) < 0 && errno == EINTR) {
        /* sleep out the rest */
    }
    if (logrotate_compress(rotated, why) < 0)
        logrotate_failed(vstring_str(why));
    myfree(rotated);
    vstring_free(why);
    return (0);
}
