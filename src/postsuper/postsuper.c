/*
 * postsuper - the queue superintendent: root-only maintenance of the mail
 * queue (see man/man1/postsuper.1).
 *
 *   postsuper [-psSv] [-c config_dir] [-d id] [-e id] [-f id] [-h id]
 *             [-H id] [-r id] [queue...]
 *
 * An id is a queue id, "-" for ids on standard input (one a line), or
 * "ALL" (upper case only) for every message. Without queue arguments each
 * operation uses its own default queues. Without operations, -s and -p
 * are done. The whole-queue work (-s, -S, -p, and the ALL operations) is
 * done first (postsuper_scan.c); when that had to rename files to match
 * their inode numbers, it runs a second time to finish, and operations on
 * named messages are refused, since an id given by the user may now name
 * another message. Then the named messages are handled (postsuper_one.c).
 * At the end postsuper reports what it did ("Deleted: 3 messages").
 *
 * Trust: runs only for root and refuses to run set-id; all changes are
 * made as mail_owner, so that a compromised queue cannot lead it to
 * damage files elsewhere and new directories get the daemons' ownership.
 *
 * Failure: unexpected file system errors are fatal (and a warning says
 * when a repair was left unfinished); ids that are not found are simply
 * not counted.
 */

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "argv.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "mail_queue.h"
#include "maillog_client.h"
#include "msg.h"
#include "mymalloc.h"
#include "postsuper.h"
#include "set_ugid.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

POSTSUPER_COUNTS postsuper_counts;

static const POSTSUPER_QUEUE postsuper_queues[] = {
    {MAIL_QUEUE_MAILDROP, 1, 0}, {MAIL_QUEUE_INCOMING, 1, 1},
    {MAIL_QUEUE_ACTIVE, 1, 1},   {MAIL_QUEUE_DEFERRED, 1, 1},
    {MAIL_QUEUE_HOLD, 1, 1},     {MAIL_QUEUE_TRACE, 0, 1},
    {MAIL_QUEUE_DEFER, 0, 1},    {MAIL_QUEUE_BOUNCE, 0, 1},
    {MAIL_QUEUE_FLUSH, 0, 1},    {0, 0, 0},
};

const char *postsuper_log_queues[] = {MAIL_QUEUE_BOUNCE, MAIL_QUEUE_DEFER, MAIL_QUEUE_TRACE, 0};

/* Log directories come first, so -s has them in place before renaming messages. */
static const char *default_queues[] = {
    MAIL_QUEUE_DEFER,    MAIL_QUEUE_BOUNCE, MAIL_QUEUE_MAILDROP,
    MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE, MAIL_QUEUE_DEFERRED,
    MAIL_QUEUE_HOLD,     MAIL_QUEUE_FLUSH,  0,
};
static const char *default_hold_queues[] = {MAIL_QUEUE_INCOMING, MAIL_QUEUE_ACTIVE,
                                            MAIL_QUEUE_DEFERRED, 0};
static const char *default_release_queues[] = {MAIL_QUEUE_HOLD, 0};

/* One option that names messages: its ids, and what to do with them. */
typedef struct POSTSUPER_OP {
    int opt; /* option letter */
    int one; /* ACT_*_ONE */
    int all; /* ACT_*_ALL */
    POSTSUPER_ONE_FN fn;
    const char **defaults; /* queues without arguments */
    int *counter;
    ARGV *ids;
} POSTSUPER_OP;

static POSTSUPER_OP postsuper_ops[] = {
    {'d', ACT_DELETE_ONE, ACT_DELETE_ALL, postsuper_delete_one, default_queues,
     &postsuper_counts.deleted, 0},
    {'r', ACT_REQUEUE_ONE, ACT_REQUEUE_ALL, postsuper_requeue_one, default_queues,
     &postsuper_counts.requeued, 0},
    {'e', ACT_EXPIRE_ONE, ACT_EXPIRE_ALL, postsuper_expire_one, default_queues,
     &postsuper_counts.expired, 0},
    {'f', ACT_EXP_REL_ONE, ACT_EXP_REL_ALL, postsuper_expire_release_one, default_queues,
     &postsuper_counts.expired, 0},
    {'h', ACT_HOLD_ONE, ACT_HOLD_ALL, postsuper_hold_one, default_hold_queues,
     &postsuper_counts.held, 0},
    {'H', ACT_RELEASE_ONE, ACT_RELEASE_ALL, postsuper_release_one, default_release_queues,
     &postsuper_counts.released, 0},
    {0, 0, 0, 0, 0, 0, 0},
};

/* postsuper_queue - what a queue directory holds; fatal for unknown names */
const POSTSUPER_QUEUE *postsuper_queue(const char *name)
{
    const POSTSUPER_QUEUE *qp;

    for (qp = postsuper_queues; qp->name; qp++)
        if (strcmp(qp->name, name) == 0)
            return (qp);
    msg_fatal("invalid directory name: %s", name);
}

/* postsuper_interrupted - say when a repair was left half done */
static void postsuper_interrupted(int sig)
{
    /* SIGINT's disposition doubles as a guard against running twice. */
    if (signal(SIGINT, SIG_IGN) != SIG_IGN) {
        signal(SIGQUIT, SIG_IGN);
        signal(SIGTERM, SIG_IGN);
        signal(SIGHUP, SIG_IGN);
        if (postsuper_counts.inode_mismatch > 0 || postsuper_counts.inode_fixed > 0 ||
            postsuper_counts.position_fixed > 0)
            msg_warn("OPERATION INCOMPLETE -- RERUN COMMAND TO FIX THE QUEUE FIRST");
        if (sig)
            _exit(sig);
    }
}

/* postsuper_fatal_cleanup - msg_fatal hook */
static void postsuper_fatal_cleanup(void)
{
    postsuper_interrupted(0);
}

/* postsuper_usage - the complaint about bad options */
static void postsuper_usage(const char *progname)
{
    msg_fatal("usage: %s [-c config_dir] [-d queue_id (delete)] [-e queue_id (expire)] "
              "[-f queue_id (expire and/or un-hold)] [-h queue_id (hold)] "
              "[-H queue_id (un-hold)] [-p (purge temporary files)] [-r queue_id (requeue)] "
              "[-s (structure fix)] [-S (redundant structure fix)][-v (verbose)] [queue...]",
              progname);
}

/* postsuper_stream - apply fn to each id on standard input */
static int postsuper_stream(POSTSUPER_ONE_FN fn, const char **queues)
{
    VSTRING *buf = vstring_alloc(40);
    int found = 0;

    while (vstring_get_nonl_bound(buf, VSTREAM_IN, 1000) != VSTREAM_EOF)
        found += fn(queues, vstring_str(buf));
    vstring_free(buf);
    return (found);
}

/* postsuper_named - the operations on named messages */
static void postsuper_named(int action, const char **user_queues)
{
    POSTSUPER_OP *op;
    const char **queues;
    int i;

    for (op = postsuper_ops; op->opt; op++) {
        if ((action & op->one) == 0)
            continue;
        queues = user_queues ? user_queues : op->defaults;
        for (i = 0; i < op->ids->argc; i++) {
            if (strcmp(op->ids->argv[i], "ALL") == 0)
                continue;
            if (strcmp(op->ids->argv[i], "-") == 0)
                *op->counter += postsuper_stream(op->fn, queues);
            else
                *op->counter += op->fn(queues, op->ids->argv[i]);
        }
    }
}

/* postsuper_report_one - "What: N message(s)" */
static void postsuper_report_one(int action, int mask, const char *what, int count)
{
    if (action & mask)
        msg_info("%s: %d message%s", what, count, count == 1 ? "" : "s");
}

/* postsuper_report - what was done */
static void postsuper_report(int action)
{
    postsuper_report_one(action, ACT_REQUEUE_ONE | ACT_REQUEUE_ALL, "Requeued",
                         postsuper_counts.requeued);
    postsuper_report_one(action, ACT_DELETE_ONE | ACT_DELETE_ALL, "Deleted",
                         postsuper_counts.deleted);
    postsuper_report_one(action,
                         ACT_EXPIRE_ONE | ACT_EXPIRE_ALL | ACT_EXP_REL_ONE | ACT_EXP_REL_ALL,
                         "Force-expired", postsuper_counts.expired);
    postsuper_report_one(action, ACT_HOLD_ONE | ACT_HOLD_ALL, "Placed on hold",
                         postsuper_counts.held);
    postsuper_report_one(action,
                         ACT_RELEASE_ONE | ACT_RELEASE_ALL | ACT_EXP_REL_ONE | ACT_EXP_REL_ALL,
                         "Released from hold", postsuper_counts.released);
    if (postsuper_counts.inode_fixed > 0)
        postsuper_report_one(~0, ~0, "Renamed to match inode number", postsuper_counts.inode_fixed);
    if (postsuper_counts.inode_mismatch > 0 || postsuper_counts.inode_fixed > 0)
        msg_warn("QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS");
}

/* postsuper_options - parse the command line; returns the action bits */
static int postsuper_options(int argc, char **argv)
{
    POSTSUPER_OP *op;
    int action = 0;
    int ch;

    while ((ch = getopt(argc, argv, "c:d:e:f:h:H:pr:sSv")) > 0) {
        for (op = postsuper_ops; op->opt && op->opt != ch; op++)
            /* void */;
        if (op->opt) {
            if (op->ids == 0)
                op->ids = argv_alloc(1);
            argv_add(op->ids, optarg, (char *)0);
            action |= (strcmp(optarg, "ALL") == 0 ? op->all : op->one);
            continue;
        }
        switch (ch) {
        case 'c':
            if (*optarg != '/')
                msg_fatal("-c requires absolute pathname");
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("setenv: %m");
            break;
        case 'p':
            action |= ACT_PURGE;
            break;
        case 'S':
            action |= ACT_STRUCT_RED;
            /* FALLTHROUGH */
        case 's':
            action |= ACT_STRUCT;
            break;
        case 'v':
            msg_verbose++;
            break;
        default:
            postsuper_usage(argv[0]);
        }
    }
    for (op = postsuper_ops; op->opt; op++) {
        if ((action & op->all) && (action & op->one)) {
            msg_warn("option \"-%c ALL\" will ignore other command line queue IDs", op->opt);
            action &= ~op->one;
        }
    }
    return (action ? action : ACT_DEFAULT);
}

/* postsuper_signals - warn when interrupted in the middle of a repair */
static void postsuper_signals(void)
{
    signal(SIGINT, postsuper_interrupted);
    signal(SIGQUIT, postsuper_interrupted);
    if (signal(SIGTERM, SIG_IGN) == SIG_DFL)
        signal(SIGTERM, postsuper_interrupted);
    if (signal(SIGHUP, SIG_IGN) == SIG_DFL)
        signal(SIGHUP, postsuper_interrupted);
    msg_cleanup(postsuper_fatal_cleanup);
}

int main(int argc, char **argv)
{
    const char **user_queues;
    const char **queues;
    struct stat st;
    int action;
    int fd;

    umask(022);
    for (fd = 0; fd < 3; fd++)
        if (fstat(fd, &st) < 0 && (close(fd), open("/dev/null", O_RDWR, 0)) != fd)
            msg_fatal("open /dev/null: %m");
    argv[0] = (char *)basename_of(argv[0]);
    msg_stderr_init(argv[0]);
    if (getenv("MAIL_VERBOSE"))
        msg_verbose = 1;
    if (mail_conf_unsafe())
        msg_fatal("this postfix command must not run as a set-uid process");
    if (getuid() != 0)
        msg_fatal("use of this command is reserved for the superuser");

    action = postsuper_options(argc, argv);
    mail_param_set_process_name(argv[0]);
    mail_conf_read();
    maillog_client_init(argv[0]);
    if (chdir(var_queue_directory) < 0)
        msg_fatal("chdir %s: %m", var_queue_directory);
    set_ugid(var_owner_uid, var_owner_gid);
    postsuper_signals();

    user_queues = argv[optind] ? (const char **)argv + optind : 0;
    for (queues = user_queues; queues && *queues; queues++)
        (void)postsuper_queue(*queues);
    if (user_queues)
        queues = user_queues;
    else if (action == ACT_HOLD_ALL)
        queues = default_hold_queues;
    else if (action == ACT_RELEASE_ALL)
        queues = default_release_queues;
    else
        queues = default_queues;

    if (action & ~ACTS_BY_QUEUE_ID)
        postsuper_scan(queues, action);
    /* Names were given "#FIX" suffixes: a second pass makes them final. */
    if (postsuper_counts.inode_mismatch > 0)
        postsuper_scan(queues, action);
    if ((action & ACTS_BY_QUEUE_ID) &&
        (postsuper_counts.inode_mismatch > 0 || postsuper_counts.inode_fixed > 0)) {
        msg_error("QUEUE FILE NAMES WERE CHANGED TO MATCH INODE NUMBERS");
        msg_fatal("CHECK YOUR QUEUE IDS AND RE-ISSUE THE COMMAND");
    }
    postsuper_named(action, user_queues);
    postsuper_report(action);
    exit(0);
}
