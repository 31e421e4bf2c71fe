/*
 * anvil_clnt - the client side of the anvil(8) protocol (see anvil_clnt.h).
 *
 * One request is one attribute list (request=, ident=) in the default
 * attr0 encoding; the reply is status= followed by the counters the request
 * asks for. The connection to private/anvil is kept between requests by
 * attr_clnt, which also retries once on a fresh connection. Failures are
 * warned about and returned as ANVIL_STAT_FAIL, never fatal.
 */

#include <string.h>

#include "anvil_clnt.h"
#include "attr.h"
#include "attr_clnt.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "mymalloc.h"
#include "stringops.h"
#include "vstring.h"

struct ANVIL_CLNT {
    ATTR_CLNT *clnt;
    VSTRING *ident;
};

/* anvil_clnt_create - a client for private/anvil, connected on first use */
ANVIL_CLNT *anvil_clnt_create(void)
{
    ANVIL_CLNT *anvil = (ANVIL_CLNT *)mymalloc(sizeof(*anvil));
    char *service;

    service = concatenate("local:" MAIL_CLASS_PRIVATE "/", MAIL_SERVICE_ANVIL, (char *)0);
    anvil->clnt = attr_clnt_create(service, var_ipc_timeout, var_ipc_idle, var_ipc_ttl);
    attr_clnt_control(anvil->clnt, ATTR_CLNT_CTL_PROTO, attr_vprint0, attr_vscan0,
                      ATTR_CLNT_CTL_END);
    anvil->ident = vstring_alloc(100);
    myfree(service);
    return (anvil);
}

/* anvil_clnt_free - close and release */
void anvil_clnt_free(ANVIL_CLNT *anvil)
{
    attr_clnt_free(anvil->clnt);
    vstring_free(anvil->ident);
    myfree(anvil);
}

/* anvil_ident - "service:addr" */
static const char *anvil_ident(ANVIL_CLNT *anvil, const char *service, const char *addr)
{
    vstring_sprintf(anvil->ident, "%s:%s", service, addr);
    return (vstring_str(anvil->ident));
}

/* anvil_clnt_rate - a request whose reply is status and rate */
static int anvil_clnt_rate(ANVIL_CLNT *anvil, const char *req, const char *service,
                           const char *addr, int *rate)
{
    int status;

    if (attr_clnt_request(anvil->clnt, ATTR_FLAG_NONE, SEND_ATTR_STR(ANVIL_ATTR_REQ, req),
                          SEND_ATTR_STR(ANVIL_ATTR_IDENT, anvil_ident(anvil, service, addr)),
                          ATTR_TYPE_END, ATTR_FLAG_MISSING,
                          RECV_ATTR_INT(ANVIL_ATTR_STATUS, &status),
                          RECV_ATTR_INT(ANVIL_ATTR_RATE, rate), ATTR_TYPE_END) != 2 ||
        status != ANVIL_STAT_OK)
        return (ANVIL_STAT_FAIL);
    return (ANVIL_STAT_OK);
}

/* anvil_clnt_connect - one more connection: count and rate */
int anvil_clnt_connect(ANVIL_CLNT *anvil, const char *service, const char *addr, int *count,
                       int *rate)
{
    int status;

    if (attr_clnt_request(
            anvil->clnt, ATTR_FLAG_NONE, SEND_ATTR_STR(ANVIL_ATTR_REQ, ANVIL_REQ_CONN),
            SEND_ATTR_STR(ANVIL_ATTR_IDENT, anvil_ident(anvil, service, addr)), ATTR_TYPE_END,
            ATTR_FLAG_MISSING, RECV_ATTR_INT(ANVIL_ATTR_STATUS, &status),
            RECV_ATTR_INT(ANVIL_ATTR_COUNT, count), RECV_ATTR_INT(ANVIL_ATTR_RATE, rate),
            ATTR_TYPE_END) != 3 ||
        status != ANVIL_STAT_OK)
        return (ANVIL_STAT_FAIL);
    return (ANVIL_STAT_OK);
}

/* anvil_clnt_disconnect - one connection fewer */
int anvil_clnt_disconnect(ANVIL_CLNT *anvil, const char *service, const char *addr)
{
    int status;

    if (attr_clnt_request(
            anvil->clnt, ATTR_FLAG_NONE, SEND_ATTR_STR(ANVIL_ATTR_REQ, ANVIL_REQ_DISC),
            SEND_ATTR_STR(ANVIL_ATTR_IDENT, anvil_ident(anvil, service, addr)), ATTR_TYPE_END,
            ATTR_FLAG_MISSING, RECV_ATTR_INT(ANVIL_ATTR_STATUS, &status), ATTR_TYPE_END) != 1 ||
        status != ANVIL_STAT_OK)
        return (ANVIL_STAT_FAIL);
    return (ANVIL_STAT_OK);
}

/* anvil_clnt_mail - one more MAIL FROM */
int anvil_clnt_mail(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate)
{
    return (anvil_clnt_rate(anvil, ANVIL_REQ_MAIL, service, addr, rate));
}

/* anvil_clnt_rcpt - one more RCPT TO */
int anvil_clnt_rcpt(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate)
{
    return (anvil_clnt_rate(anvil, ANVIL_REQ_RCPT, service, addr, rate));
}

/* anvil_clnt_newtls - one more new TLS session */
int anvil_clnt_newtls(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate)
{
    return (anvil_clnt_rate(anvil, ANVIL_REQ_NTLS, service, addr, rate));
}

/* anvil_clnt_newtls_stat - the new TLS session rate, without counting */
int anvil_clnt_newtls_stat(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate)
{
    return (anvil_clnt_rate(anvil, ANVIL_REQ_NTLS_STAT, service, addr, rate));
}

/* anvil_clnt_auth - one more AUTH command */
int anvil_clnt_auth(ANVIL_CLNT *anvil, const char *service, const char *addr, int *rate)
{
    return (anvil_clnt_rate(anvil, ANVIL_REQ_AUTH, service, addr, rate));
}

/* anvil_clnt_lookup - every counter, changing none */
int anvil_clnt_lookup(ANVIL_CLNT *anvil, const char *service, const char *addr, int *count,
                      int *rate, int *msgs, int *rcpts, int *newtls, int *auths)
{
    int status;

    if (attr_clnt_request(
            anvil->clnt, ATTR_FLAG_NONE, SEND_ATTR_STR(ANVIL_ATTR_REQ, ANVIL_REQ_LOOKUP),
            SEND_ATTR_STR(ANVIL_ATTR_IDENT, anvil_ident(anvil, service, addr)), ATTR_TYPE_END,
            ATTR_FLAG_MISSING, RECV_ATTR_INT(ANVIL_ATTR_STATUS, &status),
            RECV_ATTR_INT(ANVIL_ATTR_COUNT, count), RECV_ATTR_INT(ANVIL_ATTR_RATE, rate),
            RECV_ATTR_INT(ANVIL_ATTR_MAIL, msgs), RECV_ATTR_INT(ANVIL_ATTR_RCPT, rcpts),
            RECV_ATTR_INT(ANVIL_ATTR_NTLS, newtls), RECV_ATTR_INT(ANVIL_ATTR_AUTH, auths),
            ATTR_TYPE_END) != 7 ||
        status != ANVIL_STAT_OK)
        return (ANVIL_STAT_FAIL);
    return (ANVIL_STAT_OK);
}
