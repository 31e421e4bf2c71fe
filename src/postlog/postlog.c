/*
 * postlog - log a message the way the mail system does, for shell
 * scripts (see man/man1/postlog.1):
 *
 *   postlog [-iv] [-c config_dir] [-p priority] [-t tag] [text...]
 *
 * The text of the command line is one record; without text, each line of
 * standard input is one. Records go to syslog (syslog_facility) and, when
 * maillog_file is set, to that file (through postlogd when this process
 * may not open it), under the tag given with -t or "$syslog_name/postlog",
 * with the process id; also to standard error when that is a terminal. -p chooses the severity: info
 * (the default), warn, error, fatal or panic; fatal and panic end the
 * program with status 1 after the record, as in the daemons. -i is
 * accepted for compatibility: the process id is always logged.
 *
 * Installed set-gid setgid_group, so the environment is reduced to
 * import_environment and a foreign configuration directory must be listed
 * in the default main.cf. Input lines are limited to line_length_limit.
 */

#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "maillog_client.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

typedef void (*POSTLOG_FN)(const char *fmt, ...);

static const struct {
    const char *name;
    POSTLOG_FN fn;
} postlog_levels[] = {
    {"info", msg_info},
    {"warn", msg_warn},
    {"warning", msg_warn},
    {"error", msg_error},
    {"fatal", msg_fatal},
    {"panic", msg_panic},
    {0, 0},
};

/* postlog_level - the function for a severity name */
static POSTLOG_FN postlog_level(const char *name)
{
    int i;

    for (i = 0; postlog_levels[i].name; i++)
        if (strcmp(postlog_levels[i].name, name) == 0)
            return (postlog_levels[i].fn);
    msg_fatal("bad severity: \"%s\"", name);
}

/* postlog_channels - syslog, maillog_file, and the terminal */
static void postlog_channels(const char *tag, int tty)
{
    int facility = maillog_client_facility(var_syslog_facility);

    msg_output_reset();
    if (tty)
        msg_stderr_init(tag);
    msg_syslog_init(tag, facility < 0 ? LOG_MAIL : facility);
    /* An unprivileged user cannot open maillog_file: then postlogd or syslog must do. */
    maillog_client_file(tag);
}

int main(int argc, char **argv)
{
    const char *priority = "info";
    const char *tag = 0;
    char *default_tag;
    VSTRING *text;
    POSTLOG_FN fn;
    ARGV *keep;
    int tty = isatty(STDERR_FILENO);
    int ch;

    msg_stderr_init("postlog");
    while ((ch = getopt(argc, argv, "c:ip:t:v")) > 0) {
        switch (ch) {
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("out of memory");
            break;
        case 'i':
            break;
        case 'p':
            priority = optarg;
            break;
        case 't':
            tag = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: %s [-c config_dir] [-i] [-p priority] [-t tag] [-v] [text]", argv[0]);
        }
    }
    fn = postlog_level(priority);
    mail_conf_check_env_dir();
    mail_conf_read();
    keep = argv_split(var_import_environment, ", \t\r\n");
    clean_env(keep->argv);
    argv_free(keep);
    default_tag = concatenate(var_syslog_name, "/postlog", (char *)0);
    postlog_channels(tag ? tag : default_tag, tty);

    text = vstring_alloc(100);
    if (optind < argc) {
        for (vstring_strcpy(text, argv[optind++]); optind < argc; optind++)
            vstring_sprintf_append(text, " %s", argv[optind]);
        fn("%s", vstring_str(text));
    } else {
        while (vstring_get_nonl_bound(text, VSTREAM_IN, var_line_length_limit) != VSTREAM_EOF)
            fn("%s", vstring_str(text));
    }
    vstring_free(text);
    myfree(default_tag);
    exit(0);
}
