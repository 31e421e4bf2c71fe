/*
 * mail_date_test - header time stamps in UTC and in zones east and west
 * of it, across a day boundary.
 */

#include <stdlib.h>
#include <time.h>

#include "mail_date.h"
#include "msg.h"
#include "testing.h"

/* in_zone - switch the process time zone */
static void in_zone(const char *tz)
{
    setenv("TZ", tz, 1);
    tzset();
}

TEST(utc)
{
    in_zone("UTC");
    CHECK_STR(mail_date(0), "Thu,  1 Jan 1970 00:00:00 +0000 (UTC)");
    CHECK_STR(mail_date(1800000000), "Fri, 15 Jan 2027 08:00:00 +0000 (UTC)");
}

TEST(east_and_west)
{
    in_zone("CET-1");
    CHECK_STR(mail_date(0), "Thu,  1 Jan 1970 01:00:00 +0100 (CET)");
    in_zone("EST5");
    CHECK_STR(mail_date(0), "Wed, 31 Dec 1969 19:00:00 -0500 (EST)");
    in_zone("IST-5:30");
    CHECK_STR(mail_date(1800000000), "Fri, 15 Jan 2027 13:30:00 +0530 (IST)");
    in_zone("UTC");
}

int main(int argc, char **argv)
{
    msg_stderr_init(argv[0]);
    RUN(utc);
    RUN(east_and_west);
    return (TESTS_DONE());
}
