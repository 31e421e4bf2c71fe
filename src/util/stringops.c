/*
 * stringops - small string utilities shared by every program.
 *
 * mystrtok() is a reentrant strtok that advances *bufp; mystrtokq() also
 * treats text between balanced grouping characters (parens = "{}" or "()")
 * as part of one token, so "{ a b } c" yields "{ a b }" and "c".
 * split_nameval() parses "name = value", the syntax of main.cf and of -o.
 * printable() replaces control and non-ASCII bytes in place, for logging
 * untrusted text.
 */

#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

/* lowercase - fold to lower case in place */
char *lowercase(char *str)
{
    char *cp;

    for (cp = str; *cp; cp++)
        *cp = tolower((unsigned char) *cp);
    return (str);
}

/* uppercase - fold to upper case in place */
char *uppercase(char *str)
{
    char *cp;

    for (cp = str; *cp; cp++)
        *cp = toupper((unsigned char) *cp);
    return (str);
}

/* trimblanks - the end of the string without trailing white space */
char *trimblanks(char *str, size_t len)
{
    char *cp = str + (len ? len : strlen(str));

    while (cp > str && ISSPACE((unsigned char) cp[-1]))
        cp--;
    return (cp);
}

/* skipblanks - skip leading white space */
char *skipblanks(const char *str)
{
    while (ISSPACE((unsigned char) *str))
        str++;
    return ((char *) str);
}

/* mystrtok - next token delimited by any of delim, or null */
char *mystrtok(char **bufp, const char *delim)
{
    char *start = *bufp + strspn(*bufp, delim);
    char *end;

    if (*start == 0) {
        *bufp = start;
        return (0);
    }
    end = start + strcspn(start, delim);
    if (*end)
        *end++ = 0;
    *bufp = end;
    return (start);
}

/* mystrtokq - like mystrtok, but grouped text stays in one token */
char *mystrtokq(char **bufp, const char *delim, const char *parens)
{
    char *start = *bufp + strspn(*bufp, delim);
    char *cp;
    int level = 0;

    if (*start == 0) {
        *bufp = start;
        return (0);
    }
    for (cp = start; *cp; cp++) {
        if (*cp == parens[0])
            level++;
        else if (*cp == parens[1] && level > 0)
            level--;
        else if (level == 0 && strchr(delim, *cp))
            break;
    }
    if (*cp)
        *cp++ = 0;
    *bufp = cp;
    return (start);
}

/* split_at - terminate str at the first delim; return what follows, or null */
char *split_at(char *str, int delim)
{
    char *cp = strchr(str, delim);

    if (cp)
        *cp++ = 0;
    return (cp);
}

/* split_at_right - terminate str at the last delim; return what follows, or null */
char *split_at_right(char *str, int delim)
{
    char *cp = strrchr(str, delim);

    if (cp)
        *cp++ = 0;
    return (cp);
}

/* split_nameval - parse "name = value" in place; null or an error text */
const char *split_nameval(char *buf, char **name, char **value)
{
    char *np, *ep, *vp, *end;

    np = skipblanks(buf);
    if (*np == 0)
        return ("missing attribute name");
    for (ep = np; *ep && *ep != '=' && !ISSPACE((unsigned char) *ep); ep++)
        /* void */ ;
    vp = skipblanks(ep);
    if (*vp != '=')
        return ("missing '=' after attribute name");
    *ep = 0;
    vp = skipblanks(vp + 1);
    end = trimblanks(vp, 0);
    *end = 0;
    *name = np;
    *value = vp;
    return (0);
}

/* printable - replace non-printable bytes in place */
char *printable(char *str, int replacement)
{
    unsigned char *cp;

    for (cp = (unsigned char *) str; *cp; cp++)
        if (!isascii(*cp) || !isprint(*cp))
            *cp = replacement;
    return (str);
}

/* concatenate - join strings into a new allocation */
char *concatenate(const char *first, ...)
{
    VSTRING *buf = vstring_alloc(100);
    va_list ap;
    const char *arg;

    va_start(ap, first);
    for (arg = first; arg; arg = va_arg(ap, const char *))
        vstring_strcat(buf, arg);
    va_end(ap);
    return (vstring_export(buf));
}

/* alldig - non-empty and only decimal digits */
int alldig(const char *str)
{
    if (*str == 0)
        return (0);
    for (; *str; str++)
        if (!isdigit((unsigned char) *str))
            return (0);
    return (1);
}

/* allprint - only printable ASCII */
int allprint(const char *str)
{
    for (; *str; str++)
        if (!isascii((unsigned char) *str) || !isprint((unsigned char) *str))
            return (0);
    return (1);
}

/* allalnum - non-empty and only letters and digits */
int allalnum(const char *str)
{
    if (*str == 0)
        return (0);
    for (; *str; str++)
        if (!isalnum((unsigned char) *str))
            return (0);
    return (1);
}

/* basename_of - the part after the last slash */
const char *basename_of(const char *path)
{
    const char *slash = strrchr(path, '/');

    return (slash ? slash + 1 : path);
}

/* extpar - strip one level of grouping characters from *bp; null or error */
char *extpar(char **bp, const char *parens, int flags)
{
    char *cp = *bp;
    char *end;
    size_t len = strlen(cp);
    int level = 0;
    char *pos;

    if (len < 2 || cp[0] != parens[0])
        return ("missing opening character");
    for (pos = cp; *pos; pos++) {
        if (*pos == parens[0])
            level++;
        else if (*pos == parens[1] && --level == 0)
            break;
    }
    if (*pos == 0)
        return ("missing closing character");
    if (pos[1] != 0)
        return ("text after closing character");
    *pos = 0;
    cp++;
    if (flags & EXTPAR_FLAG_STRIP) {
        cp = skipblanks(cp);
        end = trimblanks(cp, 0);
        *end = 0;
    }
    *bp = cp;
    return (0);
}
