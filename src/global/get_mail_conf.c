/*
 * get_mail_conf - typed access to parameters that are not in the table.
 *
 * A daemon that has parameters of its own (or per-service variants such as
 * "<service>_destination_concurrency_limit") reads them with these. Each
 * looks the name up (main.cf or override), falls back to the given default
 * and records that default so that $name references to it expand, converts
 * the value, and checks it against min and max (0 = no bound; for strings the
 * bounds apply to the length). The *2 variants take the name in two parts.
 *
 * Failure: a malformed or out-of-range value is fatal, in Postfix's words.
 */

#include <stdio.h>
#include <string.h>

#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

#include "mail_conf.h"

/* get_mail_conf_value - expanded value, registering the default first */
static const char *get_mail_conf_value(const char *name, const char *defval)
{
    if (mail_conf_lookup(name) == 0 && mail_conf_lookup_default(name) == 0)
        mail_conf_register_default(name, defval);
    return (mail_conf_lookup_eval(name));
}

/* check_length - string length bounds */
static void check_length(const char *name, const char *value, int min, int max)
{
    int len = (int)strlen(value);

    if (min && len < min)
        msg_fatal("bad string length %d < %d: %s = %s", len, min, name, value);
    if (max && len > max)
        msg_fatal("bad string length %d > %d: %s = %s", len, max, name, value);
}

/* get_mail_conf_str - expanded text; the caller owns the result */
char *get_mail_conf_str(const char *name, const char *defval, int min, int max)
{
    const char *value = get_mail_conf_value(name, defval);

    check_length(name, value, min, max);
    return (mystrdup(value));
}

/* get_mail_conf_str_fn - same, with a computed default */
char *get_mail_conf_str_fn(const char *name, const char *(*defval)(void), int min, int max)
{
    if (mail_conf_lookup(name) == 0 && mail_conf_lookup_default(name) == 0)
        mail_conf_register_default(name, defval());
    return (get_mail_conf_str(name, "", min, max));
}

/* get_mail_conf_raw - unexpanded text; the caller owns the result */
char *get_mail_conf_raw(const char *name, const char *defval, int min, int max)
{
    const char *value;

    if ((value = mail_conf_lookup_default(name)) == 0) {
        mail_conf_register_default(name, defval);
        value = defval;
    }
    check_length(name, value, min, max);
    return (mystrdup(value));
}

/* get_mail_conf_int - int with bounds */
int get_mail_conf_int(const char *name, int defval, int min, int max)
{
    char buf[32];
    const char *value;
    int result;

    snprintf(buf, sizeof(buf), "%d", defval);
    value = get_mail_conf_value(name, buf);
    if (!conv_int(value, &result))
        msg_fatal("bad numerical configuration: %s = %s", name, value);
    if (min && result < min)
        msg_fatal("invalid %s parameter value %d < %d", name, result, min);
    if (max && result > max)
        msg_fatal("invalid %s parameter value %d > %d", name, result, max);
    return (result);
}

/* get_mail_conf_long - long with bounds */
long get_mail_conf_long(const char *name, long defval, long min, long max)
{
    char buf[32];
    const char *value;
    long result;

    snprintf(buf, sizeof(buf), "%ld", defval);
    value = get_mail_conf_value(name, buf);
    if (!conv_long(value, &result))
        msg_fatal("bad numerical configuration: %s = %s", name, value);
    if (min && result < min)
        msg_fatal("invalid %s parameter value %ld < %ld", name, result, min);
    if (max && result > max)
        msg_fatal("invalid %s parameter value %ld > %ld", name, result, max);
    return (result);
}

/* get_mail_conf_bool - yes or no */
int get_mail_conf_bool(const char *name, int defval)
{
    const char *value = get_mail_conf_value(name, defval ? "yes" : "no");
    int result;

    if (!conv_bool(value, &result))
        msg_fatal("bad boolean configuration: %s = %s", name, value);
    return (result);
}

/* get_mail_conf_time - seconds; defval ends in its unit ("300s") */
int get_mail_conf_time(const char *name, const char *defval, int min, int max)
{
    const char *value = get_mail_conf_value(name, defval);
    size_t len = strlen(defval);
    int unit = (len > 0 && strchr("smhdw", defval[len - 1])) ? defval[len - 1] : 's';
    int result;

    if (!conv_time(value, &result, unit))
        msg_fatal("parameter %s: bad time value or unit: %s", name, value);
    if (min && result < min)
        msg_fatal("invalid %s: %d (min %d)", name, result, min);
    if (max && result > max)
        msg_fatal("invalid %s: %d (max %d)", name, result, max);
    return (result);
}

/* get_mail_conf_str2 - get_mail_conf_str() of name1 name2 */
char *get_mail_conf_str2(const char *name1, const char *name2, const char *defval, int min, int max)
{
    char *name = concatenate(name1, name2, (char *)0);
    char *result = get_mail_conf_str(name, defval, min, max);

    myfree(name);
    return (result);
}

/* get_mail_conf_int2 - get_mail_conf_int() of name1 name2 */
int get_mail_conf_int2(const char *name1, const char *name2, int defval, int min, int max)
{
    char *name = concatenate(name1, name2, (char *)0);
    int result = get_mail_conf_int(name, defval, min, max);

    myfree(name);
    return (result);
}

/* get_mail_conf_time2 - get_mail_conf_time() of name1 name2 */
int get_mail_conf_time2(const char *name1, const char *name2, const char *defval, int min, int max)
{
    char *name = concatenate(name1, name2, (char *)0);
    int result = get_mail_conf_time(name, defval, min, max);

    myfree(name);
    return (result);
}

/* get_mail_conf_bool2 - get_mail_conf_bool() of name1 name2 */
int get_mail_conf_bool2(const char *name1, const char *name2, int defval)
{
    char *name = concatenate(name1, name2, (char *)0);
    int result = get_mail_conf_bool(name, defval);

    myfree(name);
    return (result);
}
