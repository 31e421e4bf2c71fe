/*
 * sendmail - the Sendmail-compatible front door of the mail system, also
 * installed as "mailq" and "newaliases" (the name selects the default
 * mode). See man/man1/sendmail.1.
 *
 * sendmail itself does little: it is an unprivileged program run by
 * anyone. Submitting mail is done by postdrop (set-gid, sm_postdrop.c),
 * which sendmail feeds the envelope and content records; listing and
 * flushing the queue are postqueue's job, rebuilding aliases postalias's,
 * starting the system postfix's, SMTP on standard input smtpd's: sendmail
 * runs those programs with the right arguments. The checks that sendmail
 * makes before (authorized_submit_users, for instance) are courtesy; the
 * programs that hold the privileges check again.
 *
 * Exit status: 0 on success; every error ends with EX_TEMPFAIL (75),
 * whatever its nature, because that is what the reference does and what
 * programs that call sendmail expect (retry later). A few error paths
 * give the reason with its sysexits code in the message only.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include "argv.h"
#include "clean_env.h"
#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "file_limit.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "maillog_client.h"
#include "msg.h"
#include "mymalloc.h"
#include "newaliases.h"
#include "rec_type.h"
#include "record.h"
#include "sm_copy.h"
#include "sm_opts.h"
#include "sm_postdrop.h"
#include "stringops.h"
#include "sys_exits.h"
#include "tok822.h"
#include "user_acl.h"
#include "vstream.h"
#include "vstring.h"

/* Who is submitting, for messages. */
typedef struct SM_WHO {
    uid_t uid;
    char *sender;               /* envelope sender (internal form) */
} SM_WHO;

/* sm_tempfail - every fatal error exits with EX_TEMPFAIL */
static void sm_tempfail(void)
{
    exit(EX_TEMPFAIL);
}

/* sm_run_replace - become one of the mail system's commands */
static void __attribute__((noreturn)) sm_run_replace(const char *dir, ARGV *argv)
{
    char *path = concatenate(dir, "/", argv->argv[0], (char *) 0);

    execv(path, argv->argv);
    msg_fatal("execv %s: %m", path);
}

/* sm_run_background - start a command and do not wait for it */
static int sm_run_background(const char *dir, ARGV *argv)
{
    pid_t pid;

    if ((pid = fork()) < 0) {
        msg_warn("fork: %m");
        return (-1);
    }
    if (pid == 0) {
        msg_cleanup((void (*)(void)) 0);
        sm_run_replace(dir, argv);
    }
    return (0);
}

/*
 * sm_command - "name args... [-v ...]" for the external commands. The -v
 * options go where Postfix's sendmail puts them: after the mode argument
 * (postqueue -p -v, smtpd -S -v), except for "postfix -v start"; the
 * flush-one-site/one-id requests pass none.
 */
static ARGV *sm_command(const char *name, int verbose, const char *first, const char *second)
{
    ARGV *argv = argv_alloc(4);
    int i;
    int before = (strcmp(name, "postfix") == 0);

    argv_add(argv, name, (char *) 0);
    for (i = 0; before && i < verbose; i++)
        argv_add(argv, "-v", (char *) 0);
    if (first)
        argv_add(argv, first, (char *) 0);
    if (second)
        argv_add(argv, second, (char *) 0);
    for (i = 0; !before && i < verbose; i++)
        argv_add(argv, "-v", (char *) 0);
    return (argv);
}

/* sm_check_submit - courtesy check; postdrop enforces it */
static void sm_check_submit(uid_t uid)
{
    const char *who;

    if ((who = check_user_acl_byuid("authorized_submit_users", var_authorized_submit_users,
                                    uid)) != 0)
        msg_fatal_status(EX_NOPERM, "User %s(%ld) is not allowed to submit mail", who,
                         (long) uid);
}

/* sm_full_name - NAME, else the password file's full name field */
static const char *sm_full_name(void)
{
    static VSTRING *result;
    struct passwd *pwd;
    const char *cp;

    if (result == 0)
        result = vstring_alloc(100);
    if ((cp = getenv("NAME")) != 0)
        return (vstring_str(vstring_strcpy(result, cp)));
    if ((pwd = getpwuid(getuid())) == 0)
        return (0);
    VSTRING_RESET(result);
    for (cp = pwd->pw_gecos; *cp && *cp != ',' && *cp != ';' && *cp != '%'; cp++) {
        if (*cp == '&') {
            /* BSD convention: & is the login name, capitalized. */
            if (pwd->pw_name[0]) {
                VSTRING_ADDCH(result, toupper((unsigned char) pwd->pw_name[0]));
                vstring_strcat(result, pwd->pw_name + 1);
            }
        } else {
            VSTRING_ADDCH(result, *cp);
        }
    }
    VSTRING_TERMINATE(result);
    return (vstring_str(result));
}

/* sm_sender - the envelope sender: -f (first address of it) or the login */
static char *sm_sender(const char *sender, uid_t uid)
{
    VSTRING *buf = vstring_alloc(100);
    struct passwd *pwd;
    TOK822 *tree;
    TOK822 *tp;
    int naddr = 0;
    char *result;

    if (sender != 0) {
        tree = tok822_parse(sender);
        for (tp = tree; tp != 0; tp = tp->next)
            if (tp->type == TOK822_ADDR && naddr++ == 0)
                tok822_internalize(buf, tp->head, TOK822_STR_DEFL);
        tok822_free_tree(tree);
        if (naddr > 1)
            msg_warn("-f option specified malformed sender: %s", sender);
        result = mystrdup(vstring_str(buf));
    } else {
        if ((pwd = getpwuid(uid)) == 0)
            msg_fatal_status(EX_OSERR, "no login name found for user ID %lu",
                             (unsigned long) uid);
        result = mystrdup(pwd->pw_name);
    }
    vstring_free(buf);
    return (result);
}

/* sm_put - one record to postdrop, or die */
static void sm_put(SM_WHO *who, VSTREAM *dst, int type, const char *text, ssize_t len)
{
    if (rec_put(dst, type, text, len) < 0)
        msg_fatal_status(EX_TEMPFAIL, "%s(%ld): error writing queue file: %m", who->sender,
                         (long) who->uid);
}

/* sm_recipient - one recipient record, with its DSN NOTIFY */
static void sm_recipient(SM_WHO *who, VSTREAM *dst, int dsn_notify, const char *rcpt)
{
    if (dsn_notify)
        rec_fprintf(dst, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_NOTIFY, dsn_notify);
    sm_put(who, dst, REC_TYPE_RCPT, rcpt, strlen(rcpt));
}

/* sm_envelope - sender, attributes and command-line recipients */
static int sm_envelope(SM_OPTS *opts, SM_WHO *who, VSTREAM *dst)
{
    VSTRING *buf = vstring_alloc(100);
    const char *full_name = opts->full_name;
    TOK822 *tree;
    TOK822 *tp;
    char **cpp;
    int count = 0;

    if (opts->dsn_envid)
        rec_fprintf(dst, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_DSN_ENVID, opts->dsn_envid);
    if (opts->dsn_ret)
        rec_fprintf(dst, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_DSN_RET, opts->dsn_ret);
    rec_fprintf(dst, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_RWR_CONTEXT, opts->rewrite_context);
    if (full_name != 0 || (full_name = sm_full_name()) != 0)
        rec_fputs(dst, REC_TYPE_FULL, full_name);
    rec_fputs(dst, REC_TYPE_FROM, who->sender);
    if (opts->verp_delims && *who->sender == 0)
        msg_fatal_status(EX_USAGE, "%s(%ld): -V option requires non-null sender address",
                         who->sender, (long) who->uid);
    if (opts->encoding)
        rec_fprintf(dst, REC_TYPE_ATTR, "%s=%s", MAIL_ATTR_ENCODING, opts->encoding);
    if (opts->trace_flags)
        rec_fprintf(dst, REC_TYPE_ATTR, "%s=%d", MAIL_ATTR_TRACE_FLAGS, opts->trace_flags);
    if (opts->verp_delims)
        rec_fputs(dst, REC_TYPE_VERP, opts->verp_delims);

    /* Like Sendmail, parse each argument as an address list header. */
    for (cpp = opts->recipients; *cpp != 0; cpp++) {
        tree = tok822_parse(*cpp);
        for (tp = tree; tp != 0; tp = tp->next) {
            if (tp->type == TOK822_ADDR) {
                tok822_internalize(buf, tp->head, TOK822_STR_DEFL);
                sm_recipient(who, dst, opts->dsn_notify, vstring_str(buf));
                count++;
            }
        }
        tok822_free_tree(tree);
    }
    vstring_free(buf);
    return (count);
}

/* sm_probe - -bv: a made-up message instead of standard input */
static void sm_probe(SM_OPTS *opts, SM_WHO *who, VSTREAM *dst)
{
    char **cpp;

    if (*who->sender)
        rec_fprintf(dst, REC_TYPE_NORM, "From: %s", who->sender);
    rec_fprintf(dst, REC_TYPE_NORM, "Subject: probe");
    if (opts->recipients[0] != 0) {
        rec_fprintf(dst, REC_TYPE_CONT, "To:");
        for (cpp = opts->recipients; *cpp != 0; cpp++)
            rec_fprintf(dst, REC_TYPE_NORM, "\t%s%s", *cpp, cpp[1] ? "," : "");
    }
}

/* sm_content - the message from standard input; -t recipients */
static int sm_content(SM_OPTS *opts, SM_WHO *who, VSTREAM *dst, int strip_cr)
{
    SM_COPY copy;
    ARGV *extracted;
    int status;
    int i;

    sm_copy_init(&copy, dst, opts->flags, var_line_length_limit, strip_cr,
                 var_header_size_limit);
    status = sm_copy_message(&copy, VSTREAM_IN);
    if (status == SM_COPY_WRITE)
        msg_fatal_status(EX_TEMPFAIL, "%s(%ld): error writing queue file: %m", who->sender,
                         (long) who->uid);
    if (status == SM_COPY_READ)
        msg_fatal_status(EX_IOERR, "%s(%ld): error reading input: %m", who->sender,
                         (long) who->uid);
    if (status > 0)
        msg_fatal_status(EX_DATAERR, "%s(%ld): unable to extract recipients: %s", who->sender,
                         (long) who->uid, mime_state_error(status));
    sm_put(who, dst, REC_TYPE_XTRA, "", 0);
    extracted = sm_copy_recipients(&copy);
    for (i = 0; i < extracted->argc; i++)
        sm_recipient(who, dst, opts->dsn_notify, extracted->argv[i]);
    sm_copy_free(&copy);
    return (i);
}

/* sm_enqueue - submit a message through postdrop */
static void sm_enqueue(SM_OPTS *opts)
{
    SM_WHO who;
    SM_POSTDROP *pd;
    VSTRING *why = vstring_alloc(100);
    int strip_cr;
    int rcpt_count;
    int status;

    who.uid = getuid();
    sm_check_submit(who.uid);
    if (var_message_size_limit > 0 && get_file_limit() > (off_t) var_message_size_limit)
        set_file_limit((off_t) var_message_size_limit);
    who.sender = sm_sender(opts->sender, who.uid);
    if ((strip_cr = sm_fix_eol_mode(var_sendmail_fix_line_endings)) < 0)
        msg_fatal_status(EX_CONFIG, "invalid %s value: %s", "sendmail_fix_line_endings",
                         var_sendmail_fix_line_endings);

    if ((pd = sm_postdrop_open(var_command_directory, opts->verbose,
                               var_export_environment)) == 0)
        msg_fatal_status(EX_UNAVAILABLE, "%s(%ld): unable to execute %s/postdrop -r: %s",
                         who.sender, (long) who.uid, var_command_directory,
                         errno ? strerror(errno) : "Application error");
    if (msg_verbose)
        msg_info("%s: queue id %s", pd->command, pd->id);

    rcpt_count = sm_envelope(opts, &who, pd->stream);
    sm_put(&who, pd->stream, REC_TYPE_MESG, "", 0);
    if (opts->trace_flags & SM_TRACE_VERIFY) {
        sm_probe(opts, &who, pd->stream);
        sm_put(&who, pd->stream, REC_TYPE_XTRA, "", 0);
    } else {
        rcpt_count += sm_content(opts, &who, pd->stream, strip_cr);
    }
    if (rcpt_count == 0)
        msg_fatal_status(EX_USAGE, (opts->flags & SM_FLAG_XRCPT)
                                       ? "%s(%ld): No recipient addresses found in message header"
                                       : "%s(%ld): Recipient addresses must be specified on"
                                         " the command line or via the -t option",
                         who.sender, (long) who.uid);
    sm_put(&who, pd->stream, REC_TYPE_END, "", 0);
    if (vstream_fflush(pd->stream) != 0)
        msg_fatal_status(EX_TEMPFAIL, "%s(%ld): error writing queue file: %m", who.sender,
                         (long) who.uid);

    /* postdrop has the last word: with -t nothing could be checked before. */
    if ((status = sm_postdrop_finish(pd, why)) != CLEANUP_STAT_OK)
        msg_fatal_status((status & CLEANUP_STAT_BAD)     ? EX_SOFTWARE
                         : (status & CLEANUP_STAT_WRITE) ? EX_TEMPFAIL
                                                         : EX_UNAVAILABLE,
                         "%s(%ld): %s", who.sender, (long) who.uid,
                         VSTRING_LEN(why) ? vstring_str(why) : cleanup_strerror(status));
    if (opts->trace_flags) {
        vstream_printf("Mail Delivery Status Report will be mailed to <%s>.\n", who.sender);
        vstream_fflush(VSTREAM_OUT);
    }
    myfree(who.sender);
    vstring_free(why);
}

/* sm_no_recipients - modes that take no recipient arguments */
static void sm_no_recipients(SM_OPTS *opts, const char *what)
{
    if (opts->recipients[0] != 0)
        msg_fatal_status(EX_USAGE, "%s requires no recipient", what);
}

/* sm_dispatch - do what the mode says; returns the exit status */
static int sm_dispatch(SM_OPTS *opts)
{
    const char *alias_db;

    switch (opts->mode) {
    case SM_MODE_ENQUEUE:
        if (opts->site_to_flush) {
            sm_no_recipients(opts, "flush site");
            sm_run_replace(var_command_directory,
                           sm_command("postqueue", 0, "-s", opts->site_to_flush));
        }
        if (opts->id_to_flush) {
            sm_no_recipients(opts, "flush queue_id");
            sm_run_replace(var_command_directory,
                           sm_command("postqueue", 0, "-i", opts->id_to_flush));
        }
        sm_enqueue(opts);
        return (0);
    case SM_MODE_MAILQ:
        sm_no_recipients(opts, "display queue mode");
        sm_run_replace(var_command_directory, sm_command("postqueue", opts->verbose, "-p", 0));
    case SM_MODE_FLUSHQ:
        sm_no_recipients(opts, "flush queue mode");
        sm_run_replace(var_command_directory, sm_command("postqueue", opts->verbose, "-f", 0));
    case SM_MODE_DAEMON:
        sm_no_recipients(opts, "daemon mode");
        return (sm_run_background(var_command_directory,
                                  sm_command("postfix", opts->verbose, "start", 0))
                < 0);
    case SM_MODE_NEWALIAS:
        sm_no_recipients(opts, "alias initialization mode");
        alias_db = opts->alias_database ? opts->alias_database : var_alias_database;
        if (*alias_db == 0)
            return (0);
        sm_run_replace(var_command_directory, newaliases_argv(opts->verbose, alias_db));
    case SM_MODE_USER:
        sm_no_recipients(opts, "stand-alone mode");
        sm_check_submit(getuid());
        sm_run_replace(var_daemon_directory, sm_command("smtpd", opts->verbose, "-S", 0));
    case SM_MODE_IGNORE:
        return (0);
    default:
        msg_panic("unknown operation mode: %d", opts->mode);
    }
}

/* sm_drop_setuid - refuse to keep set-uid root rights, loudly */
static void sm_drop_setuid(void)
{
    if (getuid() != geteuid() && geteuid() == 0) {
        msg_warn("the Postfix sendmail command has set-uid root file permissions");
        msg_warn("or the command is run from a set-uid root process");
        msg_warn("the Postfix sendmail command must be installed without set-uid root file"
                 " permissions");
        if (setgid(getgid()) < 0 || setuid(getuid()) < 0)
            msg_fatal("drop privileges: %m");
    }
}

/* sm_std_fds - make sure 0, 1 and 2 are open */
static void sm_std_fds(void)
{
    struct stat st;
    int fd;

    for (fd = 0; fd < 3; fd++)
        if (fstat(fd, &st) < 0 && (close(fd), open("/dev/null", O_RDWR, 0)) != fd)
            msg_fatal_status(EX_UNAVAILABLE, "open /dev/null: %m");
}

/* sm_update_env - apply the name=value settings of import_environment */
static void sm_update_env(void)
{
    ARGV *settings = argv_split(var_import_environment, ", \t\r\n");

    update_env(settings->argv);
    argv_free(settings);
}

/* sm_syslog - log to syslog, and to maillog_file (directly or through postlogd) */
static void sm_syslog(const char *name)
{
    maillog_client_init(name);
}

int main(int argc, char **argv)
{
    SM_OPTS opts;
    const char *progname;
    char *env;

    sm_drop_setuid();
    umask(022);
    progname = basename_of(argv[0]);
    if (*progname == 0)
        progname = "sendmail";
    argv[0] = (char *) progname;
    msg_stderr_init(progname);
    sm_std_fds();
    msg_cleanup(sm_tempfail);
    if ((env = getenv("MAIL_VERBOSE")) != 0)
        msg_verbose = 1;
    signal(SIGPIPE, SIG_IGN);

    sm_opts_prescan(argc, argv);
    mail_param_set_process_name("sendmail");
    mail_conf_read();
    sm_syslog(progname);
    sm_update_env();

    sm_opts_parse(&opts, progname, argc, argv);
    if (opts.qtime && opts.mode != SM_MODE_DAEMON)
        exit(0);
    exit(sm_dispatch(&opts));
}
