/*
 * showq_json - the queue listing as JSON ("postqueue -j").
 *
 * Exports showq_json() and showq_json_quote(). One object per message on
 * a line of its own, members in this order: queue_name, queue_id,
 * arrival_time (seconds since the epoch), message_size, forced_expire
 * (true/false), sender, recipients (array of {address, delay_reason},
 * delay_reason only when there is one). Strings are JSON-escaped; bytes
 * that are not printable ASCII become '?' so that the output is always
 * valid, whatever the queue holds.
 */

#include <string.h>

#include "attr.h"
#include "mail_proto.h"
#include "msg.h"
#include "postqueue.h"
#include "stringops.h"
#include "sys_exits.h"
#include "vstream.h"
#include "vstring.h"

#define STR(x) vstring_str(x)

/* showq_json_quote - escape for the inside of a JSON string */
const char *showq_json_quote(VSTRING *buf, const char *value)
{
    const unsigned char *cp;
    int ch;

    VSTRING_RESET(buf);
    for (cp = (const unsigned char *)value; (ch = *cp) != 0; cp++) {
        switch (ch) {
        case '"':
        case '\\':
            VSTRING_ADDCH(buf, '\\');
            VSTRING_ADDCH(buf, ch);
            break;
        case '\b':
            vstring_strcat(buf, "\\b");
            break;
        case '\f':
            vstring_strcat(buf, "\\f");
            break;
        case '\n':
            vstring_strcat(buf, "\\n");
            break;
        case '\r':
            vstring_strcat(buf, "\\r");
            break;
        case '\t':
            vstring_strcat(buf, "\\t");
            break;
        default:
            if (ch < 0x20 || ch == 0x7f)
                vstring_sprintf_append(buf, "\\u%04X", ch);
            else if (ch >= 0x80)
                VSTRING_ADDCH(buf, '?');
            else
                VSTRING_ADDCH(buf, ch);
            break;
        }
    }
    VSTRING_TERMINATE(buf);
    return (STR(buf));
}

/* showq_json_malformed - the daemon sent something else */
static void showq_json_malformed(void)
{
    msg_fatal_status(EX_SOFTWARE, "malformed showq server response");
}

/* showq_json_message - one message as one line */
static void showq_json_message(VSTREAM *showq)
{
    static VSTRING *queue, *id, *addr, *why, *quoted;
    long arrival;
    long size;
    int expire;
    int status;
    int count;

    if (queue == 0) {
        queue = vstring_alloc(20);
        id = vstring_alloc(20);
        addr = vstring_alloc(100);
        why = vstring_alloc(100);
        quoted = vstring_alloc(100);
    }
    if (attr_scan(showq, ATTR_FLAG_MORE | ATTR_FLAG_STRICT, RECV_ATTR_STR(MAIL_ATTR_QUEUE, queue),
                  RECV_ATTR_STR(MAIL_ATTR_QUEUEID, id), RECV_ATTR_LONG(MAIL_ATTR_TIME, &arrival),
                  RECV_ATTR_LONG(MAIL_ATTR_SIZE, &size),
                  RECV_ATTR_INT(MAIL_ATTR_FORCED_EXPIRE, &expire),
                  RECV_ATTR_STR(MAIL_ATTR_SENDER, addr), ATTR_TYPE_END) != 6)
        showq_json_malformed();
    vstream_printf("{\"queue_name\": \"%s\", ", showq_json_quote(quoted, STR(queue)));
    vstream_printf("\"queue_id\": \"%s\", ", showq_json_quote(quoted, STR(id)));
    vstream_printf("\"arrival_time\": %ld, \"message_size\": %ld, \"forced_expire\": %s, ", arrival,
                   size, expire ? "true" : "false");
    vstream_printf("\"sender\": \"%s\", \"recipients\": [", showq_json_quote(quoted, STR(addr)));
    for (count = 0; (status = attr_scan_more(showq)) > 0; count++) {
        if (attr_scan(showq, ATTR_FLAG_MORE | ATTR_FLAG_STRICT,
                      RECV_ATTR_STR(MAIL_ATTR_RECIP, addr), RECV_ATTR_STR(MAIL_ATTR_WHY, why),
                      ATTR_TYPE_END) != 2)
            showq_json_malformed();
        vstream_printf("%s{\"address\": \"%s\"", count ? ", " : "",
                       showq_json_quote(quoted, STR(addr)));
        if (VSTRING_LEN(why) > 0)
            vstream_printf(", \"delay_reason\": \"%s\"", showq_json_quote(quoted, STR(why)));
        vstream_printf("}");
    }
    if (status < 0)
        showq_json_malformed();
    vstream_printf("]}\n");
}

/* showq_json - the whole listing */
void showq_json(VSTREAM *showq)
{
    int status;

    while ((status = attr_scan_more(showq)) > 0 && vstream_ferror(VSTREAM_OUT) == 0)
        showq_json_message(showq);
    if (status < 0)
        showq_json_malformed();
}
