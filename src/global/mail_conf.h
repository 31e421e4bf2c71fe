#ifndef MAIL_CONF_H
#define MAIL_CONF_H

/*
 * mail_conf - main.cf: read it, look values up, expand them, override them.
 *
 * Order of use in a program:
 *      mail_conf_suck();                 read $MAIL_CONFIG/main.cf (raw values)
 *      mail_conf_update(name, value);    -o name=value overrides, if any
 *      mail_params_init();               load and check every var_* (mail_params.h)
 * or mail_conf_read() for the first and last together.
 */

/* Where main.cf lives: $MAIL_CONFIG, else the compiled-in config_directory. */
extern const char *mail_conf_dir(void);
extern void mail_conf_set_dir(const char *dir);

extern void mail_conf_suck(void);
extern void mail_conf_read(void);
extern int mail_conf_load_file(const char *path, int missing_ok);
extern void mail_conf_flush(void);

/* Raw value set in main.cf or by mail_conf_update(), or null. */
extern const char *mail_conf_lookup(const char *name);
/* Raw value set, else the registered or built-in default, or null. */
extern const char *mail_conf_lookup_default(const char *name);
/* Expanded value of a parameter (set or default), or null when unknown. */
extern const char *mail_conf_lookup_eval(const char *name);
/* Expansion of arbitrary text against the configuration. */
extern const char *mail_conf_eval(const char *text);
extern const char *mail_conf_eval_once(const char *text);
/* Like mail_conf_eval but with the MAC_PARSE_* status, for callers that recover. */
extern int mail_conf_expand(const char *text, char **result);

extern void mail_conf_update(const char *name, const char *value);
extern const char *mail_conf_override(const char *assignment);
/* Defaults of parameters that are not in the table (daemon extras, per-service). */
extern void mail_conf_register_default(const char *name, const char *defval);

/* Every name=value that main.cf or an override set, in file order. */
typedef void (*MAIL_CONF_WALK_FN)(const char *name, const char *value, void *context);
extern void mail_conf_walk(MAIL_CONF_WALK_FN fn, void *context);

#include "conv_time.h"

/* Typed access, fatal on a bad value; the default is stored when unset. */
extern char *get_mail_conf_str(const char *name, const char *defval, int min, int max);
extern char *get_mail_conf_raw(const char *name, const char *defval, int min, int max);
extern int get_mail_conf_int(const char *name, int defval, int min, int max);
extern long get_mail_conf_long(const char *name, long defval, long min, long max);
extern int get_mail_conf_bool(const char *name, int defval);
extern int get_mail_conf_time(const char *name, const char *defval, int min, int max);
extern char *get_mail_conf_str_fn(const char *name, const char *(*defval)(void), int min, int max);

/* name1 followed by name2 (e.g. "relay" "_destination_concurrency_limit"). */
extern char *get_mail_conf_str2(const char *name1, const char *name2, const char *defval, int min,
                                int max);
extern int get_mail_conf_int2(const char *name1, const char *name2, int defval, int min, int max);
extern int get_mail_conf_time2(const char *name1, const char *name2, const char *defval, int min,
                               int max);
extern int get_mail_conf_bool2(const char *name1, const char *name2, int defval);

#endif
