#ifndef DELIVER_NEXTHOP_H
#define DELIVER_NEXTHOP_H

/* deliver_nexthop - report every recipient with the next-hop text as the reason */

#include "deliver_request.h"

/* sent(), bounce_append(), defer_append(): one recipient's status record. */
typedef int (*DELIVER_NEXTHOP_FN)(int flags, const char *id, MSG_STATS *stats, RECIPIENT *rcpt,
                                  const char *relay, DSN *dsn);

extern int deliver_nexthop_all(DELIVER_REQUEST *rq, const char *def_dsn, DELIVER_NEXTHOP_FN append,
                               int done_flag);

#endif
