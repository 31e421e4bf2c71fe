/*
 * dict_util - parsing shared by table types and table builders.
 *
 * Exports dict_brace_strip() ("{ text }" to "text"), dict_brace_split()
 * (the items of "a, {b c}, d", grouping braces kept) and dict_split_entry()
 * (one "key whitespace value" source line, where the key may contain
 * whitespace inside double quotes or after a backslash; the key is kept as
 * written, quotes and backslashes included). Nothing here allocates except the ARGV
 * result; errors come back as return values for the caller to report with
 * its own context.
 */

#include <string.h>

#include "dict.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

/* dict_brace_strip - remove one pair of enclosing braces and blanks around text */
const char *dict_brace_strip(char **bp)
{
    static VSTRING *why;
    char *cp = skipblanks(*bp);
    char *end;
    char *pos;
    int level = 0;

    if (why == 0)
        why = vstring_alloc(100);
    *trimblanks(cp, 0) = 0;
    if (*cp != '{') {
        *bp = cp;
        return (0);
    }
    for (pos = cp; *pos; pos++) {
        if (*pos == '{')
            level++;
        else if (*pos == '}' && --level == 0)
            break;
    }
    if (*pos == 0) {
        vstring_sprintf(why, "missing '}' in \"%s\"", cp);
        return (vstring_str(why));
    }
    if (pos[1] != 0) {
        vstring_sprintf(why, "syntax error after '}' in \"%s\"", cp);
        return (vstring_str(why));
    }
    *pos = 0;
    cp = skipblanks(cp + 1);
    end = trimblanks(cp, 0);
    *end = 0;
    *bp = cp;
    return (0);
}

/* dict_brace_split - the items of a comma/blank separated list */
ARGV *dict_brace_split(const char *text)
{
    char *saved = mystrdup(text);
    char *bp = saved;
    char *item;
    ARGV *argv = argv_alloc(5);

    while ((item = mystrtokq(&bp, ", \t\r\n", "{}")) != 0)
        argv_add(argv, item, (char *)0);
    myfree(saved);
    return (argv);
}

/* dict_split_entry - split a source line into key and value, in place */
int dict_split_entry(char *line, char **key, char **value)
{
    char *cp = skipblanks(line);
    int quoted = 0;

    *key = cp;
    for (; *cp; cp++) {
        if (*cp == '\\' && cp[1] != 0)
            cp++;
        else if (*cp == '"')
            quoted = !quoted;
        else if (!quoted && ISSPACE((unsigned char)*cp))
            break;
    }
    if (quoted)
        return (DICT_SPLIT_QUOTE);
    if (*cp == 0 || cp == *key)
        return (DICT_SPLIT_FORMAT);
    *cp++ = 0;
    cp = skipblanks(cp);
    *trimblanks(cp, 0) = 0;
    if (*cp == 0)
        return (DICT_SPLIT_FORMAT);
    *value = cp;
    return (DICT_SPLIT_OK);
}
