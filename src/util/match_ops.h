#ifndef MATCH_OPS_H
#define MATCH_OPS_H

/* match_ops - host name and host address patterns of Postfix lists */

#include "vstring.h"

#define MATCH_OPS_NONE 0
#define MATCH_OPS_PARENT 1 /* "example.com" also matches its subdomains */

#define MATCH_OPS_ERROR (-1) /* the pattern is malformed */

extern int match_hostname(const char *pattern, const char *name, int flags);
extern int match_hostaddr(const char *pattern, const char *addr);
extern int match_hostaddr_check(const char *pattern, VSTRING *why);

#endif
