/*
 * postconf - show and change the mail system configuration.
 *
 * Command-line front end: parses the options, reads main.cf and master.cf
 * the way the rest of the system does (mail_conf, master_cf) and hands over
 * to the part that does the work:
 *
 *      postconf_params.c   which names are known, unused, undefined
 *      postconf_print.c    "name = value" output (-d, -n, -h, -H, -x, -f)
 *      postconf_edit.c     main.cf edits (-e, -X, -#) and atomic rewrites
 *      postconf_master.c   master.cf listings and edits (-M, -F, -P)
 *
 * Failure: usage errors and broken configuration files are fatal (exit 1)
 * with Postfix's messages; unknown names are warnings.
 */

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "argv.h"
#include "dict.h"
#include "lock_type.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstream.h"

#include "bounce_template.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "postconf.h"

int pcf_flags;
char *pcf_main_path;
char *pcf_master_path;

static const char *pcf_progname;

/* pcf_usage - the one usage message */
static void pcf_usage(void)
{
    msg_fatal("usage: %s [-a (server SASL types)] [-A (client SASL types)] [-b (bounce "
              "templates)] [-c config_dir] [-c param_class] [-d (parameter defaults)] [-e (edit "
              "configuration)] [-f (fold lines)] [-F (master.cf fields)] [-h (no names)] [-H (no "
              "values)] [-l (lock types)] [-m (map types)] [-M (master.cf)] [-n (non-default "
              "parameters)] [-o name=value (override parameter value)] [-p (main.cf, default)] "
              "[-P (master.cf parameters)] [-t (bounce templates)] [-T "
              "compile-version|run-version|public-key-algorithms] [-v (verbose)] [-x (expand "
              "parameter values)] [-X (exclude)] [-# (comment-out)] [name...]",
              pcf_progname);
}

/* pcf_exclusive - at most one of these flags; Postfix's words otherwise */
static void pcf_exclusive(int mask, const char *const *names, const int *bits)
{
    int i, first = -1;

    for (i = 0; bits[i]; i++) {
        if (!(pcf_flags & mask & bits[i]))
            continue;
        if (first < 0)
            first = i;
        else
            msg_fatal("specify one of %s %s", names[first], names[i]);
    }
}

/* pcf_check_options - combinations that make no sense */
static void pcf_check_options(void)
{
    static const char *const sasl_names[] = {"-a", "-A", 0};
    static const int sasl_bits[] = {PCF_SASL_SERVER, PCF_SASL_CLIENT, 0};
    static const char *const edit_names[] = {"-e", "-X", "-#", 0};
    static const int edit_bits[] = {PCF_EDIT_CONF, PCF_EDIT_EXCL, PCF_COMMENT_OUT, 0};
    static const char *const dn_names[] = {"-d", "-n", 0};
    static const int dn_bits[] = {PCF_SHOW_DEFS, PCF_SHOW_NONDEF, 0};
    static const char *const table_names[] = {"-F", "-M", "-P", 0};
    static const int table_bits[] = {PCF_MASTER_FIELD, PCF_MASTER_ENTRY, PCF_MASTER_PARAM, 0};
    static const char *const show_names[] = {"-d", "-n", "-x", 0};
    static const int show_bits[] = {PCF_SHOW_DEFS, PCF_SHOW_NONDEF, PCF_SHOW_EVAL, 0};
    static const char *const edits[] = {"-e", "-X", "-#"};
    static const int edit_flags[] = {PCF_EDIT_CONF, PCF_EDIT_EXCL, PCF_COMMENT_OUT};
    int i, j;

    pcf_exclusive(~0, sasl_names, sasl_bits);
    pcf_exclusive(~0, table_names, table_bits);
    pcf_exclusive(~0, dn_names, dn_bits);
    pcf_exclusive(~0, edit_names, edit_bits);
    /* An edit does not show anything: -d, -n and -x make no sense with it. */
    for (i = 0; i < 3; i++) {
        if (!(pcf_flags & edit_flags[i]))
            continue;
        for (j = 0; show_bits[j]; j++)
            if (pcf_flags & show_bits[j]) {
                if (j == 0)
                    msg_fatal("specify one of %s %s", show_names[j], edits[i]);
                msg_fatal("specify one of %s %s", edits[i], show_names[j]);
            }
    }
}

/* pcf_sasl_types - -a and -A */
static void pcf_sasl_types(void)
{
#ifdef USE_SASL_AUTH
    if (pcf_flags & PCF_SASL_SERVER)
        vstream_printf("cyrus\n");
    vstream_printf(pcf_flags & PCF_SASL_SERVER ? "dovecot\n" : "cyrus\n");
#else
    if (pcf_flags & PCF_SASL_SERVER)
        vstream_printf("dovecot\n");
#endif
}

/* pcf_read_main - main.cf into the configuration dictionary */
static void pcf_read_main(ARGV *overrides)
{
    const char *err;
    int i;

    mail_conf_suck();
    for (i = 0; i < overrides->argc; i++)
        if ((err = mail_conf_override(overrides->argv[i])) != 0)
            msg_fatal("invalid parameter override: %s: %s", overrides->argv[i], err);
}

/* pcf_list_and_exit - print one name per line, then leave (-l, -m) */
static void pcf_list_and_exit(ARGV *names) __attribute__((noreturn));
static void pcf_list_and_exit(ARGV *names)
{
    int i;

    for (i = 0; i < names->argc; i++)
        vstream_printf("%s\n", names->argv[i]);
    argv_free(names);
    vstream_fflush(VSTREAM_OUT);
    exit(0);
}

/* pcf_show_templates - the bounce templates, expanded (-b) or raw (-t) */
static void pcf_show_templates(int expand, const char *path) __attribute__((noreturn));
static void pcf_show_templates(int expand, const char *path)
{
    BOUNCE_TEMPLATES *ts;
    VSTRING *why = vstring_alloc(100);

    mail_conf_read();
    ts = bounce_templates_create();
    if (path == 0 || *path == 0)
        path = var_bounce_template_file;
    if (*path && bounce_templates_load(ts, path, why) < 0)
        msg_fatal("%s", vstring_str(why));
    bounce_templates_dump(VSTREAM_OUT, ts, expand);
    vstream_fflush(VSTREAM_OUT);
    exit(0);
}

int main(int argc, char **argv)
{
    ARGV *overrides = argv_alloc(4);
    ARGV *args = argv_alloc(10);
    int ch, i, master_mode;

    pcf_progname = argv[0];
    msg_stderr_init(argv[0]);
    mail_param_set_process_name(argv[0]);
    while ((ch = getopt(argc, argv, "aAbc:C:deEfFhHlmMno:pPtT:vxX#")) > 0) {
        switch (ch) {
        case 'a':
            pcf_flags |= PCF_SASL_SERVER;
            break;
        case 'A':
            pcf_flags |= PCF_SASL_CLIENT;
            break;
        case 'c':
            if (setenv("MAIL_CONFIG", optarg, 1) < 0)
                msg_fatal("out of memory");
            mail_conf_set_dir(optarg);
            break;
        case 'C':
            break;
        case 'd':
            pcf_flags |= PCF_SHOW_DEFS;
            break;
        case 'e':
            pcf_flags |= PCF_EDIT_CONF;
            break;
        case 'f':
            pcf_flags |= PCF_FOLD_LINE;
            break;
        case 'F':
            pcf_flags |= PCF_MASTER_FIELD;
            break;
        case 'h':
            pcf_flags |= PCF_HIDE_NAME;
            break;
        case 'H':
            pcf_flags |= PCF_HIDE_VALUE;
            break;
        case 'M':
            pcf_flags |= PCF_MASTER_ENTRY;
            break;
        case 'n':
            pcf_flags |= PCF_SHOW_NONDEF;
            break;
        case 'o':
            argv_add(overrides, optarg, (char *)0);
            break;
        case 'p':
            pcf_flags |= PCF_MAIN_PARAM;
            break;
        case 'P':
            pcf_flags |= PCF_MASTER_PARAM;
            break;
        case 'v':
            msg_verbose++;
            break;
        case 'x':
            pcf_flags |= PCF_SHOW_EVAL;
            break;
        case 'X':
            pcf_flags |= PCF_EDIT_EXCL;
            break;
        case '#':
            pcf_flags |= PCF_COMMENT_OUT;
            break;
        case 'l':
            pcf_list_and_exit(lock_type_names());
        case 'm':
            pcf_list_and_exit(dict_mapnames());
        case 'b':
        case 't':
            pcf_show_templates(ch == 'b', argv[optind]);
        case 'T':
        case 'E':
            msg_fatal("-%c: not supported", ch);
        default:
            pcf_usage();
        }
    }
    pcf_check_options();
    if ((pcf_flags & PCF_EDIT_CONF) && overrides->argc > 0)
        msg_fatal("specify one of -e -o");
    for (i = optind; i < argc; i++)
        argv_add(args, argv[i], (char *)0);

    /* Bare name=value arguments mean -e. */
    if (!(pcf_flags & (PCF_EDIT_EXCL | PCF_COMMENT_OUT | PCF_SHOW_DEFS | PCF_SHOW_NONDEF)) &&
        !(pcf_flags & (PCF_MASTER_ENTRY | PCF_MASTER_FIELD | PCF_MASTER_PARAM)))
        for (i = 0; i < args->argc; i++)
            if (strchr(args->argv[i], '=') != 0)
                pcf_flags |= PCF_EDIT_CONF;

    pcf_main_path = concatenate(mail_conf_dir(), "/main.cf", (char *)0);
    pcf_master_path = concatenate(mail_conf_dir(), "/master.cf", (char *)0);
    master_mode = pcf_flags & (PCF_MASTER_ENTRY | PCF_MASTER_FIELD | PCF_MASTER_PARAM);

    if (pcf_flags & (PCF_SASL_SERVER | PCF_SASL_CLIENT)) {
        pcf_sasl_types();
    } else if (pcf_flags & (PCF_EDIT_CONF | PCF_EDIT_EXCL | PCF_COMMENT_OUT)) {
        if (master_mode) {
            pcf_edit_master(master_mode, args);
        } else {
            if (args->argc == 0)
                msg_fatal((pcf_flags & PCF_EDIT_CONF) ? "-e requires name=value argument"
                                                      : "missing service argument");
            pcf_edit_main(pcf_flags & (PCF_EDIT_CONF | PCF_EDIT_EXCL | PCF_COMMENT_OUT), args);
        }
    } else if (master_mode) {
        pcf_read_main(overrides);
        pcf_read_master(0);
        pcf_register_builtin();
        pcf_register_service_params();
        pcf_register_user_params();
        pcf_show_master(master_mode, args);
        pcf_warn_unused(0);
    } else {
        if (!(pcf_flags & PCF_SHOW_DEFS))
            pcf_read_main(overrides);
        pcf_read_master(0);
        pcf_register_builtin();
        pcf_register_service_params();
        if (!(pcf_flags & PCF_SHOW_DEFS))
            pcf_register_user_params();
        pcf_show_params(args);
        if (!(pcf_flags & PCF_SHOW_DEFS))
            pcf_warn_unused(1);
    }
    if (vstream_fflush(VSTREAM_OUT) != 0)
        msg_fatal("write error: %m");
    argv_free(args);
    argv_free(overrides);
    return (0);
}
