#ifndef MSG_STATS_H
#define MSG_STATS_H

/*
 * msg_stats - the time stamps of one delivery, for the delay= and
 * delays=a/b/c/d fields of the delivery log:
 *   a = incoming_arrival .. active_arrival  (before the active queue)
 *   b = active_arrival .. agent_handoff     (in the queue manager)
 *   c = agent_handoff .. conn_setup_done    (connection set-up)
 *   d = conn_setup_done .. deliver_done     (transmission)
 * and delay = incoming_arrival .. deliver_done. A zero time stamp means
 * "not reached": conn_setup_done 0 means no connection (c = 0), and
 * deliver_done 0 means "now". The struct travels as the binary "time"
 * attribute of the delivery request (same program on both ends).
 */

#include <sys/time.h>

#include "attr.h"
#include "vstream.h"

typedef struct MSG_STATS {
    struct timeval incoming_arrival; /* T record: cleanup received the message */
    struct timeval active_arrival;   /* qmgr moved the file into active */
    struct timeval agent_handoff;    /* qmgr handed the request to the agent */
    struct timeval conn_setup_done;  /* agent: connection set up (0 = none) */
    struct timeval deliver_done;     /* agent: delivery finished (0 = now) */
    int reuse_count;                 /* times the connection was used before */
} MSG_STATS;

extern MSG_STATS *msg_stats_init(MSG_STATS *stats);
#define MSG_STATS_INIT(st) msg_stats_init(st)

/* Send/receive the struct as the DATA attribute "time" (ATTR_TYPE_FUNC). */
extern int msg_stats_print(ATTR_PRINT_COMMON_FN print_fn, VSTREAM *fp, int flags, const void *ptr);
extern int msg_stats_scan(ATTR_SCAN_COMMON_FN scan_fn, VSTREAM *fp, int flags, void *ptr);

#endif
