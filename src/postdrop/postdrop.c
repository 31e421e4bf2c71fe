/*
 * postdrop - the set-gid program that puts a locally submitted message into
 * the maildrop queue. sendmail runs it and feeds it records; nobody else
 * needs to (see man/man1/postdrop.1).
 *
 * Trust boundary: postdrop runs with the rights of setgid_group, which may
 * write into the maildrop directory and talk to pickup, on behalf of any
 * local user. Everything the user controls is treated as hostile:
 *   - the environment is reduced to import_environment before anything
 *     else runs;
 *   - a configuration directory other than the default (-c or MAIL_CONFIG)
 *     is accepted from a non-root user only if the default main.cf lists it
 *     in alternate_config_directories (mail_conf_checkdir);
 *   - -v works for root only, so that a user cannot make postdrop log
 *     things the user should not see;
 *   - the input records are filtered (postdrop_copy.c) and the arrival time
 *     is postdrop's own.
 * authorized_submit_users decides who may submit at all; local_login_
 * sender_maps which envelope senders each user may claim.
 *
 * The conversation with sendmail over standard input and output:
 *   postdrop -> sendmail  protocol=postdrop_protocol, queue_id=ID (one list)
 *   sendmail -> postdrop  records, ending with E
 *   postdrop -> sendmail  status=CLEANUP_STAT_* bits, reason=text
 * The file is created without the owner-execute bit and gets it only after
 * it has been written and fsync()ed (mail_stream_file), so pickup never
 * sees half a message. Whenever postdrop gives up before that - malformed
 * or incomplete input, a fatal error, SIGHUP/INT/QUIT/TERM - the file is
 * removed.
 *
 * Exit status: that of msg_fatal() (1) for errors that end the program,
 * the signal number when killed by one of the signals above, otherwise the
 * status that was reported to sendmail.
 */

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <syslog.h>
#include <unistd.h>

#include "argv.h"
#include "attr.h"
#include "clean_env.h"
#include "cleanup_user.h"
#include "file_limit.h"
#include "login_sender_match.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "maillog_client.h"
#include "mail_queue.h"
#include "mail_stream.h"
#include "msg.h"
#include "mymalloc.h"
#include "postdrop_copy.h"
#include "rec_type.h"
#include "stringops.h"
#include "record.h"
#include "user_acl.h"
#include "vstream.h"
#include "vstring.h"

/* The file to remove when postdrop dies; null once it is complete. */
static char *volatile postdrop_path;

/* postdrop_cleanup - remove the unfinished maildrop file (msg_fatal hook) */
static void postdrop_cleanup(void)
{
    char *path = postdrop_path;

    postdrop_path = 0;
    if (path != 0) {
        if (unlink(path) < 0 && errno != ENOENT)
            msg_warn("remove %s: %m", path);
        else if (msg_verbose)
            msg_info("remove %s", path);
    }
}

/* postdrop_sig - a signal ends the submission: remove the file and go */
static void postdrop_sig(int sig)
{
    signal(SIGHUP, SIG_IGN);
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGTERM, SIG_IGN);
    if (postdrop_path != 0)
        (void) unlink(postdrop_path);
    _exit(sig);
}

/* postdrop_std_fds - make sure 0, 1 and 2 are open before opening files */
static void postdrop_std_fds(void)
{
    struct stat st;
    int fd;

    for (fd = 0; fd < 3; fd++)
        if (fstat(fd, &st) < 0 && (close(fd), open("/dev/null", O_RDWR, 0)) != fd)
            msg_fatal("open /dev/null: %m");
}

/* postdrop_login - the name local_login_sender_maps is searched with */
static char *postdrop_login(uid_t uid)
{
    struct passwd *pwd = getpwuid(uid);
    char buf[40];

    if (pwd != 0)
        return (mystrdup(pwd->pw_name));
    snprintf(buf, sizeof(buf), "uid:%ld", (long) uid);
    return (mystrdup(buf));
}

/* postdrop_clean_env - keep only import_environment */
static void postdrop_clean_env(void)
{
    ARGV *keep = argv_split(var_import_environment, ", \t\r\n");

    clean_env(keep->argv);
    argv_free(keep);
}

/* postdrop_signals - remove the file on the usual termination signals */
static void postdrop_signals(void)
{
    signal(SIGPIPE, SIG_IGN);
    signal(SIGXFSZ, SIG_IGN);
    signal(SIGHUP, postdrop_sig);
    signal(SIGINT, postdrop_sig);
    signal(SIGQUIT, postdrop_sig);
    signal(SIGTERM, postdrop_sig);
    msg_cleanup(postdrop_cleanup);
}

/* postdrop_verdict - turn a copy result into status and reason, or die */
static int postdrop_verdict(POSTDROP_COPY *copy, int result, VSTRING *why)
{
    switch (result) {
    case POSTDROP_COPY_DONE:
        if (copy->from_count == 0 || copy->rcpt_count == 0)
            return (CLEANUP_STAT_BAD);
        return (CLEANUP_STAT_OK);
    case POSTDROP_COPY_MALFORMED:
        msg_fatal("uid=%ld: malformed input", copy->uid);
    case POSTDROP_COPY_UNEXPECTED:
        msg_fatal("uid=%ld: unexpected record type: %d", copy->uid, copy->bad_type);
    case POSTDROP_COPY_WRITE:
        errno = copy->write_errno;
        msg_warn("uid=%ld: %m", copy->uid);
        return (errno == EFBIG ? CLEANUP_STAT_SIZE : CLEANUP_STAT_WRITE);
    case POSTDROP_COPY_SENDER_NUL:
        vstring_strcpy(why, "NUL in FROM record");
        return (CLEANUP_STAT_BAD);
    case POSTDROP_COPY_SENDER_DENIED:
        vstring_sprintf(why, "not authorized to use sender='%s'", vstring_str(copy->sender));
        return (CLEANUP_STAT_NOPERM);
    case POSTDROP_COPY_SENDER_ERROR:
        vstring_sprintf(why, "%s table lookup error for '%s'", "local_login_sender_maps",
                        copy->login);
        msg_warn("%s", vstring_str(why));
        return (CLEANUP_STAT_DEFER);
    default:
        msg_panic("postdrop_verdict: unexpected copy result %d", result);
    }
}

/* postdrop_receive - create the file, copy the submission, report; exits */
static void postdrop_receive(uid_t uid, char *login, LOGIN_SENDER_MATCH *lsm)
{
    VSTRING *why = vstring_alloc(100);
    VSTRING *path = vstring_alloc(100);
    struct timeval start;
    MAIL_STREAM *dst;
    POSTDROP_COPY copy;
    int result;
    int status;

    /* The arrival time is ours, not the caller's. */
    gettimeofday(&start, (struct timezone *) 0);
    dst = mail_stream_file(MAIL_QUEUE_MAILDROP, MAIL_CLASS_PUBLIC, var_pickup_service_name, 0444);
    postdrop_path = mystrdup(mail_queue_path(path, MAIL_QUEUE_MAILDROP, dst->id));
    attr_print(VSTREAM_OUT, ATTR_FLAG_NONE,
               SEND_ATTR_STR(MAIL_ATTR_PROTO, MAIL_ATTR_PROTO_POSTDROP),
               SEND_ATTR_STR(MAIL_ATTR_QUEUEID, dst->id), ATTR_TYPE_END);
    vstream_fflush(VSTREAM_OUT);
    rec_fprintf(dst->stream, REC_TYPE_TIME, "%ld %ld", (long) start.tv_sec, (long) start.tv_usec);

    vstream_set_path(VSTREAM_IN, "stdin");
    postdrop_copy_init(&copy, (long) uid, login, lsm, var_line_length_limit);
    result = postdrop_copy(&copy, VSTREAM_IN, dst->stream);
    if (result == POSTDROP_COPY_CANCEL) {
        /* The client hung up before the end: it does not want the message. */
        mail_stream_cleanup(dst);
        postdrop_path = 0;
        exit(0);
    }
    if (result != POSTDROP_COPY_DONE)
        postdrop_drain(VSTREAM_IN, var_line_length_limit);
    if ((status = postdrop_verdict(&copy, result, why)) != CLEANUP_STAT_OK) {
        mail_stream_cleanup(dst);
    } else if ((status = mail_stream_finish(dst, (VSTRING *) 0)) != CLEANUP_STAT_OK) {
        msg_warn("uid=%ld: %s", (long) uid, "queue file write error");
    }
    /* From here on the file is pickup's (or already gone): never remove it. */
    postdrop_path = 0;
    attr_print(VSTREAM_OUT, ATTR_FLAG_NONE, SEND_ATTR_INT(MAIL_ATTR_STATUS, status),
               SEND_ATTR_STR(MAIL_ATTR_WHY, vstring_str(why)), ATTR_TYPE_END);
    vstream_fflush(VSTREAM_OUT);
    postdrop_copy_free(&copy);
    vstring_free(why);
    vstring_free(path);
    exit(status);
}

/* postdrop_syslog - log to syslog, and to maillog_file (directly or through postlogd) */
static void postdrop_syslog(const char *name)
{
    maillog_client_init(name);
}

int main(int argc, char **argv)
{
    uid_t uid = getuid();
    LOGIN_SENDER_MATCH *lsm = 0;
    const char *refused;
    char *login;
    int ch;

    umask(022);
    postdrop_std_fds();

    /* The program name is the user's to choose; the log name is not. */
    argv[0] = "postdrop";
    msg_stderr_init(argv[0]);

    while ((ch = getopt(argc, argv, "+c:rv")) > 0) {
        switch (ch) {
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("out of memory");
            break;
        case 'r':
            /* The record protocol is the only one; -r is accepted for sendmail. */
            break;
        case 'v':
            if (geteuid() == 0)
                msg_verbose++;
            break;
        default:
            msg_fatal("usage: %s [-c config_dir] [-v]", argv[0]);
        }
    }

    mail_conf_check_env_dir();
    mail_param_set_process_name(argv[0]);
    mail_conf_read();
    postdrop_syslog(argv[0]);

    if ((refused = check_user_acl_byuid("authorized_submit_users", var_authorized_submit_users,
                                        uid)) != 0)
        msg_fatal("User %s(%ld) is not allowed to submit mail", refused, (long) uid);

    /* Damage control for runaway submissions, not a defence. */
    if (var_message_size_limit > 0 && get_file_limit() > (off_t) var_message_size_limit)
        set_file_limit((off_t) var_message_size_limit);

    postdrop_clean_env();
    if (chdir(var_queue_directory) < 0)
        msg_fatal("chdir %s: %m", var_queue_directory);
    if (msg_verbose)
        msg_info("chdir %s", var_queue_directory);

    login = postdrop_login(uid);
    if (strcmp(var_local_login_sender_maps, "static:*") != 0)
        lsm = login_sender_create("local_login_sender_maps", var_local_login_sender_maps,
                                  var_recipient_delimiter,
                                  var_empty_address_local_login_sender_maps_lookup_key);
    postdrop_signals();
    postdrop_receive(uid, login, lsm);
}
