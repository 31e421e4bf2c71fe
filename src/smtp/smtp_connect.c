/*
 * smtp_connect - deliver one request: from the next hop to server
 * addresses, to sessions, to per-recipient results.
 *
 * The destinations are the request's next hop followed by
 * smtp_fallback_relay (lmtp_fallback_relay for TCP destinations of LMTP). A
 * destination is "domain", "domain:port", "[host]" or "[host]:port" ([] or
 * disable_dns_lookups: no MX lookup); LMTP also takes "inet:host:port" and
 * "unix:/path". For each address in turn (at most smtp_mx_address_limit of
 * them, and at most smtp_mx_session_limit sessions that got past the
 * handshake) the client takes a cached connection or connects anew, logs
 * "connect to host[addr]:port: reason" when that fails, and runs a
 * transaction for the recipients still to do. Soft failures on a server
 * that is not the last to try leave recipients for the next one; whatever
 * is left at the end is deferred or bounced with the last reason
 * (relay=none when no session remains).
 *
 * Mail that would bounce because the best MX is this host goes to
 * best_mx_transport when that is set.
 *
 * Good sessions go back to the connection cache (scache) when caching is
 * on for the destination: smtp_connection_cache_destinations, or on demand
 * when the queue manager asks for it.
 *
 * Exports smtp_connect(); returns the request status (0 or DEL_STAT_DEFER).
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "argv.h"
#include "connect.h"
#include "deliver_pass.h"
#include "host_port.h"
#include "iostuff.h"
#include "mail_params.h"
#include "mail_proto.h"
#include "match_list.h"
#include "msg.h"
#include "myaddrinfo.h"
#include "mymalloc.h"
#include "smtp.h"
#include "stringops.h"

#define SMTP_PORT 25

/* smtp_service_port - a port number or service name as a port, 0 if unknown */
static unsigned smtp_service_port(const char *service)
{
    struct servent *sp;
    char *saved, *bp, *item, *name, *value;
    unsigned port = 0;

    if (alldig(service))
        return ((unsigned)atoi(service));
    /* known_tcp_ports: "lmtp=24, smtp=25, smtps=submissions=465, ..." */
    saved = bp = mystrdup(var_known_tcp_ports);
    while (port == 0 && (item = mystrtok(&bp, ", \t\r\n")) != 0) {
        if ((value = strrchr(item, '=')) == 0)
            continue;
        *value++ = 0;
        while ((name = mystrtok(&item, "=")) != 0)
            if (strcasecmp(name, service) == 0 && alldig(value))
                port = atoi(value);
    }
    myfree(saved);
    if (port == 0 && (sp = getservbyname(service, "tcp")) != 0)
        port = ntohs(sp->s_port);
    return (port);
}

/* smtp_rr_addr - printable address and socket address of an A/AAAA record */
static socklen_t smtp_rr_sockaddr(const DNS_RR *rr, unsigned port, struct sockaddr_storage *ss,
                                  VSTRING *addr_buf)
{
    memset(ss, 0, sizeof(*ss));
    dns_rr_to_addr(rr, addr_buf);
    if (rr->type == DNS_T_AAAA) {
        struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

        sin6->sin6_family = AF_INET6;
        sin6->sin6_port = htons(port);
        memcpy(&sin6->sin6_addr, rr->data, 16);
        return (sizeof(*sin6));
    } else {
        struct sockaddr_in *sin = (struct sockaddr_in *)ss;

        sin->sin_family = AF_INET;
        sin->sin_port = htons(port);
        memcpy(&sin->sin_addr, rr->data, 4);
        return (sizeof(*sin));
    }
}

/* smtp_is_loopback - 127.0.0.0/8 or ::1 */
static int smtp_is_loopback(const struct sockaddr *sa)
{
    if (sa->sa_family == AF_INET)
        return ((ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127);
    if (sa->sa_family == AF_INET6)
        return (IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr));
    return (0);
}

/*
 * smtp_virtual_host_addr - when inet_interfaces names exactly one address
 * (of an enabled protocol, not loopback) and there are no proxy
 * interfaces, mail goes out from that address, so that a virtual host's
 * mail comes from the right machine. Null otherwise.
 */
static const struct sockaddr_storage *smtp_virtual_host_addr(socklen_t *len)
{
    static struct sockaddr_storage addr;
    static socklen_t addr_len;
    static int done;
    struct addrinfo *res0, *res;
    ARGV *names;
    int count = 0;
    int i;

    if (!done) {
        done = 1;
        if (*var_proxy_interfaces || strcasecmp(var_inet_interfaces, "all") == 0 ||
            strcasecmp(var_inet_interfaces, "loopback-only") == 0)
            return (0);
        names = argv_split(var_inet_interfaces, ", \t\r\n");
        for (i = 0; i < names->argc; i++) {
            if (hostname_to_sockaddr(names->argv[i], 0, SOCK_STREAM, &res0) != 0)
                continue;
            for (res = res0; res; res = res->ai_next) {
                if (!smtp_family_enabled(res->ai_family) || count++ > 0)
                    continue;
                memcpy(&addr, res->ai_addr, res->ai_addrlen);
                addr_len = res->ai_addrlen;
            }
            freeaddrinfo(res0);
        }
        argv_free(names);
        if (count != 1 || smtp_is_loopback((struct sockaddr *)&addr))
            addr_len = 0;
    }
    *len = addr_len;
    return (addr_len ? &addr : 0);
}

/* smtp_bind - bind to smtp_bind_address(6), or to the virtual host's address */
static void smtp_bind(int sock, int family)
{
    const char *name = (family == AF_INET6) ? "smtp_bind_address6" : "smtp_bind_address";
    const char *addr = (family == AF_INET6) ? smtp_cfg.bind_address6 : smtp_cfg.bind_address;
    const struct sockaddr_storage *own;
    struct addrinfo *res;
    VSTRING *text;
    socklen_t len;
    int err;

    if (*addr) {
        if ((err = hostaddr_to_sockaddr(addr, 0, SOCK_STREAM, &res)) != 0)
            msg_fatal("smtp_connect_addr: bad %s parameter: %s: %s", smtp_param_name(name), addr,
                      myaddrinfo_strerror(err));
        if (bind(sock, res->ai_addr, res->ai_addrlen) < 0)
            msg_warn("smtp_connect_addr: bind %s: %m", addr);
        freeaddrinfo(res);
    } else if ((own = smtp_virtual_host_addr(&len)) != 0 && own->ss_family == family) {
        if (bind(sock, (const struct sockaddr *)own, len) < 0) {
            err = errno;
            text = vstring_alloc(50);
            (void)sockaddr_to_hostaddr((const struct sockaddr *)own, len, text, 0);
            errno = err;
            msg_warn("smtp_connect_addr: bind %s: %m", vstring_str(text));
            vstring_free(text);
        }
    }
}

/* smtp_connect_addr - a new TCP connection to one address */
static SMTP_SESSION *smtp_connect_addr(SMTP_STATE *state, const DNS_RR *rr, unsigned port)
{
    struct sockaddr_storage ss;
    socklen_t len;
    VSTRING *addr = vstring_alloc(50);
    SMTP_SESSION *session;
    int sock;

    len = smtp_rr_sockaddr(rr, port, &ss, addr);
    if ((sock = socket(ss.ss_family, SOCK_STREAM, 0)) < 0)
        msg_fatal("socket: %m");
    smtp_bind(sock, ss.ss_family);
    if (timed_connect(sock, (struct sockaddr *)&ss, len, smtp_cfg.connect_timeout) < 0) {
        if (errno == 0)
            errno = ETIMEDOUT;
        dsb_simple(state->why, "4.4.1", "connect to %s[%s]:%u: %m", rr->qname, vstring_str(addr),
                   port);
        close(sock);
        vstring_free(addr);
        return (0);
    }
    non_blocking(sock, BLOCKING);
    close_on_exec(sock, CLOSE_ON_EXEC);
    session = smtp_session_alloc(vstream_fdopen(sock, O_RDWR), rr->qname, vstring_str(addr), port,
                                 0, time(0) + smtp_cfg.reuse_time_limit);
    vstring_free(addr);
    return (session);
}

/* smtp_connect_unix - a new connection to a unix-domain server */
static SMTP_SESSION *smtp_connect_unix(SMTP_STATE *state, const char *path)
{
    int sock;

    if ((sock = unix_connect(path, BLOCKING, smtp_cfg.connect_timeout)) < 0) {
        dsb_simple(state->why, "4.4.1", "connect to %s[%s]: %m", var_myhostname, path);
        return (0);
    }
    close_on_exec(sock, CLOSE_ON_EXEC);
    return (smtp_session_alloc(vstream_fdopen(sock, O_RDWR), var_myhostname, path, 0, 0,
                               time(0) + smtp_cfg.reuse_time_limit));
}

/* smtp_cache_policy - may this delivery use or fill the connection cache */
static void smtp_cache_policy(SMTP_STATE *state, const char *domain)
{
    static MATCH_LIST *cache_dest;
    static int cache_dest_init;

    state->cache_load = state->cache_store = 0;
    if (!cache_dest_init) {
        cache_dest_init = 1;
        if (*smtp_cfg.cache_destinations)
            cache_dest = string_list_init(smtp_param_name("smtp_connection_cache_destinations"),
                                          MATCH_FLAG_RETURN, smtp_cfg.cache_destinations);
    }
    if (cache_dest && string_list_match(cache_dest, domain)) {
        state->cache_load = state->cache_store = 1;
    } else if (smtp_cfg.cache_on_demand) {
        state->cache_load = (state->request->flags & DEL_REQ_FLAG_CONN_LOAD) != 0;
        state->cache_store = (state->request->flags & DEL_REQ_FLAG_CONN_STORE) != 0;
    }
}

/* smtp_session_done - after a session: cache it or close it; unmark recipients */
static void smtp_session_done(SMTP_STATE *state)
{
    SMTP_SESSION *session = state->session;
    DELIVER_REQUEST *request = state->request;
    int n;

    if (session) {
        if (!session->bad && state->cache_store && state->rcpt_left == 0 &&
            (smtp_cfg.reuse_count_limit == 0 ||
             session->reuse_count <= smtp_cfg.reuse_count_limit) &&
            time(0) < session->expire_time && smtp_save_session(state, session) == 0) {
            /* The cache has its own copy of the descriptor. */
        } else if (session->bad != 2) {
            smtp_quit(state);
        }
        smtp_chat_notify(state);
        smtp_session_free(session);
        state->session = 0;
    }
    for (n = 0; n < request->rcpt_list.len; n++)
        if (request->rcpt_list.info[n].u.status == SMTP_RCPT_KEEP)
            request->rcpt_list.info[n].u.status = SMTP_RCPT_TODO;
    /* Time spent with an earlier server counts as set-up for the next. */
    memset(&request->msg_stats.conn_setup_done, 0, sizeof(request->msg_stats.conn_setup_done));
    memset(&request->msg_stats.deliver_done, 0, sizeof(request->msg_stats.deliver_done));
    request->msg_stats.reuse_count = 0;
}

/*
 * smtp_session_run - handshake (new sessions) and transaction. Returns 1
 * when the session counts towards smtp_mx_session_limit.
 */
static int smtp_session_run(SMTP_STATE *state, SMTP_SESSION *session, int final_if_counted)
{
    int counted = 0;

    state->session = session;
    state->request->msg_stats.reuse_count = session->reuse_count;
    if ((session->features & SMTP_FEATURE_FROM_CACHE) || smtp_helo(state) == 0) {
        counted = 1;
        if (final_if_counted)
            state->final_server = 1;
        gettimeofday(&state->request->msg_stats.conn_setup_done, 0);
        (void)smtp_xfer(state);
    }
    smtp_session_done(state);
    return (counted);
}

/* smtp_connect_local - LMTP over a unix-domain socket */
static void smtp_connect_local(SMTP_STATE *state, const char *path)
{
    SMTP_SESSION *session = 0;
    VSTRING *label = vstring_alloc(100);

    smtp_cache_policy(state, path);
    smtp_endp_label(label, path, 0);
    if (state->cache_load)
        session = smtp_reuse_endp(state, vstring_str(label));
    if (session == 0)
        session = smtp_connect_unix(state, path);
    vstring_free(label);
    state->final_server = 1; /* there is no other server */
    if (session)
        (void)smtp_session_run(state, session, 1);
    else
        msg_info("%s", vstring_str(state->why->reason));
}

/* smtp_parse_dest - "[host]:port" etc.; returns 0 on success */
static int smtp_parse_dest(const char *dest, const char *def_service, VSTRING *host_buf,
                           unsigned *port, int *lookup_mx)
{
    char *copy = mystrdup(dest);
    char *host, *service;
    const char *err;

    *lookup_mx = (*dest != '[' && !smtp_cfg.lmtp && !var_disable_dns_lookups);
    if ((err = host_port(copy, &host, "", &service, (char *)def_service)) != 0 || *host == 0) {
        msg_warn("bad destination: \"%s\"%s%s", dest, err ? ": " : "", err ? err : "");
        myfree(copy);
        return (-1);
    }
    if (*host == '[') { /* host_port keeps brackets in some forms */
        host++;
        host[strcspn(host, "]")] = 0;
    }
    vstring_strcpy(host_buf, host);
    if ((*port = smtp_service_port(service)) == 0) {
        msg_warn("unknown service: %s/tcp", service);
        myfree(copy);
        return (-1);
    }
    myfree(copy);
    return (0);
}

/* smtp_connect_dest - one destination: addresses, sessions */
static void smtp_connect_dest(SMTP_STATE *state, const char *dest, const char *def_service,
                              int final_nexthop, int *stop)
{
    VSTRING *domain = vstring_alloc(100);
    VSTRING *label = vstring_alloc(100);
    VSTRING *addr_text = vstring_alloc(50);
    DNS_RR *addr_list, *rr;
    SMTP_SESSION *session;
    unsigned port;
    int lookup_mx, i_am_mx = 0;
    int addr_count = 0, sess_count = 0;
    int last;

    if (smtp_parse_dest(dest, def_service, domain, &port, &lookup_mx) < 0) {
        dsb_simple(state->why, "4.3.5", "bad next-hop destination: \"%s\"", dest);
        vstring_free(domain);
        vstring_free(label);
        vstring_free(addr_text);
        return;
    }
    state->loop_detect = (!smtp_cfg.lmtp && port == SMTP_PORT);
    if (lookup_mx) {
        addr_list = smtp_domain_addr(vstring_str(domain), state->loop_detect, state->why, &i_am_mx);
        if (i_am_mx) /* we are a backup MX: never hand to a fallback relay */
            final_nexthop = *stop = 1;
    } else {
        addr_list = smtp_host_addr(vstring_str(domain), state->loop_detect, state->why);
    }
    /* Mail that loops must not go to a fallback relay either. */
    if (addr_list == 0 && strcmp(vstring_str(state->why->status), "5.4.6") == 0)
        final_nexthop = *stop = 1;

    if (addr_list && state->dest_label == 0) {
        smtp_cache_policy(state, vstring_str(domain));
        vstring_sprintf(label, "%s:%s%s%s:%u", smtp_cfg.lmtp ? "lmtp" : "smtp",
                        lookup_mx ? "" : "[", vstring_str(domain), lookup_mx ? "" : "]", port);
        state->dest_label = mystrdup(vstring_str(label));
        if (state->cache_load && (session = smtp_reuse_dest(state, state->dest_label)) != 0) {
            addr_count = sess_count = 1;
            last =
                final_nexthop && (addr_list->next == 0 || sess_count == smtp_cfg.mx_session_limit);
            (void)smtp_session_run(state, session, last);
        }
    }
    for (rr = addr_list; rr && state->rcpt_left > 0; rr = rr->next) {
        if (smtp_cfg.mx_address_limit > 0 && addr_count >= smtp_cfg.mx_address_limit)
            break;
        if (smtp_cfg.mx_session_limit > 0 && sess_count >= smtp_cfg.mx_session_limit)
            break;
        addr_count++;
        last = (rr->next == 0 || addr_count == smtp_cfg.mx_address_limit);
        state->final_server = final_nexthop && last;
        dns_rr_to_addr(rr, addr_text);
        smtp_endp_label(label, vstring_str(addr_text), port);
        session = 0;
        if (state->cache_load && !htable_locate(state->cache_used, vstring_str(label)))
            session = smtp_reuse_endp(state, vstring_str(label));
        if (session == 0)
            session = smtp_connect_addr(state, rr, port);
        if (session == 0) {
            /* The reason already names the address and port. */
            msg_info("%s", vstring_str(state->why->reason));
            continue;
        }
        if (addr_list->pref == rr->pref)
            session->features |= SMTP_FEATURE_BEST_MX;
        last =
            last || (smtp_cfg.mx_session_limit > 0 && sess_count + 1 == smtp_cfg.mx_session_limit);
        sess_count += smtp_session_run(state, session, final_nexthop && last);
    }
    dns_rr_free(addr_list);
    vstring_free(domain);
    vstring_free(label);
    vstring_free(addr_text);
}

/*
 * smtp_pass_best_mx - mail for a destination whose best MX is this host
 * goes to best_mx_transport instead of bouncing; that agent reports each
 * recipient.
 */
static void smtp_pass_best_mx(SMTP_STATE *state)
{
    DELIVER_REQUEST *request = state->request;
    RECIPIENT *rcpt;
    int n;

    dsb_reset(state->why);
    for (n = 0; n < request->rcpt_list.len; n++) {
        rcpt = request->rcpt_list.info + n;
        if (rcpt->u.status == SMTP_RCPT_DROP)
            continue;
        state->status |= deliver_pass(MAIL_CLASS_PRIVATE, var_best_mx_transport, request, rcpt);
        smtp_rcpt_drop(state, rcpt);
    }
}

/* smtp_connect_inet - next hop and fallback relays over TCP */
static void smtp_connect_inet(SMTP_STATE *state, const char *nexthop, const char *def_service)
{
    ARGV *sites = argv_alloc(4);
    int n, stop = 0;
    int non_fallback = 1;

    if (strstr(var_inet_protocols, "all") == 0 && strstr(var_inet_protocols, "ipv4") == 0 &&
        strstr(var_inet_protocols, "ipv6") == 0) {
        dsb_simple(state->why, "4.4.4", "all network protocols are disabled");
        argv_free(sites);
        return;
    }
    argv_add(sites, nexthop, (char *)0);
    argv_split_append(sites, smtp_cfg.fallback_relay, ", \t\r\n");
    for (n = 0; n < sites->argc && state->rcpt_left > 0 && !stop; n++)
        smtp_connect_dest(state, sites->argv[n], def_service, n == sites->argc - 1, &stop);

    /* Configuration problems should not bounce mail: pretend they are temporary. */
    if (state->rcpt_left > 0 && VSTRING_LEN(state->why->status) > 0 &&
        vstring_str(state->why->status)[0] == '5') {
        if (n > non_fallback) {
            msg_warn("%s configuration problem", smtp_param_name("smtp_fallback_relay"));
            vstring_strcpy(state->why->status, "4.3.5");
        } else if (!smtp_cfg.lmtp && *var_relayhost && strcmp(nexthop, var_relayhost) == 0) {
            msg_warn("%s configuration problem", "relayhost");
            vstring_strcpy(state->why->status, "4.3.5");
        } else if (!smtp_cfg.lmtp && strcmp(vstring_str(state->why->status), "5.4.6") == 0 &&
                   *var_best_mx_transport) {
            smtp_pass_best_mx(state);
        }
    }
    argv_free(sites);
}

/* smtp_connect - deliver the request */
int smtp_connect(SMTP_STATE *state)
{
    const char *dest = state->request->nexthop;

    if (smtp_cfg.lmtp && strncmp(dest, "unix:", 5) == 0) {
        smtp_connect_local(state, dest + 5);
    } else {
        if (smtp_cfg.lmtp && strncmp(dest, "inet:", 5) == 0)
            dest += 5;
        smtp_connect_inet(state, dest, smtp_cfg.tcp_port);
    }
    if (state->rcpt_left > 0) {
        if (VSTRING_LEN(state->why->status) == 0)
            dsb_simple(state->why, "4.3.0", "server unavailable or unable to receive mail");
        state->final_server = 1;
        (void)smtp_sess_fail(state);
        if (state->rcpt_left > 0)
            msg_panic("smtp_connect: left-over recipients");
    }
    return (state->status);
}
