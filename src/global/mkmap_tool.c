/*
 * mkmap_tool - start-up and settings shared by postmap(1) and postalias(1).
 *
 * Exports mkmap_tool_init() (logging to stderr under the program's name,
 * MAIL_CONFIG and MAIL_VERBOSE from the environment), mkmap_tool_config_dir()
 * (-c), mkmap_tool_read_config() (main.cf, and the handful of parameters
 * these commands use), mkmap_tool_split_spec() ("type:name", or a bare
 * name with default_database_type).
 *
 * The parameter reading here is deliberately small: it loads main.cf into
 * the "mail_dict" table (dict_load_file_xt) and reads the few names these
 * commands need, expanding $name references from the same file. A missing
 * main.cf is fatal, as for every command of the reference.
 */

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dict.h"
#include "mail_dict.h"
#include "mkmap_tool.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

#define MKMAP_TOOL_DICT "mail_dict"

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

/* mkmap_tool_default - built-in defaults of the parameters used here */
static const char *mkmap_tool_default(const char *name)
{
    static char host[256];

    if (strcmp(name, "default_database_type") == 0)
        return ("hash");
    if (strcmp(name, "alias_database") == 0)
        return ("hash:/etc/aliases");
    if (strcmp(name, "berkeley_db_read_buffer_size") == 0)
        return ("131072");
    if (strcmp(name, "berkeley_db_create_buffer_size") == 0)
        return ("16777216");
    if (strcmp(name, "config_directory") == 0)
        return (mkmap_tool_confdir);
    if (strcmp(name, "compatibility_level") == 0)
        return ("0");
    /* An unqualified host name gets the default domain, as the reference does. */
    if (strcmp(name, "myhostname") == 0) {
        if (host[0] == 0) {
            if (gethostname(host, sizeof(host) - 20) < 0)
                msg_fatal("gethostname: %m");
            if (strchr(host, '.') == 0)
                strcat(host, ".localdomain");
        }
        return (host);
    }
    if (strcmp(name, "mydomain") == 0)
        return (strchr(mkmap_tool_default("myhostname"), '.') + 1);
    return ("");
}

/* mkmap_tool_expand - value of a parameter with $name and ${name} expanded */
static void mkmap_tool_expand(VSTRING *out, const char *name, int depth)
{
    const char *value = dict_lookup(MKMAP_TOOL_DICT, name);
    const char *cp;
    const char *end;
    char *ref;

    if (depth > 20)
        msg_fatal("parameter %s: recursion loop", name);
    if (value == 0)
        value = mkmap_tool_default(name);
    for (cp = value; *cp; cp++) {
        if (*cp != '$' ||
            (cp[1] != '{' && cp[1] != '(' && !isalnum((unsigned char)cp[1]) && cp[1] != '_')) {
            VSTRING_ADDCH(out, *cp);
            continue;
        }
        if (cp[1] == '{' || cp[1] == '(') {
            if ((end = strchr(cp + 2, cp[1] == '{' ? '}' : ')')) == 0) {
                vstring_strcat(out, cp);
                break;
            }
            ref = mystrndup(cp + 2, end - cp - 2);
            cp = end;
        } else {
            for (end = cp + 1; isalnum((unsigned char)*end) || *end == '_'; end++)
                /* void */;
            ref = mystrndup(cp + 1, end - cp - 1);
            cp = end - 1;
        }
        mkmap_tool_expand(out, ref, depth + 1);
        myfree(ref);
    }
}

/* mkmap_tool_str - an expanded parameter value (new allocation) */
static char *mkmap_tool_str(const char *name)
{
    VSTRING *buf = vstring_alloc(100);

    mkmap_tool_expand(buf, name, 0);
    return (vstring_export(buf));
}

/* mkmap_tool_int - a numeric parameter */
static int mkmap_tool_int(const char *name, int min)
{
    char *value = mkmap_tool_str(name);
    char *end;
    long n;

    errno = 0;
    n = strtol(value, &end, 10);
    if (*value == 0 || *end != 0 || errno || n < min || n > 0x7fffffff)
        msg_fatal("bad numerical configuration: %s = %s", name, value);
    myfree(value);
    return ((int)n);
}

/* mkmap_tool_read_config - read main.cf and pick up the parameters */
void mkmap_tool_read_config(void)
{
    char *path = concatenate(mkmap_tool_confdir, "/main.cf", (char *)0);
    char *utf8;
    char *level;

    if (dict_load_file_xt(MKMAP_TOOL_DICT, path) == 0)
        msg_fatal("open %s: %m", path);
    myfree(path);
    /* proxy: tables (the client loads the full configuration when used). */
    mail_dict_init();
    mkmap_tool_db_type = mkmap_tool_str("default_database_type");
    mkmap_tool_alias_db = mkmap_tool_str("alias_database");
    mkmap_tool_myhostname = mkmap_tool_str("myhostname");
    mkmap_tool_db_read_buf = mkmap_tool_int("berkeley_db_read_buffer_size", 1);
    mkmap_tool_db_create_buf = mkmap_tool_int("berkeley_db_create_buffer_size", 1);
    /* smtputf8_enable defaults to yes from compatibility level 1 on. */
    if (dict_lookup(MKMAP_TOOL_DICT, "smtputf8_enable") != 0) {
        utf8 = mkmap_tool_str("smtputf8_enable");
        mkmap_tool_smtputf8 = (strcasecmp(utf8, "yes") == 0);
        myfree(utf8);
    } else {
        level = mkmap_tool_str("compatibility_level");
        mkmap_tool_smtputf8 = (atoi(level) >= 1);
        myfree(level);
    }
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
