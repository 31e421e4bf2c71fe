/*
 * argv - string vectors.
 *
 * An ARGV owns copies of its strings and keeps argv[argc] null, so that
 * argvp->argv can be handed to execvp(). argv_split() breaks a string at any
 * of the delimiter bytes and drops empty fields; argv_splitq() also keeps
 * text between balanced grouping characters (for example "{}") in one field,
 * which is how Postfix lists allow "{ name = value }" and "inline:{a, b}".
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "argv.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

/* argv_alloc - create an empty vector */
ARGV *argv_alloc(int len)
{
    ARGV *argvp = mymalloc(sizeof(*argvp));

    argvp->size = len > 0 ? len : 1;
    argvp->argv = mymalloc((argvp->size + 1) * sizeof(char *));
    argvp->argc = 0;
    argvp->argv[0] = 0;
    return (argvp);
}

/* argv_free - destroy a vector and its strings; null is allowed */
void argv_free(ARGV *argvp)
{
    int i;

    if (argvp == 0)
        return;
    for (i = 0; i < argvp->argc; i++)
        myfree(argvp->argv[i]);
    myfree(argvp->argv);
    myfree(argvp);
}

/* grow - make room for one more string */
static void grow(ARGV *argvp)
{
    if (argvp->argc + 1 > argvp->size) {
        argvp->size *= 2;
        argvp->argv = myrealloc(argvp->argv, (argvp->size + 1) * sizeof(char *));
    }
}

/* argv_add - append copies of strings, up to a null pointer */
void argv_add(ARGV *argvp, ...)
{
    va_list ap;
    const char *str;

    va_start(ap, argvp);
    while ((str = va_arg(ap, const char *)) != 0) {
        grow(argvp);
        argvp->argv[argvp->argc++] = mystrdup(str);
    }
    va_end(ap);
    argvp->argv[argvp->argc] = 0;
}

/* argv_addn - append a copy of len bytes */
void argv_addn(ARGV *argvp, const char *str, size_t len)
{
    grow(argvp);
    argvp->argv[argvp->argc++] = mystrndup(str, len);
    argvp->argv[argvp->argc] = 0;
}

/* argv_insert_one - insert a string before position where */
void argv_insert_one(ARGV *argvp, int where, const char *str)
{
    if (where < 0 || where > argvp->argc)
        msg_panic("argv_insert_one: bad position %d", where);
    grow(argvp);
    memmove(argvp->argv + where + 1, argvp->argv + where,
            (argvp->argc - where + 1) * sizeof(char *));
    argvp->argv[where] = mystrdup(str);
    argvp->argc++;
}

/* argv_delete - remove count strings starting at first */
void argv_delete(ARGV *argvp, int first, int count)
{
    int i;

    if (first < 0 || count < 0 || first + count > argvp->argc)
        msg_panic("argv_delete: bad range %d+%d", first, count);
    for (i = first; i < first + count; i++)
        myfree(argvp->argv[i]);
    memmove(argvp->argv + first, argvp->argv + first + count,
            (argvp->argc - first - count + 1) * sizeof(char *));
    argvp->argc -= count;
}

/* argv_truncate - keep the first len strings */
void argv_truncate(ARGV *argvp, int len)
{
    if (len < 0)
        msg_panic("argv_truncate: bad length %d", len);
    if (len < argvp->argc)
        argv_delete(argvp, len, argvp->argc - len);
}

/* compare - qsort callback */
static int compare(const void *a, const void *b)
{
    return (strcmp(*(char *const *) a, *(char *const *) b));
}

/* argv_sort - sort in byte order */
void argv_sort(ARGV *argvp)
{
    qsort(argvp->argv, argvp->argc, sizeof(char *), compare);
}

/* argv_uniq - drop adjacent duplicates (sort first) */
void argv_uniq(ARGV *argvp)
{
    int i;

    for (i = 1; i < argvp->argc; /* void */ ) {
        if (strcmp(argvp->argv[i], argvp->argv[i - 1]) == 0)
            argv_delete(argvp, i, 1);
        else
            i++;
    }
}

/* argv_split_append - split at delimiters, append non-empty fields */
ARGV *argv_split_append(ARGV *argvp, const char *str, const char *delim)
{
    const char *cp = str;
    size_t len;

    for (;;) {
        cp += strspn(cp, delim);
        if (*cp == 0)
            break;
        len = strcspn(cp, delim);
        argv_addn(argvp, cp, len);
        cp += len;
    }
    return (argvp);
}

/* argv_split - split at delimiters into a new vector */
ARGV *argv_split(const char *str, const char *delim)
{
    return (argv_split_append(argv_alloc(4), str, delim));
}

/* argv_splitq - split at delimiters, keeping grouped text together */
ARGV *argv_splitq(const char *str, const char *delim, const char *parens)
{
    ARGV *argvp = argv_alloc(4);
    char *saved = mystrdup(str);
    char *bp = saved;
    char *field;

    while ((field = mystrtokq(&bp, delim, parens)) != 0)
        argv_add(argvp, field, (char *) 0);
    myfree(saved);
    return (argvp);
}

/* argv_copy - duplicate a vector */
ARGV *argv_copy(const ARGV *argvp)
{
    ARGV *copy = argv_alloc(argvp->argc);
    int i;

    for (i = 0; i < argvp->argc; i++)
        argv_add(copy, argvp->argv[i], (char *) 0);
    return (copy);
}

/* argv_join - one string with sep between the fields */
char *argv_join(const ARGV *argvp, const char *sep)
{
    VSTRING *buf = vstring_alloc(100);
    int i;

    for (i = 0; i < argvp->argc; i++) {
        if (i > 0)
            vstring_strcat(buf, sep);
        vstring_strcat(buf, argvp->argv[i]);
    }
    return (vstring_export(buf));
}
