#ifndef MAIL_FLOW_H
#define MAIL_FLOW_H

/* mail_flow - tokens on the master's flow-control pipe */

#include <sys/types.h>

extern ssize_t mail_flow_get(ssize_t count);
extern ssize_t mail_flow_put(ssize_t count);
extern ssize_t mail_flow_count(void);

#endif
