/*
 * lock_type - names for the mailbox locking methods, as used by
 * mailbox_delivery_lock and friends and listed by "postconf -l".
 *
 * lock_type_names() returns the methods this system supports, in the order
 * postconf prints them (flock, fcntl, dotlock); the caller frees the ARGV.
 * lock_type_mask() turns a list of names separated by commas or white space
 * into a bit mask of LOCK_TYPE_* values; an unknown name yields -1 with the
 * reason in why, for the caller to report with the parameter's name.
 */

#include <string.h>

#include "lock_type.h"
#include "mymalloc.h"
#include "stringops.h"

static const struct lock_type_name {
    const char *name;
    int mask;
} lock_type_table[] = {
    {"flock", LOCK_TYPE_FLOCK},
    {"fcntl", LOCK_TYPE_FCNTL},
    {"dotlock", LOCK_TYPE_DOTLOCK},
    {0, 0},
};

/* lock_type_names - the supported method names */
ARGV *lock_type_names(void)
{
    const struct lock_type_name *lp;
    ARGV *names = argv_alloc(3);

    for (lp = lock_type_table; lp->name; lp++)
        argv_add(names, lp->name, (char *)0);
    return (names);
}

/* lock_type_mask - "fcntl, dotlock" -> LOCK_TYPE_FCNTL | LOCK_TYPE_DOTLOCK */
int lock_type_mask(const char *list, VSTRING *why)
{
    const struct lock_type_name *lp;
    char *saved = mystrdup(list);
    char *bp = saved;
    char *name;
    int mask = 0;

    while ((name = mystrtok(&bp, ", \t\r\n")) != 0) {
        for (lp = lock_type_table; lp->name; lp++)
            if (strcmp(lp->name, name) == 0)
                break;
        if (lp->name == 0) {
            if (why)
                vstring_sprintf(why, "unknown lock type \"%s\" in \"%s\"", name, list);
            myfree(saved);
            return (-1);
        }
        mask |= lp->mask;
    }
    myfree(saved);
    return (mask);
}
