/*
 * mail_date - the time stamps that Postfix writes into message headers:
 *
 *     Mon,  2 Nov 2026 14:05:09 +0100 (CET)
 *
 * day of week, day of month padded to two columns with a space, month,
 * year, local time, numeric offset from UTC, and the zone abbreviation in
 * a comment when the C library knows one.
 *
 * Exports mail_date(when): the text, valid until the next call. The offset
 * is computed from the broken-down local and UTC times rather than taken
 * from tm_gmtoff, which not every system has. An offset of a day or more
 * is a broken clock library: panic.
 */

#include <stdlib.h>
#include <time.h>

#include "mail_date.h"
#include "msg.h"
#include "vstring.h"

#define DAY_MINUTES (24 * 60)

/* mail_date_offset - local time minus UTC, in minutes */
static int mail_date_offset(const struct tm *lt, const struct tm *gmt)
{
    int offset = (lt->tm_hour - gmt->tm_hour) * 60 + lt->tm_min - gmt->tm_min;

    /* Across midnight or a year boundary the day numbers differ by one. */
    if (lt->tm_year > gmt->tm_year || (lt->tm_year == gmt->tm_year && lt->tm_yday > gmt->tm_yday))
        offset += DAY_MINUTES;
    else if (lt->tm_year < gmt->tm_year
             || (lt->tm_year == gmt->tm_year && lt->tm_yday < gmt->tm_yday))
        offset -= DAY_MINUTES;
    return (offset);
}

/* mail_date - format a time stamp for a message header */
const char *mail_date(time_t when)
{
    static VSTRING *buf;
    struct tm gmt;
    struct tm lt;
    char text[100];
    int offset;

    if (buf == 0)
        buf = vstring_alloc(100);
    if (gmtime_r(&when, &gmt) == 0 || localtime_r(&when, &lt) == 0)
        msg_fatal("mail_date: cannot convert time %ld", (long) when);
    offset = mail_date_offset(&lt, &gmt);
    if (abs(offset) >= DAY_MINUTES)
        msg_panic("mail_date: UTC offset of %d minutes", offset);
    if (strftime(text, sizeof(text), "%a, %e %b %Y %H:%M:%S ", &lt) == 0)
        msg_panic("mail_date: strftime overflow");
    vstring_sprintf(buf, "%s%c%02d%02d", text, offset < 0 ? '-' : '+', abs(offset) / 60,
                    abs(offset) % 60);
    if (strftime(text, sizeof(text), " (%Z)", &lt) > 0 && text[2] != ')')
        vstring_strcat(buf, text);
    return (vstring_str(buf));
}
