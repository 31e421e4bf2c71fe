/*
 * clean_env - the environment of Postfix programs, as import_environment
 * and export_environment describe it.
 *
 * clean_env(list) keeps only the variables whose names are in the list and
 * removes everything else; a list entry "name=value" sets that variable,
 * whether or not it was there before. Daemons run with the result, so that
 * nothing from the invoking user's environment (IFS, LD_*, a hostile TZ)
 * leaks into a privileged process unless the administrator asked for it.
 *
 * update_env(list) only applies the "name=value" entries, for a child that
 * gets the parent's environment plus some settings.
 *
 * Both take a null-terminated vector (an ARGV's argv). An entry with an
 * empty name is skipped with a warning. Failure to set a variable means the
 * process is out of memory and is fatal.
 */

#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "clean_env.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

/* set_one - apply one "name=value" entry; 0 if the entry has no '=' */
static int set_one(const char *myname, const char *entry)
{
    const char *eq = strchr(entry, '=');
    char *name;

    if (eq == 0)
        return (0);
    if (eq == entry) {
        msg_warn("%s: empty variable name in \"%s\"", myname, entry);
        return (1);
    }
    name = mystrndup(entry, eq - entry);
    if (setenv(name, eq + 1, 1) < 0)
        msg_fatal("%s: setenv %s: %m", myname, name);
    myfree(name);
    return (1);
}

/* clean_env - keep the listed variables, set the name=value ones, drop the rest */
void clean_env(char **preserve_list)
{
    ARGV *saved = argv_alloc(10);
    char **cpp;
    const char *value;
    char *entry;

    /* Remember what to keep before the environment goes away. */
    for (cpp = preserve_list; *cpp; cpp++) {
        if (strchr(*cpp, '=') != 0) {
            argv_add(saved, *cpp, (char *)0);
        } else if ((value = getenv(*cpp)) != 0) {
            entry = concatenate(*cpp, "=", value, (char *)0);
            argv_add(saved, entry, (char *)0);
            myfree(entry);
        }
    }
    if (clearenv() != 0)
        msg_fatal("clean_env: clearenv: %m");
    for (cpp = saved->argv; *cpp; cpp++)
        set_one("clean_env", *cpp);
    argv_free(saved);
}

/* update_env - set the name=value entries, leave everything else */
void update_env(char **settings)
{
    char **cpp;

    for (cpp = settings; *cpp; cpp++)
        set_one("update_env", *cpp);
}
