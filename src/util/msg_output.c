/*
 * msg_output - the output channels of the logging API.
 *
 * stderr: "progname: warning: text", for commands run by a person.
 * syslog: facility mail (or as configured), ident "postfix/name" with the pid,
 *         so that log readers see "postfix/smtpd[123]: text".
 * logfile: a maillog_file in the syslog line format
 *         "Mon DD HH:MM:SS host tag[pid]: text", appended with O_APPEND so
 *         that the processes of one instance can share it.
 * logger: the same line, without the newline, sent as one datagram to a
 *         unix-dgram socket (postlogd's postlog service), for programs that
 *         may not open the maillog_file themselves.
 * A channel never fails loudly: a log line that cannot be written is lost,
 * which is better than a daemon that dies because its log is full.
 */

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "connect.h"
#include "iostuff.h"
#include "msg.h"
#include "mymalloc.h"

static char *stderr_name;
static char *syslog_tag;
static int syslog_facility = LOG_MAIL;
static char *logfile_tag;
static int logfile_fd = -1;
static char *logger_tag;
static int logger_fd = -1;
static char hostname[256];
static int hostname_fixed; /* set by msg_log_hostname() */

/* msg_tag - the name under which this process logs */
const char *msg_tag(void)
{
    return (syslog_tag ? syslog_tag : logfile_tag ? logfile_tag : logger_tag ? logger_tag
                                                  : stderr_name ? stderr_name : "postfix");
}

/* stderr_output - write one message to standard error */
static void stderr_output(int level, const char *text)
{
    char line[4200];
    int len;

    len = snprintf(line, sizeof(line), "%s: %s%s\n", stderr_name ? stderr_name : "postfix",
                   msg_level_prefix(level), text);
    if (len > (int) sizeof(line) - 1)
        len = sizeof(line) - 1;
    if (write(STDERR_FILENO, line, len) < 0) {
        /* nothing to do: there is nowhere else to report this */
    }
}

/* msg_stderr_init - log to standard error as "progname: ..." */
void msg_stderr_init(const char *progname)
{
    const char *slash;

    if ((slash = strrchr(progname, '/')) != 0)
        progname = slash + 1;
    myfree(stderr_name);
    stderr_name = mystrdup(progname);
    msg_output(stderr_output);
}

/* syslog_output - send one message to syslog */
static void syslog_output(int level, const char *text)
{
    static const int prio[] = {LOG_INFO, LOG_WARNING, LOG_ERR, LOG_CRIT, LOG_CRIT};

    syslog(syslog_facility | prio[level], "%s%s", msg_level_prefix(level), text);
}

/* msg_syslog_set_tag - change the syslog ident, e.g. after reading syslog_name */
void msg_syslog_set_tag(const char *tag)
{
    myfree(syslog_tag);
    syslog_tag = mystrdup(tag);
    closelog();
    openlog(syslog_tag, LOG_PID | LOG_NDELAY, syslog_facility);
}

/* msg_syslog_init - log to syslog under this tag and facility */
void msg_syslog_init(const char *tag, int facility)
{
    syslog_facility = facility;
    msg_syslog_set_tag(tag);
    msg_output(syslog_output);
}

/* msg_syslog_close - stop logging to syslog (maillog_file replaces it) */
void msg_syslog_close(void)
{
    msg_output_remove(syslog_output);
    closelog();
    myfree(syslog_tag);
    syslog_tag = 0;
}

/* msg_format_line - "Mon DD HH:MM:SS host tag[pid]: text" plus newline; its length */
static int msg_format_line(char *line, size_t size, const char *tag, int level, const char *text)
{
    char stamp[32];
    time_t now = time((time_t *) 0);
    struct tm tm;
    int len;

    /*
     * localtime_r, unlike localtime, does not look at /etc/localtime again
     * for every line. Postfix writes the day of the month with a leading
     * zero ("Mar 05").
     */
    localtime_r(&now, &tm);
    strftime(stamp, sizeof(stamp), "%b %d %H:%M:%S", &tm);
    len = snprintf(line, size, "%s %s %s[%ld]: %s%s\n", stamp, hostname,
                   syslog_tag ? syslog_tag : tag, (long) getpid(), msg_level_prefix(level), text);
    if (len > (int) size - 1) {
        len = size - 1;
        line[len - 1] = '\n';
    }
    return (len);
}

/* msg_set_hostname - the short host name that log lines carry */
static void msg_set_hostname(void)
{
    char *dot;

    if (hostname_fixed)
        return;
    if (gethostname(hostname, sizeof(hostname) - 1) < 0)
        strcpy(hostname, "localhost");
    hostname[sizeof(hostname) - 1] = 0;
    if ((dot = strchr(hostname, '.')) != 0)
        *dot = 0;
}

/* msg_log_hostname - log lines carry this name's first label, not the system's */
void msg_log_hostname(const char *name)
{
    size_t len = strcspn(name, ".");

    if (len == 0)
        return;
    if (len > sizeof(hostname) - 1)
        len = sizeof(hostname) - 1;
    memcpy(hostname, name, len);
    hostname[len] = 0;
    hostname_fixed = 1;
}

/* logfile_output - append one syslog-format line to the log file */
static void logfile_output(int level, const char *text)
{
    char line[4400];
    int len;

    if (logfile_fd < 0)
        return;
    len = msg_format_line(line, sizeof(line), logfile_tag, level, text);
    if (write(logfile_fd, line, len) < 0) {
        /* a full or broken log must not stop mail */
    }
}

/* msg_logfile_init - also log to this file; -1 if it cannot be opened */
int msg_logfile_init(const char *path, const char *tag)
{
    int fd;

    if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0)
        return (-1);
    if (logfile_fd >= 0)
        close(logfile_fd);
    logfile_fd = fd;
    myfree(logfile_tag);
    logfile_tag = mystrdup(tag);
    msg_set_hostname();
    msg_output(logfile_output);
    return (0);
}

/* logger_output - send one syslog-format line, without newline, as a datagram */
static void logger_output(int level, const char *text)
{
    char line[4400];
    int len;

    if (logger_fd < 0)
        return;
    len = msg_format_line(line, sizeof(line), logger_tag, level, text);
    if (send(logger_fd, line, len - 1, 0) < 0) {
        /* a lost log line must not stop mail */
    }
}

/* msg_logger_init - also send log lines to this unix-dgram socket; -1 if unreachable */
int msg_logger_init(const char *path, const char *tag)
{
    int fd;

    if ((fd = unix_dgram_connect(path, BLOCKING)) < 0)
        return (-1);
    close_on_exec(fd, CLOSE_ON_EXEC);
    if (logger_fd >= 0)
        close(logger_fd);
    logger_fd = fd;
    myfree(logger_tag);
    logger_tag = mystrdup(tag);
    msg_set_hostname();
    msg_output(logger_output);
    return (0);
}
