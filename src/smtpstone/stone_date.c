/*
 * stone_date - the date text that smtp-source puts in its Date: header and
 * smtp-sink in the Received: header of a dumped message.
 *
 * The format is the RFC 2822 one with the zone name as a comment, e.g.
 * "Mon, 23 Nov 2026 14:19:25 +0000 (UTC)", in local time. Day and month
 * names are spelled out here so that the program's locale cannot change
 * them. The result lives in a static buffer that the next call overwrites.
 * There is no failure: a time that localtime() cannot represent is shown as
 * the epoch.
 */

#include <stdio.h>
#include <time.h>

#include "stone_date.h"

/* stone_date - format a time as an RFC 2822 date with zone comment */
const char *stone_date(time_t when)
{
    static const char days[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static const char months[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    static char buf[128];
    struct tm tm;
    struct tm epoch = {.tm_mday = 1, .tm_year = 70, .tm_wday = 4};
    long offset;
    char zone[32];

    if (localtime_r(&when, &tm) == 0)
        tm = epoch;
    offset = tm.tm_gmtoff / 60;
    if (strftime(zone, sizeof(zone), "%Z", &tm) == 0)
        zone[0] = 0;
    snprintf(buf, sizeof(buf), "%s, %2d %s %d %02d:%02d:%02d %c%02ld%02ld (%s)",
             days[tm.tm_wday % 7], tm.tm_mday, months[tm.tm_mon % 12], tm.tm_year + 1900,
             tm.tm_hour, tm.tm_min, tm.tm_sec, offset < 0 ? '-' : '+',
             (offset < 0 ? -offset : offset) / 60, (offset < 0 ? -offset : offset) % 60,
             zone[0] ? zone : "UTC");
    return (buf);
}
