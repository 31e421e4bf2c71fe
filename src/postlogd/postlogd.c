/*
 * postlogd - write the log lines of other programs to maillog_file.
 *
 * Programs that may not open $maillog_file themselves (sendmail, postdrop,
 * postqueue and postlog run by a user) send each log line as one datagram
 * to the postlog service (public/postlog, unix-dgram, see maillog_client.c).
 * The line arrives formatted ("Mon DD HH:MM:SS host tag[pid]: text"); this
 * daemon appends it, with a newline, to the file. It runs as root, because
 * the file is root's; it opens the file once at start-up, so a rotated file
 * is picked up when the master starts a new process: "postfix logrotate"
 * renames the file and reloads the master, whose old children then exit.
 *
 * Checks at start-up, as Postfix does: maillog_file must be set and must
 * start with one of the maillog_file_prefixes; otherwise postlogd refuses
 * to run. A datagram is limited to what dgram_server reads (64 kB); a line
 * with a null byte is cut there, control characters other than tab are
 * written as '?'.
 *
 * Failure: configuration errors and a file that cannot be opened are
 * fatal (logged to syslog and stderr); a write error loses the line.
 */

#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "mail_params.h"
#include "mail_server.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

static int postlogd_fd = -1;

/* postlogd_check_prefix - maillog_file must be under an approved prefix */
static void postlogd_check_prefix(void)
{
    ARGV *prefixes = argv_split(var_maillog_file_prefixes, ", \t\r\n");
    int i;

    for (i = 0; i < prefixes->argc; i++)
        if (strncmp(var_maillog_file, prefixes->argv[i], strlen(prefixes->argv[i])) == 0)
            break;
    if (i >= prefixes->argc)
        msg_fatal("maillog_file value '%s' does not match any prefix in maillog_file_prefixes",
                  var_maillog_file);
    argv_free(prefixes);
}

/* postlogd_service - append one received line */
static void postlogd_service(char *buf, ssize_t len, char *service, char **argv)
{
    char *cp;

    /* The line comes from a user's process: keep it on one line. */
    len = strlen(buf);
    while (len > 0 && buf[len - 1] == '\n')
        buf[--len] = 0;
    for (cp = buf; *cp; cp++)
        if ((unsigned char)*cp < ' ' && *cp != '\t')
            *cp = '?';
    buf[len] = '\n';
    if (write(postlogd_fd, buf, len + 1) < 0) {
        /* a full or broken log must not stop the logger */
    }
}

/* pre_jail_init - check the configuration and open the file, as root */
static void pre_jail_init(char *service, char **argv)
{
    if (argv[0])
        msg_fatal("unexpected command-line argument: %s", argv[0]);
    if (*var_maillog_file == 0)
        msg_fatal("parameter maillog_file is empty: nothing for %s to do", service);
    postlogd_check_prefix();
    if ((postlogd_fd = open(var_maillog_file,
                            O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0)
        msg_fatal("open logfile '%s': %m", var_maillog_file);
}

int main(int argc, char **argv)
{
    dgram_server_main(argc, argv, postlogd_service, CA_MAIL_SERVER_PRE_INIT(pre_jail_init),
                      CA_MAIL_SERVER_SOLITARY,
                      CA_MAIL_SERVER_WATCHDOG(&var_postlogd_watchdog_timeout), 0);
}
