/*
 * mkmap_tool - start-up and settings shared by postmap(1) and postalias(1).
 *
 * Exports mkmap_tool_init() (logging to stderr under the program's name,
 * MAIL_CONFIG and MAIL_VERBOSE from the environment), mkmap_tool_config_dir()
 * (-c), mkmap_tool_read_config() (main.cf, and the handful of parameters
 * these commands use), mkmap_tool_split_spec() ("type:name", or a bare
 * name with default_database_type), and the command-line options and the
 * build loop the two commands share: mkmap_tool_opts_init(),
 * mkmap_tool_option() (one getopt() letter; 0 when it is not a shared
 * option), mkmap_tool_build_all().
 *
 * Parameters come from the shared configuration module (mail_conf); the
 * few these commands need are copied into the mkmap_tool_* variables. A
 * missing or malformed main.cf is fatal, as for every command.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mkmap_tool.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

int mkmap_tool_smtputf8;
int mkmap_tool_db_read_buf;
int mkmap_tool_db_create_buf;
char *mkmap_tool_db_type;
char *mkmap_tool_alias_db;
char *mkmap_tool_myhostname;

static char *mkmap_tool_confdir;

/* mkmap_tool_init - logging and environment */
void mkmap_tool_init(int argc, char **argv, const char *name)
{
    const char *env;

    /* getopt() names the program after argv[0] in its complaints. */
    if (argc > 0)
        argv[0] = (char *)name;
    msg_stderr_init(name);
    if ((env = getenv("MAIL_VERBOSE")) != 0 && *env)
        msg_verbose = 1;
    if ((env = getenv("MAIL_CONFIG")) != 0 && *env)
        mkmap_tool_confdir = mystrdup(env);
    else
        mkmap_tool_confdir = mystrdup(DEF_CONFIG_DIRECTORY);
}

/* mkmap_tool_config_dir - -c: use another configuration directory */
void mkmap_tool_config_dir(const char *dir)
{
    myfree(mkmap_tool_confdir);
    mkmap_tool_confdir = mystrdup(dir);
    if (setenv("MAIL_CONFIG", dir, 1) < 0)
        msg_fatal("setenv: %m");
}

/* mkmap_tool_read_config - read main.cf and pick up the parameters */
void mkmap_tool_read_config(void)
{
    mail_conf_set_dir(mkmap_tool_confdir);
    mail_conf_read();
    mkmap_tool_db_type = var_default_database_type;
    mkmap_tool_alias_db = var_alias_database;
    mkmap_tool_myhostname = var_myhostname;
    mkmap_tool_db_read_buf = var_berkeley_db_read_buffer_size;
    mkmap_tool_db_create_buf = var_berkeley_db_create_buffer_size;
    mkmap_tool_smtputf8 = var_smtputf8_enable;
}

/* mkmap_tool_split_spec - "type:name", or a name with the default type */
void mkmap_tool_split_spec(const char *spec, char **type, char **name)
{
    const char *colon = strchr(spec, ':');

    if (colon == 0) {
        *type = mystrdup(mkmap_tool_db_type);
        *name = mystrdup(spec);
    } else {
        *type = mystrndup(spec, colon - spec);
        *name = mystrdup(colon + 1);
    }
}

/* mkmap_tool_opts_init - the defaults: warn about duplicates, fold case, rebuild */
void mkmap_tool_opts_init(MKMAP_TOOL_OPTS *opts)
{
    opts->dict_flags = DICT_FLAG_DUP_WARN | DICT_FLAG_FOLD_FIX;
    opts->open_flags = O_RDWR | O_CREAT | O_TRUNC;
    opts->flags = 0;
    opts->utf8_off = 0;
    opts->sequence = 0;
    opts->query = 0;
    opts->delkey = 0;
}

/* mkmap_tool_one_mode - -s, -q and -d exclude one another */
static void mkmap_tool_one_mode(const MKMAP_TOOL_OPTS *opts, int sequence_ok)
{
    if ((sequence_ok == 0 && opts->sequence) || opts->query || opts->delkey)
        msg_fatal("specify only one of -s -q or -d");
}

/* mkmap_tool_option - apply one shared option; 0 when ch is not one */
int mkmap_tool_option(MKMAP_TOOL_OPTS *opts, int ch, const char *arg)
{
    switch (ch) {
    case 'N':
        opts->dict_flags |= DICT_FLAG_TRY1NULL;
        opts->dict_flags &= ~DICT_FLAG_TRY0NULL;
        break;
    case 'n':
        opts->dict_flags |= DICT_FLAG_TRY0NULL;
        opts->dict_flags &= ~DICT_FLAG_TRY1NULL;
        break;
    case 'c':
        mkmap_tool_config_dir(arg);
        break;
    case 'd':
        mkmap_tool_one_mode(opts, 0);
        opts->delkey = arg;
        break;
    case 'f':
        opts->dict_flags &= ~DICT_FLAG_FOLD_FIX;
        break;
    case 'i':
        opts->flags |= MKMAP_TOOL_FLAG_INCR;
        opts->open_flags &= ~O_TRUNC;
        break;
    case 'o':
        opts->flags |= MKMAP_TOOL_FLAG_KEEP_OWNER;
        break;
    case 'p':
        opts->flags |= MKMAP_TOOL_FLAG_DEF_PERMS;
        break;
    case 'q':
        mkmap_tool_one_mode(opts, 0);
        opts->query = arg;
        break;
    case 'r':
        opts->dict_flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_IGNORE);
        opts->dict_flags |= DICT_FLAG_DUP_REPLACE;
        break;
    case 's':
        /* A second -s is harmless, as in Postfix. */
        mkmap_tool_one_mode(opts, 1);
        opts->sequence = 1;
        break;
    case 'u':
        opts->utf8_off = 1;
        break;
    case 'v':
        msg_verbose++;
        break;
    case 'w':
        opts->dict_flags &= ~(DICT_FLAG_DUP_WARN | DICT_FLAG_DUP_REPLACE);
        opts->dict_flags |= DICT_FLAG_DUP_IGNORE;
        break;
    default:
        return (0);
    }
    return (1);
}

/* mkmap_tool_build_all - build every table named on the command line */
void mkmap_tool_build_all(char **specs, int count, const MKMAP_TOOL_OPTS *opts,
                          MKMAP_TOOL_BUILD_FN build)
{
    char *type;
    char *name;
    int i;

    dict_db_cache_size = mkmap_tool_db_create_buf;
    for (i = 0; i < count; i++) {
        mkmap_tool_split_spec(specs[i], &type, &name);
        build(type, name, opts->open_flags, opts->dict_flags, opts->flags);
        myfree(type);
        myfree(name);
    }
}
