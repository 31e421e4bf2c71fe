/*
 * log_adhoc - the delivery log line of one recipient (see log_adhoc.h).
 *
 * Exports log_adhoc() (format and msg_info()), log_adhoc_format() (the
 * text only) and log_adhoc_delay() (one delay value).
 *
 * The delays: a is the time before the last active queue entry, b the
 * time in the queue manager, c connection set-up, d transmission. A stage
 * that was never reached contributes nothing, and the open-ended stage
 * runs until deliver_done (or now): no active queue time stamp means the
 * message never got to qmgr (a runs to now); no hand-off means qmgr itself
 * decided (b runs to now); no connection set-up means there was no network
 * connection (d runs from the hand-off). Clocks that jump back give 0.
 *
 * Values: at least 10s are rounded to whole seconds; 1s..10s get one
 * decimal; below 1s two significant digits, but never more decimals than
 * delay_logging_resolution_limit (less is "0"). Trailing zeros are
 * dropped. Nothing here fails.
 */

#include <string.h>
#include <strings.h>
#include <sys/time.h>

#include "log_adhoc.h"
#include "mail_params.h"
#include "msg.h"

#define MILLION 1000000L

typedef struct {
    long sec; /* signed, so that clocks going back show */
    long usec;
} LOG_DELTA;

/* log_delta - later minus earlier, 0 when negative */
static void log_delta(LOG_DELTA *d, const struct timeval *later, const struct timeval *earlier)
{
    d->sec = (long)later->tv_sec - (long)earlier->tv_sec;
    d->usec = (long)later->tv_usec - (long)earlier->tv_usec;
    while (d->usec < 0) {
        d->usec += MILLION;
        d->sec -= 1;
    }
    while (d->usec >= MILLION) {
        d->usec -= MILLION;
        d->sec += 1;
    }
    if (d->sec < 0)
        d->sec = d->usec = 0;
}

/* log_format_delta - append one value with limited precision */
static void log_format_delta(VSTRING *buf, long sec, long usec)
{
    int max_digits = var_delay_logging_resolution_limit;
    long unit; /* smallest usec step that is shown */
    long digit;
    long rem;

    if (max_digits < 0)
        max_digits = 0;
    if (max_digits > 6)
        max_digits = 6;
    for (unit = MILLION; max_digits > 0; max_digits--)
        unit /= 10;
    /* Two significant digits at most, within the resolution limit. */
    if (sec >= 10)
        unit = MILLION;
    else if (sec >= 1 && unit < MILLION / 10)
        unit = MILLION / 10;
    else if (sec == 0)
        while (unit < MILLION && usec >= 100 * unit)
            unit *= 10;
    /* Round to that unit. */
    if (unit > 1) {
        usec += unit / 2;
        if (usec >= MILLION) {
            sec += 1;
            usec -= MILLION;
        }
    }
    /* A rounding carry may have made a second more: one decimal fewer. */
    if (sec >= 10 && unit < MILLION)
        unit = MILLION;
    vstring_sprintf_append(buf, "%ld", sec);
    if (usec >= unit) {
        VSTRING_ADDCH(buf, '.');
        for (rem = usec, digit = MILLION / 10; rem >= unit && digit > 0; digit /= 10) {
            VSTRING_ADDCH(buf, "0123456789"[rem / digit]);
            rem %= digit;
        }
        VSTRING_TERMINATE(buf);
    }
}

/* log_adhoc_delay - one delay value as text */
const char *log_adhoc_delay(VSTRING *buf, const struct timeval *delay)
{
    VSTRING_RESET(buf);
    log_format_delta(buf, (long)delay->tv_sec, (long)delay->tv_usec);
    return (vstring_str(buf));
}

#define STAMPED(tv) ((tv).tv_sec > 0)

/* log_adhoc_format - the log text */
const char *log_adhoc_format(VSTRING *buf, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                             const char *relay, DSN *dsn, const char *status)
{
    struct timeval now;
    LOG_DELTA total, a, b, c, d;

    vstring_sprintf(buf, "%s: to=<%s>", id, rcpt->address);
    if (rcpt->orig_addr && *rcpt->orig_addr && strcasecmp(rcpt->address, rcpt->orig_addr) != 0)
        vstring_sprintf_append(buf, ", orig_to=<%s>", rcpt->orig_addr);
    vstring_sprintf_append(buf, ", relay=%s", relay);
    if (stats->reuse_count > 0)
        vstring_sprintf_append(buf, ", conn_use=%d", stats->reuse_count + 1);

    if (STAMPED(stats->deliver_done))
        now = stats->deliver_done;
    else
        gettimeofday(&now, (struct timezone *)0);
    log_delta(&total, &now, &stats->incoming_arrival);
    b.sec = b.usec = c.sec = c.usec = d.sec = d.usec = 0;
    if (!STAMPED(stats->active_arrival)) {
        log_delta(&a, &now, &stats->incoming_arrival);
    } else {
        log_delta(&a, &stats->active_arrival, &stats->incoming_arrival);
        if (!STAMPED(stats->agent_handoff)) {
            log_delta(&b, &now, &stats->active_arrival);
        } else {
            log_delta(&b, &stats->agent_handoff, &stats->active_arrival);
            if (STAMPED(stats->conn_setup_done)) {
                log_delta(&c, &stats->conn_setup_done, &stats->agent_handoff);
                log_delta(&d, &now, &stats->conn_setup_done);
            } else {
                log_delta(&d, &now, &stats->agent_handoff);
            }
        }
    }
    vstring_strcat(buf, ", delay=");
    log_format_delta(buf, total.sec, total.usec);
    vstring_strcat(buf, ", delays=");
    log_format_delta(buf, a.sec, a.usec);
    VSTRING_ADDCH(buf, '/');
    log_format_delta(buf, b.sec, b.usec);
    VSTRING_ADDCH(buf, '/');
    log_format_delta(buf, c.sec, c.usec);
    VSTRING_ADDCH(buf, '/');
    log_format_delta(buf, d.sec, d.usec);
    vstring_sprintf_append(buf, ", dsn=%s, status=%s (%s)", dsn->status, status, dsn->reason);
    return (vstring_str(buf));
}

/* log_adhoc - log the delivery of one recipient */
void log_adhoc(const char *id, MSG_STATS *stats, RECIPIENT *rcpt, const char *relay, DSN *dsn,
               const char *status)
{
    static VSTRING *buf;

    if (buf == 0)
        buf = vstring_alloc(200);
    msg_info("%s", log_adhoc_format(buf, id, stats, rcpt, relay, dsn, status));
}
