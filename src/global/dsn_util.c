/*
 * dsn_util - RFC 3463 enhanced status codes.
 *
 * Exports dsn_valid() (how long the "x.y.z" code at the start of a text
 * is), dsn_split() (code and text apart, with a default code and class
 * override) and dsn_prepend(). A code is class 2, 4 or 5, then a subject
 * and a detail of one to three digits each, and it must be followed by
 * white space or the end of the text. Nothing here fails: a text without a
 * code simply gets the default.
 */

#include <ctype.h>
#include <string.h>

#include "dsn_util.h"
#include "msg.h"
#include "mymalloc.h"
#include "stringops.h"

/* dsn_digits - count 1-3 digits at cp; 0 when there are none or too many */
static size_t dsn_digits(const char *cp)
{
    size_t n = 0;

    while (isdigit((unsigned char)cp[n]))
        if (++n > 3)
            return (0);
    return (n);
}

/* dsn_valid - the length of the leading status code, or 0 */
size_t dsn_valid(const char *text)
{
    const char *cp = text;
    size_t n;

    if (!DSN_CLASS_OK(cp[0]) || cp[1] != '.')
        return (0);
    cp += 2;
    if ((n = dsn_digits(cp)) == 0 || cp[n] != '.')
        return (0);
    cp += n + 1;
    if ((n = dsn_digits(cp)) == 0)
        return (0);
    cp += n;
    if (*cp != 0 && !ISSPACE(*cp))
        return (0);
    return ((size_t)(cp - text));
}

/* dsn_split - separate the status code from the text */
DSN_SPLIT *dsn_split(DSN_SPLIT *dp, const char *def_dsn, const char *text)
{
    size_t len;
    const char *cp = text;

    while (ISSPACE(*cp))
        cp++;
    if ((len = dsn_valid(cp)) > 0) {
        memcpy(dp->dsn.data, cp, len);
        dp->dsn.data[len] = 0;
        cp += len;
        while (ISSPACE(*cp))
            cp++;
        dp->text = cp;
        /* A temporary or permanent default decides the class. */
        if (def_dsn[0] == '4' || def_dsn[0] == '5')
            dp->dsn.data[0] = def_dsn[0];
        return (dp);
    }
    if ((len = dsn_valid(def_dsn)) == 0 || len != strlen(def_dsn))
        msg_panic("dsn_split: bad default status \"%s\"", def_dsn);
    memcpy(dp->dsn.data, def_dsn, len + 1);
    dp->text = cp;
    return (dp);
}

/* dsn_prepend - the text, with a status code in front when it has none */
char *dsn_prepend(const char *def_dsn, const char *text)
{
    DSN_SPLIT dp;

    dsn_split(&dp, def_dsn, text);
    return (concatenate(dp.dsn.data, " ", dp.text, (char *)0));
}
