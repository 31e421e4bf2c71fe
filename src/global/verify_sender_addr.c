/*
 * verify_sender_addr - build and recognize the sender of address probes.
 *
 * Exports make_verify_sender_addr() and valid_verify_sender_addr(). The
 * sender is address_verify_sender, or the null sender when that is empty
 * or "<>". An unqualified sender gets @$myorigin, as cleanup would give it.
 * With address_verify_sender_ttl > 0 the local part gets a number that
 * changes every ttl seconds (base 31, digits then lower-case letters), so
 * that other sites cannot keep a probe sender on a list for long; the
 * recognizer also accepts the previous period's number, because a probe
 * may be answered after the period changed.
 *
 * Failure: a sender that starts or ends with '@' is a configuration
 * error and fatal.
 */

#include <string.h>
#include <strings.h>
#include <time.h>

#include "mail_params.h"
#include "msg.h"
#include "verify_sender_addr.h"
#include "vstring.h"

/* verify_sender_epoch - the ttl period number in base 31 */
static void verify_sender_epoch(VSTRING *buf, unsigned long period)
{
    static const char digits[] = "0123456789abcdefghijklmnopqrstu";
    char tmp[64];
    int len = 0;

    do {
        tmp[len++] = digits[period % 31];
        period /= 31;
    } while (period > 0);
    while (len > 0)
        vstring_sprintf_append(buf, "%c", tmp[--len]);
}

/* verify_sender_build - the probe sender for one ttl period */
static const char *verify_sender_build(VSTRING *buf, unsigned long period)
{
    const char *at;

    if (*var_address_verify_sender == 0 || strcmp(var_address_verify_sender, "<>") == 0)
        return ("");
    at = strchr(var_address_verify_sender, '@');
    if (at == var_address_verify_sender)
        msg_fatal("parameter address_verify_sender: value \"%s\" must not start with '@'",
                  var_address_verify_sender);
    if (at != 0 && at[1] == 0)
        msg_fatal("parameter address_verify_sender: value \"%s\" must not end with '@'",
                  var_address_verify_sender);
    vstring_strncpy(buf, var_address_verify_sender,
                    at ? (size_t)(at - var_address_verify_sender)
                       : strlen(var_address_verify_sender));
    if (var_address_verify_sender_ttl > 0)
        verify_sender_epoch(buf, period);
    vstring_sprintf_append(buf, "@%s", at ? at + 1 : var_myorigin);
    return (vstring_str(buf));
}

/* make_verify_sender_addr - the probe sender to use now */
const char *make_verify_sender_addr(void)
{
    static VSTRING *buf;
    unsigned long period = 0;

    if (buf == 0)
        buf = vstring_alloc(100);
    if (var_address_verify_sender_ttl > 0)
        period = (unsigned long)time((time_t *)0) / var_address_verify_sender_ttl;
    return (verify_sender_build(buf, period));
}

/* valid_verify_sender_addr - is this a probe sender of now or of the last period? */
const char *valid_verify_sender_addr(const char *addr)
{
    static VSTRING *buf;
    unsigned long period = 0;
    int back;

    if (buf == 0)
        buf = vstring_alloc(100);
    if (var_address_verify_sender_ttl > 0)
        period = (unsigned long)time((time_t *)0) / var_address_verify_sender_ttl;
    for (back = 0; back <= (var_address_verify_sender_ttl > 0) && back <= (int)period; back++)
        if (strcasecmp(addr, verify_sender_build(buf, period - back)) == 0)
            return (addr);
    return (0);
}
