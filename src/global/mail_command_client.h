#ifndef MAIL_COMMAND_CLIENT_H
#define MAIL_COMMAND_CLIENT_H

/*
 * mail_command_client - one request to a local service over the attribute
 * protocol: connect, check the server's protocol announcement, send one
 * list, read "status=<int>" back, hang up.
 */

/*
 * Returns the server's status, or -1 when the service could not be
 * reached or the exchange failed (logged). The arguments after proto are
 * SEND_ATTR_* items ending with ATTR_TYPE_END.
 */
extern int mail_command_client(const char *class, const char *name, const char *proto, ...);

#endif
