/*
 * postlock - lock a mailbox the way the local delivery agent does, and run
 * a command while it is locked (see man/man1/postlock.1):
 *
 *   postlock [-c config_dir] [-l lock_style] [-v] file command...
 *
 * The lock styles are those of mailbox_delivery_lock (or -l): "dotlock"
 * (file.lock, made before the file is opened; stale ones older than
 * stale_lock_time are removed), "fcntl" and "flock" (kernel locks on the
 * open file), retried deliver_lock_attempts times deliver_lock_delay
 * apart. The file is created when it does not exist, never through a
 * symbolic link (mbox_open). The command runs directly, without a shell,
 * with the file still open and locked; the locks go when it has ended.
 *
 * Exit status: that of the command; 75 (EX_TEMPFAIL) when postlock itself
 * cannot do what was asked (bad usage, bad lock style, file cannot be
 * opened or locked, command cannot be run); a command killed by a signal
 * gives 75 as well.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "dot_lockfile.h"
#include "dsn_buf.h"
#include "lock_type.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mbox_open.h"
#include "msg.h"
#include "stringops.h"
#include "sys_exits.h"
#include "vstream.h"
#include "vstring.h"

/* postlock_usage - the complaint about bad arguments */
static void postlock_usage(const char *progname)
{
    msg_fatal_status(EX_TEMPFAIL,
                     "usage: %s [-c config_dir] [-l lock_style] [-v] "
                     "folder command...",
                     progname);
}

/* postlock_run - run the command, return its exit status */
static int postlock_run(char **command)
{
    int status;
    pid_t pid;
    int tries;

    for (tries = 0; (pid = fork()) < 0; tries++) {
        if (tries + 1 >= var_fork_attempts)
            msg_fatal_status(EX_TEMPFAIL, "fork %s: %m", command[0]);
        sleep(var_fork_delay);
    }
    if (pid == 0) {
        execvp(command[0], command);
        msg_fatal_status(EX_TEMPFAIL, "execvp %s: %m", command[0]);
    }
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            msg_fatal_status(EX_TEMPFAIL, "waitpid: %m");
    return (WIFEXITED(status) ? WEXITSTATUS(status) : EX_TEMPFAIL);
}

int main(int argc, char **argv)
{
    char *lock_style = 0;
    VSTRING *why = vstring_alloc(100);
    DSN_BUF *dsb;
    struct stat st;
    MBOX *mbox;
    ARGV *keep;
    int mask;
    int status;
    int ch;

    msg_stderr_init(argv[0]);
    if (getenv("MAIL_VERBOSE"))
        msg_verbose = 1;
    /* "+": options of the command are not ours. */
    while ((ch = getopt(argc, argv, "+c:l:v")) > 0) {
        switch (ch) {
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal_status(EX_TEMPFAIL, "setenv: %m");
            break;
        case 'l':
            lock_style = optarg;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            postlock_usage(argv[0]);
        }
    }
    if (argc < optind + 2)
        postlock_usage(argv[0]);
    mail_conf_read();
    keep = argv_split(var_import_environment, ", \t\r\n");
    clean_env(keep->argv);
    argv_free(keep);

    if (lock_style == 0)
        lock_style = var_mailbox_delivery_lock;
    if ((mask = lock_type_mask(lock_style, why)) < 0)
        msg_fatal_status(EX_TEMPFAIL, "unknown mailbox_delivery_lock value \"%s\" in \"%s\"",
                         lock_style, lock_style);
    dot_lockfile_limits(var_deliver_lock_attempts, var_deliver_lock_delay * 1000,
                        var_stale_lock_time);
    dsb = dsb_create();
    if ((mbox = mbox_open(argv[optind], O_APPEND | O_WRONLY | O_CREAT, S_IRUSR | S_IWUSR, &st,
                          (uid_t)-1, (gid_t)-1, mask, "5.2.0", dsb)) == 0)
        msg_fatal_status(EX_TEMPFAIL, "open file %s: %s", argv[optind], vstring_str(dsb->reason));
    /* The child must not inherit our handling of the signals below. */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    status = postlock_run(argv + optind + 1);
    mbox_release(mbox);
    dsb_free(dsb);
    vstring_free(why);
    exit(status);
}
