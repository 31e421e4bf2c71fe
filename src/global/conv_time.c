/*
 * conv_time - convert configuration text to times, numbers and booleans.
 *
 * conv_time() takes a non-negative integral number with an optional unit
 * letter (s, m, h, d, w; without a letter default_unit applies) and yields
 * seconds. As in Postfix, only the first unit letter is looked at, so "1m1s"
 * means one minute. conv_int() and conv_long() take an optionally signed
 * decimal number with nothing after it. conv_bool() takes "yes" or "no" in
 * any case.
 *
 * Each returns 1 on success and 0 when the text is malformed or the value
 * does not fit; the caller words the error (see get_mail_conf.c).
 */

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <strings.h>

#include "conv_time.h"

#define MINUTE 60
#define HOUR (60 * MINUTE)
#define DAY (24 * HOUR)
#define WEEK (7 * DAY)

/* conv_time - "10s", "5m", "1h", "3d", "1w", or a number in default_unit */
int conv_time(const char *text, int *seconds, int default_unit)
{
    char *end;
    long value;
    int factor;

    errno = 0;
    value = strtol(text, &end, 10);
    if (*text == 0 || end == text || errno == ERANGE || value < 0 || value > INT_MAX)
        return (0);
    switch (*end ? *end : default_unit) {
    case 'w':
        factor = WEEK;
        break;
    case 'd':
        factor = DAY;
        break;
    case 'h':
        factor = HOUR;
        break;
    case 'm':
        factor = MINUTE;
        break;
    case 's':
        factor = 1;
        break;
    default:
        return (0);
    }
    /* Postfix refuses values at or above INT_MAX seconds after scaling. */
    if (factor > 1 && value >= INT_MAX / factor)
        return (0);
    *seconds = (int)value * factor;
    return (1);
}

/* conv_long - decimal number, optionally signed, nothing after it */
int conv_long(const char *text, long *value)
{
    char *end;
    long result;

    errno = 0;
    result = strtol(text, &end, 10);
    if (end == text || *end != 0 || errno == ERANGE)
        return (0);
    *value = result;
    return (1);
}

/* conv_int - conv_long that also fits an int */
int conv_int(const char *text, int *value)
{
    long result;

    if (!conv_long(text, &result) || result > INT_MAX || result < INT_MIN)
        return (0);
    *value = (int)result;
    return (1);
}

/* conv_bool - "yes" or "no", case does not matter */
int conv_bool(const char *text, int *value)
{
    if (strcasecmp(text, "yes") == 0)
        *value = 1;
    else if (strcasecmp(text, "no") == 0)
        *value = 0;
    else
        return (0);
    return (1);
}
