/*
 * maillog_client - set up logging the way main.cf says.
 *
 * Exports maillog_client_init(progname): log to syslog with the facility
 * syslog_facility under the tag "$syslog_name/progname" (postfix/smtpd),
 * and, when maillog_file is set, also append the same lines to that file.
 * The file is opened here, before any chroot or privilege drop, so a daemon
 * in a jail keeps writing to it. maillog_client_facility() maps a facility
 * name to its syslog code.
 *
 * Call it again after a reload or an -o override changed syslog_name; the
 * channels are replaced, not duplicated.
 *
 * Failure: an unknown facility or a log file that cannot be opened is a
 * warning; the program keeps logging to syslog.
 */

#include <string.h>
#include <strings.h>
#include <syslog.h>

#include "mail_params.h"
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
    if (var_maillog_file != 0 && *var_maillog_file && msg_logfile_init(var_maillog_file, tag) < 0)
        msg_warn("open logfile \"%s\": %m", var_maillog_file);
    myfree(tag);
}
