/*
 * mail_params - the parameter table and the typed global variables.
 *
 * mail_params.def lists every parameter once; here it becomes the variables
 * (var_<name>) and mail_param_table[], sorted by name, which postconf and the
 * expansion code consult for defaults. mail_params_init() loads every
 * variable from the configuration (main.cf, overrides, defaults), checks it
 * against its type and bounds, and checks the account settings (mail_owner,
 * setgid_group, default_privs), myhostname/mydomain, inet_protocols and
 * compatibility_level.
 *
 * Failure: a bad value is fatal, in the words Postfix uses (for instance
 * "bad numerical configuration: name = value"), in the programs that use the
 * parameter: no daemon can run with a configuration it does not understand,
 * but as in Postfix a bad smtpd_timeout must not stop sendmail or postqueue.
 * Which program uses what comes from the sources (mail_param_users.sh).
 */

#include <grp.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "argv.h"
#include "mac_expand.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "valid_hostname.h"
#include "vstring.h"

#include "mail_conf.h"
#include "mail_dict.h"
#include "mail_params.h"

#define MAIL_PARAM(type, name, def, unit, min, max, flags) MAIL_PARAM_CTYPE_##type var_##name;
#define MAIL_PARAM_FN(type, name, fn, unit, min, max, flags) MAIL_PARAM_CTYPE_##type var_##name;
#include "mail_params.def"
#undef MAIL_PARAM
#undef MAIL_PARAM_FN

uid_t var_owner_uid;
gid_t var_owner_gid;
gid_t var_sgid_gid;
uid_t var_default_uid;
gid_t var_default_gid;

const MAIL_PARAM_INFO mail_param_table[] = {
#define MAIL_PARAM(type, name, def, unit, min, max, flags)                                         \
    {#name, MAIL_PARAM_TYPE_##type, def, 0, unit, min, max, flags, &var_##name},
#define MAIL_PARAM_FN(type, name, fn, unit, min, max, flags)                                       \
    {#name, MAIL_PARAM_TYPE_##type, 0, fn, unit, min, max, flags, &var_##name},
#include "mail_params.def"
#undef MAIL_PARAM
#undef MAIL_PARAM_FN
};

const int mail_param_count = sizeof(mail_param_table) / sizeof(mail_param_table[0]);

/* Bad values that mail_params_defer_one() let pass, by table index. */
static char *mail_param_errors[sizeof(mail_param_table) / sizeof(mail_param_table[0])];

static char *process_name;

const MAIL_PARAM_TRANSPORT mail_param_transport_table[] = {
    {"_delivery_slot_cost", MAIL_PARAM_TYPE_INT, "$default_delivery_slot_cost", 0},
    {"_delivery_slot_discount", MAIL_PARAM_TYPE_INT, "$default_delivery_slot_discount", 0},
    {"_delivery_slot_loan", MAIL_PARAM_TYPE_INT, "$default_delivery_slot_loan", 0},
    {"_destination_concurrency_failed_cohort_limit", MAIL_PARAM_TYPE_INT,
     "$default_destination_concurrency_failed_cohort_limit", 0},
    {"_destination_concurrency_limit", MAIL_PARAM_TYPE_INT,
     "$default_destination_concurrency_limit", 0},
    {"_destination_concurrency_negative_feedback", MAIL_PARAM_TYPE_STR,
     "$default_destination_concurrency_negative_feedback", 0},
    {"_destination_concurrency_positive_feedback", MAIL_PARAM_TYPE_STR,
     "$default_destination_concurrency_positive_feedback", 0},
    {"_destination_rate_delay", MAIL_PARAM_TYPE_TIME, "$default_destination_rate_delay", 0},
    {"_destination_recipient_limit", MAIL_PARAM_TYPE_INT, "$default_destination_recipient_limit",
     0},
    {"_extra_recipient_limit", MAIL_PARAM_TYPE_INT, "$default_extra_recipient_limit", 0},
    {"_initial_destination_concurrency", MAIL_PARAM_TYPE_INT, "$initial_destination_concurrency",
     0},
    {"_minimum_delivery_slots", MAIL_PARAM_TYPE_INT, "$default_minimum_delivery_slots", 0},
    {"_recipient_limit", MAIL_PARAM_TYPE_INT, "$default_recipient_limit", 0},
    {"_recipient_refill_delay", MAIL_PARAM_TYPE_TIME, "$default_recipient_refill_delay", 0},
    {"_recipient_refill_limit", MAIL_PARAM_TYPE_INT, "$default_recipient_refill_limit", 0},
    {"_time_limit", MAIL_PARAM_TYPE_TIME, "$command_time_limit", 1},
    {"_transport_rate_delay", MAIL_PARAM_TYPE_TIME, "$default_transport_rate_delay", 0},
    {0, 0, 0, 0},
};

/* mail_param_is_delivery_agent - does this master.cf command take per-transport parameters */
int mail_param_is_delivery_agent(const char *command)
{
    static const char *const agents[] = {"smtp", "lmtp", "local", "virtual", "error", "pipe", 0};
    const char *const *cp;

    for (cp = agents; *cp; cp++)
        if (strcmp(command, *cp) == 0)
            return (1);
    return (0);
}

/* mail_param_cmp - bsearch() helper */
static int mail_param_cmp(const void *key, const void *elt)
{
    return (strcmp((const char *)key, ((const MAIL_PARAM_INFO *)elt)->name));
}

/* mail_param_entry - table entry of a parameter, or null; no check of its value */
const MAIL_PARAM_INFO *mail_param_entry(const char *name)
{
    return (bsearch(name, mail_param_table, mail_param_count, sizeof(mail_param_table[0]),
                    mail_param_cmp));
}

/* mail_param_find - table entry of a parameter the program is about to use, or null */
const MAIL_PARAM_INFO *mail_param_find(const char *name)
{
    const MAIL_PARAM_INFO *info;
    const char *why;

    /* A bad value that mail_params_init() let pass is fatal once it is used. */
    if ((info = mail_param_entry(name)) != 0 && (why = mail_param_errors[info - mail_param_table]))
        msg_fatal("%s", why);
    return (info);
}

/* mail_param_default - the default text (computed ones are computed now) */
const char *mail_param_default(const MAIL_PARAM_INFO *info)
{
    return (info->defval ? info->defval : info->def_fn());
}

/* mail_param_set_process_name - what process_name reports */
void mail_param_set_process_name(const char *name)
{
    if (process_name)
        myfree(process_name);
    process_name = mystrdup(basename_of(name));
}

/* mail_param_process_name - computed default of process_name */
const char *mail_param_process_name(void)
{
    const char *tag;

    if (process_name)
        return (process_name);
    return ((tag = msg_tag()) != 0 && *tag ? tag : "unknown");
}

/* mail_param_process_id - computed default of process_id */
const char *mail_param_process_id(void)
{
    static char buf[32];

    snprintf(buf, sizeof(buf), "%ld", (long)getpid());
    return (buf);
}

/* mail_param_myhostname - this host's name, completed with a domain */
const char *mail_param_myhostname(void)
{
    static char *result;
    char host[256];
    const char *domain;
    char *copy;

    if (gethostname(host, sizeof(host) - 1) < 0)
        msg_fatal("gethostname: %m");
    host[sizeof(host) - 1] = 0;
    if (result)
        myfree(result);
    if (strchr(host, '.') != 0)
        return (result = mystrdup(host));
    /* Only an explicit mydomain setting completes the name: no loop. */
    if (mail_conf_lookup("mydomain") != 0) {
        copy = mystrdup(mail_conf_lookup_eval("mydomain"));
        result = concatenate(host, ".", copy, (char *)0);
        myfree(copy);
    } else {
        domain = "localdomain";
        result = concatenate(host, ".", domain, (char *)0);
    }
    return (result);
}

/* mail_param_mydomain - the parent domain of myhostname, or "localdomain" */
const char *mail_param_mydomain(void)
{
    static char *result;
    static int busy;
    const char *host;
    const char *dot;

    if (busy)
        return ("");
    busy = 1;
    host = mail_conf_lookup_eval("myhostname");
    busy = 0;
    if (result)
        myfree(result);
    /* "host" and "example.com" alike have no parent domain worth using. */
    if (host == 0 || (dot = strchr(host, '.')) == 0 || strchr(dot + 1, '.') == 0)
        result = mystrdup("localdomain");
    else
        result = mystrdup(dot + 1);
    return (result);
}

/*
 * Which programs use which parameter: mail_param_users[] (sorted by name;
 * users " smtpd qmgr ", or "* " for every program) and mail_param_programs[]
 * (every program directory), generated from the sources at build time by
 * mail_param_users.sh. A parameter missing from the table is used by none.
 */
typedef struct MAIL_PARAM_USERS {
    const char *name;
    const char *users;
} MAIL_PARAM_USERS;

#include "mail_param_users.h"

/* mail_params_program - source directory of the running program, or null */
static const char *mail_params_program(void)
{
    static const char *const aliases[][2] = {
        {"lmtp", "smtp"},           {"master", "masterd"},      {"mailq", "sendmail"},
        {"newaliases", "sendmail"}, {"smtp-sink", "smtpstone"}, {"smtp-source", "smtpstone"},
    };
    const char *name = mail_param_process_name();
    const char *const *pp;
    size_t i;

    for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
        if (strcmp(name, aliases[i][0]) == 0)
            name = aliases[i][1];
    for (pp = mail_param_programs; *pp; pp++)
        if (strcmp(name, *pp) == 0)
            return (*pp);
    return (0);
}

/* mail_params_users_cmp - bsearch() helper */
static int mail_params_users_cmp(const void *key, const void *elt)
{
    return (strcmp((const char *)key, ((const MAIL_PARAM_USERS *)elt)->name));
}

/*
 * smtp and lmtp are one program (src/smtp) that reads, of each pair of twin
 * settings, only the running protocol's (smtp_params.c). The other
 * protocol's parameters go unchecked, unless a library uses them; a read by
 * name is still checked by mail_param_find().
 */
static const char *const mail_params_twins[][2] = {
    {"smtp", "lmtp_"},
    {"lmtp", "smtp_"},
};

/* mail_params_other_twin - a parameter of the protocol this process does not speak */
static int mail_params_other_twin(const char *name)
{
    const char *process = mail_param_process_name();
    size_t i;

    for (i = 0; i < sizeof(mail_params_twins) / sizeof(mail_params_twins[0]); i++)
        if (strcmp(process, mail_params_twins[i][0]) == 0 &&
            strncmp(name, mail_params_twins[i][1], strlen(mail_params_twins[i][1])) == 0)
            return (1);
    return (0);
}

/* mail_params_used - does this program (null: unknown, assume so) use the parameter */
static int mail_params_used(const char *program, const char *name)
{
    const MAIL_PARAM_USERS *u;
    size_t len;
    const char *cp;

    if (program == 0)
        return (1);
    u = bsearch(name, mail_param_users, sizeof(mail_param_users) / sizeof(mail_param_users[0]),
                sizeof(mail_param_users[0]), mail_params_users_cmp);
    if (u == 0)
        return (0);
    if (u->users[0] == '*')
        return (1);
    if (mail_params_other_twin(name))
        return (0);
    len = strlen(program);
    for (cp = u->users; (cp = strstr(cp, program)) != 0; cp += len)
        if (cp[-1] == ' ' && cp[len] == ' ')
            return (1);
    return (0);
}

/* mail_params_why - format an error text; valid until the next call */
static const char *mail_params_why(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *mail_params_why(const char *fmt, ...)
{
    static VSTRING *why;
    va_list ap;

    if (why == 0)
        why = vstring_alloc(100);
    va_start(ap, fmt);
    vstring_vsprintf(why, fmt, ap);
    va_end(ap);
    return (vstring_str(why));
}

/* mail_params_convert - check one value and store it; null, or what is wrong */
static const char *mail_params_convert(const MAIL_PARAM_INFO *p, const char *value)
{
    long lval;
    int ival;
    size_t len;

    switch (p->type) {
    case MAIL_PARAM_TYPE_STR:
    case MAIL_PARAM_TYPE_RAW:
        len = strlen(value);
        if (p->min && (long)len < p->min)
            return (mail_params_why("bad string length %d < %ld: %s = %s", (int)len, p->min,
                                    p->name, value));
        if (p->max && (long)len > p->max)
            return (mail_params_why("bad string length %d > %ld: %s = %s", (int)len, p->max,
                                    p->name, value));
        if (*(char **)p->var)
            myfree(*(char **)p->var);
        *(char **)p->var = mystrdup(value);
        return (0);
    case MAIL_PARAM_TYPE_INT:
        if (!conv_int(value, &ival))
            return (mail_params_why("bad numerical configuration: %s = %s", p->name, value));
        if (p->min && ival < p->min)
            return (mail_params_why("invalid %s parameter value %d < %ld", p->name, ival, p->min));
        if (p->max && ival > p->max)
            return (mail_params_why("invalid %s parameter value %d > %ld", p->name, ival, p->max));
        *(int *)p->var = ival;
        return (0);
    case MAIL_PARAM_TYPE_LONG:
        if (!conv_long(value, &lval))
            return (mail_params_why("bad numerical configuration: %s = %s", p->name, value));
        if (p->min && lval < p->min)
            return (mail_params_why("invalid %s parameter value %ld < %ld", p->name, lval, p->min));
        if (p->max && lval > p->max)
            return (mail_params_why("invalid %s parameter value %ld > %ld", p->name, lval, p->max));
        *(long *)p->var = lval;
        return (0);
    case MAIL_PARAM_TYPE_BOOL:
        if (!conv_bool(value, &ival))
            return (mail_params_why("bad boolean configuration: %s = %s", p->name, value));
        *(int *)p->var = ival;
        return (0);
    case MAIL_PARAM_TYPE_TIME:
        if (!conv_time(value, &ival, p->unit))
            return (mail_params_why("parameter %s: bad time value or unit: %s", p->name, value));
        if (p->min && ival < p->min)
            return (mail_params_why("invalid %s: %d (min %ld)", p->name, ival, p->min));
        if (p->max && ival > p->max)
            return (mail_params_why("invalid %s: %d (max %ld)", p->name, ival, p->max));
        *(int *)p->var = ival;
        return (0);
    default:
        msg_panic("mail_params_convert: %s: unknown type %d", p->name, p->type);
    }
}

/* mail_params_value - the configured text of a parameter, expanded unless RAW */
static const char *mail_params_value(const MAIL_PARAM_INFO *p)
{
    const char *value;

    if (p->type == MAIL_PARAM_TYPE_RAW)
        value = mail_conf_lookup_default(p->name);
    else
        value = mail_conf_lookup_eval(p->name);
    if (value == 0)
        msg_panic("mail_params_value: no value for %s", p->name);
    return (value);
}

/* mail_params_load_one - load one variable; fatal on a bad value */
static void mail_params_load_one(const MAIL_PARAM_INFO *p)
{
    const char *why;

    if ((why = mail_params_convert(p, mail_params_value(p))) != 0)
        msg_fatal("%s", why);
}

/*
 * mail_params_try - expand (unless RAW) and store a raw value; null, or what
 * is wrong. Unlike mail_conf_lookup_eval() a broken $name is an error to
 * return, not a fatal one: it may be in a parameter this program never uses.
 */
static const char *mail_params_try(const MAIL_PARAM_INFO *p, const char *raw)
{
    const char *why;
    char *value;

    if (raw == 0)
        msg_panic("mail_params_try: no value for %s", p->name);
    if (p->type == MAIL_PARAM_TYPE_RAW)
        return (mail_params_convert(p, raw));
    if (mail_conf_expand(raw, &value) & MAC_PARSE_ERROR)
        why = "dictionary mail_dict: macro processing error";
    else
        why = mail_params_convert(p, value);
    myfree(value);
    return (why);
}

/*
 * mail_params_defer_one - load a variable this program does not use.
 *
 * A bad value is remembered, not fatal: the programs that use the parameter
 * report it, as in Postfix. The variable gets the default instead (zero or
 * empty when even that does not convert, say a default that names the bad
 * parameter), and mail_param_find() reports the saved error should the
 * program ask for the parameter by name after all.
 */
static void mail_params_defer_one(const MAIL_PARAM_INFO *p)
{
    size_t idx = p - mail_param_table;
    const char *why;

    if (mail_param_errors[idx]) {
        myfree(mail_param_errors[idx]);
        mail_param_errors[idx] = 0;
    }
    if ((why = mail_params_try(p, mail_conf_lookup_default(p->name))) == 0)
        return;
    mail_param_errors[idx] = mystrdup(why);
    if (mail_params_try(p, mail_param_default(p)) == 0)
        return;
    if (p->type == MAIL_PARAM_TYPE_STR || p->type == MAIL_PARAM_TYPE_RAW) {
        if (*(char **)p->var)
            myfree(*(char **)p->var);
        *(char **)p->var = mystrdup("");
    } else if (p->type == MAIL_PARAM_TYPE_LONG)
        *(long *)p->var = 0;
    else
        *(int *)p->var = 0;
}

/* mail_params_user - look up an unprivileged account named by a parameter */
static struct passwd *mail_params_user(const char *path, const char *param, const char *name)
{
    struct passwd *pw;

    if ((pw = getpwnam(name)) == 0)
        msg_fatal("file %s: parameter %s: unknown user name value: %s", path, param, name);
    if (pw->pw_uid == 0)
        msg_fatal("file %s: parameter %s: user %s has privileged user ID", path, param, name);
    return (pw);
}

/* mail_params_accounts - mail_owner, setgid_group, default_privs */
static void mail_params_accounts(const char *path)
{
    struct passwd *pw;
    struct group *gr;

    pw = mail_params_user(path, "mail_owner", var_mail_owner);
    var_owner_uid = pw->pw_uid;
    var_owner_gid = pw->pw_gid;
    if ((gr = getgrnam(var_setgid_group)) == 0)
        msg_fatal("file %s: parameter setgid_group: unknown group name: %s", path,
                  var_setgid_group);
    if (gr->gr_gid == 0)
        msg_fatal("file %s: parameter setgid_group: group %s has privileged group ID", path,
                  var_setgid_group);
    var_sgid_gid = gr->gr_gid;
    pw = mail_params_user(path, "default_privs", var_default_privs);
    var_default_uid = pw->pw_uid;
    var_default_gid = pw->pw_gid;
    if (var_default_uid == var_owner_uid)
        msg_fatal("file %s: parameters default_privs and mail_owner specify the same user %s", path,
                  var_mail_owner);
    if (var_owner_gid == var_sgid_gid)
        msg_fatal("file %s: parameters mail_owner and setgid_group: user %s and group %s have the "
                  "same group ID: %ld",
                  path, var_mail_owner, var_setgid_group, (long)var_sgid_gid);
    if (var_default_gid == var_sgid_gid)
        msg_fatal("file %s: parameters default_privs and setgid_group: user %s and group %s have "
                  "the same group ID: %ld",
                  path, var_default_privs, var_setgid_group, (long)var_sgid_gid);
}

/* mail_params_protocols - inet_protocols must name known families */
static void mail_params_protocols(void)
{
    ARGV *words = argv_split(var_inet_protocols, ", \t\r\n");
    int i;

    for (i = 0; i < words->argc; i++) {
        if (strcasecmp(words->argv[i], "all") != 0 && strcasecmp(words->argv[i], "ipv4") != 0 &&
            strcasecmp(words->argv[i], "ipv6") != 0)
            msg_fatal("unknown inet_protocols value \"%s\" in \"%s\"", words->argv[i],
                      var_inet_protocols);
    }
    argv_free(words);
}

/*
 * mail_params_init - load every parameter, check the ones this program uses
 *
 * Like Postfix, a bad value stops only the programs that use the parameter;
 * a program that cannot tell who it is (no known process name) checks all.
 */
void mail_params_init(void)
{
    const MAIL_PARAM_INFO *p;
    long major, minor, patch;
    const char *program;
    char *path;

    /* Other defaults compare against compatibility_level: check it first. */
    mail_params_load_one(mail_param_find("compatibility_level"));
    if (compat_level_parse(var_compatibility_level, &major, &minor, &patch) < 0)
        msg_fatal("malformed compatibility level syntax: \"%s\"", var_compatibility_level);
    program = mail_params_program();
    for (p = mail_param_table; p < mail_param_table + mail_param_count; p++) {
        if (mail_params_used(program, p->name))
            mail_params_load_one(p);
        else
            mail_params_defer_one(p);
    }
    mail_params_protocols();
    path = concatenate(var_config_directory, "/main.cf", (char *)0);
    if (!valid_hostname(var_myhostname, DO_GRIPE))
        msg_fatal("file %s: parameter myhostname: bad parameter value: %s", path, var_myhostname);
    if (!valid_hostname(var_mydomain, DO_GRIPE))
        msg_fatal("file %s: parameter mydomain: bad parameter value: %s", path, var_mydomain);
    mail_params_accounts(path);
    myfree(path);
    mail_dict_init();
}
