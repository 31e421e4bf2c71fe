/*
 * mkmap_tool - start-up and settings shared by postmap(1) and postalias(1).
 *
 * Exports mkmap_tool_init() (logging to stderr under the program's name,
 * MAIL_CONFIG and MAIL_VERBOSE from the environment), mkmap_tool_config_dir()
 * (-c), mkmap_tool_read_config() (main.cf, and the handful of parameters
 * these commands use), mkmap_tool_split_spec() ("type:name", or a bare
 * name with default_database_type).
 *
 * Parameters come from the shared configuration module (mail_conf); the
 * few these commands need are copied into the mkmap_tool_* variables. A
 * missing or malformed main.cf is fatal, as for every command.
 */

#include <ctype.h>
#include <errno.h>
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
