/*
 * maillog_client - set up logging the way main.cf says.
 *
 * Exports maillog_client_init(progname): log under the tag
 * "$syslog_name/progname" (postfix/smtpd) to maillog_file when it is set,
 * else to syslog with the facility syslog_facility. As in Postfix, the two
 * exclude each other: a set maillog_file replaces syslog (syslog stays only
 * when the file can be reached neither directly nor through postlogd).
 * The file is opened here, before any chroot or privilege drop, so a daemon
 * in a jail keeps writing to it. maillog_client_file(tag) does the
 * maillog_file part alone, for programs that choose their own tag (postlog
 * -t). maillog_client_facility() maps a facility name to its syslog code.
 *
 * Call it again after a reload or an -o override changed syslog_name; the
 * channels are replaced, not duplicated.
 *
 * A program that may not open maillog_file (sendmail, postdrop, postqueue
 * run by a user) sends its lines instead to postlogd, as datagrams on
 * $queue_directory/public/$postlog_service_name; only members of the
 * setgid_group (the set-gid programs) can reach that socket. As in Postfix,
 * POSTLOG_SERVICE (socket path) and POSTLOG_HOSTNAME (host name in the
 * lines) in the environment override the configuration, except in set-uid
 * or set-gid programs, whose environment is not to be trusted.
 *
 * Failure: an unknown facility is a warning. A log file that cannot be
 * opened nor replaced by postlogd is a warning for root and silent for
 * other users (their programs must not complain on stderr about a log
 * they were never meant to write); the program keeps logging to syslog.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <unistd.h>

#include "mail_params.h"
#include "mail_proto.h"
#include "maillog_client.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

static const struct {
    const char *name;
    int code;
} maillog_facilities[] = {
    {"auth", LOG_AUTH},     {"authpriv", LOG_AUTHPRIV}, {"cron", LOG_CRON},
    {"daemon", LOG_DAEMON}, {"ftp", LOG_FTP},           {"kern", LOG_KERN},
    {"lpr", LOG_LPR},       {"mail", LOG_MAIL},         {"news", LOG_NEWS},
    {"syslog", LOG_SYSLOG}, {"user", LOG_USER},         {"uucp", LOG_UUCP},
    {"local0", LOG_LOCAL0}, {"local1", LOG_LOCAL1},     {"local2", LOG_LOCAL2},
    {"local3", LOG_LOCAL3}, {"local4", LOG_LOCAL4},     {"local5", LOG_LOCAL5},
    {"local6", LOG_LOCAL6}, {"local7", LOG_LOCAL7},
};

/* maillog_client_facility - syslog code of a facility name, -1 if unknown */
int maillog_client_facility(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(maillog_facilities) / sizeof(maillog_facilities[0]); i++)
        if (strcasecmp(name, maillog_facilities[i].name) == 0)
            return (maillog_facilities[i].code);
    return (-1);
}

/* maillog_client_getenv - an environment override, ignored in set-uid/gid programs */
static const char *maillog_client_getenv(const char *name)
{
    const char *value;

    if (getuid() != geteuid() || getgid() != getegid())
        return (0);
    return ((value = getenv(name)) != 0 && *value ? value : 0);
}

/* maillog_client_postlog - log through postlogd when maillog_file is out of reach */
static int maillog_client_postlog(const char *tag)
{
    int saved_errno = errno;
    const char *env;
    char *path;
    int ret;

    if ((env = maillog_client_getenv("POSTLOG_SERVICE")) != 0)
        path = mystrdup(env);
    else
        path = concatenate(var_queue_directory, "/" MAIL_CLASS_PUBLIC "/", var_postlog_service_name,
                           (char *)0);
    if ((ret = msg_logger_init(path, tag)) < 0 && geteuid() == 0) {
        errno = saved_errno;
        msg_warn("open logfile \"%s\": %m", var_maillog_file);
    }
    myfree(path);
    return (ret);
}

/* maillog_client_init - log to syslog and maillog_file under syslog_name */
void maillog_client_init(const char *progname)
{
    const char *name = basename_of(progname);
    char *tag;
    int facility;

    if (var_syslog_name != 0 && *var_syslog_name)
        tag = concatenate(var_syslog_name, "/", name, (char *)0);
    else
        tag = mystrdup(name);
    if ((facility = maillog_client_facility(var_syslog_facility ? var_syslog_facility : "mail")) <
        0) {
        msg_warn("unknown syslog facility \"%s\" -- using \"mail\"", var_syslog_facility);
        facility = LOG_MAIL;
    }
    msg_syslog_init(tag, facility);
    if (maillog_client_file(tag) == 0)
        msg_syslog_close();
    myfree(tag);
}

/* maillog_client_file - log to maillog_file, directly or through postlogd; 0 = done */
int maillog_client_file(const char *tag)
{
    const char *env;

    /* Postfix's log lines name the mail host ($myhostname), not the machine. */
    if ((env = maillog_client_getenv("POSTLOG_HOSTNAME")) != 0)
        msg_log_hostname(env);
    else if (var_myhostname != 0 && *var_myhostname)
        msg_log_hostname(var_myhostname);
    if (var_maillog_file == 0 || *var_maillog_file == 0)
        return (-1);
    if (msg_logfile_init(var_maillog_file, tag) == 0)
        return (0);
    return (maillog_client_postlog(tag));
}
