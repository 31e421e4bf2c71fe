/*
 * cleanup_strerror - turn the status bits of the cleanup service into the
 * reply that a client passes on: SMTP code, enhanced status code and text.
 *
 * Several bits may be set at once; the most important one wins, in the
 * order of the table below (a temporary condition before a permanent one,
 * so that a message is retried rather than bounced when in doubt). Status 0
 * is success. A bit that is not in the table is a bug in the caller.
 */

#include <stddef.h>

#include "cleanup_strerror.h"
#include "cleanup_user.h"
#include "msg.h"

static const CLEANUP_STAT_DETAIL cleanup_stat_success = {CLEANUP_STAT_OK, 250, "2.0.0", "Success"};

static const CLEANUP_STAT_DETAIL cleanup_stat_table[] = {
    {CLEANUP_STAT_DEFER, 451, "4.7.1", "service unavailable"},
    {CLEANUP_STAT_PROXY, 451, "4.3.0", "queue file write error"},
    {CLEANUP_STAT_BAD, 451, "4.3.0", "internal protocol error"},
    {CLEANUP_STAT_RCPT, 550, "5.1.0", "no recipients specified"},
    {CLEANUP_STAT_HOPS, 554, "5.4.0", "too many hops"},
    {CLEANUP_STAT_SIZE, 552, "5.3.4", "message file too big"},
    {CLEANUP_STAT_CONT, 550, "5.7.1", "message content rejected"},
    {CLEANUP_STAT_WRITE, 451, "4.3.0", "queue file write error"},
    {CLEANUP_STAT_NOPERM, 550, "5.7.1", "service denied"},
    {CLEANUP_STAT_BARE_LF, 550, "5.5.2", "bare <LF> received"},
};

/* cleanup_stat_detail - the reply details for a status */
const CLEANUP_STAT_DETAIL *cleanup_stat_detail(unsigned status)
{
    size_t i;

    if (status == CLEANUP_STAT_OK)
        return (&cleanup_stat_success);
    for (i = 0; i < sizeof(cleanup_stat_table) / sizeof(cleanup_stat_table[0]); i++)
        if (status & cleanup_stat_table[i].status)
            return (&cleanup_stat_table[i]);
    msg_panic("cleanup_stat_detail: unknown status 0x%x", status);
}

/* cleanup_strerror - the reason text for a status */
const char *cleanup_strerror(unsigned status)
{
    return (cleanup_stat_detail(status)->text);
}
