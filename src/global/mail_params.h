#ifndef MAIL_PARAMS_H
#define MAIL_PARAMS_H

/*
 * mail_params - every main.cf parameter, with a typed global variable each.
 *
 * The parameters themselves are listed once, in mail_params.def; this header
 * turns that list into "extern" declarations: var_<name> is a char * (STR,
 * RAW), int (INT, BOOL, TIME in seconds) or long (LONG). A program reads its
 * configuration with mail_conf_read() (or mail_conf_suck(), overrides,
 * mail_params_init()) and then simply uses var_myhostname, var_queue_directory
 * and so on. postconf walks mail_param_table[] for names and defaults.
 */

#include <sys/types.h>

/* Compiled-in install defaults (makedefs); main.cf may change every one. */
#ifndef DEF_CONFIG_DIRECTORY
#define DEF_CONFIG_DIRECTORY "/etc/postfix"
#endif
#ifndef DEF_COMMAND_DIRECTORY
#define DEF_COMMAND_DIRECTORY "/usr/sbin"
#endif
#ifndef DEF_DAEMON_DIRECTORY
#define DEF_DAEMON_DIRECTORY "/usr/libexec/postfix"
#endif
#ifndef DEF_QUEUE_DIRECTORY
#define DEF_QUEUE_DIRECTORY "/var/spool/postfix"
#endif
#ifndef DEF_DATA_DIRECTORY
#define DEF_DATA_DIRECTORY "/var/lib/postfix"
#endif
#ifndef DEF_META_DIRECTORY
#define DEF_META_DIRECTORY "/etc/postfix"
#endif
#ifndef DEF_SHLIB_DIRECTORY
#define DEF_SHLIB_DIRECTORY "no"
#endif
#ifndef DEF_MAIL_OWNER
#define DEF_MAIL_OWNER "postfix"
#endif
#ifndef DEF_SETGID_GROUP
#define DEF_SETGID_GROUP "postdrop"
#endif
#ifndef DEF_SENDMAIL_PATH
#define DEF_SENDMAIL_PATH "/usr/sbin/sendmail"
#endif
#ifndef DEF_NEWALIASES_PATH
#define DEF_NEWALIASES_PATH "/usr/bin/newaliases"
#endif
#ifndef DEF_MAILQ_PATH
#define DEF_MAILQ_PATH "/usr/bin/mailq"
#endif
#ifndef DEF_MANPAGE_DIRECTORY
#define DEF_MANPAGE_DIRECTORY "/usr/share/man"
#endif
#ifndef DEF_SAMPLE_DIRECTORY
#define DEF_SAMPLE_DIRECTORY "/etc/postfix"
#endif
#ifndef DEF_README_DIRECTORY
#define DEF_README_DIRECTORY "no"
#endif
#ifndef DEF_HTML_DIRECTORY
#define DEF_HTML_DIRECTORY "no"
#endif

#define MAIL_VERSION_NUMBER "3.7.11"
#define MAIL_VERSION_DATE "20240304"

/* Parameter types. */
#define MAIL_PARAM_TYPE_STR 1  /* text, $name expanded when loaded */
#define MAIL_PARAM_TYPE_RAW 2  /* text, $name left for the user to expand later */
#define MAIL_PARAM_TYPE_INT 3  /* int */
#define MAIL_PARAM_TYPE_LONG 4 /* long */
#define MAIL_PARAM_TYPE_BOOL 5 /* yes/no as 1/0 */
#define MAIL_PARAM_TYPE_TIME 6 /* seconds; the table gives the default unit */

/* Flags. */
#define MP_RO (1 << 0) /* read-only: set by the program, not by main.cf */

typedef char *MAIL_PARAM_CTYPE_STR;
typedef char *MAIL_PARAM_CTYPE_RAW;
typedef int MAIL_PARAM_CTYPE_INT;
typedef long MAIL_PARAM_CTYPE_LONG;
typedef int MAIL_PARAM_CTYPE_BOOL;
typedef int MAIL_PARAM_CTYPE_TIME;

#define MAIL_PARAM(type, name, def, unit, min, max, flags)                                         \
    extern MAIL_PARAM_CTYPE_##type var_##name;
#define MAIL_PARAM_FN(type, name, fn, unit, min, max, flags)                                       \
    extern MAIL_PARAM_CTYPE_##type var_##name;
#include "mail_params.def"
#undef MAIL_PARAM
#undef MAIL_PARAM_FN

/* Derived from mail_owner, setgid_group and default_privs by mail_params_init(). */
extern uid_t var_owner_uid;
extern gid_t var_owner_gid;
extern gid_t var_sgid_gid;
extern uid_t var_default_uid;
extern gid_t var_default_gid;

typedef struct MAIL_PARAM_INFO {
    const char *name;
    int type;                    /* MAIL_PARAM_TYPE_* */
    const char *defval;          /* default text, or null when computed */
    const char *(*def_fn)(void); /* computes the default */
    int unit;                    /* TIME: default unit letter */
    long min, max;               /* 0 = no bound; STR: length bounds */
    int flags;                   /* MP_* */
    void *var;                   /* &var_<name> */
} MAIL_PARAM_INFO;

extern const MAIL_PARAM_INFO mail_param_table[];
extern const int mail_param_count;

/* Table entry, or null; find() is fatal when the value was bad (see mail_params_init). */
extern const MAIL_PARAM_INFO *mail_param_find(const char *name);
extern const MAIL_PARAM_INFO *mail_param_entry(const char *name);
extern const char *mail_param_default(const MAIL_PARAM_INFO *info);
extern void mail_params_init(void);
extern void mail_param_set_process_name(const char *name);

/*
 * Per-transport scheduling parameters: "<transport><suffix>", for every
 * master.cf service whose command is a delivery agent, defaulting to the
 * global parameter named in defval. postconf lists them, qmgr reads them with
 * get_mail_conf_*2(transport, suffix, ...).
 */
typedef struct MAIL_PARAM_TRANSPORT {
    const char *suffix; /* "_destination_concurrency_limit" */
    int type;           /* MAIL_PARAM_TYPE_INT or MAIL_PARAM_TYPE_TIME */
    const char *defval; /* "$default_destination_concurrency_limit" */
    int pipe_only;      /* only for pipe(8) services */
} MAIL_PARAM_TRANSPORT;

extern const MAIL_PARAM_TRANSPORT mail_param_transport_table[];
extern int mail_param_is_delivery_agent(const char *command);

/* Computed defaults. */
extern const char *mail_param_myhostname(void);
extern const char *mail_param_mydomain(void);
extern const char *mail_param_mynetworks(void);
extern const char *mail_param_process_id(void);
extern const char *mail_param_process_name(void);

#endif
