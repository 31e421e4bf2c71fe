/*
 * smtpd_peer - who is the SMTP client: address, port, and a host name
 * that the DNS (or /etc/hosts) vouches for in both directions.
 *
 * Exports smtpd_peer_init(state), smtpd_peer_reset(state) and
 * smtpd_peer_namaddr(state) (rebuild namaddr/rfc_addr after XCLIENT).
 *
 * The reverse name is what a PTR lookup (getnameinfo with NI_NAMEREQD)
 * returns; the client name is that name only when a forward lookup of it
 * yields the client address again, "unknown" otherwise. The outcome of
 * each is recorded as SMTPD_PEER_CODE_* (temporary failures are kept apart
 * from "no name", for reject_unknown_client_hostname's 450 vs 550). A
 * stream that is not an internet socket (smtpd -S on a pipe or terminal)
 * is a local client: localhost[127.0.0.1]. Nothing here fails.
 */

#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd.h"
#include "stringops.h"
#include "valid_hostname.h"

/* peer_sockaddr_text - printable address and port of a socket address */
static int peer_sockaddr_text(struct sockaddr *sa, socklen_t len, char **addr, char **port)
{
    char host[NI_MAXHOST];
    char serv[NI_MAXSERV];
    char *cp;

    if (getnameinfo(sa, len, host, sizeof(host), serv, sizeof(serv),
                    NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return (-1);
    /* An IPv4 client on an IPv6 socket is an IPv4 client. */
    cp = host;
    if (sa->sa_family == AF_INET6 && strncasecmp(cp, "::ffff:", 7) == 0 && strchr(cp + 7, '.'))
        cp += 7;
    /* Drop a scope suffix: it means nothing outside this host. */
    if (strchr(cp, '%'))
        *strchr(cp, '%') = 0;
    *addr = mystrdup(cp);
    *port = mystrdup(serv);
    return (0);
}

/* peer_forward_match - does name resolve back to addr? PEER_CODE_* */
static int peer_forward_match(const char *name, const char *addr)
{
    struct addrinfo hints;
    struct addrinfo *res;
    struct addrinfo *ai;
    char host[NI_MAXHOST];
    const char *cp;
    int err;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    if ((err = getaddrinfo(name, (char *) 0, &hints, &res)) != 0) {
        msg_warn("hostname %s does not resolve to address %s: %s", name, addr, gai_strerror(err));
        return (err == EAI_AGAIN ? SMTPD_PEER_CODE_TEMP : SMTPD_PEER_CODE_FORGED);
    }
    for (ai = res; ai; ai = ai->ai_next) {
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), (char *) 0, 0,
                        NI_NUMERICHOST) != 0)
            continue;
        cp = host;
        if (strncasecmp(cp, "::ffff:", 7) == 0 && strchr(cp + 7, '.'))
            cp += 7;
        if (strcasecmp(cp, addr) == 0) {
            freeaddrinfo(res);
            return (SMTPD_PEER_CODE_OK);
        }
    }
    freeaddrinfo(res);
    msg_warn("hostname %s does not resolve to address %s", name, addr);
    return (SMTPD_PEER_CODE_FORGED);
}

/* peer_lookup_names - reverse name and verified name of state->addr */
static void peer_lookup_names(SMTPD_STATE *state, struct sockaddr *sa, socklen_t len)
{
    char host[NI_MAXHOST];
    int err;

    state->name_status = state->reverse_name_status = SMTPD_PEER_CODE_PERM;
    if (!var_smtpd_peername_lookup)
        return;
    err = getnameinfo(sa, len, host, sizeof(host), (char *) 0, 0, NI_NAMEREQD);
    if (err != 0) {
        if (err == EAI_AGAIN)
            state->name_status = state->reverse_name_status = SMTPD_PEER_CODE_TEMP;
        return;
    }
    /* A PTR record that names an address is a lie about the name. */
    if (valid_hostaddr(host, 0)) {
        msg_warn("numeric hostname: %s", host);
        return;
    }
    if (!valid_hostname(host, 0))
        return;
    state->reverse_name_status = SMTPD_PEER_CODE_OK;
    myfree(state->reverse_name);
    state->reverse_name = mystrdup(host);
    if ((state->name_status = peer_forward_match(host, state->addr)) == SMTPD_PEER_CODE_OK) {
        myfree(state->name);
        state->name = mystrdup(host);
    }
}

/* smtpd_peer_namaddr - name[addr] (with :port when asked), rfc_addr */
void smtpd_peer_namaddr(SMTPD_STATE *state)
{
    if (state->namaddr)
        myfree(state->namaddr);
    if (state->rfc_addr)
        myfree(state->rfc_addr);
    if (var_smtpd_client_port_logging && strcmp(state->port, CLIENT_PORT_UNKNOWN) != 0)
        state->namaddr = concatenate(state->name, "[", state->addr, "]:", state->port, (char *) 0);
    else
        state->namaddr = concatenate(state->name, "[", state->addr, "]", (char *) 0);
    if (state->addr_family == AF_INET6 || strchr(state->addr, ':'))
        state->rfc_addr = concatenate("IPv6:", state->addr, (char *) 0);
    else
        state->rfc_addr = mystrdup(state->addr);
}

/* smtpd_peer_not_inet - a local client on a pipe or UNIX socket */
static void smtpd_peer_not_inet(SMTPD_STATE *state)
{
    state->name = mystrdup("localhost");
    state->reverse_name = mystrdup("localhost");
    state->addr = mystrdup("127.0.0.1");
    state->port = mystrdup("0");
    state->addr_family = AF_UNSPEC;
    state->name_status = state->reverse_name_status = SMTPD_PEER_CODE_OK;
}

/* smtpd_peer_init - look up the client of state->client */
void smtpd_peer_init(SMTPD_STATE *state)
{
    struct sockaddr_storage ss;
    socklen_t len = sizeof(ss);
    int fd = vstream_fileno(state->client);

    if (getpeername(fd, (struct sockaddr *) &ss, &len) < 0
        || (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
        smtpd_peer_not_inet(state);
    } else if (peer_sockaddr_text((struct sockaddr *) &ss, len, &state->addr, &state->port) < 0) {
        msg_warn("cannot convert client address to text");
        smtpd_peer_not_inet(state);
    } else {
        state->addr_family = strchr(state->addr, ':') ? AF_INET6 : AF_INET;
        state->name = mystrdup(CLIENT_NAME_UNKNOWN);
        state->reverse_name = mystrdup(CLIENT_NAME_UNKNOWN);
        peer_lookup_names(state, (struct sockaddr *) &ss, len);
        len = sizeof(ss);
        if (getsockname(fd, (struct sockaddr *) &ss, &len) == 0)
            (void) peer_sockaddr_text((struct sockaddr *) &ss, len, &state->dest_addr,
                                      &state->dest_port);
    }
    smtpd_peer_namaddr(state);
}

/* smtpd_peer_reset - forget the client */
void smtpd_peer_reset(SMTPD_STATE *state)
{
    char **fields[] = {&state->name, &state->reverse_name, &state->addr, &state->port,
                       &state->namaddr, &state->rfc_addr, &state->dest_addr,
                       &state->dest_port, 0};
    int i;

    for (i = 0; fields[i]; i++) {
        if (*fields[i])
            myfree(*fields[i]);
        *fields[i] = 0;
    }
}
