/*
 * sys_exits - what a delivery agent makes of a command's exit status.
 *
 * pipe(8) and local(8) run commands that follow <sysexits.h>. Each code
 * maps to an RFC 3463 enhanced status and a short text that go into the log
 * and the bounce ("user unknown", 5.1.1). EX_TEMPFAIL and EX_OSERR are the
 * only soft errors: the message is deferred. Any other non-zero status is
 * "unknown mail system error N" with status 5.3.0, a hard error.
 *
 * The text for an unknown code is built in a static buffer, overwritten by
 * the next call.
 */

#include <stdio.h>

#include "sys_exits.h"

static const SYS_EXITS_DETAIL table[] = {
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

/* sys_exits_detail - status, DSN code and text for an exit status */
const SYS_EXITS_DETAIL *sys_exits_detail(int code)
{
    static char text[64];
    static SYS_EXITS_DETAIL unknown;

    if (SYS_EXITS_CODE(code))
        return (&table[code - EX__BASE]);
    snprintf(text, sizeof(text), "unknown mail system error %d", code);
    unknown.status = 0;
    unknown.dsn = "5.3.0";
    unknown.text = text;
    return (&unknown);
}

/* sys_exits_strerror - the text for an exit status */
const char *sys_exits_strerror(int code)
{
    return (sys_exits_detail(code)->text);
}

/* sys_exits_dsn - the enhanced status code for an exit status */
const char *sys_exits_dsn(int code)
{
    return (sys_exits_detail(code)->dsn);
}

/* sys_exits_softerror - should the message be deferred rather than bounced? */
int sys_exits_softerror(int code)
{
    return (code == EX_TEMPFAIL || code == EX_OSERR);
}
