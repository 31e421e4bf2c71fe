#ifndef MAILLOG_CLIENT_H
#define MAILLOG_CLIENT_H

/* maillog_client - where a Postfix program's log goes */

extern void maillog_client_init(const char *progname);
extern int maillog_client_facility(const char *name);

/* maillog_file only (syslog is the caller's), under a tag the caller chose. */
extern int maillog_client_file(const char *tag);

#endif
