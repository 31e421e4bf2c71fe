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
 * option), mkmap_tool_build_all(); reading a table's source
 * (mkmap_tool_open_source(), mkmap_tool_next_line(),
 * mkmap_tool_close_source()); opening the tables of a query
 * (mkmap_tool_open_all(), mkmap_tool_close_all()), walking them (-s,
 * mkmap_tool_sequence()), the keys of -q and -d (mkmap_tool_keys()) and
 * deleting (-d, mkmap_tool_delete()).
 *
 * Parameters come from the shared configuration module (mail_conf); the
 * few these commands need are copied into the mkmap_tool_* variables. A
 * missing or malformed main.cf is fatal, as for every command.
 */

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dict.h"
#include "mail_conf.h"
#include "mail_params.h"
#include "mkmap.h"
#include "mkmap_tool.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "valid_utf8_string.h"
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

/* mkmap_tool_drop_privileges - become the owner of a non-root source file */
static void mkmap_tool_drop_privileges(const struct stat *st, int flags)
{
    gid_t gid = st->st_gid;

    if (geteuid() != 0 || st->st_uid == 0 || (flags & MKMAP_TOOL_FLAG_KEEP_OWNER))
        return;
    if (setgroups(1, &gid) < 0)
        msg_fatal("setgroups(1, &%ld): %m", (long)gid);
    if (setegid(st->st_gid) < 0)
        msg_fatal("setegid(%ld): %m", (long)st->st_gid);
    if (seteuid(st->st_uid) < 0)
        msg_fatal("seteuid(%ld): %m", (long)st->st_uid);
}

/* mkmap_tool_open_source - stdin with -i, else the file as its owner */
void mkmap_tool_open_source(MKMAP_TOOL_SOURCE *src, const char *path, int dict_flags, int flags)
{
    struct stat st;

    src->dict_flags = dict_flags;
    src->lineno = 0;
    src->first = 0;
    if (flags & MKMAP_TOOL_FLAG_INCR) {
        src->fp = VSTREAM_IN;
        src->name = "stdin";
        return;
    }
    if ((src->fp = vstream_fopen(path, O_RDONLY, 0)) == 0)
        msg_fatal("open %s: %m", path);
    src->name = path;
    if (fstat(vstream_fileno(src->fp), &st) < 0)
        msg_fatal("fstat %s: %m", path);
    mkmap_tool_drop_privileges(&st, flags);
    /* A new table is readable by group/other only if its source is. */
    if ((flags & MKMAP_TOOL_FLAG_DEF_PERMS) == 0)
        umask(022 | (~st.st_mode & 077));
}

/* mkmap_tool_next_line - the next logical line worth parsing, or 0 at the end */
int mkmap_tool_next_line(MKMAP_TOOL_SOURCE *src, VSTRING *line)
{
    char *copy;

    while (readllines(line, src->fp, &src->lineno, &src->first) != 0) {
        if (ISSPACE((unsigned char)*vstring_str(line))) {
            msg_warn("%s: logical line must not start with whitespace: \"%.30s%s\"", src->name,
                     vstring_str(line), VSTRING_LEN(line) > 30 ? "..." : "");
            continue;
        }
        if ((src->dict_flags & DICT_FLAG_UTF8_REQUEST) &&
            !valid_utf8_string(vstring_str(line), VSTRING_LEN(line))) {
            copy = mystrdup(vstring_str(line));
            msg_warn("%s, line %d: non-UTF-8 input \"%s\" -- ignoring this line", src->name,
                     src->first, printable(copy, '?'));
            myfree(copy);
            continue;
        }
        return (1);
    }
    return (0);
}

/* mkmap_tool_close_source - done reading; fatal if reading failed */
void mkmap_tool_close_source(MKMAP_TOOL_SOURCE *src)
{
    if (vstream_ferror(src->fp))
        msg_fatal("read %s: %m", src->name);
    if (src->fp != VSTREAM_IN)
        (void)vstream_fclose(src->fp);
    src->fp = 0;
}

/* mkmap_tool_open_all - open every table named on the command line */
DICT **mkmap_tool_open_all(char **specs, int count, int open_flags, int dict_flags)
{
    DICT **dicts = (DICT **)mymalloc(sizeof(DICT *) * count);
    char *type;
    char *name;
    int i;

    for (i = 0; i < count; i++) {
        mkmap_tool_split_spec(specs[i], &type, &name);
        dicts[i] = dict_open3(type, name, open_flags, dict_flags);
        myfree(type);
        myfree(name);
    }
    return (dicts);
}

/* mkmap_tool_close_all - close what mkmap_tool_open_all() opened */
void mkmap_tool_close_all(DICT **dicts, int count)
{
    int i;

    for (i = 0; i < count; i++)
        dict_close(dicts[i]);
    myfree(dicts);
}

/* mkmap_tool_sequence - show every entry of every table */
void mkmap_tool_sequence(DICT **dicts, char **specs, int count, MKMAP_TOOL_SHOW_FN show,
                         void *context)
{
    char *type;
    char *name;
    const char *key;
    const char *value;
    int func;
    int status;
    int i;

    for (i = 0; i < count; i++) {
        for (func = DICT_SEQ_FUN_FIRST;
             (status = dict_seq(dicts[i], func, &key, &value)) == DICT_STAT_SUCCESS;
             func = DICT_SEQ_FUN_NEXT) {
            if (*key == 0) {
                mkmap_tool_split_spec(specs[i], &type, &name);
                msg_warn("table %s:%s: empty lookup key value is not allowed", type, name);
                myfree(type);
                myfree(name);
            }
            show(dicts[i], key, value, context);
        }
        if (status == DICT_STAT_ERROR)
            msg_fatal("table %s:%s: sequence error: %s", dicts[i]->type, dicts[i]->name,
                      errno ? strerror(errno) : "Application error");
    }
}

/* mkmap_tool_keys - one key, or each line of stdin for "-" */
int mkmap_tool_keys(DICT **dicts, int count, const char *key, MKMAP_TOOL_KEY_FN fn, void *context)
{
    VSTRING *line;
    int found = 0;

    if (strcmp(key, "-") != 0)
        return (fn(dicts, count, key, 0, context));
    line = vstring_alloc(100);
    while (vstring_get_nonl(line, VSTREAM_IN) != VSTREAM_EOF)
        if (fn(dicts, count, vstring_str(line), 1, context))
            found = 1;
    vstring_free(line);
    return (found);
}

/* mkmap_tool_delete_one - delete one key from every table */
static int mkmap_tool_delete_one(DICT **dicts, int count, const char *key, int unused_with_key,
                                 void *unused_context)
{
    int found = 0;
    int status;
    int i;

    if (*key == 0)
        return (0);
    for (i = 0; i < count; i++) {
        if ((status = dict_del(dicts[i], key)) == DICT_STAT_SUCCESS)
            found = 1;
        else if (status == DICT_STAT_ERROR)
            msg_fatal("table %s:%s: delete error: %s", dicts[i]->type, dicts[i]->name,
                      errno ? strerror(errno) : "Application error");
    }
    return (found);
}

/* mkmap_tool_delete - -d for every table; a read-only type fails like the reference */
int mkmap_tool_delete(char **specs, int count, const char *key, int dict_flags)
{
    DICT **dicts;
    char *type;
    char *name;
    int found;
    int i;

    for (i = 0; i < count; i++) {
        mkmap_tool_split_spec(specs[i], &type, &name);
        if (!mkmap_supported(type) && dict_open_lookup(type) != 0)
            msg_fatal("%s:%s map requires O_RDONLY access mode", type, name);
        myfree(type);
        myfree(name);
    }
    dicts = mkmap_tool_open_all(specs, count, O_RDWR, dict_flags | DICT_FLAG_LOCK);
    found = mkmap_tool_keys(dicts, count, key, mkmap_tool_delete_one, (void *)0);
    mkmap_tool_close_all(dicts, count);
    return (found);
}
