/*
 * showq_compat - the sendmail-style queue listing ("mailq").
 *
 * Exports showq_compat(). Layout, which scripts parse:
 *   a header line;
 *   per message: queue id with its status marks ('*' active, '!' on hold,
 *     then '#' when forced to expire), size, arrival time (local time, the
 *     asctime() form without the year) and sender; then one line per
 *     recipient, indented to the sender column, preceded by a "(reason)"
 *     line, right-aligned at column 78, whenever the deferral reason
 *     changes ("(reason unavailable)" when a recipient has none after one
 *     that had one); then an empty line;
 *   "-- N Kbytes in M Requests." (sizes summed, divided by 1024), or
 *   "Mail queue is empty".
 * With enable_long_queue_ids the id column is 17 wide instead of 11 and
 * the other columns move accordingly (another header, too).
 */

#include <string.h>
#include <time.h>

#include "attr.h"
#include "mail_proto.h"
#include "mail_queue.h"
#include "msg.h"
#include "postqueue.h"
#include "stringops.h"
#include "sys_exits.h"
#include "vstream.h"
#include "vstring.h"

#define STR(x) vstring_str(x)

#define SHOWQ_REASON_COLUMN 78 /* reasons end here */

/* The column layout of one of the two formats. */
typedef struct SHOWQ_LAYOUT {
    const char *header; /* column titles */
    int id_width;
    int size_width;
    int date_width;
} SHOWQ_LAYOUT;

static const SHOWQ_LAYOUT showq_short = {
    "-Queue ID-  --Size-- ----Arrival Time---- -Sender/Recipient-------",
    11,
    7,
    20,
};
static const SHOWQ_LAYOUT showq_long = {
    "----Queue ID----- --Size-- ---Arrival Time---- --Sender/Recipient------",
    17,
    8,
    19,
};

/* showq_malformed - the daemon sent something else */
static void showq_malformed(void)
{
    msg_fatal_status(EX_SOFTWARE, "malformed showq server response");
}

/* showq_date - arrival time as asctime() shows it, cut to the column */
static const char *showq_date(long when)
{
    static char buf[64];
    time_t t = (time_t)when;
    struct tm *tp = localtime(&t);

    if (tp == 0 || strftime(buf, sizeof(buf), "%a %b %e %H:%M:%S %Y", tp) == 0)
        buf[0] = 0;
    return (buf);
}

/* showq_reason - a reason line, right-aligned at the reason column */
static void showq_reason(const char *why)
{
    int pad = SHOWQ_REASON_COLUMN - 2 - (int)strlen(why);

    vstream_printf("%*s(%s)\n", pad > 0 ? pad : 0, "", why);
}

/* showq_message - one message; returns its size */
static long showq_message(VSTREAM *showq, const SHOWQ_LAYOUT *lp)
{
    static VSTRING *queue, *id, *addr, *why, *prev_why, *label;
    long arrival;
    long size;
    int expire;
    int status;
    int indent = lp->id_width + lp->size_width + lp->date_width + 3;

    if (queue == 0) {
        queue = vstring_alloc(20);
        id = vstring_alloc(20);
        addr = vstring_alloc(100);
        why = vstring_alloc(100);
        prev_why = vstring_alloc(100);
        label = vstring_alloc(20);
    }
    if (attr_scan(showq, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_QUEUE, queue),
                  RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id), RECV_ATTR_LONG(MAIL_ATTR_TIME, &arrival),
                  RECV_ATTR_LONG(MAIL_ATTR_SIZE, &size),
                  RECV_ATTR_INT(MAIL_ATTR_FORCED_EXPIRE, &expire),
                  RECV_ATTR_STR(MAIL_ATTR_SENDER, addr), ATTR_TYPE_END) != 6)
        showq_malformed();
    vstring_strcpy(label, printable(STR(id), '?'));
    if (strcmp(STR(queue), MAIL_QUEUE_ACTIVE) == 0)
        VSTRING_ADDCH(label, '*');
    else if (strcmp(STR(queue), MAIL_QUEUE_HOLD) == 0)
        VSTRING_ADDCH(label, '!');
    if (expire)
        VSTRING_ADDCH(label, '#');
    VSTRING_TERMINATE(label);
    vstream_printf("%-*s %*ld %*.*s %s\n", lp->id_width, STR(label), lp->size_width, size,
                   lp->date_width, lp->date_width, showq_date(arrival), printable(STR(addr), '?'));

    VSTRING_RESET(prev_why);
    VSTRING_TERMINATE(prev_why);
    while ((status = attr_scan_more(showq)) > 0) {
        if (attr_scan(showq, ATTR_FLAG_MORE | ATTR_FLAG_STRICT,
                      RECV_ATTR_STR(MAIL_ATTR_RECIP, addr), RECV_ATTR_STR(MAIL_ATTR_WHY, why),
                      ATTR_TYPE_END) != 2)
            showq_malformed();
        if (strcmp(STR(prev_why), STR(why)) != 0) {
            showq_reason(VSTRING_LEN(why) ? printable(STR(why), '?') : "reason unavailable");
            vstring_strcpy(prev_why, STR(why));
        }
        vstream_printf("%*s%s\n", indent, "", printable(STR(addr), '?'));
    }
    if (status < 0)
        showq_malformed();
    vstream_printf("\n");
    return (size);
}

/* showq_compat - the whole listing */
void showq_compat(VSTREAM *showq, int long_ids)
{
    const SHOWQ_LAYOUT *lp = long_ids ? &showq_long : &showq_short;
    unsigned long total = 0;
    unsigned long count = 0;
    long size;
    int status;

    while ((status = attr_scan_more(showq)) > 0 && vstream_ferror(VSTREAM_OUT) == 0) {
        if (count == 0)
            vstream_printf("%s\n", lp->header);
        size = showq_message(showq, lp);
        if (size > 0)
            total += size;
        count++;
    }
    if (status < 0)
        showq_malformed();
    if (count == 0)
        vstream_printf("Mail queue is empty\n");
    else
        vstream_printf("-- %lu Kbytes in %lu Request%s.\n", total / 1024, count,
                       count == 1 ? "" : "s");
}
