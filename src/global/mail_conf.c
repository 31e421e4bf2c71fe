/*
 * mail_conf - the main.cf parameter dictionary.
 *
 * mail_conf_suck() finds the configuration directory ($MAIL_CONFIG, or the
 * directory given to mail_conf_set_dir(), or the compiled-in default), records
 * it as config_directory, and reads main.cf into a dictionary of raw values:
 * comments and blank lines are skipped, indented lines continue the line
 * before, the last assignment of a name wins (with a warning, as Postfix
 * does). mail_conf_update() sets a value afterwards (-o name=value, per-service
 * overrides). Values are kept unexpanded; $name references are resolved when a
 * value is asked for, against other main.cf values and against defaults: the
 * built-in parameter table (mail_params.h) and names registered with
 * mail_conf_register_default().
 *
 * mail_conf_lookup() gives a raw value, mail_conf_lookup_eval() an expanded
 * one (stable until the configuration changes), mail_conf_eval() expands any
 * text. The typed accessors live in get_mail_conf.c.
 *
 * Failure: a missing main.cf, a line without "name =" and a broken $name
 * expansion are fatal, with the file and line where there is one; that is
 * what every Postfix program does with a broken main.cf.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "htable.h"
#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "readlline.h"
#include "stringops.h"
#include "vstream.h"
#include "vstring.h"

#include "mail_conf.h"
#include "mail_params.h"

static HTABLE *conf_values;   /* name -> char * raw value */
static ARGV *conf_order;      /* names in the order they were first set */
static HTABLE *conf_defaults; /* name -> char * registered default */
static HTABLE *conf_evals;    /* name -> char * expanded value (cache) */
static char *conf_dir;        /* set by mail_conf_set_dir() */

/* mail_conf_init - create the tables on first use */
static void mail_conf_init(void)
{
    if (conf_values == 0) {
        conf_values = htable_create(100);
        conf_order = argv_alloc(100);
        conf_defaults = htable_create(100);
        conf_evals = htable_create(100);
    }
}

/* mail_conf_forget_evals - the configuration changed; expanded values are stale */
static void mail_conf_forget_evals(void)
{
    htable_free(conf_evals, myfree);
    conf_evals = htable_create(100);
}

/* mail_conf_set_dir - use this directory instead of $MAIL_CONFIG (postconf -c) */
void mail_conf_set_dir(const char *dir)
{
    if (conf_dir)
        myfree(conf_dir);
    conf_dir = mystrdup(dir);
}

/* mail_conf_dir - the configuration directory */
const char *mail_conf_dir(void)
{
    const char *dir;

    if (conf_dir)
        return (conf_dir);
    if ((dir = getenv("MAIL_CONFIG")) != 0 && *dir)
        return (dir);
    return (DEF_CONFIG_DIRECTORY);
}

/* mail_conf_store - set one raw value */
static void mail_conf_store(const char *name, const char *value)
{
    HTABLE_INFO *ht;

    mail_conf_init();
    if ((ht = htable_locate(conf_values, name)) != 0) {
        myfree(ht->value);
        ht->value = mystrdup(value);
    } else {
        htable_enter(conf_values, name, mystrdup(value));
        argv_add(conf_order, name, (char *)0);
    }
    mail_conf_forget_evals();
}

/* mail_conf_update - set a value after main.cf was read (-o, per-service) */
void mail_conf_update(const char *name, const char *value)
{
    mail_conf_store(name, value);
}

/* mail_conf_override - apply "name=value"; null, or what is wrong with it */
const char *mail_conf_override(const char *assignment)
{
    char *copy = mystrdup(assignment);
    char *name, *value;
    const char *err;

    if ((err = split_nameval(copy, &name, &value)) == 0 && *name == 0)
        err = "missing attribute name";
    if (err == 0)
        mail_conf_store(name, value);
    myfree(copy);
    return (err);
}

/* mail_conf_load_file - read name = value lines; -1 when the file is missing */
int mail_conf_load_file(const char *path, int missing_ok)
{
    VSTREAM *fp;
    VSTRING *buf = vstring_alloc(100);
    VSTRING *orig = vstring_alloc(100);
    int lineno = 0, first = 0;
    char *name, *value;
    const char *err;
    const char *old;

    if ((fp = vstream_fopen(path, O_RDONLY, 0)) == 0) {
        if (missing_ok && errno == ENOENT) {
            vstring_free(buf);
            vstring_free(orig);
            return (-1);
        }
        msg_fatal("open %s: %m", path);
    }
    mail_conf_init();
    while (readllines(buf, fp, &lineno, &first) != 0) {
        if (ISSPACE((unsigned char)vstring_str(buf)[0])) {
            msg_warn("%s: logical line must not start with whitespace: \"%s\"", path,
                     vstring_str(buf));
            continue;
        }
        vstring_strcpy(orig, vstring_str(buf));
        if ((err = split_nameval(vstring_str(buf), &name, &value)) == 0 && *name == 0)
            err = "missing attribute name";
        if (err != 0)
            msg_fatal("%s, line %d: %s: \"%s\"", path, first, err, vstring_str(orig));
        if ((old = htable_find(conf_values, name)) != 0)
            msg_warn("%s, line %d: overriding earlier entry: %s=%s", path, first, name, old);
        mail_conf_store(name, value);
    }
    if (vstream_ferror(fp))
        msg_fatal("read %s: %m", path);
    vstream_fclose(fp);
    vstring_free(buf);
    vstring_free(orig);
    return (0);
}

/* mail_conf_suck - read main.cf from the configuration directory */
void mail_conf_suck(void)
{
    const char *dir = mail_conf_dir();
    char *path;

    mail_conf_store("config_directory", dir);
    path = concatenate(dir, "/main.cf", (char *)0);
    mail_conf_load_file(path, 0);
    myfree(path);
}

/* mail_conf_read - read main.cf and load every parameter */
void mail_conf_read(void)
{
    mail_conf_suck();
    mail_params_init();
}

/* mail_conf_flush - forget everything (tests, reloads) */
void mail_conf_flush(void)
{
    if (conf_values == 0)
        return;
    htable_free(conf_values, myfree);
    htable_free(conf_defaults, myfree);
    htable_free(conf_evals, myfree);
    argv_free(conf_order);
    conf_values = conf_defaults = conf_evals = 0;
    conf_order = 0;
}

/* mail_conf_register_default - default for a name outside the table */
void mail_conf_register_default(const char *name, const char *defval)
{
    HTABLE_INFO *ht;

    mail_conf_init();
    if ((ht = htable_locate(conf_defaults, name)) != 0) {
        myfree(ht->value);
        ht->value = mystrdup(defval);
    } else {
        htable_enter(conf_defaults, name, mystrdup(defval));
    }
    mail_conf_forget_evals();
}

/* mail_conf_lookup - raw value that was set, or null */
const char *mail_conf_lookup(const char *name)
{
    return (conf_values ? htable_find(conf_values, name) : 0);
}

/* mail_conf_lookup_default - raw value, else the default, else null */
const char *mail_conf_lookup_default(const char *name)
{
    const char *value;
    const MAIL_PARAM_INFO *info;

    if ((value = mail_conf_lookup(name)) != 0)
        return (value);
    if (conf_defaults && (value = htable_find(conf_defaults, name)) != 0)
        return (value);
    if ((info = mail_param_entry(name)) != 0)
        return (mail_param_default(info));
    return (0);
}

/* mail_conf_expand_lookup - mac_expand() callback */
static const char *mail_conf_expand_lookup(const char *name, int mode, void *context)
{
    return (mail_conf_lookup_default(name));
}

/* mail_conf_expand - expand text; MAC_PARSE_* status, result allocated */
int mail_conf_expand(const char *text, char **result)
{
    VSTRING *buf = vstring_alloc(100);
    int status;

    status = mac_expand(buf, text, MAC_EXP_FLAG_RECURSE, 0, mail_conf_expand_lookup, 0);
    *result = vstring_export(buf);
    return (status);
}

/* mail_conf_eval - expand text, fatal on a syntax error; valid until the next call */
const char *mail_conf_eval(const char *text)
{
    static char *last;
    char *result;

    if (mail_conf_expand(text, &result) & MAC_PARSE_ERROR)
        msg_fatal("dictionary mail_dict: macro processing error");
    if (last)
        myfree(last);
    return (last = result);
}

/* mail_conf_eval_once - expand one level only; valid until the next call */
const char *mail_conf_eval_once(const char *text)
{
    static VSTRING *buf;

    if (buf == 0)
        buf = vstring_alloc(100);
    if (mac_expand(buf, text, MAC_EXP_FLAG_NONE, 0, mail_conf_expand_lookup, 0) & MAC_PARSE_ERROR)
        msg_fatal("dictionary mail_dict: macro processing error");
    return (vstring_str(buf));
}

/* mail_conf_lookup_eval - expanded value of a parameter, or null when unknown */
const char *mail_conf_lookup_eval(const char *name)
{
    const char *raw;
    char *value;
    char *cached;

    mail_conf_init();
    if ((value = htable_find(conf_evals, name)) != 0)
        return (value);
    if ((raw = mail_conf_lookup_default(name)) == 0)
        return (0);
    if (mail_conf_expand(raw, &value) & MAC_PARSE_ERROR)
        msg_fatal("dictionary mail_dict: macro processing error");
    /* A computed default may have evaluated this very name meanwhile. */
    if ((cached = htable_find(conf_evals, name)) != 0) {
        myfree(value);
        return (cached);
    }
    htable_enter(conf_evals, name, value);
    return (value);
}

/* mail_conf_walk - every name that was set, in order, with its raw value */
void mail_conf_walk(MAIL_CONF_WALK_FN fn, void *context)
{
    int i;
    const char *value;

    if (conf_order == 0)
        return;
    for (i = 0; i < conf_order->argc; i++)
        if ((value = htable_find(conf_values, conf_order->argv[i])) != 0)
            fn(conf_order->argv[i], value, context);
}
