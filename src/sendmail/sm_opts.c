/*
 * sm_opts - Sendmail's command line as the Postfix sendmail command reads
 * it. Many options are accepted and ignored, some are refused, a few have
 * odd corners that existing scripts depend on; those corners are kept:
 *   - "-q" alone is not a getopt option (it takes no value, while -qR, -qI
 *     and -qinterval do), so it is recognized before getopt sees it;
 *   - the old "-V xy" / "-Vxy" VERP syntax is rewritten to -XV / -Xxy with
 *     a warning; note that "-V xy" then leaves "xy" as a recipient;
 *   - "-XV" alone asks for the default VERP delimiters;
 *   - option processing stops at the first non-option ("+" in the getopt
 *     string), so that "sendmail user -f x" has two recipients.
 * The command line is read twice: sm_opts_prescan() only looks for -C,
 * which has to take effect before main.cf is read; sm_opts_parse() does
 * the rest once the configuration is known (the VERP filter and default
 * delimiters come from it).
 *
 * Exports sm_opts_prescan() and sm_opts_parse(). Errors are fatal with the
 * reference's words; the caller's msg_cleanup() hook decides the exit
 * status (EX_TEMPFAIL for every error, as the reference does).
 */

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dsn_mask.h"
#include "mail_conf.h"
#include "mail_conf_checkdir.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "msg.h"
#include "mymalloc.h"
#include "sm_opts.h"
#include "stringops.h"
#include "sys_exits.h"

#define SM_GETOPT_LIST "+A:B:C:F:GIL:N:O:R:UV:X:b:ce:f:h:imno:p:r:q:tvx"
#define SM_OPTIND (optind > 0 ? optind : 1)
#define SM_ENVID_MAX 100


/* sm_opts_restart - make getopt start over at argv[1] */
static void sm_opts_restart(void)
{
    optind = 0;                         /* glibc: also forget its internal state */
}

/* sm_opts_config_dir - -C: a main.cf path or its directory */
static void sm_opts_config_dir(const char *arg)
{
    const char *base = basename_of(arg);
    char *dir;

    if (strcmp(base, "main.cf") == 0)
        dir = base == arg ? mystrdup(".") : mystrndup(arg, base - arg - (base - arg > 1));
    else
        dir = mystrdup(arg);
    if (strcmp(dir, DEF_CONFIG_DIRECTORY) != 0 && geteuid() != 0)
        mail_conf_checkdir(dir);
    if (setenv("MAIL_CONFIG", dir, 1) < 0)
        msg_fatal("out of memory");
    myfree(dir);
}

/* sm_opts_prescan - act on -C before the configuration is read */
void sm_opts_prescan(int argc, char **argv)
{
    int ch;

    sm_opts_restart();
    while (argv[SM_OPTIND] != 0) {
        if (strcmp(argv[SM_OPTIND], "-q") == 0) {
            optind = SM_OPTIND + 1;
            continue;
        }
        if ((ch = getopt(argc, argv, SM_GETOPT_LIST)) <= 0)
            break;
        if (ch == 'C')
            sm_opts_config_dir(optarg);
    }
    sm_opts_restart();
}

/* sm_verp_delims_ok - two characters, both allowed by verp_delimiter_filter */
static int sm_verp_delims_ok(const char *delims)
{
    return (strlen(delims) == 2 && strchr(var_verp_delimiter_filter, delims[0]) != 0
            && strchr(var_verp_delimiter_filter, delims[1]) != 0);
}

/* sm_opts_old_verp - rewrite the pre-2.3 -V VERP syntax, in place */
static void sm_opts_old_verp(char **argv)
{
    char *arg = argv[SM_OPTIND];

    if (strcmp(arg, "-V") == 0 && argv[SM_OPTIND + 1] != 0 && strlen(argv[SM_OPTIND + 1]) == 2) {
        msg_warn("option -V is deprecated with Postfix 2.3; specify -XV instead");
        argv[SM_OPTIND] = "-XV";
    } else if (strncmp(arg, "-V", 2) == 0 && strlen(arg) == 4) {
        msg_warn("option %s is deprecated with Postfix 2.3; specify -X%s instead", arg, arg + 1);
        argv[SM_OPTIND] = concatenate("-X", arg + 1, (char *) 0);
    }
}

/* sm_opts_b - the -b family: modes of operation */
static void sm_opts_b(SM_OPTS *opts, const char *arg)
{
    switch (*arg) {
    case 'd':
    case 'l':
        if (opts->mode == SM_MODE_FLUSHQ)
            msg_warn("ignoring -q option in daemon mode");
        opts->mode = SM_MODE_DAEMON;
        break;
    case 'h':
    case 'H':
        opts->mode = SM_MODE_IGNORE;
        break;
    case 'i':
        opts->mode = SM_MODE_NEWALIAS;
        break;
    case 'm':
        opts->mode = SM_MODE_ENQUEUE;
        break;
    case 'p':
        opts->mode = SM_MODE_MAILQ;
        break;
    case 's':
        opts->mode = SM_MODE_USER;
        break;
    case 'v':
        opts->trace_flags |= SM_TRACE_VERIFY;
        break;
    default:
        msg_fatal_status(EX_USAGE, "unsupported: -b%c", *arg);
    }
}

/* sm_opts_o - the -o family: almost all ignored */
static void sm_opts_o(SM_OPTS *opts, const char *arg)
{
    switch (*arg) {
    case 'A':
        if (arg[1] == 0)
            msg_fatal_status(EX_USAGE, "-oA requires pathname");
        opts->alias_database = arg + 1;
        break;
    case 'i':
        opts->flags &= ~SM_FLAG_AEOF;
        break;
    case '7':
    case '8':
    case 'm':
        break;
    default:
        if (msg_verbose)
            msg_info("-o%c option ignored", *arg);
        break;
    }
}

/* sm_opts_q - the -q family with a value */
static void sm_opts_q(SM_OPTS *opts, const char *arg)
{
    if (isdigit((unsigned char) arg[0])) {
        opts->qtime = arg;
    } else if (arg[0] == 'R') {
        if (*(opts->site_to_flush = arg + 1) == 0)
            msg_fatal_status(EX_USAGE, "specify: -qRsitename");
    } else if (arg[0] == 'I') {
        if (*(opts->id_to_flush = arg + 1) == 0)
            msg_fatal_status(EX_USAGE, "specify: -qIqueueid");
    } else {
        msg_fatal_status(EX_USAGE, "-q%c is not implemented", arg[0]);
    }
}

/* sm_opts_dsn - -N, -R, -V: DSN parameters; bad values are ignored */
static void sm_opts_dsn(SM_OPTS *opts, int ch, const char *arg)
{
    switch (ch) {
    case 'N':
        if ((opts->dsn_notify = dsn_notify_mask(arg)) == 0)
            msg_warn("bad -N option value -- ignored");
        break;
    case 'R':
        if ((opts->dsn_ret = dsn_ret_code(arg)) == 0)
            msg_warn("bad -R option value -- ignored");
        break;
    case 'V':
        if (strlen(arg) > SM_ENVID_MAX)
            msg_warn("too long -V option value -- ignored");
        else if (!allprint(arg))
            msg_warn("bad syntax in -V option value -- ignored");
        else
            opts->dsn_envid = arg;
        break;
    }
}

/* sm_opts_one - one getopt result */
static void sm_opts_one(SM_OPTS *opts, const char *progname, int ch, const char *arg)
{
    switch (ch) {
    case 'B':
        if (strcmp(arg, "8BITMIME") == 0)
            opts->encoding = MAIL_ATTR_ENC_8BIT;
        else if (strcmp(arg, "7BIT") == 0)
            opts->encoding = MAIL_ATTR_ENC_7BIT;
        else
            msg_fatal_status(EX_USAGE, "-B option needs 8BITMIME or 7BIT");
        break;
    case 'F':
        opts->full_name = arg;
        break;
    case 'G':
        opts->rewrite_context = MAIL_ATTR_RWR_REMOTE;
        break;
    case 'I':
        opts->mode = SM_MODE_NEWALIAS;
        break;
    case 'N':
    case 'R':
    case 'V':
        sm_opts_dsn(opts, ch, arg);
        break;
    case 'X':
        if (*arg != 'V')
            msg_fatal_status(EX_USAGE, "unsupported: -X%c", *arg);
        if (!sm_verp_delims_ok(arg + 1))
            msg_fatal_status(EX_USAGE, "-V requires two characters from %s",
                             var_verp_delimiter_filter);
        opts->verp_delims = arg + 1;
        break;
    case 'b':
        sm_opts_b(opts, arg);
        break;
    case 'f':
    case 'r':
        opts->sender = arg;
        break;
    case 'i':
        opts->flags &= ~SM_FLAG_AEOF;
        break;
    case 'n':
        msg_fatal_status(EX_USAGE, "-%c option not supported", ch);
    case 'o':
        sm_opts_o(opts, arg);
        break;
    case 'q':
        sm_opts_q(opts, arg);
        break;
    case 't':
        opts->flags |= SM_FLAG_XRCPT;
        break;
    case 'v':
        msg_verbose++;
        break;
    case '?':
        msg_fatal_status(EX_USAGE, "usage: %s [options]", progname);
    default:
        if (msg_verbose)
            msg_info("-%c option ignored", ch);
        break;
    }
}

/* sm_opts_conflicts - refuse combinations that make no sense */
static void sm_opts_conflicts(SM_OPTS *opts)
{
    if ((opts->flags & SM_FLAG_XRCPT) && opts->mode != SM_MODE_ENQUEUE)
        msg_fatal_status(EX_USAGE, "-t can be used only in delivery mode");
    if (opts->site_to_flush && opts->mode != SM_MODE_ENQUEUE)
        msg_fatal_status(EX_USAGE, "-qR can be used only in delivery mode");
    if (opts->id_to_flush && opts->mode != SM_MODE_ENQUEUE)
        msg_fatal_status(EX_USAGE, "-qI can be used only in delivery mode");
    if (opts->trace_flags & SM_TRACE_VERIFY) {
        if (opts->flags & SM_FLAG_XRCPT)
            msg_fatal_status(EX_USAGE, "-t option cannot be used with -bv");
        if (opts->dsn_notify)
            msg_fatal_status(EX_USAGE, "-N option cannot be used with -bv");
        if (opts->dsn_ret)
            msg_fatal_status(EX_USAGE, "-R option cannot be used with -bv");
        if (msg_verbose == 1)
            msg_fatal_status(EX_USAGE, "-v option cannot be used with -bv");
    }
}

/* sm_opts_parse - the whole command line; argv may be rewritten */
void sm_opts_parse(SM_OPTS *opts, const char *progname, int argc, char **argv)
{
    int ch;

    memset(opts, 0, sizeof(*opts));
    opts->flags = SM_FLAG_AEOF;
    opts->rewrite_context = MAIL_ATTR_RWR_LOCAL;
    if (strcmp(progname, "mailq") == 0)
        opts->mode = SM_MODE_MAILQ;
    else if (strcmp(progname, "newaliases") == 0)
        opts->mode = SM_MODE_NEWALIAS;
    else if (strcmp(progname, "smtpd") == 0)
        opts->mode = SM_MODE_DAEMON;
    else
        opts->mode = SM_MODE_ENQUEUE;

    sm_opts_restart();
    while (argv[SM_OPTIND] != 0) {
        if (strcmp(argv[SM_OPTIND], "-q") == 0) {
            if (opts->mode == SM_MODE_DAEMON)
                msg_warn("ignoring -q option in daemon mode");
            else
                opts->mode = SM_MODE_FLUSHQ;
            optind = SM_OPTIND + 1;
            continue;
        }
        sm_opts_old_verp(argv);
        if (strcmp(argv[SM_OPTIND], "-XV") == 0) {
            opts->verp_delims = var_default_verp_delimiters;
            optind = SM_OPTIND + 1;
            continue;
        }
        if ((ch = getopt(argc, argv, SM_GETOPT_LIST)) <= 0)
            break;
        sm_opts_one(opts, progname, ch, optarg);
    }
    opts->recipients = argv + SM_OPTIND;
    sm_opts_conflicts(opts);

    /* One -v asks for a delivery report; more ask for verbose logging. */
    if (msg_verbose == 1 && opts->mode == SM_MODE_ENQUEUE) {
        msg_verbose = 0;
        opts->trace_flags |= SM_TRACE_RECORD;
    }
    opts->verbose = msg_verbose;
}
