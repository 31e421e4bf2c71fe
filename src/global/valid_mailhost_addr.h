#ifndef VALID_MAILHOST_ADDR_H
#define VALID_MAILHOST_ADDR_H

/*
 * valid_mailhost_addr - numeric addresses as they appear in mail: "1.2.3.4"
 * or "IPv6:..." inside address literals ("[1.2.3.4]", "[IPv6:::1]").
 */

#define IPV6_COL "IPv6:"
#define IPV6_COL_LEN (sizeof(IPV6_COL) - 1)

extern const char *valid_mailhost_addr(const char *addr, int gripe);
extern int valid_mailhost_literal(const char *addr, int gripe);

#endif
