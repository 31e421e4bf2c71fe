#ifndef RESOLVE_LOCAL_H
#define RESOLVE_LOCAL_H

/*
 * resolve_local - is a domain one that this system delivers locally:
 * listed in mydestination, or an address literal of inet_interfaces or
 * proxy_interfaces? 1 = yes, 0 = no, < 0 = a table failed (a DICT_ERR_*
 * value: the caller must defer).
 */

extern void resolve_local_init(void);
extern int resolve_local(const char *domain);

#endif
