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
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "mail_params.h"
#include "msg.h"
#include "mymalloc.h"
#include "smtpd_int.h"
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
    if ((err = getaddrinfo(name, (char *)0, &hints, &res)) != 0) {
        msg_warn("hostname %s does not resolve to address %s: %s", name, addr, gai_strerror(err));
        return (err == EAI_AGAIN ? SMTPD_PEER_CODE_TEMP : SMTPD_PEER_CODE_FORGED);
    }
    for (ai = res; ai; ai = ai->ai_next) {
        if (getnameinfo(ai->ai_addr, ai->ai_addrlen, host, sizeof(host), (char *)0, 0,
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
    err = getnameinfo(sa, len, host, sizeof(host), (char *)0, 0, NI_NAMEREQD);
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
        state->namaddr = concatenate(state->name, "[", state->addr, "]:", state->port, (char *)0);
    else
        state->namaddr = concatenate(state->name, "[", state->addr, "]", (char *)0);
    if (state->addr_family == AF_INET6 || strchr(state->addr, ':'))
        state->rfc_addr = concatenate("IPv6:", state->addr, (char *)0);
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

    if (getpeername(fd, (struct sockaddr *)&ss, &len) < 0 ||
        (ss.ss_family != AF_INET && ss.ss_family != AF_INET6)) {
        smtpd_peer_not_inet(state);
    } else if (peer_sockaddr_text((struct sockaddr *)&ss, len, &state->addr, &state->port) < 0) {
        msg_warn("cannot convert client address to text");
        smtpd_peer_not_inet(state);
    } else {
        state->addr_family = strchr(state->addr, ':') ? AF_INET6 : AF_INET;
        state->name = mystrdup(CLIENT_NAME_UNKNOWN);
        state->reverse_name = mystrdup(CLIENT_NAME_UNKNOWN);
        peer_lookup_names(state, (struct sockaddr *)&ss, len);
        len = sizeof(ss);
        if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
            (void)peer_sockaddr_text((struct sockaddr *)&ss, len, &state->dest_addr,
                                     &state->dest_port);
    }
    smtpd_peer_namaddr(state);
}

/* proxy_addr - a haproxy address field as text, or 0 */
static int proxy_addr(const char *text, int family, struct sockaddr_storage *ss, socklen_t *len)
{
    memset(ss, 0, sizeof(*ss));
    if (family == AF_INET) {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;

        sin->sin_family = AF_INET;
        *len = sizeof(*sin);
        return (inet_pton(AF_INET, text, &sin->sin_addr) == 1);
    } else {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

        sin6->sin6_family = AF_INET6;
        *len = sizeof(*sin6);
        return (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1);
    }
}

/* proxy_port - a haproxy port field */
static int proxy_port(const char *text)
{
    return (*text && strlen(text) <= 5 && strspn(text, "0123456789") == strlen(text) &&
            atoi(text) <= 65535);
}

/*
 * smtpd_peer_from_proxy - the client as an haproxy (version 1, text form)
 * "PROXY TCP4|TCP6 client server cport sport" line says, read before the
 * greeting. Returns 0, or -1 (with a warning) when the line is missing or
 * malformed: the caller then drops the connection, as Postfix does.
 */
int smtpd_peer_from_proxy(SMTPD_STATE *state)
{
    VSTRING *line = vstring_alloc(110);
    char *field[6];
    char *cp;
    int n;
    int family;
    struct sockaddr_storage ss;
    socklen_t len;
    int ch;
    int ret = -1;

    vstream_set_timeout(state->client, var_smtpd_upstream_proxy_timeout);
    while ((ch = vstream_getc(state->client)) != VSTREAM_EOF && ch != '\n' &&
           VSTRING_LEN(line) < 108)
        VSTRING_ADDCH(line, ch);
    VSTRING_TERMINATE(line);
    if (VSTRING_LEN(line) > 0 && vstring_end(line)[-1] == '\r')
        vstring_truncate(line, VSTRING_LEN(line) - 1);
    cp = vstring_str(line);
    for (n = 0; n < 6 && (field[n] = mystrtok(&cp, " ")) != 0; n++)
        /* void */;
    if (ch != '\n') {
        msg_warn("haproxy read: %s from %s",
                 vstream_ftimeout(state->client) ? "timeout" : "lost connection or bad request",
                 state->namaddr);
    } else if (n < 2 || strcmp(field[0], "PROXY") != 0) {
        msg_warn("haproxy read: bad or unsupported protocol header from %s", state->namaddr);
    } else if (strcmp(field[1], "UNKNOWN") == 0) {
        ret = 0; /* health check: keep the real peer */
    } else if (n != 6 || (strcmp(field[1], "TCP4") && strcmp(field[1], "TCP6"))) {
        msg_warn("haproxy read: bad or unsupported protocol header from %s", state->namaddr);
    } else {
        family = field[1][3] == '4' ? AF_INET : AF_INET6;
        if (!proxy_addr(field[2], family, &ss, &len))
            msg_warn("bad %s client address syntax from proxy: %s",
                     family == AF_INET ? "IPv4" : "IPv6", field[2]);
        else if (!proxy_addr(field[3], family, &ss, &len))
            msg_warn("bad %s server address syntax from proxy: %s",
                     family == AF_INET ? "IPv4" : "IPv6", field[3]);
        else if (!proxy_port(field[4]))
            msg_warn("bad TCP client port number syntax from proxy: %s", field[4]);
        else if (!proxy_port(field[5]))
            msg_warn("bad TCP server port number syntax from proxy: %s", field[5]);
        else {
            (void)proxy_addr(field[2], family, &ss, &len);
            smtpd_peer_reset(state);
            state->addr = mystrdup(field[2]);
            state->port = mystrdup(field[4]);
            state->dest_addr = mystrdup(field[3]);
            state->dest_port = mystrdup(field[5]);
            state->addr_family = family;
            state->name = mystrdup(CLIENT_NAME_UNKNOWN);
            state->reverse_name = mystrdup(CLIENT_NAME_UNKNOWN);
            peer_lookup_names(state, (struct sockaddr *)&ss, len);
            smtpd_peer_namaddr(state);
            ret = 0;
        }
    }
    vstring_free(line);
    return (ret);
}

/* smtpd_peer_reset - forget the client */
void smtpd_peer_reset(SMTPD_STATE *state)
{
    char **fields[] = {&state->name,      &state->reverse_name, &state->addr,
                       &state->port,      &state->namaddr,      &state->rfc_addr,
                       &state->dest_addr, &state->dest_port,    0};
    int i;

    for (i = 0; fields[i]; i++) {
        if (*fields[i])
            myfree(*fields[i]);
        *fields[i] = 0;
    }
}
