#ifndef VALID_HOSTNAME_H
#define VALID_HOSTNAME_H

/* valid_hostname - syntax checks for host names and numeric addresses */

#define VALID_HOSTNAME_LEN 255 /* whole name */
#define VALID_LABEL_LEN 63     /* one label */

#define DONT_GRIPE 0
#define DO_GRIPE 1    /* log a warning that says what is wrong */
#define DO_WILDCARD 2 /* allow "*" as the first label */

extern int valid_hostname(const char *name, int flags);
extern int valid_hostaddr(const char *addr, int flags);
extern int valid_ipv4_hostaddr(const char *addr, int flags);
extern int valid_ipv6_hostaddr(const char *addr, int flags);

#endif
