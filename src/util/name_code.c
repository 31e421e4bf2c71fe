/*
 * name_code - translate one name to a code through a table whose last
 * entry has a null name and the code to return when nothing matches; used
 * for single-choice parameters such as mynetworks_style. Names match without
 * regard to case unless NAME_CODE_FLAG_STRICT_CASE is given.
 * str_name_code() is the reverse, or null for an unknown code.
 */

#include <string.h>
#include <strings.h>

#include "name_code.h"

/* name_code - the code for a name, or the table's default */
int name_code(const NAME_CODE *table, int flags, const char *name)
{
    const NAME_CODE *np;

    for (np = table; np->name; np++) {
        if ((flags & NAME_CODE_FLAG_STRICT_CASE) ? strcmp(name, np->name) == 0
                                                 : strcasecmp(name, np->name) == 0)
            break;
    }
    return (np->code);
}

/* str_name_code - the first name for a code, or null */
const char *str_name_code(const NAME_CODE *table, int code)
{
    const NAME_CODE *np;

    for (np = table; np->name; np++)
        if (np->code == code)
            return (np->name);
    return (0);
}
