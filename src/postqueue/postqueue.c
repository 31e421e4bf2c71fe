/*
 * postqueue - the unprivileged user interface to the queue: list it (-p,
 * -j) or ask for delivery (-f, -s site, -i queue_id). "mailq" and
 * "sendmail -bp/-q/-qR/-qI" run this program.
 *
 * Trust boundary: installed set-gid setgid_group so that it may connect to
 * the public showq socket and the public qmgr/pickup FIFOs, on behalf of
 * any local user. Hence, as in postdrop: the environment is reduced to
 * import_environment, a foreign configuration directory must be listed in
 * the default main.cf (mail_conf_checkdir), -v works for root only, and
 * authorized_mailq_users / authorized_flush_users decide who may list and
 * who may flush.
 *
 * Listing: the showq service sends the queue over the attribute protocol
 * (see showq.c); showq_compat.c and showq_json.c format it. When the
 * service cannot be reached and the caller is root, postqueue runs the
 * showq program itself in stand-alone mode over a socket pair.
 *
 * Flushing: -f triggers qmgr ("FADI": revive dead destinations, ignore
 * retry times, scan deferred and incoming) and pickup; -s and -i go
 * through the flush service.
 *
 * Exit status: 0, or a sysexits code with the reason on stderr and in the
 * log: EX_USAGE, EX_NOPERM (not authorized), EX_UNAVAILABLE (mail system
 * down, site not eligible), EX_SOFTWARE (malformed listing).
 */

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <unistd.h>

#include "argv.h"
#include "attr.h"
#include "clean_env.h"
#include "flush_clnt.h"
#include "iostuff.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_connect.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "maillog_client.h"
#include "msg.h"
#include "mymalloc.h"
#include "postqueue.h"
#include "stringops.h"
#include "sys_exits.h"
#include "user_acl.h"
#include "valid_hostname.h"
#include "valid_mailhost_addr.h"
#include "vstream.h"
#include "vstring.h"

#define PQ_MODE_DEFAULT 0
#define PQ_MODE_LIST 1  /* -p */
#define PQ_MODE_JSON 2  /* -j */
#define PQ_MODE_FLUSH 3 /* -f */
#define PQ_MODE_SITE 4  /* -s site */
#define PQ_MODE_FILE 5  /* -i queue_id */

/* postqueue_usage - the usage message, exit EX_USAGE */
static void postqueue_usage(void)
{
    msg_fatal_status(EX_USAGE, "usage: postqueue -f | postqueue -i queueid | postqueue -j | "
                               "postqueue -p | postqueue -s site");
}

/* postqueue_format - hand the listing to the formatter of the mode */
static void postqueue_format(int mode, VSTREAM *showq)
{
    if (attr_scan(showq, ATTR_FLAG_STRICT, RECV_ATTR_STREQ(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_SHOWQ),
                  ATTR_TYPE_END) != 1)
        msg_fatal_status(EX_SOFTWARE, "malformed showq server response");
    if (mode == PQ_MODE_JSON)
        showq_json(showq);
    else
        showq_compat(showq, var_enable_long_queue_ids);
    if (vstream_fflush(VSTREAM_OUT) != 0 && errno != EPIPE)
        msg_fatal_status(EX_IOERR, "output write error: %m");
}

/* postqueue_standalone - root, mail system down: run showq ourselves */
static void postqueue_standalone(int mode)
{
    ARGV *args = argv_alloc(6);
    char *path = concatenate(var_daemon_directory, "/", var_showq_service_name, (char *)0);
    VSTREAM *showq;
    int pair[2];
    int status;
    pid_t pid;
    int n;

    argv_add(args, var_showq_service_name, "-u", "-S", (char *)0);
    for (n = 0; n < msg_verbose; n++)
        argv_add(args, "-v", (char *)0);
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, pair) < 0)
        msg_fatal_status(EX_OSERR, "socketpair: %m");
    switch (pid = fork()) {
    case -1:
        msg_fatal_status(EX_OSERR, "fork: %m");
    case 0:
        (void)close(pair[0]);
        if (dup2(pair[1], STDIN_FILENO) < 0 || dup2(pair[1], STDOUT_FILENO) < 0)
            msg_fatal_status(EX_OSERR, "dup2: %m");
        if (pair[1] > STDOUT_FILENO)
            (void)close(pair[1]);
        execv(path, args->argv);
        msg_fatal_status(EX_OSERR, "execute %s: %m", path);
    default:
        break;
    }
    (void)close(pair[1]);
    showq = vstream_fdopen(pair[0], O_RDWR);
    postqueue_format(mode, showq);
    (void)vstream_fclose(showq);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        /* void */;
    argv_free(args);
    myfree(path);
}

/* postqueue_list - -p and -j */
static void postqueue_list(int mode)
{
    VSTREAM *showq;

    if ((showq = mail_connect(MAIL_CLASS_PUBLIC, var_showq_service_name, BLOCKING)) != 0) {
        vstream_set_timeout(showq, var_ipc_timeout);
        postqueue_format(mode, showq);
        (void)vstream_fclose(showq);
    } else if (errno == EACCES || errno == EPERM) {
        /* Not a sign that the mail system is down. */
        msg_fatal_status(EX_SOFTWARE, "Connect to the %s %s service: %m", var_mail_name,
                         var_showq_service_name);
    } else if (getuid() == 0) {
        msg_warn("Mail system is down -- accessing queue directly "
                 "(Connect to the %s %s service: %m)",
                 var_mail_name, var_showq_service_name);
        postqueue_standalone(mode);
    } else {
        msg_fatal_status(EX_UNAVAILABLE,
                         "Queue report unavailable - mail system is down "
                         "(Connect to the %s %s service: %m)",
                         var_mail_name, var_showq_service_name);
    }
}

/* postqueue_flush_all - -f: wake qmgr for everything, and pickup */
static void postqueue_flush_all(void)
{
    static const char qmgr_req[] = {QMGR_REQ_FLUSH_DEAD, QMGR_REQ_SCAN_ALL, QMGR_REQ_SCAN_DEFERRED,
                                    QMGR_REQ_SCAN_INCOMING};
    static const char pickup_req[] = {TRIGGER_REQ_WAKEUP};

    if (mail_trigger(MAIL_CLASS_PUBLIC, var_queue_service_name, qmgr_req, sizeof(qmgr_req)) < 0 ||
        mail_trigger(MAIL_CLASS_PUBLIC, var_pickup_service_name, pickup_req, sizeof(pickup_req)) <
            0)
        msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
}

/* postqueue_site_ok - a host name or an address literal */
static int postqueue_site_ok(const char *site)
{
    if (*site == '[')
        return (valid_mailhost_literal(site, DONT_GRIPE));
    return (valid_hostname(site, DONT_GRIPE));
}

/* postqueue_flush_site - -s site */
static void postqueue_flush_site(const char *site)
{
    int status;

    if (!postqueue_site_ok(site))
        msg_fatal_status(EX_USAGE, "Cannot flush mail queue - invalid destination: \"%.100s%s\"",
                         site, strlen(site) > 100 ? "..." : "");
    switch (status = flush_send_site(site)) {
    case FLUSH_STAT_OK:
        break;
    case FLUSH_STAT_FAIL:
        msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
    case FLUSH_STAT_DENY:
        msg_fatal_status(EX_UNAVAILABLE, "Flush service is not configured for destination \"%s\"",
                         site);
    default:
        msg_fatal_status(EX_SOFTWARE, "Unknown flush server reply status %d", status);
    }
}

/* postqueue_flush_file - -i queue_id */
static void postqueue_flush_file(const char *queue_id)
{
    int status;

    if (!mail_queue_id_ok(queue_id))
        msg_fatal_status(EX_USAGE, "Cannot flush queue ID - invalid name: \"%.100s%s\"", queue_id,
                         strlen(queue_id) > 100 ? "..." : "");
    switch (status = flush_send_file(queue_id)) {
    case FLUSH_STAT_OK:
        break;
    case FLUSH_STAT_FAIL:
        msg_fatal_status(EX_UNAVAILABLE, "Cannot flush mail queue - mail system is down");
    default:
        msg_fatal_status(EX_SOFTWARE, "Unexpected flush server reply status %d", status);
    }
}

/* postqueue_authorize - may this user do what the mode asks */
static void postqueue_authorize(int mode, uid_t uid)
{
    const char *refused;

    if (mode == PQ_MODE_LIST || mode == PQ_MODE_JSON) {
        if ((refused = check_user_acl_byuid("authorized_mailq_users", var_authorized_mailq_users,
                                            uid)) != 0)
            msg_fatal_status(EX_NOPERM, "User %s(%ld) is not allowed to view the mail queue",
                             refused, (long)uid);
    } else if ((refused = check_user_acl_byuid("authorized_flush_users", var_authorized_flush_users,
                                               uid)) != 0) {
        msg_fatal_status(EX_NOPERM, "User %s(%ld) is not allowed to flush the mail queue", refused,
                         (long)uid);
    }
}

/* postqueue_init - logging, environment, queue directory */
static void postqueue_init(void)
{
    ARGV *keep;
    char *tag;
    int facility;

    if (getuid() == 0) {
        maillog_client_init("postqueue");
    } else {
        /* maillog_file is root's to open; an unprivileged user logs to syslog only. */
        tag = concatenate(var_syslog_name, "/postqueue", (char *)0);
        facility = maillog_client_facility(var_syslog_facility);
        msg_syslog_init(tag, facility < 0 ? LOG_MAIL : facility);
        myfree(tag);
    }
    keep = argv_split(var_import_environment, ", \t\r\n");
    clean_env(keep->argv);
    argv_free(keep);
    if (chdir(var_queue_directory) < 0)
        msg_fatal_status(EX_UNAVAILABLE, "chdir %s: %m", var_queue_directory);
    signal(SIGPIPE, SIG_IGN);
}

/* postqueue_std_fds - 0, 1 and 2 open before anything else */
static void postqueue_std_fds(void)
{
    struct stat st;
    int fd;

    for (fd = 0; fd < 3; fd++)
        if (fstat(fd, &st) < 0 && (close(fd), open("/dev/null", O_RDWR, 0)) != fd)
            msg_fatal("open /dev/null: %m");
}

int main(int argc, char **argv)
{
    uid_t uid = getuid();
    const char *arg = 0;
    int mode = PQ_MODE_DEFAULT;
    int new_mode;
    int ch;

    umask(022);
    postqueue_std_fds();
    argv[0] = "postqueue";
    msg_stderr_init(argv[0]);

    while ((ch = getopt(argc, argv, "c:fi:jps:v")) > 0) {
        new_mode = PQ_MODE_DEFAULT;
        switch (ch) {
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal_status(EX_UNAVAILABLE, "out of memory");
            break;
        case 'f':
            new_mode = PQ_MODE_FLUSH;
            break;
        case 'i':
            new_mode = PQ_MODE_FILE;
            arg = optarg;
            break;
        case 'j':
            new_mode = PQ_MODE_JSON;
            break;
        case 'p':
            new_mode = PQ_MODE_LIST;
            break;
        case 's':
            new_mode = PQ_MODE_SITE;
            arg = optarg;
            break;
        case 'v':
            if (uid == 0)
                msg_verbose++;
            break;
        default:
            postqueue_usage();
        }
        if (new_mode != PQ_MODE_DEFAULT) {
            if (mode != PQ_MODE_DEFAULT)
                postqueue_usage();
            mode = new_mode;
        }
    }
    if (argc > optind || mode == PQ_MODE_DEFAULT)
        postqueue_usage();

    mail_conf_check_env_dir();
    mail_param_set_process_name(argv[0]);
    mail_conf_read();
    postqueue_init();
    postqueue_authorize(mode, uid);

    switch (mode) {
    case PQ_MODE_LIST:
    case PQ_MODE_JSON:
        postqueue_list(mode);
        break;
    case PQ_MODE_FLUSH:
        postqueue_flush_all();
        break;
    case PQ_MODE_SITE:
        postqueue_flush_site(arg);
        break;
    case PQ_MODE_FILE:
        postqueue_flush_file(arg);
        break;
    }
    exit(0);
}
