/*
 * msg_stats - delivery time stamps (see msg_stats.h).
 *
 * Exports msg_stats_init() and the attribute-protocol pair
 * msg_stats_print()/msg_stats_scan(), which carry the struct as the binary
 * "time" attribute. The receiver rejects (-1) data of the wrong size:
 * both ends are the same program build, so a mismatch is a broken peer.
 */

#include <string.h>

#include "mail_proto.h"
#include "msg.h"
#include "msg_stats.h"
#include "vstring.h"

/* msg_stats_init - all time stamps "not reached" */
MSG_STATS *msg_stats_init(MSG_STATS *stats)
{
    memset(stats, 0, sizeof(*stats));
    return (stats);
}

/* msg_stats_print - send the struct as one DATA attribute */
int msg_stats_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr)
{
    return (print_fn(fp, flags | ATTR_FLAG_MORE,
                     SEND_ATTR_DATA(MAIL_ATTR_TIME, (ssize_t)sizeof(MSG_STATS), ptr),
                     ATTR_TYPE_END));
}

/* msg_stats_scan - receive the struct sent by msg_stats_print() */
int msg_stats_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr)
{
    VSTRING *buf = vstring_alloc(sizeof(MSG_STATS) * 2);
    int ret;

    ret = scan_fn(fp, flags | ATTR_FLAG_MORE, RECV_ATTR_DATA(MAIL_ATTR_TIME, buf), ATTR_TYPE_END);
    if (ret == 1) {
        if (VSTRING_LEN(buf) == sizeof(MSG_STATS)) {
            memcpy(ptr, vstring_str(buf), sizeof(MSG_STATS));
        } else {
            msg_warn("msg_stats_scan: size mismatch: %lu != %lu from %s",
                     (unsigned long)VSTRING_LEN(buf), (unsigned long)sizeof(MSG_STATS),
                     vstream_path(fp));
            ret = -1;
        }
    } else {
        ret = -1;
    }
    vstring_free(buf);
    return (ret);
}
