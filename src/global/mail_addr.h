#ifndef MAIL_ADDR_H
#define MAIL_ADDR_H

/*
 * mail_addr - fixed mail addresses and splitting addresses into parts.
 *
 * mail_addr_split() splits at the last '@' outside double quotes; it copes
 * with external ("\"a@b\"@c") and, as far as possible, internal form.
 * split_addr() cuts an address extension off a local part, strip_addr()
 * off a whole address, both honouring recipient_delimiter rules (a set of
 * delimiter characters, names that are never split). Names that come
 * from main.cf (double_bounce_sender) are arguments; null means the
 * default.
 */

#include "vstring.h"

#define MAIL_ADDR_POSTMASTER "postmaster"
#define MAIL_ADDR_MAIL_DAEMON "MAILER-DAEMON"

extern const char *mail_addr_split(const char *addr, VSTRING *local, VSTRING *domain);
extern char *split_addr(char *localpart, const char *delimiters, const char *double_bounce,
                        int *delimp);
extern char *strip_addr(const char *full, char **extension, const char *delimiters,
                        const char *double_bounce);

/* The double-bounce address: $double_bounce_sender@$myhostname (static). */
extern const char *mail_addr_double_bounce(void);

#endif
