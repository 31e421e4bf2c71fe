#ifndef ATTR_CLNT_H
#define ATTR_CLNT_H

/* attr_clnt - request/reply client for attribute-protocol servers */

#include "attr.h"

typedef struct ATTR_CLNT ATTR_CLNT;

#define ATTR_CLNT_CTL_END 0
#define ATTR_CLNT_CTL_PROTO 1     /* ATTR_PRINT_VSTREAM_FN, ATTR_SCAN_VSTREAM_FN */
#define ATTR_CLNT_CTL_REQ_LIMIT 2 /* int: requests per connection; 0 = no limit */
#define ATTR_CLNT_CTL_TRY_LIMIT 3 /* int: attempts per request (default 2) */
#define ATTR_CLNT_CTL_TRY_DELAY 4 /* int: seconds before retrying a new connection */

extern ATTR_CLNT *attr_clnt_create(const char *service, int timeout, int max_idle, int max_ttl);
extern int attr_clnt_request(ATTR_CLNT *client, int send_flags, ...);
extern void attr_clnt_control(ATTR_CLNT *client, int name, ...);
extern void attr_clnt_free(ATTR_CLNT *client);

#endif
