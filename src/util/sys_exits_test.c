/* sys_exits_test - module tests for the sysexits status table */

#include "sys_exits.h"
#include "testing.h"

TEST(known_codes)
{
    static const struct {
        int code;
        const char *dsn;
        const char *text;
    } want[] = {
        {EX_USAGE, "5.3.0", "command line usage error"},
        {EX_DATAERR, "5.6.0", "data format error"},
        {EX_NOINPUT, "5.3.0", "cannot open input"},
        {EX_NOUSER, "5.1.1", "user unknown"},
        {EX_NOHOST, "5.1.2", "host name unknown"},
        {EX_UNAVAILABLE, "5.3.0", "service unavailable"},
        {EX_SOFTWARE, "5.3.0", "internal software error"},
        {EX_OSERR, "4.3.0", "system resource problem"},
        {EX_OSFILE, "5.3.0", "critical OS file missing"},
        {EX_CANTCREAT, "5.2.0", "can't create user output file"},
        {EX_IOERR, "5.3.0", "input/output error"},
        {EX_TEMPFAIL, "4.3.0", "temporary failure"},
        {EX_PROTOCOL, "5.5.0", "remote error in protocol"},
        {EX_NOPERM, "5.7.0", "permission denied"},
        {EX_CONFIG, "5.3.5", "local configuration error"},
    };
    size_t i;

    CHECK_INT(EX_USAGE, 64);
    CHECK_INT(EX_CONFIG, 78);
    for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CHECK_INT(sys_exits_detail(want[i].code)->status, want[i].code);
        CHECK_STR(sys_exits_dsn(want[i].code), want[i].dsn);
        CHECK_STR(sys_exits_strerror(want[i].code), want[i].text);
    }
}

TEST(unknown_codes_are_hard_errors)
{
    const SYS_EXITS_DETAIL *dp = sys_exits_detail(1);

    CHECK_INT(dp->status, 0);
    CHECK_STR(dp->dsn, "5.3.0");
    CHECK_STR(dp->text, "unknown mail system error 1");
    CHECK_STR(sys_exits_strerror(79), "unknown mail system error 79");
    CHECK_STR(sys_exits_strerror(63), "unknown mail system error 63");
    CHECK_INT(sys_exits_softerror(1), 0);
}

TEST(only_tempfail_and_oserr_are_soft)
{
    int code, soft = 0;

    for (code = 0; code < 256; code++)
        soft += sys_exits_softerror(code);
    CHECK_INT(soft, 2);
    CHECK_INT(sys_exits_softerror(EX_TEMPFAIL), 1);
    CHECK_INT(sys_exits_softerror(EX_OSERR), 1);
    CHECK_INT(sys_exits_softerror(EX_NOUSER), 0);
}

int main(void)
{
    RUN(known_codes);
    RUN(unknown_codes_are_hard_errors);
    RUN(only_tempfail_and_oserr_are_soft);
    return (TESTS_DONE());
}
