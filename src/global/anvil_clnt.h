#ifndef ANVIL_CLNT_H
#define ANVIL_CLNT_H

/*
 * anvil_clnt - talk to the anvil(8) connection and rate limit server.
 *
 * Each event is reported for an identity "service:client_address" and
 * answered with the client's current concurrency and/or rate (events per
 * anvil_rate_time_unit). Every function returns ANVIL_STAT_OK, or
 * ANVIL_STAT_FAIL (with a warning already logged) when anvil could not be
 * reached; callers then go on without limits, as Postfix does.
 */

#define ANVIL_STAT_OK 0
#define ANVIL_STAT_FAIL (-1)

/* The wire protocol: attribute names and requests. */
#define ANVIL_ATTR_REQ "request"
#define ANVIL_ATTR_IDENT "ident"
#define ANVIL_ATTR_STATUS "status"
#define ANVIL_ATTR_COUNT "count"
#define ANVIL_ATTR_RATE "rate"
#define ANVIL_ATTR_MAIL "mail"
#define ANVIL_ATTR_RCPT "rcpt"
#define ANVIL_ATTR_NTLS "newtls"
#define ANVIL_ATTR_AUTH "auth"

#define ANVIL_REQ_CONN "connect"
#define ANVIL_REQ_DISC "disconnect"
#define ANVIL_REQ_MAIL "message"
#define ANVIL_REQ_RCPT "recipient"
#define ANVIL_REQ_NTLS "newtls"
#define ANVIL_REQ_NTLS_STAT "newtls_status"
#define ANVIL_REQ_AUTH "auth"
#define ANVIL_REQ_LOOKUP "lookup"

typedef struct ANVIL_CLNT ANVIL_CLNT;

extern ANVIL_CLNT *anvil_clnt_create(void);
extern void anvil_clnt_free(ANVIL_CLNT *anvil);
extern int anvil_clnt_connect(ANVIL_CLNT *anvil, const char *service, const char *addr, int *count,
                              int *rate);
extern int anvil_clnt_disconnect(ANVIL_CLNT *anvil, const char *service, const char *addr);
extern int anvil_clnt_mail(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate);
extern int anvil_clnt_rcpt(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate);
extern int anvil_clnt_newtls(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate);
extern int anvil_clnt_newtls_stat(ANVIL_CLNT *anvil, const char *service, const char *addr,
                                  int *rate);
extern int anvil_clnt_auth(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate);
extern int anvil_clnt_lookup(ANVIL_CLNT *anvil, const char *service, const char *addr, int *count,
                             int *rate, int *msgs, int *rcpts, int *newtls, int *auths);

#endif
