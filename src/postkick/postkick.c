/*
 * postkick - send a request to a local service of the mail system, for
 * shell scripts (see man/man1/postkick.1):
 *
 *   postkick [-c config_dir] [-v] class service request
 *
 * The request is sent as it is to queue_directory/class/service (a FIFO
 * or UNIX socket, as master.cf made it), with mail_trigger(); for example
 * "postkick public pickup W" wakes pickup, "postkick public qmgr I" makes
 * qmgr scan the incoming queue.
 *
 * Exit status: 0, or 1 with a message when the service cannot be reached
 * or the arguments are wrong.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "mail_conf.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "msg.h"
#include "stringops.h"
#include "vstream.h"

int main(int argc, char **argv)
{
    ARGV *keep;
    int ch;

    argv[0] = (char *)basename_of(argv[0]);
    msg_stderr_init(argv[0]);
    if (getenv("MAIL_VERBOSE"))
        msg_verbose = 1;
    while ((ch = getopt(argc, argv, "c:v")) > 0) {
        switch (ch) {
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("setenv: %m");
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            msg_fatal("usage: %s [-c config_dir] [-v] class service request", argv[0]);
        }
    }
    if (argc != optind + 3)
        msg_fatal("usage: %s [-c config_dir] [-v] class service request", argv[0]);
    mail_conf_read();
    keep = argv_split(var_import_environment, ", \t\r\n");
    clean_env(keep->argv);
    argv_free(keep);
    if (chdir(var_queue_directory) < 0)
        msg_fatal("chdir %s: %m", var_queue_directory);
    if (mail_trigger(argv[optind], argv[optind + 1], argv[optind + 2],
                     (ssize_t)strlen(argv[optind + 2])) < 0) {
        msg_warn("Cannot contact class %s service %s - perhaps the mail system is down",
                 argv[optind], argv[optind + 1]);
        exit(1);
    }
    exit(0);
}
